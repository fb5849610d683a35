/*
 * What the host could watch a realm with (security review, findings 2 and
 * 3): its self-hosted debug state and its PMU. Neither is switched by EL3
 * and a realm traps both (MDCR_EL2 in rec_exit.c), so while a realm runs
 * the host's own settings would apply to it: a host watchpoint or
 * breakpoint on a realm address fires in the realm's EL1 (fault injection,
 * and a "did the realm touch this" oracle), and the host's counters count
 * the realm's instructions and cycles.
 *
 * Around every run of a REC the RMM therefore turns the host's debug
 * exceptions off (MDSCR_EL1 = 0, every breakpoint and watchpoint control
 * register disabled) and stops its counters (PMCR_EL0.E = 0), and gives
 * them back unchanged at the exit. When the host has none of it on (the
 * usual case) this costs one register read each. The RMM's own execution
 * at R-EL2 is kept out of the counters by its MDCR_EL2 (HPMD, HCCD), set
 * once per CPU at boot.
 */
#include <arch/sysreg.h>
#include "rec_ctx.h"
#include "rmm_arch.h"
#include "rmm.h"

#define ID_AA64DFR0_PMUVER(v) (((v) >> 8) & 0xfUL)
#define ID_AA64DFR0_BRPS(v) (((v) >> 12) & 0xfUL)
#define ID_AA64DFR0_WRPS(v) (((v) >> 20) & 0xfUL)
#define PMUVER_NONE 0x0UL
#define PMUVER_IMPDEF 0xfUL
#define PMUVER_V3P5 0x6UL
#define PMCR_E BIT(0)
#define PMCR_P BIT(1) /* write 1: reset the event counters */
#define PMCR_C BIT(2) /* write 1: reset the cycle counter */
#define PMCR_N(v) (((v) >> 11) & 0x1fUL)
#define MDCR_HPMD BIT(17)
#define MDCR_HCCD BIT(23)
#define MDSCR_EL1_OFF 0UL
#define DBG_MAX 16

static unsigned int num_brps, num_wps;
static int have_pmu, have_pmuv3p5;

/* The host's state on this CPU while one of its RECs runs. */
static struct host_obs {
	uint64_t mdscr, pmcr;
	uint64_t bcr[DBG_MAX], wcr[DBG_MAX];
	uint8_t dbg_off, pmu_off; /* what rec_host_obs_stop() turned off */
} host_obs[CONFIG_NR_CPUS];

#define DBG_CASE(n)                                                \
	case n:                                                    \
		if (bcr) {                                         \
			if (save)                                  \
				*v = read_sysreg(dbgbcr##n##_el1); \
			else                                       \
				write_sysreg(dbgbcr##n##_el1, *v); \
		} else {                                           \
			if (save)                                  \
				*v = read_sysreg(dbgwcr##n##_el1); \
			else                                       \
				write_sysreg(dbgwcr##n##_el1, *v); \
		}                                                  \
		break

/* DBGBCR<i>_EL1 (bcr) or DBGWCR<i>_EL1 to *v (save) or from it. */
static void dbg_cr_access(unsigned int i, int bcr, int save, uint64_t *v)
{
	switch (i) {
		DBG_CASE(0);
		DBG_CASE(1);
		DBG_CASE(2);
		DBG_CASE(3);
		DBG_CASE(4);
		DBG_CASE(5);
		DBG_CASE(6);
		DBG_CASE(7);
		DBG_CASE(8);
		DBG_CASE(9);
		DBG_CASE(10);
		DBG_CASE(11);
		DBG_CASE(12);
		DBG_CASE(13);
		DBG_CASE(14);
		DBG_CASE(15);
	default:
		break;
	}
}

void rec_host_obs_init(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1), pmuver = ID_AA64DFR0_PMUVER(dfr0);

	num_brps = (unsigned int)ID_AA64DFR0_BRPS(dfr0) + 1;
	num_wps = (unsigned int)ID_AA64DFR0_WRPS(dfr0) + 1;
	have_pmu = pmuver != PMUVER_NONE && pmuver != PMUVER_IMPDEF;
	have_pmuv3p5 = have_pmu && pmuver >= PMUVER_V3P5;
}

uint64_t rmm_mdcr_el2(void)
{
	uint64_t mdcr = 0;

	if (have_pmu) /* every counter stays the host's (HPMN = N), none counts at R-EL2 */
		mdcr = PMCR_N(read_sysreg(pmcr_el0)) | MDCR_HPMD | (have_pmuv3p5 ? MDCR_HCCD : 0);
	return mdcr;
}

void rec_host_obs_stop(void)
{
	struct host_obs *h = &host_obs[rmm_cpu_index()];
	uint64_t zero = 0;

	h->mdscr = read_sysreg(mdscr_el1);
	h->dbg_off = h->mdscr != MDSCR_EL1_OFF;
	if (h->dbg_off) {
		write_sysreg(mdscr_el1, MDSCR_EL1_OFF);
		for (unsigned int i = 0; i < num_brps; i++) {
			dbg_cr_access(i, 1, 1, &h->bcr[i]);
			dbg_cr_access(i, 1, 0, &zero);
		}
		for (unsigned int i = 0; i < num_wps; i++) {
			dbg_cr_access(i, 0, 1, &h->wcr[i]);
			dbg_cr_access(i, 0, 0, &zero);
		}
	}
	h->pmu_off = 0;
	if (have_pmu) {
		h->pmcr = read_sysreg(pmcr_el0);
		if (h->pmcr & PMCR_E) {
			write_sysreg(pmcr_el0, h->pmcr & ~(PMCR_E | PMCR_P | PMCR_C));
			h->pmu_off = 1;
		}
	}
	isb();
}

void rec_host_obs_resume(void)
{
	struct host_obs *h = &host_obs[rmm_cpu_index()];

	if (h->dbg_off) {
		for (unsigned int i = 0; i < num_brps; i++)
			dbg_cr_access(i, 1, 0, &h->bcr[i]);
		for (unsigned int i = 0; i < num_wps; i++)
			dbg_cr_access(i, 0, 0, &h->wcr[i]);
		write_sysreg(mdscr_el1, h->mdscr);
	}
	if (h->pmu_off)
		write_sysreg(pmcr_el0, h->pmcr & ~(PMCR_P | PMCR_C));
	isb();
}
