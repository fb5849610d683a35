/*
 * Exception entry for handlers written in C: the registers a C call may
 * clobber (x0-x18) and the link register, in one stack frame. Assembly only.
 */
#ifndef ARCH_ASM_FRAME_H
#define ARCH_ASM_FRAME_H

#define CALLER_FRAME_SIZE 0xa0

/* clang-format off */
.macro push_caller_regs
	sub	sp, sp, #CALLER_FRAME_SIZE
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
.endm

.macro pop_caller_regs
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
	add	sp, sp, #CALLER_FRAME_SIZE
.endm
/* clang-format on */
#endif
