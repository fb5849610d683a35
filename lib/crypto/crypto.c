/*
 * lib/crypto's API over Mbed TLS (see include/crypto/crypto.h). This file is
 * built with -mgeneral-regs-only like the rest of the firmware; every call
 * into the SHA-256 object, which uses FP/SIMD, is bracketed by a save and a
 * restore of the FP/SIMD registers.
 */
#include <arch/sysreg.h>
#include <crypto/crypto.h>
#include <lib/string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#define ID_AA64ISAR0_SHA2(v) (((v) >> 12) & 0xf)
#define ID_AA64ISAR0_RNDR(v) (((v) >> 60) & 0xf)
/* RNDR may fail transiently (PSTATE.Z set); give up after this many reads in a row. */
#define RNDR_RETRIES 100
#define SHA512_MODE_384 1
/* Below this the allocator's own header and a P-384 operation cannot fit. */
#define ARENA_MIN 4096

/* Before crypto_init(): every Mbed TLS allocation fails (mbedtls_config.h). */
void *crypto_calloc_unavailable(size_t n, size_t size)
{
	(void)n;
	(void)size;
	return NULL;
}

void crypto_free_unavailable(void *p)
{
	(void)p;
}

/* SCTLR of the EL we run at (EL2 or EL3; lib/crypto is not used at EL1). */
static uint64_t current_sctlr(void)
{
	if (((read_sysreg(CurrentEL) >> 2) & 3) == 3)
		return read_sysreg(sctlr_el3);
	return read_sysreg(sctlr_el2);
}

int crypto_init(void *arena, size_t size)
{
	uint64_t sctlr = current_sctlr();

	/* MBEDTLS_SHA256_USE_ARMV8_A_CRYPTO_ONLY has no fallback: refuse rather than fault later. */
	if (!ID_AA64ISAR0_SHA2(read_sysreg(id_aa64isar0_el1)))
		return CRYPTO_ERR_NO_SHA2;
	/* sha256.o is built without -mstrict-align: it needs Normal memory and no alignment checks. */
	if (!(sctlr & SCTLR_M) || (sctlr & SCTLR_A))
		return CRYPTO_ERR_MMU;
	if (!arena || size < ARENA_MIN || ((uintptr_t)arena & 7))
		return CRYPTO_ERR_ARENA;
	mbedtls_memory_buffer_alloc_init(arena, size);
	return CRYPTO_OK;
}

/* ------------------------------------------------------------------ hashes */

static const struct crypto_simd_guard *simd_guard;

void crypto_set_simd_guard(const struct crypto_simd_guard *g)
{
	simd_guard = g;
}

/* The owner's FP/SIMD registers around SHA-256: the image's guard, or V0-V31 into *stack. */
static void simd_save(struct crypto_fpsimd *stack)
{
	if (simd_guard)
		simd_guard->save();
	else
		crypto_fpsimd_save(stack);
}

static void simd_restore(const struct crypto_fpsimd *stack)
{
	if (simd_guard)
		simd_guard->restore();
	else
		crypto_fpsimd_restore(stack);
}

int crypto_sha256(const void *data, size_t len, uint8_t *out)
{
	struct crypto_fpsimd saved;
	int rc;

	simd_save(&saved);
	rc = mbedtls_sha256(data, len, out, 0);
	simd_restore(&saved);
	return rc ? CRYPTO_ERR_INTERNAL : CRYPTO_OK;
}

int crypto_sha384(const void *data, size_t len, uint8_t *out)
{
	return mbedtls_sha512(data, len, out, 1) ? CRYPTO_ERR_INTERNAL : CRYPTO_OK;
}

int crypto_sha512(const void *data, size_t len, uint8_t *out)
{
	return mbedtls_sha512(data, len, out, 0) ? CRYPTO_ERR_INTERNAL : CRYPTO_OK;
}

int crypto_sha384_parts(const struct crypto_part *parts, unsigned int n, uint8_t out[CRYPTO_SHA384_SIZE])
{
	mbedtls_sha512_context c;
	int rc;

	mbedtls_sha512_init(&c);
	rc = mbedtls_sha512_starts(&c, SHA512_MODE_384);
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = mbedtls_sha512_update(&c, parts[i].data, parts[i].len);
	if (!rc)
		rc = mbedtls_sha512_finish(&c, out);
	mbedtls_sha512_free(&c);
	return rc ? CRYPTO_ERR_INTERNAL : CRYPTO_OK;
}

