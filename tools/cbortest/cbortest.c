/*
 * cbortest: a host driver for lib/cbor.c. It encodes named sets of items so
 * that tests/host/test_cbor.py can check them with an independent decoder.
 *
 *   cbortest list          the names, one a line
 *   cbortest emit NAME     the encoding as one hex line
 *   cbortest cuts NAME     the same encoding into a buffer of every size from
 *                          0 to its length: "SIZE ok HEX" or "SIZE error RC",
 *                          then "guard ok" or "guard clobbered SIZE" (a byte
 *                          past the cut was written)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/cbor.h>

#define GUARD 0xa5
#define GUARD_BYTES 64
#define MAX_ENC (70 * 1024)

static uint8_t data[MAX_ENC];

static void put_pattern(struct cbor_enc *e, size_t n)
{
	cbor_put_bstr(e, data, n);
}

/* [0, 1, 23, 24, 255, 256, 65535, 65536, 2^32-1, 2^32, 2^64-1] */
static void enc_uints(struct cbor_enc *e)
{
	static const uint64_t v[] = { 0,	 1,	23,    24,	     255,
				      256,	 65535, 65536, 0xffffffffUL, 0x100000000UL,
				      UINT64_MAX };

	cbor_open_array(e, sizeof(v) / sizeof(v[0]));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		cbor_put_uint(e, v[i]);
	cbor_close(e);
}

/* [-1, -24, -25, -256, -257, -65536, -65537, -2^32, -2^32-1, -2^63, 2^63-1, -2^64] */
static void enc_nints(struct cbor_enc *e)
{
	static const int64_t v[] = { -1,     -24,	    -25,	   -256,      -257,	-65536,
				     -65537, -0x100000000L, -0x100000001L, INT64_MIN, INT64_MAX };

	cbor_open_array(e, sizeof(v) / sizeof(v[0]) + 1);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		cbor_put_int(e, v[i]);
	cbor_put_nint(e, UINT64_MAX);
	cbor_close(e);
}

/* [h'', pattern(1), pattern(23), pattern(24), pattern(255), pattern(256), "", "IETF", "ü水", "x"*300] */
static void enc_strings(struct cbor_enc *e)
{
	static const size_t sizes[] = { 0, 1, 23, 24, 255, 256 };
	char x[300];

	memset(x, 'x', sizeof(x));
	cbor_open_array(e, 10);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		put_pattern(e, sizes[i]);
	cbor_put_text(e, "");
	cbor_put_text(e, "IETF");
	cbor_put_text(e, "\xc3\xbc\xe6\xb0\xb4");
	cbor_put_tstr(e, x, sizeof(x));
	cbor_close(e);
}

/* {1: [1, [2, [3, []]]], "k": {}, -1: {"a": h'62'}} */
static void enc_nested(struct cbor_enc *e)
{
	cbor_open_map(e, 3);
	cbor_put_uint(e, 1);
	cbor_open_array(e, 2);
	cbor_put_uint(e, 1);
	cbor_open_array(e, 2);
	cbor_put_uint(e, 2);
	cbor_open_array(e, 2);
	cbor_put_uint(e, 3);
	cbor_open_array(e, 0);
	cbor_close(e);
	cbor_close(e);
	cbor_close(e);
	cbor_close(e);
	cbor_put_text(e, "k");
	cbor_open_map(e, 0);
	cbor_close(e);
	cbor_put_int(e, -1);
	cbor_open_map(e, 1);
	cbor_put_text(e, "a");
	cbor_put_bstr(e, "b", 1);
	cbor_close(e);
	cbor_close(e);
}

/* [6(1363896240), 907(24(h'')), 399({}), 4294967296(70000(0))]: every head size of a tag */
static void enc_tags(struct cbor_enc *e)
{
	cbor_open_array(e, 4);
	cbor_put_tag(e, 6);
	cbor_put_uint(e, 1363896240);
	cbor_put_tag(e, 907);
	cbor_put_tag(e, 24);
	cbor_put_bstr(e, NULL, 0);
	cbor_put_tag(e, 399);
	cbor_open_map(e, 0);
	cbor_close(e);
	cbor_put_tag(e, 0x100000000UL);
	cbor_put_tag(e, 70000);
	cbor_put_uint(e, 0);
	cbor_close(e);
}

