/*
 * The signed package manifest (docs/secure-boot.md): the first 4 KiB of a
 * package bank in secure flash. It names every image the monitor loads from
 * that bank (role, place in the bank, size, load address, SHA-256), the
 * package's security version and the bank it was signed for, and carries an
 * ECDSA P-384 signature over SHA-384 of its header and image table.
 *
 * Written by tools/pkgtool, parsed and checked by lib/manifest.c (the same
 * code in the monitor, in pkgtool and in the unit tests). Every field is
 * little-endian and fixed-width, so the layout is the same on the host and
 * on AArch64 (the _Static_asserts below).
 */
#ifndef RAMPART_MANIFEST_H
#define RAMPART_MANIFEST_H
#include <stddef.h>
#include <stdint.h>

#define MF_MAGIC 0x54464d52U /* "RMFT" */
#define MF_FORMAT 1U
#define MF_AREA_SIZE 0x1000U   /* manifest + signature: the bank's first 4 KiB; images follow */
#define MF_IMAGE_ALIGN 0x1000U /* image offsets in the bank */
#define MF_MAX_IMAGES 8U
#define MF_DIGEST_SIZE 32U    /* SHA-256 of an image */
#define MF_SIGNER_ID_SIZE 32U /* SHA-256 of the signing public key (uncompressed point) */
#define MF_PUBKEY_SIZE 97U    /* 0x04 || X || Y, P-384 */
#define MF_HASH_SIZE 48U      /* SHA-384 of the signed bytes */
#define MF_SIG_SIZE 96U	      /* r || s */
#define MF_SIG_ECDSA_P384_SHA384 1U

#define MF_BANK_A 0U
#define MF_BANK_B 1U
#define MF_NR_BANKS 2U

enum mf_role {
	MF_ROLE_RMM = 1,  /* rmm.bin, copied to the RMM carve-out */
	MF_ROLE_HYP = 2,  /* hyp.bin (with the partition table), copied to CONFIG_HYP_BASE */
	MF_ROLE_BLOB = 3, /* guest images and DTBs for the hypervisor's staging area (NS DRAM) */
};

struct mf_header {
	uint32_t magic;
	uint16_t format;
	uint16_t header_size; /* sizeof(struct mf_header) */
	uint32_t signed_size; /* header + image table: what the signature covers */
	uint32_t image_count;
	uint32_t security_version; /* anti-rollback: refused below the NV counter */
	uint32_t bank;		   /* MF_BANK_A or MF_BANK_B: the bank it was signed for */
	uint32_t sig_alg;	   /* MF_SIG_ECDSA_P384_SHA384 */
	uint32_t reserved;	   /* 0 */
	uint8_t signer_id[MF_SIGNER_ID_SIZE];
};

struct mf_image {
	uint32_t role; /* enum mf_role */
	uint32_t reserved;
	uint64_t offset; /* from the start of the bank: MF_IMAGE_ALIGN aligned, >= MF_AREA_SIZE */
	uint64_t size;	 /* bytes, > 0 */
	uint64_t load_addr;
	uint8_t sha256[MF_DIGEST_SIZE];
};

/* The signature (r || s) follows the signed bytes, at offset signed_size. */
#define MF_SIGNED_SIZE(n) (sizeof(struct mf_header) + (n) * sizeof(struct mf_image))

_Static_assert(sizeof(struct mf_header) == 64, "mf_header layout");
_Static_assert(sizeof(struct mf_image) == 64, "mf_image layout");
_Static_assert(MF_SIGNED_SIZE(MF_MAX_IMAGES) + MF_SIG_SIZE <= MF_AREA_SIZE, "manifest area");

/* A parsed manifest: a private copy, so that nothing changes under the checks. */
struct mf_manifest {
	struct mf_header h;
	struct mf_image img[MF_MAX_IMAGES];
	uint8_t sig[MF_SIG_SIZE];
};

