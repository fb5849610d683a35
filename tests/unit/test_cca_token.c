/*
 * lib/cca_token.c: the RAK COSE_Key, COSE_Sign1, realm and platform claims
 * and the tag-399 collection byte for byte against encodings assembled by
 * hand here from the reference (§4.1-§4.5), the Sig_structure the signer is
 * given, every argument error, signer failures, and every too-small buffer
 * (CCA_ERR_SPACE, the buffer zeroed, nothing written past it). The signer is
 * a fake that records what it hashes; tests/host/test_cca_token.py checks
 * real signatures with the verifier.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/cca_token.h>

#define BUF_SIZE 4096
#define GUARD 0xa5
#define GUARD_BYTES 64

/* ------------------------------------------------------------------ a recording fake signer */

static struct {
	uint8_t head[64], body[BUF_SIZE];
	size_t head_len, body_len;
	unsigned int calls;
	int fail_hash, fail_sign;
} fake;

static int fake_sha384(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	assert_true(alen <= sizeof(fake.head) && blen <= sizeof(fake.body));
	memcpy(fake.head, a, alen);
	memcpy(fake.body, b, blen);
	fake.head_len = alen;
	fake.body_len = blen;
	fake.calls++;
	/* Not a hash; any function of the input will do for checking where it goes. */
	for (size_t i = 0; i < 48; i++)
		out[i] = (uint8_t)(i + alen + blen + (blen ? ((const uint8_t *)b)[i % blen] : 0));
	return fake.fail_hash ? -1 : 0;
}

static int fake_sign(void *ctx, const uint8_t hash[48], uint8_t sig[96])
{
	assert_ptr_equal(ctx, &fake);
	for (size_t i = 0; i < 96; i++)
		sig[i] = (uint8_t)(hash[i % 48] ^ i);
	return fake.fail_sign ? -7 : 0;
}

static const struct cca_signer signer = { fake_sha384, fake_sign, &fake };

/* The signature fake_sign makes over what the Sig_structure pieces were. */
static void expected_sig(uint8_t sig[96])
{
	uint8_t hash[48];

	fake_sha384(fake.head, fake.head_len, fake.body, fake.body_len, hash);
	fake.calls--;
	fake_sign(&fake, hash, sig);
}

/* ------------------------------------------------------------------ hand assembly */

struct bytes {
	uint8_t b[BUF_SIZE];
	size_t n;
};

