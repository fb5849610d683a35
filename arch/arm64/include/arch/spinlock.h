/*
 * Ticket spinlock; usable only with the MMU and caches on (exclusives/atomics).
 * Host builds (the unit tests of code that takes one) spin without the hint.
 */
#ifndef ARCH_SPINLOCK_H
#define ARCH_SPINLOCK_H
#include <stdint.h>

typedef struct {
	uint16_t owner;
	uint16_t next;
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

/*
 * An image may name a function every waiter calls (its build's
 * -DSPIN_WAIT_HOOK=name): the monitor parks a CPU there once the machine
 * is being stopped after a fatal error, since FIQs are masked at EL3.
 */
#ifdef SPIN_WAIT_HOOK
void SPIN_WAIT_HOOK(void);
#endif

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
#ifdef SPIN_WAIT_HOOK
		SPIN_WAIT_HOOK();
#endif
#ifdef __aarch64__
		__asm__ volatile("yield");
#endif
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}
#endif
