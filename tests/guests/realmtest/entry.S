/*
 * Realm entry at EL1, MMU off. REC 0: x0 = 0 (REC_CREATE gprs). Others,
 * started by PSCI CPU_ON: x0 = context id = their index.
 */
#include <arch/asm_frame.h>
#include "realmtest.h"

	.section .text.entry, "ax"
	.global _start
_start:
	mov	x19, x0
	mov	x20, x1
	and	x9, x0, #(REALMTEST_MAX_RECS - 1)
	ldr	x10, =stacks
	add	x9, x9, #1
	mov	x11, #REALMTEST_STACK_SIZE
	madd	x10, x9, x11, x10
	mov	sp, x10
	ldr	x9, =realm_vectors
	msr	vbar_el1, x9
	mov	x9, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD at EL1 */
	msr	cpacr_el1, x9
	isb
	mov	x0, x19
	mov	x1, x20
	bl	realm_main
	b	.

.macro ventry target
	.balign	0x80
	b	\target
.endm
	.section .text.vectors, "ax"
	.balign	0x800
realm_vectors:
	.rept	4
	ventry	sync		/* current EL with SP0 */
	.endr
	ventry	sync		/* current EL with SPx: sync */
	ventry	irq
	ventry	sync
	ventry	sync
	.rept	8
	ventry	sync
	.endr

sync:
	push_caller_regs
	bl	realm_sync_exception
	pop_caller_regs
	eret
irq:
	push_caller_regs
	bl	realm_irq
	pop_caller_regs
	eret

	.arch	armv8.5-a+fp+simd
/* unsigned long realm_fp_roundtrip(unsigned long v, void (*between)(void)): V0 survives between()? */
	.text
	.global realm_fp_roundtrip
realm_fp_roundtrip:
	stp	x29, x30, [sp, #-16]!
	fmov	d0, x0
	blr	x1
	fmov	x0, d0
	ldp	x29, x30, [sp], #16
	ret