static void app(struct bytes *x, const void *p, size_t n)
{
	assert_true(x->n + n <= sizeof(x->b));
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

#define APP(x, ...)                                          \
	do {                                                 \
		static const uint8_t b_[] = { __VA_ARGS__ }; \
		app(x, b_, sizeof(b_));                      \
	} while (0)

/* A bstr or tstr head for the lengths used here (< 65536). */
static void str_head(struct bytes *x, uint8_t major, size_t n)
{
	uint8_t h[3];

	if (n < 24) {
		h[0] = (uint8_t)(major | n);
		app(x, h, 1);
	} else if (n < 256) {
		h[0] = (uint8_t)(major | 24);
		h[1] = (uint8_t)n;
		app(x, h, 2);
	} else {
		h[0] = (uint8_t)(major | 25);
		h[1] = (uint8_t)(n >> 8);
		h[2] = (uint8_t)n;
		app(x, h, 3);
	}
}

static void bstr(struct bytes *x, const void *p, size_t n)
{
	str_head(x, 0x40, n);
	app(x, p, n);
}

static void tstr(struct bytes *x, const char *s)
{
	str_head(x, 0x60, strlen(s));
	app(x, s, strlen(s));
}

/* COSE_Sign1 around payload with the fake signature; also checks the Sig_structure. */
static void sign1(struct bytes *x, const struct bytes *payload)
{
	struct bytes body = { .n = 0 };
	uint8_t sig[96];

	APP(x, 0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0);
	bstr(&body, payload->b, payload->n);
	app(x, body.b, body.n);
	/* ["Signature1", h'a1013822', h'', payload]: the head the signer hashed, then the payload. */
	static const uint8_t head[] = { 0x84, 0x6a, 'S', 'i',  'g',  'n',  'a',	 't',  'u',
					'r',  'e',  '1', 0x44, 0xa1, 0x01, 0x38, 0x22, 0x40 };
	assert_int_equal(fake.head_len, sizeof(head));
	assert_memory_equal(fake.head, head, sizeof(head));
	assert_int_equal(fake.body_len, body.n);
	assert_memory_equal(fake.body, body.b, body.n);
	expected_sig(sig);
	APP(x, 0x58, 0x60);
	app(x, sig, sizeof(sig));
}

/* ------------------------------------------------------------------ fixtures */

static uint8_t challenge[64], rpv[64], rim[64], rems[4][64], rak[CCA_RAK_COSE_KEY_SIZE];
static uint8_t pchallenge[32], impl[32], inst[33], value[32], signer_id[32];
static uint8_t buf[BUF_SIZE + GUARD_BYTES];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 3 * i);
}

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	fill(challenge, sizeof(challenge), 1);
	fill(rpv, sizeof(rpv), 2);
	fill(rim, sizeof(rim), 3);
	for (int i = 0; i < 4; i++)
		fill(rems[i], sizeof(rems[i]), (uint8_t)(10 + i));
	fill(rak, sizeof(rak), 4);
	fill(pchallenge, sizeof(pchallenge), 5);
	fill(impl, sizeof(impl), 6);
	fill(inst, sizeof(inst), 7);
	inst[0] = CCA_UEID_TYPE_RAND;
	fill(value, sizeof(value), 8);
	fill(signer_id, sizeof(signer_id), 9);
	memset(buf, GUARD, sizeof(buf));
	return 0;
}

static struct cca_realm_claims realm(enum hash_algo algo)
{
	struct cca_realm_claims c = {
		.challenge = challenge,
		.rpv = rpv,
		.algo = algo,
		.rim = rim,
		.rak = rak,
		.rak_len = sizeof(rak),
	};

	for (int i = 0; i < 4; i++)
		c.rems[i] = rems[i];
	return c;
}

static const uint8_t cfg[4] = { 0xde, 0xad, 0xbe, 0xef };
static struct cca_sw_component sw = { "RMM", value, 32, NULL, signer_id, 32, "sha-256" };

static struct cca_platform_claims platform(const char *vsi)
{
	return (struct cca_platform_claims){
		.challenge = pchallenge,
		.challenge_len = sizeof(pchallenge),
		.implementation_id = impl,
		.instance_id = inst,
		.config = cfg,
		.config_len = sizeof(cfg),
		.lifecycle = 0x3000,
		.sw = &sw,
		.nsw = 1,
		.verification_service = vsi,
		.hash_algo = "sha-256",
	};
}

/* The realm claims map of §4.2, in TF-RMM's order. */
static void realm_payload(struct bytes *p, size_t n, const char *algo)
{
	APP(p, 0xa8, 0x0a);
	bstr(p, challenge, 64);
	APP(p, 0x19, 0xac, 0xcb);
	bstr(p, rpv, 64);
	APP(p, 0x19, 0xac, 0xcd);
	bstr(p, rak, sizeof(rak));
	APP(p, 0x19, 0xac, 0xcc);
	tstr(p, algo);
	APP(p, 0x19, 0xac, 0xd0);
	tstr(p, "sha-256");
	APP(p, 0x19, 0x01, 0x09);
	tstr(p, "tag:arm.com,2023:realm#1.0.0");
	APP(p, 0x19, 0xac, 0xce);
	bstr(p, rim, n);
	APP(p, 0x19, 0xac, 0xcf, 0x84);
	for (int i = 0; i < 4; i++)
		bstr(p, rems[i], n);
}

/* ------------------------------------------------------------------ tests */

