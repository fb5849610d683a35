/* R-EL2 vectors: the RMM takes no exceptions of its own yet; any is fatal. */
.macro ventry
	.balign	0x80
	b	rmm_exception
.endm
	.section .text.vectors, "ax"
	.balign	0x800
	.global rmm_vectors
rmm_vectors:
	.rept	16
	ventry
	.endr
rmm_exception:
	bl	rmm_exception_panic
	b	rmm_exception
