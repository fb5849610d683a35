/*
 * Entering and leaving a guest at EL1. vcpu_run() saves the hypervisor's
 * callee-saved registers in the vcpu and ERETs into the guest with SP_EL2
 * pointing at the vcpu, so that an exit stores the guest's registers there
 * at once. Each kind of exit saves what its handler can need (vcpu.h): an
 * HVC or SMC (PSCI, SMCCC, doorbells) and an IRQ exit only what C may
 * clobber, other synchronous exits every general-purpose register (an
 * emulated access may name any); ELR and SPSR stay in their registers while
 * C runs (no exception is taken at EL2 meanwhile). On the way back, x19..x29
 * are still the guest's whenever the C handler kept them (AAPCS64
 * callee-saved).
 */
#include <arch/sysreg.h>
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
	str	x9, [x0, #VCPU_HYP_SP]
	b	resume_all

/* x0 = vcpu: every register from it. */
resume_all:
	mov	sp, x0
	ldp	x0, x1, [sp, #VCPU_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	/* fall through */

/* sp = vcpu, ELR and SPSR the guest's: the general-purpose registers from the vcpu. */
resume_gprs:
	ldp	x19, x20, [sp, #VCPU_X(19)]
	ldp	x21, x22, [sp, #VCPU_X(21)]
	ldp	x23, x24, [sp, #VCPU_X(23)]
	ldp	x25, x26, [sp, #VCPU_X(25)]
	ldp	x27, x28, [sp, #VCPU_X(27)]
	ldr	x29, [sp, #VCPU_X(29)]
	/* fall through */

/* sp = vcpu, x19..x29, ELR and SPSR the guest's. */
resume_caller_saved:
	ldp	x0, x1, [sp, #VCPU_X(0)]
	ldp	x2, x3, [sp, #VCPU_X(2)]
	ldp	x4, x5, [sp, #VCPU_X(4)]
	ldp	x6, x7, [sp, #VCPU_X(6)]
	ldp	x8, x9, [sp, #VCPU_X(8)]
	ldp	x10, x11, [sp, #VCPU_X(10)]
	ldp	x12, x13, [sp, #VCPU_X(12)]
	ldp	x14, x15, [sp, #VCPU_X(14)]
	ldp	x16, x17, [sp, #VCPU_X(16)]
	ldr	x18, [sp, #VCPU_X(18)]
	ldr	x30, [sp, #VCPU_X(30)]
	eret

.macro save_caller_saved_but_x0_x1
	stp	x2, x3, [sp, #VCPU_X(2)]
	stp	x4, x5, [sp, #VCPU_X(4)]
	stp	x6, x7, [sp, #VCPU_X(6)]
	stp	x8, x9, [sp, #VCPU_X(8)]
	stp	x10, x11, [sp, #VCPU_X(10)]
	stp	x12, x13, [sp, #VCPU_X(12)]
	stp	x14, x15, [sp, #VCPU_X(14)]
	stp	x16, x17, [sp, #VCPU_X(16)]
	str	x18, [sp, #VCPU_X(18)]
	str	x30, [sp, #VCPU_X(30)]
.endm

.macro save_callee_saved base
	stp	x19, x20, [\base, #VCPU_X(19)]
	stp	x21, x22, [\base, #VCPU_X(21)]
	stp	x23, x24, [\base, #VCPU_X(23)]
	stp	x25, x26, [\base, #VCPU_X(25)]
	stp	x27, x28, [\base, #VCPU_X(27)]
	str	x29, [\base, #VCPU_X(29)]
.endm

/* sp = vcpu, registers saved: onto the hypervisor's stack with x0 = vcpu, which is kept there too (x1 kept). */
.macro to_hyp_stack
	mov	x0, sp
	ldr	x9, [x0, #VCPU_HYP_SP]
	mov	sp, x9
	str	x0, [sp, #-16]!
.endm

	.global guest_exit_sync
guest_exit_sync:
	stp	x0, x1, [sp, #VCPU_X(0)]
	mrs	x1, esr_el2
	lsr	x0, x1, #ESR_EC_SHIFT
	cmp	x0, #ESR_EC_HVC64	/* ELR is already past the HVC */
	b.eq	1f
	cmp	x0, #ESR_EC_SMC64
	b.ne	sync_full
	mrs	x0, elr_el2		/* trapped by HCR_EL2.TSC: ELR is the SMC itself */
	add	x0, x0, #4
	msr	elr_el2, x0
1:	save_caller_saved_but_x0_x1
	to_hyp_stack
	bl	vcpu_exit_call
	ldr	x1, [sp], #16
	cbnz	x0, leave_partial
	mov	sp, x1
	b	resume_caller_saved

/* Any other synchronous exit: the handler may name any register (ELR and SPSR stay in place). */
sync_full:
	save_caller_saved_but_x0_x1
	save_callee_saved sp
	to_hyp_stack
	bl	vcpu_exit_sync
	ldr	x1, [sp], #16
	cbnz	x0, 1f
	mov	sp, x1
	b	resume_caller_saved
1:	cmn	x0, #1			/* VCPU_RESUME_ALL */
	b.ne	leave_partial
	mov	sp, x1
	b	resume_gprs

	.global guest_exit_irq
guest_exit_irq:
	stp	x0, x1, [sp, #VCPU_X(0)]
	save_caller_saved_but_x0_x1
	to_hyp_stack
	bl	vcpu_exit_irq
	ldr	x1, [sp], #16
	cbnz	x0, leave_partial
	mov	sp, x1
	b	resume_caller_saved

/* x0 = why, x1 = vcpu: the rest of the guest's state, for whoever looks at the vCPU after it left. */
leave_partial:
	save_callee_saved x1
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #VCPU_ELR]
	b	leave

.macro exit_full kind
	stp	x0, x1, [sp, #VCPU_X(0)]
	save_caller_saved_but_x0_x1
	save_callee_saved sp
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #VCPU_ELR]
	to_hyp_stack
	mov	x1, #\kind
	bl	vcpu_exit
	ldr	x1, [sp], #16
	cbnz	x0, leave
	mov	x0, x1
	b	resume_all
.endm

	.global guest_exit_fiq
guest_exit_fiq:
	exit_full VCPU_EXIT_FIQ
	.global guest_exit_serror
guest_exit_serror:
	exit_full VCPU_EXIT_SERROR

/* x0 = why (a VCPU_LEAVE_* value), x1 = vcpu: return from vcpu_run() with x0. */
leave:
	ldp	x21, x22, [x1, #VCPU_HYP_REGS + 0x10]
	ldp	x23, x24, [x1, #VCPU_HYP_REGS + 0x20]
	ldp	x25, x26, [x1, #VCPU_HYP_REGS + 0x30]
	ldp	x27, x28, [x1, #VCPU_HYP_REGS + 0x40]
	ldp	x29, x30, [x1, #VCPU_HYP_REGS + 0x50]
	ldr	x9, [x1, #VCPU_HYP_SP]
	mov	sp, x9
	ldp	x19, x20, [x1, #VCPU_HYP_REGS + 0x00]
	ret
