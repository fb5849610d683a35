/*
 * rmm/granule.c: bank set-up, granule look-up and the DELEGATE /
 * UNDELEGATE state machine against fake EL3 calls (fake_rmm_arch.c).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/smccc.h>
#include "granule.h"
#include "fake_rmm_arch.h"

#define G GRANULE_SIZE
/* Two banks with a hole between them. */
#define A_BASE 0x80000000UL
#define A_GRANULES 16UL
#define B_BASE 0x100000000UL
#define B_GRANULES 8UL
#define CAPACITY 64UL

static struct granule *storage;
static struct granule snap[CAPACITY];
static const uint64_t two_banks[2][2] = { { A_BASE, A_GRANULES *G }, { B_BASE, B_GRANULES *G } };

static int setup_empty(void **state)
{
	(void)state;
	fake_reset();
	storage = calloc(CAPACITY, sizeof(*storage));
	return storage ? 0 : -1;
}

static int setup_two_banks(void **state)
{
	if (setup_empty(state))
		return -1;
	return granules_init(two_banks, 2, storage, CAPACITY) == GRANULE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(storage);
	storage = NULL;
	fake_reset();
	return 0;
}

static void take_snapshot(void)
{
	memcpy(snap, storage, sizeof(snap));
}

static void assert_storage_unchanged(void)
{
	assert_memory_equal(storage, snap, sizeof(snap));
}

static struct granule *find(uint64_t pa)
{
	struct granule *g = granule_find(pa);

	assert_non_null(g);
	return g;
}

/* ---------------------------------------------------------- granules_init */

static void test_init_two_banks(void **state)
{
	(void)state;
	assert_int_equal(granules_tracked(), A_GRANULES + B_GRANULES);
	/* First and last granule of each bank map to consecutive storage. */
	assert_ptr_equal(granule_find(A_BASE), &storage[0]);
	assert_ptr_equal(granule_find(A_BASE + (A_GRANULES - 1) * G), &storage[A_GRANULES - 1]);
	assert_ptr_equal(granule_find(B_BASE), &storage[A_GRANULES]);
	assert_ptr_equal(granule_find(B_BASE + (B_GRANULES - 1) * G), &storage[A_GRANULES + B_GRANULES - 1]);
	for (unsigned int i = 0; i < A_GRANULES + B_GRANULES; i++) {
		assert_int_equal(storage[i].state, GRANULE_UNDELEGATED);
		assert_int_equal(storage[i].lock, 0);
		assert_int_equal(storage[i].refcount, 0);
	}
}

static void test_find_rejects(void **state)
{
	static const uint64_t bad[] = {
		A_BASE - G,		 /* one before bank A */
		A_BASE + A_GRANULES * G, /* one past bank A */
		B_BASE - G,		 /* one before bank B */
		B_BASE + B_GRANULES * G, /* one past bank B */
		0xc0000000UL,		 /* between the banks */
		A_BASE + 0x800,		 /* unaligned */
		A_BASE + 1,
		B_BASE + (B_GRANULES - 1) * G + 8,
		0,
		~0UL,
		~0UL & ~(G - 1),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (granule_find(bad[i]) != NULL)
			fail_msg("granule_find(0x%lx) is not NULL", (unsigned long)bad[i]);
	}
}

static void test_init_max_banks(void **state)
{
	/* GRANULE_MAX_BANKS banks, adjacent ones included, fill storage exactly. */
	static const uint64_t banks[GRANULE_MAX_BANKS][2] = {
		{ 0x90000000UL, 16 * G },
		{ 0x90010000UL, 16 * G },
		{ 0x40000000UL, 16 * G },
		{ 0x1000, 16 * G },
	};

	(void)state;
	assert_int_equal(granules_init(banks, GRANULE_MAX_BANKS, storage, CAPACITY), GRANULE_OK);
	assert_int_equal(granules_tracked(), 64);
	assert_ptr_equal(granule_find(0x90000000UL), &storage[0]);
	assert_ptr_equal(granule_find(0x9000f000UL), &storage[15]);
	assert_ptr_equal(granule_find(0x90010000UL), &storage[16]);
	assert_ptr_equal(granule_find(0x40000000UL), &storage[32]);
	assert_ptr_equal(granule_find(0x1000), &storage[48]);
	assert_ptr_equal(granule_find(0x10000), &storage[63]);
	assert_null(granule_find(0));
	assert_null(granule_find(0x11000));
	assert_null(granule_find(0x90020000UL));
}

