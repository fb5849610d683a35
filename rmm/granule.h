/*
 * Granule tracking: one entry per 4 KiB of the NS DRAM banks the monitor
 * hands over in the boot manifest. Built for the target and for the host
 * unit tests; the arch hooks it calls are in rmm_arch.h.
 */
#ifndef RMM_GRANULE_H
#define RMM_GRANULE_H
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
 * Lock order: a granule's lock is taken alone, or RD before any granule
 * of that realm, then in ascending PA order among granules of one kind.
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

/* RMI_GRANULE_DELEGATE / UNDELEGATE; return an RMI status. */
unsigned long granule_delegate(uint64_t pa);
unsigned long granule_undelegate(uint64_t pa);
#endif
