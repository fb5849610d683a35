/*
 * Rampart's crypto library (lib/crypto): the pinned upstream Mbed TLS 3.6,
 * built for aarch64 freestanding with lib/crypto/mbedtls_config.h, behind a
 * small API for what attestation needs. Target-only; host tools use the
 * distribution's libmbedcrypto (see tools/refvalues/hash_host.c).
 *
 * Memory: Mbed TLS allocates (bignums, ECP points) from one bounded arena the
 * image passes to crypto_init(). It is not a general heap: nothing outside
 * Mbed TLS allocates from it, an exhausted arena makes the operation fail
 * with an error (never a partial result), and a corrupted one calls
 * crypto_fatal(). It is a single global arena without locking: callers
 * serialise crypto operations (one CPU at a time).
 *
 * FP/SIMD: SHA-256 uses the A64 SHA-2 instructions, so the SHA-256 object is
 * the one part of the library that uses FP/SIMD registers. Every entry into
 * it from this API saves V0-V31, FPSR and FPCR first and restores them after
 * (crypto_fpsimd_save/restore), so the registers keep the values of whoever
 * owns them (a lower EL's, the Normal world's). The rest of the library is
 * built with -mgeneral-regs-only, which the build checks by disassembly.
 * SVE state beyond the low 128 bits of each Z register is not preserved: a
 * caller whose register owner has SVE live must save that state itself.
 */
#ifndef CRYPTO_CRYPTO_H
#define CRYPTO_CRYPTO_H
#include <stddef.h>
#include <stdint.h>
#include <lib/hash.h>

#define CRYPTO_P384_SIZE 48
#define CRYPTO_P384_PUB_SIZE 97 /* 0x04 || X || Y */
#define CRYPTO_P384_SIG_SIZE 96 /* r || s, as COSE ES384 carries it */
#define CRYPTO_SHA384_SIZE 48

enum crypto_err {
	CRYPTO_OK = 0,
	CRYPTO_ERR_NO_SHA2 = -1,  /* the CPU lacks FEAT_SHA256 (ID_AA64ISAR0_EL1.SHA2) */
	CRYPTO_ERR_ARENA = -2,	  /* arena too small or not initialised */
	CRYPTO_ERR_KEY = -3,	  /* private scalar out of range or public key not on P-384 */
	CRYPTO_ERR_VERIFY = -4,	  /* the signature does not verify */
	CRYPTO_ERR_INTERNAL = -5, /* any other Mbed TLS failure (incl. the RNG) */
	CRYPTO_ERR_MMU = -6,	  /* MMU off or SCTLR_ELx.A set: SHA-256 needs unaligned Normal memory */
	CRYPTO_IN_PROGRESS = -7,  /* crypto_p384_sign_step(): call it again */
};

/* Random bytes for ECDSA blinding (an RNG callback as Mbed TLS takes it: 0 or an error). */
typedef int (*crypto_rng_fn)(void *ctx, unsigned char *out, size_t len);

/*
 * Checks the CPU (FEAT_SHA256) and the translation regime of the current EL
 * (MMU on, no alignment checking), then hands Mbed TLS its arena (8-byte
 * aligned, at least 4 KiB).
 */
int crypto_init(void *arena, size_t size);

/* One-shot digests; out has 32, 48 or 64 bytes. */
int crypto_sha256(const void *data, size_t len, uint8_t *out);
int crypto_sha384(const void *data, size_t len, uint8_t *out);
int crypto_sha512(const void *data, size_t len, uint8_t *out);

/* One byte range of a message given in pieces. */
struct crypto_part {
	const void *data;
	size_t len;
};

/*
 * SHA-384 and HMAC-SHA-384 of the concatenation of n parts (e.g. a COSE
 * Sig_structure head and the payload in place). Portable C, no FP/SIMD:
 * usable at run time whoever owns the vector registers. The HMAC allocates
 * its context from the arena.
 */
int crypto_sha384_parts(const struct crypto_part *parts, unsigned int n, uint8_t out[CRYPTO_SHA384_SIZE]);
int crypto_hmac_sha384(const void *key, size_t key_len, const struct crypto_part *parts, unsigned int n,
		       uint8_t out[CRYPTO_SHA384_SIZE]);

