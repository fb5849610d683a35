/*
 * The hash interface lib/measure.c computes over, so that the RMM (mbedtls
 * built for the target, lib/crypto) and host tools (the host's libmbedcrypto)
 * run exactly the same measurement code with their own SHA implementation.
 */
#ifndef LIB_HASH_H
#define LIB_HASH_H
#include <stddef.h>
#include <stdint.h>

/* The values of RmiHashAlgorithm (RmiRealmParams.hash_algo). */
enum hash_algo {
	HASH_SHA256 = 0,
	HASH_SHA512 = 1,
};

#define HASH_MAX_SIZE 64
/* Room for any implementation's state; each implementation checks it fits. */
#define HASH_CTX_SIZE 256

struct hash_ctx {
	uint64_t opaque[HASH_CTX_SIZE / sizeof(uint64_t)];
};

/*
 * One hash computation: init, any number of updates, final. Every function
 * returns 0 or a negative error of the implementation; final writes
 * hash_size(alg) bytes and leaves no state behind in the context.
 */
struct hash_ops {
	int (*init)(struct hash_ctx *c, enum hash_algo alg);
	int (*update)(struct hash_ctx *c, const void *data, size_t len);
	int (*final)(struct hash_ctx *c, uint8_t *out);
};

/* Digest size in bytes, 0 for an unknown algorithm. */
static inline size_t hash_size(enum hash_algo alg)
{
	switch (alg) {
	case HASH_SHA256:
		return 32;
	case HASH_SHA512:
		return 64;
	}
	return 0;
}
#endif
