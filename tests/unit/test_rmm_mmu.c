/*
 * rmm/mmu.c: the RMM's map of its own carve-out. Text executable and read
 * only, rodata read only, the rest read-write and never executable, and
 * below each CPU's stack a page that is not mapped at all, so that a stack
 * overflow faults (and rmm_exception_panic() runs on a stack of its own)
 * instead of writing the next CPU's stack.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <arch/mmu.h>
#include "rmm.h"
#include "rmm_asm.h"

#define POOL_PAGES 16
#define CARVE 0x40000000UL

static mmu_table_t *pool;
static struct mmu_tables t;

/* What the target's linker script and arch/arm64/mmu_enable.c provide; rmm_mmu_setup() only. */
char __rmm_start[1], __text_end[1], __rodata_end[1], rmm_stacks[1], rmm_stacks_end[1];
void mmu_enable_el2(const struct mmu_tables *tables)
{
	(void)tables;
}

/* The leaf descriptor of va, or 0 if it is not mapped. */
static uint64_t leaf(uint64_t va)
{
	uint64_t *tbl = pool[0];

	for (unsigned int l = 1; l <= 3; l++) {
		uint64_t d = tbl[(va >> (39 - 9 * l)) & 511];
		if (!(d & PTE_VALID) || l == 3 || (d & 3) == 1)
			return (d & PTE_VALID) ? d : 0;
		tbl = (uint64_t *)(uintptr_t)(d & PTE_ADDR_MASK);
	}
	return 0;
}

static void test_stacks_have_guard_pages(void **state)
{
	/* As rmm.ld.S lays it out: text, rodata, data/bss, stacks, granule array, shared page. */
	const uint64_t stacks = CARVE + 0x5d000, stacks_end = stacks + CONFIG_NR_CPUS * RMM_STACK_STRIDE;
	const struct rmm_image_layout l = { CARVE,  CARVE + 0x17000, CARVE + 0x1c000,
					    stacks, stacks_end,	     CARVE + 0x1000000 };

	(void)state;
	pool = aligned_alloc(PAGE_SIZE, POOL_PAGES * sizeof(mmu_table_t));
	assert_non_null(pool);
	mmu_init(&t, pool, POOL_PAGES);
	assert_int_equal(rmm_mmu_map_image(&t, &l), MMU_OK);

	assert_int_equal(leaf(CARVE) & (PTE_XN | PTE_AP_RO), PTE_AP_RO);	       /* text: RX */
	assert_int_equal(leaf(l.text_end) & (PTE_XN | PTE_AP_RO), PTE_XN | PTE_AP_RO); /* rodata */
	assert_int_equal(leaf(l.ro_end) & (PTE_XN | PTE_AP_RO), PTE_XN);	       /* data: RW */
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		uint64_t base = stacks + cpu * RMM_STACK_STRIDE, top = base + RMM_STACK_STRIDE;
		/* entry.S: SP = top; the stack is the RMM_STACK_SIZE below, the guard page below that. */
		for (uint64_t va = base; va < base + RMM_STACK_GUARD; va += PAGE_SIZE)
			assert_int_equal(leaf(va), 0);
		for (uint64_t va = base + RMM_STACK_GUARD; va < top; va += PAGE_SIZE)
			assert_int_equal(leaf(va) & (PTE_XN | PTE_AP_RO | PTE_VALID), PTE_XN | PTE_VALID);
	}
	assert_int_equal(leaf(stacks_end) & (PTE_XN | PTE_AP_RO | PTE_VALID), PTE_XN | PTE_VALID);
	assert_int_equal(leaf(l.end - PAGE_SIZE) & PTE_VALID, PTE_VALID);
	assert_int_equal(leaf(l.end), 0);
	free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stacks_have_guard_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