static void test_cose_key_is_byte_exact(void **state)
{
	uint8_t pub[97], out[CCA_RAK_COSE_KEY_SIZE];
	struct bytes want = { .n = 0 };

	(void)state;
	pub[0] = 0x04;
	fill(pub + 1, 96, 0x40);
	assert_int_equal(cca_rak_cose_key(pub, out), CCA_OK);
	APP(&want, 0xa4, 0x01, 0x02, 0x20, 0x02, 0x21, 0x58, 0x30);
	app(&want, pub + 1, 48);
	APP(&want, 0x22, 0x58, 0x30);
	app(&want, pub + 49, 48);
	assert_int_equal(want.n, 107);
	assert_memory_equal(out, want.b, 107);

	pub[0] = 0x02; /* compressed: not what the RMM hands over */
	assert_int_equal(cca_rak_cose_key(pub, out), CCA_ERR_ARG);
	assert_int_equal(cca_rak_cose_key(NULL, out), CCA_ERR_ARG);
}

static void test_sign1_in_open_encoder(void **state)
{
	struct cbor_enc e;
	struct bytes want = { .n = 0 }, payload = { .n = 0 };
	size_t at = 0, len = 0;

	(void)state;
	cbor_init(&e, buf, BUF_SIZE);
	assert_int_equal(cca_sign1_begin(&e, &at), CCA_OK);
	assert_int_equal(at, 8); /* d2 84 44 a1013822 a0 */
	cbor_open_map(&e, 1);
	cbor_put_uint(&e, 10);
	cbor_put_bstr(&e, challenge, 3);
	cbor_close(&e);
	assert_int_equal(cca_sign1_end(&e, at, &signer), CCA_OK);
	assert_int_equal(cbor_finish(&e, &len), CBOR_OK);
	APP(&payload, 0xa1, 0x0a, 0x43);
	app(&payload, challenge, 3);
	sign1(&want, &payload);
	assert_int_equal(len, want.n);
	assert_memory_equal(buf, want.b, want.n);
	assert_int_equal(fake.calls, 1);
}

static void realm_token_bytes(enum hash_algo algo, size_t n, const char *name)
{
	struct cca_realm_claims c = realm(algo);
	struct bytes want = { .n = 0 }, payload = { .n = 0 };
	size_t len = 0;

	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_OK);
	realm_payload(&payload, n, name);
	sign1(&want, &payload);
	assert_int_equal(len, want.n);
	assert_memory_equal(buf, want.b, want.n);
	assert_int_equal(buf[BUF_SIZE], GUARD);
}

static void test_realm_token_sha256(void **state)
{
	(void)state;
	realm_token_bytes(HASH_SHA256, 32, "sha-256");
}

static void test_realm_token_sha512(void **state)
{
	(void)state;
	realm_token_bytes(HASH_SHA512, 64, "sha-512");
}

static void platform_payload(struct bytes *p, const char *vsi)
{
	app(p, vsi ? (const uint8_t[]){ 0xa9 } : (const uint8_t[]){ 0xa8 }, 1);
	APP(p, 0x19, 0x01, 0x09);
	tstr(p, "tag:arm.com,2023:cca_platform#1.0.0");
	APP(p, 0x0a);
	bstr(p, pchallenge, 32);
	APP(p, 0x19, 0x09, 0x5c);
	bstr(p, impl, 32);
	APP(p, 0x19, 0x01, 0x00);
	bstr(p, inst, 33);
	APP(p, 0x19, 0x09, 0x61);
	bstr(p, cfg, 4);
	APP(p, 0x19, 0x09, 0x5b, 0x19, 0x30, 0x00);
	APP(p, 0x19, 0x09, 0x62);
	tstr(p, "sha-256");
	if (vsi) {
		APP(p, 0x19, 0x09, 0x60);
		tstr(p, vsi);
	}
	APP(p, 0x19, 0x09, 0x5f, 0x81, 0xa4, 0x01);
	tstr(p, "RMM");
	APP(p, 0x02);
	bstr(p, value, 32);
	APP(p, 0x05);
	bstr(p, signer_id, 32);
	APP(p, 0x06);
	tstr(p, "sha-256");
}

