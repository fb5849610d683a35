/*
 * What the host sees of a stage-2 abort's ESR_EL2 in a REC exit: the
 * fields RMM 1.0 A4.3.4.2 and A4.3.4.3 say are copied, every other bit
 * zero. A pure function of the syndrome, in a header of its own, so that
 * the host unit tests check it bit for bit (rec_exit.c needs the CPU).
 */
#ifndef RMM_REC_EXIT_ESR_H
#define RMM_REC_EXIT_ESR_H
#include <stdint.h>
#include <arch/sysreg.h>

#define ESR_EA BIT(9)
#define ESR_FNV BIT(10)
#define ESR_SET_MASK (3UL << 11)
#define ESR_EC_FIELD (ESR_EC_MASK << ESR_EC_SHIFT)

/*
 * A4.3.4.3, every REC exit due to Data Abort: "exit.esr.EC ... exit.esr.ISS.SET
 * ... exit.esr.ISS.FnV ... exit.esr.ISS.EA ... exit.esr.ISS.DFSC contains the
 * value of ESR_EL2.<field> at the time of the Realm exit"; "all other exit
 * fields ... are zero".
 */
#define ESR_DABT_COMMON (ESR_EC_FIELD | ESR_SET_MASK | ESR_FNV | ESR_EA | ESR_FSC_MASK)
/*
 * Emulatable (ISV = 1 at an unprotected IPA): also ISS.ISV, ISS.SAS, ISS.SF and
 * ISS.WnR. Not IL, and not SSE or SRT: the RMM completes the load itself.
 */
#define ESR_EMUL_MASK                                                                               \
	(ESR_DABT_COMMON | ESR_DABT_ISV | (ESR_DABT_SAS_MASK << ESR_DABT_SAS_SHIFT) | ESR_DABT_SF | \
	 ESR_DABT_WNR)
/* "On REC exit due to Non-emulatable Data Abort at an Unprotected IPA ... exit.esr.IL". */
#define ESR_UNPROT_NONEMUL_MASK (ESR_DABT_COMMON | ESR_IL)
/* A4.3.4.2, Instruction Abort: EC, ISS.SET, ISS.EA and ISS.IFSC only (no FnV). */
#define ESR_IABT_MASK (ESR_EC_FIELD | ESR_SET_MASK | ESR_EA | ESR_FSC_MASK)

/* The kinds of abort a REC exit reports, each with its own set of ESR fields. */
enum rec_abort_kind {
	REC_ABORT_EMULATABLE,	  /* data abort at an unprotected IPA with ISV = 1 */
	REC_ABORT_UNPROT_NONEMUL, /* data abort at an unprotected IPA with ISV = 0 */
	REC_ABORT_PROTECTED_DATA, /* data abort at a protected IPA (RAM without DATA, DESTROYED) */
	REC_ABORT_PROTECTED_INSN, /* instruction abort at a protected IPA (likewise) */
};

static inline uint64_t rec_exit_abort_esr(uint64_t esr, enum rec_abort_kind kind)
{
	switch (kind) {
	case REC_ABORT_EMULATABLE:
		return esr & ESR_EMUL_MASK;
	case REC_ABORT_UNPROT_NONEMUL:
		return esr & ESR_UNPROT_NONEMUL_MASK;
	case REC_ABORT_PROTECTED_INSN:
		return esr & ESR_IABT_MASK;
	case REC_ABORT_PROTECTED_DATA:
	default:
		return esr & ESR_DABT_COMMON;
	}
}
#endif
