/*
 * The granule invariants rmm/granule.h checks (CONFIG_RMM_DEBUG_ASSERTS,
 * on in every unit test): each violation is an rmm_panic(), which the fake
 * arch turns into a test failure unless the test expects it (EXPECT_PANIC).
 * Here each check is made to fire once, directly and through an RMI command
 * on a corrupted granule, so that deleting a check fails this suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/rmi.h>
#include "granule.h"
#include "fake_rmm_arch.h"

#if !CONFIG_RMM_DEBUG_ASSERTS
#error "the unit tests build with CONFIG_RMM_DEBUG_ASSERTS"
#endif

#define G GRANULE_SIZE
#define BASE 0x80000000UL
#define NGRANULES 8UL

static struct granule storage[NGRANULES];

static int setup(void **state)
{
	static const uint64_t bank[1][2] = { { BASE, NGRANULES * G } };

	(void)state;
	fake_reset();
	memset(storage, 0, sizeof(storage));
	return granules_init(bank, 1, storage, NGRANULES) == GRANULE_OK ? 0 : -1;
}

static void expect_assert(const char *cond)
{
	if (!strstr(fake_panic_msg, "assertion failed") || !strstr(fake_panic_msg, cond))
		fail_msg("panic \"%s\", want the assertion %s", fake_panic_msg, cond);
}

/* A granule locked in state s with refcount n, as a command would hold it. */
static struct granule *held(unsigned int i, enum granule_state s, unsigned int n)
{
	struct granule *g = &storage[i];

	g->state = (uint16_t)s;
	g->refcount = (uint16_t)n;
	granule_lock(g);
	return g;
}

static void test_state_change_needs_the_lock(void **state)
{
	(void)state;
	storage[0].state = GRANULE_DELEGATED;
	EXPECT_PANIC(granule_set_state(&storage[0], GRANULE_RTT));
	expect_assert("granule_is_locked(g)");
	assert_int_equal(storage[0].state, GRANULE_DELEGATED);
}

static void test_state_change_follows_the_life_cycle(void **state)
{
	(void)state;
	static const enum granule_state bad[][2] = {
		{ GRANULE_UNDELEGATED, GRANULE_RD },  { GRANULE_UNDELEGATED, GRANULE_DATA },
		{ GRANULE_RD, GRANULE_REC },	      { GRANULE_RTT, GRANULE_DATA },
		{ GRANULE_REC, GRANULE_UNDELEGATED }, { GRANULE_DELEGATED, GRANULE_DELEGATED },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct granule *g = held(1, bad[i][0], 0);
		EXPECT_PANIC(granule_set_state(g, bad[i][1]));
		expect_assert("granule_transition_ok");
		granule_unlock(g);
	}
	/* And the legal ones pass. */
	struct granule *g = held(1, GRANULE_DELEGATED, 0);
	granule_set_state(g, GRANULE_REC_AUX);
	granule_set_state(g, GRANULE_DELEGATED);
	granule_set_state(g, GRANULE_UNDELEGATED);
	granule_unlock(g);
}

static void test_state_change_with_something_counted(void **state)
{
	(void)state;
	struct granule *g = held(2, GRANULE_RTT, 1);

	EXPECT_PANIC(granule_set_state(g, GRANULE_DELEGATED));
	expect_assert("granule_refcount(g) == 0");
	g->refcount = 0;
	granule_unlock(g);
}

static void test_refcount_bounds_per_state(void **state)
{
	(void)state;
	static const struct {
		enum granule_state s;
		unsigned int max;
	} bound[] = { { GRANULE_RD, 1023 },	 { GRANULE_RTT, 512 },	   { GRANULE_REC, 1 },
		      { GRANULE_DATA, 0 },	 { GRANULE_DELEGATED, 0 }, { GRANULE_REC_AUX, 0 },
		      { GRANULE_UNDELEGATED, 0 } };
	for (unsigned int i = 0; i < sizeof(bound) / sizeof(bound[0]); i++) {
		struct granule *g = held(3, bound[i].s, 0);
		if (bound[i].max) {
			granule_refcount_add(g, bound[i].max);
			assert_int_equal(granule_refcount(g), bound[i].max);
		}
		EXPECT_PANIC(granule_refcount_add(g, 1));
		expect_assert("granule_refcount_bound");
		g->refcount = 0;
		granule_unlock(g);
	}
}

static void test_refcount_change_needs_the_lock(void **state)
{
	(void)state;
	storage[4].state = GRANULE_RTT;
	EXPECT_PANIC(granule_refcount_add(&storage[4], 1));
	expect_assert("granule_is_locked(g)");
	EXPECT_PANIC(granule_refcount_sub(&storage[4], 1));
	expect_assert("granule_is_locked(g)");
	/* The one unlocked decrement there is (REC_DESTROY's of its RD). */
	storage[4].refcount = 1;
	granule_refcount_sub_unlocked(&storage[4], 1);
	assert_int_equal(storage[4].refcount, 0);
}

/* 16 bits never wrap silently, whatever the state's bound or the build. */
static void test_refcount_never_wraps(void **state)
{
	(void)state;
	struct granule *g = held(5, GRANULE_RTT, 0xffff);

	EXPECT_PANIC(granule_refcount_add(g, 1));
	assert_non_null(strstr(fake_panic_msg, "refcount 65535 + 1 out of range"));
	g->refcount = 0;
	EXPECT_PANIC(granule_refcount_sub(g, 1));
	assert_non_null(strstr(fake_panic_msg, "refcount 0 - 1 out of range"));
	g->refcount = 0;
	EXPECT_PANIC(granule_refcount_sub_unlocked(g, 2));
	g->refcount = 0;
	granule_unlock(g);
}

static void test_unlock_checks_the_bound(void **state)
{
	(void)state;
	struct granule *g = held(6, GRANULE_DATA, 1);

	EXPECT_PANIC(granule_unlock(g));
	expect_assert("granule_refcount_bound");
	g->refcount = 0;
	granule_unlock(g);
	EXPECT_PANIC(granule_unlock(g));
	expect_assert("granule_is_locked(g)");
}

/* Through a command: a DELEGATED granule that counts something cannot be undelegated. */
static void test_a_command_on_a_corrupt_granule(void **state)
{
	(void)state;
	assert_int_equal(granule_delegate(BASE + 7 * G), RMI_SUCCESS);
	storage[7].refcount = 1;
	EXPECT_PANIC(granule_undelegate(BASE + 7 * G));
	expect_assert("granule_refcount(g) == 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_state_change_needs_the_lock, setup),
		cmocka_unit_test_setup(test_state_change_follows_the_life_cycle, setup),
		cmocka_unit_test_setup(test_state_change_with_something_counted, setup),
		cmocka_unit_test_setup(test_refcount_bounds_per_state, setup),
		cmocka_unit_test_setup(test_refcount_change_needs_the_lock, setup),
		cmocka_unit_test_setup(test_refcount_never_wraps, setup),
		cmocka_unit_test_setup(test_unlock_checks_the_bound, setup),
		cmocka_unit_test_setup(test_a_command_on_a_corrupt_granule, setup),
	};

	return cmocka_run_group_tests_name("granule_asserts", tests, NULL, NULL);
}
