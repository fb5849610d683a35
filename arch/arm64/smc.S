	.section .text.smc_call, "ax"
	.global smc_call
smc_call:
	str	x0, [sp, #-16]!
	ldp	x6, x7, [x0, #48]
	ldp	x4, x5, [x0, #32]
	ldp	x2, x3, [x0, #16]
	ldp	x0, x1, [x0]
	smc	#0
	ldr	x8, [sp], #16
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ret

/* hvc_call(args): the same through HVC (a guest whose firmware answers there). */
	.section .text.hvc_call, "ax"
	.global hvc_call
hvc_call:
	str	x0, [sp, #-16]!
	ldp	x6, x7, [x0, #48]
	ldp	x4, x5, [x0, #32]
	ldp	x2, x3, [x0, #16]
	ldp	x0, x1, [x0]
	hvc	#0
	ldr	x8, [sp], #16
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ret
