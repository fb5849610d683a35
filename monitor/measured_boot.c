/*
 * Measured boot (docs/attestation.md): the monitor hashes every image it
 * loads with SHA-256 (lib/crypto) at its final location, MMU on, and records
 * it in a fixed table of software components for the platform token.
 *
 * The monitor measures itself as copied to SRAM: text and rodata in place,
 * and .data as it was before any C code ran (a snapshot taken first thing at
 * cold boot), because the monitor and Mbed TLS write .data while they run
 * (crypto_init() installs the arena's allocator in it).
 *
 * Everything here runs at cold boot on CPU 0 before any lower world has run.
 * crypto_sha256 and the hash_ops save and restore V0-V31/FPSR/FPCR around
 * the SHA-2 instructions, so EL3 never keeps FP state of its own.
 */
#include <crypto/crypto.h>
#include <lib/string.h>
#include "measured_boot.h"
#include "monitor.h"

/*
 * SHA-256 allocates nothing; crypto_init() wants at least 4 KiB. Platform
 * attestation (attest.c) uses the same arena after boot: an ECDSA P-384
 * signature peaks at 3 128 bytes (cryptotest), HMAC-SHA-384 needs under 1 KiB.
 */
#if defined(CONFIG_MONITOR_SECURE_BOOT)
#define MB_ARENA_SIZE 12288 /* ECDSA P-384 verification peaks at 9 520 bytes (cryptotest) */
#elif defined(CONFIG_MONITOR_ATTESTATION)
#define MB_ARENA_SIZE 8192
#else
#define MB_ARENA_SIZE 4096
#endif

extern char __monitor_start[], __rodata_end[], __monitor_load_end[];

static uint64_t mb_arena[MB_ARENA_SIZE / sizeof(uint64_t)];
static uint8_t data_snapshot[MB_DATA_SNAPSHOT_MAX] __attribute__((aligned(16)));
static struct mb_component components[MB_MAX_COMPONENTS];
static unsigned int ncomponents;
spinlock_t mb_arena_lock = SPINLOCK_INIT;

_Static_assert(MB_DATA_SNAPSHOT_MAX % 16 == 0, "snapshot size");

void crypto_fatal(int status)
{
	monitor_panic("crypto library fatal error %d (arena corrupted)", status);
}

/* .data as loaded; subtracted as addresses, since the two symbols are not one C object. */
static size_t data_load_size(void)
{
	return (size_t)((uintptr_t)__monitor_load_end - (uintptr_t)__rodata_end);
}

void mb_snapshot_data(void)
{
	size_t n = data_load_size();

	/* Also a link-time ASSERT in monitor.ld.S. */
	if (n > sizeof(data_snapshot))
		monitor_panic("measured boot: monitor .data is %lu bytes, snapshot holds %lu",
			      (unsigned long)n, (unsigned long)sizeof(data_snapshot));
	memcpy(data_snapshot, __rodata_end, n);
}

static struct mb_component *mb_add(const char *type, uint64_t base, uint64_t size)
{
	if (ncomponents >= MB_MAX_COMPONENTS)
		monitor_panic("measured boot: more than %u components", (unsigned int)MB_MAX_COMPONENTS);
	struct mb_component *c = &components[ncomponents++];
	size_t len = strlen(type);

	if (len >= sizeof(c->type))
		monitor_panic("measured boot: measurement type '%s' too long", type);
	memcpy(c->type, type, len + 1);
	c->load_addr = base;
	c->size = size;
	return c;
}

static void mb_log(const struct mb_component *c)
{
	static const char digits[] = "0123456789abcdef";
	char hex[2 * MB_VALUE_SIZE + 1];

	for (unsigned int i = 0; i < MB_VALUE_SIZE; i++) {
		hex[2 * i] = digits[c->value[i] >> 4];
		hex[2 * i + 1] = digits[c->value[i] & 0xf];
	}
	hex[2 * MB_VALUE_SIZE] = '\0';
	MLOG(1, "measured %s sha256=%s size=%lu\n", c->type, hex, (unsigned long)c->size);
}

static void mb_check(int rc, const char *what, const char *type)
{
	if (rc)
		monitor_panic("measured boot: %s of %s failed: crypto error %d", what, type, rc);
}

void mb_init(void)
{
	static const char *const why[] = {
		[-CRYPTO_ERR_NO_SHA2] = "no FEAT_SHA256",
		[-CRYPTO_ERR_ARENA] = "bad arena",
		[-CRYPTO_ERR_MMU] = "MMU off or alignment checks on",
	};
	int rc = crypto_init(mb_arena, sizeof(mb_arena));

	if (rc) {
		const char *what = "error";

		if (rc < 0 && -rc < (int)(sizeof(why) / sizeof(why[0])) && why[-rc])
			what = why[-rc];
		monitor_panic("measured boot: crypto_init failed: %d (%s)", rc, what);
	}

	/* The monitor: text and rodata in SRAM, then .data as copied (the snapshot). */
	uintptr_t start = (uintptr_t)__monitor_start, ro_end = (uintptr_t)__rodata_end;
	size_t data_size = data_load_size();
	struct mb_component *c = mb_add("BL31", start, (uintptr_t)__monitor_load_end - start);
	struct hash_ctx ctx;

	mb_check(crypto_hash_ops.init(&ctx, HASH_SHA256), "hash init", c->type);
	mb_check(crypto_hash_ops.update(&ctx, (const void *)start, ro_end - start), "hash", c->type);
	mb_check(crypto_hash_ops.update(&ctx, data_snapshot, data_size), "hash", c->type);
	mb_check(crypto_hash_ops.final(&ctx, c->value), "hash final", c->type);
	mb_log(c);
}

void mb_measure(const char *type, uint64_t base, uint64_t size)
{
	struct mb_component *c = mb_add(type, base, size);

	mb_check(crypto_sha256((const void *)base, size, c->value), "SHA-256", type);
	mb_log(c);
}

void mb_record(const char *type, uint64_t base, uint64_t size, const uint8_t digest[MB_VALUE_SIZE],
	       uint32_t version, const uint8_t signer_id[MF_SIGNER_ID_SIZE])
{
	struct mb_component *c = mb_add(type, base, size);

	memcpy(c->value, digest, MB_VALUE_SIZE);
	c->has_signer = 1;
	c->version = version;
	memcpy(c->signer_id, signer_id, MF_SIGNER_ID_SIZE);
	mb_log(c);
}

const struct mb_component *mb_components(unsigned int *count)
{
	*count = ncomponents;
	return components;
}
