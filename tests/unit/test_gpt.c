/*
 * monitor/gpt.c: Granule Protection Table layout, descriptor encodings,
 * range/granule updates, look-ups, delegation checks and GPCCR_EL3.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gpt.h"
#include "gpt_layout.h"

#define GIB (1UL << 30)
#define MIB (1UL << 20)
#define KIB (1UL << 10)
#define G4K GPT_GRANULE_SIZE
#define PPS_TOP (1UL << GPT_PPS_BITS)
#define ANY_BLOCK (GPT_L0_TYPE_BLOCK | ((uint64_t)GPI_ANY << GPT_L0_BLOCK_GPI_SHIFT))
#define FILL(gpi) ((uint64_t)(gpi)*0x1111111111111111UL)

/* A made-up physical address for the L1 tables: only the descriptors use it. */
#define L1_PA 0x0e800000UL

struct fixture {
	struct gpt g;
	uint64_t *l0;
	uint64_t *l1;
	unsigned int n_l1;
	/* Snapshot for "nothing changed" checks. */
	uint64_t *l0_copy;
	uint64_t *l1_copy;
	struct gpt g_copy;
};

static size_t l0_bytes(void)
{
	return GPT_L0_ENTRIES * sizeof(uint64_t);
}

static size_t l1_bytes(unsigned int n)
{
	return (size_t)n * GPT_L1_TABLE_SIZE;
}

static struct fixture *fixture_new(unsigned int n_l1)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned int n = n_l1 ? n_l1 : 1;

	assert_non_null(f);
	f->n_l1 = n_l1;
	f->l0 = aligned_alloc(l0_bytes(), l0_bytes());
	f->l1 = aligned_alloc(GPT_L1_TABLE_SIZE, l1_bytes(n));
	f->l0_copy = malloc(l0_bytes());
	f->l1_copy = malloc(l1_bytes(n));
	assert_non_null(f->l0);
	assert_non_null(f->l1);
	assert_non_null(f->l0_copy);
	assert_non_null(f->l1_copy);
	/* Garbage, so that gpt_init has to write every entry itself. */
	memset(f->l0, 0xa5, l0_bytes());
	memset(f->l1, 0x5a, l1_bytes(n));
	return f;
}

static void fixture_free(struct fixture *f)
{
	free(f->l0);
	free(f->l1);
	free(f->l0_copy);
	free(f->l1_copy);
	free(f);
}

static void snapshot(struct fixture *f)
{
	memcpy(f->l0_copy, f->l0, l0_bytes());
	memcpy(f->l1_copy, f->l1, l1_bytes(f->n_l1 ? f->n_l1 : 1));
	f->g_copy = f->g;
}

static void assert_unchanged(const struct fixture *f)
{
	assert_memory_equal(f->l0, f->l0_copy, l0_bytes());
	assert_memory_equal(f->l1, f->l1_copy, l1_bytes(f->n_l1 ? f->n_l1 : 1));
	assert_memory_equal(&f->g, &f->g_copy, sizeof(f->g));
}

static unsigned int get(const struct fixture *f, uint64_t pa)
{
	unsigned int gpi = 0xdead;

	assert_int_equal(gpt_get(&f->g, pa, &gpi), GPT_OK);
	return gpi;
}

/* The production layout of monitor/gpt_el3.c: GiB 0 (flash, SRAM) and DRAM. */
static const uint32_t prod_regions[] = { 0, 1, 2 };

static struct fixture *prod_init(void)
{
	struct fixture *f = fixture_new(3);

	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, prod_regions, 3), GPT_OK);
	return f;
}

/* A second table set for comparisons; freed by teardown even if a test fails. */
static struct fixture *second;

static int teardown(void **state)
{
	if (*state)
		fixture_free(*state);
	*state = NULL;
	if (second)
		fixture_free(second);
	second = NULL;
	return 0;
}

static int setup_prod(void **state)
{
	*state = prod_init();
	return 0;
}

