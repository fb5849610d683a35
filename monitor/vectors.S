/*
 * EL3 exception vectors and the world entry/exit paths. TPIDR_EL3 points
 * at the world_ctx of the world this CPU last entered; SP_EL3 is the
 * monitor's own stack, empty whenever a lower EL runs.
 */
#include <arch/sysreg.h>
#include "context.h"

.macro ventry label
	.balign	0x80
	b	\label
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global el3_vectors
el3_vectors:
	ventry	panic_sync_cur		/* current EL, SP_EL0 */
	ventry	panic_irq_cur
	ventry	panic_fiq_cur
	ventry	panic_serror_cur
	ventry	panic_sync_cur		/* current EL, SP_EL3 */
	ventry	panic_irq_cur
	ventry	panic_fiq_cur
	ventry	panic_serror_cur
	ventry	lower_sync		/* lower EL, AArch64 */
	ventry	lower_unexpected
	ventry	lower_fiq		/* the fatal-stop SGI (fatal.c) */
	ventry	lower_unexpected
	ventry	lower_unexpected	/* lower EL, AArch32: never, EL2 is AArch64 */
	ventry	lower_unexpected
	ventry	lower_fiq
	ventry	lower_unexpected

.macro save_world
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el3
	stp	x2, x3, [x0, #CTX_GPR(2)]
	stp	x4, x5, [x0, #CTX_GPR(4)]
	stp	x6, x7, [x0, #CTX_GPR(6)]
	stp	x8, x9, [x0, #CTX_GPR(8)]
	stp	x10, x11, [x0, #CTX_GPR(10)]
	stp	x12, x13, [x0, #CTX_GPR(12)]
	stp	x14, x15, [x0, #CTX_GPR(14)]
	stp	x16, x17, [x0, #CTX_GPR(16)]
	stp	x18, x19, [x0, #CTX_GPR(18)]
	stp	x20, x21, [x0, #CTX_GPR(20)]
	stp	x22, x23, [x0, #CTX_GPR(22)]
	stp	x24, x25, [x0, #CTX_GPR(24)]
	stp	x26, x27, [x0, #CTX_GPR(26)]
	stp	x28, x29, [x0, #CTX_GPR(28)]
	str	x30, [x0, #CTX_GPR(30)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #CTX_GPR(0)]
	mrs	x1, elr_el3
	mrs	x2, spsr_el3
	stp	x1, x2, [x0, #CTX_ELR]
.endm

lower_sync:
	save_world
	mrs	x1, esr_el3
	bl	monitor_lower_sync
	/* fall through with x0 = context to resume */

	.global ctx_eret
ctx_eret:
	msr	tpidr_el3, x0
	ldp	x1, x2, [x0, #CTX_ELR]
	msr	elr_el3, x1
	msr	spsr_el3, x2
	ldr	x1, [x0, #CTX_SCR]
	msr	scr_el3, x1
	isb
	ldp	x2, x3, [x0, #CTX_GPR(2)]
	ldp	x4, x5, [x0, #CTX_GPR(4)]
	ldp	x6, x7, [x0, #CTX_GPR(6)]
	ldp	x8, x9, [x0, #CTX_GPR(8)]
	ldp	x10, x11, [x0, #CTX_GPR(10)]
	ldp	x12, x13, [x0, #CTX_GPR(12)]
	ldp	x14, x15, [x0, #CTX_GPR(14)]
	ldp	x16, x17, [x0, #CTX_GPR(16)]
	ldp	x18, x19, [x0, #CTX_GPR(18)]
	ldp	x20, x21, [x0, #CTX_GPR(20)]
	ldp	x22, x23, [x0, #CTX_GPR(22)]
	ldp	x24, x25, [x0, #CTX_GPR(24)]
	ldp	x26, x27, [x0, #CTX_GPR(26)]
	ldp	x28, x29, [x0, #CTX_GPR(28)]
	ldr	x30, [x0, #CTX_GPR(30)]
	ldp	x0, x1, [x0, #CTX_GPR(0)]
	eret

lower_fiq:
	save_world
	bl	monitor_lower_fiq
	b	ctx_eret

lower_unexpected:
	save_world
	mrs	x1, esr_el3
	bl	monitor_lower_unexpected
	b	ctx_eret

/* long world_sync_enter(struct world_ctx *c, uint64_t *saved_sp) */
	.global world_sync_enter
world_sync_enter:
	sub	sp, sp, #0x60
	stp	x19, x20, [sp, #0x00]
	stp	x21, x22, [sp, #0x10]
	stp	x23, x24, [sp, #0x20]
	stp	x25, x26, [sp, #0x30]
	stp	x27, x28, [sp, #0x40]
	stp	x29, x30, [sp, #0x50]
	mov	x2, sp
	str	x2, [x1]
	b	ctx_eret

/* void world_sync_exit(uint64_t saved_sp, long value) */
	.global world_sync_exit
world_sync_exit:
	mov	sp, x0
	mov	x0, x1
	ldp	x19, x20, [sp, #0x00]
	ldp	x21, x22, [sp, #0x10]
	ldp	x23, x24, [sp, #0x20]
	ldp	x25, x26, [sp, #0x30]
	ldp	x27, x28, [sp, #0x40]
	ldp	x29, x30, [sp, #0x50]
	add	sp, sp, #0x60
	ret

/* Faults inside EL3 itself: dump and stop this CPU. */
.macro panic_entry kind
	sub	sp, sp, #0x100
	stp	x0, x1, [sp, #0x00]
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	stp	x8, x9, [sp, #0x40]
	stp	x10, x11, [sp, #0x50]
	stp	x12, x13, [sp, #0x60]
	stp	x14, x15, [sp, #0x70]
	stp	x16, x17, [sp, #0x80]
	stp	x18, x19, [sp, #0x90]
	stp	x20, x21, [sp, #0xa0]
	stp	x22, x23, [sp, #0xb0]
	stp	x24, x25, [sp, #0xc0]
	stp	x26, x27, [sp, #0xd0]
	stp	x28, x29, [sp, #0xe0]
	str	x30, [sp, #0xf0]
	mov	x0, #\kind
	mov	x1, sp
	bl	monitor_exception_panic
.endm

panic_sync_cur:
	panic_entry 0
panic_irq_cur:
	panic_entry 1
panic_fiq_cur:
	panic_entry 2
panic_serror_cur:
	panic_entry 3
