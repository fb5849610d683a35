/*
 * Granule tracking: one entry per 4 KiB of the NS DRAM banks the monitor
 * hands over in the boot manifest. Built for the target and for the host
 * unit tests; the arch hooks it calls are in rmm_arch.h.
 */
#ifndef RMM_GRANULE_H
#define RMM_GRANULE_H
#include <stddef.h>
#include <stdint.h>

#define GRANULE_SHIFT 12
#define GRANULE_SIZE (1UL << GRANULE_SHIFT)
#define GRANULE_MAX_BANKS 4

enum granule_state {
	GRANULE_UNDELEGATED = 0,
	GRANULE_DELEGATED,
	GRANULE_RD,
	GRANULE_REC,
	GRANULE_REC_AUX,
	GRANULE_DATA,
	GRANULE_RTT,
};

/*
 * A granule's state changes only with its lock held. refcount:
 *   RD   number of RECs of the realm (REALM_DESTROY needs 0);
 *   RTT  child RTTs + ASSIGNED protected entries (a DATA page, or a block of
 *        DATA granules: 512 once an assigned block is unfolded into the RTT);
 *        ASSIGNED_NS entries are not counted. RTT_DESTROY needs 0, RTT_FOLD
 *        0 (unassigned/NS contents) or 512 (assigned contents), and
 *        REALM_DESTROY 0 on every root RTT;
 *   REC  non-zero while the REC runs on some PE (REC_ENTER, not yet built):
 *        REC_DESTROY, PSCI_COMPLETE and RTT_SET_RIPAS refuse a running REC.
 * The refcount is read and changed with atomics (REC_DESTROY decrements its
 * RD's count without the RD lock); every other field only under the lock.
 *
 * LOCK ORDER (the one place it is written down; every RMI command obeys it):
 *  1. Granules the host names directly (RD, REC, and the DELEGATED granules
 *     that become RD, REC, RTT, DATA or root RTTs) are locked in ascending
 *     PA order, each state checked right after its lock; a mismatch releases
 *     everything and fails the command. Two names for one granule fail
 *     before any lock is taken.
 *     Exceptions: REC_CREATE turns its REC_AUX granules one at a time with
 *     nothing else held, before step 1; REC_DESTROY takes them one at a time
 *     after its REC.
 *  2. Then one root RTT of the realm (the one translating the IPA), with the
 *     RD lock held; the RD lock may be released after that.
 *  3. Then RTTs downwards, hand over hand (the child is locked before its
 *     parent is released), never upwards; a second RTT lock is only ever a
 *     child of the one held. REALM_DESTROY holds the RD and takes the root
 *     RTTs in ascending PA order.
 *  4. Then a DATA granule reached through a locked RTT entry.
 *  5. An UNDELEGATED (NS) granule is only ever locked alone, with no other
 *     lock held, and nothing is locked while it is held: DELEGATE, and
 *     ns_granule_read() of REALM_CREATE/REC_CREATE parameters and of the
 *     DATA_CREATE source, each first in its command. (A granule the host
 *     delegates meanwhile may be a step-1 granule of another command, so
 *     locking it later, under RD or RTT locks, could close a cycle.)
 *  The VMID allocator's lock (vmid.c) is a leaf.
 * Why no cycle: a thread holding an RTT or DATA lock (steps 2-4) never
 * waits for a step-1 or NS granule; step-1 granules are taken in one PA
 * order; RTTs only top-down along table entries. A granule reached through
 * a locked RTT entry is RTT or DATA and keeps that state while the entry's
 * RTT is locked, so a step-1 lock attempt on it (expecting DELEGATED, RD or
 * REC) only holds it for the failed state check, never while waiting.
 * Extra exceptions: REC_DESTROY drops its RD's refcount with an atomic,
 * without the RD lock; REALM_DESTROY's s2_tlbi/scrub calls take no lock.
 */
struct granule {
	uint32_t lock;
	uint16_t state;
	uint16_t refcount;
};

struct granule_bank {
	uint64_t base;
	uint64_t size;
	struct granule *g;
};

enum granule_err {
	GRANULE_OK = 0,
	GRANULE_ERR_BANKS = -1,	  /* too many, unaligned, empty or overlapping banks */
	GRANULE_ERR_STORAGE = -2, /* more granules than the array holds */
};

int granules_init(const uint64_t (*banks)[2], unsigned int n, struct granule *storage, uint64_t capacity);
/* The entry for pa, or NULL if pa is unaligned or not tracked. */
struct granule *granule_find(uint64_t pa);
uint64_t granules_tracked(void);
void granule_lock(struct granule *g);
void granule_unlock(struct granule *g);

/* The entry for pa locked in state `state`, or NULL (untracked, unaligned, other state). */
struct granule *granule_find_lock(uint64_t pa, enum granule_state state);
/*
 * Lock the granules at pa1 and pa2 (lower PA first) in states s1 and s2.
 * Returns 0 with both locked, -1 with neither (equal PAs, either untracked,
 * unaligned or in another state).
 */
int granule_find_lock_two(uint64_t pa1, enum granule_state s1, struct granule **g1, uint64_t pa2,
			  enum granule_state s2, struct granule **g2);
