/*
 * Running a REC (reference §1.12, §1.14, §6.7): load its state, ERET,
 * and handle what brings it back. Whatever the RMM can answer itself (RSI,
 * PSCI queries, ID registers, FP traps, HVC) is answered without leaving;
 * the rest becomes a REC exit for the host, with only what the host needs
 * to see (sanitised ESR, FAR page offset, HPFAR).
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include "rec_ctx.h"
#include "rec_exit_esr.h"
#include "rmm_asm.h"
#include "rec_run.h"
#include "rec_sysreg.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "vmid.h"

/* HCR_EL2 of a running realm (E2H = 0). */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_PTW BIT(2)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_FB BIT(9)
#define HCR_BSU_IS BIT(10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20) /* IMPLEMENTATION DEFINED registers: RAZ/WI for a realm */
#define HCR_TACR BIT(21)  /* ACTLR_EL1: the host's stays in force; the realm neither sees nor sets it */
#define HCR_TERR BIT(36)  /* RAS error records (FEAT_RAS), hidden from realms by ID_AA64PFR0 */
#define HCR_RW BIT(31)
#define HCR_TLOR BIT(35)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)
#define HCR_FWB BIT(46)
#define HCR_REALM                                                                                     \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TID3 | \
	 HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW | HCR_TLOR | HCR_APK | HCR_API | HCR_FWB)

/* CPTR_EL2 (E2H = 0): trap FP until first use, SVE, SME, trace and activity monitors always. */
#define CPTR_TZ BIT(8)
#define CPTR_TFP BIT(10)
#define CPTR_TSM BIT(12)
#define CPTR_TTA BIT(20)
#define CPTR_TAM BIT(30)
#define CPTR_REALM (CPTR_EL2_RES1 | CPTR_TZ | CPTR_TSM | CPTR_TTA | CPTR_TAM)

/* MDCR_EL2: PMU, debug, trace and statistical profiling all trap (RAZ/WI, rec_sysreg.c). */
#define MDCR_HPMN_MASK 0x1fUL
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDE BIT(8)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define MDCR_TPMS BIT(14)
#define MDCR_HPMD BIT(17)
#define MDCR_TTRF BIT(19)
#define MDCR_HCCD BIT(23) /* FEAT_PMUv3p5: no cycle counting at EL2 (rmm_mdcr_el2()) */
#define MDCR_REALM \
	(MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | MDCR_TPMS | MDCR_HPMD | MDCR_TTRF)

/* CNTHCTL_EL2 (E2H = 0): EL1 may use the physical counter and timer; RME's output masks. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)
#define CNTHCTL_CNTVMASK BIT(18)
#define CNTHCTL_CNTPMASK BIT(19)

/* VTCR_EL2 for a realm's stage 2: 4 KiB granule, Inner Shareable write-back walks. */
#define VTCR_T0SZ(bits) (64UL - (bits))
#define VTCR_SL0_SHIFT 6
#define VTCR_IRGN0_WBWA (1UL << 8)
#define VTCR_ORGN0_WBWA (1UL << 10)
#define VTCR_SH0_IS (3UL << 12)
#define VTCR_PS_SHIFT 16
#define VTCR_VS BIT(19)
#define VTCR_RES1 BIT(31)
#define VTTBR_VMID_SHIFT 48
#define ID_AA64MMFR0_PARANGE_MASK 0x7UL

#define HCRX_MSCEN BIT(11) /* FEAT_MOPS at EL1/EL0 */

/* SPSR / PSTATE */
#define PSTATE_M_MASK 0xfUL
#define PSTATE_EL0T 0x0UL
#define PSTATE_EL1T 0x4UL
#define PSTATE_EL1H 0x5UL
#define PSTATE_DAIF (0xfUL << 6)
#define PSTATE_PAN BIT(22)
#define SCTLR_EL1_SPAN BIT(23)
/* Vector offsets from VBAR_EL1 of a synchronous exception. */
#define VEC_CUR_SP0 0x000UL
#define VEC_CUR_SPX 0x200UL
#define VEC_LOWER_A64 0x400UL

