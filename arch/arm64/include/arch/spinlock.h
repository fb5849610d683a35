/* Ticket spinlock; usable only with the MMU and caches on. */
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

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
#endif
