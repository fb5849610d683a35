/* See host_crypto.h. */
#include <crypto/crypto.h>
#include "../../tools/refvalues/hash_host.h"
#include "host_crypto.h"

static int fail;
static unsigned long inits;

void host_crypto_fail(int on)
{
	__atomic_store_n(&fail, on, __ATOMIC_RELAXED);
}

unsigned long host_crypto_inits(void)
{
	return __atomic_load_n(&inits, __ATOMIC_RELAXED);
}

static int failing(void)
{
	return __atomic_load_n(&fail, __ATOMIC_RELAXED);
}

static int host_init(struct hash_ctx *c, enum hash_algo alg)
{
	__atomic_add_fetch(&inits, 1, __ATOMIC_RELAXED);
	return failing() ? -1 : hash_host_ops.init(c, alg);
}

static int host_update(struct hash_ctx *c, const void *data, size_t len)
{
	return failing() ? -1 : hash_host_ops.update(c, data, len);
}

static int host_final(struct hash_ctx *c, uint8_t *out)
{
	return failing() ? -1 : hash_host_ops.final(c, out);
}

const struct hash_ops crypto_hash_ops = {
	.init = host_init,
	.update = host_update,
	.final = host_final,
};
