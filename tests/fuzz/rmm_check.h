/*
 * The invariants the RMI fuzz target checks after every call (rmm_check.c),
 * by a full recount from the granule array and the realms' RTTs rather than
 * by trusting any counter the RMM keeps:
 *   - every granule unlocked, in a known state, Realm in the monitor's view
 *     exactly when it is not UNDELEGATED (no realm granule reachable from NS);
 *   - each RD: valid state and stage-2 geometry, its root RTTs in state RTT,
 *     a VMID reserved and no other live realm's, refcount = its RECs;
 *   - each RTT reached once, from one realm, at one level: refcount = its
 *     tables + protected ASSIGNED entries; no entry the RMM never writes;
 *     protected entries only in the lower half of the IPA space and NS
 *     entries only in the upper half; a TABLE names an RTT, an ASSIGNED
 *     entry DATA granules only (no NS, undelegated or metadata granule
 *     mapped into a realm), each DATA granule mapped exactly once;
 *   - no RTT, DATA, REC or REC_AUX granule that no realm owns;
 *   - each REC: its RD live, not running between calls, its REC_AUX
 *     granules its own;
 *   - every DELEGATED granule the call touched holds zeros.
 * It also builds the catalogue the generator picks plausible arguments from.
 */
#ifndef FUZZ_RMM_CHECK_H
#define FUZZ_RMM_CHECK_H
#include <stdint.h>
#include "rmm_sim.h"

#define CAT_MAX_RDS 64U
#define CAT_MAX_RTTS SIM_GRANULES

struct cat_rtt {
	uint64_t pa, ipa; /* the IPA its first entry translates */
	uint16_t rd;	  /* index into cat.rd */
	int8_t level;
};

/* An ASSIGNED or ASSIGNED_NS entry: what DATA_DESTROY, UNMAP_UNPROTECTED and folds want. */
#define CAT_MAX_LEAVES 1024U
struct cat_leaf {
	uint64_t ipa;
	uint16_t rd;
	int8_t level;
};

struct catalogue {
	unsigned int nrd, nrtt, nleaf;
	struct cat_leaf leaf[CAT_MAX_LEAVES];
	uint64_t rd[CAT_MAX_RDS];
	struct cat_rtt rtt[CAT_MAX_RTTS];
	/* Granule indices per state, for "a granule in state S" arguments. */
	unsigned int nstate[GRANULE_RTT + 1];
	uint16_t by_state[GRANULE_RTT + 1][SIM_GRANULES];
};
extern struct catalogue cat;

/* Check everything above (sim_fail() on a violation) and rebuild cat. */
void rmm_check_all(void);
#endif
