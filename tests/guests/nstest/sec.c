/*
 * Shell commands for the security tests (tests/qemu/test_security.py): the
 * host's own state around world switches it does not control.
 */
#include <arch/smc.h>
#include <rampart/rmi.h>
#include <rampart/smccc.h>
#include "../realmtest/realmtest.h"
#include "nstest.h"

/* lowerel.S */
uint64_t nstest_a32_smc(uint64_t x0);
void nstest_smstart(void);

#define ID_AA64PFR1_SME_SHIFT 24

/* a32smc FID: SMC #0 from AArch32 EL1 with r0 = FID; the monitor must answer, not stop. */
void cmd_a32smc(const uint64_t *args, unsigned int n)
{
	(void)n;
	printk("a32smc r0=%lx\n", nstest_a32_smc(args[0]));
}

/* smstart: leave streaming SVE mode on (PSTATE.SM = 1), e.g. across the next RMI calls. */
void cmd_smstart(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	if (!((read_sysreg(id_aa64pfr1_el1) >> ID_AA64PFR1_SME_SHIFT) & 0xf)) {
		printk("error: no SME\n");
		return;
	}
	nstest_smstart();
	printk("smstart ok\n");
}

/* Self-hosted debug: MDSCR_EL1 and the first breakpoint and watchpoint (AArch64, EL1 and EL0). */
#define MDSCR_KDE (1UL << 13)
#define MDSCR_MDE (1UL << 15)
#define DBGBCR_E 1UL
#define DBGBCR_PMC_EL1_EL0 (3UL << 1)
#define DBGBCR_BAS_A64 (0xfUL << 5)
#define DBGWCR_E 1UL
#define DBGWCR_PAC_EL1_EL0 (3UL << 1)
#define DBGWCR_LSC_LOAD_STORE (3UL << 3)
#define DBGWCR_BAS_8 (0xffUL << 5)

static void host_debug(uint64_t mdscr, uint64_t bvr, uint64_t bcr, uint64_t wvr, uint64_t wcr)
{
	write_sysreg(dbgbvr0_el1, bvr);
	write_sysreg(dbgbcr0_el1, bcr);
	write_sysreg(dbgwvr0_el1, wvr);
	write_sysreg(dbgwcr0_el1, wcr);
	write_sysreg(mdscr_el1, mdscr);
	isb();
}

/*
 * rdebug REC ADDR: the host puts a watchpoint on the realm address ADDR and a
 * breakpoint on the realm's probe function, with MDSCR_EL1.MDE and KDE on;
 * the realm (debug exceptions unmasked) stores to ADDR and calls the probe.
 * Neither may fire in the realm, and the host's settings must be intact
 * after the exit. The REC must be waiting at a host call.
 */
void cmd_rdebug(const uint64_t *args, unsigned int n)
{
	unsigned int rec = (unsigned int)args[0];
	uint64_t g[2] = { RT_CMD_DEBUG_PROBE, args[1] };

	(void)n;
	if (realm_enter(rec, 0, g, 2, 1) != RMI_SUCCESS) {
		printk("error: rdebug needs a built realm at a host call\n");
		return;
	}
	const struct rmi_rec_run *run = realm_run_page(rec);
	uint64_t probe = run->exit.gprs[0], exc0 = run->exit.gprs[RT_REPORT_EXC_COUNT];
	const uint64_t mdscr = MDSCR_MDE | MDSCR_KDE, bcr = DBGBCR_E | DBGBCR_PMC_EL1_EL0 | DBGBCR_BAS_A64;
	const uint64_t wcr = DBGWCR_E | DBGWCR_PAC_EL1_EL0 | DBGWCR_LSC_LOAD_STORE | DBGWCR_BAS_8;
	host_debug(mdscr, probe, bcr, args[1] & ~7UL, wcr);
	uint64_t ret = realm_enter(rec, 0, g, 2, 1);
	unsigned int kept = (read_sysreg(mdscr_el1) == mdscr) + (read_sysreg(dbgbcr0_el1) == bcr) +
			    (read_sysreg(dbgwcr0_el1) == wcr) + (read_sysreg(dbgbvr0_el1) == probe) +
			    (read_sysreg(dbgwvr0_el1) == (args[1] & ~7UL));
	host_debug(0, 0, 0, 0, 0);
	printk("rdebug ret=%lx reason=%lx probe=%lx realm_exceptions=%lu esr=%lx host_kept=%u\n", ret,
	       run->exit.exit_reason, probe, run->exit.gprs[RT_REPORT_EXC_COUNT] - exc0,
	       run->exit.gprs[RT_REPORT_EXC_ESR], kept);
}

