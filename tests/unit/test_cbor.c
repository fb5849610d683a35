/*
 * lib/cbor.c: encodings against RFC 8949 Appendix A, wrapped byte strings,
 * every error, and a realistic COSE_Sign1 encoded into a buffer cut at every
 * possible size (it must fail with CBOR_ERR_OVERFLOW and never write past
 * the cut; at the full size it must match the reference bytes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/cbor.h>

#define BUF_SIZE 1024
#define GUARD 0xa5

static uint8_t buf[BUF_SIZE];
static struct cbor_enc e;

static void start(void)
{
	memset(buf, GUARD, sizeof(buf));
	cbor_init(&e, buf, sizeof(buf));
}

/* The encoding so far equals the n bytes of want. */
static void expect(const uint8_t *want, size_t n)
{
	size_t len = 0;

	assert_int_equal(cbor_finish(&e, &len), CBOR_OK);
	assert_int_equal(len, n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(buf[n], GUARD);
}

#define EXPECT(...)                                             \
	do {                                                    \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		expect(want_, sizeof(want_));                   \
	} while (0)

static void test_uint(void **state)
{
	static const struct {
		uint64_t v;
		uint8_t enc[9];
		size_t n;
	} cases[] = {
		{ 0, { 0x00 }, 1 },
		{ 1, { 0x01 }, 1 },
		{ 10, { 0x0a }, 1 },
		{ 23, { 0x17 }, 1 },
		{ 24, { 0x18, 0x18 }, 2 },
		{ 25, { 0x18, 0x19 }, 2 },
		{ 100, { 0x18, 0x64 }, 2 },
		{ 255, { 0x18, 0xff }, 2 },
		{ 256, { 0x19, 0x01, 0x00 }, 3 },
		{ 1000, { 0x19, 0x03, 0xe8 }, 3 },
		{ 65535, { 0x19, 0xff, 0xff }, 3 },
		{ 65536, { 0x1a, 0x00, 0x01, 0x00, 0x00 }, 5 },
		{ 1000000, { 0x1a, 0x00, 0x0f, 0x42, 0x40 }, 5 },
		{ 0xffffffffUL, { 0x1a, 0xff, 0xff, 0xff, 0xff }, 5 },
		{ 0x100000000UL, { 0x1b, 0, 0, 0, 1, 0, 0, 0, 0 }, 9 },
		{ 1000000000000UL, { 0x1b, 0x00, 0x00, 0x00, 0xe8, 0xd4, 0xa5, 0x10, 0x00 }, 9 },
		{ UINT64_MAX, { 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 9 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		start();
		assert_int_equal(cbor_put_uint(&e, cases[i].v), CBOR_OK);
		expect(cases[i].enc, cases[i].n);
	}
}

static void test_negative(void **state)
{
	(void)state;
	start();
	cbor_put_int(&e, -1);
	cbor_put_int(&e, -10);
	cbor_put_int(&e, -24);
	cbor_put_int(&e, -25);
	cbor_put_int(&e, -100);
	cbor_put_int(&e, -1000);
	cbor_put_int(&e, -35); /* COSE ES384 */
	EXPECT(0x20, 0x29, 0x37, 0x38, 0x18, 0x38, 0x63, 0x39, 0x03, 0xe7, 0x38, 0x22);

	start();
	cbor_put_int(&e, INT64_MIN);
	cbor_put_int(&e, INT64_MAX);
	cbor_put_nint(&e, UINT64_MAX); /* -2^64 */
	cbor_put_nint(&e, 0);	       /* -1 */
	EXPECT(0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff,
	       0xff, 0xff, 0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x20);
}

static void test_strings(void **state)
{
	static const uint8_t b4[] = { 1, 2, 3, 4 };
	uint8_t big[300];

	(void)state;
	start();
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_bstr(&e, b4, sizeof(b4));
	cbor_put_tstr(&e, "", 0);
	cbor_put_text(&e, "a");
	cbor_put_text(&e, "IETF");
	cbor_put_text(&e, "\xc3\xbc"); /* "ü" */
	EXPECT(0x40, 0x44, 1, 2, 3, 4, 0x60, 0x61, 0x61, 0x64, 'I', 'E', 'T', 'F', 0x62, 0xc3, 0xbc);

	/* Head sizes at the length boundaries. */
	memset(big, 0x5a, sizeof(big));
	start();
	assert_int_equal(cbor_put_bstr(&e, big, 23), CBOR_OK);
	assert_int_equal(e.len, 24);
	assert_int_equal(buf[0], 0x57);
	start();
	assert_int_equal(cbor_put_bstr(&e, big, 24), CBOR_OK);
	assert_int_equal(e.len, 26);
	assert_int_equal(buf[0], 0x58);
	assert_int_equal(buf[1], 24);
	start();
	assert_int_equal(cbor_put_tstr(&e, (const char *)big, 256), CBOR_OK);
	assert_int_equal(e.len, 259);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x79, 0x01, 0x00 }), 3);
	assert_memory_equal(buf + 3, big, 256);

	/* The head alone, for a payload the caller hashes in place. */
	start();
	cbor_put_bstr_head(&e, 1000);
	EXPECT(0x59, 0x03, 0xe8);
}

