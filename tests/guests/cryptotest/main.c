/*
 * cryptotest: lib/crypto (Mbed TLS built for the firmware) and lib/measure
 * on the real target, as the external NS-EL2 payload. It prints known-answer
 * inputs' digests, the §3.7 measurement chain, an ECDSA P-384 key, signature
 * and verification results, FP/SIMD preservation checks and counter deltas
 * on the NS UART, then powers off. tests/qemu/test_crypto.py recomputes every
 * value with Python's hashlib and python3-cryptography.
 *
 * The MMU is on (identity map: text RX, rodata R, data RW, UART device) so
 * that memory is Normal: Mbed TLS relies on unaligned-safe normal memory.
 */
#include <arch/mmu.h>
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <crypto/crypto.h>
#include <drivers/pl011.h>
#include <lib/cbor.h>
#include <lib/measure.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "cryptotest_asm.h"

#define MMU_POOL_PAGES 8
#define ARENA_SIZE (64 * 1024)
#define SMALL_ARENA 4096
#define MAX_DATA 65536
#define ARENA_FILL 0xa5
/* The allocator's header at the arena start (8 words); everything above is filled and scanned. */
#define ARENA_HEADER 64

static mmu_table_t mmu_pool[MMU_POOL_PAGES] __attribute__((aligned(PAGE_SIZE)));
static uint8_t arena[ARENA_SIZE] __attribute__((aligned(16)));
static uint8_t data[MAX_DATA];
static uint8_t scratch[MEASURE_GRANULE_SIZE];
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

void simd_probe_fill(uint64_t seed);
unsigned int simd_probe_check(uint64_t seed);
/* Test only: Mbed TLS's one-shot SHA-256 without lib/crypto's FP/SIMD bracket. */
int mbedtls_sha256(const unsigned char *input, size_t ilen, unsigned char *output, int is224);

void console_write(const char *s, size_t n)
{
	pl011_write(CONFIG_UART_NS_BASE, s, n);
}

static void __attribute__((noreturn)) power_off(void)
{
	smc1(PSCI_SYSTEM_OFF, 0);
	for (;;)
		wfi();
}

void crypto_fatal(int status)
{
	printk("panic: crypto_fatal(%d)\n", status);
	power_off();
}

void cryptotest_exception(unsigned int vector);
void cryptotest_exception(unsigned int vector)
{
	printk("panic: exception vector %u esr=%016lx elr=%016lx far=%016lx\n", vector, read_sysreg(esr_el2),
	       read_sysreg(elr_el2), read_sysreg(far_el2));
	power_off();
}

static void __attribute__((noreturn)) fail(const char *what, long rc)
{
	printk("panic: %s failed (%ld)\n", what, rc);
	power_off();
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
	char line[LOG_LINE_MAX];
	size_t len = (size_t)snprintf(line, sizeof(line), "%s ", label);

	for (size_t i = 0; i < n && len + 3 < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%02x", p[i]);
	printk("%s\n", line);
}

static void mmu_on(void)
{
	static struct mmu_tables t;
	uintptr_t base = (uintptr_t)__image_start;
	int rc;

	mmu_init(&t, mmu_pool, MMU_POOL_PAGES);
	rc = mmu_map(&t, base, base, (uintptr_t)__text_end - base, MT_CODE);
	if (!rc)
		rc = mmu_map(&t, (uintptr_t)__text_end, (uintptr_t)__text_end,
			     (uintptr_t)__rodata_end - (uintptr_t)__text_end, MT_RAM_RO);
	if (!rc)
		rc = mmu_map(&t, (uintptr_t)__rodata_end, (uintptr_t)__rodata_end,
			     (uintptr_t)__image_end - (uintptr_t)__rodata_end, MT_RAM_RW);
	if (!rc)
		rc = mmu_map(&t, CONFIG_UART_NS_BASE, CONFIG_UART_NS_BASE, PAGE_SIZE, MT_DEVICE);
	if (rc)
		fail("mmu_map", rc);
	mmu_enable_el2(&t);
}

/* Blinding randomness from FEAT_RNG (RNDR); QEMU's -seed makes it reproducible. */
static int rndr_rng(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	while (len) {
		uint64_t v;
		int ok = 0;

		for (int tries = 0; tries < 100 && !ok; tries++)
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %w1, ne" : "=r"(v), "=r"(ok) : : "cc");
		if (!ok)
			return -1;
		for (int i = 0; i < 8 && len; i++, len--, v >>= 8)
			*out++ = (unsigned char)v;
	}
	return 0;
}

/* The bytes the test hashes: pattern(i) = (7 i + 1) mod 256 (tests/qemu/test_crypto.py agrees). */
static void fill_pattern(size_t n)
{
	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)(7 * i + 1);
}

