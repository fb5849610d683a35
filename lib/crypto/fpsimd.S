/*
 * Save and restore of the FP/SIMD registers around SHA-256 (the only code in
 * lib/crypto that uses them), so that their owner's values survive. Plain
 * assembly: the C code of the library is built with -mgeneral-regs-only.
 */
	.arch	armv8-a+fp+simd
	.text

/* void crypto_fpsimd_save(struct crypto_fpsimd *s): V0-V31 at s, then FPSR and FPCR. */
	.global	crypto_fpsimd_save
	.type	crypto_fpsimd_save, %function
crypto_fpsimd_save:
	stp	q0, q1, [x0, #0x000]
	stp	q2, q3, [x0, #0x020]
	stp	q4, q5, [x0, #0x040]
	stp	q6, q7, [x0, #0x060]
	stp	q8, q9, [x0, #0x080]
	stp	q10, q11, [x0, #0x0a0]
	stp	q12, q13, [x0, #0x0c0]
	stp	q14, q15, [x0, #0x0e0]
	stp	q16, q17, [x0, #0x100]
	stp	q18, q19, [x0, #0x120]
	stp	q20, q21, [x0, #0x140]
	stp	q22, q23, [x0, #0x160]
	stp	q24, q25, [x0, #0x180]
	stp	q26, q27, [x0, #0x1a0]
	stp	q28, q29, [x0, #0x1c0]
	stp	q30, q31, [x0, #0x1e0]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	x1, [x0, #0x200]
	str	x2, [x0, #0x208]
	ret
	.size	crypto_fpsimd_save, . - crypto_fpsimd_save

/* void crypto_fpsimd_restore(const struct crypto_fpsimd *s) */
	.global	crypto_fpsimd_restore
	.type	crypto_fpsimd_restore, %function
crypto_fpsimd_restore:
	ldp	q0, q1, [x0, #0x000]
	ldp	q2, q3, [x0, #0x020]
	ldp	q4, q5, [x0, #0x040]
	ldp	q6, q7, [x0, #0x060]
	ldp	q8, q9, [x0, #0x080]
	ldp	q10, q11, [x0, #0x0a0]
	ldp	q12, q13, [x0, #0x0c0]
	ldp	q14, q15, [x0, #0x0e0]
	ldp	q16, q17, [x0, #0x100]
	ldp	q18, q19, [x0, #0x120]
	ldp	q20, q21, [x0, #0x140]
	ldp	q22, q23, [x0, #0x160]
	ldp	q24, q25, [x0, #0x180]
	ldp	q26, q27, [x0, #0x1a0]
	ldp	q28, q29, [x0, #0x1c0]
	ldp	q30, q31, [x0, #0x1e0]
	ldr	x1, [x0, #0x200]
	ldr	x2, [x0, #0x208]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
	.size	crypto_fpsimd_restore, . - crypto_fpsimd_restore
