/* EL1 vectors: IRQs go to irq_handler(); anything else is reported and the partition powered off. */
.macro ventry target
	.balign	0x80
	b	\target
.endm
	.section .text.vectors, "ax"
	.balign	0x800
	.global guest_vectors
guest_vectors:
	.rept	4
	ventry	unexpected
	.endr
	ventry	unexpected	/* current EL, SP_ELx: sync */
	ventry	irq
	ventry	unexpected
	ventry	unexpected
	.rept	8
	ventry	unexpected
	.endr

irq:
	sub	sp, sp, #0xa0
	stp	x0, x1, [sp, #0x00]
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	stp	x8, x9, [sp, #0x40]
	stp	x10, x11, [sp, #0x50]
	stp	x12, x13, [sp, #0x60]
	stp	x14, x15, [sp, #0x70]
	stp	x16, x17, [sp, #0x80]
	stp	x18, x30, [sp, #0x90]
	bl	irq_handler
	ldp	x0, x1, [sp, #0x00]
	ldp	x2, x3, [sp, #0x10]
	ldp	x4, x5, [sp, #0x20]
	ldp	x6, x7, [sp, #0x30]
	ldp	x8, x9, [sp, #0x40]
	ldp	x10, x11, [sp, #0x50]
	ldp	x12, x13, [sp, #0x60]
	ldp	x14, x15, [sp, #0x70]
	ldp	x16, x17, [sp, #0x80]
	ldp	x18, x30, [sp, #0x90]
	add	sp, sp, #0xa0
	eret

unexpected:
	bl	guest_unexpected
	b	.