static void test_init_rejects(void **state)
{
	static const struct {
		const char *what;
		unsigned int n;
		uint64_t banks[GRANULE_MAX_BANKS + 1][2];
		uint64_t capacity;
		int rc;
	} cases[] = {
		{ "no banks", 0, { { A_BASE, G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "too many banks",
		  GRANULE_MAX_BANKS + 1,
		  { { 0x10000, G }, { 0x20000, G }, { 0x30000, G }, { 0x40000, G }, { 0x50000, G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "unaligned base", 1, { { A_BASE + 0x800, G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "unaligned base (1)", 1, { { A_BASE + 1, G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "unaligned size", 1, { { A_BASE, G + 0x10 } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "unaligned second bank",
		  2,
		  { { A_BASE, G }, { B_BASE, 0x800 } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "empty bank", 1, { { A_BASE, 0 } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "empty second bank", 2, { { A_BASE, G }, { B_BASE, 0 } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "identical banks",
		  2,
		  { { A_BASE, 4 * G }, { A_BASE, 4 * G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "overlap at the end",
		  2,
		  { { A_BASE, 4 * G }, { A_BASE + 3 * G, 4 * G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "overlap at the start",
		  2,
		  { { A_BASE, 4 * G }, { A_BASE - 3 * G, 4 * G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "contained", 2, { { A_BASE, 8 * G }, { A_BASE + 2 * G, G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "containing",
		  2,
		  { { A_BASE + 2 * G, G }, { A_BASE, 8 * G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "overlaps the first of three",
		  3,
		  { { A_BASE, G }, { B_BASE, G }, { A_BASE, G } },
		  CAPACITY,
		  GRANULE_ERR_BANKS },
		{ "wraps around", 1, { { 0xfffffffffffff000UL, 2 * G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "ends at 2^64", 1, { { 0xfffffffffffff000UL, G } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "huge", 1, { { G, 0xfffffffffffff000UL } }, CAPACITY, GRANULE_ERR_BANKS },
		{ "capacity exceeded", 1, { { A_BASE, (CAPACITY + 1) * G } }, CAPACITY, GRANULE_ERR_STORAGE },
		{ "capacity exceeded by the second bank",
		  2,
		  { { A_BASE, 40 * G }, { B_BASE, 25 * G } },
		  CAPACITY,
		  GRANULE_ERR_STORAGE },
		{ "no storage", 1, { { A_BASE, G } }, 0, GRANULE_ERR_STORAGE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Start from a good set-up each time: a failed init must leave nothing tracked. */
		assert_int_equal(granules_init(two_banks, 2, storage, CAPACITY), GRANULE_OK);
		memset(storage, 0, CAPACITY * sizeof(*storage));
		take_snapshot();
		int rc = granules_init(cases[i].banks, cases[i].n, storage, cases[i].capacity);
		if (rc != cases[i].rc)
			fail_msg("%s: granules_init = %d, want %d", cases[i].what, rc, cases[i].rc);
		assert_int_equal(granules_tracked(), 0);
		assert_null(granule_find(A_BASE));
		assert_null(granule_find(B_BASE));
		assert_null(granule_find(cases[i].banks[0][0] & ~(G - 1)));
		assert_int_equal(granule_delegate(A_BASE), RMI_ERROR_INPUT);
		assert_int_equal(fake_count(EV_EL3_DELEGATE), 0);
		assert_storage_unchanged();
	}
}

static void test_init_capacity_exact(void **state)
{
	static const uint64_t banks[2][2] = { { A_BASE, 40 * G }, { B_BASE, 24 * G } };

	(void)state;
	assert_int_equal(granules_init(banks, 2, storage, CAPACITY), GRANULE_OK);
	assert_int_equal(granules_tracked(), CAPACITY);
	assert_ptr_equal(granule_find(B_BASE + 23 * G), &storage[CAPACITY - 1]);
}

/* --------------------------------------------------------------- delegate */

static void test_delegate(void **state)
{
	const uint64_t pa = A_BASE + 5 * G;
	const struct fake_event *ev;

	(void)state;
	take_snapshot();
	assert_int_equal(granule_delegate(pa), RMI_SUCCESS);
	assert_int_equal(find(pa)->state, GRANULE_DELEGATED);
	assert_int_equal(find(pa)->lock, 0);
	assert_int_equal(find(pa)->refcount, 0);
	/* Exactly: EL3 delegate, then scrub (through the Realm PAS). */
	assert_int_equal(fake_events(&ev), 2);
	assert_int_equal(ev[0].kind, EV_EL3_DELEGATE);
	assert_int_equal(ev[0].pa, pa);
	assert_int_equal(ev[0].rc, 0);
	assert_int_equal(ev[1].kind, EV_SCRUB);
	assert_int_equal(ev[1].pa, pa);
	assert_int_equal(fake_scrub_outside_realm(), 0);
	assert_true(fake_el3_is_realm(pa));
	/* No other granule touched. */
	snap[5].state = GRANULE_DELEGATED;
	assert_storage_unchanged();

	/* First and last granule of each bank. */
	static const uint64_t edges[] = { A_BASE, A_BASE + (A_GRANULES - 1) * G, B_BASE,
					  B_BASE + (B_GRANULES - 1) * G };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(granule_delegate(edges[i]), RMI_SUCCESS);
		assert_int_equal(find(edges[i])->state, GRANULE_DELEGATED);
	}
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 5);
	assert_int_equal(fake_count(EV_SCRUB), 5);
	assert_int_equal(fake_scrub_outside_realm(), 0);
}

static void test_delegate_rejects(void **state)
{
	static const uint64_t untracked[] = {
		A_BASE - G, A_BASE + A_GRANULES * G, B_BASE - G, B_BASE + B_GRANULES * G, 0xc0000000UL, 0,
		~0UL,	    A_BASE + 0x800,	     A_BASE + 1, B_BASE + G + 0xfff,
	};
	static const enum granule_state busy[] = { GRANULE_DELEGATED, GRANULE_RD,   GRANULE_REC,
						   GRANULE_REC_AUX,   GRANULE_DATA, GRANULE_RTT };

	(void)state;
	take_snapshot();
	for (size_t i = 0; i < sizeof(untracked) / sizeof(untracked[0]); i++) {
		if (granule_delegate(untracked[i]) != RMI_ERROR_INPUT)
			fail_msg("granule_delegate(0x%lx) did not fail", (unsigned long)untracked[i]);
		assert_storage_unchanged();
	}
	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++) {
		storage[3].state = (uint16_t)busy[i];
		take_snapshot();
		assert_int_equal(granule_delegate(A_BASE + 3 * G), RMI_ERROR_INPUT);
		assert_storage_unchanged();
	}
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 0);
	assert_int_equal(fake_count(EV_SCRUB), 0);
}

static void test_delegate_twice(void **state)
{
	const uint64_t pa = B_BASE + 2 * G;

	(void)state;
	assert_int_equal(granule_delegate(pa), RMI_SUCCESS);
	take_snapshot();
	assert_int_equal(granule_delegate(pa), RMI_ERROR_INPUT);
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 1);
	assert_int_equal(fake_count(EV_SCRUB), 1);
	assert_storage_unchanged();
}

static void test_delegate_el3_refuses(void **state)
{
	static const long refusals[] = { E_RMM_BAD_PAS, E_RMM_BAD_ADDR, E_RMM_UNK, E_RMM_INVAL, 1 };
	const uint64_t pa = A_BASE + 7 * G;

	(void)state;
	take_snapshot();
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		fake_el3_force_delegate_rc(refusals[i]);
		assert_int_equal(granule_delegate(pa), RMI_ERROR_INPUT);
		assert_int_equal(fake_count(EV_EL3_DELEGATE), i + 1);
		assert_storage_unchanged(); /* still UNDELEGATED, lock released */
	}
	assert_int_equal(fake_count(EV_SCRUB), 0);
	/* Once EL3 agrees, the same granule delegates normally. */
	fake_el3_force_delegate_rc(0);
	assert_int_equal(granule_delegate(pa), RMI_SUCCESS);
	assert_int_equal(find(pa)->state, GRANULE_DELEGATED);
	assert_int_equal(fake_count(EV_SCRUB), 1);
}

/* ------------------------------------------------------------- undelegate */

static void test_undelegate(void **state)
{
	const uint64_t pa = A_BASE + (A_GRANULES - 1) * G;
	const struct fake_event *ev;

	(void)state;
	assert_int_equal(granule_delegate(pa), RMI_SUCCESS);
	assert_int_equal(granule_undelegate(pa), RMI_SUCCESS);
	assert_int_equal(find(pa)->state, GRANULE_UNDELEGATED);
	assert_int_equal(find(pa)->lock, 0);
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 1);
	size_t n = fake_events(&ev);
	assert_int_equal(ev[n - 1].kind, EV_EL3_UNDELEGATE);
	assert_int_equal(ev[n - 1].pa, pa);
	assert_false(fake_el3_is_realm(pa));
	assert_int_equal(fake_count(EV_PANIC), 0);
}

static void test_undelegate_rejects(void **state)
{
	static const uint64_t untracked[] = {
		A_BASE - G, A_BASE + A_GRANULES * G, B_BASE + B_GRANULES * G, 0xc0000000UL, 0, A_BASE + 0x800,
		A_BASE + 4,
	};
	static const enum granule_state not_delegated[] = { GRANULE_UNDELEGATED, GRANULE_RD,   GRANULE_REC,
							    GRANULE_REC_AUX,	 GRANULE_DATA, GRANULE_RTT };

	(void)state;
	take_snapshot();
	for (size_t i = 0; i < sizeof(untracked) / sizeof(untracked[0]); i++) {
		if (granule_undelegate(untracked[i]) != RMI_ERROR_INPUT)
			fail_msg("granule_undelegate(0x%lx) did not fail", (unsigned long)untracked[i]);
		assert_storage_unchanged();
	}
	for (size_t i = 0; i < sizeof(not_delegated) / sizeof(not_delegated[0]); i++) {
		storage[A_GRANULES].state = (uint16_t)not_delegated[i];
		take_snapshot();
		assert_int_equal(granule_undelegate(B_BASE), RMI_ERROR_INPUT);
		assert_storage_unchanged();
	}
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 0);
	assert_int_equal(fake_count(EV_PANIC), 0);
}

static void test_undelegate_el3_refuses_panics(void **state)
{
	const uint64_t pa = B_BASE + 3 * G;

	(void)state;
	assert_int_equal(granule_delegate(pa), RMI_SUCCESS);
	fake_el3_force_undelegate_rc(E_RMM_BAD_PAS);
	EXPECT_PANIC(granule_undelegate(pa));
	assert_int_equal(fake_count(EV_PANIC), 1);
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 1);
	assert_non_null(strstr(fake_panic_msg, "0x100003000"));
	/* The granule was not handed back to NS. */
	assert_int_equal(find(pa)->state, GRANULE_DELEGATED);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (unsigned int round = 0; round < 3; round++) {
		for (uint64_t i = 0; i < A_GRANULES; i++)
			assert_int_equal(granule_delegate(A_BASE + i * G), RMI_SUCCESS);
		for (uint64_t i = 0; i < B_GRANULES; i++)
			assert_int_equal(granule_delegate(B_BASE + i * G), RMI_SUCCESS);
		for (unsigned int i = 0; i < A_GRANULES + B_GRANULES; i++)
			assert_int_equal(storage[i].state, GRANULE_DELEGATED);
		for (uint64_t i = 0; i < A_GRANULES; i++)
			assert_int_equal(granule_undelegate(A_BASE + i * G), RMI_SUCCESS);
		for (uint64_t i = 0; i < B_GRANULES; i++)
			assert_int_equal(granule_undelegate(B_BASE + i * G), RMI_SUCCESS);
		for (unsigned int i = 0; i < A_GRANULES + B_GRANULES; i++) {
			assert_int_equal(storage[i].state, GRANULE_UNDELEGATED);
			assert_int_equal(storage[i].lock, 0);
		}
	}
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 3 * (A_GRANULES + B_GRANULES));
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 3 * (A_GRANULES + B_GRANULES));
	assert_int_equal(fake_count(EV_SCRUB), 3 * (A_GRANULES + B_GRANULES));
	assert_int_equal(fake_scrub_outside_realm(), 0);
	assert_false(fake_el3_is_realm(A_BASE));
	assert_false(fake_el3_is_realm(B_BASE + (B_GRANULES - 1) * G));
}

static void test_rejected_calls_change_nothing(void **state)
{
	/* A mixed starting state: some delegated, one in use by a realm. */
	(void)state;
	assert_int_equal(granule_delegate(A_BASE), RMI_SUCCESS);
	assert_int_equal(granule_delegate(B_BASE + G), RMI_SUCCESS);
	storage[2].state = GRANULE_RTT;
	storage[2].refcount = 3;
	unsigned long el3_d = fake_count(EV_EL3_DELEGATE), el3_u = fake_count(EV_EL3_UNDELEGATE);
	unsigned long scrubs = fake_count(EV_SCRUB);
	take_snapshot();

	static const struct {
		int undelegate;
		uint64_t pa;
	} calls[] = {
		{ 0, A_BASE },	       /* already delegated */
		{ 0, B_BASE + G },     /* already delegated */
		{ 0, A_BASE + 2 * G }, /* RTT */
		{ 1, A_BASE + 2 * G }, /* RTT */
		{ 1, A_BASE + G },     /* undelegated */
		{ 0, A_BASE + 0x10 },  /* unaligned */
		{ 1, A_BASE + 0x10 },  /* unaligned */
		{ 0, A_BASE - G },     /* untracked */
		{ 1, A_BASE - G },     /* untracked */
		{ 1, B_BASE + B_GRANULES * G },
		{ 0, ~0UL },
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		unsigned long rc =
			calls[i].undelegate ? granule_undelegate(calls[i].pa) : granule_delegate(calls[i].pa);
		if (rc != RMI_ERROR_INPUT)
			fail_msg("%s(0x%lx) = %lu, want RMI_ERROR_INPUT",
				 calls[i].undelegate ? "undelegate" : "delegate", (unsigned long)calls[i].pa,
				 rc);
		assert_storage_unchanged();
		assert_int_equal(fake_count(EV_EL3_DELEGATE), el3_d);
		assert_int_equal(fake_count(EV_EL3_UNDELEGATE), el3_u);
		assert_int_equal(fake_count(EV_SCRUB), scrubs);
		assert_true(fake_el3_is_realm(A_BASE));
		assert_false(fake_el3_is_realm(A_BASE + G));
	}
	assert_int_equal(granules_tracked(), A_GRANULES + B_GRANULES);
}

/* ---------------------------------------------------------------- threads */

#define NTHREADS 4
#define PER_THREAD 32
#define ROUNDS 300
#define THREAD_BASE 0x200000000UL
#define SHARED_PA (THREAD_BASE + NTHREADS * PER_THREAD * G)

static pthread_barrier_t barrier;
static unsigned int delegate_wins[ROUNDS], undelegate_wins[ROUNDS];
static unsigned long bad_rc[NTHREADS], own_ok[NTHREADS], panics[NTHREADS];

/* rmm_panic() on a worker must not reach cmocka: count it and go on. */
static unsigned long guarded(unsigned long (*fn)(uint64_t), uint64_t pa, unsigned int id)
{
	jmp_buf jb;

	fake_panic_jmp = &jb;
	if (setjmp(jb)) {
		fake_panic_jmp = NULL;
		panics[id]++;
		return ~0UL;
	}
	unsigned long rc = fn(pa);
	fake_panic_jmp = NULL;
	return rc;
}

static void *worker(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint64_t own = THREAD_BASE + (uint64_t)id * PER_THREAD * G;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&barrier);
		unsigned long rc = guarded(granule_delegate, SHARED_PA, id);
		if (rc == RMI_SUCCESS)
			__atomic_add_fetch(&delegate_wins[r], 1, __ATOMIC_RELAXED);
		else if (rc != RMI_ERROR_INPUT)
			bad_rc[id]++;
		/* Disjoint granules: every call must succeed. */
		for (unsigned int k = 0; k < 4; k++) {
			uint64_t pa = own + ((r * 4 + k) % PER_THREAD) * G;
			if (guarded(granule_delegate, pa, id) == RMI_SUCCESS &&
			    guarded(granule_undelegate, pa, id) == RMI_SUCCESS)
				own_ok[id]++;
		}
		pthread_barrier_wait(&barrier);
		rc = guarded(granule_undelegate, SHARED_PA, id);
		if (rc == RMI_SUCCESS)
			__atomic_add_fetch(&undelegate_wins[r], 1, __ATOMIC_RELAXED);
		else if (rc != RMI_ERROR_INPUT)
			bad_rc[id]++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	static const uint64_t bank[1][2] = { { THREAD_BASE, (NTHREADS * PER_THREAD + 1) * G } };
	struct granule *big = calloc(NTHREADS * PER_THREAD + 1, sizeof(*big));
	pthread_t th[NTHREADS];

	(void)state;
	assert_non_null(big);
	free(storage);
	storage = big; /* freed by teardown */
	assert_int_equal(granules_init(bank, 1, storage, NTHREADS * PER_THREAD + 1), GRANULE_OK);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
	memset(delegate_wins, 0, sizeof(delegate_wins));
	memset(undelegate_wins, 0, sizeof(undelegate_wins));
	memset(bad_rc, 0, sizeof(bad_rc));
	memset(own_ok, 0, sizeof(own_ok));
	memset(panics, 0, sizeof(panics));
	/* Each EL3 call sleeps: a missing granule lock lets a second caller in. */
	fake_el3_set_delay_us(20);
	for (unsigned int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)i), 0);
	for (unsigned int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	pthread_barrier_destroy(&barrier);

	for (unsigned int r = 0; r < ROUNDS; r++) {
		if (delegate_wins[r] != 1 || undelegate_wins[r] != 1)
			fail_msg("round %u: %u delegate and %u undelegate winners, want 1 each", r,
				 delegate_wins[r], undelegate_wins[r]);
	}
	for (unsigned int i = 0; i < NTHREADS; i++) {
		assert_int_equal(panics[i], 0);
		assert_int_equal(bad_rc[i], 0);
		assert_int_equal(own_ok[i], ROUNDS * 4);
	}
	/* Losers never reached EL3: one EL3 call per transition. */
	unsigned long transitions = ROUNDS + NTHREADS * ROUNDS * 4;
	assert_int_equal(fake_count(EV_EL3_DELEGATE), transitions);
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), transitions);
	assert_int_equal(fake_count(EV_SCRUB), transitions);
	assert_int_equal(fake_scrub_outside_realm(), 0);
	for (unsigned int i = 0; i < NTHREADS * PER_THREAD + 1; i++) {
		assert_int_equal(storage[i].state, GRANULE_UNDELEGATED);
		assert_int_equal(storage[i].lock, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_two_banks, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_find_rejects, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_init_max_banks, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_init_capacity_exact, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_delegate, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_rejects, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_twice, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_el3_refuses, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate_rejects, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate_el3_refuses_panics, setup_two_banks,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup_two_banks, teardown),
		cmocka_unit_test_setup_teardown(test_rejected_calls_change_nothing, setup_two_banks,
						teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup_empty, teardown),
	};

	return cmocka_run_group_tests_name("granule", tests, NULL, NULL);
}
