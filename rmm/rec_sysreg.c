/*
 * Trapped system register accesses of a realm. HCR_EL2.TID3 traps the ID
 * registers, which the realm sees sanitised: only features whose state the
 * RMM switches, or that need no state, are shown (reference §6.7). MDCR_EL2
 * traps the PMU, debug and trace registers: read-as-zero, writes ignored,
 * matching ID_AA64DFR0_EL1.PMUVer = 0. GIC SGI generation is the host's
 * business (it owns the virtual distributor) and leaves as a REC exit.
 */
#include <arch/sysreg.h>
#include <rampart/rmi.h>
#include "rec_ctx.h"
#include "rec_sysreg.h"

#define SYSREG_KEY ESR_SYSREG_KEY /* arch/sysreg.h: Op0, Op1, CRn, CRm, Op2 as an MSR/MRS ISS */
/* The ID register space TID3 traps: Op0 3, Op1 0, CRn 0, CRm 1..7. */
#define SYSREG_ID_SPACE_MASK SYSREG_KEY(3, 7, 15, 0, 0)
#define SYSREG_ID_SPACE SYSREG_KEY(3, 0, 0, 0, 0)
#define SYSREG_CRM(key) (((key) >> 1) & 0xfU)

#define ID_AA64PFR0 SYSREG_KEY(3, 0, 0, 4, 0)
#define ID_AA64PFR1 SYSREG_KEY(3, 0, 0, 4, 1)
#define ID_AA64DFR0 SYSREG_KEY(3, 0, 0, 5, 0)
#define ID_AA64ISAR0 SYSREG_KEY(3, 0, 0, 6, 0)
#define ID_AA64ISAR1 SYSREG_KEY(3, 0, 0, 6, 1)
#define ID_AA64ISAR2 SYSREG_KEY(3, 0, 0, 6, 2)
#define ID_AA64MMFR0 SYSREG_KEY(3, 0, 0, 7, 0)
#define ID_AA64MMFR1 SYSREG_KEY(3, 0, 0, 7, 1)
#define ID_AA64MMFR2 SYSREG_KEY(3, 0, 0, 7, 2)

#define ICC_DIR_EL1 SYSREG_KEY(3, 0, 12, 11, 1)
#define ICC_SGI1R_EL1 SYSREG_KEY(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1 SYSREG_KEY(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1 SYSREG_KEY(3, 0, 12, 11, 7)

#define FIELD(shift) (0xfUL << (shift))
/* What a realm may see of each register (everything else reads as zero). */
#define PFR0_KEEP \
	(0x0fffffffUL | FIELD(48) | FIELD(56) | FIELD(60)) /* ELx, FP, AdvSIMD, GIC, DIT, CSV2, CSV3 */
#define PFR0_RAS FIELD(28)
#define PFR1_KEEP (FIELD(0) | FIELD(4) | FIELD(32)) /* BT, SSBS, CSV2_frac */
#define DFR0_KEEP (FIELD(0) | FIELD(36))	    /* DebugVer, DoubleLock */
#define DFR0_BRPS_SHIFT 12
#define DFR0_WRPS_SHIFT 20
#define ISAR1_LS64 FIELD(60)
#define ISAR2_MOPS FIELD(16)
#define MMFR0_HIDE (FIELD(56) | FIELD(60))	      /* FGT, ECV: EL2/EL3 features EL3 does not enable */
#define MMFR1_HIDE (FIELD(8) | FIELD(16) | FIELD(40)) /* VH, LO (TLOR traps it), HCX */
#define MMFR2_HIDE (FIELD(24) | FIELD(52))	      /* NV, BBM (reference §6.8) */

static struct {
	uint64_t pfr0, pfr1, dfr0, isar0, isar1, isar2, mmfr0, mmfr1, mmfr2;
} id;

void rec_sysreg_init(void)
{
	id.pfr0 = read_sysreg(id_aa64pfr0_el1) & PFR0_KEEP & ~PFR0_RAS;
	id.pfr1 = read_sysreg(id_aa64pfr1_el1) & PFR1_KEEP;
	id.dfr0 = read_sysreg(id_aa64dfr0_el1) & DFR0_KEEP;
	id.isar0 = read_sysreg(id_aa64isar0_el1);
	id.isar1 = read_sysreg(id_aa64isar1_el1) & ~ISAR1_LS64;
	/* MOPS needs HCRX_EL2.MSCEn, which only a CPU with FEAT_HCX has. */
	id.isar2 = read_sysreg(id_aa64isar2_el1) & (rec_have_ext_el2 ? ~0UL : ~ISAR2_MOPS);
	id.mmfr0 = read_sysreg(id_aa64mmfr0_el1) & ~MMFR0_HIDE;
	id.mmfr1 = read_sysreg(id_aa64mmfr1_el1) & ~MMFR1_HIDE;
	id.mmfr2 = read_sysreg(id_aa64mmfr2_el1) & ~MMFR2_HIDE;
}

uint64_t rec_id_reg_value(const struct rec_run *run, uint32_t key)
{
	switch (key) {
	case ID_AA64PFR0:
		return id.pfr0;
	case ID_AA64PFR1:
		return id.pfr1;
	case ID_AA64DFR0:
		/* The breakpoints and watchpoints the host gave the realm (RmiRealmParams). */
		return id.dfr0 | ((uint64_t)run->num_bps << DFR0_BRPS_SHIFT) |
		       ((uint64_t)run->num_wps << DFR0_WRPS_SHIFT);
	case ID_AA64ISAR0:
		return id.isar0;
	case ID_AA64ISAR1:
		return id.isar1;
	case ID_AA64ISAR2:
		return id.isar2;
	case ID_AA64MMFR0:
		return id.mmfr0;
	case ID_AA64MMFR1:
		return id.mmfr1;
	case ID_AA64MMFR2:
		return id.mmfr2;
	default: /* SVE, SME, AArch32, AFR, DFR1, ISAR3, MMFR3/4: nothing a realm may use */
		return 0;
	}
}

enum rec_action rec_sysreg_trap(struct rec_run *run, uint64_t esr)
{
	struct rec *rec = run->rec;
	uint32_t key = (uint32_t)esr & ESR_SYSREG_KEY_MASK;
	unsigned int rt = ((uint32_t)esr >> ESR_SYSREG_RT_SHIFT) & ESR_SYSREG_RT_MASK;

	rec->pc += 4; /* a trapped MSR/MRS returns to itself */
	if (esr & ESR_SYSREG_READ) {
		uint64_t v = 0;
		if ((key & SYSREG_ID_SPACE_MASK) == SYSREG_ID_SPACE && SYSREG_CRM(key) != 0)
			v = rec_id_reg_value(run, key);
		if (rt != GPR_XZR)
			rec->gprs[rt] = v;
		return REC_RESUME;
	}
	if (key == ICC_SGI1R_EL1 || key == ICC_ASGI1R_EL1 || key == ICC_SGI0R_EL1 ||
	    (key == ICC_DIR_EL1 && (rec->gic.hcr & ICH_HCR_TDIR))) {
		run->exit->exit_reason = RMI_EXIT_SYNC;
		run->exit->esr = esr;
		run->exit->gprs[0] = rt == GPR_XZR ? 0 : rec->gprs[rt];
		return REC_EXIT;
	}
	return REC_RESUME; /* write ignored */
}
