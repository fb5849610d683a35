/*
 * Entering a realm and coming back. realm_run() is an ordinary call for
 * the C code: it saves the RMM's callee-saved registers on the RMM stack,
 * loads the REC's x0..x30 and ERETs (ELR_EL2/SPSR_EL2 and all system
 * registers are set by the caller). Any exception the realm takes to R-EL2
 * lands in the lower-EL vectors below, which store x0..x30 back into the
 * same array and return from realm_run() with the exception class.
 */
#include "rmm_asm.h"

/* Frame of realm_run: x19..x30 and the GPR array pointer. */
#define RUN_FRAME 112
#define RUN_FRAME_GPRS 96

	.section .text.realm, "ax"
	.global realm_run
	.type	realm_run, %function
/* unsigned int realm_run(uint64_t gprs[31]) */
realm_run:
	stp	x29, x30, [sp, #-RUN_FRAME]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x0, [sp, #RUN_FRAME_GPRS]
	/* Realm memory and RTT updates by other CPUs complete before it runs. */
	dsb	ish
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	/* No straight-line speculation past the ERET. */
	dsb	nsh
	isb
	.size	realm_run, . - realm_run

/* x1 = REALM_EXC_*, the realm's x0 and x1 pushed by the vector. */
	.global realm_exit
realm_exit:
	ldr	x0, [sp, #(16 + RUN_FRAME_GPRS)]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #RUN_FRAME
	ret
