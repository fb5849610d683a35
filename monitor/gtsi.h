/*
 * RMM_GTSI_DELEGATE / UNDELEGATE (docs/rmm-el3-interface.md): the order of
 * GPT writes, TLB and cache maintenance that moves one granule between the
 * Non-secure and the Realm PAS. Pure sequence logic over the gtsi_hw_*
 * hooks, so the host unit tests check the order (tests/unit/test_gtsi.c);
 * the target implements the hooks in gpt_el3.c.
 */
#ifndef MONITOR_GTSI_H
#define MONITOR_GTSI_H
#include <stdint.h>
#include "gpt.h"

/* The PA range the RMM may move between NS and Realm: NS DRAM, never the RMM carve-out. */
struct gtsi_window {
	uint64_t base, end;
};

enum gtsi_pas { GTSI_PAS_NS, GTSI_PAS_REALM };

/* Hooks (target: gpt_el3.c). */
void gtsi_hw_lock(void);
void gtsi_hw_unlock(void);
/* TLBI RPALOS for the granule at pa, complete (DSB) on return. */
void gtsi_hw_tlbi(uint64_t pa);
/* DC CIPAPA over the granule at pa in PAS pas, complete on return. */
void gtsi_hw_cipapa(uint64_t pa, enum gtsi_pas pas);
/*
 * Make the GPT word at entry reach memory that survives a reset (the next
 * cold boot reads it); complete once the next gtsi_hw_tlbi() returns.
 */
void gtsi_hw_persist(const uint64_t *entry);

/* E_RMM_OK, E_RMM_BAD_ADDR (outside w, unaligned, no level-1 table) or E_RMM_BAD_PAS. */
long gtsi_delegate(struct gpt *g, const struct gtsi_window *w, uint64_t pa);
long gtsi_undelegate(struct gpt *g, const struct gtsi_window *w, uint64_t pa);
#endif