/* SHA-256 / SHA-512 for lib/measure.c (struct hash_ops of lib/hash.h). */
extern const struct hash_ops crypto_hash_ops;

/* CRYPTO_OK if priv is a P-384 private scalar (1 <= d <= n - 1), else CRYPTO_ERR_KEY. */
int crypto_p384_check_private(const uint8_t priv[CRYPTO_P384_SIZE]);
/* P-384: public key of a private scalar; ES384 signature of a SHA-384 hash; verification. */
int crypto_p384_public(const uint8_t priv[CRYPTO_P384_SIZE], uint8_t pub[CRYPTO_P384_PUB_SIZE],
		       crypto_rng_fn rng, void *rng_ctx);
/* Deterministic k (RFC 6979, HMAC-DRBG over SHA-384); rng only blinds the computation. */
int crypto_p384_sign(const uint8_t priv[CRYPTO_P384_SIZE], const uint8_t hash[CRYPTO_P384_SIZE],
		     uint8_t sig[CRYPTO_P384_SIG_SIZE], crypto_rng_fn rng, void *rng_ctx);
/*
 * The same signature in steps (Mbed TLS's restartable ECDSA), for callers
 * that must stay responsive: each crypto_p384_sign_step() does at most
 * max_ops elliptic-curve operations (Mbed TLS's unit) and returns
 * CRYPTO_IN_PROGRESS until the signature is in sig. The state lives in the
 * caller's struct (which must not move between steps) and in the arena
 * until the last step, or crypto_p384_sign_abort(), frees it; any error also
 * frees it. Steps of one signing may run on different CPUs, not at once.
 */
struct crypto_p384_signing {
	uint64_t opaque[160];
} __attribute__((aligned(16)));
int crypto_p384_sign_start(struct crypto_p384_signing *st, const uint8_t priv[CRYPTO_P384_SIZE],
			   const uint8_t hash[CRYPTO_P384_SIZE], crypto_rng_fn rng, void *rng_ctx);
int crypto_p384_sign_step(struct crypto_p384_signing *st, unsigned int max_ops,
			  uint8_t sig[CRYPTO_P384_SIG_SIZE]);
void crypto_p384_sign_abort(struct crypto_p384_signing *st);
int crypto_p384_verify(const uint8_t pub[CRYPTO_P384_PUB_SIZE], const uint8_t hash[CRYPTO_P384_SIZE],
		       const uint8_t sig[CRYPTO_P384_SIG_SIZE]);

/*
 * Randomness for ECDSA blinding and per-boot nonces: FEAT_RNG (RNDR) where
 * the CPU has it. Without it, crypto_rng() falls back to HMAC-SHA-384 of a
 * counter under a key derived from the caller's secret seed: unpredictable
 * to anyone who does not know the seed, which is all blinding needs.
 * crypto_rng_fresh() tells whether the bytes are fresh per boot (RNDR).
 * A struct crypto_rng is used under its owner's lock.
 */
struct crypto_rng {
	uint8_t key[CRYPTO_SHA384_SIZE];
	uint64_t counter;
};
int crypto_rng_fresh(void);
int crypto_rng_init(struct crypto_rng *r, const void *seed, size_t len);
int crypto_rng(void *ctx, unsigned char *out, size_t len); /* a crypto_rng_fn, ctx a struct crypto_rng */

/* V0-V31 (128 bits each), FPSR and FPCR: 528 bytes, 16-byte aligned. */
struct crypto_fpsimd {
	uint64_t v[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));
void crypto_fpsimd_save(struct crypto_fpsimd *s);
void crypto_fpsimd_restore(const struct crypto_fpsimd *s);

/*
 * Who keeps the FP/SIMD registers around SHA-256. Without a guard,
 * crypto_fpsimd_save/restore on the stack (V0-V31 only: the Z bits above
 * 128 are lost). An image whose callers may hold live SVE state installs
 * one that saves the whole register file (the RMM: rmm/fpu.S).
 */
struct crypto_simd_guard {
	void (*save)(void);
	void (*restore)(void);
};
void crypto_set_simd_guard(const struct crypto_simd_guard *g);

/* Provided by the image: a fatal error inside Mbed TLS (corrupted arena). Must not return. */
void crypto_fatal(int status) __attribute__((noreturn));
#endif