/* ------------------------------------------------------------------ gpt_init */

static void test_init_layout(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(f->g.l0, f->l0);
	assert_ptr_equal(f->g.l1, f->l1);
	assert_int_equal(f->g.l1_pa, L1_PA);
	assert_int_equal(f->g.n_l1, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(f->g.l1_region[i], prod_regions[i]);
		assert_int_equal(f->l0[i], (L1_PA + i * GPT_L1_TABLE_SIZE) | 0x3);
	}
	for (uint64_t i = 3; i < GPT_L0_ENTRIES; i++) {
		if (f->l0[i] != 0xf1)
			fail_msg("L0[%lu] = 0x%lx, want block ANY 0xf1", (unsigned long)i,
				 (unsigned long)f->l0[i]);
	}
	for (uint64_t i = 0; i < 3 * GPT_L1_ENTRIES; i++) {
		if (f->l1[i] != 0xffffffffffffffffUL)
			fail_msg("L1 entry %lu = 0x%lx, want all ANY", (unsigned long)i,
				 (unsigned long)f->l1[i]);
	}
}

static void test_init_table_order(void **state)
{
	/* Regions in any order: table i describes regions[i]. */
	static const uint32_t regions[] = { 5, 2, 1023 };
	struct fixture *f = fixture_new(3);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, regions, 3), GPT_OK);
	assert_int_equal(f->l0[5], L1_PA | 0x3);
	assert_int_equal(f->l0[2], (L1_PA + GPT_L1_TABLE_SIZE) | 0x3);
	assert_int_equal(f->l0[1023], (L1_PA + 2 * GPT_L1_TABLE_SIZE) | 0x3);
	assert_int_equal(f->l0[0], ANY_BLOCK);
	assert_int_equal(f->l0[1], ANY_BLOCK);
	assert_int_equal(f->l0[3], ANY_BLOCK);

	/* A granule of region 2 lands in table 1, one of region 1023 in table 2. */
	assert_int_equal(gpt_set_granule(&f->g, 2 * GIB + 0x13000, GPI_NS), GPT_OK);
	assert_int_equal(f->l1[GPT_L1_ENTRIES + 1], 0xffffffffffff9fffUL);
	assert_int_equal(gpt_set_granule(&f->g, 1023 * GIB + GIB - G4K, GPI_REALM), GPT_OK);
	assert_int_equal(f->l1[3 * GPT_L1_ENTRIES - 1], 0xbfffffffffffffffUL);
	assert_int_equal(f->l1[0], 0xffffffffffffffffUL);
}

static void test_init_no_regions(void **state)
{
	struct fixture *f = fixture_new(0);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, NULL, 0), GPT_OK);
	assert_int_equal(f->g.n_l1, 0);
	for (uint64_t i = 0; i < GPT_L0_ENTRIES; i++)
		assert_int_equal(f->l0[i], ANY_BLOCK);
	assert_int_equal(gpt_set_granule(&f->g, CONFIG_DRAM_BASE, GPI_NS), GPT_ERR_RANGE);
	assert_int_equal(get(f, CONFIG_DRAM_BASE), GPI_ANY);
}

static void test_init_max_regions(void **state)
{
	static const uint32_t regions[GPT_MAX_L1] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct fixture *f = fixture_new(GPT_MAX_L1);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, regions, GPT_MAX_L1), GPT_OK);
	assert_int_equal(f->g.n_l1, GPT_MAX_L1);
	assert_int_equal(f->l0[7], (L1_PA + 7 * GPT_L1_TABLE_SIZE) | 0x3);
	assert_int_equal(f->l0[8], ANY_BLOCK);
}

static void test_init_too_many_regions(void **state)
{
	static const uint32_t regions[GPT_MAX_L1 + 1] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fixture *f = fixture_new(GPT_MAX_L1 + 1);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, regions, GPT_MAX_L1 + 1), GPT_ERR_LAYOUT);
}

