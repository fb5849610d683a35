/*
 * Arm CCA attestation tokens (reference §4): the COSE_Sign1 ES384 envelope,
 * the RAK public COSE_Key, the realm and platform claim sets and the CCA
 * token collection (CBOR tag 399), encoded with lib/cbor.c into a caller
 * buffer. Shared by the monitor (platform token), the RMM (realm token and
 * collection) and host tools, so every token Rampart emits has one encoder.
 *
 * Crypto is the caller's: a struct cca_signer hashes the Sig_structure with
 * SHA-384 and signs the hash with its P-384 key. The library never sees a
 * private key.
 *
 * Every function either writes a complete encoding and returns CCA_OK with
 * its length, or returns an error and leaves the whole output buffer zeroed:
 * a buffer that is too small is CCA_ERR_SPACE, never a shortened token.
 */
#ifndef LIB_CCA_TOKEN_H
#define LIB_CCA_TOKEN_H
#include <stddef.h>
#include <stdint.h>
#include <lib/cbor.h>
#include <lib/hash.h>

/* CBOR tags: COSE_Sign1 (RFC 9052) and the RMM 1.0 CCA token collection. */
#define CCA_TAG_SIGN1 18
#define CCA_TAG_COLLECTION 399
/* Collection map keys. */
#define CCA_KEY_PLATFORM_TOKEN 44234
#define CCA_KEY_REALM_TOKEN 44241

/* Realm claims (§4.2). */
#define CCA_REALM_CHALLENGE 10
#define CCA_REALM_PERSONALIZATION 44235
#define CCA_REALM_HASH_ALGO 44236
#define CCA_REALM_PUB_KEY 44237
#define CCA_REALM_RIM 44238
#define CCA_REALM_REMS 44239
#define CCA_REALM_PUB_KEY_HASH_ALGO 44240
#define CCA_REALM_PROFILE 265

/* Platform claims (§4.5). */
#define CCA_PLAT_PROFILE 265
#define CCA_PLAT_CHALLENGE 10
#define CCA_PLAT_IMPLEMENTATION_ID 2396
#define CCA_PLAT_INSTANCE_ID 256
#define CCA_PLAT_CONFIG 2401
#define CCA_PLAT_LIFECYCLE 2395
#define CCA_PLAT_SW_COMPONENTS 2399
#define CCA_PLAT_VERIFICATION_SERVICE 2400
#define CCA_PLAT_HASH_ALGO 2402
/* Software component map keys. */
#define CCA_SW_TYPE 1
#define CCA_SW_VALUE 2
#define CCA_SW_VERSION 4
#define CCA_SW_SIGNER_ID 5
#define CCA_SW_HASH_ALGO 6

#define CCA_REALM_PROFILE_NAME "tag:arm.com,2023:realm#1.0.0"
#define CCA_PLATFORM_PROFILE_NAME "tag:arm.com,2023:cca_platform#1.0.0"
#define CCA_HASH_NAME_SHA256 "sha-256"
#define CCA_HASH_NAME_SHA512 "sha-512"

#define CCA_P384_COORD_SIZE 48
#define CCA_P384_POINT_SIZE 97 /* 0x04 || X || Y (SEC 1 uncompressed) */
#define CCA_SEC1_UNCOMPRESSED 0x04
#define CCA_ES384_HASH_SIZE 48
#define CCA_ES384_SIG_SIZE 96 /* r || s */
/* {1: 2, -1: 2, -2: x, -3: y}, exactly as §4.3 and t_cose encode it. */
#define CCA_RAK_COSE_KEY_SIZE 107

#define CCA_REALM_CHALLENGE_SIZE 64
#define CCA_RPV_SIZE 64
#define CCA_NUM_REMS 4
#define CCA_MEASUREMENT_MAX 64
#define CCA_IMPLEMENTATION_ID_SIZE 32
#define CCA_INSTANCE_ID_SIZE 33 /* UEID: type byte + 32 */
#define CCA_UEID_TYPE_RAND 0x01

