/*
 * Shared set-up for the RMM realm suites (test_rmm_*): 8 MiB of fake
 * "DRAM" tracked by the RMM and backing granule_map(), RMI calls through
 * rmi_dispatch(), helpers that build realms, RTTs, DATA and RECs the way a
 * host would, and snapshots that prove a failed command changed nothing.
 */
#ifndef RMM_FIXTURE_H
#define RMM_FIXTURE_H
#include <stdint.h>
#include <rampart/rmi.h>
#include "granule.h"
#include "realm.h"
#include "rec.h"
#include "s2tt.h"

#define G GRANULE_SIZE
#define FX_BASE 0x80000000UL
#define FX_GRANULES 2048UL
#define FX_SIZE (FX_GRANULES * G)
#define FX_UNTRACKED (FX_BASE + FX_SIZE) /* delegable nowhere */
/* RMI_FEATURES register 0 the suites use: S2SZ 48, 6 BPs, 4 WPs, SHA-256/512, 4 LRs, 2^10 RECs. */
#define FX_FEAT0 ((48UL) | (5UL << 14) | (3UL << 20) | (3UL << 32) | (3UL << 34) | (10UL << 38))
#define FX_NUM_BPS 5
#define FX_NUM_WPS 3
#define L1 (1UL << 30)
#define L2 (1UL << 21)
#define L3 G
#define RET(status, index) RMI_RETURN(status, index)

int fx_setup(void **state);
int fx_teardown(void **state);

struct granule *fx_g(uint64_t pa);
void *fx_ptr(uint64_t pa);
unsigned int fx_state(uint64_t pa);
unsigned int fx_ref(uint64_t pa);
int fx_is_zero(uint64_t pa);

/* Fresh granules, never handed out before: NS (UNDELEGATED), or delegated through RMI. */
uint64_t fx_ns(void);
uint64_t fx_del(void);
/* n consecutive delegated granules, the first aligned to align bytes. */
uint64_t fx_del_run(unsigned int n, uint64_t align);

/* rmi_dispatch() with x1..x5; returns x0, out (if not NULL) gets x0..x4. */
uint64_t fx_rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		uint64_t out[5]);

struct fx_realm {
	uint64_t rd;
	uint64_t rtt_base;
	uint64_t params; /* the NS params granule used */
	unsigned int s2sz;
	int sl;
	unsigned int nroot;
	uint16_t vmid;
};
/* Fill an NS granule with valid RmiRealmParams (num_bps/wps 1, SHA-256). */
void fx_realm_params(uint64_t params, unsigned int s2sz, int sl, unsigned int nroot, uint64_t rtt_base,
		     uint16_t vmid);
/* Delegate RD and roots, write params, REALM_CREATE; returns x0. */
uint64_t fx_realm_new(struct fx_realm *r, unsigned int s2sz, int sl, uint16_t vmid);
/* RTT_CREATE with a fresh delegated granule (returned through *rtt if not NULL); returns x0. */
uint64_t fx_rtt(uint64_t rd, uint64_t ipa, int level, uint64_t *rtt);
/* RTTs from level `from` to `to` (inclusive) covering ipa; asserts success. */
void fx_rtts(uint64_t rd, uint64_t ipa, int from, int to);
/* DATA_CREATE with a fresh data granule and an NS source filled with `fill`; returns x0. */
uint64_t fx_data(uint64_t rd, uint64_t ipa, unsigned char fill, uint64_t *data);
uint64_t fx_data_unknown(uint64_t rd, uint64_t ipa, uint64_t *data);
/* REC_CREATE with fresh REC and aux granules; returns x0. */
uint64_t fx_rec(uint64_t rd, uint64_t mpidr, int runnable, uint64_t *rec);
/* Fill an NS granule with RmiRecParams for aux[0..n). */
void fx_rec_params(uint64_t params, uint64_t mpidr, uint64_t flags, uint64_t pc, unsigned int naux,
		   const uint64_t *aux);

/* RTT_READ_ENTRY: asserts SUCCESS, returns x1..x4 in out[1..4]. */
void fx_read(uint64_t rd, uint64_t ipa, int level, uint64_t out[5]);

/*
 * Snapshot of everything a command may change: the granule array (state,
 * lock, refcount), the bytes of every granule handed out so far, the VMID
 * bitmap (first 256 VMIDs). fx_snap_check() fails the test on a
 * difference and on any EL3 call, scrub or TLBI since fx_snap().
 */
void fx_snap(void);
void fx_snap_check(const char *what);
/* Every granule's lock is free. */
void fx_assert_unlocked(void);
#endif
