/* realmtest: the command loop (see realmtest.h) and its exception handlers. */
#include <stdint.h>
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <rampart/rsi.h>
#include "realmtest.h"

#define PAGE_SIZE 4096UL
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ID_AA64ZFR0_EL1 S3_0_C0_C4_4
#define ERRIDR_EL1 S3_0_C5_C3_0
#define GIC_SPURIOUS 1023UL
#define PMR_ALLOW_ALL 0xffUL
#define ICC_AP1R0_EL1 S3_0_C12_C9_0
#define ACK_TRIES 1000

/* Pages the host gets back through RSI calls: one scratch page, then the token. */
static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t token[REALMTEST_TOKEN_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct rsi_host_call host_call[REALMTEST_MAX_RECS] __attribute__((aligned(RSI_HOST_CALL_SIZE)));

static volatile uint64_t exc_count, exc_esr, exc_far, exc_elr;
static volatile uint64_t irq_intid = GIC_SPURIOUS;

void realm_sync_exception(void)
{
	exc_esr = read_sysreg(esr_el1);
	exc_far = read_sysreg(far_el1);
	exc_elr = read_sysreg(elr_el1);
	exc_count = exc_count + 1;
	/* Skip the instruction that faulted; the report tells the host what happened. */
	write_sysreg(elr_el1, exc_elr + 4);
}

void realm_irq(void)
{
	uint64_t intid = read_sysreg(ICC_IAR1_EL1);

	if (intid != GIC_SPURIOUS) {
		irq_intid = intid;
		write_sysreg(ICC_EOIR1_EL1, intid);
	}
}

/* SMC #0 with x0..x11 in and out: RSI calls use up to x10 (MEASUREMENT_EXTEND). */
#define RT_SMC_REGS 12
static void smc12(uint64_t x[RT_SMC_REGS])
{
	register uint64_t r0 __asm__("x0") = x[0], r1 __asm__("x1") = x[1], r2 __asm__("x2") = x[2];
	register uint64_t r3 __asm__("x3") = x[3], r4 __asm__("x4") = x[4], r5 __asm__("x5") = x[5];
	register uint64_t r6 __asm__("x6") = x[6], r7 __asm__("x7") = x[7], r8 __asm__("x8") = x[8];
	register uint64_t r9 __asm__("x9") = x[9], r10 __asm__("x10") = x[10], r11 __asm__("x11") = x[11];

	__asm__ volatile("smc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7),
			   "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11)
			 :
			 : "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	x[0] = r0, x[1] = r1, x[2] = r2, x[3] = r3, x[4] = r4, x[5] = r5;
	x[6] = r6, x[7] = r7, x[8] = r8, x[9] = r9, x[10] = r10, x[11] = r11;
}

/* Report results (and the exception state), get the next command into hc->gprs. */
static void report(struct rsi_host_call *hc, uint64_t cmd)
{
	struct smc_args a = { { RSI_HOST_CALL, (uint64_t)hc, 0, 0, 0, 0, 0, 0 } };

	hc->imm = (uint16_t)cmd;
	hc->gprs[RT_REPORT_EXC_COUNT] = exc_count;
	hc->gprs[RT_REPORT_EXC_ESR] = exc_esr;
	hc->gprs[RT_REPORT_EXC_FAR] = exc_far;
	hc->gprs[RT_REPORT_EXC_ELR] = exc_elr;
	hc->gprs[RT_REPORT_REC] = read_sysreg(mpidr_el1);
	smc_call(&a);
}

static uint64_t mem_read(uint64_t addr, uint64_t size)
{
	switch (size) {
	case 1:
		return *(volatile uint8_t *)addr;
	case 2:
		return *(volatile uint16_t *)addr;
	case 4:
		return *(volatile uint32_t *)addr;
	default:
		return *(volatile uint64_t *)addr;
	}
}

static void mem_write(uint64_t addr, uint64_t v, uint64_t size)
{
	switch (size) {
	case 1:
		*(volatile uint8_t *)addr = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)addr = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)addr = (uint32_t)v;
		break;
	default:
		*(volatile uint64_t *)addr = v;
		break;
	}
}

static uint64_t read_pair(uint64_t addr)
{
	uint64_t a, b;

	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(addr) : "memory");
	return a ^ b;
}

static uint64_t wait_irq(void)
{
	irq_intid = GIC_SPURIOUS;
	write_sysreg(ICC_SRE_EL1, 7);
	isb();
	write_sysreg(ICC_PMR_EL1, PMR_ALLOW_ALL);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	/* WFI with IRQs masked still wakes on a pending one; then take it. */
	while (irq_intid == GIC_SPURIOUS) {
		wfi();
		__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
	}
	return irq_intid;
}

