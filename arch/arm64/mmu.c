#include <arch/mmu.h>
#include <lib/string.h>

#define LEVEL_SHIFT(l) (39U - 9U * (unsigned int)(l)) /* level 1: 30, 2: 21, 3: 12 */

void mmu_init(struct mmu_tables *t, mmu_table_t *pool, unsigned int npages)
{
	t->pool = pool;
	t->npages = npages;
	t->used = 1;
	t->attr_mask = MMU_ATTR_MASK;
	memset(pool[0], 0, sizeof(mmu_table_t));
}

void mmu_init_stage2(struct mmu_tables *t, mmu_table_t *pool, unsigned int npages)
{
	mmu_init(t, pool, npages);
	t->attr_mask = S2_ATTR_MASK;
}

static uint64_t *new_table(struct mmu_tables *t)
{
	if (t->used >= t->npages)
		return NULL;
	uint64_t *tbl = t->pool[t->used++];
	memset(tbl, 0, sizeof(mmu_table_t));
	return tbl;
}

/*
 * Map a run of chunks at the largest level the first one's alignment and
 * size allow: as many consecutive entries of that one table as the range
 * fills (one walk per table, not per 2 MiB block or page).
 */
static int map_one(struct mmu_tables *t, uint64_t va, uint64_t pa, uint64_t left, uint64_t attrs,
		   uint64_t *mapped)
{
	uint64_t *tbl = t->pool[0];

	for (unsigned int level = 1; level <= 3; level++) {
		unsigned int shift = LEVEL_SHIFT(level);
		uint64_t size = 1UL << shift;
		unsigned int i = (unsigned int)((va >> shift) & (MMU_ENTRIES - 1));
		uint64_t *e = &tbl[i];
		int leaf_ok = level == 3 || (((va | pa) & (size - 1)) == 0 && left >= size);

		if (leaf_ok && level > 1) {
			uint64_t desc = (pa & PTE_ADDR_MASK) | attrs | PTE_VALID |
					(level == 3 ? PTE_TABLE_OR_PAGE : 0);
			uint64_t done = 0;
			for (; i < MMU_ENTRIES && left - done >= size; i++, e++, done += size, desc += size) {
				if (*e & PTE_VALID)
					return done ? (*mapped = done, MMU_OK) : MMU_ERR_OVERLAP;
				*e = desc;
			}
			*mapped = done;
			return MMU_OK;
		}
		/* Level-1 blocks are not used: keeps attributes per 2 MiB at worst. */
		if (!(*e & PTE_VALID)) {
			uint64_t *next = new_table(t);
			if (!next)
				return MMU_ERR_NOMEM;
			*e = (uint64_t)(uintptr_t)next | PTE_VALID | PTE_TABLE_OR_PAGE;
		} else if (!(*e & PTE_TABLE_OR_PAGE)) {
			return MMU_ERR_OVERLAP;
		}
		tbl = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
	}
	return MMU_ERR_RANGE;
}

int mmu_map(struct mmu_tables *t, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return MMU_ERR_ALIGN;
	if (size == 0) /* an empty section: nothing to map */
		return MMU_OK;
	if (va + size > (1UL << MMU_VA_BITS) || va + size < va || pa + size > (1UL << MMU_PA_BITS) ||
	    pa + size < pa)
		return MMU_ERR_RANGE;
	if (attrs & ~t->attr_mask)
		return MMU_ERR_ATTR;
	while (size) {
		uint64_t done = 0;
		int rc = map_one(t, va, pa, size, attrs, &done);
		if (rc)
			return rc;
		va += done;
		pa += done;
		size -= done;
	}
	return MMU_OK;
}