int crypto_hmac_sha384(const void *key, size_t key_len, const struct crypto_part *parts, unsigned int n,
		       uint8_t out[CRYPTO_SHA384_SIZE])
{
	mbedtls_md_context_t c;
	int rc;

	mbedtls_md_init(&c);
	rc = mbedtls_md_setup(&c, mbedtls_md_info_from_type(MBEDTLS_MD_SHA384), 1);
	if (!rc)
		rc = mbedtls_md_hmac_starts(&c, key, key_len);
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = mbedtls_md_hmac_update(&c, parts[i].data, parts[i].len);
	if (!rc)
		rc = mbedtls_md_hmac_finish(&c, out);
	/* Frees and zeroises the inner and outer key pads. */
	mbedtls_md_free(&c);
	if (rc == MBEDTLS_ERR_MD_ALLOC_FAILED)
		return CRYPTO_ERR_ARENA;
	return rc ? CRYPTO_ERR_INTERNAL : CRYPTO_OK;
}

struct hash_state {
	enum hash_algo alg;
	union {
		mbedtls_sha256_context s256;
		mbedtls_sha512_context s512;
	} u;
};
_Static_assert(sizeof(struct hash_state) <= sizeof(struct hash_ctx), "struct hash_ctx too small");
_Static_assert(_Alignof(struct hash_state) <= _Alignof(struct hash_ctx), "struct hash_ctx alignment");

enum sha256_op { SHA256_START, SHA256_UPDATE, SHA256_FINISH };

/* The single gate into the SHA-256 object for incremental hashing. */
static int sha256_guarded(enum sha256_op op, mbedtls_sha256_context *c, const void *data, size_t len,
			  uint8_t *out)
{
	struct crypto_fpsimd saved;
	int rc = 0;

	simd_save(&saved);
	switch (op) {
	case SHA256_START:
		mbedtls_sha256_init(c);
		rc = mbedtls_sha256_starts(c, 0);
		break;
	case SHA256_UPDATE:
		rc = mbedtls_sha256_update(c, data, len);
		break;
	case SHA256_FINISH:
		rc = mbedtls_sha256_finish(c, out);
		mbedtls_sha256_free(c);
		break;
	}
	simd_restore(&saved);
	return rc;
}

static int hash_init(struct hash_ctx *ctx, enum hash_algo alg)
{
	struct hash_state *h = (struct hash_state *)ctx;

	h->alg = alg;
	switch (alg) {
	case HASH_SHA256:
		return sha256_guarded(SHA256_START, &h->u.s256, NULL, 0, NULL);
	case HASH_SHA512:
		mbedtls_sha512_init(&h->u.s512);
		return mbedtls_sha512_starts(&h->u.s512, 0);
	}
	return CRYPTO_ERR_INTERNAL;
}

static int hash_update(struct hash_ctx *ctx, const void *data, size_t len)
{
	struct hash_state *h = (struct hash_state *)ctx;

	if (h->alg == HASH_SHA256)
		return sha256_guarded(SHA256_UPDATE, &h->u.s256, data, len, NULL);
	return mbedtls_sha512_update(&h->u.s512, data, len);
}

static int hash_final(struct hash_ctx *ctx, uint8_t *out)
{
	struct hash_state *h = (struct hash_state *)ctx;
	int rc;

	if (h->alg == HASH_SHA256)
		return sha256_guarded(SHA256_FINISH, &h->u.s256, NULL, 0, out);
	rc = mbedtls_sha512_finish(&h->u.s512, out);
	mbedtls_sha512_free(&h->u.s512);
	return rc;
}

const struct hash_ops crypto_hash_ops = {
	.init = hash_init,
	.update = hash_update,
	.final = hash_final,
};

/* ------------------------------------------------------------------ ECDSA P-384 */

static int map_err(int rc)
{
	switch (rc) {
	case 0:
		return CRYPTO_OK;
	case MBEDTLS_ERR_MPI_ALLOC_FAILED:
	case MBEDTLS_ERR_ECP_ALLOC_FAILED:
		return CRYPTO_ERR_ARENA;
	case MBEDTLS_ERR_ECP_INVALID_KEY:
		return CRYPTO_ERR_KEY;
	case MBEDTLS_ERR_ECP_VERIFY_FAILED:
		return CRYPTO_ERR_VERIFY;
	}
	return CRYPTO_ERR_INTERNAL;
}

struct p384 {
	mbedtls_ecp_group g;
	mbedtls_ecp_point q;
	mbedtls_mpi d, r, s;
};

