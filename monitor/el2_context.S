/*
 * x0 = world_ctx; offsets below are relative to world_ctx.el2.
 * Save and restore the EL2 system registers of one world. The order here
 * is the layout of world_ctx.el2[]; keep both in step.
 */
#include <arch/sysreg.h>
#include "context.h"

.macro save2 a, b, off
	mrs	x9, \a
	mrs	x10, \b
	stp	x9, x10, [x0, #(\off)]
.endm
.macro rest2 a, b, off
	ldp	x9, x10, [x0, #(\off)]
	msr	\a, x9
	msr	\b, x10
.endm

.macro save1 a, off
	mrs	x9, \a
	str	x9, [x0, #(\off)]
.endm
.macro rest1 a, off
	ldr	x9, [x0, #(\off)]
	msr	\a, x9
.endm

/* EL2 timers are not switched: the host's own timer keeps running. */
.macro el2_regs op
	\op	sctlr_el2, hcr_el2, 0x00
	\op	tcr_el2, ttbr0_el2, 0x10
	\op	ttbr1_el2, mair_el2, 0x20
	\op	amair_el2, vbar_el2, 0x30
	\op	sp_el2, elr_el2, 0x40
	\op	spsr_el2, esr_el2, 0x50
	\op	far_el2, hpfar_el2, 0x60
	\op	afsr0_el2, afsr1_el2, 0x70
	\op	actlr_el2, vttbr_el2, 0x80
	\op	vtcr_el2, cptr_el2, 0x90
	\op	cnthctl_el2, cntvoff_el2, 0xa0
	\op	mdcr_el2, tpidr_el2, 0xb0
	\op	contextidr_el2, vmpidr_el2, 0xc0
	\op	vpidr_el2, hstr_el2, 0xd0
	\op	hacr_el2, icc_sre_el2, 0xe0
	\op	ich_hcr_el2, ich_vmcr_el2, 0xf0
.endm

.macro el2_ext_regs op
	\op	HFGRTR_EL2, HFGWTR_EL2, (EL2_NREGS * 8) + 0x00
	\op	HFGITR_EL2, HDFGRTR_EL2, (EL2_NREGS * 8) + 0x10
	\op	HDFGWTR_EL2, HCRX_EL2, (EL2_NREGS * 8) + 0x20
.endm

	.section .text.el2ctx, "ax"
	.global el2_ctx_save
el2_ctx_save:
	add	x0, x0, #CTX_EL2
	el2_regs save2
	save1	sp_el0, 0x100
	ret

	.global el2_ctx_restore
el2_ctx_restore:
	add	x0, x0, #CTX_EL2
	el2_regs rest2
	rest1	sp_el0, 0x100
	ret

	.global el2_ctx_save_ext
el2_ctx_save_ext:
	add	x0, x0, #CTX_EL2
	el2_ext_regs save2
	ret

	.global el2_ctx_restore_ext
el2_ctx_restore_ext:
	add	x0, x0, #CTX_EL2
	el2_ext_regs rest2
	ret