static void test_init_misaligned_l1(void **state)
{
	static const uint64_t bad[] = { L1_PA + G4K, L1_PA + 64 * KIB, L1_PA + GPT_L1_TABLE_SIZE - 8, 1 };
	struct fixture *f = fixture_new(3);

	*state = f;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(gpt_init(&f->g, f->l0, f->l1, bad[i], prod_regions, 3), GPT_ERR_LAYOUT);
	/* 128 KiB alignment is enough. */
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA + GPT_L1_TABLE_SIZE, prod_regions, 3), GPT_OK);
	assert_int_equal(f->l0[0], (L1_PA + GPT_L1_TABLE_SIZE) | 0x3);
}

static void test_init_duplicate_region(void **state)
{
	static const uint32_t regions[] = { 1, 2, 1 };
	static const uint32_t adjacent_dup[] = { 4, 4 };
	struct fixture *f = fixture_new(3);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, regions, 3), GPT_ERR_LAYOUT);
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, adjacent_dup, 2), GPT_ERR_LAYOUT);
}

static void test_init_region_beyond_pps(void **state)
{
	static const uint32_t at_pps[] = { 1, (uint32_t)GPT_L0_ENTRIES };
	static const uint32_t far[] = { 0xffffffffU };
	static const uint32_t last[] = { (uint32_t)GPT_L0_ENTRIES - 1 };
	struct fixture *f = fixture_new(2);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, at_pps, 2), GPT_ERR_RANGE);
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, far, 1), GPT_ERR_RANGE);
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, last, 1), GPT_OK);
	assert_int_equal(f->l0[GPT_L0_ENTRIES - 1], L1_PA | 0x3);
}

/* ------------------------------------------------------ descriptor encodings */

static void test_l1_nibble_encoding(void **state)
{
	struct fixture *f = *state;
	const uint64_t base = 2 * GIB + 7 * GPT_L1_ENTRY_SPAN; /* L1 table 2, entry 7 */

	assert_int_equal(gpt_set_range(&f->g, base, GPT_L1_ENTRY_SPAN, GPI_NS), GPT_OK);
	assert_int_equal(f->l1[2 * GPT_L1_ENTRIES + 7], FILL(GPI_NS));
	for (unsigned int i = 0; i < 16; i++) {
		uint64_t pa = base + i * G4K;
		uint64_t want = (FILL(GPI_NS) & ~(0xfUL << (4 * i))) | ((uint64_t)GPI_REALM << (4 * i));

		assert_int_equal((pa >> 12) & 15, i);
		assert_int_equal(gpt_set_granule(&f->g, pa, GPI_REALM), GPT_OK);
		assert_int_equal(f->l1[2 * GPT_L1_ENTRIES + 7], want);
		assert_int_equal(get(f, pa), GPI_REALM);
		assert_int_equal(gpt_set_granule(&f->g, pa, GPI_NS), GPT_OK);
	}
	/* Neighbouring entries untouched. */
	assert_int_equal(f->l1[2 * GPT_L1_ENTRIES + 6], FILL(GPI_ANY));
	assert_int_equal(f->l1[2 * GPT_L1_ENTRIES + 8], FILL(GPI_ANY));
}

static void test_l0_block_decoding(void **state)
{
	struct fixture *f = *state;
	static const unsigned int gpis[] = {
		GPI_NO_ACCESS, GPI_SECURE, GPI_NS, GPI_ROOT, GPI_REALM, GPI_ANY
	};

	/* gpt_init only writes ANY blocks; check the decoder against the encoding. */
	for (size_t i = 0; i < sizeof(gpis) / sizeof(gpis[0]); i++) {
		f->l0[7] = 0x1 | ((uint64_t)gpis[i] << 4);
		assert_int_equal(get(f, 7 * GIB), gpis[i]);
		assert_int_equal(get(f, 8 * GIB - G4K), gpis[i]);
	}
}

/* ------------------------------------------------------------ gpt_set_range */

