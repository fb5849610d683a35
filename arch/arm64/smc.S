/*
 * smc_call(args) / hvc_call(args): x0..x7 from args, the call, x0..x7 back
 * into args. Both conduits share one body; only the instruction differs.
 */
.macro conduit_call name, insn
	.section .text.\name, "ax"
	.global \name
\name:
	str	x0, [sp, #-16]!
	ldp	x6, x7, [x0, #48]
	ldp	x4, x5, [x0, #32]
	ldp	x2, x3, [x0, #16]
	ldp	x0, x1, [x0]
	\insn	#0
	ldr	x8, [sp], #16
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ret
.endm

	conduit_call smc_call, smc
/* A guest whose firmware answers PSCI through HVC (bare QEMU at EL1). */
	conduit_call hvc_call, hvc
