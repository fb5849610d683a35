/* What the RMI generator (fuzz_rmi.c) lends the hostile realm (fuzz_realm.c). */
#ifndef FUZZ_RMI_H
#define FUZZ_RMI_H
#include <stdint.h>

/*
 * A plausible IPA of the realm whose RD is rd_pa: an entry of one of its
 * RTTs (*level = that RTT's level), now and then an address inside it, one
 * past the IPA space, or anything. 0 if the realm is not catalogued.
 */
uint64_t gen_realm_ipa(uint64_t rd_pa, int *level);
/* A 64-bit value: mostly small, boundary or all-ones, sometimes random. */
uint64_t gen_value(void);

/* Realm-side actions so far (every input), for the run summary. */
struct realm_stats {
	unsigned long rsi_calls, exits, aborts;
};
extern struct realm_stats realm_stats;
#endif
