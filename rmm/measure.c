/*
 * The RIM extension events (measure.h), computed by lib/measure (the same
 * code as the host's reference-value tool) over lib/crypto's SHA-256/512
 * (crypto_hash_ops). The unit tests link a host implementation of
 * crypto_hash_ops instead (tests/unit/host_crypto.c).
 *
 * Serialisation: one leaf spin lock, held for each whole step. It guards the
 * 4 KiB scratch granule the parameter images are built in (static: RMI
 * handlers already hold a 4 KiB parameter copy on their 16 KiB stack) and
 * serialises the RIM steps. The hashes use no Mbed TLS arena and keep their
 * state on the stack, so they may run beside attestation (rmm/attest.c),
 * whose ECDSA uses the arena under its own lock. Taken with the RD (and
 * RTT) locks held, never held while taking another lock.
 *
 * Failures: the callers validated everything lib/measure checks (hash_algo
 * at REALM_CREATE, DATA_CREATE flags, granule-aligned RTT entries), and SHA-2
 * cannot fail on valid arguments, so an error here is a broken invariant:
 * rmm_panic(), not a RIM that silently misses a step. lib/measure leaves the
 * RIM untouched on any failure.
 */
#include <crypto/crypto.h>
#include <lib/measure.h>
#include <rampart/rmi.h>
#include "measure.h"
#include "realm.h"
#include "rmm_arch.h"

_Static_assert(RIM_SIZE == MEASURE_SIZE, "the RD's RIM is a lib/measure measurement buffer");
/* The params image carries the RMI value, which lib/measure reads as its enum hash_algo. */
_Static_assert(RMI_HASH_SHA_256 == HASH_SHA256 && RMI_HASH_SHA_512 == HASH_SHA512,
	       "RmiHashAlgorithm and enum hash_algo agree");

static uint32_t measure_lock_word;
static uint8_t scratch[MEASURE_GRANULE_SIZE] __attribute__((aligned(16)));

static void measure_lock(void)
{
	while (__atomic_exchange_n(&measure_lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&measure_lock_word, __ATOMIC_RELAXED))
			rmm_cpu_relax();
}

static void measure_unlock(void)
{
	__atomic_store_n(&measure_lock_word, 0, __ATOMIC_RELEASE);
}

/* Called with the measure lock held; releases it. */
static void measure_done(int rc, const char *what)
{
	measure_unlock();
	if (rc != MEASURE_OK)
		rmm_panic("RIM %s: measurement failed (%d)", what, rc);
}

/* RD.hash_algo holds the RMI value (RmiHashAlgorithm), validated by REALM_CREATE. */
static enum hash_algo rd_hash_algo(const struct rd *rd)
{
	switch (rd->hash_algo) {
	case RMI_HASH_SHA_256:
		return HASH_SHA256;
	case RMI_HASH_SHA_512:
		return HASH_SHA512;
	}
	rmm_panic("RD with hash_algo %u", rd->hash_algo);
}

void measure_realm_create(struct rd *rd, const void *params_4k)
{
	struct measure_realm_params p;

	measure_realm_params_from_rmi(&p, params_4k);
	measure_lock();
	measure_done(measure_rim_init(&crypto_hash_ops, &p, scratch, rd->rim), "REALM_CREATE");
}

void measure_data_create(struct rd *rd, uint64_t ipa, uint64_t flags, const void *content_4k)
{
	enum hash_algo alg = rd_hash_algo(rd);

	measure_lock();
	measure_done(measure_rim_data(&crypto_hash_ops, alg, rd->rim, ipa, flags, content_4k), "DATA_CREATE");
}

void measure_rec_create(struct rd *rd, const void *rec_params_4k)
{
	enum hash_algo alg = rd_hash_algo(rd);
	struct measure_rec_params p;

	measure_rec_params_from_rmi(&p, rec_params_4k);
	measure_lock();
	measure_done(measure_rim_rec(&crypto_hash_ops, alg, rd->rim, &p, scratch), "REC_CREATE");
}

void measure_init_ripas(struct rd *rd, uint64_t base, uint64_t top)
{
	enum hash_algo alg = rd_hash_algo(rd);

	measure_lock();
	measure_done(measure_rim_ripas(&crypto_hash_ops, alg, rd->rim, base, top), "RTT_INIT_RIPAS");
}

void measure_rem_extend_rd(struct rd *rd, unsigned int slot, const void *data, size_t size)
{
	enum hash_algo alg = rd_hash_algo(rd);

	measure_lock();
	measure_done(measure_rem_extend(&crypto_hash_ops, alg, rd->rem[slot], data, size),
		     "MEASUREMENT_EXTEND");
}