/* Take the highest pending virtual IRQ without EOI (its priority stays active); IRQs masked. */
static uint64_t ack_irq(void)
{
	uint64_t intid = GIC_SPURIOUS;

	write_sysreg(ICC_SRE_EL1, 7);
	isb();
	write_sysreg(ICC_PMR_EL1, PMR_ALLOW_ALL);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	for (unsigned int i = 0; i < ACK_TRIES && intid == GIC_SPURIOUS; i++)
		intid = read_sysreg(ICC_IAR1_EL1);
	return intid;
}

/*
 * Attestation: INIT, then CONTINUE until the whole token sits in token[].
 * args: [1..8] challenge, [9] chunk size, [10] at most this many CONTINUEs
 * (0: no limit), [11] non-zero: no INIT, go on with the token in progress.
 * Reports status, length, calls, bound, ticks, and the most ticks one
 * CONTINUE took (instructions under -icount).
 */
static void get_token(const uint64_t *args, uint64_t *out)
{
	/* Per REC: a token in progress survives commands in between. */
	static struct token_progress {
		uint64_t off, calls, bound, most;
	} in_progress[REALMTEST_MAX_RECS];
	uint64_t x[RT_SMC_REGS] = { RSI_ATTESTATION_TOKEN_INIT };
	uint64_t chunk = args[9], max_calls = args[10];
	uint64_t t0 = read_sysreg(cntvct_el0);
	struct token_progress *p = &in_progress[read_sysreg(mpidr_el1) % REALMTEST_MAX_RECS];
	uint64_t off = p->off, calls = p->calls, bound = p->bound, most = p->most;

	if (!args[11]) {
		for (int i = 1; i <= 8; i++)
			x[i] = args[i];
		smc12(x);
		bound = x[1];
		off = calls = most = 0;
		if (x[0] != RSI_SUCCESS) {
			out[0] = x[0];
			return;
		}
	}
	for (uint64_t n = 0; !max_calls || n < max_calls; n++) {
		uint64_t in = off % PAGE_SIZE, len = PAGE_SIZE - in < chunk ? PAGE_SIZE - in : chunk;
		if (off >= sizeof(token)) {
			x[0] = ~0UL; /* larger than the realm's buffer */
			break;
		}
		uint64_t c[RT_SMC_REGS] = { RSI_ATTESTATION_TOKEN_CONTINUE, (uint64_t)&token[off - in], in,
					    len };
		uint64_t c0 = read_sysreg(cntvct_el0);
		smc12(c);
		uint64_t took = read_sysreg(cntvct_el0) - c0;
		most = took > most ? took : most;
		calls++;
		x[0] = c[0];
		if (c[0] != RSI_SUCCESS && c[0] != RSI_INCOMPLETE)
			break;
		off += c[1];
		if (c[0] == RSI_SUCCESS)
			break;
	}
	*p = (struct token_progress){ off, calls, bound, most };
	out[0] = x[0];
	out[1] = off;
	out[2] = calls;
	out[3] = bound;
	out[4] = read_sysreg(cntvct_el0) - t0; /* instructions, under -icount */
	out[5] = most;
}

/* A function the host can put a breakpoint on (its address is in RT_CMD_DEBUG_PROBE's report). */
void realm_dbg_probe(void);
void __attribute__((noinline)) realm_dbg_probe(void)
{
	__asm__ volatile("nop" ::: "memory");
}

static void fp_between(void);
static struct rsi_host_call *fp_hc;
static void fp_between(void)
{
	report(fp_hc, RT_CMD_FP);
}

static void dirty_between(void)
{
	report(fp_hc, RT_CMD_DIRTY);
}

