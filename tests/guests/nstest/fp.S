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
