/*
 * nstest entry at NS-EL2 with the MMU off. CPU 0 arrives at the image
 * base from the monitor (x0 = a device tree or 0, x1..x3 = 0: nstest only
 * reports them); the others at nstest_secondary_entry through PSCI CPU_ON,
 * with their index as the context id in x0.
 */
#include "nstest_asm.h"

	.section .text.entry, "ax"
	.global nstest_entry
nstest_entry:
	/* The boot registers, kept for nstest_main() (x20..x23 are callee-saved). */
	mov	x20, x0
	mov	x21, x1
	mov	x22, x2
	mov	x23, x3
	/* Device memory: 8-byte stores only, never DC ZVA. */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	mov	x19, #0
	bl	setup_cpu
	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	mov	x3, x23
	bl	nstest_main
	b	park

	.global nstest_secondary_entry
nstest_secondary_entry:
	/* A context id that is no secondary of ours has no stack to run on. */
	cbz	x0, park
	cmp	x0, #CONFIG_NR_CPUS
	b.hs	park
	mov	x19, x0
	bl	setup_cpu
	mov	x0, x19
	bl	nstest_secondary_main
park:
	wfi
	b	park

/* Stack, vectors and TPIDR_EL2 (= CPU index) for CPU x19. */
setup_cpu:
	adrp	x9, nstest_stacks
	add	x9, x9, :lo12:nstest_stacks
	add	x10, x19, #1
	mov	x11, #NSTEST_STACK_SIZE
	madd	x9, x10, x11, x9
	mov	sp, x9
	adrp	x9, nstest_vectors
	add	x9, x9, :lo12:nstest_vectors
	msr	vbar_el2, x9
	msr	tpidr_el2, x19
	isb
	ret

/* Every vector saves the caller-saved registers and calls nstest_exception(vector). */
.macro ventry vec
	.balign	0x80
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #0x00]
	mov	x0, #\vec
	b	exception_common
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global nstest_vectors
nstest_vectors:
	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\vec
	.endr

exception_common:
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	stp	x8, x9, [sp, #0x40]
	stp	x10, x11, [sp, #0x50]
	stp	x12, x13, [sp, #0x60]
	stp	x14, x15, [sp, #0x70]
	stp	x16, x17, [sp, #0x80]
	stp	x18, x30, [sp, #0x90]
	/* Returns only for a fault a probe expected; ELR_EL2 then skips the access. */
	bl	nstest_exception
	ldp	x2, x3, [sp, #0x10]
	ldp	x4, x5, [sp, #0x20]
	ldp	x6, x7, [sp, #0x30]
	ldp	x8, x9, [sp, #0x40]
	ldp	x10, x11, [sp, #0x50]
	ldp	x12, x13, [sp, #0x60]
	ldp	x14, x15, [sp, #0x70]
	ldp	x16, x17, [sp, #0x80]
	ldp	x18, x30, [sp, #0x90]
	ldp	x0, x1, [sp, #0x00]
	add	sp, sp, #EXC_FRAME_SIZE
	eret