static void test_containers(void **state)
{
	(void)state;
	/* [] {} [1, 2, 3] */
	start();
	cbor_open_array(&e, 0);
	cbor_close(&e);
	cbor_open_map(&e, 0);
	cbor_close(&e);
	cbor_open_array(&e, 3);
	cbor_put_uint(&e, 1);
	cbor_put_uint(&e, 2);
	cbor_put_uint(&e, 3);
	cbor_close(&e);
	EXPECT(0x80, 0xa0, 0x83, 0x01, 0x02, 0x03);

	/* [1, [2, 3], [4, 5]] */
	start();
	cbor_open_array(&e, 3);
	cbor_put_uint(&e, 1);
	cbor_open_array(&e, 2);
	cbor_put_uint(&e, 2);
	cbor_put_uint(&e, 3);
	cbor_close(&e);
	cbor_open_array(&e, 2);
	cbor_put_uint(&e, 4);
	cbor_put_uint(&e, 5);
	cbor_close(&e);
	cbor_close(&e);
	EXPECT(0x83, 0x01, 0x82, 0x02, 0x03, 0x82, 0x04, 0x05);

	/* {"a": 1, "b": [2, 3]} */
	start();
	cbor_open_map(&e, 2);
	cbor_put_text(&e, "a");
	cbor_put_uint(&e, 1);
	cbor_put_text(&e, "b");
	cbor_open_array(&e, 2);
	cbor_put_uint(&e, 2);
	cbor_put_uint(&e, 3);
	cbor_close(&e);
	cbor_close(&e);
	EXPECT(0xa2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x82, 0x02, 0x03);

	/* 25 items: the count needs a one-byte argument. */
	start();
	cbor_open_array(&e, 25);
	for (unsigned int i = 1; i <= 25; i++)
		cbor_put_uint(&e, i);
	cbor_close(&e);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_OK);
	assert_int_equal(buf[0], 0x98);
	assert_int_equal(buf[1], 25);
	assert_int_equal(e.len, 2 + 23 + 2 * 2);
}

static void test_tags(void **state)
{
	(void)state;
	/* 1(1363896240), 32("a"), 18([]), 399({}) */
	start();
	cbor_put_tag(&e, 1);
	cbor_put_uint(&e, 1363896240);
	cbor_put_tag(&e, 32);
	cbor_put_text(&e, "a");
	cbor_put_tag(&e, 18);
	cbor_open_array(&e, 0);
	cbor_close(&e);
	cbor_put_tag(&e, 399);
	cbor_open_map(&e, 0);
	cbor_close(&e);
	EXPECT(0xc1, 0x1a, 0x51, 0x4b, 0x67, 0xb0, 0xd8, 0x20, 0x61, 0x61, 0xd2, 0x80, 0xd9, 0x01, 0x8f,
	       0xa0);

	/* A tagged item is one item of its container; nested tags are allowed. */
	start();
	cbor_open_array(&e, 2);
	cbor_put_tag(&e, 907);
	cbor_put_tag(&e, 24);
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_uint(&e, 7);
	cbor_close(&e);
	EXPECT(0x82, 0xd9, 0x03, 0x8b, 0xd8, 0x18, 0x40, 0x07);
}

