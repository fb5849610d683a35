/*
 * refvalues: the reference RIM (and REMs) of a realm built by the Realm-VM
 * conventions of reference §3.4, computed with lib/measure.c (the RMM's own
 * measurement code) over the host's libmbedcrypto. It prints the RIM as hex
 * and writes the JSON reference-value file that tools/verify reads.
 *
 * The sequence measured is the one a conforming host performs:
 *   REALM_CREATE with the given parameters;
 *   RTT_INIT_RIPAS over the RAM range, one measurement per RTT entry, using
 *   the largest block each position is aligned to (start level from s2sz);
 *   DATA_CREATE (measured) of every 4 KiB page of every image, in ascending
 *   IPA order, the last page of an image zero-padded;
 *   REC_CREATE of REC 0 with pc and x0..x7 (if runnable).
 * See docs/attestation.md for the options and the JSON format.
 *
 * "refvalues platform ..." is the other half: the platform token's signed
 * software components of a flash package (platform.c).
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/measure.h>
#include "hash_host.h"
#include "platform.h"

#define MAX_IMAGES 64
#define MAX_REM_OPS 64
#define RPV_SIZE 64
#define GRANULE ((uint64_t)MEASURE_GRANULE_SIZE)

struct image {
	const char *arg;  /* FILE@IPA as given, for messages */
	const char *file; /* FILE part */
	uint64_t ipa;
	uint8_t *data;
	size_t len;
	uint64_t span; /* len rounded up to granules */
};

struct rem_op {
	unsigned int slot;
	uint8_t data[MEASURE_REM_DATA_MAX];
	size_t len;
};

static struct {
	struct measure_realm_params realm;
	int have_s2sz, have_bps, have_wps, have_ram, have_pc, runnable, trace;
	uint64_t ram_base, ram_size;
	struct measure_rec_params rec;
	uint8_t rpv[RPV_SIZE];
	struct image img[MAX_IMAGES];
	unsigned int nimg;
	struct rem_op rem[MAX_REM_OPS];
	unsigned int nrem;
	const char *ref_out;
} opt = { .runnable = 1 };

void refvalues_die(const char *fmt, ...)
{
	va_list ap;

	fputs("refvalues: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void usage(FILE *f)
{
	fputs("usage: refvalues --s2sz N --num-bps N --num-wps N --ram BASE:SIZE --pc ADDR\n"
	      "                 [--hash sha256|sha512] [--flags N] [--sve-vl N] [--pmu-ctrs N]\n"
	      "                 [--image FILE@IPA]... [--x0 .. --x7 VALUE] [--not-runnable]\n"
	      "                 [--rpv TEXT | --rpv-hex HEX] [--rem SLOT:HEX]... [--ref-out FILE] "
	      "[--trace]\n"
	      "       refvalues platform --package BANK.bin --signing-key KEY.pem --security-version N\n"
	      "                          [--ref-out FILE]\n",
	      f);
}

static uint64_t parse_u64(const char *opt_name, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-')
		refvalues_die("%s %s: not a number", opt_name, s);
	return v;
}

static uint8_t parse_u8(const char *opt_name, const char *s)
{
	uint64_t v = parse_u64(opt_name, s);

	if (v > 255)
		refvalues_die("%s %s: must be 0..255", opt_name, s);
	return (uint8_t)v;
}

/* Hex without prefix into out (at most max bytes); returns the byte count. */
static size_t parse_hex(const char *opt_name, const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s);

	if (n % 2)
		refvalues_die("%s %s: odd number of hex digits", opt_name, s);
	if (n / 2 > max)
		refvalues_die("%s %s: longer than %zu bytes", opt_name, s, max);
	for (size_t i = 0; i < n / 2; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], 0 };
		char *end;

		out[i] = (uint8_t)strtoul(byte, &end, 16);
		if (*end || byte[0] == '+' || byte[0] == '-' || byte[0] == ' ')
			refvalues_die("%s %s: not hex", opt_name, s);
	}
	return n / 2;
}

