/*
 * lib/manifest.c: the package manifest's parser and checks (docs/secure-boot.md).
 * A valid two-image package is signed here with the development signing key
 * (tools/pkgtool's host crypto); every test then breaks exactly one thing and
 * expects exactly its error, with the image it names. Then random and
 * mutated manifests: never a crash, never a half-filled result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/manifest.h>
#include "pkgtool.h"

#define BANK_SIZE 0x100000U
#define IMG0_SIZE 5000U
#define IMG1_SIZE 3000U
#define RANDOM_ROUNDS 20000

static uint8_t bank[BANK_SIZE];
static struct host_key key;

static struct mf_header *hdr(void)
{
	return (struct mf_header *)bank;
}

static struct mf_image *img(unsigned int i)
{
	return (struct mf_image *)(bank + sizeof(struct mf_header)) + i;
}

/* Re-signs what is in bank[] (header and table as they are now). */
static void sign(void)
{
	struct mf_manifest m;
	uint8_t hash[MF_HASH_SIZE];

	memcpy(&m.h, bank, sizeof(m.h));
	memcpy(m.img, bank + sizeof(m.h), MF_MAX_IMAGES * sizeof(m.img[0]));
	if (m.h.image_count > MF_MAX_IMAGES)
		return;
	assert_int_equal(mf_hash(&m, &host_crypto, hash), MF_OK);
	assert_int_equal(host_sign(&key, hash, bank + MF_SIGNED_SIZE(m.h.image_count)), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(bank, 0, sizeof(bank));
	*hdr() = (struct mf_header){ MF_MAGIC,
				     MF_FORMAT,
				     sizeof(struct mf_header),
				     MF_SIGNED_SIZE(2),
				     2,
				     7,
				     MF_BANK_B,
				     MF_SIG_ECDSA_P384_SHA384,
				     0,
				     { 0 } };
	memcpy(hdr()->signer_id, key.signer_id, MF_SIGNER_ID_SIZE);
	*img(0) = (struct mf_image){ MF_ROLE_RMM, 0, 0x1000, IMG0_SIZE, 0x40000000, { 0 } };
	*img(1) = (struct mf_image){ MF_ROLE_HYP, 0, 0x3000, IMG1_SIZE, 0x41000000, { 0 } };
	for (unsigned int i = 0; i < IMG0_SIZE + IMG1_SIZE; i++)
		bank[0x1000 + i] = (uint8_t)(i * 7 + 3);
	memmove(bank + 0x3000, bank + 0x1000 + IMG0_SIZE, IMG1_SIZE);
	assert_int_equal(host_crypto.sha256(bank + 0x1000, IMG0_SIZE, img(0)->sha256), 0);
	assert_int_equal(host_crypto.sha256(bank + 0x3000, IMG1_SIZE, img(1)->sha256), 0);
	sign();
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	return host_load_key(KEYS_DIR "/dev-signing-key.pem", &key);
}

/* Parses bank[] and checks the error and the image(s) it names. */
static void expect(enum mf_err want, int image, int other)
{
	struct mf_manifest m;
	struct mf_error err;
	static const struct mf_manifest zero;

	assert_int_equal(mf_parse(bank, sizeof(bank), BANK_SIZE, &m, &err), want);
	assert_int_equal(err.code, want);
	assert_int_equal(err.image, image);
	assert_int_equal(err.other, other);
	if (want != MF_OK)
		assert_memory_equal(&m, &zero, sizeof(m)); /* nothing half-checked left behind */
}

static void test_valid_package_verifies(void **state)
{
	struct mf_manifest m;
	struct mf_error err;
	uint8_t hash[MF_HASH_SIZE];

	(void)state;
	assert_int_equal(mf_parse(bank, sizeof(bank), BANK_SIZE, &m, &err), MF_OK);
	assert_int_equal(m.h.security_version, 7);
	assert_int_equal(m.h.bank, MF_BANK_B);
	assert_int_equal(mf_hash(&m, &host_crypto, hash), MF_OK);
	assert_int_equal(mf_verify_signature(&m, hash, key.pub, key.signer_id, &host_crypto), MF_OK);
	assert_int_equal(mf_verify_image(&m, 0, bank + 0x1000, &host_crypto), MF_OK);
	assert_int_equal(mf_verify_image(&m, 1, bank + 0x3000, &host_crypto), MF_OK);
	assert_int_equal(mf_verify_image(&m, 2, bank, &host_crypto), MF_ERR_COUNT);
}

static void test_truncated(void **state)
{
	struct mf_manifest m;
	struct mf_error err;

	(void)state;
	assert_int_equal(mf_parse(bank, sizeof(struct mf_header) - 1, BANK_SIZE, &m, &err), MF_ERR_TRUNCATED);
	assert_int_equal(mf_parse(bank, 0, BANK_SIZE, &m, &err), MF_ERR_TRUNCATED);
	/* The table is there, the signature is cut. */
	assert_int_equal(mf_parse(bank, MF_SIGNED_SIZE(2) + MF_SIG_SIZE - 1, BANK_SIZE, &m, &err),
			 MF_ERR_TRUNCATED);
	assert_int_equal(mf_parse(bank, MF_SIGNED_SIZE(2) + MF_SIG_SIZE, BANK_SIZE, &m, &err), MF_OK);
}

static void test_header_fields(void **state)
{
	(void)state;
	hdr()->magic ^= 1;
	expect(MF_ERR_MAGIC, -1, -1);
	setup(NULL);
	hdr()->format = 2;
	expect(MF_ERR_FORMAT, -1, -1);
	setup(NULL);
	hdr()->header_size = 65;
	expect(MF_ERR_HEADER_SIZE, -1, -1);
	setup(NULL);
	hdr()->signed_size += 64;
	expect(MF_ERR_SIGNED_SIZE, -1, -1);
	setup(NULL);
	hdr()->sig_alg = 2;
	expect(MF_ERR_SIG_ALG, -1, -1);
	setup(NULL);
	hdr()->bank = 2;
	expect(MF_ERR_BANK, -1, -1);
	setup(NULL);
	hdr()->reserved = 1;
	expect(MF_ERR_RESERVED, -1, -1);
	setup(NULL);
	img(1)->reserved = 1;
	expect(MF_ERR_RESERVED, 1, -1);
}

static void test_counts(void **state)
{
	static const uint32_t bad[] = { 0, MF_MAX_IMAGES + 1, 0x10000, 0xffffffffU };

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hdr()->image_count = bad[i];
		hdr()->signed_size = (uint32_t)MF_SIGNED_SIZE(bad[i]); /* consistent, still refused */
		expect(MF_ERR_COUNT, -1, -1);
	}
}

