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

/* What the host sees of a data abort it can emulate, and of one it cannot. */
#define ESR_EMUL_MASK                                                                                     \
	(ESR_EC_FIELD | ESR_IL | ESR_DABT_ISV | (ESR_DABT_SAS_MASK << ESR_DABT_SAS_SHIFT) | ESR_DABT_SF | \
	 ESR_DABT_WNR | ESR_FSC_MASK)
#define ESR_NONEMUL_MASK (ESR_EC_FIELD | ESR_SET_MASK | ESR_FNV | ESR_EA | ESR_FSC_MASK)

/* The kinds of abort a REC exit reports, each with its own set of ESR fields. */
enum rec_abort_kind {
	REC_ABORT_EMULATABLE,	   /* data abort at an unprotected IPA with ISV = 1 */
	REC_ABORT_UNPROT_NONEMUL,  /* data abort at an unprotected IPA with ISV = 0 */
	REC_ABORT_PROTECTED_DATA,  /* data abort at a protected IPA (RAM without DATA, DESTROYED) */
	REC_ABORT_PROTECTED_INSN,  /* instruction abort at a protected IPA (likewise) */
};

static inline uint64_t rec_exit_abort_esr(uint64_t esr, enum rec_abort_kind kind)
{
	return esr & (kind == REC_ABORT_EMULATABLE ? ESR_EMUL_MASK : ESR_NONEMUL_MASK);
}
#endif