/* PMU: INST_RETIRED at EL0/EL1 (counter 0), at EL2 only (counter 1), cycles outside EL2. */
#define PMCR_E (1UL << 0)
#define PMCR_P (1UL << 1)
#define PMCR_C (1UL << 2)
#define PMCR_LC (1UL << 6)
#define PMU_P (1UL << 31)
#define PMU_U (1UL << 30)
#define PMU_NSH (1UL << 27)
#define PMU_INST_RETIRED 0x08UL
#define PMCNTEN_C (1UL << 31)

/* lowerel.S */
void nstest_pmu_smc(uint64_t x[8], uint64_t sample[6]);

static void print_pmu(const char *what, const uint64_t *s)
{
	printk("rpmu %s el01=%lu el2=%lu cyc=%lu\n", what, s[3] - s[0], s[4] - s[1], s[5] - s[2]);
}

/*
 * rpmu REC ITERATIONS: the host counts instructions at EL0/EL1, at EL2, and
 * cycles with EL2 filtered out, across RMI_VERSION and across a REC_ENTER in
 * which the realm loops ITERATIONS times. Neither the realm's work nor the
 * RMM's may show. The REC must be waiting at a host call; use -icount (QEMU
 * counts INST_RETIRED only then).
 */
void cmd_rpmu(const uint64_t *args, unsigned int n)
{
	uint64_t g[2] = { RT_CMD_LOOP, args[1] }, s[6], x[8] = { RMI_VERSION, RMI_ABI_VERSION };

	(void)n;
	write_sysreg(pmevtyper0_el0, PMU_INST_RETIRED);
	write_sysreg(pmevtyper1_el0, PMU_INST_RETIRED | PMU_P | PMU_U | PMU_NSH);
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcntenset_el0, PMCNTEN_C | 3);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_P | PMCR_C | PMCR_LC);
	isb();
	nstest_pmu_smc(x, s);
	print_pmu("rmi_version", s);
	if (realm_prepare_entry((unsigned int)args[0], 0, g, 2, &x[1], &x[2])) {
		printk("error: rpmu needs a built realm\n");
		return;
	}
	x[0] = RMI_REC_ENTER;
	x[3] = x[4] = 0;
	nstest_pmu_smc(x, s);
	print_pmu("rec_enter", s);
	const struct rmi_rec_run *run = realm_run_page((unsigned int)args[0]);
	printk("rpmu exit ret=%lx reason=%lx imm=%lx pmcr=%lx cnten=%lx\n", x[0], run->exit.exit_reason,
	       run->exit.imm, read_sysreg(pmcr_el0), read_sysreg(pmcntenset_el0));
	write_sysreg(pmcr_el0, 0);
	write_sysreg(pmcntenclr_el0, PMCNTEN_C | 3);
	isb();
}

#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_LR2_EL2 S3_4_C12_C12_2
#define ICH_LR3_EL2 S3_4_C12_C12_3
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EL2 S3_4_C12_C11_0

/* gicregs: the host's GIC virtual interface registers as the last REC exit left them. */
void cmd_gicregs(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	printk("gicregs lrs=%lx,%lx,%lx,%lx ap0r0=%lx ap1r0=%lx hcr=%lx\n", read_sysreg(ICH_LR0_EL2),
	       read_sysreg(ICH_LR1_EL2), read_sysreg(ICH_LR2_EL2), read_sysreg(ICH_LR3_EL2),
	       read_sysreg(ICH_AP0R0_EL2), read_sysreg(ICH_AP1R0_EL2), read_sysreg(ICH_HCR_EL2));
}