static void test_platform_token(void **state)
{
	static const char *const vsis[] = { "https://verifier.example", NULL, "" };

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct cca_platform_claims c = platform(vsis[i]);
		struct bytes want = { .n = 0 }, payload = { .n = 0 };
		size_t len = 0;

		assert_int_equal(cca_platform_token(&c, &signer, buf, BUF_SIZE, &len), CCA_OK);
		/* An empty verification service is left out like a NULL one. */
		platform_payload(&payload, vsis[i] && vsis[i][0] ? vsis[i] : NULL);
		sign1(&want, &payload);
		assert_int_equal(len, want.n);
		assert_memory_equal(buf, want.b, want.n);
	}
}

static void test_sw_component_optional_fields(void **state)
{
	struct cca_sw_component full = { "BL31", value, 32, "1.2.3", signer_id, 32, "sha-256" };
	struct cca_sw_component bare = { NULL, value, 32, NULL, signer_id, 32, NULL };
	struct cca_platform_claims c = platform(NULL);
	static const uint8_t full_map[] = { 0xa5, 0x01, 0x64, 'B', 'L', '3', '1', 0x02, 0x58, 0x20 };
	static const uint8_t version[] = { 0x04, 0x65, '1', '.', '2', '.', '3', 0x05, 0x58, 0x20 };
	static const uint8_t bare_map[] = { 0xa2, 0x02, 0x58, 0x20 };
	size_t len = 0;

	(void)state;
	c.sw = &full;
	assert_int_equal(cca_platform_token(&c, &signer, buf, BUF_SIZE, &len), CCA_OK);
	assert_non_null(memmem(buf, len, full_map, sizeof(full_map)));
	assert_non_null(memmem(buf, len, version, sizeof(version)));
	c.sw = &bare;
	assert_int_equal(cca_platform_token(&c, &signer, buf, BUF_SIZE, &len), CCA_OK);
	assert_non_null(memmem(buf, len, bare_map, sizeof(bare_map)));
}

static void test_collection(void **state)
{
	static uint8_t plat[BUF_SIZE], realm_tok[BUF_SIZE];
	struct cca_platform_claims pc = platform("https://v.example");
	struct cca_realm_claims c = realm(HASH_SHA256);
	struct bytes want = { .n = 0 };
	size_t plen = 0, rlen = 0, len = 0;

	(void)state;
	assert_int_equal(cca_platform_token(&pc, &signer, plat, sizeof(plat), &plen), CCA_OK);
	assert_int_equal(cca_realm_token(&c, &signer, realm_tok, sizeof(realm_tok), &rlen), CCA_OK);
	assert_int_equal(cca_token(plat, plen, &c, &signer, buf, BUF_SIZE, &len), CCA_OK);
	/* tag 399 {44234: platform, 44241: realm}; the realm token is the one signed alone. */
	APP(&want, 0xd9, 0x01, 0x8f, 0xa2, 0x19, 0xac, 0xca);
	bstr(&want, plat, plen);
	APP(&want, 0x19, 0xac, 0xd1);
	bstr(&want, realm_tok, rlen);
	assert_int_equal(len, want.n);
	assert_memory_equal(buf, want.b, want.n);
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i])
			return 0;
	}
	return 1;
}