static void parse_ram(const char *s)
{
	const char *colon = strchr(s, ':');
	char base[64];

	if (!colon || (size_t)(colon - s) >= sizeof(base))
		refvalues_die("--ram %s: expected BASE:SIZE", s);
	memcpy(base, s, (size_t)(colon - s));
	base[colon - s] = 0;
	opt.ram_base = parse_u64("--ram", base);
	opt.ram_size = parse_u64("--ram", colon + 1);
	if ((opt.ram_base | opt.ram_size) & (GRANULE - 1))
		refvalues_die("--ram %s: base and size must be 4 KiB aligned", s);
	if (!opt.ram_size || opt.ram_base + opt.ram_size < opt.ram_base)
		refvalues_die("--ram %s: empty or wrapping range", s);
	opt.have_ram = 1;
}

static void parse_image(const char *s)
{
	const char *at = strrchr(s, '@');
	struct image *im;
	char *file;

	if (!at || at == s || !at[1])
		refvalues_die("--image %s: expected FILE@IPA", s);
	if (opt.nimg == MAX_IMAGES)
		refvalues_die("--image %s: more than %d images", s, MAX_IMAGES);
	im = &opt.img[opt.nimg++];
	file = strndup(s, (size_t)(at - s));
	if (!file)
		refvalues_die("out of memory");
	im->arg = s;
	im->file = file;
	im->ipa = parse_u64("--image", at + 1);
}

static void parse_rem(const char *s)
{
	struct rem_op *r;

	if (opt.nrem == MAX_REM_OPS)
		refvalues_die("--rem %s: more than %d extends", s, MAX_REM_OPS);
	r = &opt.rem[opt.nrem++];
	if (s[0] < '1' || s[0] > '4' || s[1] != ':')
		refvalues_die("--rem %s: expected SLOT:HEX with SLOT 1..4", s);
	r->slot = (unsigned int)(s[0] - '0');
	r->len = parse_hex("--rem", s + 2, r->data, sizeof(r->data));
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes_value = 1;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--not-runnable")) {
			opt.runnable = 0;
			takes_value = 0;
		} else if (!strcmp(a, "--trace")) {
			opt.trace = 1;
			takes_value = 0;
		} else if (strncmp(a, "--", 2)) {
			refvalues_die("unexpected argument %s", a);
		} else if (!v) {
			refvalues_die("%s needs a value", a);
		} else if (!strcmp(a, "--s2sz")) {
			opt.realm.s2sz = parse_u8(a, v);
			if (measure_rtt_start_level(opt.realm.s2sz) < 0)
				refvalues_die("--s2sz %s: must be 32..48", v);
			opt.have_s2sz = 1;
		} else if (!strcmp(a, "--hash")) {
			if (!strcmp(v, "sha256"))
				opt.realm.hash_algo = HASH_SHA256;
			else if (!strcmp(v, "sha512"))
				opt.realm.hash_algo = HASH_SHA512;
			else
				refvalues_die("--hash %s: must be sha256 or sha512", v);
		} else if (!strcmp(a, "--flags")) {
			opt.realm.flags = parse_u64(a, v);
		} else if (!strcmp(a, "--sve-vl")) {
			opt.realm.sve_vl = parse_u8(a, v);
		} else if (!strcmp(a, "--num-bps")) {
			opt.realm.num_bps = parse_u8(a, v);
			opt.have_bps = 1;
		} else if (!strcmp(a, "--num-wps")) {
			opt.realm.num_wps = parse_u8(a, v);
			opt.have_wps = 1;
		} else if (!strcmp(a, "--pmu-ctrs")) {
			opt.realm.pmu_num_ctrs = parse_u8(a, v);
		} else if (!strcmp(a, "--ram")) {
			parse_ram(v);
		} else if (!strcmp(a, "--image")) {
			parse_image(v);
		} else if (!strcmp(a, "--pc")) {
			opt.rec.pc = parse_u64(a, v);
			opt.have_pc = 1;
		} else if (a[2] == 'x' && a[3] >= '0' && a[3] <= '7' && !a[4]) {
			opt.rec.gprs[a[3] - '0'] = parse_u64(a, v);
		} else if (!strcmp(a, "--rpv")) {
			if (strlen(v) > RPV_SIZE)
				refvalues_die("--rpv %s: longer than %d bytes", v, RPV_SIZE);
			memcpy(opt.rpv, v, strlen(v)); /* most significant byte first, zero-padded (§3.6) */
		} else if (!strcmp(a, "--rpv-hex")) {
			parse_hex(a, v, opt.rpv, RPV_SIZE);
		} else if (!strcmp(a, "--rem")) {
			parse_rem(v);
		} else if (!strcmp(a, "--ref-out")) {
			opt.ref_out = v;
		} else {
			refvalues_die("unknown option %s", a);
		}
		i += takes_value;
	}
	if (!opt.have_s2sz)
		refvalues_die("missing --s2sz");
	if (!opt.have_bps)
		refvalues_die("missing --num-bps");
	if (!opt.have_wps)
		refvalues_die("missing --num-wps");
	if (!opt.have_ram)
		refvalues_die("missing --ram");
	if (!opt.have_pc && opt.runnable)
		refvalues_die("missing --pc");
	opt.rec.flags = opt.runnable ? MEASURE_REC_RUNNABLE : 0;
}

