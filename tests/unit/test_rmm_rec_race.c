/*
 * RMI_REC_ENTER from several CPUs (threads) on one REC at the same moment:
 * the REC is claimed under its granule lock, so exactly one runs it and
 * every other gets ERROR_REC, round after round. The fake granule_map()
 * yields the CPU (widening any window between the check and the claim),
 * and the winner holds the REC until every other thread has had its answer
 * (or a timeout: a second winner waits for an answer that never comes).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <rampart/rmi.h>
#include "fake_rec_run.h"
#include "fake_rmm_arch.h"
#include "realm.h"
#include "rec.h"
#include "rmm.h"
#include "rmm_world.h"

#define NTHREADS 4
#define ROUNDS 200
#define HOLD_NS 20000000L /* how long a winner waits for the others' answers */

static uint64_t run_pages[NTHREADS];
static pthread_barrier_t barrier;
static unsigned int winners[ROUNDS], answered[ROUNDS], round_now;
static unsigned int other_status[NTHREADS], panics[NTHREADS];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000UL + (uint64_t)ts.tv_nsec;
}

/* The "realm" of the winner runs until every other thread has been refused. */
static void hold_the_rec(void)
{
	unsigned int r = __atomic_load_n(&round_now, __ATOMIC_ACQUIRE);
	uint64_t end = now_ns() + HOLD_NS;

	while (__atomic_load_n(&answered[r], __ATOMIC_ACQUIRE) < NTHREADS - 1 && now_ns() < end)
		sched_yield();
}

static void *racer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;

	fake_set_cpu_index(id);
	for (unsigned int r = 0; r < ROUNDS; r++) {
		uint64_t regs[8] = { RMI_REC_ENTER, W.b_r0, run_pages[id], 0, 0, 0, 0, 0 };
		jmp_buf jb;

		pthread_barrier_wait(&barrier);
		fake_panic_jmp = &jb;
		if (setjmp(jb) == 0) {
			rmi_dispatch(regs);
			if (regs[0] == RMI_SUCCESS) {
				__atomic_add_fetch(&winners[r], 1, __ATOMIC_RELAXED);
			} else {
				if (regs[0] != RMI_ERROR_REC)
					other_status[id]++;
				__atomic_add_fetch(&answered[r], 1, __ATOMIC_RELEASE);
			}
		} else {
			panics[id]++;
		}
		fake_panic_jmp = NULL;
		pthread_barrier_wait(&barrier);
		if (id == 0)
			__atomic_store_n(&round_now, r + 1 < ROUNDS ? r + 1 : r, __ATOMIC_RELEASE);
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void test_exactly_one_cpu_runs_a_rec(void **state)
{
	pthread_t t[NTHREADS];

	(void)state;
	for (unsigned int i = 0; i < NTHREADS; i++) {
		run_pages[i] = fx_ns();
		memset(fx_ptr(run_pages[i]), 0, G);
	}
	fake_rec_run_reset();
	fake_rec_run.during_run = hold_the_rec;
	fake_mem_yield(1);
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (unsigned int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, racer, (void *)(uintptr_t)i), 0);
	for (unsigned int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	fake_mem_yield(0);
	fake_rec_run.during_run = NULL;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		if (winners[r] != 1)
			fail_msg("round %u: %u CPUs ran the REC", r, winners[r]);
	}
	for (unsigned int i = 0; i < NTHREADS; i++) {
		assert_int_equal(other_status[i], 0);
		assert_int_equal(panics[i], 0);
	}
	assert_int_equal(fake_rec_run.runs, ROUNDS);
	/* Released after every run: REC_DESTROY works. */
	assert_int_equal(fx_ref(W.b_r0), 0);
	fx_assert_unlocked();
}

/*
 * From the moment REC_ENTER first maps the REC until the realm runs, the REC
 * is locked or claimed (refcount 1) at every point another CPU could look
 * (each granule_map()); while the realm runs it is claimed and not locked.
 */
static unsigned int seen_rec, unguarded, locked_during_run;

static void guard_hook(uint64_t pa)
{
	const struct granule *g = fx_g(W.b_r0);

	if (pa == W.b_r0)
		seen_rec = 1;
	else if (seen_rec && !__atomic_load_n(&g->lock, __ATOMIC_ACQUIRE) && fx_ref(W.b_r0) == 0)
		unguarded++;
}

static void running_hook(void)
{
	const struct granule *g = fx_g(W.b_r0);

	if (__atomic_load_n(&g->lock, __ATOMIC_ACQUIRE) || fx_ref(W.b_r0) != 1)
		locked_during_run++;
}

static void test_the_rec_is_locked_or_claimed_throughout(void **state)
{
	uint64_t run = fx_ns();

	(void)state;
	memset(fx_ptr(run), 0, G);
	fake_rec_run_reset();
	fake_rec_run.during_run = running_hook;
	fake_map_hook = guard_hook;
	assert_int_equal(fx_rmi(RMI_REC_ENTER, W.b_r0, run, 0, 0, 0, NULL), RMI_SUCCESS);
	fake_map_hook = NULL;
	fake_rec_run.during_run = NULL;
	assert_int_equal(fake_rec_run.runs, 1);
	assert_true(seen_rec);
	assert_int_equal(unguarded, 0);
	assert_int_equal(locked_during_run, 0);
	assert_int_equal(fx_ref(W.b_r0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_the_rec_is_locked_or_claimed_throughout, world,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_exactly_one_cpu_runs_a_rec, world, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