void realm_main(unsigned long cpu, unsigned long arg)
{
	struct rsi_host_call *hc = &host_call[cpu % REALMTEST_MAX_RECS];
	uint64_t cmd = RT_CMD_READY;

	(void)arg;
	for (int i = 0; i < RSI_HOST_CALL_GPRS; i++)
		hc->gprs[i] = 0;
	hc->gprs[0] = cpu;
	hc->gprs[1] = (uint64_t)scratch;
	hc->gprs[2] = (uint64_t)token;
	for (;;) {
		report(hc, cmd);
		uint64_t args[RSI_HOST_CALL_GPRS];
		for (int i = 0; i < RSI_HOST_CALL_GPRS; i++) {
			args[i] = hc->gprs[i];
			hc->gprs[i] = 0;
		}
		cmd = args[0];
		switch (cmd) {
		case RT_CMD_SMC: {
			uint64_t x[RT_SMC_REGS];
			for (int i = 0; i < RT_SMC_REGS; i++)
				x[i] = args[1 + i];
			smc12(x);
			for (int i = 0; i < RT_SMC_REGS; i++)
				hc->gprs[i] = x[i];
			break;
		}
		case RT_CMD_READ:
			hc->gprs[0] = mem_read(args[1], args[2]);
			break;
		case RT_CMD_WRITE:
			mem_write(args[1], args[2], args[3]);
			break;
		case RT_CMD_READ_PAIR:
			hc->gprs[0] = read_pair(args[1]);
			break;
		case RT_CMD_WAIT_IRQ:
			hc->gprs[0] = wait_irq();
			break;
		case RT_CMD_VTIMER:
			write_sysreg(cntv_cval_el0, args[1]);
			write_sysreg(cntv_ctl_el0, args[2]);
			isb();
			break;
		case RT_CMD_SPIN_FLAG:
			((volatile uint64_t *)args[1])[1] = 1; /* "spinning", for a host on another CPU */
			while (*(volatile uint64_t *)args[1] == 0)
				;
			hc->gprs[0] = *(volatile uint64_t *)args[1];
			break;
		case RT_CMD_WFI:
			wfi();
			break;
		case RT_CMD_HVC:
			__asm__ volatile("hvc #0" ::: "memory");
			break;
		case RT_CMD_SYSREGS:
			hc->gprs[0] = read_sysreg(id_aa64pfr0_el1);
			hc->gprs[1] = read_sysreg(id_aa64dfr0_el1);
			hc->gprs[2] = read_sysreg(id_aa64mmfr2_el1);
			hc->gprs[3] = read_sysreg(pmcr_el0);
			hc->gprs[4] = read_sysreg(ID_AA64ZFR0_EL1);
			hc->gprs[5] = read_sysreg(id_aa64pfr1_el1);
			hc->gprs[6] = read_sysreg(actlr_el1);
			hc->gprs[7] = read_sysreg(ERRIDR_EL1);
			break;
		case RT_CMD_FP: {
			unsigned long realm_fp_roundtrip(unsigned long v, void (*between)(void));
			fp_hc = hc;
			hc->gprs[0] = realm_fp_roundtrip(args[1], fp_between);
			break;
		}
		case RT_CMD_TOKEN:
			get_token(args, hc->gprs);
			break;
		case RT_CMD_TOKEN_READ:
			for (int i = 0; i < RT_TOKEN_READ_WORDS; i++) {
				uint64_t off = args[1] + 8UL * (uint64_t)i, w = 0;
				for (int b = 0; b < 8; b++)
					if (off + (uint64_t)b < sizeof(token))
						w |= (uint64_t)token[off + (uint64_t)b] << (8 * b);
				hc->gprs[1 + i] = w;
			}
			break;
		case RT_CMD_HOST_CALLS:
			for (uint64_t i = 1; i < args[1]; i++)
				report(hc, RT_CMD_HOST_CALLS);
			break;
		case RT_CMD_DEBUG_PROBE:
			/* PSTATE.D clear, as any kernel that debugs itself runs: only MDSCR_EL1 decides. */
			__asm__ volatile("msr daifclr, #8\n\tisb" ::: "memory");
			mem_write(args[1], 1, 8);
			realm_dbg_probe();
			__asm__ volatile("msr daifset, #8\n\tisb" ::: "memory");
			hc->gprs[0] = (uint64_t)realm_dbg_probe;
			break;
		case RT_CMD_LOOP:
			for (uint64_t i = 0; i < args[1]; i++)
				__asm__ volatile("" ::: "memory");
			break;
		case RT_CMD_DIRTY: {
			unsigned long disr;
			fp_hc = hc;
			hc->gprs[0] = realm_dirty_el1(dirty_between, &disr);
			hc->gprs[1] = disr;
			break;
		}
		case RT_CMD_ACK_IRQ:
			hc->gprs[0] = ack_irq();
			hc->gprs[1] = read_sysreg(ICC_AP1R0_EL1);
			break;
		case RT_CMD_EOI:
			hc->gprs[0] = read_sysreg(ICC_AP1R0_EL1);
			write_sysreg(ICC_EOIR1_EL1, args[1]);
			isb();
			hc->gprs[1] = read_sysreg(ICC_AP1R0_EL1);
			break;
		case RT_CMD_EL1_LEFT:
			hc->gprs[0] = realm_el1_left();
			hc->gprs[1] = read_sysreg(sctlr_el1);
			break;
		case RT_CMD_S1PTW:
			realm_s1ptw(args[1]);
			break;
		case RT_CMD_TOUCH:
			mem_write(args[1], args[2], 8);
			hc->gprs[0] = mem_read(args[1], 8);
			break;
		default:
			hc->gprs[0] = ~0UL;
			break;
		}
	}
}