/* Why a manifest or a package is refused (mf_strerror); detail in struct mf_error. */
enum mf_err {
	MF_OK = 0,
	MF_ERR_TRUNCATED,    /* shorter than its header, table and signature */
	MF_ERR_MAGIC,	     /* no manifest (e.g. an erased bank) */
	MF_ERR_FORMAT,	     /* another format version */
	MF_ERR_HEADER_SIZE,  /* header_size is not sizeof(struct mf_header) */
	MF_ERR_COUNT,	     /* 0 or more than MF_MAX_IMAGES images */
	MF_ERR_SIGNED_SIZE,  /* signed_size does not match image_count */
	MF_ERR_SIG_ALG,	     /* unknown signature algorithm */
	MF_ERR_BANK,	     /* bank id is not A or B */
	MF_ERR_RESERVED,     /* a reserved field is not 0 */
	MF_ERR_ROLE,	     /* image: unknown role */
	MF_ERR_EMPTY,	     /* image: size 0 */
	MF_ERR_OFFSET,	     /* image: not aligned, or inside the manifest area */
	MF_ERR_BOUNDS,	     /* image: ends outside the bank, or its load range wraps */
	MF_ERR_OVERLAP,	     /* image: overlaps another in the bank */
	MF_ERR_LOAD_OVERLAP, /* image: its load range overlaps another's */
	MF_ERR_DUPLICATE,    /* image: a second RMM or hypervisor */
	MF_ERR_NO_RMM,	     /* no RMM image */
	MF_ERR_WRONG_BANK,   /* signed for the other bank */
	MF_ERR_SIGNER,	     /* signer id is not the key this monitor trusts */
	MF_ERR_SIGNATURE,    /* the signature does not verify */
	MF_ERR_DIGEST,	     /* image: SHA-256 differs from the manifest's */
	MF_ERR_ROLLBACK,     /* security version below the NV counter */
	MF_ERR_LOAD,	     /* image: load address or size not allowed by the platform */
	MF_ERR_CRYPTO,	     /* the crypto library failed */
	MF_ERR_NR
};

struct mf_error {
	enum mf_err code;
	int image; /* index of the image concerned, or -1 */
	int other; /* the other image of an overlap, or -1 */
};

/* Hashing and verification, supplied by the caller (the monitor's lib/crypto, the host's Mbed TLS). */
struct mf_crypto {
	int (*sha256)(const void *data, size_t len, uint8_t out[MF_DIGEST_SIZE]);	   /* 0 = ok */
	int (*sha384)(const void *data, size_t len, uint8_t out[MF_HASH_SIZE]);		   /* 0 = ok */
	int (*verify)(const uint8_t pub[MF_PUBKEY_SIZE], const uint8_t hash[MF_HASH_SIZE], /* 0 = valid, */
		      const uint8_t sig[MF_SIG_SIZE]); /* 1 = does not verify, < 0 = error */
};

/*
 * Parses and checks the structure of the manifest at buf (len bytes
 * readable, at most MF_AREA_SIZE are read) for a bank of bank_size bytes:
 * everything that needs no key and no image bytes. Fills *m only with
 * checked values; on failure returns the first problem found, in the order
 * of enum mf_err, with *err saying which image.
 */
enum mf_err mf_parse(const void *buf, size_t len, uint64_t bank_size, struct mf_manifest *m,
		     struct mf_error *err);
/* SHA-384 of the signed bytes (header and image table) of a parsed manifest. */
enum mf_err mf_hash(const struct mf_manifest *m, const struct mf_crypto *c, uint8_t out[MF_HASH_SIZE]);
/* The signer id, then the signature over hash (from mf_hash) with pub. */
enum mf_err mf_verify_signature(const struct mf_manifest *m, const uint8_t hash[MF_HASH_SIZE],
				const uint8_t pub[MF_PUBKEY_SIZE], const uint8_t signer_id[MF_SIGNER_ID_SIZE],
				const struct mf_crypto *c);
/* SHA-256 of data (image i's size bytes) against the manifest. */
enum mf_err mf_verify_image(const struct mf_manifest *m, unsigned int i, const void *data,
			    const struct mf_crypto *c);
const char *mf_strerror(enum mf_err e);
const char *mf_role_name(uint32_t role); /* "rmm", "hyp", "blob" or "unknown" */
#endif
