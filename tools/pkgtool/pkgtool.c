/*
 * pkgtool: signed packages for the secure-boot banks (docs/secure-boot.md).
 *
 *   pkgtool sign --key KEY.pem --bank a|b --version N --bank-size SIZE -o OUT
 *                [--fw-image-max SIZE] -i role:file:load_addr ...
 *       a bank image: the manifest (lib/include/rampart/manifest.h), signed
 *       with the ECDSA P-384 key, then each image 4 KiB aligned; with
 *       --fw-image-max, an RMM or hypervisor image larger than SIZE is an
 *       error (the partition compiler's flash budget counts on that bound)
 *   pkgtool inspect [--key KEY.pem] [--bank-size SIZE] [--offset OFF] [--counter N] FILE
 *       what a package holds and whether the monitor would boot it: the same
 *       parser and checks as the monitor (lib/manifest.c); exit 0 = it would,
 *       1 = refused (the last line says why), 2 = usage or file error
 *   pkgtool flash -o OUT --size SIZE --at OFF:FILE[:MAX] ...
 *       the flash image: each file at its offset, zero elsewhere (a sparse file)
 *   pkgtool keyheader --key KEY.pem --dev-key DEV.pem --header OUT.h [--signer-id OUT]
 *       the monitor's verification key (public only) as a C header
 *   pkgtool provision --seed SEED.hex --key KEY.pem -o META.bin BANK_A BANK_B
 *       the factory's bank metadata record: bank A confirmed, and each bank's
 *       verification-cache entry (the MAC the monitor would compute with the
 *       device seed), so that the factory image's first boot needs no ECDSA
 *
 * role is rmm, hyp or blob. Errors: one line "pkgtool: error: ..." on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/bootstate.h>

#include "pkgtool.h"

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define SPEC_MAX 1024

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pkgtool: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(EXIT_USAGE);
}

static uint8_t *read_file(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		die("cannot size %s", path);
	rewind(f);
	uint8_t *buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*size = (uint64_t)n;
	return buf;
}

static uint64_t parse_num(const char *s, const char *what)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || end == s || *s == '-')
		die("bad number '%s' for %s", s, what);
	return v;
}

static uint32_t parse_role(const char *name)
{
	for (uint32_t r = MF_ROLE_RMM; r <= MF_ROLE_BLOB; r++) {
		if (!strcmp(name, mf_role_name(r)))
			return r;
	}
	die("unknown image role '%s' (rmm, hyp, blob)", name);
	return 0;
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* ------------------------------------------------------------------ sign */

