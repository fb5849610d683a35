/*
 * The RMM's own stage-1 tables (R-EL2, E2H = 0): its image (text RX, rodata
 * RO, the rest of the carve-out RW but for a guard page below each CPU's
 * stack), and every DRAM bank twice, in the Realm PAS and in the Non-secure
 * PAS at RMM_NS_ALIAS_OFFSET.
 */
#include <arch/mmu.h>
#include "rmm.h"
#include "rmm_arch.h"
#include "rmm_asm.h"

#define RMM_TABLE_PAGES 24

extern char __rmm_start[], __text_end[], __rodata_end[], rmm_stacks[], rmm_stacks_end[];
static mmu_table_t rmm_tables[RMM_TABLE_PAGES] __attribute__((aligned(PAGE_SIZE)));
static struct mmu_tables rmm_mmu;

/* At R-EL2, descriptor NS = 0 selects the Realm PAS and NS = 1 the Non-secure PAS. */
int rmm_mmu_map_image(struct mmu_tables *t, const struct rmm_image_layout *l)
{
	int rc;

	if ((rc = mmu_map(t, l->start, l->start, l->text_end - l->start, MT_CODE)) ||
	    (rc = mmu_map(t, l->text_end, l->text_end, l->ro_end - l->text_end, MT_RAM_RO)) ||
	    (rc = mmu_map(t, l->ro_end, l->ro_end, l->stacks - l->ro_end, MT_RAM_RW)) ||
	    (rc = mmu_map(t, l->stacks_end, l->stacks_end, l->end - l->stacks_end, MT_RAM_RW)))
		return rc;
	for (uint64_t s = l->stacks; s < l->stacks_end; s += RMM_STACK_STRIDE) {
		if ((rc = mmu_map(t, s + RMM_STACK_GUARD, s + RMM_STACK_GUARD, RMM_STACK_SIZE, MT_RAM_RW)))
			return rc;
	}
	return 0;
}

int rmm_mmu_setup(const uint64_t (*banks)[2], unsigned int n)
{
	const struct rmm_image_layout l = {
		(uintptr_t)__rmm_start, (uintptr_t)__text_end,	   (uintptr_t)__rodata_end,
		(uintptr_t)rmm_stacks,	(uintptr_t)rmm_stacks_end, CONFIG_RMM_BASE + CONFIG_RMM_SIZE,
	};
	int rc;

	mmu_init(&rmm_mmu, rmm_tables, RMM_TABLE_PAGES);
	if ((rc = rmm_mmu_map_image(&rmm_mmu, &l)))
		return rc;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t b = banks[i][0], s = banks[i][1];
		if (b + s + RMM_NS_ALIAS_OFFSET > (1UL << MMU_VA_BITS) || b < l.end)
			return MMU_ERR_RANGE;
		if ((rc = mmu_map(&rmm_mmu, b, b, s, MT_RAM_RW)) ||
		    (rc = mmu_map(&rmm_mmu, b + RMM_NS_ALIAS_OFFSET, b, s, MT_RAM_RW | PTE_NS)))
			return rc;
	}
	return 0;
}

void rmm_mmu_enable(void)
{
	mmu_enable_el2(&rmm_mmu);
}
