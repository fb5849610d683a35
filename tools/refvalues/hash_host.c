/*
 * SHA-256/SHA-512 for lib/measure.c on the host, from the distribution's
 * libmbedcrypto (Debian 12: 2.28, whose functions carry a _ret suffix).
 */
#include <string.h>

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include "hash_host.h"

#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define mbedtls_sha256_starts mbedtls_sha256_starts_ret
#define mbedtls_sha256_update mbedtls_sha256_update_ret
#define mbedtls_sha256_finish mbedtls_sha256_finish_ret
#define mbedtls_sha512_starts mbedtls_sha512_starts_ret
#define mbedtls_sha512_update mbedtls_sha512_update_ret
#define mbedtls_sha512_finish mbedtls_sha512_finish_ret
#endif

struct host_ctx {
	enum hash_algo alg;
	union {
		mbedtls_sha256_context s256;
		mbedtls_sha512_context s512;
	} u;
};
_Static_assert(sizeof(struct host_ctx) <= sizeof(struct hash_ctx), "hash_ctx too small for mbedtls");

static int host_init(struct hash_ctx *c, enum hash_algo alg)
{
	struct host_ctx *h = (struct host_ctx *)c;

	h->alg = alg;
	switch (alg) {
	case HASH_SHA256:
		mbedtls_sha256_init(&h->u.s256);
		return mbedtls_sha256_starts(&h->u.s256, 0);
	case HASH_SHA512:
		mbedtls_sha512_init(&h->u.s512);
		return mbedtls_sha512_starts(&h->u.s512, 0);
	}
	return -1;
}

static int host_update(struct hash_ctx *c, const void *data, size_t len)
{
	struct host_ctx *h = (struct host_ctx *)c;

	if (h->alg == HASH_SHA256)
		return mbedtls_sha256_update(&h->u.s256, data, len);
	return mbedtls_sha512_update(&h->u.s512, data, len);
}

static int host_final(struct hash_ctx *c, uint8_t *out)
{
	struct host_ctx *h = (struct host_ctx *)c;
	int rc;

	if (h->alg == HASH_SHA256) {
		rc = mbedtls_sha256_finish(&h->u.s256, out);
		mbedtls_sha256_free(&h->u.s256);
	} else {
		rc = mbedtls_sha512_finish(&h->u.s512, out);
		mbedtls_sha512_free(&h->u.s512);
	}
	return rc;
}

const struct hash_ops hash_host_ops = {
	.init = host_init,
	.update = host_update,
	.final = host_final,
};
