/*
 * Reset entry. Every CPU starts here at address 0 (secure flash) with
 * the MMU off. CPU 0 copies the monitor into secure SRAM, where it is
 * linked, and cold boots; the others wait in a holding pen until PSCI
 * CPU_ON releases them. The pen lives in SRAM outside .bss so that a
 * released CPU can never see a value from before this boot's clearing
 * (SYSTEM_RESET clears it before resetting the machine). A CPU in the pen
 * sleeps in WFI until an interrupt (CPU_ON sends PEN_SGI): a CPU that no
 * partition uses costs nothing.
 */
#include <arch/sysreg.h>
#include "monitor_asm.h"

#define ICC_SRE_EL3 S3_6_C12_C12_5
#define ICC_SRE_EL3_ON 0xf /* Enable | DIB | DFB | SRE */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_PMR_OPEN 0xff
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_IGRPEN1_EL3 S3_6_C12_C12_7
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define GIC_INTID_MASK 0xffffff
#define GIC_INTID_SPECIAL 1020

/*
 * x1 = the CPU's pen slot, x3 = PEN_GO: sleep until the slot says go (or,
 * with sram given, says PEN_SRAM, held in x4: branch there). The
 * slot is checked before each WFI, and whatever woke the CPU is taken and
 * ended (interrupts stay masked), so that the next WFI sleeps again; a
 * CPU_ON between the check and the WFI leaves its SGI pending, which ends
 * that WFI at once.
 */
.macro pen_wait label, sram
\label:	ldr	x2, [x1]
	cmp	x2, x3
	b.eq	\label\()f
.ifnb \sram
	cmp	x2, x4			/* x4 = PEN_SRAM: move to the SRAM pen */
	b.eq	\sram
.endif
	wfi
	mrs	x0, ICC_IAR0_EL1
	and	x0, x0, #GIC_INTID_MASK
	cmp	x0, #GIC_INTID_SPECIAL
	b.hs	\label\()b
	msr	ICC_EOIR0_EL1, x0
	b	\label\()b
\label:
.endm

	.section .text.reset, "ax"
	.global _reset
_reset:
	mrs	x0, mpidr_el1
	ldr	x1, =MPIDR_AFF_MASK
	and	x0, x0, x1
	cmp	x0, #CONFIG_NR_CPUS
	b.hs	park_forever		/* not a CPU this build supports */
	mov	x19, x0			/* linear CPU index = Aff0 */
	cbnz	x19, secondary_reset

	/* CPU 0: copy text, rodata and data to their link addresses. */
	adr	x1, _reset
	ldr	x2, =__monitor_start
	ldr	x3, =__monitor_load_end
	cmp	x1, x2
	b.eq	2f
1:	ldp	x4, x5, [x1], #16
	stp	x4, x5, [x2], #16
	cmp	x2, x3
	b.lo	1b
2:	ldr	x2, =__bss_start
	ldr	x3, =__bss_end
3:	stp	xzr, xzr, [x2], #16
	cmp	x2, x3
	b.lo	3b
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ldr	x0, =cold_entry
	br	x0

secondary_reset:
	/* Only Group 0 may wake it (PEN_SGI, or the fatal stop's SGI, which it ignores). */
	mov	x0, #ICC_SRE_EL3_ON
	msr	ICC_SRE_EL3, x0
	isb
	mov	x0, #ICC_PMR_OPEN
	msr	ICC_PMR_EL1, x0
	msr	ICC_IGRPEN1_EL3, xzr
	mov	x0, #1
	msr	ICC_IGRPEN0_EL1, x0
	isb
	ldr	x1, =cpu_pen
	add	x1, x1, x19, lsl #PEN_SLOT_SHIFT
	ldr	x3, =PEN_GO
	ldr	x4, =PEN_SRAM
	pen_wait 4, 6f
	str	xzr, [x1]
	dsb	sy
	ldr	x0, =warm_entry
	br	x0

/*
 * Secure boot is about to write flash, where this loop runs from (a flash
 * in command mode answers instruction fetches with its status): clear the
 * slot, which tells CPU 0, and wait in the SRAM copy of the pen instead.
 */
6:	str	xzr, [x1]
	dsb	sy
	mov	x0, x19
	ldr	x1, =cpu_park
	br	x1

park_forever:
	wfi
	b	park_forever

	.section .text.entry, "ax"
/* Common per-CPU EL3 set-up, then into C. x19 = CPU index. */
cold_entry:
	bl	el3_arch_init
	mov	x0, x19
	bl	monitor_cold_main
	b	park_forever

	.global warm_entry
warm_entry:
	bl	el3_arch_init
	mov	x0, x19
	bl	monitor_warm_main
	b	park_forever

/*
 * CPU_OFF: reset this CPU's stack and wait in the pen until CPU_ON.
 * x0 = CPU index. Runs with the MMU on; the pen is cacheable and coherent.
 */
	.global cpu_park
cpu_park:
	mov	x19, x0
	ldr	x1, =cpu_stacks
	add	x2, x19, #1
	mov	x3, #MONITOR_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	/* Group 1 stays off until the Normal world sets it up again after CPU_ON. */
	msr	ICC_IGRPEN1_EL3, xzr
	isb
	ldr	x1, =cpu_pen
	add	x1, x1, x19, lsl #PEN_SLOT_SHIFT
	ldr	x3, =PEN_GO
	pen_wait 5
	str	xzr, [x1]
	b	warm_entry

/*
 * VBAR, SCTLR, stack on SP_EL3. Clobbers x0-x3. A CPU coming back from
 * CPU_OFF still has its MMU and caches on: leave them on rather than
 * run uncached over lines that may still be dirty in its cache.
 */
el3_arch_init:
	ldr	x0, =el3_vectors
	msr	vbar_el3, x0
	mrs	x0, sctlr_el3
	tbnz	x0, #0, 1f
	ldr	x0, =(SCTLR_EL3_RES1 | SCTLR_SA | SCTLR_I)
	msr	sctlr_el3, x0
	isb
1:
	msr	spsel, #1
	ldr	x1, =cpu_stacks
	add	x2, x19, #1
	mov	x3, #MONITOR_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	msr	tpidr_el3, xzr
	ret