static void digests(void)
{
	static const size_t sizes[] = { 0, 3, 55, 56, 64, 1000, 4096, MAX_DATA };
	/* Incremental updates of uneven sizes exercise the hash_ops path and Mbed TLS's buffering. */
	static const size_t chunks[] = { 1, 63, 64, 65, 127, 1000, 2776 };
	uint8_t md[64];
	char label[48];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		fill_pattern(n);
		if (n == 3)
			memcpy(data, "abc", 3);
		snprintf(label, sizeof(label), "digest sha256 %zu", n);
		if (crypto_sha256(data, n, md))
			fail("sha256", 0);
		print_hex(label, md, 32);
		snprintf(label, sizeof(label), "digest sha384 %zu", n);
		if (crypto_sha384(data, n, md))
			fail("sha384", 0);
		print_hex(label, md, 48);
		snprintf(label, sizeof(label), "digest sha512 %zu", n);
		if (crypto_sha512(data, n, md))
			fail("sha512", 0);
		print_hex(label, md, 64);
	}
	fill_pattern(4096);
	for (int alg = HASH_SHA256; alg <= HASH_SHA512; alg++) {
		struct hash_ctx c;
		size_t off = 0;
		int rc = crypto_hash_ops.init(&c, (enum hash_algo)alg);

		for (size_t i = 0; !rc && i < sizeof(chunks) / sizeof(chunks[0]); off += chunks[i++])
			rc = crypto_hash_ops.update(&c, data + off, chunks[i]);
		if (rc || off != 4096 || crypto_hash_ops.final(&c, md))
			fail("hash_ops", rc);
		print_hex(alg == HASH_SHA256 ? "digest-ops sha256 4096" : "digest-ops sha512 4096", md,
			  hash_size((enum hash_algo)alg));
	}
}

/* Reference §3.7 on the target: lib/measure.c over lib/crypto. */
static void measurements(void)
{
	static const char *const names[] = { "sha256", "sha512" };
	static const uint8_t zero_page[MEASURE_GRANULE_SIZE];
	struct measure_rec_params rec = { .flags = MEASURE_REC_RUNNABLE,
					  .pc = 0x40000000,
					  .gprs = { 0x40200000 } };
	const struct hash_ops *h = &crypto_hash_ops;
	char label[48];

	for (uint8_t alg = HASH_SHA256; alg <= HASH_SHA512; alg++) {
		struct measure_realm_params p = { .s2sz = 41, .num_bps = 2, .num_wps = 2, .hash_algo = alg };
		uint8_t rim[MEASURE_SIZE], rem[MEASURE_SIZE] = { 0 }, ext[32];
		size_t n = hash_size((enum hash_algo)alg);
		int rc;

		for (int i = 0; i < 32; i++)
			ext[i] = (uint8_t)i;
		rc = measure_rim_init(h, &p, scratch, rim);
		snprintf(label, sizeof(label), "measure %s create", names[alg]);
		print_hex(label, rim, n);
		rc |= measure_rim_ripas(h, alg, rim, 0x40000000, 0x40200000);
		snprintf(label, sizeof(label), "measure %s ripas", names[alg]);
		print_hex(label, rim, n);
		rc |= measure_rim_data(h, alg, rim, 0x40000000, MEASURE_DATA_CONTENT, zero_page);
		snprintf(label, sizeof(label), "measure %s data", names[alg]);
		print_hex(label, rim, n);
		rc |= measure_rim_rec(h, alg, rim, &rec, scratch);
		snprintf(label, sizeof(label), "measure %s rec", names[alg]);
		print_hex(label, rim, n);
		rc |= measure_rem_extend(h, alg, rem, ext, sizeof(ext));
		snprintf(label, sizeof(label), "measure %s rem", names[alg]);
		print_hex(label, rem, n);
		if (rc)
			fail("measure", rc);
	}
}

/* FP/SIMD state of an "owner" survives the guarded SHA-256, and is really at risk without it. */
static void fpsimd(void)
{
	uint8_t md[64];

	fill_pattern(4096);
	simd_probe_fill(0x1000);
	crypto_sha256(data, 4096, md);
	printk("fpsimd guarded-sha256 mismatches %u\n", simd_probe_check(0x1000));

	simd_probe_fill(0x2000);
	{
		struct hash_ctx c;

		crypto_hash_ops.init(&c, HASH_SHA256);
		crypto_hash_ops.update(&c, data, 4096);
		crypto_hash_ops.final(&c, md);
	}
	printk("fpsimd guarded-ops mismatches %u\n", simd_probe_check(0x2000));

	/* SHA-512 and ECDSA are general-register code: no bracket, and nothing changes. */
	simd_probe_fill(0x3000);
	crypto_sha512(data, 4096, md);
	crypto_p384_public(md, scratch, rndr_rng, NULL);
	printk("fpsimd general-regs mismatches %u\n", simd_probe_check(0x3000));

	/* The negative control: the same SHA-256 without the bracket clobbers the owner's registers. */
	simd_probe_fill(0x4000);
	mbedtls_sha256(data, 4096, md, 0);
	printk("fpsimd unguarded-sha256 mismatches %u\n", simd_probe_check(0x4000));
}

