/* Monitor cold and warm boot. */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "attest.h"
#include "measured_boot.h"
#include "monitor.h"
#include "secure_boot.h"

#define PMUVER_V3P5 6
#define PMUVER_V3P7 7
#define PMUVER_IMPDEF 0xf
#define MDCR_EL3_SCCD BIT(23)
#define MDCR_EL3_MCCD BIT(34)

unsigned int this_cpu(void)
{
	return (unsigned int)MPIDR_AFF0(read_sysreg(mpidr_el1));
}

/* A panic stops the whole machine (fatal.c); a second CPU failing meanwhile only parks. */
void monitor_panic(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	if (!fatal_claim())
		monitor_fatal_stop("monitor");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("monitor: PANIC on cpu %u: %s\n", this_cpu(), msg);
	monitor_fatal_stop("monitor");
}

void monitor_exception_panic(unsigned int kind, const uint64_t *regs);
void monitor_exception_panic(unsigned int kind, const uint64_t *regs)
{
	static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

	if (!fatal_claim())
		monitor_fatal_stop("monitor");
	printk("monitor: PANIC on cpu %u: %s exception in EL3\n", this_cpu(), kinds[kind & 3]);
	printk("  ESR_EL3 0x%016lx  ELR_EL3 0x%016lx\n", read_sysreg(esr_el3), read_sysreg(elr_el3));
	printk("  FAR_EL3 0x%016lx  SPSR_EL3 0x%016lx\n", read_sysreg(far_el3), read_sysreg(spsr_el3));
	for (unsigned int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk("  x30 0x%016lx\n", regs[30]);
		else
			printk("  x%02u 0x%016lx  x%02u 0x%016lx\n", i, regs[i], i + 1, regs[i + 1]);
	}
	monitor_fatal_stop("monitor");
}

/* Let lower ELs own FP/SVE/SME; EL3 itself never touches them. */
static void el3_features_init(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t cptr = 0;

	if (ID_AA64PFR0_SVE(pfr0))
		cptr |= CPTR_EL3_EZ;
	if (ID_AA64PFR1_SME(pfr1))
		cptr |= CPTR_EL3_ESM;
	write_sysreg(cptr_el3, cptr);
	isb();
	if (ID_AA64PFR0_SVE(pfr0))
		write_sysreg(ZCR_EL3, 0xf); /* lower ELs may pick any vector length */
	if (ID_AA64PFR1_SME(pfr1))
		write_sysreg(SMCR_EL3, 0xf);
	/*
	 * No PMU event counting at EL3 (SPME = 0), and no cycle counting either
	 * where the PMU can say so: what the monitor does for the RMM is not
	 * the Normal world's to count.
	 */
	uint64_t pmuver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf, mdcr = 0;
	if (pmuver >= PMUVER_V3P5 && pmuver != PMUVER_IMPDEF)
		mdcr |= MDCR_EL3_SCCD;
	if (pmuver >= PMUVER_V3P7 && pmuver != PMUVER_IMPDEF)
		mdcr |= MDCR_EL3_MCCD;
	write_sysreg(mdcr_el3, mdcr);
	isb();
}

void monitor_cold_main(unsigned int cpu);
void monitor_cold_main(unsigned int cpu)
{
	mb_snapshot_data(); /* before any C code writes .data */
	plat_console_init();
	MLOG(1, "Rampart EL3 monitor, cold boot on cpu %u\n", cpu);
	el3_features_init();
	plat_mmu_setup();
	plat_mmu_enable();
	mb_init(); /* and measures the monitor itself */
	gpt_setup();
	gpt_enable_this_cpu();
	MLOG(1, "GPC enabled\n");
	plat_gic_init();
	plat_gic_cpu_init(cpu);
	MLOG(1, "%u of %u CPUs present\n", plat_cpus_present, (unsigned int)CONFIG_NR_CPUS);

#ifdef CONFIG_NS_PAYLOAD_DTB
	/* Before secure_boot_load(): the RMM image is copied over QEMU's device tree. */
	const uint64_t ns_arg = ns_payload_prepare();
#else
	const uint64_t ns_arg = 0;
#endif
	secure_boot_load(); /* verifies, copies and measures: returns only with a valid bank loaded */
#ifdef CONFIG_NS_PAYLOAD_BUILTIN
	const uint64_t ns_entry = CONFIG_HYP_BASE;
#else
	const uint64_t ns_entry = CONFIG_NS_PAYLOAD_ADDR;
#endif
	icache_inval_all();
	attest_init(); /* only the development-key warning: tokens are signed on demand */
	rmm_write_manifest();

	long st = rmm_boot_this_cpu(cpu, 1);
	rmm_ready = st == E_RMM_BOOT_SUCCESS;
	if (rmm_ready)
		MLOG(1, "RMM booted on cpu %u\n", cpu);
	else
		MLOG(0, "RMM boot failed on cpu %u: status %ld; RMI disabled\n", cpu, st);
	psci_mark_on(cpu);
	MLOG(1, "entering NS-EL2 at 0x%lx\n", ns_entry);
	world_enter_ns(cpu, ns_entry, ns_arg);
}

void monitor_warm_main(unsigned int cpu);
void monitor_warm_main(unsigned int cpu)
{
	el3_features_init();
	plat_mmu_enable();
	gpt_enable_this_cpu();
	plat_gic_cpu_init(cpu);
	if (rmm_ready) {
		long st = rmm_boot_this_cpu(cpu, 0);
		if (st != E_RMM_BOOT_SUCCESS) {
			rmm_ready = 0;
			MLOG(0, "RMM warm boot failed on cpu %u: status %ld; RMI disabled\n", cpu, st);
		}
	}
	psci_mark_on(cpu);
	MLOG(2, "cpu %u on, entering NS-EL2 at 0x%lx\n", cpu, cpu_state[cpu].ns_entry);
	world_enter_ns(cpu, cpu_state[cpu].ns_entry, cpu_state[cpu].ns_ctx_id);
}
