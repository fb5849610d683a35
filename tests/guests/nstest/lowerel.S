/*
 * Running a few instructions at EL1 for the security tests and coming back
 * to NS-EL2: uint64_t nstest_a32_smc(uint64_t x0) runs "SMC #0; HVC #0" in
 * AArch32 state at EL1 (MMU off, the caller's r0 = x0) and returns r0 after
 * the SMC, that is the monitor's answer. The HVC lands in this file's own
 * vector table, which restores the caller's EL2 state and returns.
 */
	.text
	.global	nstest_a32_smc
nstest_a32_smc:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x9, a32_saved
	add	x9, x9, :lo12:a32_saved
	mov	x10, sp
	mrs	x11, vbar_el2
	mrs	x12, hcr_el2
	stp	x10, x11, [x9]
	str	x12, [x9, #16]
	adrp	x10, a32_vectors
	add	x10, x10, :lo12:a32_vectors
	msr	vbar_el2, x10
	bic	x12, x12, #(1 << 31)	/* HCR_EL2.RW = 0: EL1 is AArch32 */
	bic	x12, x12, #(1 << 27)	/* TGE = 0 */
	bic	x12, x12, #(1 << 19)	/* TSC = 0: the SMC goes to EL3 */
	bic	x12, x12, #1		/* VM = 0 */
	msr	hcr_el2, x12
	adrp	x10, a32_code
	add	x10, x10, :lo12:a32_code
	msr	elr_el2, x10
	mov	x10, #0x1d3		/* AArch32 Supervisor mode, A, I, F masked */
	msr	spsr_el2, x10
	isb
	eret

a32_back:
	adrp	x9, a32_saved
	add	x9, x9, :lo12:a32_saved
	ldp	x10, x11, [x9]
	ldr	x12, [x9, #16]
	mov	sp, x10
	msr	vbar_el2, x11
	msr	hcr_el2, x12
	isb
	and	x0, x0, #0xffffffff	/* r0 */
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.balign	4
a32_code:
	.word	0xe1600070		/* SMC #0 (A32) */
	.word	0xe1400070		/* HVC #0 (A32) */
	.word	0xeafffffe		/* B . */

/* Every vector: back to the caller (only the HVC from AArch32 is expected). */
	.balign	0x800
a32_vectors:
	.rept	16
	.balign	0x80
	b	a32_back
	.endr

	.bss
	.balign	8
a32_saved:
	.space	24

/*
 * void nstest_smstart(void): streaming SVE mode on at NS-EL2 (CPTR_EL2.TSM
 * off, the largest SVL) and left on, as a careless host would.
 */
#define SMCR_EL2 S3_4_C1_C2_6
	.text
	.global	nstest_smstart
nstest_smstart:
	mrs	x0, cptr_el2
	bic	x0, x0, #(1 << 12)	/* TSM */
	msr	cptr_el2, x0
	isb
	mov	x0, #0xf
	msr	SMCR_EL2, x0
	isb
	.inst	0xd503437f		/* SMSTART SM */
	ret

/*
 * void nstest_pmu_smc(uint64_t x[8], uint64_t sample[6]): SMC #0 with x[0..7]
 * (results back into x[0..4]), with PMEVCNTR0, PMEVCNTR1 and PMCCNTR read
 * right before and right after it into sample[0..2] and sample[3..5]: the
 * same EL2 instructions lie between the samples whatever the call.
 */
	.global	nstest_pmu_smc
nstest_pmu_smc:
	stp	x19, x20, [sp, #-16]!
	mov	x19, x0
	mov	x20, x1
	ldp	x0, x1, [x19]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	isb
	mrs	x10, pmevcntr0_el0
	mrs	x11, pmevcntr1_el0
	mrs	x12, pmccntr_el0
	smc	#0
	mrs	x13, pmevcntr0_el0
	mrs	x14, pmevcntr1_el0
	mrs	x15, pmccntr_el0
	stp	x10, x11, [x20]
	stp	x12, x13, [x20, #16]
	stp	x14, x15, [x20, #32]
	stp	x0, x1, [x19]
	stp	x2, x3, [x19, #16]
	str	x4, [x19, #32]
	ldp	x19, x20, [sp], #16
	ret
