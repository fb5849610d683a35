/*
 * lib/bootstate.c: the bank metadata and NV counter records and the
 * trial-boot state machine (docs/secure-boot.md). The power-loss test tears
 * a record write at every byte: the pick is always the old or the new
 * record, never nothing and never a mix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/bootstate.h>

#define MAX_TRIALS 3U

static void test_crc32_vector(void **state)
{
	(void)state;
	assert_int_equal(bs_crc32("123456789", 9), 0xcbf43926U); /* the CRC-32/ISO-HDLC check value */
}

static void test_pick(void **state)
{
	struct bs_meta m[2];

	(void)state;
	memset(m, 0, sizeof(m));
	assert_int_equal(bs_meta_pick(m), -1); /* erased (zero) flash: the factory state */
	memset(m, 0xff, sizeof(m));
	assert_int_equal(bs_meta_pick(m), -1); /* erased (0xff) flash */
	bs_meta_default(&m[1]);
	bs_meta_seal(&m[1], 5);
	assert_int_equal(bs_meta_pick(m), 1);
	bs_meta_default(&m[0]);
	bs_meta_seal(&m[0], 6);
	assert_int_equal(bs_meta_pick(m), 0);
	/* Sequence numbers in serial order: 0 follows 0xffffffff. */
	bs_meta_seal(&m[0], 0xffffffffU);
	bs_meta_seal(&m[1], 0);
	assert_int_equal(bs_meta_pick(m), 1);
	/* A torn copy (CRC) loses whatever its number. */
	m[1].active = 1;
	assert_int_equal(bs_meta_pick(m), 0);
	/* Fields out of range, even with a good CRC. */
	bs_meta_default(&m[0]);
	m[0].trial = 0; /* the confirmed bank on trial */
	bs_meta_seal(&m[0], 1);
	assert_false(bs_meta_valid(&m[0]));
	bs_meta_default(&m[0]);
	m[0].active = 2;
	bs_meta_seal(&m[0], 1);
	assert_false(bs_meta_valid(&m[0]));
}

static void test_counter_pick(void **state)
{
	struct bs_counter c[2];

	(void)state;
	memset(c, 0, sizeof(c));
	assert_int_equal(bs_counter_pick(c), -1);
	bs_counter_seal(&c[0], 3, 1);
	bs_counter_seal(&c[1], 4, 2);
	assert_int_equal(bs_counter_pick(c), 1);
	c[1].value = 9; /* a forged value without its CRC */
	assert_int_equal(bs_counter_pick(c), 0);
}

static void test_plan_confirmed(void **state)
{
	struct bs_meta cur;
	struct bs_plan p;

	(void)state;
	bs_meta_default(&cur);
	cur.active = 1;
	bs_plan_boot(&cur, MAX_TRIALS, &p);
	assert_int_equal(p.order[0], 1);
	assert_int_equal(p.order[1], 0);
	assert_false(p.trial);
	assert_false(p.write);
	assert_false(p.fell_back);
}

static void test_trial_counts_then_falls_back(void **state)
{
	struct bs_meta cur;
	struct bs_plan p;

	(void)state;
	bs_meta_default(&cur);
	cur.trial = 1;
	cur.min_version = 4;
	for (unsigned int k = 1; k <= MAX_TRIALS; k++) {
		bs_plan_boot(&cur, MAX_TRIALS, &p);
		assert_true(p.write && p.trial && !p.fell_back);
		assert_int_equal(p.order[0], 1);
		assert_int_equal(p.order[1], 0);
		assert_int_equal(p.next.attempts, k);
		assert_int_equal(p.next.min_version, 4); /* a trial never moves what the counter must reach */
		cur = p.next;
	}
	bs_plan_boot(&cur, MAX_TRIALS, &p);
	assert_true(p.write && p.fell_back && !p.trial);
	assert_int_equal(p.order[0], 0);
	assert_int_equal(p.next.trial, BS_NO_TRIAL);
	assert_int_equal(p.next.attempts, 0);
	assert_int_equal(p.next.min_version, 4);
}

static void test_after_boot(void **state)
{
	struct bs_meta cur, next;

	(void)state;
	bs_meta_default(&cur);
	cur.trial = 1;
	cur.attempts = 1;
	assert_false(bs_after_boot(&cur, 1, 1, &next)); /* the trial runs: nothing to write */
	assert_true(bs_after_boot(&cur, 0, 0, &next));	/* the trial bank was refused: trial over */
	assert_int_equal(next.trial, BS_NO_TRIAL);
	assert_int_equal(next.active, 0);
	bs_meta_default(&cur);
	assert_false(bs_after_boot(&cur, 0, 0, &next));
	assert_true(bs_after_boot(&cur, 1, 0, &next)); /* bank A broken, B booted: B is confirmed now */
	assert_int_equal(next.active, 1);
	assert_int_equal(next.min_version, 0); /* but the counter does not move for it */
}

static void test_confirm_and_arm(void **state)
{
	struct bs_meta cur, next;
	struct bs_cache c;

	(void)state;
	bs_meta_default(&cur);
	memset(&c, 0x5a, sizeof(c));
	bs_arm(&cur, 0, 1, &c, &next);
	assert_int_equal(next.active, 0);
	assert_int_equal(next.trial, 1);
	assert_int_equal(next.attempts, 0);
	assert_memory_equal(&next.cache[1], &c, sizeof(c));
	bs_arm(&cur, 0, 1, NULL, &next);
	assert_int_equal(next.cache[1].mac[0], 0);
	cur = next;
	cur.attempts = 2;
	bs_confirm(&cur, 1, 9, &next);
	assert_int_equal(next.active, 1);
	assert_int_equal(next.trial, BS_NO_TRIAL);
	assert_int_equal(next.min_version, 9);
	cur = next;
	bs_confirm(&cur, 1, 3, &next); /* an older version never lowers it */
	assert_int_equal(next.min_version, 9);
}

/* The older copy is rewritten byte by byte; at every cut the pick is the old or the new record. */
static void test_torn_writes(void **state)
{
	struct bs_meta flash[2], old, rec;

	(void)state;
	bs_meta_default(&old);
	bs_meta_seal(&old, 41);
	memset(flash, 0xff, sizeof(flash));
	flash[0] = old;
	rec = old;
	rec.trial = 1;
	rec.attempts = 2;
	bs_meta_seal(&rec, 42);
	for (size_t cut = 0; cut <= sizeof(rec); cut++) {
		memset(&flash[1], 0xff, sizeof(flash[1])); /* erased */
		memcpy(&flash[1], &rec, cut);		   /* programmed up to the cut */
		int slot = bs_meta_pick(flash);
		assert_true(slot == 0 || slot == 1);
		if (slot == 1) {
			assert_int_equal(cut, sizeof(rec));
			assert_memory_equal(&flash[1], &rec, sizeof(rec));
		} else {
			assert_memory_equal(&flash[0], &old, sizeof(old));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_vector),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_counter_pick),
		cmocka_unit_test(test_plan_confirmed),
		cmocka_unit_test(test_trial_counts_then_falls_back),
		cmocka_unit_test(test_after_boot),
		cmocka_unit_test(test_confirm_and_arm),
		cmocka_unit_test(test_torn_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
