#include <arch/asm_frame.h>

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
	push_caller_regs
	bl	irq_handler
	pop_caller_regs
	eret

unexpected:
	bl	guest_unexpected
	b	.