static void test_wrap(void **state)
{
	uint8_t big[300];

	(void)state;
	/* COSE protected header: bstr .cbor {1: -35} = 44 a1 01 38 22 */
	start();
	cbor_wrap_begin(&e);
	cbor_open_map(&e, 1);
	cbor_put_uint(&e, 1);
	cbor_put_int(&e, -35);
	cbor_close(&e);
	cbor_wrap_end(&e);
	EXPECT(0x44, 0xa1, 0x01, 0x38, 0x22);

	/* Empty and nested wraps: [h'', h'42 <h'01'>'] */
	start();
	cbor_open_array(&e, 2);
	cbor_wrap_begin(&e);
	cbor_wrap_end(&e);
	cbor_wrap_begin(&e);
	cbor_wrap_begin(&e);
	cbor_put_uint(&e, 1);
	cbor_wrap_end(&e);
	cbor_wrap_end(&e);
	cbor_close(&e);
	EXPECT(0x82, 0x40, 0x42, 0x41, 0x01);

	/* Contents of 24 and 299 bytes move up by a 2- and 3-byte head. */
	memset(big, 0x33, sizeof(big));
	start();
	cbor_wrap_begin(&e);
	cbor_put_bstr(&e, big, 22); /* 1 + 22 = 23 bytes: still a 1-byte head */
	cbor_wrap_end(&e);
	cbor_wrap_begin(&e);
	cbor_put_bstr(&e, big, 23); /* 24 bytes */
	cbor_wrap_end(&e);
	cbor_wrap_begin(&e);
	cbor_put_bstr(&e, big, 296); /* 3 + 296 = 299 bytes */
	cbor_wrap_end(&e);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_OK);
	assert_int_equal(e.len, 24 + 26 + 302);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x57, 0x56 }), 2);
	assert_memory_equal(buf + 24, ((const uint8_t[]){ 0x58, 24, 0x57 }), 3);
	assert_memory_equal(buf + 50, ((const uint8_t[]){ 0x59, 0x01, 0x2b, 0x59, 0x01, 0x28 }), 6);
	assert_memory_equal(buf + 56, big, 296);
}

/* A realistic token: 399({44241: h'<18([h'<{1:-35}>', {}, h'<claims>', sig])>'}). */
static int encode_token(struct cbor_enc *c)
{
	static const uint8_t rim[32] = { 1 }, challenge[64] = { 0xab }, sig[96] = { 0x5e };

	cbor_put_tag(c, 399);
	cbor_open_map(c, 1);
	cbor_put_uint(c, 44241);
	cbor_wrap_begin(c);
	cbor_put_tag(c, 18);
	cbor_open_array(c, 4);
	cbor_wrap_begin(c);
	cbor_open_map(c, 1);
	cbor_put_uint(c, 1);
	cbor_put_int(c, -35);
	cbor_close(c);
	cbor_wrap_end(c);
	cbor_open_map(c, 0);
	cbor_close(c);
	cbor_wrap_begin(c);
	cbor_open_map(c, 4);
	cbor_put_uint(c, 10);
	cbor_put_bstr(c, challenge, sizeof(challenge));
	cbor_put_uint(c, 44236);
	cbor_put_text(c, "sha-256");
	cbor_put_uint(c, 44238);
	cbor_put_bstr(c, rim, sizeof(rim));
	cbor_put_uint(c, 44239);
	cbor_open_array(c, 4);
	for (int i = 0; i < 4; i++)
		cbor_put_bstr(c, rim, sizeof(rim));
	cbor_close(c);
	cbor_close(c);
	cbor_wrap_end(c);
	cbor_put_bstr(c, sig, sizeof(sig));
	cbor_close(c);
	cbor_wrap_end(c);
	cbor_close(c);
	return cbor_finish(c, NULL);
}

