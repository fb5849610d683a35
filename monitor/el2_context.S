/*
 * EL2 system registers of one world. x0 = world_ctx; offsets below are
 * relative to world_ctx.el2 and match the EL2_* indices in context.h.
 *
 * Two groups (see docs/rmm-el3-interface.md):
 * - core: what governs EL2's own execution. Switched on every world switch.
 * - guest: what governs only the EL1/EL0 a world runs, and the exception
 *   registers of EL2. Loaded when a world first starts on a CPU; after that
 *   the RMM preserves the Normal world's values whenever it runs a realm,
 *   as it does for EL1 state, so an RMI call does not pay for them.
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
.macro rest1 a, off
	ldr	x9, [x0, #(\off)]
	msr	\a, x9
.endm

/* EL2 timers are not switched: the host's own timer keeps running. */
.macro el2_core op
	\op	sctlr_el2, hcr_el2, 0x00
	\op	tcr_el2, ttbr0_el2, 0x10
	\op	ttbr1_el2, mair_el2, 0x20
	\op	amair_el2, vbar_el2, 0x30
	\op	sp_el2, actlr_el2, 0x40
	\op	tpidr_el2, cptr_el2, 0x50
	\op	mdcr_el2, icc_sre_el2, 0x60
.endm

.macro el2_guest op
	\op	elr_el2, spsr_el2, 0x70
	\op	esr_el2, far_el2, 0x80
	\op	hpfar_el2, afsr0_el2, 0x90
	\op	afsr1_el2, vttbr_el2, 0xa0
	\op	vtcr_el2, cnthctl_el2, 0xb0
	\op	cntvoff_el2, contextidr_el2, 0xc0
	\op	vmpidr_el2, vpidr_el2, 0xd0
	\op	hstr_el2, hacr_el2, 0xe0
	\op	ich_hcr_el2, ich_vmcr_el2, 0xf0
.endm

.macro el2_ext op
	\op	HFGRTR_EL2, HFGWTR_EL2, (EL2_NREGS * 8) + 0x00
	\op	HFGITR_EL2, HDFGRTR_EL2, (EL2_NREGS * 8) + 0x10
	\op	HDFGWTR_EL2, HCRX_EL2, (EL2_NREGS * 8) + 0x20
.endm

	.section .text.el2ctx, "ax"
	.global el2_core_save
el2_core_save:
	add	x0, x0, #CTX_EL2
	el2_core save2
	ret

	.global el2_core_restore
el2_core_restore:
	add	x0, x0, #CTX_EL2
	el2_core rest2
	ret

/* x1 != 0: the CPU has the FGT and HCRX registers. */
	.global el2_guest_restore
el2_guest_restore:
	add	x0, x0, #CTX_EL2
	el2_guest rest2
	rest1	sp_el0, 0x100
	cbz	x1, 1f
	el2_ext rest2
1:	ret
