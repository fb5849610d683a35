/*
 * lib/s2_tables.c: the number of table pages it predicts for a set of
 * mappings is the number arch/arm64/mmu.c's mmu_map() takes from its pool,
 * on hand-picked cases (with their counts worked out here) and on
 * pseudo-random sets of non-overlapping mappings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arch/mmu.h>
#include <lib/s2_tables.h>

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define POOL_PAGES 2048U /* more than any case below takes */
#define RANDOM_SETS 3000U
#define RANDOM_MAPS_MAX 12U
#define RANDOM_GIBS 6U /* few distinct GiBs, so that mappings share tables */
#define RANDOM_SEED 0x9e3779b97f4a7c15ULL

static mmu_table_t *pool;

static int setup(void **state)
{
	(void)state;
	pool = aligned_alloc(PAGE_SIZE, POOL_PAGES * sizeof(mmu_table_t));
	return pool ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

/* Pages mmu_map() takes for maps[0..n-1], or -1 if a mapping fails. */
static int real_pages(const struct s2_map *maps, unsigned int n)
{
	struct mmu_tables t;

	mmu_init_stage2(&t, pool, POOL_PAGES);
	for (unsigned int i = 0; i < n; i++)
		if (mmu_map(&t, maps[i].ipa, maps[i].pa, maps[i].size, S2_RAM))
			return -1;
	return (int)t.used;
}

static void expect(const struct s2_map *maps, unsigned int n, unsigned int pages)
{
	assert_int_equal(real_pages(maps, n), (int)pages);
	assert_int_equal(s2_tables_needed(maps, n), pages);
}

static void test_cases(void **state)
{
	(void)state;
	/* Nothing: the root. */
	expect(NULL, 0, 1);
	/* 2 MiB-aligned RAM in one GiB: root + one level 2. */
	const struct s2_map ram[] = { { 0x40000000, 0x48000000, 256 * MIB } };
	expect(ram, 1, 2);
	/* IPA and PA 2 MiB aligned differently: pages throughout, a level 3 per 2 MiB. */
	const struct s2_map skew[] = { { 0x40000000, 0x48001000, 8 * MIB } };
	expect(skew, 1, 2 + 4);
	/* An unaligned head and tail: two level 3s, blocks between. */
	const struct s2_map ends[] = { { 0x40001000, 0x48001000, 6 * MIB } };
	expect(ends, 1, 2 + 2);
	/* Crossing a GiB boundary. */
	const struct s2_map cross[] = { { GIB - 2 * MIB, 0x48000000, 4 * MIB } };
	expect(cross, 1, 3);
	/* Two small regions in the same 2 MiB share a level 3. */
	const struct s2_map two[] = { { 0x09010000, 0x09010000, 4 * KIB },
				      { 0x09030000, 0x09030000, 4 * KIB } };
	expect(two, 2, 3);
	/*
	 * The issue-13 tree: RAM in GiB 1 and eight 64 KiB shared regions, each in its own
	 * GiB: root, 9 level 2s, 8 level 3s = 18 pages (the hypervisor had 16).
	 */
	struct s2_map shm8[9] = { { 0x40000000, 0x42000000, 16 * MIB } };
	for (unsigned int i = 0; i < 8; i++)
		shm8[1 + i] = (struct s2_map){ (2ULL + i) * GIB, 0x46000000 + i * 64 * KIB, 64 * KIB };
	expect(shm8, 9, 18);
	/* More maps than the counter takes: 0, never a wrong count. */
	struct s2_map many[S2_TABLES_MAX_MAPS + 1];
	memset(many, 0, sizeof(many));
	assert_int_equal(s2_tables_needed(many, S2_TABLES_MAX_MAPS + 1), 0);
}

static uint64_t rng = RANDOM_SEED;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int overlaps(const struct s2_map *a, const struct s2_map *b)
{
	return a->ipa < b->ipa + b->size && b->ipa < a->ipa + a->size;
}

static void test_random_sets(void **state)
{
	(void)state;
	for (unsigned int set = 0; set < RANDOM_SETS; set++) {
		struct s2_map maps[RANDOM_MAPS_MAX];
		unsigned int n = 0, want = 1 + (unsigned int)(next() % RANDOM_MAPS_MAX);

		while (n < want) {
			struct s2_map m;
			uint64_t pages = 1 + next() % 2048; /* up to 8 MiB */
			m.ipa = (next() % RANDOM_GIBS) * GIB + (next() % (GIB / PAGE_SIZE)) * PAGE_SIZE;
			m.size = pages * PAGE_SIZE;
			if (m.ipa + m.size > RANDOM_GIBS * GIB)
				continue;
			/* Half keep the IPA's offset in 2 MiB (blocks possible), half do not. */
			m.pa = 0x100000000ULL + (next() % 64) * 2 * MIB + (m.ipa % (2 * MIB));
			if (next() & 1)
				m.pa += PAGE_SIZE;
			int clash = 0;
			for (unsigned int i = 0; i < n; i++)
				clash |= overlaps(&m, &maps[i]);
			if (!clash)
				maps[n++] = m;
		}
		int real = real_pages(maps, n);
		assert_true(real > 0);
		assert_int_equal(s2_tables_needed(maps, n), (unsigned int)real);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sets, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