static void test_every_cut(void **state)
{
	uint8_t ref[BUF_SIZE];
	size_t n;

	(void)state;
	start();
	assert_int_equal(encode_token(&e), CBOR_OK);
	n = e.len;
	assert_true(n > 300);
	memcpy(ref, buf, n);

	for (size_t cut = 0; cut <= n; cut++) {
		size_t len = 0;

		memset(buf, GUARD, sizeof(buf));
		cbor_init(&e, buf, cut);
		if (cut < n) {
			assert_int_equal(encode_token(&e), CBOR_ERR_OVERFLOW);
			assert_int_equal(e.err, CBOR_ERR_OVERFLOW);
			assert_true(e.len <= cut);
		} else {
			assert_int_equal(encode_token(&e), CBOR_OK);
			assert_int_equal(cbor_finish(&e, &len), CBOR_OK);
			assert_int_equal(len, n);
			assert_memory_equal(buf, ref, n);
		}
		for (size_t i = cut; i < sizeof(buf); i++)
			assert_int_equal(buf[i], GUARD);
	}
}

static void test_failed_put_writes_nothing(void **state)
{
	static const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	cbor_init(&e, buf, 8);
	assert_int_equal(cbor_put_uint(&e, 1), CBOR_OK);
	/* 1 + 8 bytes do not fit in the 7 left: nothing of the item appears. */
	assert_int_equal(cbor_put_bstr(&e, data, 8), CBOR_ERR_OVERFLOW);
	assert_int_equal(e.len, 1);
	assert_int_equal(buf[1], GUARD);
	/* The error sticks: a put that would fit fails too, and writes nothing. */
	assert_int_equal(cbor_put_uint(&e, 2), CBOR_ERR_OVERFLOW);
	assert_int_equal(e.len, 1);
	assert_int_equal(buf[1], GUARD);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_ERR_OVERFLOW);

	/* A head that is cut: a 9-byte uint into 8 bytes. */
	cbor_init(&e, buf, 8);
	assert_int_equal(cbor_put_uint(&e, UINT64_MAX), CBOR_ERR_OVERFLOW);
	assert_int_equal(e.len, 0);

	/* A byte-string length near SIZE_MAX must not wrap the space check. */
	cbor_init(&e, buf, 8);
	assert_int_equal(cbor_put_bstr(&e, data, SIZE_MAX), CBOR_ERR_OVERFLOW);
	/* No buffer at all. */
	cbor_init(&e, NULL, 100);
	assert_int_equal(cbor_put_uint(&e, 0), CBOR_ERR_OVERFLOW);
}

static void test_count_errors(void **state)
{
	(void)state;
	/* Too many items. */
	start();
	cbor_open_array(&e, 1);
	assert_int_equal(cbor_put_uint(&e, 1), CBOR_OK);
	assert_int_equal(cbor_put_uint(&e, 2), CBOR_ERR_COUNT);
	assert_int_equal(e.len, 2);
	/* Too few. */
	start();
	cbor_open_array(&e, 2);
	cbor_put_uint(&e, 1);
	assert_int_equal(cbor_close(&e), CBOR_ERR_COUNT);
	/* A map with a key and no value. */
	start();
	cbor_open_map(&e, 1);
	cbor_put_uint(&e, 1);
	assert_int_equal(cbor_close(&e), CBOR_ERR_COUNT);
	/* Too many pairs: the third item of a 1-pair map. */
	start();
	cbor_open_map(&e, 1);
	cbor_put_uint(&e, 1);
	cbor_put_uint(&e, 2);
	assert_int_equal(cbor_put_uint(&e, 3), CBOR_ERR_COUNT);
	/* A container, a tag and a wrap each take a slot. */
	start();
	cbor_open_array(&e, 1);
	cbor_open_array(&e, 0);
	cbor_close(&e);
	assert_int_equal(cbor_open_map(&e, 0), CBOR_ERR_COUNT);
	start();
	cbor_open_array(&e, 1);
	cbor_put_tag(&e, 1);
	cbor_put_uint(&e, 1);
	assert_int_equal(cbor_put_tag(&e, 2), CBOR_ERR_COUNT);
	start();
	cbor_open_array(&e, 1);
	cbor_wrap_begin(&e);
	cbor_wrap_end(&e);
	assert_int_equal(cbor_wrap_begin(&e), CBOR_ERR_COUNT);
	/* Items inside a wrap do not count against the container around it. */
	start();
	cbor_open_array(&e, 1);
	cbor_wrap_begin(&e);
	cbor_put_uint(&e, 1);
	cbor_put_uint(&e, 2);
	cbor_wrap_end(&e);
	assert_int_equal(cbor_close(&e), CBOR_OK);
	EXPECT(0x81, 0x42, 0x01, 0x02);
}

