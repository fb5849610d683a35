/*
 * lib/measure.c over the host's libmbedcrypto (tools/refvalues/hash_host.c):
 * the five SHA-256 known answers of reference §3.7, the same chain with a
 * SHA-512 realm (values from tests/host/measure_model.py, an independent
 * hashlib model), byte layouts of the images and descriptors, the Realm-VM
 * block-size conventions, and every error path (a failing hash leaves the
 * measurement unchanged).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/measure.h>
#include "../../tools/refvalues/hash_host.h"

#define G MEASURE_GRANULE_SIZE

static const struct hash_ops *h = &hash_host_ops;
static uint8_t scratch[G];

static void unhex(const char *s, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(s), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* m holds the hex value, zero-extended to MEASURE_SIZE. */
static void assert_measure(const uint8_t *m, const char *hex)
{
	uint8_t want[MEASURE_SIZE] = { 0 };

	unhex(hex, want, strlen(hex) / 2);
	assert_memory_equal(m, want, MEASURE_SIZE);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static struct measure_realm_params kat_realm(uint8_t algo)
{
	return (struct measure_realm_params){ .s2sz = 41, .num_bps = 2, .num_wps = 2, .hash_algo = algo };
}

static const struct measure_rec_params kat_rec = {
	.flags = MEASURE_REC_RUNNABLE,
	.pc = 0x40000000,
	.gprs = { 0x40200000 },
};

/* §3.7: the known answers, one per step, each from the previous value. */
static void run_chain(uint8_t algo, const char *const want[5])
{
	uint8_t rim[MEASURE_SIZE], rem[MEASURE_SIZE] = { 0 }, zero_page[G] = { 0 }, ext[32];
	struct measure_realm_params p = kat_realm(algo);

	memset(scratch, 0xff, sizeof(scratch)); /* the image must not inherit scratch contents */
	memset(rim, 0xee, sizeof(rim));		/* nor the output its old tail */
	assert_int_equal(measure_rim_init(h, &p, scratch, rim), MEASURE_OK);
	assert_measure(rim, want[0]);
	assert_int_equal(measure_rim_ripas(h, algo, rim, 0x40000000, 0x40200000), MEASURE_OK);
	assert_measure(rim, want[1]);
	assert_int_equal(measure_rim_data(h, algo, rim, 0x40000000, MEASURE_DATA_CONTENT, zero_page),
			 MEASURE_OK);
	assert_measure(rim, want[2]);
	memset(scratch, 0xff, sizeof(scratch));
	assert_int_equal(measure_rim_rec(h, algo, rim, &kat_rec, scratch), MEASURE_OK);
	assert_measure(rim, want[3]);
	for (int i = 0; i < 32; i++)
		ext[i] = (uint8_t)i;
	assert_int_equal(measure_rem_extend(h, algo, rem, ext, sizeof(ext)), MEASURE_OK);
	assert_measure(rem, want[4]);
}

static void test_kat_sha256(void **state)
{
	static const char *const want[5] = {
		"cb284887b4e560003d56fa3ecf3eae2cc1d3d372588370a8301e07d28a5673d7",
		"8b74025228d7f2c20ef7deda9dd02e36458caf4690f9e4b0f942f8585a04de16",
		"173d0c90958411a6bae7df40ac4da0cc47a92e41e4750efb165df0356a330a7b",
		"5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf",
		"bb2275c49f28ad52cae6d55e34a974a58c7a3ba26f976e8ecbbe7a536918dc73",
	};

	(void)state;
	run_chain(HASH_SHA256, want);
}

/* python3 tests/host/measure_model.py (tests/host/test_refvalues.py re-checks them against the model). */
static void test_kat_sha512(void **state)
{
	static const char *const want[5] = {
		"9ea4ab205975557c3c0ca67cb865363f691691a98807c48ca4a501e4aaa14409"
		"64ac0d24029795ad9eefe1630d9906f1ec078bc3fe66721895ed9d5574c7c48e",
		"6a40b2bcda906e3200eef27268fdb4580195b2cdb2a2c6afc22c55d0087b540a"
		"1afa2ed2f2a1e260ff2080ddeeecbc81bc2297eb2f5dc115bc9d78ae3f1a8e82",
		"3520ff1c29273e50bf1120e03f2a7cbf5f1c48171b72338d88211714a17e1c04"
		"8a132d277811e96c89958d36b01cfe5f72c3177383d4b0179d8fc3758aa261a4",
		"ddee122caf034d48d6d1e796e4f463ea213f1af7dbf370d689e2b8a0ebff59b0"
		"c6d94778597d074055c879641e9efd80c6f955d8b27a08cd95420c6b1bdf3c20",
		"1b3f258fc7df037a1324b4952aaf709dcfc46aaf1af751e62808b48ab70de5ab"
		"4a98f4738472bdf0b708229d955f592d1b8fbbe4d134c65a0b9c6fce562778aa",
	};

	(void)state;
	run_chain(HASH_SHA512, want);
}

static void test_unmeasured_data_and_empty_rem(void **state)
{
	uint8_t rim[MEASURE_SIZE], rem[MEASURE_SIZE] = { 0 };

	(void)state;
	/* DATA_CREATE without RMI_MEASURE_CONTENT still extends the RIM with the IPA. */
	unhex("5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf", rim, 32);
	memset(rim + 32, 0, 32);
	assert_int_equal(measure_rim_data(h, HASH_SHA256, rim, 0x40001000, 0, NULL), MEASURE_OK);
	assert_measure(rim, "5490e3f6b70a1ba9a51fbf533fbd83d29b27ff8aff65255f63c2c4987db80ad1");
	/* An extend with no data hashes the 32-byte REM alone. */
	assert_int_equal(measure_rem_extend(h, HASH_SHA256, rem, NULL, 0), MEASURE_OK);
	assert_measure(rem, "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

static void test_realm_params_image(void **state)
{
	struct measure_realm_params p = { .flags = 5,
					  .s2sz = 48,
					  .sve_vl = 3,
					  .num_bps = 6,
					  .num_wps = 4,
					  .pmu_num_ctrs = 31,
					  .hash_algo = 1 };
	uint8_t img[G], rim[MEASURE_SIZE];

	(void)state;
	memset(img, 0xff, sizeof(img));
	measure_realm_params_image(img, &p);
	assert_int_equal(le64(img), 5);
	assert_int_equal(img[0x08], 48);
	assert_int_equal(img[0x10], 3);
	assert_int_equal(img[0x18], 6);
	assert_int_equal(img[0x20], 4);
	assert_int_equal(img[0x28], 31);
	assert_int_equal(img[0x30], 1);
	/* Nothing else: RPV (0x400), VMID and RTT fields (0x800..) stay zero. */
	for (size_t i = 0; i < G; i++) {
		if (i != 0 && i != 0x08 && i != 0x10 && i != 0x18 && i != 0x20 && i != 0x28 && i != 0x30)
			assert_int_equal(img[i], 0);
	}
	assert_int_equal(measure_rim_init(h, &p, scratch, rim), MEASURE_OK);
	assert_measure(rim, "2b2af41c2575ebbd9bacfb81405c346b1d898121b0fb8c20eb5faa80657f4b61"
			    "56b202102d7c7b63644016d5a42eba96b7a21b50bafae46d66127f0d0c89a812");
}

static void test_rec_params_image(void **state)
{
	struct measure_rec_params p = { .flags = 1, .pc = 0x1122334455667788UL };
	uint8_t img[G];

	(void)state;
	for (int i = 0; i < 8; i++)
		p.gprs[i] = 0x100 + (uint64_t)i;
	memset(img, 0xff, sizeof(img));
	measure_rec_params_image(img, &p);
	assert_int_equal(le64(img), 1);
	assert_int_equal(le64(img + 0x200), 0x1122334455667788UL);
	for (int i = 0; i < 8; i++)
		assert_int_equal(le64(img + 0x300 + 8 * i), 0x100 + i);
	/* MPIDR (0x100), num_aux (0x800) and the aux PAs stay zero. */
	for (size_t i = 0; i < G; i++) {
		if (i >= 8 && !(i >= 0x200 && i < 0x208) && !(i >= 0x300 && i < 0x340))
			assert_int_equal(img[i], 0);
	}
}

/* A host page full of unmeasured values (RPV, VMID, MPIDR, aux PAs...) measures like its fields alone. */
static void test_from_rmi(void **state)
{
	uint8_t host[G], img[G], want[G];
	struct measure_realm_params rp;
	struct measure_rec_params cp;

	(void)state;
	for (size_t i = 0; i < G; i++)
		host[i] = (uint8_t)(i * 7 + 3);
	measure_realm_params_from_rmi(&rp, host);
	assert_int_equal(rp.flags, le64(host));
	assert_int_equal(rp.s2sz, host[0x08]);
	assert_int_equal(rp.hash_algo, host[0x30]);
	measure_realm_params_image(img, &rp);
	memset(want, 0, G);
	memcpy(want, host, 9);
	for (int off = 0x10; off <= 0x30; off += 8)
		want[off] = host[off];
	assert_memory_equal(img, want, G);

	measure_rec_params_from_rmi(&cp, host);
	measure_rec_params_image(img, &cp);
	memset(want, 0, G);
	memcpy(want, host, 8);
	memcpy(want + 0x200, host + 0x200, 8);
	memcpy(want + 0x300, host + 0x300, 64);
	assert_memory_equal(img, want, G);
}

static void test_descriptors(void **state)
{
	uint8_t d[MEASURE_DESC_SIZE], rim[MEASURE_SIZE], hash[MEASURE_SIZE];

	(void)state;
	for (int i = 0; i < MEASURE_SIZE; i++) {
		rim[i] = (uint8_t)(0x80 + i);
		hash[i] = (uint8_t)(0x40 + i);
	}
	memset(d, 0xff, sizeof(d));
	measure_data_desc(d, rim, 0x40001000, 1, hash);
	assert_int_equal(le64(d), 0); /* type 0 and its 7 bytes of padding */
	assert_int_equal(le64(d + 0x08), 0x100);
	assert_memory_equal(d + 0x10, rim, 64);
	assert_int_equal(le64(d + 0x50), 0x40001000);
	assert_int_equal(le64(d + 0x58), 1);
	assert_memory_equal(d + 0x60, hash, 64);
	for (int i = 0xa0; i < MEASURE_DESC_SIZE; i++)
		assert_int_equal(d[i], 0);
	/* Unmeasured content: zero hash field. */
	measure_data_desc(d, rim, 0x40001000, 0, NULL);
	assert_int_equal(le64(d + 0x58), 0);
	for (int i = 0x60; i < MEASURE_DESC_SIZE; i++)
		assert_int_equal(d[i], 0);

	memset(d, 0xff, sizeof(d));
	measure_rec_desc(d, rim, hash);
	assert_int_equal(le64(d), 1);
	assert_int_equal(le64(d + 0x08), 0x100);
	assert_memory_equal(d + 0x10, rim, 64);
	assert_memory_equal(d + 0x50, hash, 64);
	for (int i = 0x90; i < MEASURE_DESC_SIZE; i++)
		assert_int_equal(d[i], 0);

	memset(d, 0xff, sizeof(d));
	measure_ripas_desc(d, rim, 0x40000000, 0x40200000);
	assert_int_equal(le64(d), 2);
	assert_int_equal(le64(d + 0x08), 0x100);
	assert_memory_equal(d + 0x10, rim, 64);
	assert_int_equal(le64(d + 0x50), 0x40000000);
	assert_int_equal(le64(d + 0x58), 0x40200000);
	for (int i = 0x60; i < MEASURE_DESC_SIZE; i++)
		assert_int_equal(d[i], 0);
}

/* A hash that fails at a chosen call: errors propagate and the measurement is left as it was. */
static int fail_at, calls;
static int fake_step(void)
{
	return ++calls == fail_at ? -0x55 : 0;
}
static int fake_init(struct hash_ctx *c, enum hash_algo alg)
{
	(void)c;
	(void)alg;
	return fake_step();
}
static int fake_update(struct hash_ctx *c, const void *d, size_t n)
{
	(void)c;
	(void)d;
	(void)n;
	return fake_step();
}
static int fake_final(struct hash_ctx *c, uint8_t *out)
{
	(void)c;
	memset(out, 0x77, 64);
	return fake_step();
}
static const struct hash_ops failing = { fake_init, fake_update, fake_final };

static void test_hash_failures(void **state)
{
	struct measure_realm_params p = kat_realm(HASH_SHA256);
	uint8_t rim[MEASURE_SIZE], before[MEASURE_SIZE], page[G] = { 0 };

	(void)state;
	memset(rim, 0x3c, sizeof(rim));
	memcpy(before, rim, sizeof(rim));
	/* Data with content: 6 calls (content init/update/final, descriptor init/update/final). */
	for (fail_at = 1; fail_at <= 6; fail_at++) {
		calls = 0;
		assert_int_equal(measure_rim_data(&failing, HASH_SHA256, rim, 0, 1, page), MEASURE_ERR_HASH);
		assert_memory_equal(rim, before, sizeof(rim));
	}
	for (fail_at = 1; fail_at <= 3; fail_at++) {
		calls = 0;
		assert_int_equal(measure_rim_init(&failing, &p, scratch, rim), MEASURE_ERR_HASH);
		calls = 0;
		assert_int_equal(measure_rim_ripas(&failing, HASH_SHA256, rim, 0, G), MEASURE_ERR_HASH);
		calls = 0;
		assert_int_equal(measure_rim_rec(&failing, HASH_SHA256, rim, &kat_rec, scratch),
				 MEASURE_ERR_HASH);
		calls = 0;
		assert_int_equal(measure_rem_extend(&failing, HASH_SHA256, rim, page, 1), MEASURE_ERR_HASH);
		assert_memory_equal(rim, before, sizeof(rim));
	}
	/* The fake succeeding everywhere: the digest is truncated to the algorithm's size. */
	fail_at = 0;
	calls = 0;
	assert_int_equal(measure_rim_ripas(&failing, HASH_SHA256, rim, 0, G), MEASURE_OK);
	assert_measure(rim, "7777777777777777777777777777777777777777777777777777777777777777");
}

/*
 * RmiDataFlags bits 63:1 are reserved (SBZ): bit 0 alone decides whether the
 * content is hashed, and the descriptor records the flags as the host gave
 * them. Known answers from tests/host/measure_model.py (Realm.data with
 * flags): RIM 0, IPA 0x1000, a page of 0x5a, SHA-256.
 */
static void test_data_flags_reserved_bits(void **state)
{
	uint8_t rim[MEASURE_SIZE], page[G];

	(void)state;
	memset(page, 0x5a, sizeof(page));
	memset(rim, 0, sizeof(rim));
	assert_int_equal(measure_rim_data(h, HASH_SHA256, rim, 0x1000, 2, NULL), MEASURE_OK);
	assert_measure(rim, "e1eddb65ccd8f88d7849d1996155c5ef66d5c6a9e5c0eb31e8b62206b756b597");
	memset(rim, 0, sizeof(rim));
	assert_int_equal(measure_rim_data(h, HASH_SHA256, rim, 0x1000, 3, page), MEASURE_OK);
	assert_measure(rim, "82e8ac76614aa55df8e0353ed1e28798d9cb1617127fb5d409d109df17f7cacf");
}

static void test_argument_errors(void **state)
{
	struct measure_realm_params p = kat_realm(2);
	uint8_t rim[MEASURE_SIZE] = { 0 }, before[MEASURE_SIZE] = { 0 }, page[G] = { 0 }, big[65] = { 0 };

	(void)state;
	assert_int_equal(measure_rim_init(h, &p, scratch, rim), MEASURE_ERR_ALGO);
	assert_int_equal(measure_rim_data(h, 2, rim, 0, 1, page), MEASURE_ERR_ALGO);
	assert_int_equal(measure_rim_rec(h, 2, rim, &kat_rec, scratch), MEASURE_ERR_ALGO);
	assert_int_equal(measure_rim_ripas(h, 2, rim, 0, G), MEASURE_ERR_ALGO);
	assert_int_equal(measure_rem_extend(h, 2, rim, page, 1), MEASURE_ERR_ALGO);
	/* Content asked for and missing. */
	assert_int_equal(measure_rim_data(h, HASH_SHA256, rim, 0, 1, NULL), MEASURE_ERR_ARG);
	assert_int_equal(measure_rim_data(h, HASH_SHA256, rim, 0, 3, NULL), MEASURE_ERR_ARG);
	/* REM data: at most 64 bytes, and present if its size is not 0. */
	assert_int_equal(measure_rem_extend(h, HASH_SHA512, rim, big, 65), MEASURE_ERR_ARG);
	assert_int_equal(measure_rem_extend(h, HASH_SHA512, rim, NULL, 1), MEASURE_ERR_ARG);
	assert_int_equal(measure_rem_extend(h, HASH_SHA512, rim, big, 64), MEASURE_OK);
	memcpy(before, rim, sizeof(rim));
	/* RIPAS entries are non-empty and granule aligned. */
	assert_int_equal(measure_rim_ripas(h, HASH_SHA256, rim, G, G), MEASURE_ERR_ARG);
	assert_int_equal(measure_rim_ripas(h, HASH_SHA256, rim, 2 * G, G), MEASURE_ERR_ARG);
	assert_int_equal(measure_rim_ripas(h, HASH_SHA256, rim, 0x800, G), MEASURE_ERR_ARG);
	assert_int_equal(measure_rim_ripas(h, HASH_SHA256, rim, 0, G + 1), MEASURE_ERR_ARG);
	assert_memory_equal(rim, before, sizeof(rim));
}

static void test_start_level(void **state)
{
	/* The table of Veraison's cca-realm-measurements (translation_block_sizes), 32..48 bits. */
	static const struct {
		unsigned int s2sz;
		int level;
	} cases[] = { { 31, -1 }, { 32, 2 }, { 34, 2 }, { 35, 1 }, { 39, 1 }, { 40, 1 },
		      { 41, 1 },  { 43, 1 }, { 44, 0 }, { 48, 0 }, { 49, -1 } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(measure_rtt_start_level(cases[i].s2sz), cases[i].level);
}

static void test_ripas_entry_size(void **state)
{
	const uint64_t K4 = 0x1000, M2 = 0x200000, G1 = 0x40000000, G512 = 1UL << 39;

	(void)state;
	assert_int_equal(measure_ripas_entry_size(0, K4, 1), K4);
	assert_int_equal(measure_ripas_entry_size(0, G1, 1), G1);
	assert_int_equal(measure_ripas_entry_size(G1, 2 * G1, 1), G1);
	assert_int_equal(measure_ripas_entry_size(0x400000, 0x800000, 1), M2);
	assert_int_equal(measure_ripas_entry_size(0x400000, 0x500000, 1), K4);
	/* §3.4's example: 0x40000000..0x60000000 does not fill the 1 GiB entry. */
	assert_int_equal(measure_ripas_entry_size(G1, G1 + 0x20000000, 1), M2);
	/* Start level 2 has no 1 GiB entries; level 0 adds 512 GiB. */
	assert_int_equal(measure_ripas_entry_size(0, G1, 2), M2);
	assert_int_equal(measure_ripas_entry_size(0, G512, 0), G512);
	assert_int_equal(measure_ripas_entry_size(0, G512, 1), G1);
	assert_int_equal(measure_ripas_entry_size(G512, 2 * G512 - K4, 0), G1);
	/* Empty, reversed, unaligned, bad level. */
	assert_int_equal(measure_ripas_entry_size(K4, K4, 1), 0);
	assert_int_equal(measure_ripas_entry_size(2 * K4, K4, 1), 0);
	assert_int_equal(measure_ripas_entry_size(0x800, K4, 1), 0);
	assert_int_equal(measure_ripas_entry_size(0, K4, 4), 0);
	assert_int_equal(measure_ripas_entry_size(0, K4, -1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat_sha256),
		cmocka_unit_test(test_kat_sha512),
		cmocka_unit_test(test_unmeasured_data_and_empty_rem),
		cmocka_unit_test(test_realm_params_image),
		cmocka_unit_test(test_rec_params_image),
		cmocka_unit_test(test_from_rmi),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_hash_failures),
		cmocka_unit_test(test_data_flags_reserved_bits),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_start_level),
		cmocka_unit_test(test_ripas_entry_size),
	};

	return cmocka_run_group_tests_name("measure", tests, NULL, NULL);
}