/* ESR fields. */
#define EC_WFX 0x01
#define EC_FP 0x07
#define EC_PAUTH 0x09
#define EC_SVE 0x19
#define EC_SME 0x1d
#define ESR_FSC_SEA 0x10UL
#define ESR_FSC_TRANSLATION(level) (0x04UL + (uint64_t)(level))
#define ESR_S1PTW BIT(7)
#define ESR_WFX_TI_MASK 3UL
#define HPFAR_FIPA_MASK 0x00000ffffffffff0UL
#define HPFAR_FIPA_TO_IPA_SHIFT 8
#define FAR_PAGE_OFFSET_MASK 0xfffUL
#define AARCH64_INSN_SIZE 4

static uint64_t esr_make(unsigned int ec, uint64_t iss)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
}

/* Take a synchronous exception to the realm's EL1, as the hardware would. */
static void inject_sync(struct rec_run *run, uint64_t esr, uint64_t far, int has_far)
{
	struct rec *rec = run->rec;
	uint64_t mode = rec->pstate & PSTATE_M_MASK;
	uint64_t off = mode == PSTATE_EL1H ? VEC_CUR_SPX : mode == PSTATE_EL1T ? VEC_CUR_SP0 : VEC_LOWER_A64;
	uint64_t pstate = PSTATE_EL1H | PSTATE_DAIF;

	/* PAN is set on entry unless SCTLR_EL1.SPAN says to keep it. */
	if (!(read_sysreg(sctlr_el1) & SCTLR_EL1_SPAN))
		pstate |= PSTATE_PAN;
	else
		pstate |= rec->pstate & PSTATE_PAN;
	write_sysreg(elr_el1, rec->pc);
	write_sysreg(spsr_el1, rec->pstate);
	write_sysreg(esr_el1, esr);
	if (has_far)
		write_sysreg(far_el1, far);
	rec->pc = read_sysreg(vbar_el1) + off;
	rec->pstate = pstate;
}

void rec_inject_undef(struct rec_run *run)
{
	inject_sync(run, esr_make(ESR_EC_UNKNOWN, 0), 0, 0);
}

void rec_inject_sea(struct rec_run *run, uint64_t far)
{
	int from_el0 = (run->rec->pstate & PSTATE_M_MASK) == PSTATE_EL0T;

	inject_sync(run, esr_make(from_el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR, ESR_FSC_SEA), far, 1);
}

void rec_exit_host_fault(struct rec_run *run, uint64_t ipa, int level)
{
	run->exit->exit_reason = RMI_EXIT_SYNC;
	run->exit->esr = rec_exit_abort_esr(esr_make(ESR_EC_DABT_LOW, ESR_FSC_TRANSLATION(level)),
					    REC_ABORT_PROTECTED_DATA);
	run->exit->far = 0;
	run->exit->hpfar = (ipa >> HPFAR_FIPA_TO_IPA_SHIFT) & HPFAR_FIPA_MASK;
}

static enum rec_action exit_sync(struct rec_run *run, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	run->exit->exit_reason = RMI_EXIT_SYNC;
	run->exit->esr = esr;
	run->exit->far = far;
	run->exit->hpfar = hpfar;
	return REC_EXIT;
}

