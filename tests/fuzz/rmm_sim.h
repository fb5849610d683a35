/*
 * The simulated machine under the RMM fuzz targets (fuzz_rmi.c): a pool of
 * granules backed by host memory, the monitor's view of which of them are
 * Realm (the GPT), and everything rmm/rmm_arch.h asks of the CPU. Lean and
 * single threaded, unlike tests/unit/fake_rmm_arch.c (no cmocka, no locks),
 * because it runs millions of calls; it records what the invariant checks
 * (rmm_check.c) need: each granule's contents before the RMM first mapped
 * it in the current call (copy on map), EL3 calls, scrubs, TLBIs and
 * measurement calls since the call began.
 */
#ifndef FUZZ_RMM_SIM_H
#define FUZZ_RMM_SIM_H
#include <stddef.h>
#include <stdint.h>
#include "granule.h"

#define SIM_BASE 0x80000000UL
#define SIM_GRANULES 1024U
#define SIM_SIZE ((uint64_t)SIM_GRANULES * GRANULE_SIZE)
#define SIM_UNTRACKED (SIM_BASE + SIM_SIZE)
/* The VMIDs whose reservation a failed call must leave as it found them (the generator's range). */
#define SIM_VMID_WINDOW 256U

/* Events a failed RMI call must not cause. */
enum sim_event {
	SIM_EV_DELEGATE,
	SIM_EV_UNDELEGATE,
	SIM_EV_SCRUB,
	SIM_EV_TLBI,
	SIM_EV_MEASURE,
	SIM_EV_NR,
};

extern struct granule sim_granules[SIM_GRANULES];
extern unsigned char *sim_mem;		/* SIM_SIZE bytes: the granules' contents */
extern uint8_t sim_realm[SIM_GRANULES]; /* the monitor's view: 1 = Realm PAS */
extern unsigned long sim_events[SIM_EV_NR];

/* Fresh machine: every granule NS and UNDELEGATED, memory holding host garbage, VMIDs free. */
void sim_reset(void);
static inline uint64_t sim_pa(unsigned int idx)
{
	return SIM_BASE + (uint64_t)idx * GRANULE_SIZE;
}
static inline int sim_idx(uint64_t pa, unsigned int *idx)
{
	if (pa < SIM_BASE || pa >= SIM_UNTRACKED || (pa & (GRANULE_SIZE - 1)))
		return 0;
	*idx = (unsigned int)((pa - SIM_BASE) / GRANULE_SIZE);
	return 1;
}
/* The host's (or the checker's) pointer to a granule's bytes, without counting it as an RMM access. */
static inline void *sim_ptr(uint64_t pa)
{
	return sim_mem + (pa - SIM_BASE);
}

/* Start of one RMI call: snapshot the granule array and VMIDs, forget events and mapped granules. */
void sim_call_begin(void);
/* A failed call: 0 if it changed nothing (granules, contents, VMIDs, no event), else why (static). */
const char *sim_call_unchanged(void);
/* Granule idx was mapped, scrubbed or written by the RMM during this call. */
int sim_touched(unsigned int idx);

/* A finding: print it with the call that caused it and abort (the fuzzer's crash). */
void __attribute__((noreturn, format(printf, 1, 2))) sim_fail(const char *fmt, ...);
/* The call being made, for sim_fail's report. */
extern uint64_t sim_cur_regs[8];
#endif