static void test_images(void **state)
{
	(void)state;
	img(1)->role = 7;
	expect(MF_ERR_ROLE, 1, -1);
	setup(NULL);
	img(0)->role = 0;
	expect(MF_ERR_ROLE, 0, -1);
	setup(NULL);
	img(1)->size = 0;
	expect(MF_ERR_EMPTY, 1, -1);
	setup(NULL);
	img(1)->offset = 0x3001;
	expect(MF_ERR_OFFSET, 1, -1);
	setup(NULL);
	img(0)->offset = 0; /* over the manifest itself */
	expect(MF_ERR_OFFSET, 0, -1);
	setup(NULL);
	img(1)->offset = BANK_SIZE - 0x1000;
	img(1)->size = 0x1001; /* one byte past the bank */
	expect(MF_ERR_BOUNDS, 1, -1);
	setup(NULL);
	img(1)->offset = 0xfffffffffffff000ULL; /* offset + size would wrap */
	expect(MF_ERR_BOUNDS, 1, -1);
	setup(NULL);
	img(1)->load_addr = 0xfffffffffffff800ULL; /* the load range wraps */
	expect(MF_ERR_BOUNDS, 1, -1);
}

static void test_overlaps_and_roles(void **state)
{
	(void)state;
	img(1)->offset = 0x2000; /* inside image 0 (0x1000 + 5000) */
	expect(MF_ERR_OVERLAP, 1, 0);
	setup(NULL);
	img(1)->load_addr = 0x40001000; /* inside image 0's load range */
	expect(MF_ERR_LOAD_OVERLAP, 1, 0);
	setup(NULL);
	img(1)->role = MF_ROLE_RMM;
	expect(MF_ERR_DUPLICATE, 1, 0);
	setup(NULL);
	img(0)->role = MF_ROLE_BLOB;
	expect(MF_ERR_NO_RMM, -1, -1);
	/* Two blobs are fine. */
	setup(NULL);
	img(0)->role = MF_ROLE_BLOB;
	img(1)->role = MF_ROLE_BLOB;
	hdr()->image_count = 3;
	hdr()->signed_size = MF_SIGNED_SIZE(3);
	*img(2) = (struct mf_image){ MF_ROLE_RMM, 0, 0x5000, 16, 0x42000000, { 0 } };
	expect(MF_OK, -1, -1);
}

