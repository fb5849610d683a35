/*
 * The owner's FP/SIMD state, as the FP/SIMD tests see it: fill V0-V31 and
 * FPCR with values derived from a seed, then count how many differ later.
 * A guarded SHA-256 must leave all of them as they were.
 */
	.arch	armv8-a+fp+simd
	.text

/* Vn = {seed + 2n, seed + 2n + 1} as two 64-bit lanes; FPCR.RMode = +Inf (0b01). */
	.global	simd_probe_fill
simd_probe_fill:
	mov	x1, x0
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fmov	d\n, x1
	add	x1, x1, #1
	mov	v\n\().d[1], x1
	add	x1, x1, #1
	.endr
	mov	x1, #(1 << 22)
	msr	fpcr, x1
	ret

/* Returns the number of V registers (and FPCR) that no longer hold simd_probe_fill(seed)'s values. */
	.global	simd_probe_check
simd_probe_check:
	mov	x1, x0
	mov	x0, #0
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fmov	x2, d\n
	mov	x3, v\n\().d[1]
	add	x4, x1, #1
	cmp	x2, x1
	ccmp	x3, x4, #0, eq
	cinc	x0, x0, ne
	add	x1, x1, #2
	.endr
	mrs	x2, fpcr
	cmp	x2, #(1 << 22)
	cinc	x0, x0, ne
	/* Give the FP/SIMD registers back in their reset state. */
	msr	fpcr, xzr
	ret