/* Every buffer size below the full one: CCA_ERR_SPACE, zeroed, the guard untouched. */
static void test_every_short_buffer_fails(void **state)
{
	static uint8_t plat[BUF_SIZE];
	struct cca_platform_claims pc = platform("https://v.example");
	struct cca_realm_claims c = realm(HASH_SHA512);
	size_t plen = 0, full = 0, full_plat = 0, len = 1;

	(void)state;
	assert_int_equal(cca_platform_token(&pc, &signer, plat, sizeof(plat), &plen), CCA_OK);
	assert_int_equal(cca_token(plat, plen, &c, &signer, buf, BUF_SIZE, &full), CCA_OK);
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &full_plat), CCA_OK);
	for (size_t cap = 0; cap < full; cap++) {
		memset(buf, GUARD, sizeof(buf));
		assert_int_equal(cca_token(plat, plen, &c, &signer, buf, cap, &len), CCA_ERR_SPACE);
		assert_int_equal(len, 0);
		assert_true(all_zero(buf, cap));
		assert_int_equal(buf[cap], GUARD);
	}
	for (size_t cap = 0; cap < full_plat; cap++) {
		memset(buf, GUARD, sizeof(buf));
		assert_int_equal(cca_platform_token(&pc, &signer, buf, cap, &len), CCA_ERR_SPACE);
		assert_true(all_zero(buf, cap));
		assert_int_equal(buf[cap], GUARD);
	}
	/* A NULL buffer is a zero-sized one. */
	assert_int_equal(cca_token(plat, plen, &c, &signer, NULL, 100, &len), CCA_ERR_SPACE);
}

static void test_signer_failures(void **state)
{
	struct cca_realm_claims c = realm(HASH_SHA256);
	struct cca_platform_claims pc = platform(NULL);
	size_t len = 1;

	(void)state;
	fake.fail_hash = 1;
	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_ERR_SIGN);
	assert_true(all_zero(buf, BUF_SIZE));
	assert_int_equal(len, 0);
	fake.fail_hash = 0;
	fake.fail_sign = 1;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_SIGN);
	assert_true(all_zero(buf, BUF_SIZE));
	assert_int_equal(cca_token(challenge, 10, &c, &signer, buf, 1000, &len), CCA_ERR_SIGN);
}

static void test_argument_errors(void **state)
{
	struct cca_signer no_sign = { fake_sha384, NULL, &fake };
	struct cca_realm_claims c;
	struct cca_platform_claims pc;
	struct cca_sw_component bad = sw;
	size_t len = 1;

	(void)state;
	c = realm(HASH_SHA256);
	c.challenge = NULL;
	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	assert_int_equal(len, 0);
	c = realm((enum hash_algo)7);
	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	c = realm(HASH_SHA256);
	c.rems[3] = NULL;
	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	c = realm(HASH_SHA256);
	c.rak_len = 0;
	assert_int_equal(cca_realm_token(&c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	assert_int_equal(cca_realm_token(NULL, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	c = realm(HASH_SHA256);
	assert_int_equal(cca_realm_token(&c, NULL, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	assert_int_equal(cca_realm_token(&c, &no_sign, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	assert_int_equal(cca_token(NULL, 10, &c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	assert_int_equal(cca_token(buf, 0, &c, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);

	pc = platform(NULL);
	pc.challenge_len = 20;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	pc = platform(NULL);
	pc.nsw = 0;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	pc = platform(NULL);
	inst[0] = 0x02;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	inst[0] = CCA_UEID_TYPE_RAND;
	pc.hash_algo = NULL;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	pc = platform(NULL);
	bad.value_len = 20;
	pc.sw = &bad;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	bad = sw;
	bad.signer_id = NULL;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	pc = platform(NULL);
	pc.config = NULL;
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_ERR_ARG);
	pc.config_len = 0; /* an empty config is allowed */
	assert_int_equal(cca_platform_token(&pc, &signer, buf, BUF_SIZE, &len), CCA_OK);
	assert_int_equal(fake.calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cose_key_is_byte_exact, setup),
		cmocka_unit_test_setup(test_sign1_in_open_encoder, setup),
		cmocka_unit_test_setup(test_realm_token_sha256, setup),
		cmocka_unit_test_setup(test_realm_token_sha512, setup),
		cmocka_unit_test_setup(test_platform_token, setup),
		cmocka_unit_test_setup(test_sw_component_optional_fields, setup),
		cmocka_unit_test_setup(test_collection, setup),
		cmocka_unit_test_setup(test_every_short_buffer_fails, setup),
		cmocka_unit_test_setup(test_signer_failures, setup),
		cmocka_unit_test_setup(test_argument_errors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
