/*
 * RMI from 4 CPUs at once on one realm (pthreads; the fake granule_map()
 * yields the CPU to widen race windows). Each thread builds and tears down
 * its own RTTs, DATA and NS mappings in a disjoint 1 GiB range, while all
 * four race every round for one shared RTT slot, one shared DATA granule
 * and the realm itself (REALM_DESTROY, UNDELEGATE of granules in use).
 * Invariants checked: exactly one winner per race, the exact status of
 * every loser, no panic, no lock left held, no access through the wrong
 * PAS, and at the end every granule DELEGATED and zero with refcounts 0.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rmm.h"
#include "vmid.h"
#include "fake_measure.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"

#define NTHREADS 4
#define ROUNDS 300
#define PAGES 8
#define NS_IPA (1UL << 39)
#define SHARED_IPA (8 * L1) /* a root entry no thread owns */

struct thread_pool {
	uint64_t l2, l3, ns_l2, ns_l3, data[PAGES], src, shared_rtt;
};

static struct fx_realm R;
static struct thread_pool pool[NTHREADS];
static uint64_t shared_data;
static pthread_barrier_t barrier;
static unsigned int rtt_wins[ROUNDS], rtt_destroy_wins[ROUNDS], data_wins[ROUNDS], data_destroy_wins[ROUNDS];
static unsigned long errors[NTHREADS], panics[NTHREADS];
static char first_error[NTHREADS][160];