/* A stage-2 abort: emulatable MMIO at an unprotected IPA, the host's page to fill, or an SEA. */
static enum rec_action handle_abort(struct rec_run *run, uint64_t esr, int is_data)
{
	struct rec *rec = run->rec;
	uint64_t far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2) & HPFAR_FIPA_MASK;
	uint64_t ipa = (hpfar << HPFAR_FIPA_TO_IPA_SHIFT) | (far & FAR_PAGE_OFFSET_MASK);

	if (ipa >= s2_ipa_size(&run->s2)) {
		rec_inject_sea(run, far);
		return REC_RESUME;
	}
	if (!s2_addr_in_par(&run->s2, ipa)) {
		if (!is_data || (esr & ESR_S1PTW)) {
			/* Instructions and stage-1 tables never come from host memory. */
			rec_inject_sea(run, far);
			return REC_RESUME;
		}
		rec->pend.mmio_esr = esr;
		rec->pend.mmio_far = far;
		if (!(esr & ESR_DABT_ISV))
			return exit_sync(run, rec_exit_abort_esr(esr, REC_ABORT_UNPROT_NONEMUL), 0, hpfar);
		if (esr & ESR_DABT_WNR) {
			unsigned int rt = esr_dabt_rt(esr), bits = 8 * esr_dabt_size(esr);
			uint64_t v = rt == GPR_XZR ? 0 : rec->gprs[rt];
			run->exit->gprs[0] = bits < 64 ? v & ((1UL << bits) - 1) : v;
		}
		return exit_sync(run, rec_exit_abort_esr(esr, REC_ABORT_EMULATABLE),
				 far & FAR_PAGE_OFFSET_MASK, hpfar);
	}

	struct rtt_walk w;
	uint64_t pa;
	int level;
	switch (realm_mem_lock(run, ipa, &w, &pa, &level)) {
	case REALM_MEM_OK:
		/* Mapped since the walk faulted (a racing host command): try again. */
		rtt_walk_unlock(&w);
		return REC_RESUME;
	case REALM_MEM_HOST:
	case REALM_MEM_DESTROYED:
		return exit_sync(run,
				 rec_exit_abort_esr(esr, is_data ? REC_ABORT_PROTECTED_DATA
								 : REC_ABORT_PROTECTED_INSN),
				 0, hpfar);
	case REALM_MEM_EMPTY:
	default:
		rec_inject_sea(run, far);
		return REC_RESUME;
	}
}

static enum rec_action handle_sync(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t esr = read_sysreg(esr_el2);

	switch (esr_ec(esr)) {
	case ESR_EC_SMC64:
		rec->pc += AARCH64_INSN_SIZE; /* a trapped SMC returns to itself */
		return rsi_handle(run);
	case ESR_EC_DABT_LOW:
		return handle_abort(run, esr, 1);
	case ESR_EC_IABT_LOW:
		return handle_abort(run, esr, 0);
	case ESR_EC_SYSREG:
		return rec_sysreg_trap(run, esr);
	case EC_WFX:
		rec->pc += AARCH64_INSN_SIZE;
		return exit_sync(run, esr & (ESR_EC_FIELD | ESR_IL | ESR_WFX_TI_MASK), 0, 0);
	case EC_FP:
		if (!run->fp_loaded) {
			rec_fp_load_realm(rec);
			run->fp_loaded = 1;
		}
		return REC_RESUME;
	case ESR_EC_HVC64:
		/* HVC is not a realm interface: UNDEFINED at the HVC itself. */
		rec->pc -= AARCH64_INSN_SIZE;
		rec_inject_undef(run);
		return REC_RESUME;
	default: /* SVE, SME, PAuth traps and anything unexpected */
		rec_inject_undef(run);
		return REC_RESUME;
	}
}

static enum rec_action handle_exception(struct rec_run *run, unsigned int type)
{
	switch (type) {
	case REALM_EXC_SYNC:
		return handle_sync(run);
	case REALM_EXC_IRQ:
		run->exit->exit_reason = RMI_EXIT_IRQ;
		return REC_EXIT;
	case REALM_EXC_FIQ:
		run->exit->exit_reason = RMI_EXIT_FIQ;
		return REC_EXIT;
	default:
		run->exit->exit_reason = RMI_EXIT_SERROR;
		run->exit->esr = read_sysreg(esr_el2);
		return REC_EXIT;
	}
}

static uint64_t realm_vtcr(const struct s2_ctx *s2)
{
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	uint64_t vtcr = VTCR_RES1 | VTCR_T0SZ(s2->ipa_bits) |
			((uint64_t)(2 - s2->start_level) << VTCR_SL0_SHIFT) | VTCR_IRGN0_WBWA |
			VTCR_ORGN0_WBWA | VTCR_SH0_IS | (ps << VTCR_PS_SHIFT);

	return rmm_vmid_bits == 16 ? vtcr | VTCR_VS : vtcr;
}