/*
 * Copy size bytes (<= GRANULE_SIZE) of the NS granule at pa into dst, with
 * the granule locked in state UNDELEGATED throughout (lock order 5: call it
 * with no lock held). Returns 0, or -1 if it is untracked, unaligned or not
 * UNDELEGATED (dst untouched).
 */
int ns_granule_read(uint64_t pa, void *dst, size_t size);
/*
 * The parts of an UNDELEGATED granule named by spans (byte offset, size),
 * to or from the same offsets of a 4 KiB image, under one lock; -1 if the
 * granule is not UNDELEGATED. Only what a command uses crosses.
 */
struct ns_span {
	uint32_t off, size;
};
int ns_granule_read_spans(uint64_t pa, void *img, const struct ns_span *spans, unsigned int n);
int ns_granule_write_spans(uint64_t pa, const void *img, const struct ns_span *spans, unsigned int n);

/*
 * The invariants above, checked (CONFIG_RMM_DEBUG_ASSERTS; the unit tests
 * build with it, so a violation fails them through rmm_panic()): every state
 * change and every refcount change with the granule locked (but REC_DESTROY's
 * unlocked RD decrement, granule_refcount_sub_unlocked()), a state change
 * only along the granule life cycle and with nothing counted, and at every
 * change and unlock a refcount within its state's bound. A 16-bit refcount
 * that would wrap panics in every build.
 */
#ifdef CONFIG_RMM_DEBUG_ASSERTS
#define RMM_ASSERT(cond) ((cond) ? (void)0 : rmm_assert_fail(#cond, __FILE__, __LINE__))
#else
#define RMM_ASSERT(cond) ((void)sizeof(!(cond)))
#endif
void __attribute__((noreturn)) rmm_assert_fail(const char *cond, const char *file, int line);
void __attribute__((noreturn)) granule_refcount_wrap(const struct granule *g, unsigned int old, int delta);

#define GRANULE_REFCOUNT_MAX 0xffffU
/* Bounds per state, from the refcount comment above (s2tt.h and rmi_rec.c check they agree). */
#define GRANULE_RD_REFCOUNT_MAX 1023U /* live RECs: 2^RMM_MAX_RECS_ORDER - 1 */
#define GRANULE_RTT_REFCOUNT_MAX 512U /* one per entry */
#define GRANULE_REC_REFCOUNT_MAX 1U   /* claimed by the REC_ENTER running it */

static inline enum granule_state granule_state(const struct granule *g)
{
	return (enum granule_state)__atomic_load_n(&g->state, __ATOMIC_RELAXED);
}
static inline int granule_is_locked(const struct granule *g)
{
	return __atomic_load_n(&g->lock, __ATOMIC_RELAXED) != 0;
}
static inline unsigned int granule_refcount(const struct granule *g)
{
	return __atomic_load_n(&g->refcount, __ATOMIC_ACQUIRE);
}
/* The most a granule in state s may count; 0 for states that count nothing. */
static inline unsigned int granule_refcount_bound(enum granule_state s)
{
	switch (s) {
	case GRANULE_RD:
		return GRANULE_RD_REFCOUNT_MAX;
	case GRANULE_RTT:
		return GRANULE_RTT_REFCOUNT_MAX;
	case GRANULE_REC:
		return GRANULE_REC_REFCOUNT_MAX;
	default:
		return 0;
	}
}
/* The life cycle (RMM 1.0 A2.2.3): UNDELEGATED <-> DELEGATED <-> every other state. */
static inline int granule_transition_ok(enum granule_state from, enum granule_state to)
{
	if (from == GRANULE_DELEGATED)
		return to != GRANULE_DELEGATED;
	return to == GRANULE_DELEGATED;
}
/* With g locked and nothing counted. */
static inline void granule_set_state(struct granule *g, enum granule_state s)
{
	RMM_ASSERT(granule_is_locked(g));
	RMM_ASSERT(granule_transition_ok(granule_state(g), s));
	RMM_ASSERT(granule_refcount(g) == 0);
	__atomic_store_n(&g->state, (uint16_t)s, __ATOMIC_RELAXED);
}
static inline void granule_refcount_add(struct granule *g, unsigned int n)
{
	unsigned int old = __atomic_fetch_add(&g->refcount, (uint16_t)n, __ATOMIC_ACQ_REL);

	if (old + n > GRANULE_REFCOUNT_MAX)
		granule_refcount_wrap(g, old, (int)n);
	RMM_ASSERT(granule_is_locked(g));
	RMM_ASSERT(old + n <= granule_refcount_bound(granule_state(g)));
}
/* REC_DESTROY's decrement of its RD's count, without the RD lock (the lock-order exception). */
static inline void granule_refcount_sub_unlocked(struct granule *g, unsigned int n)
{
	unsigned int old = __atomic_fetch_sub(&g->refcount, (uint16_t)n, __ATOMIC_ACQ_REL);

	if (old < n)
		granule_refcount_wrap(g, old, -(int)n);
}
static inline void granule_refcount_sub(struct granule *g, unsigned int n)
{
	granule_refcount_sub_unlocked(g, n);
	RMM_ASSERT(granule_is_locked(g));
}

/* RMI_GRANULE_DELEGATE / UNDELEGATE; return an RMI status. */
unsigned long granule_delegate(uint64_t pa);
unsigned long granule_undelegate(uint64_t pa);
#endif
