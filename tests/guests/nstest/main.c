/*
 * nstest: a bare-metal NS-EL2 payload for the external-payload build. A
 * polled command shell on the NS UART lets the QEMU tests issue SMCs,
 * probe memory and drive CPUs against the monitor and the RMM.
 *
 * The MMU stays off, so every data access is Device-nGnRnE: accesses must
 * be naturally aligned and exclusives are out (they need cacheable
 * memory). Only CPU 0 prints; the other CPUs report through memory.
 */
#include <arch/smc.h>
#include <drivers/pl011.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "nstest.h"

#define LINE_MAX 320
#define MAX_ARGS 16
#define HEX_DIGITS_MAX 16
#define DEL 0x7f
#define BS 0x08

static struct fault *volatile probe[CONFIG_NR_CPUS];

void console_write(const char *s, size_t n)
{
	/* The single writer needs no lock (and a lock would need exclusives). */
	if (this_cpu() == 0)
		pl011_write(CONFIG_UART_NS_BASE, s, n);
}

uint64_t deadline_after(unsigned int seconds)
{
	return read_cntpct() + read_sysreg(cntfrq_el0) * seconds;
}

struct smc_args smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smc_args a = { { fid, a1, a2, a3, 0, 0, 0, 0 } };

	smc_call(&a);
	return a;
}

/* The access is one instruction in asm, so the handler skips exactly it. */
uint64_t probe_read64(uint64_t pa, struct fault *f)
{
	uint64_t v = 0;

	f->taken = 0;
	probe[this_cpu()] = f;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(pa) : "memory");
	probe[this_cpu()] = NULL;
	return v;
}

void probe_write64(uint64_t pa, uint64_t v, struct fault *f)
{
	f->taken = 0;
	probe[this_cpu()] = f;
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(pa) : "memory");
	probe[this_cpu()] = NULL;
}

/*
 * CNTPOFF_EL2 (FEAT_ECV, which QEMU's max CPU has): the monitor leaves
 * SCR_EL3.ECVEn clear, so the read traps to EL3, which must hand an
 * Undefined Instruction exception back to NS-EL2.
 */
uint64_t probe_trapped_sysreg(struct fault *f)
{
	uint64_t v = 0;

	f->taken = 0;
	probe[this_cpu()] = f;
	__asm__ volatile("mrs %0, S3_4_C14_C0_6" : "+r"(v) : : "memory");
	probe[this_cpu()] = NULL;
	return v;
}

void print_fault(const struct fault *f)
{
	printk("fault esr=%016lx far=%016lx\n", f->esr, f->far);
}

void nstest_exception(unsigned int vector)
{
	unsigned int cpu = this_cpu();
	uint64_t esr = read_sysreg(esr_el2), far = read_sysreg(far_el2), elr = read_sysreg(elr_el2);
	struct fault *f = probe[cpu];

	if (vector == VEC_CUR_SPX_SYNC && f) {
		*f = (struct fault){ esr, far, elr, 1 };
		probe[cpu] = NULL;
		write_sysreg(elr_el2, elr + AARCH64_INSN_SIZE);
		return;
	}
	if (cpu == 0)
		printk("panic: unexpected exception (vector %u) esr=%016lx elr=%016lx far=%016lx\n", vector,
		       esr, elr, far);
	else
		cpus_record_exception(cpu, vector, esr, elr, far);
	for (;;)
		wfi();
}