/* The realm's EL2 guest-group registers (the NS values are saved already). */
static void load_realm_el2(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t cnthctl = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;

	/* A timer still asserted at the last exit is the host's to inject; keep its PPI quiet. */
	if (rec->pend.timers & REC_TIMER_V)
		cnthctl |= CNTHCTL_CNTVMASK;
	if (rec->pend.timers & REC_TIMER_P)
		cnthctl |= CNTHCTL_CNTPMASK;
	write_sysreg(vttbr_el2, run->s2.rtt_base | ((uint64_t)run->s2.vmid << VTTBR_VMID_SHIFT));
	write_sysreg(vtcr_el2, realm_vtcr(&run->s2));
	write_sysreg(vmpidr_el2, rec->vmpidr_el2);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cnthctl_el2, cnthctl);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(hstr_el2, 0);
	write_sysreg(hacr_el2, 0);
	/* Realms have no RAS (ID_AA64PFR0), but DISR_EL1 reaches VDISR_EL2: the REC's own. */
	if (rec_have_ras)
		write_sysreg(VDISR_EL2, rec->el1.disr);
	if (rec_have_ext_el2) {
		/* No fine-grained traps: the "n" bits at 0 trap what EL3 left disabled anyway. */
		write_sysreg(HFGRTR_EL2, 0);
		write_sysreg(HFGWTR_EL2, 0);
		write_sysreg(HFGITR_EL2, 0);
		write_sysreg(HDFGRTR_EL2, 0);
		write_sysreg(HDFGWTR_EL2, 0);
		write_sysreg(HCRX_EL2, HCRX_MSCEN);
	}
}

void rec_run_until_exit(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t hcr_rmm = read_sysreg(hcr_el2), cptr_rmm = read_sysreg(cptr_el2);
	uint64_t mdcr_rmm = read_sysreg(mdcr_el2);
	uint64_t hcr = HCR_REALM | (rec_have_ras ? HCR_TERR : 0);

	if (run->enter_flags & RMI_REC_ENTER_TRAP_WFI)
		hcr |= HCR_TWI;
	if (run->enter_flags & RMI_REC_ENTER_TRAP_WFE)
		hcr |= HCR_TWE;
	rec_ns_save();
	rec_host_obs_stop();
	rec_el1_restore(&rec->el1);
	load_realm_el2(run);
	rec_gic_restore(rec);
	write_sysreg(mdcr_el2, (mdcr_rmm & (MDCR_HPMN_MASK | MDCR_HCCD)) | MDCR_REALM);
	write_sysreg(hcr_el2, hcr);
	isb();
	if (run->inject_sea)
		rec_inject_sea(run, rec->pend.mmio_far);

	for (;;) {
		write_sysreg(elr_el2, rec->pc);
		write_sysreg(spsr_el2, rec->pstate);
		write_sysreg(cptr_el2, run->fp_loaded ? CPTR_REALM : CPTR_REALM | CPTR_TFP);
		isb();
		unsigned int type = realm_run(rec->gprs);
		/* The RMM's own CPTR while it handles the exit (SHA-256 uses FP/SIMD). */
		write_sysreg(cptr_el2, cptr_rmm);
		isb();
		rec->pc = read_sysreg(elr_el2);
		rec->pstate = read_sysreg(spsr_el2);
		if (handle_exception(run, type) == REC_EXIT)
			break;
	}

	rec_el1_save(&rec->el1);
	if (rec_have_ras)
		rec->el1.disr = read_sysreg(VDISR_EL2);
	rec_gic_save(rec);
	if (run->fp_loaded)
		rec_fp_put_realm(rec);
	write_sysreg(hcr_el2, hcr_rmm);
	write_sysreg(mdcr_el2, mdcr_rmm);
	rec_host_obs_resume();
	rec_ns_restore();
	rec_exit_report_state(run);
}