/* Wrapped contents across every head size: [<>, <p(21)>, <p(22)>, <p(253)>, <p(254)>, <p(65533)>] */
static void enc_wraps(struct cbor_enc *e)
{
	/* Inner bstr of n bytes is 1..3 bytes of head + n: contents of 0, 22, 23, 255, 256, 65536 bytes. */
	static const size_t inner[] = { 21, 22, 253, 254, 65533 };

	cbor_open_array(e, 6);
	cbor_wrap_begin(e);
	cbor_wrap_end(e);
	for (size_t i = 0; i < sizeof(inner) / sizeof(inner[0]); i++) {
		cbor_wrap_begin(e);
		put_pattern(e, inner[i]);
		cbor_wrap_end(e);
	}
	cbor_close(e);
}

/* 399({44234: <18([<{1: -35}>, {}, <{10: pattern(64), 265: "tag..."}>, pattern(96)])>}) */
static void enc_cose(struct cbor_enc *e)
{
	cbor_put_tag(e, 399);
	cbor_open_map(e, 1);
	cbor_put_uint(e, 44234);
	cbor_wrap_begin(e);
	cbor_put_tag(e, 18);
	cbor_open_array(e, 4);
	cbor_wrap_begin(e);
	cbor_open_map(e, 1);
	cbor_put_uint(e, 1);
	cbor_put_int(e, -35);
	cbor_close(e);
	cbor_wrap_end(e);
	cbor_open_map(e, 0);
	cbor_close(e);
	cbor_wrap_begin(e);
	cbor_open_map(e, 2);
	cbor_put_uint(e, 10);
	put_pattern(e, 64);
	cbor_put_uint(e, 265);
	cbor_put_text(e, "tag:arm.com,2023:realm#1.0.0");
	cbor_close(e);
	cbor_wrap_end(e);
	put_pattern(e, 96);
	cbor_close(e);
	cbor_wrap_end(e);
	cbor_close(e);
}

static const struct item {
	const char *name;
	void (*encode)(struct cbor_enc *e);
} items[] = {
	{ "uints", enc_uints }, { "nints", enc_nints }, { "strings", enc_strings }, { "nested", enc_nested },
	{ "tags", enc_tags },	{ "wraps", enc_wraps }, { "cose", enc_cose },
};

static const struct item *find(const char *name)
{
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (!strcmp(items[i].name, name))
			return &items[i];
	}
	fprintf(stderr, "cbortest: no item %s\n", name);
	exit(2);
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Encodes into the first `size` bytes of out (which has GUARD_BYTES more after them). */
static int encode(const struct item *it, uint8_t *out, size_t size, size_t *len)
{
	struct cbor_enc e;

	memset(out, GUARD, size + GUARD_BYTES);
	cbor_init(&e, out, size);
	it->encode(&e);
	return cbor_finish(&e, len);
}

static int guard_ok(const uint8_t *out, size_t size)
{
	for (size_t i = size; i < size + GUARD_BYTES; i++) {
		if (out[i] != GUARD)
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static uint8_t out[MAX_ENC + GUARD_BYTES];
	size_t full, len;
	const struct item *it;
	int rc;

	/* Byte i of the pattern is i mod 251: no period that lines up with a head. */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i % 251);
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
			printf("%s\n", items[i].name);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[1], "emit") && strcmp(argv[1], "cuts"))) {
		fprintf(stderr, "usage: cbortest list | emit NAME | cuts NAME\n");
		return 2;
	}
	it = find(argv[2]);
	rc = encode(it, out, MAX_ENC, &full);
	if (rc) {
		printf("error %d\n", rc);
		return 1;
	}
	if (!strcmp(argv[1], "emit")) {
		print_hex(out, full);
		printf("\n");
		return 0;
	}
	for (size_t size = 0; size <= full; size++) {
		rc = encode(it, out, size, &len);
		printf("%zu ", size);
		if (rc) {
			printf("error %d\n", rc);
		} else {
			printf("ok ");
			print_hex(out, len);
			printf("\n");
		}
		if (!guard_ok(out, size)) {
			printf("guard clobbered %zu\n", size);
			return 1;
		}
	}
	printf("guard ok\n");
	return 0;
}
