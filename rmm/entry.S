/*
 * RMM entry at R-EL2, MMU off. Cold boot (first entry, CPU 0):
 * x0 = CPU index, x1 = interface version, x2 = number of CPUs,
 * x3 = shared buffer PA, x4 = activation token. Warm boot: x0 = CPU
 * index. Each boot ends with RMM_BOOT_COMPLETE; every later return from
 * the monitor is an RMI call in x0..x7, answered with RMM_RMI_REQ_COMPLETE.
 */
#include <rampart/smccc.h>
#include "rmm_asm.h"

	.section .text.entry, "ax"
	.global rmm_entry
rmm_entry:
	cmp	x0, #CONFIG_NR_CPUS
	b.hs	bad_cpu
	ldr	x9, =rmm_stacks		/* CPU i: guard page, then its stack; SP = the stack's top */
	add	x10, x0, #1
	mov	x11, #RMM_STACK_STRIDE
	madd	x9, x10, x11, x9
	mov	sp, x9
	msr	tpidr_el2, x0		/* this CPU's index, for per-CPU state */
	ldr	x9, =rmm_vectors
	msr	vbar_el2, x9
	isb
	ldr	x9, =rmm_cold_done
	ldr	w10, [x9]
	cbnz	w10, warm
	ldr	x9, =__bss_start
	ldr	x10, =__bss_end
1:	stp	xzr, xzr, [x9], #16
	cmp	x9, x10
	b.lo	1b
	bl	rmm_cold_boot
	b	boot_done
warm:
	bl	rmm_warm_boot
boot_done:
	mov	x1, x0
	ldr	x0, =RMM_BOOT_COMPLETE
	smc	#0
	/* The monitor comes back with an RMI request in x0..x7. */
rmi_loop:
	sub	sp, sp, #64
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	mov	x0, sp
	bl	rmi_dispatch
	ldp	x1, x2, [sp, #0]
	ldp	x3, x4, [sp, #16]
	ldr	x5, [sp, #32]
	add	sp, sp, #64
	ldr	x0, =RMM_RMI_REQ_COMPLETE
	smc	#0
	b	rmi_loop

bad_cpu:
	mov	x1, #E_RMM_BOOT_CPU_ID_OUT_OF_RANGE
	ldr	x0, =RMM_BOOT_COMPLETE
	smc	#0
	b	bad_cpu