static int cmd_sign(int argc, char **argv)
{
	const char *key = NULL, *out = NULL, *bank = NULL, *specs[MF_MAX_IMAGES];
	uint64_t version = 0, bank_size = 0, fw_image_max = 0;
	unsigned int n = 0;
	int have_version = 0;

	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--key"))
			key = argv[++i];
		else if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else if (!strcmp(argv[i], "--bank"))
			bank = argv[++i];
		else if (!strcmp(argv[i], "--version")) {
			version = parse_num(argv[++i], "--version");
			have_version = 1;
		} else if (!strcmp(argv[i], "--bank-size"))
			bank_size = parse_num(argv[++i], "--bank-size");
		else if (!strcmp(argv[i], "--fw-image-max"))
			fw_image_max = parse_num(argv[++i], "--fw-image-max");
		else if (!strcmp(argv[i], "-i")) {
			if (n == MF_MAX_IMAGES)
				die("image %u (%s) is one too many: a bank's manifest lists %u images "
				    "(MF_MAX_IMAGES, lib/include/rampart/manifest.h); the RMM and the "
				    "hypervisor take one each, and all flash-loaded guest images travel in "
				    "one "
				    "more, partc's flash-images.bin (docs/partitions.md, \"Images\"): pass "
				    "that instead of single images",
				    n + 1, argv[i + 1], MF_MAX_IMAGES);
			specs[n++] = argv[++i];
		} else
			die("unknown option %s", argv[i]);
	}
	if (!key || !out || !bank || !have_version || !bank_size || !n)
		die("usage: pkgtool sign --key KEY.pem --bank a|b --version N --bank-size SIZE -o OUT "
		    "-i role:file:load_addr ...");
	if (strcmp(bank, "a") && strcmp(bank, "b"))
		die("--bank %s: a or b", bank);
	if (version > UINT32_MAX)
		die("--version %llu: at most %u", (unsigned long long)version, UINT32_MAX);

	struct host_key k;
	if (host_load_key(key, &k) || !k.has_private)
		die("%s: not an ECDSA P-384 private key (PEM)", key);

	struct mf_manifest m;
	uint8_t *data[MF_MAX_IMAGES];
	uint64_t cursor = MF_AREA_SIZE;
	memset(&m, 0, sizeof(m));
	m.h = (struct mf_header){ .magic = MF_MAGIC,
				  .format = MF_FORMAT,
				  .header_size = sizeof(struct mf_header),
				  .signed_size = (uint32_t)MF_SIGNED_SIZE(n),
				  .image_count = n,
				  .security_version = (uint32_t)version,
				  .bank = bank[0] == 'a' ? MF_BANK_A : MF_BANK_B,
				  .sig_alg = MF_SIG_ECDSA_P384_SHA384 };
	memcpy(m.h.signer_id, k.signer_id, sizeof(k.signer_id));
	for (unsigned int i = 0; i < n; i++) {
		char buf[SPEC_MAX];
		if (strlen(specs[i]) >= sizeof(buf))
			die("image spec too long: %s", specs[i]);
		strcpy(buf, specs[i]);
		char *role = strtok(buf, ":"), *file = strtok(NULL, ":"), *addr = strtok(NULL, ":");
		if (!role || !file || !addr || strtok(NULL, ":"))
			die("bad image spec '%s' (want role:file:load_addr)", specs[i]);
		struct mf_image *im = &m.img[i];
		im->role = parse_role(role);
		im->load_addr = parse_num(addr, specs[i]);
		data[i] = read_file(file, &im->size);
		if (!im->size)
			die("%s is empty", file);
		if (fw_image_max && im->role != MF_ROLE_BLOB && im->size > fw_image_max)
			die("%s: the %s image is 0x%llx bytes, more than the 0x%llx a bank keeps for it "
			    "(FW_IMAGE_MAX in the Makefile; partc's flash budget counts on it)",
			    file, role, (unsigned long long)im->size, (unsigned long long)fw_image_max);
		im->offset = cursor;
		cursor = ALIGN_UP(cursor + im->size, MF_IMAGE_ALIGN);
		if (cursor > bank_size)
			die("images do not fit in a bank of 0x%llx bytes (PKG_BANK_SIZE): %s ends at 0x%llx",
			    (unsigned long long)bank_size, file, (unsigned long long)(im->offset + im->size));
		if (host_crypto.sha256(data[i], im->size, im->sha256))
			die("SHA-256 of %s failed", file);
	}
	uint8_t hash[MF_HASH_SIZE];
	if (mf_hash(&m, &host_crypto, hash) != MF_OK || host_sign(&k, hash, m.sig))
		die("signing with %s failed", key);

	uint8_t *img = calloc(1, cursor);
	if (!img)
		die("out of memory");
	memcpy(img, &m.h, sizeof(m.h));
	memcpy(img + sizeof(m.h), m.img, n * sizeof(m.img[0]));
	memcpy(img + m.h.signed_size, m.sig, MF_SIG_SIZE);
	for (unsigned int i = 0; i < n; i++)
		memcpy(img + m.img[i].offset, data[i], m.img[i].size);

	/* What the monitor will check, checked now: a bad tree of images is a build error. */
	struct mf_manifest check;
	struct mf_error err;
	if (mf_parse(img, cursor, bank_size, &check, &err) != MF_OK)
		die("the package would be refused: %s (image %d)", mf_strerror(err.code), err.image);

	FILE *f = fopen(out, "wb");
	if (!f || fwrite(img, 1, cursor, f) != cursor || fclose(f) != 0)
		die("cannot write %s", out);
	return 0;
}

/* ------------------------------------------------------------------ inspect */

