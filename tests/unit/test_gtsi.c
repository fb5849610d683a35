/*
 * monitor/gtsi.c: the order of GPT writes, TLB invalidation and cache
 * maintenance of RMM_GTSI_DELEGATE / UNDELEGATE, their refusals (the RMM
 * carve-out included); and for the reset scrub (monitor/gpt.c) the record a
 * cold boot leaves and the walk that finds what was not NS.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/smccc.h>
#include "gtsi.h"

#define GIB (1UL << 30)
#define G4K GPT_GRANULE_SIZE
#define L1_PA 0x0e800000UL
#define DRAM_BASE GIB
#define DRAM_END (3 * GIB)
#define CARVE_END (DRAM_BASE + 0x1000000UL)

static const struct gtsi_window window = { CARVE_END, DRAM_END };
static const uint32_t regions[] = { 0, 1, 2 };

static struct gpt g;
static uint64_t *l0, *l1;

/* ---------------------------------------------------------- the fake hooks */

enum op { OP_LOCK, OP_UNLOCK, OP_TLBI, OP_CIPAPA, OP_PERSIST };

/* One hook call, with the GPI the granule had in the table at that moment. */
struct call {
	enum op op;
	uint64_t pa;
	enum gtsi_pas pas;
	unsigned int gpi;
};

#define MAX_CALLS 16
static struct call trace[MAX_CALLS];
static unsigned int ncalls, locked;
static uint64_t current_pa; /* the granule of the call under test, for the lock hooks */

static unsigned int gpi_of(uint64_t pa)
{
	unsigned int gpi = 0xdead;

	assert_int_equal(gpt_get(&g, pa, &gpi), GPT_OK);
	return gpi;
}

static void record(enum op op, uint64_t pa, enum gtsi_pas pas)
{
	assert_true(ncalls < MAX_CALLS);
	trace[ncalls++] = (struct call){ op, pa, pas, gpi_of(pa & ~(G4K - 1)) };
}

void gtsi_hw_lock(void)
{
	assert_false(locked);
	locked = 1;
	record(OP_LOCK, current_pa, GTSI_PAS_NS);
}

void gtsi_hw_unlock(void)
{
	assert_true(locked);
	locked = 0;
	record(OP_UNLOCK, current_pa, GTSI_PAS_NS);
}

void gtsi_hw_tlbi(uint64_t pa)
{
	assert_true(locked);
	record(OP_TLBI, pa, GTSI_PAS_NS);
}

void gtsi_hw_cipapa(uint64_t pa, enum gtsi_pas pas)
{
	assert_true(locked);
	record(OP_CIPAPA, pa, pas);
}

void gtsi_hw_persist(const uint64_t *entry)
{
	struct gpt_slot slot;

	assert_true(locked);
	/* It must be the entry that holds the granule's GPI. */
	assert_int_equal(gpt_check_transition(&g, current_pa, gpi_of(current_pa), &slot), GPT_OK);
	assert_ptr_equal(entry, slot.entry);
	record(OP_PERSIST, current_pa, GTSI_PAS_NS);
}

static void assert_trace(const struct call *want, unsigned int n)
{
	for (unsigned int i = 0; i < n && i < ncalls; i++) {
		assert_int_equal(trace[i].op, want[i].op);
		assert_int_equal(trace[i].pa, want[i].pa);
		assert_int_equal(trace[i].gpi, want[i].gpi);
		if (want[i].op == OP_CIPAPA)
			assert_int_equal(trace[i].pas, want[i].pas);
	}
	assert_int_equal(ncalls, n);
	assert_false(locked);
}

/* ------------------------------------------------------------------ fixture */

static int setup(void **state)
{
	(void)state;
	l0 = aligned_alloc(GPT_L0_ENTRIES * 8, GPT_L0_ENTRIES * 8);
	l1 = aligned_alloc(GPT_L1_TABLE_SIZE, 3 * GPT_L1_TABLE_SIZE);
	assert_non_null(l0);
	assert_non_null(l1);
	assert_int_equal(gpt_init(&g, l0, l1, L1_PA, regions, 3), GPT_OK);
	/* monitor/gpt_el3.c's layout: DRAM NS, the carve-out at its base REALM. */
	assert_int_equal(gpt_set_range(&g, DRAM_BASE, DRAM_END - DRAM_BASE, GPI_NS), GPT_OK);
	assert_int_equal(gpt_set_range(&g, DRAM_BASE, CARVE_END - DRAM_BASE, GPI_REALM), GPT_OK);
	ncalls = 0;
	locked = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(l0);
	free(l1);
	return 0;
}

static long delegate(uint64_t pa)
{
	current_pa = pa;
	ncalls = 0;
	return gtsi_delegate(&g, &window, pa);
}

