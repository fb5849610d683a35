/* The host's own FP/SIMD register, for checking that realms neither see nor change it. */
	.arch	armv8.5-a+fp+simd
	.text
	.global	nstest_set_d0
nstest_set_d0:
	fmov	d0, x0
	ret
	.global	nstest_get_d0
nstest_get_d0:
	fmov	x0, d0
	ret

/*
 * SVE state wider than 128 bits, which a V-register save would lose:
 * nstest_sve_fill() sets the largest vector length and Z1.D = 1, 2, 3, ...
 * and returns the vector length in bytes; nstest_sve_last() returns the
 * last element of Z1.D (VL / 8 if Z1 survived).
 */
	.arch	armv8.2-a+sve
#define ZCR_EL2 S3_4_C1_C2_0
	.global	nstest_sve_fill
nstest_sve_fill:
	mov	x0, #0xf
	msr	ZCR_EL2, x0
	isb
	index	z1.d, #1, #1
	rdvl	x0, #1
	ret
	.global	nstest_sve_last
nstest_sve_last:
	ptrue	p1.d
	lastb	x0, p1, z1.d
	ret
