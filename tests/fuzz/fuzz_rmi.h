/* What the RMI generator (fuzz_rmi.c) lends the hostile realm (fuzz_realm.c). */
#ifndef FUZZ_RMI_H
#define FUZZ_RMI_H
#include <stddef.h>
#include <stdint.h>

/*
 * A plausible IPA of the realm whose RD is rd_pa: an entry of one of its
 * RTTs (*level = that RTT's level), now and then an address inside it, one
 * past the IPA space, or anything. 0 if the realm is not catalogued.
 */
uint64_t gen_realm_ipa(uint64_t rd_pa, int *level);
/* A 64-bit value: mostly small, boundary or all-ones, sometimes random. */
uint64_t gen_value(void);

/* fuzz_rmi.c: the RMM's configuration and the run summary at exit (once). */
void rmi_fuzz_init(void);
/* A new input: the stream of choices, a fresh granule pool, the invariants of the empty pool. */
void rmi_fuzz_begin(const uint8_t *data, size_t size);
/* The RMI target: a few realms built, then commands until the input runs out. */
int rmi_fuzz_one(const uint8_t *data, size_t size);
/* One RMI call, checked (fuzz_rmi.c); out (if not NULL) gets x0..x4. Returns x0. */
uint64_t rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t out[5]);

/* ---- fuzz_rmi_args.c: arguments, mostly of the kind each command wants ---- */
#define NS_DESC_ATTRS ((6UL << 2) | (3UL << 6)) /* Normal WB, read/write */
#define MAX_ROOTS 16U				/* concatenated root RTTs, RMM 1.0 */

struct cat_rtt;
struct cat_leaf;
struct rmi_realm_params;
/* An address that is not a usable granule: unaligned, untracked, MMIO, anything. */
uint64_t weird_pa(void);
/* Mostly a granule in state s (enum granule_state); sometimes any granule of the pool, sometimes nonsense. */
uint64_t pick(unsigned int s);
uint64_t pick_rd(void);
/* The catalogue's index of the RD at rd_pa, or -1. */
int rd_slot(uint64_t rd_pa);
const struct cat_rtt *pick_rtt(uint64_t rd_pa, int non_root, int leaf);
const struct cat_leaf *pick_leaf(uint64_t rd_pa);
uint64_t pick_entry_in(uint64_t rd_pa, int *level, int leaf);
uint64_t pick_entry(uint64_t rd_pa, int *level);
/* The host's pointer to an NS granule it owns, NULL for any other (it cannot write those). */
void *host_page(uint64_t pa);
void corrupt(void *page, unsigned int chance);
void delegate_some(unsigned int n);
/* A granule delegated now (0 if none is NS any more); an NS granule. */
uint64_t fresh(void);
uint64_t ns_page(void);
unsigned int roots_for(unsigned int s2sz, int sl);
uint64_t rtt_run(unsigned int n);
/* Start levels with the IPA sizes that give them 1..16 roots, and a few that do not. */
struct geo {
	int sl;
	unsigned int s2sz_min, s2sz_span;
};
#define NR_GEO 4U
extern const struct geo geo[NR_GEO];
void realm_params(struct rmi_realm_params *p, unsigned int s2sz, int sl, unsigned int nroot,
		  uint64_t rtt_base);
/* A realm built as a host would, each step a checked call (so that inputs start deep). */
void build_realm(void);

/* The device the fuzzed realm host emulates (fuzz_realm_host.c), below the unprotected alias bit. */
#define FUZZ_DEVICE_IPA 0x09000000UL

/* fuzz_realm.c: forget what the last input's realm did (each input replays on its own). */
void realm_reset(void);

/* Realm-side actions so far (every input), for the run summary. */
struct realm_stats {
	unsigned long rsi_calls, exits, aborts;
};
extern struct realm_stats realm_stats;
#endif