/* Apply the same range with gpt_set_range to a and granule by granule to b. */
static void set_both(struct fixture *a, struct fixture *b, uint64_t base, uint64_t size, unsigned int gpi)
{
	assert_int_equal(gpt_set_range(&a->g, base, size, gpi), GPT_OK);
	for (uint64_t pa = base; pa < base + size; pa += G4K)
		assert_int_equal(gpt_set_granule(&b->g, pa, gpi), GPT_OK);
	assert_memory_equal(a->l0, b->l0, l0_bytes());
	if (memcmp(a->l1, b->l1, l1_bytes(3)) != 0)
		fail_msg("gpt_set_range(0x%lx, 0x%lx, %u) differs from per-granule setting",
			 (unsigned long)base, (unsigned long)size, gpi);
}

static void test_set_range_matches_granules(void **state)
{
	struct fixture *a = *state, *b = second = prod_init();
	static const struct {
		uint64_t base, size;
		unsigned int gpi;
	} cases[] = {
		{ GIB, GIB, GPI_NS },				/* whole region, fast path only */
		{ GIB + G4K, G4K, GPI_REALM },			/* one granule */
		{ GIB + 3 * G4K, 0x50000 + 2 * G4K, GPI_ROOT }, /* partial head and tail */
		{ GIB + 0x100000 - G4K, 2 * G4K, GPI_SECURE },	/* across one entry boundary */
		{ GIB + 0x200000, 0x10000, GPI_NO_ACCESS },	/* exactly one entry */
		{ GIB + 0x210000, 0xf000, GPI_REALM },		/* aligned start, short */
		{ GIB + 0x221000, 0xf000, GPI_REALM },		/* aligned end, short start */
		{ 2 * GIB - 0x23000, 0x47000, GPI_ROOT },	/* across the GiB boundary */
		{ 0x0e001000, 0x00ffe000, GPI_ROOT },		/* region 0, both ends partial */
		{ 3 * GIB - 5 * G4K, 5 * G4K, GPI_ANY },	/* last granules of the table */
		{ 0, 3 * GIB, GPI_NS },				/* every table */
		{ GIB + 0x12345000, 0x6789000, GPI_REALM },	/* odd sizes */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		set_both(a, b, cases[i].base, cases[i].size, cases[i].gpi);
	/* Pseudo-random ranges on top of each other. */
	uint64_t x = 0x9e3779b97f4a7c15UL;
	for (unsigned int i = 0; i < 200; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t base = GIB + ((x >> 8) % 0x4000) * G4K;
		uint64_t size = (((x >> 32) % 0x60) + 1) * G4K;
		static const unsigned int gpis[] = { GPI_NS,	 GPI_REALM, GPI_ROOT,
						     GPI_SECURE, GPI_ANY,   GPI_NO_ACCESS };
		set_both(a, b, base, size, gpis[x % 6]);
	}
}

static void test_set_range_values(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(gpt_set_range(&f->g, GIB + 0x3000, 0x1e000, GPI_NS), GPT_OK);
	/* Entry 0: granules 3..15 NS; entry 1: all NS; entry 2: granules 0..0 NS. */
	assert_int_equal(f->l1[GPT_L1_ENTRIES + 0], 0x9999999999999fffUL);
	assert_int_equal(f->l1[GPT_L1_ENTRIES + 1], FILL(GPI_NS));
	assert_int_equal(f->l1[GPT_L1_ENTRIES + 2], 0xfffffffffffffff9UL);
	assert_int_equal(f->l1[GPT_L1_ENTRIES + 3], FILL(GPI_ANY));
	assert_int_equal(get(f, GIB + 0x2000), GPI_ANY);
	assert_int_equal(get(f, GIB + 0x3000), GPI_NS);
	assert_int_equal(get(f, GIB + 0x20000), GPI_NS);
	assert_int_equal(get(f, GIB + 0x21000), GPI_ANY);
}

static void test_set_range_rejects(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint64_t base, size;
		unsigned int gpi;
		int rc;
	} cases[] = {
		{ GIB + 0x800, G4K, GPI_NS, GPT_ERR_ALIGN }, /* unaligned base */
		{ GIB + 1, G4K, GPI_NS, GPT_ERR_ALIGN },
		{ GIB, G4K + 0x10, GPI_NS, GPT_ERR_ALIGN }, /* unaligned size */
		{ GIB, 0xfff, GPI_NS, GPT_ERR_ALIGN },
		{ GIB, 0, GPI_NS, GPT_ERR_ALIGN },			 /* size 0 */
		{ 0xfffffffffffff000UL, 0x2000, GPI_NS, GPT_ERR_RANGE }, /* wraps */
		{ 0xfffffffffffff000UL, 0x1000, GPI_NS, GPT_ERR_RANGE }, /* ends exactly at 2^64 */
		{ GIB, 0xfffffffffffff000UL, GPI_NS, GPT_ERR_RANGE },
		{ 3 * GIB, G4K, GPI_NS, GPT_ERR_RANGE },	   /* region without L1 */
		{ 3 * GIB - G4K, 2 * G4K, GPI_NS, GPT_ERR_RANGE }, /* covered head, uncovered tail */
		{ 0, 4 * GIB, GPI_NS, GPT_ERR_RANGE },		   /* tail region uncovered */
		{ PPS_TOP, G4K, GPI_NS, GPT_ERR_RANGE },	   /* beyond PPS */
		{ PPS_TOP + GIB, G4K, GPI_NS, GPT_ERR_RANGE },	   /* aliases region 1 modulo PPS */
		{ GIB, G4K, 0x1, GPT_ERR_GPI },			   /* reserved GPIs */
		{ GIB, G4K, 0x4, GPT_ERR_GPI },
		{ GIB, G4K, 0x7, GPT_ERR_GPI },
		{ GIB, G4K, 0xc, GPT_ERR_GPI },
		{ GIB, G4K, 0xd, GPT_ERR_GPI },
		{ GIB, G4K, 0x10, GPT_ERR_GPI },
		{ GIB, G4K, 0x19, GPT_ERR_GPI }, /* NS | 0x10 */
	};

	/* A non-uniform starting point, so that any stray write shows. */
	assert_int_equal(gpt_set_range(&f->g, 0, 3 * GIB, GPI_NS), GPT_OK);
	assert_int_equal(gpt_set_range(&f->g, GIB + 0x5000, 0x3000, GPI_REALM), GPT_OK);
	snapshot(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = gpt_set_range(&f->g, cases[i].base, cases[i].size, cases[i].gpi);
		if (rc != cases[i].rc)
			fail_msg("gpt_set_range(0x%lx, 0x%lx, %u) = %d, want %d",
				 (unsigned long)cases[i].base, (unsigned long)cases[i].size, cases[i].gpi, rc,
				 cases[i].rc);
		assert_unchanged(f);
	}
}

