/*
 * Fatal errors: a panic of the monitor or of the RMM (RMM_FATAL) stops the
 * whole machine, deterministically, in one documented state
 * (docs/boot-flow.md, "Fatal errors"):
 *
 * - the first CPU to fail owns the stop; any other that fails meanwhile
 *   just parks;
 * - every other CPU is interrupted by a Group 0 SGI, which SCR_EL3.FIQ
 *   routes to EL3 whatever the CPU was doing below (a CPU spinning in the
 *   RMM with its interrupts masked included), and parks in EL3; a CPU
 *   waiting for a monitor lock parks from its spin loop;
 * - parked CPUs loop on WFI with every exception masked: no world runs
 *   again, no RMI is served, the GPT stays as it was (realm memory stays
 *   Realm until the next cold boot scrubs it);
 * - then the platform is told (plat_fatal_exit: QEMU's pvpanic device,
 *   which makes QEMU exit with a failure status), and the owner parks too.
 */
#include <arch/cache.h>
#include <arch/sysreg.h>
#include <drivers/gicv3.h>
#include "monitor.h"

#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_SGIR_IRM (1UL << 40) /* every PE but this one */
#define ICC_SGIR_INTID_SHIFT 24
#define GIC_INTID_SPECIAL 1020
#define FATAL_WAIT_DIV 10 /* others get 100 ms to park */

static uint32_t fatal_owner; /* CPU index + 1 of the CPU stopping the machine */
static uint32_t parked_mask; /* CPUs parked by the stop */

int fatal_in_progress(void)
{
	return __atomic_load_n(&fatal_owner, __ATOMIC_ACQUIRE) != 0;
}

int fatal_owner_is_me(void)
{
	return __atomic_load_n(&fatal_owner, __ATOMIC_ACQUIRE) == this_cpu() + 1;
}

static void __attribute__((noreturn)) park(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		wfi();
}

static void __attribute__((noreturn)) park_counted(void)
{
	__atomic_or_fetch(&parked_mask, 1U << this_cpu(), __ATOMIC_RELEASE);
	park();
}

int fatal_claim(void)
{
	uint32_t none = 0;

	/* Without the MMU (early cold boot) there are no exclusives; and no other CPU runs yet. */
	if (!(read_sysreg(sctlr_el3) & SCTLR_M)) {
		fatal_owner = this_cpu() + 1;
		return 1;
	}
	return __atomic_compare_exchange_n(&fatal_owner, &none, this_cpu() + 1, 0, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

static unsigned int count_cpus(uint32_t mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

/* The CPUs that run something: PSCI says on (or on its way), and not this one. */
static uint32_t running_others(void)
{
	uint32_t mask = 0;

	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu != this_cpu() && cpu_state[cpu].psci_state != CPU_STATE_OFF)
			mask |= 1U << cpu;
	}
	return mask;
}

void monitor_fatal_stop(const char *who)
{
	if (!fatal_owner_is_me() && !fatal_claim())
		park_counted(); /* another CPU is stopping the machine already */
	rmm_ready = 0;
	if (read_sysreg(sctlr_el3) & SCTLR_M) {
		uint32_t want = running_others();
		dsb_sy();
		write_sysreg(ICC_SGI0R_EL1, ICC_SGIR_IRM | ((uint64_t)FATAL_SGI << ICC_SGIR_INTID_SHIFT));
		isb();
		sev(); /* and any CPU waiting for a monitor lock */
		uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / FATAL_WAIT_DIV;
		while ((__atomic_load_n(&parked_mask, __ATOMIC_ACQUIRE) & want) != want &&
		       read_cntpct() < end)
			;
		uint32_t parked = __atomic_load_n(&parked_mask, __ATOMIC_ACQUIRE) & want;
		MLOG(0, "fatal error in the %s: system stopped, %u of %u other running CPUs parked\n", who,
		     count_cpus(parked), count_cpus(want));
	} else {
		MLOG(0, "fatal error in the %s: system stopped\n", who);
	}
	plat_fatal_exit();
	park();
}

/* Spin loops of the monitor's locks (arch/spinlock.h, SPIN_WAIT_HOOK): FIQs are masked at EL3. */
void monitor_spin_wait(void)
{
	if (__atomic_load_n(&fatal_owner, __ATOMIC_RELAXED) && !fatal_owner_is_me())
		park_counted();
}

/* A FIQ from a lower EL: the stop's SGI (anything else is acknowledged and ignored). */
struct world_ctx *monitor_lower_fiq(struct world_ctx *ctx)
{
	uint64_t intid = read_sysreg(ICC_IAR0_EL1) & 0xffffffUL;

	if (intid < GIC_INTID_SPECIAL)
		write_sysreg(ICC_EOIR0_EL1, intid);
	if (fatal_in_progress())
		park_counted();
	return ctx;
}