/*
 * A COSE_Sign1 (ES384) built with lib/cbor and signed on the target, as the realm token will
 * be: payload {10: challenge, 44238: RIM}, signature over the Sig_structure
 * ["Signature1", protected, h'', payload]. The test decodes and verifies it independently.
 */
static void cose_sign1(const uint8_t *priv)
{
	static const uint8_t protected_hdr[] = { 0xa1, 0x01, 0x38, 0x22 }; /* {1: -35} */
	uint8_t payload[160], tbs[256], token[384], hash[48], sig[96], challenge[64], rim[32];
	size_t plen = 0, tlen = 0, len = 0;
	struct cbor_enc e;
	int rc;

	for (int i = 0; i < 64; i++)
		challenge[i] = (uint8_t)(0xc0 + i);
	crypto_sha256("rim", 3, rim);
	cbor_init(&e, payload, sizeof(payload));
	cbor_open_map(&e, 2);
	cbor_put_uint(&e, 10);
	cbor_put_bstr(&e, challenge, sizeof(challenge));
	cbor_put_uint(&e, 44238);
	cbor_put_bstr(&e, rim, sizeof(rim));
	cbor_close(&e);
	rc = cbor_finish(&e, &plen);
	cbor_init(&e, tbs, sizeof(tbs));
	cbor_open_array(&e, 4);
	cbor_put_text(&e, "Signature1");
	cbor_put_bstr(&e, protected_hdr, sizeof(protected_hdr));
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_bstr(&e, payload, plen);
	cbor_close(&e);
	rc = rc ? rc : cbor_finish(&e, &tlen);
	if (rc)
		fail("cbor Sig_structure", rc);
	crypto_sha384(tbs, tlen, hash);
	rc = crypto_p384_sign(priv, hash, sig, rndr_rng, NULL);
	if (rc)
		fail("cose sign", rc);
	cbor_init(&e, token, sizeof(token));
	cbor_put_tag(&e, 18);
	cbor_open_array(&e, 4);
	cbor_put_bstr(&e, protected_hdr, sizeof(protected_hdr));
	cbor_open_map(&e, 0);
	cbor_close(&e);
	cbor_put_bstr(&e, payload, plen);
	cbor_put_bstr(&e, sig, sizeof(sig));
	cbor_close(&e);
	rc = cbor_finish(&e, &len);
	if (rc)
		fail("cbor COSE_Sign1", rc);
	/* In lines of 100 bytes: a log line holds at most LOG_LINE_MAX characters. */
	for (size_t off = 0; off < len; off += 100)
		print_hex("cose", token + off, len - off < 100 ? len - off : 100);
}

static void ecdsa(void)
{
	static const char msg[] = "Rampart cryptotest message";
	uint8_t priv[48], pub[CRYPTO_P384_PUB_SIZE], hash[48], sig[96], sig2[96], bad[96];
	int rc;

	/* A test key everyone can derive: SHA-384("rampart cryptotest key"). */
	crypto_sha384("rampart cryptotest key", 22, priv);
	rc = crypto_p384_public(priv, pub, rndr_rng, NULL);
	if (rc)
		fail("p384_public", rc);
	print_hex("ecdsa pub", pub, sizeof(pub));
	crypto_sha384(msg, sizeof(msg) - 1, hash);
	rc = crypto_p384_sign(priv, hash, sig, rndr_rng, NULL);
	if (rc)
		fail("p384_sign", rc);
	print_hex("ecdsa sig", sig, sizeof(sig));
	rc = crypto_p384_sign(priv, hash, sig2, rndr_rng, NULL);
	printk("ecdsa deterministic %s\n", !rc && !memcmp(sig, sig2, sizeof(sig)) ? "yes" : "no");
	printk("ecdsa verify %d\n", crypto_p384_verify(pub, hash, sig));
	memcpy(bad, sig, sizeof(bad));
	bad[95] ^= 1;
	printk("ecdsa verify-bad-sig %d\n", crypto_p384_verify(pub, hash, bad));
	hash[0] ^= 1;
	printk("ecdsa verify-bad-hash %d\n", crypto_p384_verify(pub, hash, sig));
	hash[0] ^= 1;
	pub[96] ^= 1;
	printk("ecdsa verify-bad-key %d\n", crypto_p384_verify(pub, hash, sig));
	pub[96] ^= 1;
	memset(bad, 0xff, 48);
	printk("ecdsa sign-bad-key %d\n", crypto_p384_sign(bad, hash, sig2, rndr_rng, NULL));
	cose_sign1(priv);
}

