/*
 * void cipapa_granule(uint64_t pa_with_pas): DC CIPAPA over one 4 KiB
 * granule, eight lines per iteration, then DSB OSH. Bits 63:62 of the
 * operand select the PAS (see gpt_el3.c). The assembler may not know the
 * instruction, hence its SYS encoding.
 */
	.section .text.cipapa, "ax"
	.global cipapa_granule
cipapa_granule:
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4
	mov	x3, #4
	lsl	x2, x3, x2		/* line size */
	add	x1, x0, #0x1000
1:
	.rept	8
	sys	#6, c7, c14, #1, x0
	add	x0, x0, x2
	.endr
	cmp	x0, x1
	b.lo	1b
	dsb	osh
	ret
