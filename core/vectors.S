/* NS-EL2 vectors: faults of the hypervisor itself, and guest exits (guest_entry.S). */
.macro ventry target
	.balign	0x80
	b	\target
.endm
	.section .text.vectors, "ax"
	.balign	0x800
	.global hyp_vectors
hyp_vectors:
	ventry	unexpected	/* current EL, SP_EL0 */
	ventry	unexpected
	ventry	unexpected
	ventry	unexpected
	ventry	sync_cur	/* current EL, SP_EL2 */
	ventry	unexpected
	ventry	unexpected
	ventry	unexpected
	ventry	guest_exit_sync	/* lower EL, AArch64: a guest */
	ventry	guest_exit_irq
	ventry	guest_exit_fiq
	ventry	guest_exit_serror
	ventry	guest_exit_sync	/* lower EL, AArch32: a guest's EL0 may be AArch32 */
	ventry	guest_exit_irq
	ventry	guest_exit_fiq
	ventry	guest_exit_serror

sync_cur:
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
	stp	x18, x30, [sp, #0x90]
	mov	x0, sp
	bl	hyp_sync_current
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
	add	sp, sp, #0x100
	eret

unexpected:
	bl	hyp_unexpected
	b	unexpected