/* The highest arena byte the allocator touched since arena_mark() (it allocates first fit, bottom up). */
static void arena_mark(void)
{
	memset(arena + ARENA_HEADER, ARENA_FILL, ARENA_SIZE - ARENA_HEADER);
}

static size_t arena_high_water(void)
{
	size_t top = ARENA_SIZE;

	while (top > ARENA_HEADER && arena[top - 1] == ARENA_FILL)
		top--;
	return top;
}

static void arena_limits(void)
{
	uint8_t priv[48], pub[97], hash[48], sig[96];
	int rc;

	/*
	 * A small arena is a clean error, and the full one works again afterwards. With the
	 * static comb table of G (mbedtls_config.h) a signature fits in 4 KiB; a verification
	 * (a comb table for the public key) does not.
	 */
	crypto_sha384("rampart cryptotest key", 22, priv);
	crypto_sha384("x", 1, hash);
	if (crypto_p384_public(priv, pub, rndr_rng, NULL) ||
	    crypto_p384_sign(priv, hash, sig, rndr_rng, NULL))
		fail("arena key and signature", 0);
	if (crypto_init(arena, SMALL_ARENA))
		fail("crypto_init small", 0);
	printk("arena small-sign %d\n", crypto_p384_sign(priv, hash, sig, rndr_rng, NULL));
	printk("arena small-verify %d\n", crypto_p384_verify(pub, hash, sig));
	crypto_init(arena, ARENA_SIZE);
	/* The peak each operation needs, for sizing a firmware arena. */
	arena_mark();
	rc = crypto_p384_public(priv, pub, rndr_rng, NULL);
	printk("arena public %d high-water %zu of %u\n", rc, arena_high_water(), ARENA_SIZE);
	arena_mark();
	rc = crypto_p384_sign(priv, hash, sig, rndr_rng, NULL);
	printk("arena sign %d high-water %zu of %u\n", rc, arena_high_water(), ARENA_SIZE);
	arena_mark();
	rc = crypto_p384_verify(pub, hash, sig);
	printk("arena verify %d high-water %zu of %u\n", rc, arena_high_water(), ARENA_SIZE);
	printk("arena init-unaligned %d\n", crypto_init(arena + 1, ARENA_SIZE - 8));
	crypto_init(arena, ARENA_SIZE);
}

#define TIMED(name, stmt)                                                              \
	do {                                                                           \
		uint64_t t0_ = read_cntpct();                                          \
		stmt;                                                                  \
		printk("cycles %s %lu\n", name, (unsigned long)(read_cntpct() - t0_)); \
	} while (0)

/* Counter deltas: under -icount shift=0 with a 1 GHz counter, one tick per instruction. */
static void timing(void)
{
	uint8_t priv[48], pub[97], hash[48], sig[96], md[64], rim[MEASURE_SIZE] = { 0 };
	struct crypto_fpsimd saved;

	fill_pattern(4096);
	crypto_sha384("rampart cryptotest key", 22, priv);
	crypto_sha384("timing", 6, hash);
	TIMED("empty", (void)0);
	TIMED("sha256-4k", crypto_sha256(data, 4096, md));
	TIMED("sha256-4k-unguarded", mbedtls_sha256(data, 4096, md, 0));
	TIMED("fpsimd-save-restore", (crypto_fpsimd_save(&saved), crypto_fpsimd_restore(&saved)));
	TIMED("sha512-4k", crypto_sha512(data, 4096, md));
	TIMED("measure-data-sha256", measure_rim_data(&crypto_hash_ops, HASH_SHA256, rim, 0, 1, data));
	TIMED("ecdsa-p384-public", crypto_p384_public(priv, pub, rndr_rng, NULL));
	TIMED("ecdsa-p384-sign", crypto_p384_sign(priv, hash, sig, rndr_rng, NULL));
	TIMED("ecdsa-p384-verify", crypto_p384_verify(pub, hash, sig));
}

void cryptotest_main(void);
void cryptotest_main(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	int rc;

	pl011_init(CONFIG_UART_NS_BASE);
	/* With the MMU off memory is Device: lib/crypto must refuse to start. */
	printk("arena init-mmu-off %d\n", crypto_init(arena, ARENA_SIZE));
	mmu_on();
	printk("cryptotest: cntfrq %lu sha2 %lu sha3 %lu rndr %lu\n", read_sysreg(cntfrq_el0),
	       (isar0 >> 12) & 0xf, (isar0 >> 32) & 0xf, isar0 >> 60);
	rc = crypto_init(arena, ARENA_SIZE);
	if (rc)
		fail("crypto_init", rc);
	digests();
	measurements();
	fpsimd();
	ecdsa();
	arena_limits();
	timing();
	printk("cryptotest: done\n");
	power_off();
}