static int cmd_inspect(int argc, char **argv)
{
	const char *key = NULL, *file = NULL;
	uint64_t bank_size = 0, offset = 0, counter = 0;
	int have_counter = 0;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-') {
			if (file)
				die("more than one file");
			file = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--key"))
			key = argv[++i];
		else if (!strcmp(argv[i], "--bank-size"))
			bank_size = parse_num(argv[++i], "--bank-size");
		else if (!strcmp(argv[i], "--offset"))
			offset = parse_num(argv[++i], "--offset");
		else if (!strcmp(argv[i], "--counter")) {
			counter = parse_num(argv[++i], "--counter");
			have_counter = 1;
		} else
			die("unknown option %s", argv[i]);
	}
	if (!file)
		die("usage: pkgtool inspect [--key KEY.pem] [--bank-size SIZE] [--offset OFF] [--counter N] "
		    "FILE");

	struct host_key k;
	if (key && host_load_key(key, &k))
		die("%s: not an ECDSA P-384 key (PEM)", key);
	uint64_t size;
	uint8_t *all = read_file(file, &size);
	if (offset > size)
		die("--offset 0x%llx is past the end of %s", (unsigned long long)offset, file);
	uint8_t *bank = all + offset;
	uint64_t avail = size - offset;
	if (!bank_size || bank_size > avail)
		bank_size = bank_size ? bank_size : avail;

	struct mf_manifest m;
	struct mf_error err;
	enum mf_err rc = mf_parse(bank, avail, bank_size, &m, &err);
	if (rc != MF_OK) {
		printf("manifest: refused: %s", mf_strerror(rc));
		if (err.image >= 0)
			printf(" (image %d%s%.0d)", err.image, err.other >= 0 ? " and " : "",
			       err.other >= 0 ? err.other : 0);
		printf("\nresult: refused: %s\n", mf_strerror(rc));
		return EXIT_REFUSED;
	}
	printf("package: bank %c, security version %u, %u images, signer id ", 'A' + m.h.bank,
	       m.h.security_version, m.h.image_count);
	hex(stdout, m.h.signer_id, sizeof(m.h.signer_id));
	printf("\n");

	enum mf_err first = MF_OK;
	for (unsigned int i = 0; i < m.h.image_count; i++) {
		const struct mf_image *im = &m.img[i];
		enum mf_err st = MF_ERR_BOUNDS;
		if (im->offset + im->size <= avail)
			st = mf_verify_image(&m, i, bank + im->offset, &host_crypto);
		printf("image %u: %s %llu bytes at 0x%llx, load 0x%llx, sha256 ", i, mf_role_name(im->role),
		       (unsigned long long)im->size, (unsigned long long)im->offset,
		       (unsigned long long)im->load_addr);
		hex(stdout, im->sha256, sizeof(im->sha256));
		printf(": %s\n", st == MF_OK	       ? "ok"
				 : st == MF_ERR_BOUNDS ? "outside the file"
						       : mf_strerror(st));
		if (first == MF_OK && st != MF_OK)
			first = st;
	}
	uint8_t hash[MF_HASH_SIZE];
	if (mf_hash(&m, &host_crypto, hash) != MF_OK)
		die("SHA-384 failed");
	if (key) {
		enum mf_err st = mf_verify_signature(&m, hash, k.pub, k.signer_id, &host_crypto);
		printf("signature: %s\n", st == MF_OK ? "ok" : mf_strerror(st));
		/* The monitor checks the signature before any image: report it first. */
		if (st != MF_OK)
			first = st;
	} else {
		printf("signature: not checked (no --key)\n");
	}
	if (have_counter) {
		int ok = m.h.security_version >= counter;
		printf("rollback: version %u, counter %llu: %s\n", m.h.security_version,
		       (unsigned long long)counter, ok ? "ok" : "refused");
		if (!ok && first == MF_OK)
			first = MF_ERR_ROLLBACK;
	}
	if (first != MF_OK) {
		printf("result: refused: %s\n", mf_strerror(first));
		return EXIT_REFUSED;
	}
	printf("result: ok\n");
	return 0;
}

/* ------------------------------------------------------------------ flash */

