/*
 * arch/arm64/mmu.c: the stage-1 table builder (4 KiB granule, 39-bit VA,
 * start level 1). Table descriptors hold the host address of the pool
 * page, exactly as the target's identity-mapped tables do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arch/mmu.h>

#define MIB (1UL << 20)
#define GIB (1UL << 30)
#define VA_TOP (1UL << MMU_VA_BITS)
#define BLOCK_ADDR_MASK 0x0000ffffffe00000UL
#define POOL_PAGES 16

static mmu_table_t *pool;
static struct mmu_tables t;

static int setup_pages(unsigned int npages)
{
	pool = aligned_alloc(PAGE_SIZE, npages * sizeof(mmu_table_t));
	if (!pool)
		return -1;
	memset(pool, 0xa5, npages * sizeof(mmu_table_t)); /* mmu_init/new_table must clear */
	mmu_init(&t, pool, npages);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_pages(POOL_PAGES);
}

static int setup_1(void **state)
{
	(void)state;
	return setup_pages(1);
}

static int setup_2(void **state)
{
	(void)state;
	return setup_pages(2);
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	pool = NULL;
	return 0;
}

static uint64_t *next_table(uint64_t desc)
{
	assert_int_equal(desc & 3, 3);
	return (uint64_t *)(uintptr_t)(desc & PTE_ADDR_MASK);
}

static uint64_t table_desc(unsigned int page)
{
	return (uint64_t)(uintptr_t)pool[page] | 3;
}

/* The leaf descriptor for va and its level (0 if not mapped). */
static uint64_t walk(uint64_t va, unsigned int *level)
{
	uint64_t *tbl = pool[0];

	for (unsigned int l = 1; l <= 3; l++) {
		uint64_t d = tbl[(va >> (39 - 9 * l)) & 511];
		if (!(d & PTE_VALID) || l == 3 || (d & 3) == 1) {
			*level = (d & PTE_VALID) ? l : 0;
			return d;
		}
		tbl = (uint64_t *)(uintptr_t)(d & PTE_ADDR_MASK);
	}
	*level = 0;
	return 0;
}

static void assert_root_empty(void)
{
	for (unsigned int i = 0; i < MMU_ENTRIES; i++)
		assert_int_equal(pool[0][i], 0);
}

static void test_init(void **state)
{
	(void)state;
	assert_ptr_equal(t.pool, pool);
	assert_int_equal(t.npages, POOL_PAGES);
	assert_int_equal(t.used, 1);
	assert_root_empty();
}

static void test_block_2m(void **state)
{
	const uint64_t va = 0x40000000UL, pa = 0x80000000UL;

	(void)state;
	assert_int_equal(mmu_map(&t, va, pa, 4 * MIB, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 2); /* root + one level-2 table, no level 3 */
	assert_int_equal(pool[0][1], table_desc(1));
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t d = pool[1][i];
		assert_int_equal(d & PTE_VALID, PTE_VALID);
		assert_int_equal(d & PTE_TABLE_OR_PAGE, 0); /* block, not table */
		assert_int_equal(d & BLOCK_ADDR_MASK, pa + i * BLOCK_2M);
		assert_int_equal(d & ~BLOCK_ADDR_MASK & ~PTE_VALID, MT_RAM_RW);
		assert_int_equal(d, (pa + i * BLOCK_2M) | MT_RAM_RW | PTE_VALID);
	}
	assert_int_equal(pool[1][2], 0);
	assert_int_equal(pool[1][511], 0);
	for (unsigned int i = 0; i < MMU_ENTRIES; i++) {
		if (i != 1)
			assert_int_equal(pool[0][i], 0);
	}
	unsigned int level;
	assert_int_equal(walk(va + 3 * MIB, &level), (pa + BLOCK_2M) | MT_RAM_RW | PTE_VALID);
	assert_int_equal(level, 2);
	walk(va + 4 * MIB, &level);
	assert_int_equal(level, 0);
}

