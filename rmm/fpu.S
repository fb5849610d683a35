/*
 * The whole FP/SIMD/SVE register file of the current owner, for the RMM's
 * own use of those registers (realm FP state, SHA-256). With SVE the Z, P
 * and FFR registers are saved at the vector length EL2 has now: ZCR_EL2 is
 * the Normal world's (EL3 does not switch it), so that covers every vector
 * length the Normal world's state can have. Writing a V register zeroes
 * the Z bits above it, so a V-only save would lose them.
 * Not handled: a Normal world that left SME streaming mode on (PSTATE.SM).
 */
#include "rmm_asm.h"

	.arch	armv8.2-a+sve
	.text

/* void fpu_save(void *area, int sve): area has RMM_FPU_AREA_SIZE bytes. */
	.global	fpu_save
	.type	fpu_save, %function
fpu_save:
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [x0]
	add	x4, x0, #RMM_FPU_REGS_OFF
	cbz	w1, 1f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x4, #\n, mul vl]
	.endr
	addvl	x2, x4, #16
	addvl	x2, x2, #16
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x2, #\n, mul vl]
	.endr
	rdffr	p0.b
	str	p0, [x2, #16, mul vl]
	ldr	p0, [x2, #0, mul vl]
	ret
1:
	stp	q0, q1, [x4, #0]
	stp	q2, q3, [x4, #32]
	stp	q4, q5, [x4, #64]
	stp	q6, q7, [x4, #96]
	stp	q8, q9, [x4, #128]
	stp	q10, q11, [x4, #160]
	stp	q12, q13, [x4, #192]
	stp	q14, q15, [x4, #224]
	stp	q16, q17, [x4, #256]
	stp	q18, q19, [x4, #288]
	stp	q20, q21, [x4, #320]
	stp	q22, q23, [x4, #352]
	stp	q24, q25, [x4, #384]
	stp	q26, q27, [x4, #416]
	stp	q28, q29, [x4, #448]
	stp	q30, q31, [x4, #480]
	ret
	.size	fpu_save, . - fpu_save

/* void fpu_restore(const void *area, int sve) */
	.global	fpu_restore
	.type	fpu_restore, %function
fpu_restore:
	ldp	x2, x3, [x0]
	msr	fpsr, x2
	msr	fpcr, x3
	add	x4, x0, #RMM_FPU_REGS_OFF
	cbz	w1, 1f
	addvl	x2, x4, #16
	addvl	x2, x2, #16
	ldr	p0, [x2, #16, mul vl]
	wrffr	p0.b
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x2, #\n, mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x4, #\n, mul vl]
	.endr
	ret
1:
	ldp	q0, q1, [x4, #0]
	ldp	q2, q3, [x4, #32]
	ldp	q4, q5, [x4, #64]
	ldp	q6, q7, [x4, #96]
	ldp	q8, q9, [x4, #128]
	ldp	q10, q11, [x4, #160]
	ldp	q12, q13, [x4, #192]
	ldp	q14, q15, [x4, #224]
	ldp	q16, q17, [x4, #256]
	ldp	q18, q19, [x4, #288]
	ldp	q20, q21, [x4, #320]
	ldp	q22, q23, [x4, #352]
	ldp	q24, q25, [x4, #384]
	ldp	q26, q27, [x4, #416]
	ldp	q28, q29, [x4, #448]
	ldp	q30, q31, [x4, #480]
	ret
	.size	fpu_restore, . - fpu_restore