static const struct command {
	const char *name, *usage;
	unsigned int min_args, max_args;
	void (*run)(const uint64_t *args, unsigned int n);
} commands[] = {
	{ "smc", "smc FID [X1 .. X7]", 1, 8, cmd_smc },
	{ "smc2", "smc2 FID [X1 .. X7]", 1, 8, cmd_smc2 },
	{ "read", "read PA", 1, 1, cmd_read },
	{ "write", "write PA VAL", 2, 2, cmd_write },
	{ "fill", "fill PA VAL", 2, 2, cmd_fill },
	{ "zero?", "zero? PA", 1, 1, cmd_zero },
	{ "cpuon", "cpuon CPU", 1, 1, cmd_cpuon },
	{ "cpuoff", "cpuoff CPU", 1, 1, cmd_cpuoff },
	{ "cpus", "cpus", 0, 0, cmd_cpus },
	{ "stress", "stress GRANULES ROUNDS", 2, 2, cmd_stress },
	{ "trap", "trap", 0, 0, cmd_trap },
	{ "bench", "bench", 0, 0, cmd_bench },
	{ "off", "off", 0, 0, cmd_off },
	{ "reset", "reset", 0, 0, cmd_reset },
	{ "rbuild", "rbuild [HASH_ALGO [RECS]]", 0, 2, cmd_rbuild },
	{ "rinfo", "rinfo", 0, 0, cmd_rinfo },
	{ "rlr", "rlr LR VALUE", 2, 2, cmd_rlr },
	{ "rhcr", "rhcr VALUE", 1, 1, cmd_rhcr },
	{ "renter", "renter REC FLAGS [GPR0 .. GPR13]", 2, 16, cmd_renter },
	{ "rdestroy", "rdestroy", 0, 0, cmd_rdestroy },
	{ "renter_on", "renter_on CPU REC FLAGS [GPR0 .. GPR3]", 3, 7, cmd_renter_on },
	{ "rwait", "rwait CPU", 1, 1, cmd_rwait },
	{ "rirq", "rirq REC", 1, 1, cmd_rirq },
	{ "rns", "rns REC", 1, 1, cmd_rns },
	{ "rbench", "rbench REC", 1, 1, cmd_rbench },
	{ "a32smc", "a32smc FID", 1, 1, cmd_a32smc },
	{ "smstart", "smstart", 0, 0, cmd_smstart },
	{ "rdebug", "rdebug REC ADDR", 2, 2, cmd_rdebug },
	{ "rpmu", "rpmu REC ITERATIONS", 2, 2, cmd_rpmu },
	{ "rregs", "rregs REC", 1, 1, cmd_rregs },
	{ "gicregs", "gicregs", 0, 0, cmd_gicregs },
	{ "rrace", "rrace REC ROUNDS", 2, 2, cmd_rrace },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(void)
{
	printk("commands (numbers in hex, 0x optional):");
	for (unsigned int i = 0; i < NR_COMMANDS; i++)
		printk(" %s;", commands[i].usage);
	printk(" help\n");
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d = hex_digit(*s);
		if (d < 0 || (v >> (4 * (HEX_DIGITS_MAX - 1))) != 0)
			return -1;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	return 0;
}

static unsigned int split(char *line, char **words, unsigned int max)
{
	unsigned int n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static void run_line(char *line)
{
	char *words[MAX_ARGS + 1];
	uint64_t args[MAX_ARGS];
	unsigned int n = split(line, words, MAX_ARGS + 1);

	if (n == 0)
		return;
	if (strcmp(words[0], "help") == 0) {
		cmd_help();
		return;
	}
	for (unsigned int i = 0; i < NR_COMMANDS; i++) {
		const struct command *c = &commands[i];
		if (strcmp(words[0], c->name) != 0)
			continue;
		if (n - 1 < c->min_args || n - 1 > c->max_args) {
			printk("error: usage: %s\n", c->usage);
			return;
		}
		for (unsigned int k = 1; k < n; k++) {
			if (parse_hex(words[k], &args[k - 1])) {
				printk("error: '%s' is not a 64-bit hex number\n", words[k]);
				return;
			}
		}
		c->run(args, n - 1);
		return;
	}
	printk("error: unknown command '%s' (try help)\n", words[0]);
}

/* Returns the line length, or -1 if it did not fit (the rest is dropped). */
static int read_line(char *buf, size_t size)
{
	size_t len = 0;
	int overflow = 0;

	for (;;) {
		int c = pl011_getc(CONFIG_UART_NS_BASE);
		if (c < 0)
			continue;
		if (c == '\r' || c == '\n') {
			if (len == 0 && !overflow)
				continue; /* the \n of \r\n, or an empty line */
			buf[len] = '\0';
			return overflow ? -1 : (int)len;
		}
		if (c == DEL || c == BS) {
			if (len)
				len--;
		} else if (len + 1 < size) {
			buf[len++] = (char)c;
		} else {
			overflow = 1;
		}
	}
}

void nstest_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	char line[LINE_MAX];

	pl011_init(CONFIG_UART_NS_BASE);
	printk("nstest: NS-EL2 test payload at 0x%lx, %u CPUs, secondary entry 0x%lx\n",
	       (unsigned long)CONFIG_NS_PAYLOAD_ADDR, (unsigned int)CONFIG_NR_CPUS,
	       (unsigned long)(uintptr_t)nstest_secondary_entry);
	printk("nstest: pools 0x%lx..0x%lx are the payload's; counter %lu Hz\n", (unsigned long)POOL_BASE,
	       (unsigned long)POOL_END, (unsigned long)read_sysreg(cntfrq_el0));
	/* The Linux arm64 boot protocol's registers: the device tree (docs/external-payload.md). */
	printk("nstest: boot registers x0 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx\n", (unsigned long)x0,
	       (unsigned long)x1, (unsigned long)x2, (unsigned long)x3);
	printk("nstest: ready\n");
	for (;;) {
		int n = read_line(line, sizeof(line));
		if (n < 0) {
			printk("error: line longer than %u characters\n", LINE_MAX - 1);
		} else {
			printk("> %s\n", line);
			run_line(line);
		}
		printk("nstest: done\n");
	}
}