static void test_signature_and_digests(void **state)
{
	struct mf_manifest m;
	struct mf_error err;
	uint8_t hash[MF_HASH_SIZE], other_id[MF_SIGNER_ID_SIZE];

	(void)state;
	/* A signed field changed after signing. */
	hdr()->security_version++;
	assert_int_equal(mf_parse(bank, sizeof(bank), BANK_SIZE, &m, &err), MF_OK);
	assert_int_equal(mf_hash(&m, &host_crypto, hash), MF_OK);
	assert_int_equal(mf_verify_signature(&m, hash, key.pub, key.signer_id, &host_crypto),
			 MF_ERR_SIGNATURE);
	/* A signature byte changed. */
	setup(NULL);
	bank[MF_SIGNED_SIZE(2) + 40] ^= 0x80;
	assert_int_equal(mf_parse(bank, sizeof(bank), BANK_SIZE, &m, &err), MF_OK);
	assert_int_equal(mf_hash(&m, &host_crypto, hash), MF_OK);
	assert_int_equal(mf_verify_signature(&m, hash, key.pub, key.signer_id, &host_crypto),
			 MF_ERR_SIGNATURE);
	/* Another key's id: refused before any ECDSA. */
	setup(NULL);
	memcpy(other_id, key.signer_id, sizeof(other_id));
	other_id[31] ^= 1;
	assert_int_equal(mf_parse(bank, sizeof(bank), BANK_SIZE, &m, &err), MF_OK);
	assert_int_equal(mf_hash(&m, &host_crypto, hash), MF_OK);
	assert_int_equal(mf_verify_signature(&m, hash, key.pub, other_id, &host_crypto), MF_ERR_SIGNER);
	/* An image byte changed. */
	bank[0x3000 + IMG1_SIZE - 1] ^= 1;
	assert_int_equal(mf_verify_image(&m, 0, bank + 0x1000, &host_crypto), MF_OK);
	assert_int_equal(mf_verify_image(&m, 1, bank + 0x3000, &host_crypto), MF_ERR_DIGEST);
}

static void test_error_strings(void **state)
{
	(void)state;
	for (int e = 0; e < MF_ERR_NR; e++) {
		assert_non_null(mf_strerror((enum mf_err)e));
		assert_string_not_equal(mf_strerror((enum mf_err)e), "unknown error");
	}
	assert_string_equal(mf_strerror(MF_ERR_NR), "unknown error");
	assert_string_equal(mf_role_name(99), "unknown");
}

/* Random manifests and single-byte mutations of the valid one: a result or an error, nothing else. */
static void test_random_and_mutated(void **state)
{
	struct mf_manifest m;
	struct mf_error err;
	uint8_t buf[MF_AREA_SIZE];
	unsigned int ok = 0;

	(void)state;
	srand(15);
	for (int r = 0; r < RANDOM_ROUNDS; r++) {
		if (r % 2) {
			for (unsigned int i = 0; i < sizeof(buf); i++)
				buf[i] = (uint8_t)rand();
			memcpy(buf, hdr(), 4); /* past the magic, sometimes */
		} else {
			memcpy(buf, bank, sizeof(buf));
			buf[rand() % MF_SIGNED_SIZE(2)] ^= (uint8_t)(1 + rand() % 255);
		}
		size_t len = (size_t)(rand() % (int)sizeof(buf));
		enum mf_err rc = mf_parse(buf, len, BANK_SIZE, &m, &err);
		assert_true(rc >= MF_OK && rc < MF_ERR_NR);
		assert_int_equal(rc, err.code);
		if (rc == MF_OK) {
			ok++;
			assert_true(m.h.image_count >= 1 && m.h.image_count <= MF_MAX_IMAGES);
			for (unsigned int i = 0; i < m.h.image_count; i++)
				assert_true(m.img[i].offset + m.img[i].size <= BANK_SIZE);
		}
	}
	assert_true(ok > 0); /* some mutations (e.g. of a digest) still parse */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_valid_package_verifies, setup),
		cmocka_unit_test_setup(test_truncated, setup),
		cmocka_unit_test_setup(test_header_fields, setup),
		cmocka_unit_test_setup(test_counts, setup),
		cmocka_unit_test_setup(test_images, setup),
		cmocka_unit_test_setup(test_overlaps_and_roles, setup),
		cmocka_unit_test_setup(test_signature_and_digests, setup),
		cmocka_unit_test_setup(test_error_strings, setup),
		cmocka_unit_test_setup(test_random_and_mutated, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
