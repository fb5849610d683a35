/*
 * Realm measurements (RMM 1.0, reference §3): the Realm Initial Measurement
 * (RIM) and the Realm Extensible Measurements (REMs), as pure functions over
 * a struct hash_ops. The RMM and the host reference-value tool share this
 * code, so a verifier's reference RIM is computed exactly as the RMM does.
 *
 * A measurement is always held in a MEASURE_SIZE (64-byte) buffer: the
 * current value in its first hash_size() bytes, zeros after, which is also
 * how it appears inside a descriptor. All integers are little-endian.
 */
#ifndef LIB_MEASURE_H
#define LIB_MEASURE_H
#include <stddef.h>
#include <stdint.h>
#include <lib/hash.h>

#define MEASURE_SIZE 64
#define MEASURE_GRANULE_SIZE 4096
#define MEASURE_DESC_SIZE 256
#define MEASURE_REM_DATA_MAX 64

/* RmiMeasurementDescriptor* types. */
#define MEASURE_DESC_DATA 0
#define MEASURE_DESC_REC 1
#define MEASURE_DESC_RIPAS 2

/* RMI_DATA_CREATE flags: RMI_MEASURE_CONTENT. */
#define MEASURE_DATA_CONTENT 1UL
/* RmiRecParams.flags: RUNNABLE (only a runnable REC is measured). */
#define MEASURE_REC_RUNNABLE 1UL

enum measure_err {
	MEASURE_OK = 0,
	MEASURE_ERR_ALGO = -1, /* hash algorithm other than SHA-256 / SHA-512 */
	MEASURE_ERR_ARG = -2,  /* content to measure missing, REM data over 64 bytes, empty/unaligned range */
	MEASURE_ERR_HASH = -3, /* the hash implementation failed */
};

/* The RmiRealmParams fields the RIM covers (§3.1); the RPV, VMID and RTT fields are not measured. */
struct measure_realm_params {
	uint64_t flags;
	uint8_t s2sz;
	uint8_t sve_vl;
	uint8_t num_bps;
	uint8_t num_wps;
	uint8_t pmu_num_ctrs;
	uint8_t hash_algo;
};

/* The RmiRecParams fields the RIM covers (§3.3); MPIDR and aux granules are not measured. */
struct measure_rec_params {
	uint64_t flags;
	uint64_t pc;
	uint64_t gprs[8];
};

/*
 * The measured fields from the host's 4 KiB RmiRealmParams / RmiRecParams (a
 * copy the RMM took): what REALM_CREATE and REC_CREATE hand to the steps below.
 */
void measure_realm_params_from_rmi(struct measure_realm_params *p, const void *params_4k);
void measure_rec_params_from_rmi(struct measure_rec_params *p, const void *params_4k);

/* The 4096-byte images that are hashed: the measured fields at their RMI offsets, zeros elsewhere. */
void measure_realm_params_image(uint8_t img[MEASURE_GRANULE_SIZE], const struct measure_realm_params *p);
void measure_rec_params_image(uint8_t img[MEASURE_GRANULE_SIZE], const struct measure_rec_params *p);

/* The 256-byte descriptors; rim, content_hash and params_hash are MEASURE_SIZE buffers. */
void measure_data_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, uint64_t ipa, uint64_t flags,
		       const uint8_t *content_hash);
void measure_rec_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, const uint8_t *params_hash);
void measure_ripas_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, uint64_t base, uint64_t top);

/*
 * RIM steps. Each takes the realm's algorithm and updates rim in place
 * (MEASURE_SIZE bytes); scratch is a caller granule for the 4 KiB images, so
 * that no 4 KiB lives on a firmware stack.
 */
/* REALM_CREATE: rim = H(params image); the algorithm is p->hash_algo. */
int measure_rim_init(const struct hash_ops *h, const struct measure_realm_params *p,
		     uint8_t scratch[MEASURE_GRANULE_SIZE], uint8_t *rim);
/*
 * DATA_CREATE of the granule at ipa: content (4 KiB) is hashed only with flags bit 0
 * (MEASURE_DATA_CONTENT); the descriptor records flags as given, reserved bits included.
 */
int measure_rim_data(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim, uint64_t ipa, uint64_t flags,
		     const void *content);
/* REC_CREATE of a runnable REC (the caller skips non-runnable ones, as the RMM does). */
int measure_rim_rec(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim,
		    const struct measure_rec_params *p, uint8_t scratch[MEASURE_GRANULE_SIZE]);
/* One RTT entry [base, top) set to RIPAS RAM by RTT_INIT_RIPAS. */
int measure_rim_ripas(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim, uint64_t base,
		      uint64_t top);

/* RSI_MEASUREMENT_EXTEND: rem = H(rem[0..hash size) || data[0..size)), size <= 64. */
int measure_rem_extend(const struct hash_ops *h, enum hash_algo alg, uint8_t *rem, const void *data,
		       size_t size);

/*
 * The Realm-VM conventions (§3.4) a reproducible RIM relies on: the start
 * level of the stage-2 tables for an IPA width, using concatenated start-level
 * tables whenever possible (-1 if s2sz is outside 32..48), and the RTT entry
 * RTT_INIT_RIPAS measures next at base: the largest block of the levels from
 * the start level down that base is aligned to and that ends at or below top
 * (0 for an empty or unaligned range).
 */
int measure_rtt_start_level(unsigned int s2sz);
uint64_t measure_ripas_entry_size(uint64_t base, uint64_t top, int start_level);
#endif
