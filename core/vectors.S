#include <arch/asm_frame.h>

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
	push_caller_regs
	mov	x0, sp
	bl	hyp_sync_current
	pop_caller_regs
	eret

unexpected:
	bl	hyp_unexpected
	b	unexpected
