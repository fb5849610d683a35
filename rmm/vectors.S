/*
 * R-EL2 vectors. Exceptions from a lower EL are a realm's, taken while
 * realm_run() is in progress (realm_entry.S). The RMM itself runs with
 * every exception masked and takes none: any other vector is fatal.
 */
#include "rmm_asm.h"

.macro vfatal
	.balign	0x80
	b	rmm_exception
.endm
.macro vrealm type
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\type
	b	realm_exit
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global rmm_vectors
rmm_vectors:
	.rept	8
	vfatal
	.endr
	vrealm	REALM_EXC_SYNC
	vrealm	REALM_EXC_IRQ
	vrealm	REALM_EXC_FIQ
	vrealm	REALM_EXC_SERROR
	.rept	4
	vfatal			/* a realm never runs AArch32 */
	.endr
rmm_exception:
	/* On this CPU's panic stack: the fault may be a stack overflow into a guard page. */
	mrs	x0, tpidr_el2
	add	x0, x0, #1
	ldr	x1, =rmm_panic_stacks
	mov	x2, #RMM_PANIC_STACK_SIZE
	madd	x1, x0, x2, x1
	mov	sp, x1
	bl	rmm_exception_panic
	b	rmm_exception