static int p384_begin(struct p384 *k)
{
	mbedtls_ecp_group_init(&k->g);
	mbedtls_ecp_point_init(&k->q);
	mbedtls_mpi_init(&k->d);
	mbedtls_mpi_init(&k->r);
	mbedtls_mpi_init(&k->s);
	return mbedtls_ecp_group_load(&k->g, MBEDTLS_ECP_DP_SECP384R1);
}

/* Frees (and Mbed TLS zeroises) every number, the private scalar included. */
static int p384_end(struct p384 *k, int rc)
{
	mbedtls_mpi_free(&k->s);
	mbedtls_mpi_free(&k->r);
	mbedtls_mpi_free(&k->d);
	mbedtls_ecp_point_free(&k->q);
	mbedtls_ecp_group_free(&k->g);
	return map_err(rc);
}

static int read_priv(struct p384 *k, const uint8_t *priv)
{
	int rc = mbedtls_mpi_read_binary(&k->d, priv, CRYPTO_P384_SIZE);

	return rc ? rc : mbedtls_ecp_check_privkey(&k->g, &k->d);
}

int crypto_p384_check_private(const uint8_t priv[CRYPTO_P384_SIZE])
{
	struct p384 k;
	int rc = p384_begin(&k);

	if (!rc)
		rc = read_priv(&k, priv);
	return p384_end(&k, rc);
}

int crypto_p384_public(const uint8_t priv[CRYPTO_P384_SIZE], uint8_t pub[CRYPTO_P384_PUB_SIZE],
		       crypto_rng_fn rng, void *rng_ctx)
{
	struct p384 k;
	size_t olen = 0;
	int rc = p384_begin(&k);

	if (!rc)
		rc = read_priv(&k, priv);
	if (!rc)
		rc = mbedtls_ecp_mul(&k.g, &k.q, &k.d, &k.g.G, rng, rng_ctx);
	if (!rc)
		rc = mbedtls_ecp_point_write_binary(&k.g, &k.q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub,
						    CRYPTO_P384_PUB_SIZE);
	if (!rc && olen != CRYPTO_P384_PUB_SIZE)
		rc = MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	return p384_end(&k, rc);
}

int crypto_p384_sign(const uint8_t priv[CRYPTO_P384_SIZE], const uint8_t hash[CRYPTO_P384_SIZE],
		     uint8_t sig[CRYPTO_P384_SIG_SIZE], crypto_rng_fn rng, void *rng_ctx)
{
	struct p384 k;
	int rc = p384_begin(&k);

	if (!rc)
		rc = read_priv(&k, priv);
	/* SHA-384 for RFC 6979's HMAC-DRBG too: ES384, and the C SHA-512 code (no FP/SIMD). */
	if (!rc)
		rc = mbedtls_ecdsa_sign_det_ext(&k.g, &k.r, &k.s, &k.d, hash, CRYPTO_P384_SIZE,
						MBEDTLS_MD_SHA384, rng, rng_ctx);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&k.r, sig, CRYPTO_P384_SIZE);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&k.s, sig + CRYPTO_P384_SIZE, CRYPTO_P384_SIZE);
	return p384_end(&k, rc);
}

struct p384_signing {
	struct p384 k;
	mbedtls_ecdsa_restart_ctx rs;
	uint8_t hash[CRYPTO_P384_SIZE];
	crypto_rng_fn rng;
	void *rng_ctx;
};
_Static_assert(sizeof(struct p384_signing) <= sizeof(struct crypto_p384_signing),
	       "crypto_p384_signing too small");
_Static_assert(_Alignof(struct p384_signing) <= _Alignof(struct crypto_p384_signing),
	       "crypto_p384_signing alignment");

static void p384_signing_free(struct p384_signing *sg)
{
	mbedtls_ecdsa_restart_free(&sg->rs);
	(void)p384_end(&sg->k, 0);
	memset(sg, 0, sizeof(*sg));
}

int crypto_p384_sign_start(struct crypto_p384_signing *st, const uint8_t priv[CRYPTO_P384_SIZE],
			   const uint8_t hash[CRYPTO_P384_SIZE], crypto_rng_fn rng, void *rng_ctx)
{
	struct p384_signing *sg = (struct p384_signing *)(void *)st;
	int rc = p384_begin(&sg->k);

	mbedtls_ecdsa_restart_init(&sg->rs);
	if (!rc)
		rc = read_priv(&sg->k, priv);
	if (rc) {
		p384_signing_free(sg);
		return map_err(rc);
	}
	memcpy(sg->hash, hash, CRYPTO_P384_SIZE);
	sg->rng = rng;
	sg->rng_ctx = rng_ctx;
	return CRYPTO_OK;
}