static void test_set_range_gap_between_tables(void **state)
{
	/* Regions 0 and 2 only: a range from 0 to region 2 crosses uncovered region 1. */
	static const uint32_t regions[] = { 0, 2 };
	struct fixture *f = fixture_new(2);

	*state = f;
	assert_int_equal(gpt_init(&f->g, f->l0, f->l1, L1_PA, regions, 2), GPT_OK);
	snapshot(f);
	assert_int_equal(gpt_set_range(&f->g, GIB - G4K, GIB + 2 * G4K, GPI_NS), GPT_ERR_RANGE);
	assert_unchanged(f);
	assert_int_equal(gpt_set_range(&f->g, 0, 3 * GIB, GPI_NS), GPT_ERR_RANGE);
	assert_unchanged(f);
}

/* ------------------------------------------------------------------ gpt_get */

static void test_get(void **state)
{
	struct fixture *f = *state;
	unsigned int gpi = 0x1234;

	/* L0 block regions. */
	assert_int_equal(get(f, 3 * GIB), GPI_ANY);
	assert_int_equal(get(f, PPS_TOP - G4K), GPI_ANY);
	/* L1 regions. */
	assert_int_equal(get(f, 0), GPI_ANY);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x7000, GPI_REALM), GPT_OK);
	assert_int_equal(get(f, GIB + 0x7000), GPI_REALM);
	assert_int_equal(get(f, GIB + 0x7fff), GPI_REALM); /* any byte of the granule */
	assert_int_equal(get(f, GIB + 0x6000), GPI_ANY);
	assert_int_equal(get(f, GIB + 0x8000), GPI_ANY);
	/* Beyond PPS: error, output untouched. */
	assert_int_equal(gpt_get(&f->g, PPS_TOP, &gpi), GPT_ERR_RANGE);
	assert_int_equal(gpt_get(&f->g, PPS_TOP + GIB + 0x7000, &gpi), GPT_ERR_RANGE);
	assert_int_equal(gpt_get(&f->g, ~0UL, &gpi), GPT_ERR_RANGE);
	assert_int_equal(gpi, 0x1234);
}

