/*
 * Entering and leaving a guest at EL1. vcpu_run() saves the hypervisor's
 * callee-saved registers in the vcpu and ERETs into the guest; every
 * exception from EL1/EL0 saves the guest's registers there and calls
 * vcpu_exit(), which either resumes the guest or makes vcpu_run() return.
 */
#include "vcpu.h"

	.section .text.guest, "ax"
	.global vcpu_run
vcpu_run:
	stp	x19, x20, [x0, #VCPU_HYP_REGS + 0x00]
	stp	x21, x22, [x0, #VCPU_HYP_REGS + 0x10]
	stp	x23, x24, [x0, #VCPU_HYP_REGS + 0x20]
	stp	x25, x26, [x0, #VCPU_HYP_REGS + 0x30]
	stp	x27, x28, [x0, #VCPU_HYP_REGS + 0x40]
	stp	x29, x30, [x0, #VCPU_HYP_REGS + 0x50]
	mov	x9, sp
	str	x9, [x0, #VCPU_HYP_REGS + 0x60]
	b	guest_resume

/* x0 = vcpu */
guest_resume:
	ldp	x1, x2, [x0, #VCPU_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #VCPU_X(2)]
	ldp	x4, x5, [x0, #VCPU_X(4)]
	ldp	x6, x7, [x0, #VCPU_X(6)]
	ldp	x8, x9, [x0, #VCPU_X(8)]
	ldp	x10, x11, [x0, #VCPU_X(10)]
	ldp	x12, x13, [x0, #VCPU_X(12)]
	ldp	x14, x15, [x0, #VCPU_X(14)]
	ldp	x16, x17, [x0, #VCPU_X(16)]
	ldp	x18, x19, [x0, #VCPU_X(18)]
	ldp	x20, x21, [x0, #VCPU_X(20)]
	ldp	x22, x23, [x0, #VCPU_X(22)]
	ldp	x24, x25, [x0, #VCPU_X(24)]
	ldp	x26, x27, [x0, #VCPU_X(26)]
	ldp	x28, x29, [x0, #VCPU_X(28)]
	ldr	x30, [x0, #VCPU_X(30)]
	ldp	x0, x1, [x0, #VCPU_X(0)]
	eret

.macro guest_exit kind
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x1, =current_vcpu
	ldr	x0, [x1, x0, lsl #3]
	stp	x2, x3, [x0, #VCPU_X(2)]
	stp	x4, x5, [x0, #VCPU_X(4)]
	stp	x6, x7, [x0, #VCPU_X(6)]
	stp	x8, x9, [x0, #VCPU_X(8)]
	stp	x10, x11, [x0, #VCPU_X(10)]
	stp	x12, x13, [x0, #VCPU_X(12)]
	stp	x14, x15, [x0, #VCPU_X(14)]
	stp	x16, x17, [x0, #VCPU_X(16)]
	stp	x18, x19, [x0, #VCPU_X(18)]
	stp	x20, x21, [x0, #VCPU_X(20)]
	stp	x22, x23, [x0, #VCPU_X(22)]
	stp	x24, x25, [x0, #VCPU_X(24)]
	stp	x26, x27, [x0, #VCPU_X(26)]
	stp	x28, x29, [x0, #VCPU_X(28)]
	str	x30, [x0, #VCPU_X(30)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #VCPU_X(0)]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #VCPU_ELR]
	mov	x19, x0
	mov	x1, #\kind
	bl	vcpu_exit
	cbnz	x0, 1f
	mov	x0, x19
	b	guest_resume
1:	/* leave vcpu_run() with x0 */
	ldp	x21, x22, [x19, #VCPU_HYP_REGS + 0x10]
	ldp	x23, x24, [x19, #VCPU_HYP_REGS + 0x20]
	ldp	x25, x26, [x19, #VCPU_HYP_REGS + 0x30]
	ldp	x27, x28, [x19, #VCPU_HYP_REGS + 0x40]
	ldp	x29, x30, [x19, #VCPU_HYP_REGS + 0x50]
	ldr	x9, [x19, #VCPU_HYP_REGS + 0x60]
	mov	sp, x9
	ldp	x19, x20, [x19, #VCPU_HYP_REGS + 0x00]
	ret
.endm

	.global guest_exit_sync
guest_exit_sync:
	guest_exit VCPU_EXIT_SYNC
	.global guest_exit_irq
guest_exit_irq:
	guest_exit VCPU_EXIT_IRQ
	.global guest_exit_fiq
guest_exit_fiq:
	guest_exit VCPU_EXIT_FIQ
	.global guest_exit_serror
guest_exit_serror:
	guest_exit VCPU_EXIT_SERROR
