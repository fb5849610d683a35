/*
 * Bank metadata and the anti-rollback counter in secure flash
 * (docs/secure-boot.md, "Bank metadata"). Each is kept in two copies, one
 * per erase block, with a sequence number and a CRC-32: a write always
 * replaces the older copy, so a power loss during a write leaves the newer
 * one intact, and a torn copy fails its CRC. lib/bootstate.c holds the
 * pure logic (record choice, the boot plan, the trial state machine) so
 * that it is tested on the host; the monitor does the flash accesses.
 */
#ifndef RAMPART_BOOTSTATE_H
#define RAMPART_BOOTSTATE_H
#include <stdint.h>
#include <rampart/manifest.h>

#define BS_META_MAGIC 0x444d4252U /* "RBMD" */
#define BS_CTR_MAGIC 0x43564e52U  /* "RNVC" */
#define BS_FORMAT 1U
#define BS_NO_TRIAL 0xffU
#define BS_MAC_SIZE 48U /* HMAC-SHA-384 */

/*
 * The verification cache of one bank (docs/secure-boot.md, "Boot cost"):
 * a manifest whose signature verified once, and an HMAC over it with a
 * device-secret key, so that later boots check the MAC instead of running
 * ECDSA again. All zero: nothing cached.
 */
struct bs_cache {
	uint8_t manifest_hash[MF_HASH_SIZE];
	uint8_t mac[BS_MAC_SIZE];
};

struct bs_meta {
	uint32_t magic; /* BS_META_MAGIC */
	uint16_t format;
	uint16_t size;	  /* sizeof(struct bs_meta) */
	uint32_t seq;	  /* the newer valid copy wins */
	uint8_t active;	  /* the confirmed bank: booted when no trial is pending */
	uint8_t trial;	  /* the bank on trial, or BS_NO_TRIAL */
	uint8_t attempts; /* boots of the trial bank started so far */
	uint8_t reserved0;
	uint32_t min_version; /* a confirmed update's version: the counter catches up to it */
	uint32_t reserved1;
	struct bs_cache cache[MF_NR_BANKS];
	uint32_t reserved2;
	uint32_t crc; /* CRC-32 of everything before it */
};

struct bs_counter {
	uint32_t magic; /* BS_CTR_MAGIC */
	uint16_t format;
	uint16_t size; /* sizeof(struct bs_counter) */
	uint32_t seq;
	uint32_t value; /* lowest security version this device boots */
	uint32_t reserved;
	uint32_t crc;
};

_Static_assert(sizeof(struct bs_meta) == 224, "bs_meta layout");
_Static_assert(sizeof(struct bs_counter) == 24, "bs_counter layout");

uint32_t bs_crc32(const void *data, size_t len);

/* A copy is valid: magic, format, size, CRC and field ranges. */
int bs_meta_valid(const struct bs_meta *m);
int bs_counter_valid(const struct bs_counter *c);
/*
 * Of the two copies, the newer valid one (serial-number order of seq), or
 * -1 if neither is valid. Returns the slot index 0 or 1.
 */
int bs_meta_pick(const struct bs_meta copies[2]);
int bs_counter_pick(const struct bs_counter copies[2]);
/* The factory state: bank A confirmed, no trial, nothing cached. */
void bs_meta_default(struct bs_meta *m);
/* Stamps seq and the CRC: the record to write into slot (newer slot + 1) % 2. */
void bs_meta_seal(struct bs_meta *m, uint32_t seq);
void bs_counter_seal(struct bs_counter *c, uint32_t value, uint32_t seq);

/* What the monitor does at cold boot, before it verifies anything. */
struct bs_plan {
	unsigned int order[MF_NR_BANKS]; /* banks to try, in this order */
	int trial;			 /* order[0] is a trial boot */
	int fell_back;			 /* the trial ran out of attempts: abandoned by this plan */
	int write;			 /* next must be written before any bank is tried */
	struct bs_meta next;
};
void bs_plan_boot(const struct bs_meta *cur, unsigned int max_attempts, struct bs_plan *p);
/*
 * The bank that booted (booted_trial: as the plan's trial) and what the
 * metadata must say from now on: a refused trial bank is abandoned, and a
 * confirmed bank that could not boot is replaced by the one that did.
 * Returns 1 if *next differs from *cur (must be written).
 */
int bs_after_boot(const struct bs_meta *cur, unsigned int booted, int booted_trial, struct bs_meta *next);
/* The update authority's confirmation of the trial bank (version): the new confirmed state. */
void bs_confirm(const struct bs_meta *cur, unsigned int bank, uint32_t version, struct bs_meta *next);
/* A verified package in bank was armed for a trial boot, its cache entry cache (may be NULL). */
void bs_arm(const struct bs_meta *cur, unsigned int booted, unsigned int bank, const struct bs_cache *cache,
	    struct bs_meta *next);
#endif
