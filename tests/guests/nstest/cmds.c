/* Shell commands that run on CPU 0 alone: SMCs, memory probes, timing, power. */
#include <arch/smc.h>
#include <rampart/smccc.h>
#include "nstest.h"

#define WORD_SIZE 8
#define WORD_ALIGN_MASK (WORD_SIZE - 1)

static void print_ret(const struct smc_args *a)
{
	printk("ret %016lx %016lx %016lx %016lx %016lx %016lx %016lx %016lx\n", a->x[0], a->x[1], a->x[2],
	       a->x[3], a->x[4], a->x[5], a->x[6], a->x[7]);
}

void cmd_smc(const uint64_t *args, unsigned int n)
{
	struct smc_args a = { { 0 } };

	for (unsigned int i = 0; i < n; i++)
		a.x[i] = args[i];
	smc_call(&a);
	print_ret(&a);
}

/* The same call twice with nothing in between: catches in-between states such as ON_PENDING. */
void cmd_smc2(const uint64_t *args, unsigned int n)
{
	struct smc_args a = { { 0 } }, b;

	for (unsigned int i = 0; i < n; i++)
		a.x[i] = args[i];
	b = a;
	smc_call(&a);
	smc_call(&b);
	print_ret(&a);
	print_ret(&b);
}

static int check_aligned(uint64_t pa, uint64_t mask)
{
	if (pa & mask) {
		printk("error: 0x%lx is not %lu-byte aligned\n", pa, mask + 1);
		return -1;
	}
	return 0;
}

void cmd_read(const uint64_t *args, unsigned int n)
{
	struct fault f;

	(void)n;
	if (check_aligned(args[0], WORD_ALIGN_MASK))
		return;
	uint64_t v = probe_read64(args[0], &f);
	if (f.taken)
		print_fault(&f);
	else
		printk("val %016lx\n", v);
}

void cmd_write(const uint64_t *args, unsigned int n)
{
	struct fault f;

	(void)n;
	if (check_aligned(args[0], WORD_ALIGN_MASK))
		return;
	probe_write64(args[0], args[1], &f);
	if (f.taken)
		print_fault(&f);
	else
		printk("ok\n");
}

void cmd_fill(const uint64_t *args, unsigned int n)
{
	struct fault f;

	(void)n;
	if (check_aligned(args[0], GRANULE_SIZE - 1))
		return;
	for (uint64_t off = 0; off < GRANULE_SIZE; off += WORD_SIZE) {
		probe_write64(args[0] + off, args[1], &f);
		if (f.taken) {
			print_fault(&f);
			return;
		}
	}
	printk("ok\n");
}

void cmd_zero(const uint64_t *args, unsigned int n)
{
	struct fault f;
	unsigned int nonzero = 0;

	(void)n;
	if (check_aligned(args[0], GRANULE_SIZE - 1))
		return;
	for (uint64_t off = 0; off < GRANULE_SIZE; off += WORD_SIZE) {
		uint64_t v = probe_read64(args[0] + off, &f);
		if (f.taken) {
			print_fault(&f);
			return;
		}
		nonzero += v != 0;
	}
	if (nonzero)
		printk("zero no (%u nonzero words)\n", nonzero);
	else
		printk("zero yes\n");
}

void cmd_trap(const uint64_t *args, unsigned int n)
{
	struct fault f;

	(void)args;
	(void)n;
	uint64_t v = probe_trapped_sysreg(&f);
	if (f.taken)
		printk("trap esr=%016lx elr=%016lx\n", f.esr, f.elr);
	else
		printk("val %016lx\n", v);
}

/*
 * Timing: the same loop runs once with an empty call and once with the
 * SMC, so the difference is the round trip alone. Under QEMU -icount
 * shift=0 one counter tick is one instruction.
 */
typedef void (*call_fn)(struct smc_args *a);

static void __attribute__((noinline)) empty_call(struct smc_args *a)
{
	__asm__ volatile("" : : "r"(a) : "memory");
}

static uint64_t time_loop(call_fn fn, uint64_t fid, uint64_t a1, uint64_t stride, uint64_t want,
			  unsigned int *failed)
{
	unsigned int bad = 0;
	uint64_t t0 = read_cntpct();

	for (unsigned int i = 0; i < BENCH_ITERS; i++) {
		struct smc_args a = { { fid, a1 + i * stride, 0, 0, 0, 0, 0, 0 } };
		fn(&a);
		bad += a.x[0] != want;
	}
	uint64_t t = read_cntpct() - t0;
	if (failed)
		*failed += bad;
	return t;
}

void cmd_bench(const uint64_t *args, unsigned int n)
{
	static const struct {
		const char *name;
		uint64_t fid, a1, stride, want;
	} ops[] = {
		{ "smccc_version", SMCCC_VERSION, 0, 0, SMCCC_VERSION_1_2 },
		{ "rmi_version", RMI_VERSION, RMI_ABI_VERSION, 0, RMI_SUCCESS },
		{ "granule_delegate", RMI_GRANULE_DELEGATE, BENCH_POOL, GRANULE_SIZE, RMI_SUCCESS },
		{ "granule_undelegate", RMI_GRANULE_UNDELEGATE, BENCH_POOL, GRANULE_SIZE, RMI_SUCCESS },
	};
	uint64_t empty = time_loop(empty_call, 0, 0, 0, 0, NULL);

	(void)args;
	(void)n;
	printk("bench iterations %u, empty loop %lu ticks\n", (unsigned int)BENCH_ITERS, empty);
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		unsigned int failed = 0;
		uint64_t t = time_loop(smc_call, ops[i].fid, ops[i].a1, ops[i].stride, ops[i].want, &failed);
		if (failed) {
			printk("error: bench %s: %u of %u calls failed\n", ops[i].name, failed,
			       (unsigned int)BENCH_ITERS);
			/* Leave no bench granule delegated behind. */
			for (unsigned int k = 0; k < BENCH_ITERS; k++)
				smc(RMI_GRANULE_UNDELEGATE, BENCH_POOL + k * GRANULE_SIZE, 0, 0);
			return;
		}
		t = t > empty ? t - empty : 0;
		printk("bench %s %lu\n", ops[i].name, t / BENCH_ITERS);
	}
}

void cmd_off(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	printk("error: SYSTEM_OFF returned %ld\n", (long)smc(PSCI_SYSTEM_OFF, 0, 0, 0).x[0]);
}

void cmd_reset(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	printk("error: SYSTEM_RESET returned %ld\n", (long)smc(PSCI_SYSTEM_RESET, 0, 0, 0).x[0]);
}
