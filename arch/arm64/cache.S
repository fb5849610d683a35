/* Data cache maintenance to the Point of Coherency, by VA range. */
#include <arch/sysreg.h>

.macro dcache_op op
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	add	x1, x0, x1		/* end */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	\op, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
.endm

	.section .text.cache, "ax"
	.global dcache_clean_range
dcache_clean_range:
	dcache_op cvac

	.global dcache_clean_inval_range
dcache_clean_inval_range:
	dcache_op civac

	.global dcache_inval_range
dcache_inval_range:
	dcache_op ivac

	.global icache_inval_all
icache_inval_all:
	ic	iallu
	dsb	nsh
	isb
	ret

	.global icache_inval_all_is
icache_inval_all_is:
	ic	ialluis
	dsb	ish
	isb
	ret

/* DC ZVA block size is read from DCZID_EL0; callers pass 64-byte multiples. */
	.global zero_blocks
zero_blocks:
	mrs	x3, dczid_el0
	tbnz	x3, #4, 5f		/* DZP: DC ZVA prohibited */
	and	x3, x3, #0xf
	mov	x2, #4
	lsl	x2, x2, x3
	add	x1, x0, x1
	lsl	x4, x2, #2		/* four blocks per iteration when they fit */
	subs	x5, x1, x4
	b.lo	3f			/* end below four blocks: no room to unroll */
2:	cmp	x0, x5
	b.hi	3f
	dc	zva, x0
	add	x0, x0, x2
	dc	zva, x0
	add	x0, x0, x2
	dc	zva, x0
	add	x0, x0, x2
	dc	zva, x0
	add	x0, x0, x2
	b	2b
3:	cmp	x0, x1
	b.hs	4f
	dc	zva, x0
	add	x0, x0, x2
	b	3b
4:	ret
5:	add	x1, x0, x1
6:	stp	xzr, xzr, [x0], #16
	stp	xzr, xzr, [x0], #16
	stp	xzr, xzr, [x0], #16
	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	6b
	ret