static long undelegate(uint64_t pa)
{
	current_pa = pa;
	ncalls = 0;
	return gtsi_undelegate(&g, &window, pa);
}

/* ------------------------------------------------------------ the sequences */

static void test_delegate_sequence(void **state)
{
	const uint64_t pa = CARVE_END + 0x5000;
	(void)state;

	assert_int_equal(delegate(pa), E_RMM_OK);
	/*
	 * The GPI is Realm (and persistent) before the TLBs drop the NS one, and
	 * the NS lines go only once no PE can make new ones.
	 */
	/* clang-format off */
	const struct call want[] = {
		{ OP_LOCK, pa, 0, GPI_NS },
		{ OP_PERSIST, pa, 0, GPI_REALM },
		{ OP_TLBI, pa, 0, GPI_REALM },
		{ OP_CIPAPA, pa, GTSI_PAS_NS, GPI_REALM },
		{ OP_UNLOCK, pa, 0, GPI_REALM },
	};
	/* clang-format on */
	assert_trace(want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(gpi_of(pa - G4K), GPI_NS);
	assert_int_equal(gpi_of(pa + G4K), GPI_NS);
}

static void test_undelegate_sequence(void **state)
{
	const uint64_t pa = DRAM_END - G4K; /* the last delegable granule */
	(void)state;

	assert_int_equal(delegate(pa), E_RMM_OK);
	assert_int_equal(undelegate(pa), E_RMM_OK);
	/* Through NO_ACCESS: both PAS cleaned while neither world can touch it. */
	/* clang-format off */
	const struct call want[] = {
		{ OP_LOCK, pa, 0, GPI_REALM },
		{ OP_TLBI, pa, 0, GPI_NO_ACCESS },
		{ OP_CIPAPA, pa, GTSI_PAS_REALM, GPI_NO_ACCESS },
		{ OP_CIPAPA, pa, GTSI_PAS_NS, GPI_NO_ACCESS },
		{ OP_PERSIST, pa, 0, GPI_NS },
		{ OP_TLBI, pa, 0, GPI_NS },
		{ OP_UNLOCK, pa, 0, GPI_NS },
	};
	/* clang-format on */
	assert_trace(want, sizeof(want) / sizeof(want[0]));
}

/* A refusal takes the lock at most, and does no maintenance. */
static void expect_refusal(long rc, long want, int locks)
{
	assert_int_equal(rc, want);
	assert_int_equal(ncalls, locks ? 2 : 0);
	if (locks) {
		assert_int_equal(trace[0].op, OP_LOCK);
		assert_int_equal(trace[1].op, OP_UNLOCK);
	}
}

static void test_refusals(void **state)
{
	const uint64_t pa = CARVE_END + 0x9000;
	(void)state;

	expect_refusal(delegate(pa + 0x800), E_RMM_BAD_ADDR, 1); /* unaligned */
	expect_refusal(delegate(DRAM_END), E_RMM_BAD_ADDR, 0);	 /* outside the window */
	expect_refusal(delegate(0x09040000), E_RMM_BAD_ADDR, 0);
	expect_refusal(delegate(CARVE_END - G4K), E_RMM_BAD_ADDR, 0);
	expect_refusal(undelegate(pa), E_RMM_BAD_PAS, 1); /* not Realm */
	assert_int_equal(gpi_of(pa), GPI_NS);
	assert_int_equal(delegate(pa), E_RMM_OK);
	expect_refusal(delegate(pa), E_RMM_BAD_PAS, 1); /* already Realm */
	assert_int_equal(gpi_of(pa), GPI_REALM);
}

static void test_carveout_never_becomes_ns(void **state)
{
	(void)state;
	for (uint64_t pa = DRAM_BASE; pa < CARVE_END; pa += 0x3f000) {
		expect_refusal(undelegate(pa), E_RMM_BAD_ADDR, 0);
		assert_int_equal(gpi_of(pa), GPI_REALM);
	}
	expect_refusal(undelegate(CARVE_END - G4K), E_RMM_BAD_ADDR, 0);
	assert_int_equal(gpi_of(CARVE_END - G4K), GPI_REALM);
}

/* ------------------------------------------------------------- reset scrub */

static void test_next_not_ns(void **state)
{
	static const uint64_t realm[] = { CARVE_END, CARVE_END + 0xf000, CARVE_END + 0x10000, 2 * GIB - G4K,
					  2 * GIB,   DRAM_END - G4K };
	uint64_t found = 0;
	(void)state;

	/* Only the carve-out is not NS yet. */
	assert_int_equal(gpt_next_not_ns(&g, DRAM_BASE, DRAM_END, &found), 1);
	assert_int_equal(found, DRAM_BASE);
	assert_int_equal(gpt_next_not_ns(&g, CARVE_END, DRAM_END, &found), 0);
	for (unsigned int i = 0; i < sizeof(realm) / sizeof(realm[0]); i++)
		assert_int_equal(delegate(realm[i]), E_RMM_OK);
	/* A granule half way through an undelegation counts too. */
	assert_int_equal(gpt_set_granule(&g, CARVE_END + 0x123000, GPI_NO_ACCESS), GPT_OK);

	const uint64_t want[] = { CARVE_END,	       CARVE_END + 0xf000,
				  CARVE_END + 0x10000, CARVE_END + 0x123000,
				  2 * GIB - G4K,       2 * GIB,
				  DRAM_END - G4K };
	unsigned int n = 0;
	for (uint64_t pa = CARVE_END; gpt_next_not_ns(&g, pa, DRAM_END, &pa); pa += G4K) {
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_int_equal(pa, want[n]);
		n++;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	/* The end is exclusive, an unaligned start is rounded down, GiBs without a table are skipped. */
	assert_int_equal(gpt_next_not_ns(&g, CARVE_END + 0x11000, 2 * GIB - G4K, &found), 1);
	assert_int_equal(found, CARVE_END + 0x123000);
	assert_int_equal(gpt_next_not_ns(&g, CARVE_END + 0x124000, 2 * GIB - G4K, &found), 0);
	assert_int_equal(gpt_next_not_ns(&g, CARVE_END + 0xf800, DRAM_END, &found), 1);
	assert_int_equal(found, CARVE_END + 0xf000);
	assert_int_equal(gpt_next_not_ns(&g, DRAM_END, 8 * GIB, &found), 0);
}

static void test_record_round_trip(void **state)
{
	struct gpt_record r;
	struct gpt old;
	(void)state;

	memset(&r, 0xa5, sizeof(r));
	memset(&old, 0, sizeof(old));
	gpt_record_seal(&r, &g);
	assert_int_equal(gpt_record_open(&r, &old, l0, l1, L1_PA, 3), GPT_RECORD_VALID);
	assert_ptr_equal(old.l0, l0);
	assert_ptr_equal(old.l1, l1);
	assert_int_equal(old.l1_pa, L1_PA);
	assert_int_equal(old.n_l1, 3);
	assert_memory_equal(old.l1_region, g.l1_region, 3 * sizeof(g.l1_region[0]));

	/* What a reset leaves: the old tables, read through the record, find the delegated granule. */
	uint64_t found = 0;
	assert_int_equal(delegate(CARVE_END + 0x77000), E_RMM_OK);
	assert_int_equal(gpt_next_not_ns(&old, CARVE_END, DRAM_END, &found), 1);
	assert_int_equal(found, CARVE_END + 0x77000);
}

static void test_record_refusals(void **state)
{
	struct gpt_record r, bad;
	struct gpt old;
	(void)state;

	gpt_record_seal(&r, &g);
	/* Power-on: nothing there. */
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(gpt_record_open(&bad, &old, l0, l1, L1_PA, 3), GPT_RECORD_NONE);
	/* Any field changed after sealing breaks the check. */
	for (size_t w = 1; w < offsetof(struct gpt_record, check) / 8; w++) {
		bad = r;
		((uint64_t *)&bad)[w] ^= 1UL << (w % 64);
		assert_int_equal(gpt_record_open(&bad, &old, l0, l1, L1_PA, 3), GPT_RECORD_FOREIGN);
	}
	bad = r;
	bad.check ^= 1;
	assert_int_equal(gpt_record_open(&bad, &old, l0, l1, L1_PA, 3), GPT_RECORD_FOREIGN);
	/* Tables this build does not keep where the record says. */
	assert_int_equal(gpt_record_open(&r, &old, l0, l1, L1_PA + GPT_L1_TABLE_SIZE, 3), GPT_RECORD_FOREIGN);
	assert_int_equal(gpt_record_open(&r, &old, l0 + 1, l1, L1_PA, 3), GPT_RECORD_FOREIGN);
	assert_int_equal(gpt_record_open(&r, &old, l0, l1, L1_PA, 2), GPT_RECORD_FOREIGN);
	/* Sealed from a layout with a duplicate or out-of-range region: refused even with a good check. */
	struct gpt odd = g;
	odd.l1_region[2] = odd.l1_region[1];
	gpt_record_seal(&bad, &odd);
	assert_int_equal(gpt_record_open(&bad, &old, l0, l1, L1_PA, 3), GPT_RECORD_FOREIGN);
	odd.l1_region[2] = GPT_L0_ENTRIES;
	gpt_record_seal(&bad, &odd);
	assert_int_equal(gpt_record_open(&bad, &old, l0, l1, L1_PA, 3), GPT_RECORD_FOREIGN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delegate_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_carveout_never_becomes_ns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_not_ns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