enum cca_err {
	CCA_OK = 0,
	CCA_ERR_SPACE = -1,  /* the output buffer is too small */
	CCA_ERR_ARG = -2,    /* a claim would make an invalid token (size, NULL, count) */
	CCA_ERR_SIGN = -3,   /* the signer's hash or signature failed */
	CCA_ERR_ENCODE = -4, /* encoder misuse: a bug in this library */
};

/*
 * The signer of one COSE_Sign1. sha384() digests the concatenation a || b
 * (the Sig_structure is hashed in two pieces so that the payload is read in
 * place); sign() writes the raw r || s of hash with the signer's key. Both
 * return 0 or a negative error.
 */
struct cca_signer {
	int (*sha384)(const void *a, size_t alen, const void *b, size_t blen,
		      uint8_t out[CCA_ES384_HASH_SIZE]);
	int (*sign)(void *ctx, const uint8_t hash[CCA_ES384_HASH_SIZE], uint8_t sig[CCA_ES384_SIG_SIZE]);
	void *ctx;
};

/* The 107-byte COSE_Key of a P-384 public key given as a SEC 1 uncompressed point. */
int cca_rak_cose_key(const uint8_t pub[CCA_P384_POINT_SIZE], uint8_t out[CCA_RAK_COSE_KEY_SIZE]);

struct cca_realm_claims {
	const uint8_t *challenge; /* CCA_REALM_CHALLENGE_SIZE bytes */
	const uint8_t *rpv;	  /* CCA_RPV_SIZE bytes */
	enum hash_algo algo;	  /* the realm's: RIM and REMs have hash_size(algo) bytes */
	const uint8_t *rim;
	const uint8_t *rems[CCA_NUM_REMS];
	const uint8_t *rak; /* the RAK COSE_Key (claim 44237), bound to the platform by SHA-256 */
	size_t rak_len;
};

struct cca_sw_component {
	const char *type; /* measurement type, e.g. "RMM"; NULL: omitted */
	const uint8_t *value;
	size_t value_len;    /* 32, 48 or 64 */
	const char *version; /* NULL: omitted */
	const uint8_t *signer_id;
	size_t signer_id_len;  /* 32, 48 or 64 */
	const char *hash_algo; /* NULL: omitted */
};

struct cca_platform_claims {
	const uint8_t *challenge;
	size_t challenge_len;		  /* 32, 48 or 64: H(RAK COSE_Key) */
	const uint8_t *implementation_id; /* CCA_IMPLEMENTATION_ID_SIZE bytes */
	const uint8_t *instance_id;	  /* CCA_INSTANCE_ID_SIZE bytes, first CCA_UEID_TYPE_RAND */
	const uint8_t *config;
	size_t config_len;
	uint32_t lifecycle;
	const struct cca_sw_component *sw;
	unsigned int nsw;		  /* at least 1 */
	const char *verification_service; /* NULL or "": omitted */
	const char *hash_algo;		  /* e.g. "sha-256" */
};

/*
 * COSE_Sign1 inside an open encoder: begin writes tag 18, the array head,
 * the ES384 protected header and an empty unprotected map, and opens the
 * payload (record *payload_at); the caller encodes the claims; end closes
 * the payload, signs ["Signature1", protected, h'', payload] and appends
 * the signature. Encoder errors stick in e (lib/cbor.h) and are returned.
 */
int cca_sign1_begin(struct cbor_enc *e, size_t *payload_at);
int cca_sign1_end(struct cbor_enc *e, size_t payload_at, const struct cca_signer *s);

/* A complete COSE_Sign1 token. */
int cca_platform_token(const struct cca_platform_claims *c, const struct cca_signer *s, uint8_t *buf,
		       size_t cap, size_t *len);
int cca_realm_token(const struct cca_realm_claims *c, const struct cca_signer *s, uint8_t *buf, size_t cap,
		    size_t *len);

/*
 * The CCA token: tag 399 {44234: platform token, 44241: realm token}, the
 * platform token copied as given, the realm token signed in place.
 */
int cca_token(const uint8_t *platform_token, size_t platform_len, const struct cca_realm_claims *c,
	      const struct cca_signer *s, uint8_t *buf, size_t cap, size_t *len);
#endif
