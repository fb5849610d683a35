/*
 * Guest entry at EL1, MMU off. vCPU 0: x0 = DTB IPA. Others (PSCI CPU_ON):
 * x0 = context id = their vCPU index.
 */
#include "bmguest.h"

#define IMAGE_MAGIC 0x644d5241 /* "ARM\x64" */

	.section .text.entry, "ax"
/*
 * The arm64 Linux image header (Documentation/arch/arm64/booting.rst): QEMU's
 * -kernel then boots bmguest on bare metal at EL1, the DTB in x0, just as a
 * partition enters it (make bench's baseline).
 */
	.global _start
_start:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	BMGUEST_TEXT_OFFSET	/* text_offset */
	.quad	__image_size		/* image_size, .bss and stacks included */
	.quad	0			/* flags: little-endian, page size unspecified */
	.quad	0, 0, 0
	.long	IMAGE_MAGIC
	.long	0

start:
	mov	x19, x0
	mov	x0, #0
	bl	set_stack
	ldr	x9, =__bss_start
	ldr	x10, =__bss_end
1:	stp	xzr, xzr, [x9], #16
	cmp	x9, x10
	b.lo	1b
	mov	x0, x19
	bl	guest_main
	b	.

	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack
	mov	x0, x19
	bl	guest_secondary
	b	.

/* sp = top of the stack of vCPU x0 */
set_stack:
	and	x0, x0, #(BMGUEST_MAX_VCPUS - 1)
	ldr	x9, =stacks
	add	x0, x0, #1
	mov	x10, #BMGUEST_STACK_SIZE
	madd	x9, x0, x10, x9
	mov	sp, x9
	ret