static void test_get_table_without_l1(void **state)
{
	struct fixture *f = *state;
	unsigned int gpi = 0x1234;

	/* An L0 table descriptor the struct does not know: inconsistent layout. */
	f->l0[9] = (L1_PA + 5 * GPT_L1_TABLE_SIZE) | 0x3;
	assert_int_equal(gpt_get(&f->g, 9 * GIB, &gpi), GPT_ERR_LAYOUT);
	assert_int_equal(gpi, 0x1234);
}

/* --------------------------------------------------------- gpt_set_granule */

static void test_set_granule(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(gpt_set_granule(&f->g, GIB, GPI_NS), GPT_OK);
	assert_int_equal(f->l1[GPT_L1_ENTRIES], 0xfffffffffffffff9UL);
	assert_int_equal(gpt_set_granule(&f->g, 3 * GIB - G4K, GPI_ROOT), GPT_OK);
	assert_int_equal(f->l1[3 * GPT_L1_ENTRIES - 1], 0xafffffffffffffffUL);
	assert_int_equal(gpt_set_granule(&f->g, 0, GPI_NO_ACCESS), GPT_OK);
	assert_int_equal(f->l1[0], 0xfffffffffffffff0UL);
	assert_int_equal(gpt_set_granule(&f->g, 0, GPI_SECURE), GPT_OK);
	assert_int_equal(f->l1[0], 0xfffffffffffffff8UL);
}

static void test_set_granule_rejects(void **state)
{
	struct fixture *f = *state;

	snapshot(f);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x800, GPI_NS), GPT_ERR_ALIGN);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 8, GPI_NS), GPT_ERR_ALIGN);
	assert_int_equal(gpt_set_granule(&f->g, 3 * GIB, GPI_NS), GPT_ERR_RANGE);
	assert_int_equal(gpt_set_granule(&f->g, PPS_TOP, GPI_NS), GPT_ERR_RANGE);
	assert_int_equal(gpt_set_granule(&f->g, PPS_TOP + GIB, GPI_NS), GPT_ERR_RANGE);
	assert_int_equal(gpt_set_granule(&f->g, GIB, 0x2), GPT_ERR_GPI);
	assert_int_equal(gpt_set_granule(&f->g, GIB, 0xe), GPT_ERR_GPI);
	assert_int_equal(gpt_set_granule(&f->g, GIB, 0x1b), GPT_ERR_GPI);
	assert_unchanged(f);
}

/* ---------------------------------------------------- gpt_check_transition */

