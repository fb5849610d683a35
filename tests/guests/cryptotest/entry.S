/*
 * cryptotest entry at NS-EL2, MMU off, CPU 0 only (x0 = 0). Clears .bss
 * with aligned stores (Device memory until the MMU is on), sets the stack
 * and vectors, and runs cryptotest_main, which ends with PSCI SYSTEM_OFF.
 */
#include "cryptotest_asm.h"

	.section .text.entry, "ax"
	.global cryptotest_entry
cryptotest_entry:
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
	adrp	x9, cryptotest_vectors
	add	x9, x9, :lo12:cryptotest_vectors
	msr	vbar_el2, x9
	isb
	bl	cryptotest_main
3:	wfi
	b	3b

/* Any exception is fatal: cryptotest_exception(vector) reports it and powers off. */
.macro ventry vec
	.balign	0x80
	mov	x0, #\vec
	b	cryptotest_exception
.endm

	.section .text.vectors, "ax"
	.balign	0x800
cryptotest_vectors:
	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\vec
	.endr