static void test_pages_4k(void **state)
{
	const uint64_t va = 0x09000000UL, pa = 0x09000000UL;
	const uint64_t attrs = MT_DEVICE | MT_PAS_ROOT;

	(void)state;
	assert_int_equal(mmu_map(&t, va, pa, 3 * PAGE_SIZE, attrs), MMU_OK);
	assert_int_equal(t.used, 3);
	assert_int_equal(pool[0][0], table_desc(1));
	assert_int_equal(pool[1][va >> 21], table_desc(2));
	for (unsigned int i = 0; i < 3; i++) {
		uint64_t d = pool[2][i];
		assert_int_equal(d & 3, 3); /* page */
		assert_int_equal(d & PTE_ADDR_MASK, pa + i * PAGE_SIZE);
		assert_int_equal(d, (pa + i * PAGE_SIZE) | attrs | 3);
	}
	assert_int_equal(pool[2][3], 0);
	assert_int_equal(pool[2][511], 0);
	unsigned int level;
	assert_int_equal(walk(va + 2 * PAGE_SIZE, &level), (pa + 2 * PAGE_SIZE) | attrs | 3);
	assert_int_equal(level, 3);
}

static void test_offset_mapping_keeps_attrs(void **state)
{
	static const uint64_t attrs[] = { MT_CODE, MT_RAM_RO, MT_RAM_RW | MT_PAS_REALM,
					  MT_DEVICE | MT_PAS_NS };

	(void)state;
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t va = 0x100000000UL + i * BLOCK_2M, pa = 0x40000000UL + i * 0x1000;
		unsigned int level;
		assert_int_equal(mmu_map(&t, va, pa, PAGE_SIZE, attrs[i]), MMU_OK);
		assert_int_equal(walk(va, &level), pa | attrs[i] | 3);
		assert_int_equal(level, 3);
	}
}

