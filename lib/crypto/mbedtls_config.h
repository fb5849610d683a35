/*
 * Mbed TLS 3.6 configuration for Rampart firmware (lib/crypto): only what
 * attestation needs, for aarch64 freestanding. Written from scratch (no
 * default configuration is included), so nothing is enabled by accident.
 *
 *   SHA-256    measurements (RIM/REM of SHA-256 realms), the RAK hash.
 *              A64 SHA-2 instructions only; the one object that uses
 *              FP/SIMD registers, see docs/attestation.md "FP/SIMD".
 *   SHA-384/512  ES384 signatures, SHA-512 realms (portable C).
 *   ECDSA P-384  sign (RFC 6979 deterministic k, HMAC_DRBG) and verify.
 *   HMAC-SHA-384 Realm Attestation Key derivation (monitor), fallback RNG.
 *
 * No file system, threads, time, entropy sources or standard library: the
 * platform layer is a fixed arena (MBEDTLS_MEMORY_BUFFER_ALLOC_C) that the
 * image hands to crypto_init(); before that every allocation fails.
 */
#ifndef RAMPART_MBEDTLS_CONFIG_H
#define RAMPART_MBEDTLS_CONFIG_H
#include <stddef.h>

#define MBEDTLS_CONFIG_VERSION 0x03060000

/* ---- system support */
#define MBEDTLS_HAVE_ASM /* bn_mul.h: AArch64 general-register multiply-accumulate */
/* No 128-by-64-bit division: it would need libgcc's __udivti3, which firmware does not link. */
#define MBEDTLS_NO_UDBL_DIVISION
#define MBEDTLS_NO_PLATFORM_ENTROPY
/* Not defined on purpose: MBEDTLS_FS_IO, MBEDTLS_HAVE_TIME(_DATE), MBEDTLS_THREADING_C,
 * MBEDTLS_ENTROPY_C, MBEDTLS_PSA_CRYPTO_C, MBEDTLS_SELF_TEST, MBEDTLS_ERROR_C. */

/* ---- platform: the bounded arena */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
/* 64-bit limbs are accessed as such; keep every block naturally aligned for them. */
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8
/* Until crypto_init() hands over the arena, allocation fails instead of calling a libc. */
void *crypto_calloc_unavailable(size_t n, size_t size);
void crypto_free_unavailable(void *p);
#define MBEDTLS_PLATFORM_STD_CALLOC crypto_calloc_unavailable
#define MBEDTLS_PLATFORM_STD_FREE crypto_free_unavailable
/* The allocator "exits" on a corrupted arena: the image's crypto_fatal() must not return. */
void crypto_fatal(int status) __attribute__((noreturn));
#define MBEDTLS_PLATFORM_EXIT_MACRO crypto_fatal

/* ---- hashes */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_USE_ARMV8_A_CRYPTO_ONLY /* FEAT_SHA256 is required: crypto_init() checks */
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_MD_C

/* ---- ECDSA P-384 */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
/* Signing in steps (crypto_p384_sign_step): the RMM signs realm tokens across RSI calls. */
#define MBEDTLS_ECP_RESTARTABLE
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_ASN1_PARSE_C /* required by MBEDTLS_ECDSA_C */
#define MBEDTLS_ASN1_WRITE_C
/*
 * Multiples of the generator G (every signature and public key) use Mbed
 * TLS's precomputed comb table of secp384r1 (32 points in .rodata, about
 * 3 KiB of text per image) instead of building one in the arena per call:
 * cryptotest measured 15.6 M -> 6.1 M instructions per signature, 14.2 M ->
 * 4.8 M per public key, arena peak 8 400 -> 3 128 bytes. The window size
 * then only matters for other points (verification: 4 gives 21.4 M
 * instructions and 9.5 KiB of arena; 2: 23.6 M and 4.8 KiB; 6: 21.4 M and
 * 15 KiB), so it stays small. MBEDTLS_ECP_NIST_OPTIM above is worth 4x
 * (23.4 M per signature without it).
 */
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 1

#endif
