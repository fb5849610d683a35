#include <stddef.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "granule.h"
#include "rmm_arch.h"

static struct granule_bank banks[GRANULE_MAX_BANKS];
static unsigned int nbanks;
static uint64_t ntracked;

int granules_init(const uint64_t (*in)[2], unsigned int n, struct granule *storage, uint64_t capacity)
{
	uint64_t used = 0;

	nbanks = 0;
	ntracked = 0;
	if (n == 0 || n > GRANULE_MAX_BANKS)
		return GRANULE_ERR_BANKS;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t base = in[i][0], size = in[i][1];
		if (size == 0 || ((base | size) & (GRANULE_SIZE - 1)) || base + size < base)
			return GRANULE_ERR_BANKS;
		for (unsigned int j = 0; j < i; j++) {
			if (base < in[j][0] + in[j][1] && in[j][0] < base + size)
				return GRANULE_ERR_BANKS;
		}
		uint64_t count = size >> GRANULE_SHIFT;
		if (count > capacity - used)
			return GRANULE_ERR_STORAGE;
		banks[i] = (struct granule_bank){ base, size, storage + used };
		used += count;
	}
	/* Storage is zeroed by the caller: every granule starts UNDELEGATED. */
	nbanks = n;
	ntracked = used;
	return GRANULE_OK;
}

uint64_t granules_tracked(void)
{
	return ntracked;
}

struct granule *granule_find(uint64_t pa)
{
	if (pa & (GRANULE_SIZE - 1))
		return NULL;
	/* Bank 0 first, without the loop: every RTT walk step and REC_ENTER looks granules up. */
	if (nbanks && pa - banks[0].base < banks[0].size)
		return &banks[0].g[(pa - banks[0].base) >> GRANULE_SHIFT];
	for (unsigned int i = 1; i < nbanks; i++) {
		if (pa >= banks[i].base && pa - banks[i].base < banks[i].size)
			return &banks[i].g[(pa - banks[i].base) >> GRANULE_SHIFT];
	}
	return NULL;
}

void granule_lock(struct granule *g)
{
	while (__atomic_exchange_n(&g->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&g->lock, __ATOMIC_RELAXED))
			rmm_cpu_relax();
}

void granule_unlock(struct granule *g)
{
	RMM_ASSERT(granule_is_locked(g));
	RMM_ASSERT(granule_refcount(g) <= granule_refcount_bound(granule_state(g)));
	__atomic_store_n(&g->lock, 0, __ATOMIC_RELEASE);
}

void rmm_assert_fail(const char *cond, const char *file, int line)
{
	rmm_panic("assertion failed: %s (%s:%d)", cond, file, line);
}

void granule_refcount_wrap(const struct granule *g, unsigned int old, int delta)
{
	rmm_panic("granule refcount %u %s %u out of range (state %u)", old, delta < 0 ? "-" : "+",
		  (unsigned int)(delta < 0 ? -delta : delta), (unsigned int)granule_state(g));
}

struct granule *granule_find_lock(uint64_t pa, enum granule_state state)
{
	struct granule *g = granule_find(pa);

	if (!g)
		return NULL;
	granule_lock(g);
	if (granule_state(g) != state) {
		granule_unlock(g);
		return NULL;
	}
	return g;
}

int granule_find_lock_two(uint64_t pa1, enum granule_state s1, struct granule **g1, uint64_t pa2,
			  enum granule_state s2, struct granule **g2)
{
	struct granule *a = granule_find(pa1), *b = granule_find(pa2);

	if (!a || !b || pa1 == pa2)
		return -1;
	/* Lock order: ascending PA. */
	struct granule *first = pa1 < pa2 ? a : b, *second = pa1 < pa2 ? b : a;
	enum granule_state fs = pa1 < pa2 ? s1 : s2, ss = pa1 < pa2 ? s2 : s1;
	granule_lock(first);
	if (granule_state(first) != fs) {
		granule_unlock(first);
		return -1;
	}
	granule_lock(second);
	if (granule_state(second) != ss) {
		granule_unlock(second);
		granule_unlock(first);
		return -1;
	}
	*g1 = a;
	*g2 = b;
	return 0;
}