int crypto_p384_sign_step(struct crypto_p384_signing *st, unsigned int max_ops,
			  uint8_t sig[CRYPTO_P384_SIG_SIZE])
{
	struct p384_signing *sg = (struct p384_signing *)(void *)st;

	mbedtls_ecp_set_max_ops(max_ops);
	int rc = mbedtls_ecdsa_sign_det_restartable(&sg->k.g, &sg->k.r, &sg->k.s, &sg->k.d, sg->hash,
						    CRYPTO_P384_SIZE, MBEDTLS_MD_SHA384, sg->rng, sg->rng_ctx,
						    &sg->rs);
	mbedtls_ecp_set_max_ops(0); /* every other caller: in one go */
	if (rc == MBEDTLS_ERR_ECP_IN_PROGRESS)
		return CRYPTO_IN_PROGRESS;
	if (!rc)
		rc = mbedtls_mpi_write_binary(&sg->k.r, sig, CRYPTO_P384_SIZE);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&sg->k.s, sig + CRYPTO_P384_SIZE, CRYPTO_P384_SIZE);
	p384_signing_free(sg);
	return map_err(rc);
}

void crypto_p384_sign_abort(struct crypto_p384_signing *st)
{
	p384_signing_free((struct p384_signing *)(void *)st);
}

int crypto_p384_verify(const uint8_t pub[CRYPTO_P384_PUB_SIZE], const uint8_t hash[CRYPTO_P384_SIZE],
		       const uint8_t sig[CRYPTO_P384_SIG_SIZE])
{
	struct p384 k;
	int rc = p384_begin(&k);

	if (!rc) {
		rc = mbedtls_ecp_point_read_binary(&k.g, &k.q, pub, CRYPTO_P384_PUB_SIZE);
		if (!rc)
			rc = mbedtls_ecp_check_pubkey(&k.g, &k.q);
		/* Malformed, compressed or off-curve: all a bad key, unless the arena ran out. */
		if (rc && rc != MBEDTLS_ERR_MPI_ALLOC_FAILED && rc != MBEDTLS_ERR_ECP_ALLOC_FAILED)
			rc = MBEDTLS_ERR_ECP_INVALID_KEY;
	}
	if (!rc)
		rc = mbedtls_mpi_read_binary(&k.r, sig, CRYPTO_P384_SIZE);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&k.s, sig + CRYPTO_P384_SIZE, CRYPTO_P384_SIZE);
	if (!rc)
		rc = mbedtls_ecdsa_verify(&k.g, hash, CRYPTO_P384_SIZE, &k.q, &k.r, &k.s);
	return p384_end(&k, rc);
}

/* ------------------------------------------------------------------ randomness */

int crypto_rng_fresh(void)
{
	return ID_AA64ISAR0_RNDR(read_sysreg(id_aa64isar0_el1)) != 0;
}

/* One RNDR read (the register is s3_3_c2_c4_0); 0 when the hardware had no entropy ready. */
static int rndr(uint64_t *v)
{
	uint64_t ok;

	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(*v), "=r"(ok) : : "cc");
	return (int)ok;
}

int crypto_rng_init(struct crypto_rng *r, const void *seed, size_t len)
{
	static const char label[] = "Rampart blinding RNG v1";
	const struct crypto_part p[] = { { label, sizeof(label) }, { seed, len } };

	r->counter = 0;
	return crypto_sha384_parts(p, sizeof(p) / sizeof(p[0]), r->key);
}

int crypto_rng(void *ctx, unsigned char *out, size_t len)
{
	struct crypto_rng *r = ctx;

	if (crypto_rng_fresh()) {
		while (len) {
			uint64_t v = 0;
			int ok = 0;

			for (int i = 0; i < RNDR_RETRIES && !ok; i++)
				ok = rndr(&v);
			if (!ok)
				return CRYPTO_ERR_INTERNAL;
			for (unsigned int i = 0; i < sizeof(v) && len; i++, len--, v >>= 8)
				*out++ = (unsigned char)v;
		}
		return CRYPTO_OK;
	}
	while (len) {
		uint8_t block[CRYPTO_SHA384_SIZE];
		const struct crypto_part p = { &r->counter, sizeof(r->counter) };
		size_t n = len < sizeof(block) ? len : sizeof(block);
		int rc;

		r->counter++;
		rc = crypto_hmac_sha384(r->key, sizeof(r->key), &p, 1, block);
		if (rc)
			return rc;
		memcpy(out, block, n);
		mbedtls_platform_zeroize(block, sizeof(block));
		out += n;
		len -= n;
	}
	return CRYPTO_OK;
}