static void test_state_errors(void **state)
{
	(void)state;
	start();
	assert_int_equal(cbor_close(&e), CBOR_ERR_STATE);
	start();
	assert_int_equal(cbor_wrap_end(&e), CBOR_ERR_STATE);
	/* Close and end must match the innermost open. */
	start();
	cbor_wrap_begin(&e);
	assert_int_equal(cbor_close(&e), CBOR_ERR_STATE);
	start();
	cbor_open_array(&e, 0);
	assert_int_equal(cbor_wrap_end(&e), CBOR_ERR_STATE);
	/* A tag needs its item before the container closes or the encoding ends. */
	start();
	cbor_open_array(&e, 1);
	cbor_put_tag(&e, 1);
	assert_int_equal(cbor_close(&e), CBOR_ERR_STATE);
	start();
	cbor_wrap_begin(&e);
	cbor_put_tag(&e, 1);
	assert_int_equal(cbor_wrap_end(&e), CBOR_ERR_STATE);
	start();
	cbor_put_tag(&e, 1);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_ERR_STATE);
	/* Open containers at the end. */
	start();
	cbor_open_map(&e, 0);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_ERR_STATE);
	start();
	cbor_wrap_begin(&e);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_ERR_STATE);
}

static void test_depth_and_args(void **state)
{
	(void)state;
	start();
	for (int i = 0; i < CBOR_MAX_DEPTH; i++)
		assert_int_equal(cbor_open_array(&e, 1), CBOR_OK);
	assert_int_equal(cbor_open_array(&e, 0), CBOR_ERR_DEPTH);
	start();
	for (int i = 0; i < CBOR_MAX_DEPTH; i++)
		assert_int_equal(cbor_wrap_begin(&e), CBOR_OK);
	assert_int_equal(cbor_wrap_begin(&e), CBOR_ERR_DEPTH);
	/* The full depth works when it is not exceeded. */
	start();
	for (int i = 0; i < CBOR_MAX_DEPTH - 1; i++)
		cbor_open_array(&e, 1);
	cbor_open_array(&e, 0);
	for (int i = 0; i < CBOR_MAX_DEPTH; i++)
		assert_int_equal(cbor_close(&e), CBOR_OK);
	EXPECT(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x80);

	start();
	assert_int_equal(cbor_open_map(&e, UINT64_MAX / 2 + 1), CBOR_ERR_ARG);
	start();
	assert_int_equal(cbor_put_bstr(&e, NULL, 1), CBOR_ERR_ARG);
	start();
	assert_int_equal(cbor_put_text(&e, NULL), CBOR_ERR_ARG);
	/* The first error wins. */
	start();
	cbor_close(&e);
	assert_int_equal(cbor_put_bstr(&e, NULL, 1), CBOR_ERR_STATE);
	assert_int_equal(cbor_finish(&e, NULL), CBOR_ERR_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint),	       cmocka_unit_test(test_negative),
		cmocka_unit_test(test_strings),	       cmocka_unit_test(test_containers),
		cmocka_unit_test(test_tags),	       cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_every_cut),      cmocka_unit_test(test_failed_put_writes_nothing),
		cmocka_unit_test(test_count_errors),   cmocka_unit_test(test_state_errors),
		cmocka_unit_test(test_depth_and_args),
	};

	return cmocka_run_group_tests_name("cbor", tests, NULL, NULL);
}