static int cmd_flash(int argc, char **argv)
{
	const char *out = NULL, *specs[16];
	uint64_t size = 0;
	unsigned int n = 0;

	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else if (!strcmp(argv[i], "--size"))
			size = parse_num(argv[++i], "--size");
		else if (!strcmp(argv[i], "--at")) {
			if (n == sizeof(specs) / sizeof(specs[0]))
				die("too many --at");
			specs[n++] = argv[++i];
		} else
			die("unknown option %s", argv[i]);
	}
	if (!out || !size || !n)
		die("usage: pkgtool flash -o OUT --size SIZE --at OFF:FILE[:MAX] ...");
	FILE *f = fopen(out, "wb");
	if (!f)
		die("cannot create %s", out);
	for (unsigned int i = 0; i < n; i++) {
		char buf[SPEC_MAX];
		if (strlen(specs[i]) >= sizeof(buf))
			die("spec too long: %s", specs[i]);
		strcpy(buf, specs[i]);
		char *off_s = strtok(buf, ":"), *file = strtok(NULL, ":"), *max_s = strtok(NULL, ":");
		if (!off_s || !file)
			die("bad --at '%s' (want OFF:FILE[:MAX])", specs[i]);
		uint64_t off = parse_num(off_s, specs[i]), len;
		uint64_t max = max_s ? parse_num(max_s, specs[i]) : size - off;
		uint8_t *data = read_file(file, &len);
		if (off > size || len > max || len > size - off)
			die("%s (0x%llx bytes) does not fit at 0x%llx (room 0x%llx)", file,
			    (unsigned long long)len, (unsigned long long)off, (unsigned long long)max);
		if (fseek(f, (long)off, SEEK_SET) != 0 || fwrite(data, 1, len, f) != len)
			die("cannot write %s", out);
		free(data);
	}
	/* The flash device's exact size (QEMU's pflash wants it), holes and all. */
	if (fseek(f, (long)size - 1, SEEK_SET) != 0 || fputc(0, f) == EOF || fclose(f) != 0)
		die("cannot write %s", out);
	return 0;
}

/* ------------------------------------------------------------------ keyheader */

static void c_array(FILE *f, const char *name, const uint8_t *p, size_t n)
{
	fprintf(f, "static const uint8_t %s[%zu] __attribute__((unused)) = {", name, n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	fprintf(f, "\n};\n");
}

static int cmd_keyheader(int argc, char **argv)
{
	const char *key = NULL, *dev = NULL, *header = NULL, *sid = NULL;

	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--key"))
			key = argv[++i];
		else if (!strcmp(argv[i], "--dev-key"))
			dev = argv[++i];
		else if (!strcmp(argv[i], "--header"))
			header = argv[++i];
		else if (!strcmp(argv[i], "--signer-id"))
			sid = argv[++i];
		else
			die("unknown option %s", argv[i]);
	}
	if (!key || !dev || !header)
		die("usage: pkgtool keyheader --key KEY.pem --dev-key DEV.pem --header OUT.h [--signer-id "
		    "OUT]");
	struct host_key k, d;
	if (host_load_key(key, &k))
		die("%s: not an ECDSA P-384 key (PEM)", key);
	if (host_load_key(dev, &d))
		die("%s: not an ECDSA P-384 key (PEM)", dev);
	FILE *f = fopen(header, "w");
	if (!f)
		die("cannot create %s", header);
	fprintf(f,
		"/*\n * Generated by tools/pkgtool from %s: the public key packages must be\n"
		" * signed with (public, not secret). Included by monitor/secure_boot.c only.\n */\n",
		key);
	fprintf(f, "#ifndef SECBOOT_KEY_H\n#define SECBOOT_KEY_H\n#include <stdint.h>\n\n");
	fprintf(f, "#define SECBOOT_DEV_KEY %d\n\n", !memcmp(k.pub, d.pub, sizeof(k.pub)));
	c_array(f, "secboot_pubkey", k.pub, sizeof(k.pub));
	c_array(f, "secboot_signer_id", k.signer_id, sizeof(k.signer_id));
	fprintf(f, "#endif\n");
	if (fclose(f) != 0)
		die("cannot write %s", header);
	if (sid) {
		FILE *s = fopen(sid, "w");
		if (!s)
			die("cannot create %s", sid);
		hex(s, k.signer_id, sizeof(k.signer_id));
		fprintf(s, "\n");
		if (fclose(s) != 0)
			die("cannot write %s", sid);
	}
	return 0;
}