static void test_check_transition(void **state)
{
	struct fixture *f = *state;
	const uint64_t pa = GIB + 0x42000;

	assert_int_equal(gpt_set_range(&f->g, GIB, GIB, GPI_NS), GPT_OK);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x1000, GPI_ROOT), GPT_OK);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x2000, GPI_SECURE), GPT_OK);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x3000, GPI_ANY), GPT_OK);
	assert_int_equal(gpt_set_granule(&f->g, GIB + 0x4000, GPI_NO_ACCESS), GPT_OK);
	snapshot(f);

	/* NS -> Realm is allowed; the check itself changes nothing. */
	assert_int_equal(gpt_check_transition(&f->g, pa, GPI_NS, NULL), GPT_OK);
	assert_unchanged(f);
	assert_int_equal(gpt_set_granule(&f->g, pa, GPI_REALM), GPT_OK);
	/* Already Realm. */
	assert_int_equal(gpt_check_transition(&f->g, pa, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, pa, GPI_REALM, NULL), GPT_OK);
	/* ROOT, SECURE, ANY, NO_ACCESS are not NS. */
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x1000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x2000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x3000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x4000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, 0, GPI_NS, NULL), GPT_ERR_PAS); /* ANY from init */
	/* Unaligned. */
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x5800, GPI_NS, NULL), GPT_ERR_ALIGN);
	assert_int_equal(gpt_check_transition(&f->g, GIB + 0x5001, GPI_NS, NULL), GPT_ERR_ALIGN);
	/* No L1 table (L0 block ANY), and beyond PPS. */
	assert_int_equal(gpt_check_transition(&f->g, 0x100000000UL, GPI_NS, NULL), GPT_ERR_RANGE);
	assert_int_equal(gpt_check_transition(&f->g, 0x100000000UL, GPI_ANY, NULL), GPT_ERR_RANGE);
	assert_int_equal(gpt_check_transition(&f->g, 3 * GIB, GPI_NS, NULL), GPT_ERR_RANGE);
	assert_int_equal(gpt_check_transition(&f->g, PPS_TOP, GPI_NS, NULL), GPT_ERR_RANGE);
	assert_int_equal(gpt_check_transition(&f->g, PPS_TOP + GIB + 0x5000, GPI_NS, NULL), GPT_ERR_RANGE);
}

/* ----------------------------------------------------------------- GPCCR_EL3 */

static void test_gpccr_value(void **state)
{
	uint64_t v = gpt_gpccr_value();

	(void)state;
	assert_int_equal(v & 0x7, 2);	      /* PPS: 1 TB, 40 bits */
	assert_int_equal((v >> 8) & 0x3, 1);  /* IRGN: WB RA WA */
	assert_int_equal((v >> 10) & 0x3, 1); /* ORGN: WB RA WA */
	assert_int_equal((v >> 12) & 0x3, 3); /* SH: Inner Shareable */
	assert_int_equal((v >> 14) & 0x3, 0); /* PGS: 4 KB */
	assert_int_equal((v >> 16) & 0x1, 0); /* GPC: enabled separately */
	assert_int_equal(v & ~0x1ff07UL, 0);  /* nothing outside those fields */
	assert_int_equal(v, 0x3502);
}

/* ------------------------------------------------------- production layout */

