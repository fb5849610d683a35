/*
 * pkgtool's crypto on the host: SHA-256/384 and ECDSA P-384 (RFC 6979
 * signatures, verification) from the distribution's libmbedcrypto (Debian
 * 12: 2.28, whose hash functions carry a _ret suffix), behind the same
 * struct mf_crypto the monitor fills with lib/crypto.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include "pkgtool.h"

#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define mbedtls_sha256 mbedtls_sha256_ret
#define mbedtls_sha512 mbedtls_sha512_ret
#endif
#define P384_SCALAR 48

static int sha256(const void *data, size_t len, uint8_t out[MF_DIGEST_SIZE])
{
	return mbedtls_sha256(data, len, out, 0) ? -1 : 0;
}

static int sha384(const void *data, size_t len, uint8_t out[MF_HASH_SIZE])
{
	uint8_t full[64]; /* the prototype says 64 bytes even for SHA-384 */

	if (mbedtls_sha512(data, len, full, 1))
		return -1;
	memcpy(out, full, MF_HASH_SIZE);
	return 0;
}

/* Blinding values for the scalar multiplications: the kernel's RNG. */
static int urandom(void *ctx, unsigned char *out, size_t len)
{
	FILE *f = fopen("/dev/urandom", "rb");
	size_t n = f ? fread(out, 1, len, f) : 0;

	(void)ctx;
	if (f)
		fclose(f);
	return n == len ? 0 : -1;
}

static int verify(const uint8_t pub[MF_PUBKEY_SIZE], const uint8_t hash[MF_HASH_SIZE],
		  const uint8_t sig[MF_SIG_SIZE])
{
	mbedtls_ecp_group g;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	int rc;

	mbedtls_ecp_group_init(&g);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	rc = mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_SECP384R1);
	if (!rc)
		rc = mbedtls_ecp_point_read_binary(&g, &q, pub, MF_PUBKEY_SIZE);
	if (!rc)
		rc = mbedtls_ecp_check_pubkey(&g, &q);
	if (rc) {
		rc = -1; /* a bad key is an error, not a bad signature */
		goto out;
	}
	rc = mbedtls_mpi_read_binary(&r, sig, P384_SCALAR) ||
	     mbedtls_mpi_read_binary(&s, sig + P384_SCALAR, P384_SCALAR);
	if (rc) {
		rc = -1;
		goto out;
	}
	rc = mbedtls_ecdsa_verify(&g, hash, MF_HASH_SIZE, &q, &r, &s) ? 1 : 0;
out:
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&g);
	return rc;
}

const struct mf_crypto host_crypto = { sha256, sha384, verify };

int host_load_key(const char *path, struct host_key *k)
{
	mbedtls_pk_context pk;
	size_t olen = 0;
	int priv = 1, rc;

	memset(k, 0, sizeof(*k));
	mbedtls_pk_init(&pk);
#if MBEDTLS_VERSION_NUMBER < 0x03000000
	rc = mbedtls_pk_parse_keyfile(&pk, path, NULL);
#else
	rc = mbedtls_pk_parse_keyfile(&pk, path, NULL, urandom, NULL);
#endif
	if (rc) {
		priv = 0;
		rc = mbedtls_pk_parse_public_keyfile(&pk, path);
	}
	if (rc || mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY ||
	    mbedtls_pk_ec(pk)->grp.id != MBEDTLS_ECP_DP_SECP384R1) {
		mbedtls_pk_free(&pk);
		return -1;
	}
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(pk);
	rc = mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, k->pub,
					    sizeof(k->pub));
	if (!rc && priv)
		rc = mbedtls_mpi_write_binary(&ec->d, k->priv, sizeof(k->priv));
	mbedtls_pk_free(&pk);
	if (rc || olen != MF_PUBKEY_SIZE)
		return -1;
	k->has_private = priv;
	return sha256(k->pub, sizeof(k->pub), k->signer_id);
}

int host_sign(const struct host_key *k, const uint8_t hash[MF_HASH_SIZE], uint8_t sig[MF_SIG_SIZE])
{
	mbedtls_ecp_group g;
	mbedtls_mpi d, r, s;
	int rc;

	if (!k->has_private)
		return -1;
	mbedtls_ecp_group_init(&g);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	rc = mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_SECP384R1);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&d, k->priv, sizeof(k->priv));
	if (!rc)
		rc = mbedtls_ecdsa_sign_det_ext(&g, &r, &s, &d, hash, MF_HASH_SIZE, MBEDTLS_MD_SHA384,
						urandom, NULL);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&r, sig, P384_SCALAR);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&s, sig + P384_SCALAR, P384_SCALAR);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&g);
	return rc ? -1 : 0;
}

/* Must match monitor/secure_boot.c's cache_mac (label with its NUL, bank byte, hash, signature, signer id).
 */
int host_cache_mac(const uint8_t *seed, size_t seed_len, unsigned int bank, const uint8_t hash[MF_HASH_SIZE],
		   const uint8_t sig[MF_SIG_SIZE], const uint8_t signer_id[MF_SIGNER_ID_SIZE],
		   uint8_t mac[48])
{
	static const char label[] = "Rampart verified manifest v1";
	uint8_t msg[sizeof(label) + 1 + MF_HASH_SIZE + MF_SIG_SIZE + MF_SIGNER_ID_SIZE], *p = msg;

	memcpy(p, label, sizeof(label));
	p += sizeof(label);
	*p++ = (uint8_t)bank;
	memcpy(p, hash, MF_HASH_SIZE);
	memcpy(p + MF_HASH_SIZE, sig, MF_SIG_SIZE);
	memcpy(p + MF_HASH_SIZE + MF_SIG_SIZE, signer_id, MF_SIGNER_ID_SIZE);
	return mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA384), seed, seed_len, msg, sizeof(msg),
			       mac)
		       ? -1
		       : 0;
}