static uint64_t call(unsigned int id, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		     uint64_t a5, uint64_t out[5])
{
	uint64_t r[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	jmp_buf jb;

	fake_panic_jmp = &jb;
	if (setjmp(jb)) {
		fake_panic_jmp = NULL;
		panics[id]++;
		return ~0UL;
	}
	rmi_dispatch(r);
	fake_panic_jmp = NULL;
	if (out)
		memcpy(out, r, 5 * sizeof(uint64_t));
	return r[0];
}

#define EXPECT(id, expr, want)                                                                            \
	do {                                                                                              \
		uint64_t got_ = (expr);                                                                   \
		if (got_ != (uint64_t)(want) && errors[id]++ == 0)                                        \
			snprintf(first_error[id], sizeof(first_error[id]),                                \
				 "line %d: %s = 0x%lx, want 0x%lx", __LINE__, #expr, (unsigned long)got_, \
				 (unsigned long)(want));                                                  \
	} while (0)

static void own_range(unsigned int id, unsigned int round)
{
	const struct thread_pool *p = &pool[id];
	const uint64_t base = (uint64_t)id * L1, l3ipa = base + (round % 512) * L2,
		       ns = NS_IPA + (uint64_t)id * L1;
	uint64_t out[5];

	/* Protected: level-2 and level-3 RTTs, DATA pages (any RIPAS: inherited EMPTY or DESTROYED). */
	EXPECT(id, call(id, RMI_RTT_CREATE, R.rd, p->l2, base, 2, 0, NULL), RMI_SUCCESS);
	EXPECT(id, call(id, RMI_RTT_CREATE, R.rd, p->l3, l3ipa, 3, 0, NULL), RMI_SUCCESS);
	for (unsigned int i = 0; i < PAGES; i++)
		EXPECT(id, call(id, RMI_DATA_CREATE, R.rd, p->data[i], l3ipa + i * G, p->src, i & 1, NULL),
		       RMI_SUCCESS);
	call(id, RMI_RTT_READ_ENTRY, R.rd, l3ipa + G, 3, 0, 0, out);
	EXPECT(id, out[0] | out[1] << 8 | out[2] << 16,
	       RMI_SUCCESS | 3UL << 8 | (uint64_t)RMI_ASSIGNED << 16);
	EXPECT(id, out[3], p->data[1]);
	/* The shared DATA granule, offered by all four at once: mapped exactly once. */
	uint64_t r = call(id, RMI_DATA_CREATE_UNKNOWN, R.rd, shared_data, l3ipa + PAGES * G, 0, 0, NULL);
	if (r == RMI_SUCCESS)
		__atomic_add_fetch(&data_wins[round], 1, __ATOMIC_RELAXED);
	else
		EXPECT(id, r, RMI_ERROR_INPUT);
	/* Live: neither the RTT nor its DATA can go. */
	EXPECT(id, call(id, RMI_RTT_DESTROY, R.rd, l3ipa, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	EXPECT(id, call(id, RMI_GRANULE_UNDELEGATE, p->data[0], 0, 0, 0, 0, NULL), RMI_ERROR_INPUT);
	EXPECT(id, call(id, RMI_GRANULE_UNDELEGATE, p->l3, 0, 0, 0, 0, NULL), RMI_ERROR_INPUT);
	EXPECT(id, call(id, RMI_GRANULE_UNDELEGATE, shared_data, 0, 0, 0, 0, NULL), RMI_ERROR_INPUT);
	pthread_barrier_wait(&barrier);
	if (r == RMI_SUCCESS) {
		EXPECT(id, call(id, RMI_DATA_DESTROY, R.rd, l3ipa + PAGES * G, 0, 0, 0, out), RMI_SUCCESS);
		EXPECT(id, out[1], shared_data);
		__atomic_add_fetch(&data_destroy_wins[round], 1, __ATOMIC_RELAXED);
	}

	/* Unprotected: an RTT chain and a page. */
	EXPECT(id, call(id, RMI_RTT_CREATE, R.rd, p->ns_l2, ns, 2, 0, NULL), RMI_SUCCESS);
	EXPECT(id, call(id, RMI_RTT_CREATE, R.rd, p->ns_l3, ns, 3, 0, NULL), RMI_SUCCESS);
	EXPECT(id, call(id, RMI_RTT_MAP_UNPROTECTED, R.rd, ns + G, 3, 0x60000000UL | 0xd8, 0, NULL),
	       RMI_SUCCESS);
	EXPECT(id, call(id, RMI_RTT_FOLD, R.rd, ns, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	EXPECT(id, call(id, RMI_RTT_UNMAP_UNPROTECTED, R.rd, ns + G, 3, 0, 0, NULL), RMI_SUCCESS);
	/* The two ways an RTT goes, alternately. */
	if (round & 1) {
		EXPECT(id, call(id, RMI_RTT_DESTROY, R.rd, ns, 3, 0, 0, NULL), RMI_SUCCESS);
		EXPECT(id, call(id, RMI_RTT_DESTROY, R.rd, ns, 2, 0, 0, NULL), RMI_SUCCESS);
	} else {
		EXPECT(id, call(id, RMI_RTT_FOLD, R.rd, ns, 3, 0, 0, out), RMI_SUCCESS);
		EXPECT(id, out[1], p->ns_l3);
		EXPECT(id, call(id, RMI_RTT_FOLD, R.rd, ns, 2, 0, 0, out), RMI_SUCCESS);
		EXPECT(id, out[1], p->ns_l2);
	}

	for (unsigned int i = 0; i < PAGES; i++) {
		EXPECT(id, call(id, RMI_DATA_DESTROY, R.rd, l3ipa + i * G, 0, 0, 0, out), RMI_SUCCESS);
		EXPECT(id, out[1], p->data[i]);
	}
	EXPECT(id, call(id, RMI_RTT_DESTROY, R.rd, l3ipa, 3, 0, 0, NULL), RMI_SUCCESS);
	EXPECT(id, call(id, RMI_RTT_DESTROY, R.rd, base, 2, 0, 0, NULL), RMI_SUCCESS);
}

static void shared_races(unsigned int id, unsigned int round)
{
	uint64_t r;

	/* One shared level-2 slot: one RTT_CREATE wins, the others see the table at level 1. */
	r = call(id, RMI_RTT_CREATE, R.rd, pool[id].shared_rtt, SHARED_IPA, 2, 0, NULL);
	if (r == RMI_SUCCESS)
		__atomic_add_fetch(&rtt_wins[round], 1, __ATOMIC_RELAXED);
	else
		EXPECT(id, r, RET(RMI_ERROR_RTT, 1));
	/* The shared RTT exists until the next barrier: the realm is in use. */
	EXPECT(id, call(id, RMI_REALM_DESTROY, R.rd, 0, 0, 0, 0, NULL), RMI_ERROR_REALM);
	pthread_barrier_wait(&barrier);
	r = call(id, RMI_RTT_DESTROY, R.rd, SHARED_IPA, 2, 0, 0, NULL);
	if (r == RMI_SUCCESS)
		__atomic_add_fetch(&rtt_destroy_wins[round], 1, __ATOMIC_RELAXED);
	else
		EXPECT(id, r, RET(RMI_ERROR_RTT, 1));
}

static void *worker(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;

	for (unsigned int round = 0; round < ROUNDS; round++) {
		pthread_barrier_wait(&barrier);
		shared_races(id, round);
		own_range(id, round);
	}
	return NULL;
}

static void test_four_cpus_one_realm(void **state)
{
	pthread_t th[NTHREADS];
	uint64_t first, last;

	(void)state;
	first = FX_BASE;
	fake_measure_reset();
	assert_int_equal(fx_realm_new(&R, 40, 1, 5), RMI_SUCCESS);
	for (unsigned int t = 0; t < NTHREADS; t++) {
		struct thread_pool *p = &pool[t];
		p->l2 = fx_del();
		p->l3 = fx_del();
		p->ns_l2 = fx_del();
		p->ns_l3 = fx_del();
		p->shared_rtt = fx_del();
		for (unsigned int i = 0; i < PAGES; i++)
			p->data[i] = fx_del();
		p->src = fx_ns();
		memset(fx_ptr(p->src), 0x10 + t, G);
	}
	shared_data = fx_del();
	last = fx_ns();
	memset(rtt_wins, 0, sizeof(rtt_wins));
	memset(rtt_destroy_wins, 0, sizeof(rtt_destroy_wins));
	memset(data_wins, 0, sizeof(data_wins));
	memset(data_destroy_wins, 0, sizeof(data_destroy_wins));
	memset(errors, 0, sizeof(errors));
	memset(panics, 0, sizeof(panics));
	fake_mem_yield(1);
	unsigned long relax0 = fake_relax_count();
	assert_int_equal(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, worker, (void *)(uintptr_t)t), 0);
	for (unsigned int t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&barrier);
	fake_mem_yield(0);
	/* The threads did meet on locks (else this proves little). */
	print_message("lock contentions: %lu\n", fake_relax_count() - relax0);
	assert_true(fake_relax_count() - relax0 > 0);

	for (unsigned int t = 0; t < NTHREADS; t++) {
		if (errors[t])
			fail_msg("thread %u: %lu unexpected results, first: %s", t, errors[t],
				 first_error[t]);
		assert_int_equal(panics[t], 0);
	}
	for (unsigned int r = 0; r < ROUNDS; r++) {
		if (rtt_wins[r] != 1 || rtt_destroy_wins[r] != 1 || data_wins[r] != 1 ||
		    data_destroy_wins[r] != 1)
			fail_msg("round %u: RTT_CREATE %u, RTT_DESTROY %u, DATA_CREATE %u, DATA_DESTROY %u "
				 "winners",
				 r, rtt_wins[r], rtt_destroy_wins[r], data_wins[r], data_destroy_wins[r]);
	}
	fx_assert_unlocked();
	assert_int_equal(fake_gpf_count(), 0);
	assert_int_equal(fake_scrub_outside_realm(), 0);
	/* Every DATA_CREATE measured once (the shared one is DATA_CREATE_UNKNOWN). */
	assert_int_equal(fake_measure_count(FM_DATA), (unsigned long)NTHREADS * ROUNDS * PAGES);
	assert_int_equal(fx_ref(R.rtt_base), 0);
	assert_int_equal(fx_ref(R.rtt_base + G), 0);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, R.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	for (uint64_t pa = first; pa < last; pa += G) {
		if (!fake_el3_is_realm(pa))
			continue;
		if (fx_state(pa) != GRANULE_DELEGATED || fx_ref(pa) != 0 || !fx_is_zero(pa))
			fail_msg("granule 0x%lx: state %u refcount %u zero %d", (unsigned long)pa,
				 fx_state(pa), fx_ref(pa), fx_is_zero(pa));
	}
	assert_false(vmid_is_reserved(5));
}

/* Concurrent REALM_CREATEs naming one VMID and overlapping granules: exactly one realm results. */
#define CREATORS 4
static uint64_t c_rd[CREATORS], c_params[CREATORS], c_ret[CREATORS];

static void *creator(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;

	pthread_barrier_wait(&barrier);
	c_ret[id] = call(id, RMI_REALM_CREATE, c_rd[id], c_params[id], 0, 0, 0, NULL);
	return NULL;
}

static void test_racing_realm_create(void **state)
{
	pthread_t th[CREATORS];

	(void)state;
	for (unsigned int round = 0; round < 20; round++) {
		/* Same VMID, distinct granules: one wins. Then same roots, distinct VMIDs: one wins. */
		for (int shared_roots = 0; shared_roots < 2; shared_roots++) {
			uint64_t roots = fx_del_run(2, 2 * G);
			for (unsigned int i = 0; i < CREATORS; i++) {
				uint64_t r = shared_roots ? roots : fx_del_run(2, 2 * G);
				c_rd[i] = fx_del();
				c_params[i] = fx_ns();
				fx_realm_params(c_params[i], 40, 1, 2, r,
						(uint16_t)(shared_roots ? 20 + i : 20));
			}
			memset(errors, 0, sizeof(errors));
			fake_mem_yield(1);
			assert_int_equal(pthread_barrier_init(&barrier, NULL, CREATORS), 0);
			for (unsigned int i = 0; i < CREATORS; i++)
				assert_int_equal(pthread_create(&th[i], NULL, creator, (void *)(uintptr_t)i),
						 0);
			for (unsigned int i = 0; i < CREATORS; i++)
				assert_int_equal(pthread_join(th[i], NULL), 0);
			pthread_barrier_destroy(&barrier);
			fake_mem_yield(0);
			unsigned int wins = 0, winner = 0;
			for (unsigned int i = 0; i < CREATORS; i++) {
				if (c_ret[i] == RMI_SUCCESS) {
					wins++;
					winner = i;
				} else {
					assert_int_equal(c_ret[i], RMI_ERROR_INPUT);
					assert_int_equal(fx_state(c_rd[i]), GRANULE_DELEGATED);
				}
			}
			assert_int_equal(wins, 1);
			for (unsigned int v = 20; v < 20 + CREATORS; v++)
				assert_int_equal(vmid_is_reserved(v), v == (shared_roots ? 20 + winner : 20));
			assert_int_equal(fx_rmi(RMI_REALM_DESTROY, c_rd[winner], 0, 0, 0, 0, NULL),
					 RMI_SUCCESS);
			fx_assert_unlocked();
		}
	}
	for (unsigned int i = 0; i < CREATORS; i++)
		assert_int_equal(panics[i], 0);
}

/*
 * The DATA_CREATE source delegated and used as a DATA granule of the same
 * RTT while DATA_CREATE runs: the source is copied before any other lock is
 * taken, so this cannot deadlock (a lock taken later, under the RD and RTT
 * locks, could: the other command holds it and waits for the RD).
 */
#define SRC_ROUNDS 300
static uint64_t s_src, s_data, s_ok[2];

static void *src_user(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < SRC_ROUNDS; i++) {
		uint64_t r = call(0, RMI_DATA_CREATE, R.rd, s_data, 0x1000, s_src, RMI_MEASURE_CONTENT, NULL);
		if (r == RMI_SUCCESS) {
			s_ok[0]++;
			EXPECT(0, call(0, RMI_DATA_DESTROY, R.rd, 0x1000, 0, 0, 0, NULL), RMI_SUCCESS);
		} else {
			EXPECT(0, r, RMI_ERROR_INPUT);
		}
	}
	return NULL;
}

static void *src_thief(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < SRC_ROUNDS; i++) {
		EXPECT(1, call(1, RMI_GRANULE_DELEGATE, s_src, 0, 0, 0, 0, NULL), RMI_SUCCESS);
		EXPECT(1, call(1, RMI_DATA_CREATE_UNKNOWN, R.rd, s_src, 0x2000, 0, 0, NULL), RMI_SUCCESS);
		EXPECT(1, call(1, RMI_DATA_DESTROY, R.rd, 0x2000, 0, 0, 0, NULL), RMI_SUCCESS);
		EXPECT(1, call(1, RMI_GRANULE_UNDELEGATE, s_src, 0, 0, 0, 0, NULL), RMI_SUCCESS);
		s_ok[1]++;
	}
	return NULL;
}

static void test_source_delegated_meanwhile(void **state)
{
	pthread_t a, b;

	(void)state;
	/* The source below the RD: the other command locks it before the RD (ascending PA). */
	s_src = fx_ns();
	assert_int_equal(fx_realm_new(&R, 40, 1, 6), RMI_SUCCESS);
	assert_true(s_src < R.rd);
	fx_rtts(R.rd, 0, 2, 3);
	s_data = fx_del();
	memset(errors, 0, sizeof(errors));
	memset(s_ok, 0, sizeof(s_ok));
	fake_mem_yield(1);
	assert_int_equal(pthread_create(&a, NULL, src_user, NULL), 0);
	assert_int_equal(pthread_create(&b, NULL, src_thief, NULL), 0);
	assert_int_equal(pthread_join(a, NULL), 0);
	assert_int_equal(pthread_join(b, NULL), 0);
	fake_mem_yield(0);
	for (unsigned int t = 0; t < 2; t++) {
		if (errors[t])
			fail_msg("thread %u: %lu unexpected results, first: %s", t, errors[t],
				 first_error[t]);
		assert_int_equal(panics[t], 0);
	}
	assert_int_equal(s_ok[1], SRC_ROUNDS);
	print_message("DATA_CREATE got the source %lu times of %u\n", s_ok[0], SRC_ROUNDS);
	assert_int_equal(fake_gpf_count(), 0);
	fx_assert_unlocked();
	assert_int_equal(fx_state(s_src), GRANULE_UNDELEGATED);
	assert_int_equal(fx_state(s_data), GRANULE_DELEGATED);
}

int main(void)
{
	/* A deadlock fails the suite (SIGALRM) instead of hanging the build. */
	alarm(120);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_four_cpus_one_realm, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_racing_realm_create, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_source_delegated_meanwhile, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_smp", tests, NULL, NULL);
}