/* ------------------------------------------------------------------ provision */

/* The device seed file as tools/attestkeys reads it: hex digits, '#' comments, whitespace. */
static size_t read_seed(const char *path, uint8_t *seed, size_t cap)
{
	uint64_t size;
	uint8_t *text = read_file(path, &size);
	size_t n = 0;
	int comment = 0, half = -1;

	for (uint64_t i = 0; i < size; i++) {
		int c = text[i], v;
		if (c == '\n')
			comment = 0;
		if (comment || c == '#') {
			comment = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		v = c >= '0' && c <= '9'   ? c - '0'
		    : c >= 'a' && c <= 'f' ? c - 'a' + 10
		    : c >= 'A' && c <= 'F' ? c - 'A' + 10
					   : -1;
		if (v < 0 || (half < 0 && n == cap))
			die("%s: not a device seed (hex digits, at most %zu bytes)", path, cap);
		if (half < 0) {
			half = v;
		} else {
			seed[n++] = (uint8_t)(half << 4 | v);
			half = -1;
		}
	}
	free(text);
	if (half >= 0 || n < 32)
		die("%s: not a device seed (32 to %zu bytes of hex)", path, cap);
	return n;
}

static int cmd_provision(int argc, char **argv)
{
	const char *seed_file = NULL, *key = NULL, *out = NULL, *banks[MF_NR_BANKS];
	unsigned int nb = 0;
	uint8_t seed[64];

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-') {
			if (nb == MF_NR_BANKS)
				die("more than two banks");
			banks[nb++] = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--seed"))
			seed_file = argv[++i];
		else if (!strcmp(argv[i], "--key"))
			key = argv[++i];
		else if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else
			die("unknown option %s", argv[i]);
	}
	if (!seed_file || !key || !out || nb != MF_NR_BANKS)
		die("usage: pkgtool provision --seed SEED.hex --key KEY.pem -o META.bin BANK_A BANK_B");
	size_t seed_len = read_seed(seed_file, seed, sizeof(seed));
	struct host_key k;
	if (host_load_key(key, &k))
		die("%s: not an ECDSA P-384 key (PEM)", key);
	struct bs_meta meta;
	bs_meta_default(&meta);
	for (unsigned int b = 0; b < MF_NR_BANKS; b++) {
		uint64_t size;
		uint8_t *data = read_file(banks[b], &size), hash[MF_HASH_SIZE];
		struct mf_manifest m;
		struct mf_error err;
		if (mf_parse(data, size, size, &m, &err) != MF_OK || m.h.bank != b)
			die("%s: not a package for bank %c", banks[b], 'A' + b);
		if (mf_hash(&m, &host_crypto, hash) != MF_OK ||
		    mf_verify_signature(&m, hash, k.pub, k.signer_id, &host_crypto) != MF_OK)
			die("%s: its signature does not verify with %s", banks[b], key);
		memcpy(meta.cache[b].manifest_hash, hash, sizeof(hash));
		if (host_cache_mac(seed, seed_len, b, hash, m.sig, k.signer_id, meta.cache[b].mac))
			die("HMAC-SHA-384 failed");
		free(data);
	}
	bs_meta_seal(&meta, 1);
	FILE *f = fopen(out, "wb");
	if (!f || fwrite(&meta, 1, sizeof(meta), f) != sizeof(meta) || fclose(f) != 0)
		die("cannot write %s", out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "provision"))
		return cmd_provision(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "sign"))
		return cmd_sign(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "inspect"))
		return cmd_inspect(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "flash"))
		return cmd_flash(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "keyheader"))
		return cmd_keyheader(argc - 2, argv + 2);
	die("usage: pkgtool sign|inspect|flash|keyheader|provision ... (see tools/pkgtool/pkgtool.c)");
	return EXIT_USAGE;
}
