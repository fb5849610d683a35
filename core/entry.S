/*
 * Hypervisor entry at NS-EL2, MMU off. CPU 0 arrives at the image base
 * from the monitor; other CPUs at secondary_entry via PSCI CPU_ON with
 * their index as context id in x0.
 */
#include "hyp_asm.h"

	.section .text.entry, "ax"
	.global hyp_entry
hyp_entry:
	isb
	mrs	x20, cntpct_el0		/* first thing: the boot cost so far */
	ldr	x9, =__bss_start
	ldr	x10, =__bss_end
1:	stp	xzr, xzr, [x9], #16
	cmp	x9, x10
	b.lo	1b
	ldr	x9, =hyp_entry_count
	str	x20, [x9]
	mov	x19, #0
	bl	setup_cpu
	bl	hyp_main
	b	.

	.global secondary_entry
secondary_entry:
	mov	x20, x0
	and	x19, x0, #HYP_CPU_INDEX_MASK
	cmp	x19, #CONFIG_NR_CPUS
	b.hs	.
	bl	setup_cpu
	mov	x0, x20
	bl	hyp_secondary_main
	b	.

/* Stack and vectors for CPU x19. */
setup_cpu:
	ldr	x9, =hyp_stacks
	add	x10, x19, #1
	mov	x11, #HYP_STACK_SIZE
	madd	x9, x10, x11, x9
	mov	sp, x9
	ldr	x9, =hyp_vectors
	msr	vbar_el2, x9
	msr	tpidr_el2, x19
	isb
	ret
