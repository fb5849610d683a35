/* The RMM's own stage-1 tables (R-EL2, E2H = 0). */
#include <arch/mmu.h>
#include "rmm.h"
#include "rmm_arch.h"

#define RMM_TABLE_PAGES 24

extern char __rmm_start[], __text_end[], __rodata_end[];
static mmu_table_t rmm_tables[RMM_TABLE_PAGES] __attribute__((aligned(PAGE_SIZE)));
static struct mmu_tables rmm_mmu;

/* At R-EL2, descriptor NS = 0 selects the Realm PAS and NS = 1 the Non-secure PAS. */
int rmm_mmu_setup(const uint64_t (*banks)[2], unsigned int n)
{
	uintptr_t start = (uintptr_t)__rmm_start, text_end = (uintptr_t)__text_end;
	uintptr_t ro_end = (uintptr_t)__rodata_end, end = CONFIG_RMM_BASE + CONFIG_RMM_SIZE;
	int rc;

	mmu_init(&rmm_mmu, rmm_tables, RMM_TABLE_PAGES);
	if ((rc = mmu_map(&rmm_mmu, start, start, text_end - start, MT_CODE)) ||
	    (rc = mmu_map(&rmm_mmu, text_end, text_end, ro_end - text_end, MT_RAM_RO)) ||
	    (rc = mmu_map(&rmm_mmu, ro_end, ro_end, end - ro_end, MT_RAM_RW)))
		return rc;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t b = banks[i][0], s = banks[i][1];
		if (b + s + RMM_NS_ALIAS_OFFSET > (1UL << MMU_VA_BITS) || b < end)
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