static void read_image(struct image *im)
{
	FILE *f = fopen(im->file, "rb");
	long n;

	if (!f)
		refvalues_die("--image %s: cannot read %s: %s", im->arg, im->file, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		refvalues_die("--image %s: cannot read %s: %s", im->arg, im->file, strerror(errno));
	if (n == 0)
		refvalues_die("--image %s: %s is empty", im->arg, im->file);
	im->len = (size_t)n;
	im->span = (im->len + GRANULE - 1) & ~(GRANULE - 1);
	/* Zero-filled to the granule: the padding of the last page is measured as zeros. */
	im->data = calloc(1, im->span);
	if (!im->data)
		refvalues_die("out of memory");
	if (fread(im->data, 1, im->len, f) != im->len)
		refvalues_die("--image %s: cannot read %s", im->arg, im->file);
	fclose(f);
}

static int by_ipa(const void *a, const void *b)
{
	const struct image *x = a, *y = b;

	return x->ipa < y->ipa ? -1 : x->ipa > y->ipa;
}

/* Every check the RMM or the Realm-VM conventions would fail on, each with its own message. */
static void check_layout(void)
{
	uint64_t par = 1UL << (opt.realm.s2sz - 1), ram_top = opt.ram_base + opt.ram_size;

	if (ram_top > par)
		refvalues_die("--ram 0x%" PRIx64 ":0x%" PRIx64
			      ": outside the protected IPA range [0, 0x%" PRIx64 ") of --s2sz %u",
			      opt.ram_base, opt.ram_size, par, opt.realm.s2sz);
	for (unsigned int i = 0; i < opt.nimg; i++) {
		struct image *im = &opt.img[i];

		if (im->ipa & (GRANULE - 1))
			refvalues_die("--image %s: IPA 0x%" PRIx64 " is not 4 KiB aligned", im->arg, im->ipa);
		read_image(im);
		if (im->ipa < opt.ram_base || im->ipa + im->span < im->ipa || im->ipa + im->span > ram_top)
			refvalues_die("--image %s: 0x%" PRIx64 "..0x%" PRIx64 " is outside RAM 0x%" PRIx64
				      "..0x%" PRIx64,
				      im->arg, im->ipa, im->ipa + im->span, opt.ram_base, ram_top);
	}
	qsort(opt.img, opt.nimg, sizeof(opt.img[0]), by_ipa);
	for (unsigned int i = 1; i < opt.nimg; i++) {
		const struct image *a = &opt.img[i - 1], *b = &opt.img[i];

		if (b->ipa < a->ipa + a->span)
			refvalues_die("--image %s overlaps --image %s", b->arg, a->arg);
	}
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void trace(const char *fmt, const uint8_t *m, uint64_t a, uint64_t b)
{
	if (!opt.trace)
		return;
	fprintf(stderr, fmt, a, b);
	fputc(' ', stderr);
	hex(stderr, m, hash_size(opt.realm.hash_algo));
	fputc('\n', stderr);
}

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "refvalues: error: %s failed (%d)\n", what, rc);
		exit(1);
	}
}