static void test_mixed_split(void **state)
{
	/* 2 pages, then a 2 MiB block, then 1 page. */
	const uint64_t va = 2 * MIB - 2 * PAGE_SIZE;
	const uint64_t pa = 0x80000000UL + 2 * MIB - 2 * PAGE_SIZE;
	const uint64_t size = 2 * PAGE_SIZE + BLOCK_2M + PAGE_SIZE;
	unsigned int level;

	(void)state;
	assert_int_equal(mmu_map(&t, va, pa, size, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 4); /* root, L2, two L3 */
	uint64_t *l2 = next_table(pool[0][0]);
	uint64_t *l3a = next_table(l2[0]);
	uint64_t *l3b = next_table(l2[2]);
	assert_int_equal(l3a[509], 0);
	assert_int_equal(l3a[510], (pa) | MT_RAM_RW | 3);
	assert_int_equal(l3a[511], (pa + PAGE_SIZE) | MT_RAM_RW | 3);
	assert_int_equal(l2[1], (0x80000000UL + 2 * MIB) | MT_RAM_RW | PTE_VALID);
	assert_int_equal(l3b[0], (0x80000000UL + 4 * MIB) | MT_RAM_RW | 3);
	assert_int_equal(l3b[1], 0);
	assert_int_equal(l2[3], 0);
	walk(va - PAGE_SIZE, &level);
	assert_int_equal(level, 0);
	walk(va + size, &level);
	assert_int_equal(level, 0);
}

static void test_misaligned_pa_uses_pages(void **state)
{
	/* va 2 MiB aligned but pa only 4 KiB aligned: no block possible. */
	const uint64_t va = 0x40000000UL, pa = 0x80001000UL;

	(void)state;
	assert_int_equal(mmu_map(&t, va, pa, BLOCK_2M, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 3);
	uint64_t *l3 = next_table(next_table(pool[0][1])[0]);
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(l3[i], (pa + i * PAGE_SIZE) | MT_RAM_RW | 3);
}

static void test_1g_uses_l2_blocks(void **state)
{
	/* Level-1 blocks are not used: 1 GiB becomes 512 level-2 blocks. */
	(void)state;
	assert_int_equal(mmu_map(&t, GIB, GIB, GIB, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 2);
	assert_int_equal(pool[0][1], table_desc(1));
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(pool[1][i], (GIB + i * BLOCK_2M) | MT_RAM_RW | PTE_VALID);
}

static void test_last_page_of_va_space(void **state)
{
	unsigned int level;

	(void)state;
	assert_int_equal(mmu_map(&t, VA_TOP - PAGE_SIZE, 0x1000, PAGE_SIZE, MT_RAM_RW), MMU_OK);
	assert_int_equal(walk(VA_TOP - PAGE_SIZE, &level), 0x1000 | MT_RAM_RW | 3);
	assert_int_equal(level, 3);
	assert_int_equal(pool[0][511] & 3, 3);
}

static void test_align_errors(void **state)
{
	static const uint64_t bad[][3] = {
		{ 0x40000800UL, 0x80000000UL, PAGE_SIZE }, /* va */
		{ 0x40000001UL, 0x80000000UL, PAGE_SIZE },
		{ 0x40000000UL, 0x80000010UL, PAGE_SIZE }, /* pa */
		{ 0x40000000UL, 0x80000000UL, 0x800 },	   /* size */
		{ 0x40000000UL, 0x80000000UL, BLOCK_2M + 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mmu_map(&t, bad[i][0], bad[i][1], bad[i][2], MT_RAM_RW), MMU_ERR_ALIGN);
		assert_int_equal(t.used, 1);
		assert_root_empty();
	}
}

static void test_range_errors(void **state)
{
	static const uint64_t bad[][2] = {
		{ VA_TOP, PAGE_SIZE },
		{ VA_TOP - PAGE_SIZE, 2 * PAGE_SIZE },
		{ 0, VA_TOP + PAGE_SIZE },
		{ 0xffffff8000000000UL, PAGE_SIZE },	 /* upper VA range: not TTBR0 */
		{ 0xfffffffffffff000UL, 2 * PAGE_SIZE }, /* wraps */
		{ PAGE_SIZE, 0xfffffffffffff000UL },	 /* wraps */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = mmu_map(&t, bad[i][0], 0, bad[i][1], MT_RAM_RW);
		if (rc != MMU_ERR_RANGE)
			fail_msg("mmu_map(0x%lx, size 0x%lx) = %d, want MMU_ERR_RANGE",
				 (unsigned long)bad[i][0], (unsigned long)bad[i][1], rc);
		assert_int_equal(t.used, 1);
		assert_root_empty();
	}
}

static void test_pa_and_attr_errors(void **state)
{
	(void)state;
	/* The output address must fit TCR_ELx.PS (40 bits). */
	assert_int_equal(mmu_map(&t, 0, 1UL << MMU_PA_BITS, PAGE_SIZE, MT_RAM_RW), MMU_ERR_RANGE);
	assert_int_equal(mmu_map(&t, 0, (1UL << MMU_PA_BITS) - PAGE_SIZE, 2 * PAGE_SIZE, MT_RAM_RW),
			 MMU_ERR_RANGE);
	/* Descriptor type bits are the builder's, not the caller's. */
	assert_int_equal(mmu_map(&t, 0, 0, PAGE_SIZE, MT_RAM_RW | PTE_TABLE_OR_PAGE), MMU_ERR_ATTR);
	assert_int_equal(mmu_map(&t, 0, 0, PAGE_SIZE, MT_RAM_RW | PTE_VALID), MMU_ERR_ATTR);
	assert_int_equal(mmu_map(&t, 0, 0, PAGE_SIZE, MT_RAM_RW | (1UL << 48)), MMU_ERR_ATTR);
	assert_int_equal(t.used, 1);
	assert_root_empty();
	/* An empty range maps nothing and succeeds (empty linker sections). */
	assert_int_equal(mmu_map(&t, 0, 0, 0, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 1);
	assert_root_empty();
}

static void test_stage2(void **state)
{
	const uint64_t ipa = 0x40000000UL, pa = 0x50000000UL;
	unsigned int level;

	(void)state;
	mmu_init_stage2(&t, pool, POOL_PAGES);
	assert_int_equal(t.attr_mask, S2_ATTR_MASK);
	/* Bits with no stage-2 meaning (nG/NSE, software bits, AP_RO of stage 1 is S2AP) are refused. */
	assert_int_equal(mmu_map(&t, ipa, pa, BLOCK_2M, S2_RAM | PTE_NSE), MMU_ERR_ATTR);
	assert_int_equal(mmu_map(&t, ipa, pa, BLOCK_2M, S2_RAM | (1UL << 55)), MMU_ERR_ATTR);
	assert_int_equal(t.used, 1);
	assert_int_equal(mmu_map(&t, ipa, pa, BLOCK_2M, S2_RAM), MMU_OK);
	assert_int_equal(walk(ipa + 0x1000, &level), pa | S2_RAM | PTE_VALID);
	assert_int_equal(level, 2);
	assert_int_equal(mmu_map(&t, 0x09000000UL, 0x09000000UL, PAGE_SIZE, S2_DEVICE), MMU_OK);
	assert_int_equal(walk(0x09000000UL, &level),
			 0x09000000UL | S2_DEVICE | PTE_VALID | PTE_TABLE_OR_PAGE);
	assert_int_equal(level, 3);
	/* Device memory is never executable at stage 2. */
	assert_int_equal(S2_DEVICE & (3UL << 53), S2_XN);
}

static void test_nomem_root_only(void **state)
{
	(void)state;
	assert_int_equal(mmu_map(&t, 0, 0, BLOCK_2M, MT_RAM_RW), MMU_ERR_NOMEM);
	assert_int_equal(t.used, 1);
	assert_root_empty();
}

static void test_nomem_no_level3(void **state)
{
	(void)state;
	/* Two pages: root + L2 is enough for a block but not for a page. */
	assert_int_equal(mmu_map(&t, 0, 0, BLOCK_2M, MT_RAM_RW), MMU_OK);
	assert_int_equal(t.used, 2);
	assert_int_equal(mmu_map(&t, BLOCK_2M, BLOCK_2M, PAGE_SIZE, MT_RAM_RW), MMU_ERR_NOMEM);
	assert_int_equal(t.used, 2);
	assert_int_equal(pool[1][1], 0);
	assert_int_equal(mmu_map(&t, GIB, GIB, BLOCK_2M, MT_RAM_RW), MMU_ERR_NOMEM); /* new L2 */
	assert_int_equal(pool[0][1], 0);
}

static void test_overlap(void **state)
{
	const uint64_t page = 0x40001000UL, block = 0x40200000UL;

	(void)state;
	assert_int_equal(mmu_map(&t, page, page, PAGE_SIZE, MT_RAM_RW), MMU_OK);
	assert_int_equal(mmu_map(&t, block, block, BLOCK_2M, MT_RAM_RW), MMU_OK);
	unsigned int used = t.used;
	mmu_table_t *before = malloc(used * sizeof(mmu_table_t));
	assert_non_null(before);
	memcpy(before, pool, used * sizeof(mmu_table_t));

	/* The same page again, even with the same attributes or another pa. */
	assert_int_equal(mmu_map(&t, page, page, PAGE_SIZE, MT_RAM_RW), MMU_ERR_OVERLAP);
	assert_int_equal(mmu_map(&t, page, 0x90000000UL, PAGE_SIZE, MT_DEVICE), MMU_ERR_OVERLAP);
	/* A page inside an existing block. */
	assert_int_equal(mmu_map(&t, block + 5 * PAGE_SIZE, 0x1000, PAGE_SIZE, MT_RAM_RW), MMU_ERR_OVERLAP);
	/* The same block again. */
	assert_int_equal(mmu_map(&t, block, block, BLOCK_2M, MT_RAM_RW), MMU_ERR_OVERLAP);
	/* A block over a level-3 table holding the page. */
	assert_int_equal(mmu_map(&t, 0x40000000UL, 0x40000000UL, BLOCK_2M, MT_RAM_RW), MMU_ERR_OVERLAP);
	assert_int_equal(t.used, used);
	int same = memcmp(before, pool, used * sizeof(mmu_table_t)) == 0;
	free(before);
	assert_true(same);

	/* The originals are intact. */
	unsigned int level;
	assert_int_equal(walk(page, &level), page | MT_RAM_RW | 3);
	assert_int_equal(level, 3);
	assert_int_equal(walk(block + 5 * PAGE_SIZE, &level), block | MT_RAM_RW | PTE_VALID);
	assert_int_equal(level, 2);
	/* Neighbours are free. */
	assert_int_equal(mmu_map(&t, page + PAGE_SIZE, page + PAGE_SIZE, PAGE_SIZE, MT_RAM_RW), MMU_OK);
	assert_int_equal(mmu_map(&t, block + BLOCK_2M, block + BLOCK_2M, BLOCK_2M, MT_RAM_RW), MMU_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offset_mapping_keeps_attrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_pa_uses_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1g_uses_l2_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_page_of_va_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_align_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pa_and_attr_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nomem_root_only, setup_1, teardown),
		cmocka_unit_test_setup_teardown(test_nomem_no_level3, setup_2, teardown),
		cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
	};

	return cmocka_run_group_tests_name("mmu", tests, NULL, NULL);
}