int ns_granule_read(uint64_t pa, void *dst, size_t size)
{
	struct granule *g = granule_find_lock(pa, GRANULE_UNDELEGATED);

	if (!g)
		return -1;
	/* Locked UNDELEGATED: the host cannot delegate it while it is read. */
	memcpy(dst, ns_granule_map(pa), size < GRANULE_SIZE ? size : GRANULE_SIZE);
	granule_unlock(g);
	return 0;
}

#define SMALL_SPAN 32

/* Copy spans between an UNDELEGATED granule and a 4 KiB image, under one lock; -1 if it is not. */
static int ns_granule_spans(uint64_t pa, void *img, const struct ns_span *spans, unsigned int n, int write)
{
	struct granule *g = granule_find_lock(pa, GRANULE_UNDELEGATED);

	if (!g)
		return -1;
	char *ns = (char *)(uintptr_t)ns_granule_map(pa);
	for (unsigned int i = 0; i < n; i++) {
		if (spans[i].off > GRANULE_SIZE || spans[i].size > GRANULE_SIZE - spans[i].off)
			rmm_panic("NS span %u+%u outside a granule", spans[i].off, spans[i].size);
		char *dst = write ? ns + spans[i].off : (char *)img + spans[i].off;
		const char *src = write ? (const char *)img + spans[i].off : ns + spans[i].off;
		if (spans[i].size <= SMALL_SPAN &&
		    ((spans[i].off | spans[i].size) & (sizeof(uint64_t) - 1)) == 0) {
			/* A few words: cheaper than a memcpy call (RecRun exit fields). */
			for (uint32_t k = 0; k < spans[i].size; k += sizeof(uint64_t))
				*(uint64_t *)(void *)(dst + k) = *(const uint64_t *)(const void *)(src + k);
		} else {
			memcpy(dst, src, spans[i].size);
		}
	}
	granule_unlock(g);
	return 0;
}

int ns_granule_read_spans(uint64_t pa, void *img, const struct ns_span *spans, unsigned int n)
{
	return ns_granule_spans(pa, img, spans, n, 0);
}

int ns_granule_write_spans(uint64_t pa, const void *img, const struct ns_span *spans, unsigned int n)
{
	return ns_granule_spans(pa, (void *)(uintptr_t)img, spans, n, 1);
}

unsigned long granule_delegate(uint64_t pa)
{
	struct granule *g = granule_find(pa);

	if (!g)
		return RMI_ERROR_INPUT;
	granule_lock(g);
	if (granule_state(g) != GRANULE_UNDELEGATED || rmm_el3_gtsi_delegate(pa) != 0) {
		granule_unlock(g);
		return RMI_ERROR_INPUT;
	}
	/* DELEGATED granules always hold zeros. */
	rmm_granule_scrub(pa);
	granule_set_state(g, GRANULE_DELEGATED);
	granule_unlock(g);
	return RMI_SUCCESS;
}

unsigned long granule_undelegate(uint64_t pa)
{
	struct granule *g = granule_find(pa);

	if (!g)
		return RMI_ERROR_INPUT;
	granule_lock(g);
	if (granule_state(g) != GRANULE_DELEGATED) {
		granule_unlock(g);
		return RMI_ERROR_INPUT;
	}
	long rc = rmm_el3_gtsi_undelegate(pa);
	if (rc != 0)
		rmm_panic("EL3 refused to undelegate tracked granule 0x%lx (%ld)", (unsigned long)pa, rc);
	granule_set_state(g, GRANULE_UNDELEGATED);
	granule_unlock(g);
	return RMI_SUCCESS;
}