static void test_production_layout(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint64_t pa;
		unsigned int gpi;
	} want[] = {
		/* Flash [0, 64 MiB) ROOT */
		{ 0x00000000, GPI_ROOT },
		{ 0x03fff000, GPI_ROOT },
		{ 0x04000000, GPI_ANY },
		/* Secure SRAM [0x0e000000, +16 MiB) ROOT */
		{ 0x0dfff000, GPI_ANY },
		{ 0x0e000000, GPI_ROOT },
		{ 0x0efff000, GPI_ROOT },
		{ 0x0f000000, GPI_ANY },
		/* MMIO and the rest of GiB 0; EL3's own devices (secure UART, power GPIO) ROOT */
		{ 0x09000000, GPI_ANY },
		{ 0x0903f000, GPI_ANY },
		{ 0x09040000, GPI_ROOT },
		{ 0x09041000, GPI_ANY },
		{ 0x090b0000, GPI_ROOT },
		{ 0x090b1000, GPI_ANY },
		{ 0x3ffff000, GPI_ANY },
		/* RMM carve-out [0x40000000, +16 MiB) REALM */
		{ 0x40000000, GPI_REALM },
		{ 0x40fff000, GPI_REALM },
		/* NS DRAM [0x41000000, 0xc0000000) */
		{ 0x41000000, GPI_NS },
		{ 0x7ffff000, GPI_NS },
		{ 0x80000000, GPI_NS },
		{ 0xbffff000, GPI_NS },
		/* Past DRAM: L0 block ANY */
		{ 0xc0000000, GPI_ANY },
		{ 0xfffff000, GPI_ANY },
		{ 0xffffff000UL, GPI_ANY },
	};

	/* The table monitor/gpt_el3.c:gpt_setup() applies. */
	for (size_t i = 0; i < sizeof(gpt_platform_layout) / sizeof(gpt_platform_layout[0]); i++)
		assert_int_equal(gpt_set_range(&f->g, gpt_platform_layout[i].base,
					       gpt_platform_layout[i].size, gpt_platform_layout[i].gpi),
				 GPT_OK);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned int gpi = get(f, want[i].pa);
		if (gpi != want[i].gpi)
			fail_msg("GPI at 0x%lx is %u, want %u", (unsigned long)want[i].pa, gpi, want[i].gpi);
	}
	unsigned int gpi;
	assert_int_equal(gpt_get(&f->g, PPS_TOP, &gpi), GPT_ERR_RANGE);
	assert_int_equal(f->l0[0], L1_PA | 0x3);
	assert_int_equal(f->l0[1], (L1_PA + GPT_L1_TABLE_SIZE) | 0x3);
	assert_int_equal(f->l0[2], (L1_PA + 2 * GPT_L1_TABLE_SIZE) | 0x3);
	assert_int_equal(f->l0[3], ANY_BLOCK);

	/* What GTSI_DELEGATE will see. */
	assert_int_equal(gpt_check_transition(&f->g, 0x41000000, GPI_NS, NULL), GPT_OK);
	assert_int_equal(gpt_check_transition(&f->g, 0xbffff000, GPI_NS, NULL), GPT_OK);
	assert_int_equal(gpt_check_transition(&f->g, 0x40fff000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, 0x0e000000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, 0x00000000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, 0x09000000, GPI_NS, NULL), GPT_ERR_PAS);
	assert_int_equal(gpt_check_transition(&f->g, 0xc0000000, GPI_NS, NULL), GPT_ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_layout, setup_prod, teardown),
		cmocka_unit_test_teardown(test_init_table_order, teardown),
		cmocka_unit_test_teardown(test_init_no_regions, teardown),
		cmocka_unit_test_teardown(test_init_max_regions, teardown),
		cmocka_unit_test_teardown(test_init_too_many_regions, teardown),
		cmocka_unit_test_teardown(test_init_misaligned_l1, teardown),
		cmocka_unit_test_teardown(test_init_duplicate_region, teardown),
		cmocka_unit_test_teardown(test_init_region_beyond_pps, teardown),
		cmocka_unit_test_setup_teardown(test_l1_nibble_encoding, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_l0_block_decoding, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_set_range_matches_granules, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_set_range_values, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_set_range_rejects, setup_prod, teardown),
		cmocka_unit_test_teardown(test_set_range_gap_between_tables, teardown),
		cmocka_unit_test_setup_teardown(test_get, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_get_table_without_l1, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_set_granule, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_set_granule_rejects, setup_prod, teardown),
		cmocka_unit_test_setup_teardown(test_check_transition, setup_prod, teardown),
		cmocka_unit_test(test_gpccr_value),
		cmocka_unit_test_setup_teardown(test_production_layout, setup_prod, teardown),
	};

	return cmocka_run_group_tests_name("gpt", tests, NULL, NULL);
}
