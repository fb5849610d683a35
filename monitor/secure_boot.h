/*
 * Secure boot and updates (docs/secure-boot.md): the package banks, the
 * bank metadata and NV counter in secure flash, and the update calls.
 */
#ifndef MONITOR_SECURE_BOOT_H
#define MONITOR_SECURE_BOOT_H
#include <stdint.h>
#include <rampart/bootstate.h>
#include <rampart/manifest.h>
#include "context.h"

#define BANK_BASE(b) (CONFIG_PKG_OFFSET + (uint64_t)(b)*CONFIG_PKG_BANK_SIZE)

/* What this boot booted (valid after secure_boot_load). */
struct sb_booted {
	unsigned int bank;
	int trial; /* booted as a trial: the update authority may confirm it */
	uint32_t version;
	struct mf_manifest m;
};
extern struct sb_booted sb_booted;

/* Cold boot, CPU 0, MMU and crypto up: choose, verify, copy and measure; never returns on failure. */
void secure_boot_load(void);
/*
 * The signature of the parsed manifest m in bank (hash from mf_hash):
 * through the verification cache if it vouches for it, else ECDSA; *fresh
 * receives a cache entry for a signature that ECDSA verified (NULL: none
 * wanted). Portable C only (usable after boot); the caller holds the
 * crypto arena.
 */
enum mf_err sb_check_signature(unsigned int bank, const struct mf_manifest *m,
			       const uint8_t hash[MF_HASH_SIZE], struct bs_cache *fresh, int *cached);
extern const struct mf_crypto sb_crypto;

/* nvstate.c */
void nv_load(void);
const struct bs_meta *nv_meta(void);
uint32_t nv_counter(void);
/*
 * What a package's security version is checked against: the NV counter, or
 * the version a confirmation recorded in the bank metadata if the counter's
 * own write has not (yet) caught up with it.
 */
uint32_t nv_rollback_floor(void);
int nv_meta_write(const struct bs_meta *next);
int nv_counter_advance(uint32_t value); /* never lowers it */

/* update.c: the SiP calls of docs/secure-boot.md, "Update interface" (NS-EL2 only). */
int update_is_fid(uint32_t fid);
void update_smc(struct world_ctx *ctx);
#endif