static void measure(uint8_t *rim, uint8_t rem[4][MEASURE_SIZE])
{
	static uint8_t scratch[MEASURE_GRANULE_SIZE];
	const struct hash_ops *h = &hash_host_ops;
	enum hash_algo alg = opt.realm.hash_algo;
	int sl = measure_rtt_start_level(opt.realm.s2sz);
	uint64_t top = opt.ram_base + opt.ram_size;

	check(measure_rim_init(h, &opt.realm, scratch, rim), "REALM_CREATE measurement");
	trace("create", rim, 0, 0);
	for (uint64_t base = opt.ram_base; base < top;) {
		uint64_t size = measure_ripas_entry_size(base, top, sl);

		check(measure_rim_ripas(h, alg, rim, base, base + size), "RTT_INIT_RIPAS measurement");
		trace("ripas 0x%" PRIx64 " 0x%" PRIx64, rim, base, base + size);
		base += size;
	}
	for (unsigned int i = 0; i < opt.nimg; i++) {
		const struct image *im = &opt.img[i];

		for (uint64_t off = 0; off < im->span; off += GRANULE) {
			check(measure_rim_data(h, alg, rim, im->ipa + off, MEASURE_DATA_CONTENT,
					       im->data + off),
			      "DATA_CREATE measurement");
			trace("data 0x%" PRIx64, rim, im->ipa + off, 0);
		}
	}
	if (opt.runnable) {
		check(measure_rim_rec(h, alg, rim, &opt.rec, scratch), "REC_CREATE measurement");
		trace("rec", rim, 0, 0);
	}
	memset(rem, 0, 4 * MEASURE_SIZE);
	for (unsigned int i = 0; i < opt.nrem; i++) {
		uint8_t *r = rem[opt.rem[i].slot - 1];

		check(measure_rem_extend(h, alg, r, opt.rem[i].data, opt.rem[i].len), "REM extend");
		trace("rem %" PRIu64, r, opt.rem[i].slot, 0);
	}
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_hex(FILE *f, const uint8_t *p, size_t n)
{
	fputc('"', f);
	hex(f, p, n);
	fputc('"', f);
}

static void write_ref(const uint8_t *rim, uint8_t rem[4][MEASURE_SIZE])
{
	size_t n = hash_size(opt.realm.hash_algo);
	FILE *f = fopen(opt.ref_out, "w");
	const struct measure_realm_params *p = &opt.realm;

	if (!f)
		refvalues_die("--ref-out %s: %s", opt.ref_out, strerror(errno));
	fprintf(f, "{\n  \"format\": \"rampart-reference-values/1\",\n  \"hash-algo\": \"%s\",\n  \"rim\": ",
		p->hash_algo == HASH_SHA256 ? "sha-256" : "sha-512");
	json_hex(f, rim, n);
	fputs(",\n  \"rems\": [", f);
	for (int i = 0; i < 4; i++) {
		fputs(i ? ", " : "", f);
		json_hex(f, rem[i], n);
	}
	fputs("],\n  \"rpv\": ", f);
	json_hex(f, opt.rpv, RPV_SIZE);
	/* Provenance only: what the values were computed from. */
	fprintf(f,
		",\n  \"realm-params\": {\"flags\": %" PRIu64
		", \"s2sz\": %u, \"sve-vl\": %u, \"num-bps\": %u, "
		"\"num-wps\": %u, \"pmu-num-ctrs\": %u},\n",
		p->flags, p->s2sz, p->sve_vl, p->num_bps, p->num_wps, p->pmu_num_ctrs);
	fprintf(f, "  \"ram\": {\"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64 "\"},\n  \"images\": [",
		opt.ram_base, opt.ram_size);
	for (unsigned int i = 0; i < opt.nimg; i++) {
		fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
		json_string(f, opt.img[i].file);
		fprintf(f, ", \"ipa\": \"0x%" PRIx64 "\", \"size\": %zu}", opt.img[i].ipa, opt.img[i].len);
	}
	fprintf(f, "%s],\n  \"rec0\": {\"runnable\": %s, \"pc\": \"0x%" PRIx64 "\", \"gprs\": [",
		opt.nimg ? "\n  " : "", opt.runnable ? "true" : "false", opt.rec.pc);
	for (int i = 0; i < 8; i++)
		fprintf(f, "%s\"0x%" PRIx64 "\"", i ? ", " : "", opt.rec.gprs[i]);
	fputs("]}\n}\n", f);
	if (fclose(f))
		refvalues_die("--ref-out %s: %s", opt.ref_out, strerror(errno));
}

int main(int argc, char **argv)
{
	uint8_t rim[MEASURE_SIZE], rem[4][MEASURE_SIZE];

	if (argc > 1 && !strcmp(argv[1], "platform"))
		return refvalues_platform(argc - 1, argv + 1);
	parse_args(argc, argv);
	check_layout();
	measure(rim, rem);
	hex(stdout, rim, hash_size(opt.realm.hash_algo));
	putchar('\n');
	if (opt.ref_out)
		write_ref(rim, rem);
	return 0;
}
