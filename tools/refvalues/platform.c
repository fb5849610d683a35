/*
 * refvalues platform: the reference values of a signed flash package's
 * software components, as the monitor reports them in the platform token
 * (docs/secure-boot.md, "Attestation"; docs/attestation.md). For each image
 * of the package, in the order the monitor loads and records them: the
 * component type (RMM, HYP, BLOB<n>), the SHA-256 of the image, the signer
 * id (SHA-256 of the signing public key) and the security version.
 *
 * The signer id and the version are what the release is expected to carry
 * (the product's key, CONFIG_SECBOOT_SECURITY_VERSION), not what the
 * package says: the package is parsed and checked with lib/manifest.c, the
 * monitor's own code, and a package that key did not sign, with another
 * version, or with an image that does not match its digest is an error.
 * Reference values are then never derived from a package the device would
 * refuse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/manifest.h>
#include "../pkgtool/pkgtool.h"
#include "platform.h"

#define TYPE_MAX 16 /* "BLOB<n>", as monitor/measured_boot.h's MB_TYPE_MAX */
#define VERSION_MAX 0xffffffffULL

static void usage(FILE *f)
{
	fputs("usage: refvalues platform --package BANK.bin --signing-key KEY.pem --security-version N\n"
	      "                          [--ref-out FILE]\n",
	      f);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	uint8_t *buf;

	if (!f)
		refvalues_die("--package %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		refvalues_die("--package %s: cannot size it", path);
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		refvalues_die("--package %s: cannot read it", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* The monitor's names (monitor/secure_boot.c, load()): blobs are numbered in manifest order. */
static void component_types(const struct mf_manifest *m, char types[MF_MAX_IMAGES][TYPE_MAX])
{
	unsigned int blobs = 0;

	for (unsigned int i = 0; i < m->h.image_count; i++) {
		if (m->img[i].role == MF_ROLE_RMM)
			snprintf(types[i], TYPE_MAX, "RMM");
		else if (m->img[i].role == MF_ROLE_HYP)
			snprintf(types[i], TYPE_MAX, "HYP");
		else
			snprintf(types[i], TYPE_MAX, "BLOB%u", blobs++);
	}
}

static void write_ref(const char *path, const char *package, const struct mf_manifest *m,
		      char types[MF_MAX_IMAGES][TYPE_MAX], const uint8_t signer_id[MF_SIGNER_ID_SIZE])
{
	FILE *f = fopen(path, "w");

	if (!f)
		refvalues_die("--ref-out %s: %s", path, strerror(errno));
	/* No file name needs escaping for JSON unless it holds quotes or controls: refuse those. */
	for (const char *c = package; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			refvalues_die("--package %s: the name cannot be written into JSON as it is", package);
	fputs("{\n  \"format\": \"rampart-platform-reference-values/1\",\n", f);
	fprintf(f, "  \"package\": \"%s\",\n  \"software-components\": [", package);
	for (unsigned int i = 0; i < m->h.image_count; i++) {
		fprintf(f, "%s\n    {\"type\": \"%s\", \"measurement\": \"", i ? "," : "", types[i]);
		put_hex(f, m->img[i].sha256, MF_DIGEST_SIZE);
		fputs("\", \"signer-id\": \"", f);
		put_hex(f, signer_id, MF_SIGNER_ID_SIZE);
		fprintf(f, "\", \"version\": \"%u\", \"hash-algo\": \"sha-256\"}", m->h.security_version);
	}
	fputs("\n  ]\n}\n", f);
	if (fclose(f))
		refvalues_die("--ref-out %s: %s", path, strerror(errno));
}

int refvalues_platform(int argc, char **argv)
{
	const char *package = NULL, *key_path = NULL, *ref_out = NULL, *version_arg = NULL;
	unsigned long long version = 0;
	struct host_key key;
	struct mf_manifest m;
	struct mf_error err;
	uint8_t hash[MF_HASH_SIZE];
	char types[MF_MAX_IMAGES][TYPE_MAX];
	enum mf_err rc;
	size_t len;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!v)
			refvalues_die("%s needs a value", a);
		if (!strcmp(a, "--package"))
			package = v;
		else if (!strcmp(a, "--signing-key"))
			key_path = v;
		else if (!strcmp(a, "--security-version"))
			version_arg = v;
		else if (!strcmp(a, "--ref-out"))
			ref_out = v;
		else
			refvalues_die("unknown option %s", a);
		i++;
	}
	if (!package)
		refvalues_die("missing --package");
	if (!key_path)
		refvalues_die("missing --signing-key");
	if (!version_arg)
		refvalues_die("missing --security-version");
	char *end;
	errno = 0;
	version = strtoull(version_arg, &end, 0);
	if (!*version_arg || *end || errno || *version_arg == '-' || version > VERSION_MAX)
		refvalues_die("--security-version %s: not a 32-bit number", version_arg);
	if (host_load_key(key_path, &key))
		refvalues_die("--signing-key %s: not an ECDSA P-384 key (PEM, private or public)", key_path);

	uint8_t *buf = slurp(package, &len);
	/* The file is the bank as pkgtool sign wrote it: every image must lie inside it. */
	rc = mf_parse(buf, len, len, &m, &err);
	if (rc == MF_OK)
		rc = mf_hash(&m, &host_crypto, hash);
	if (rc == MF_OK)
		rc = mf_verify_signature(&m, hash, key.pub, key.signer_id, &host_crypto);
	if (rc == MF_ERR_SIGNER)
		refvalues_die("--package %s: not signed with --signing-key %s (another signer id)", package,
			      key_path);
	if (rc != MF_OK)
		refvalues_die("--package %s: %s", package, mf_strerror(rc));
	if (m.h.security_version != version)
		refvalues_die("--package %s: security version %u, not --security-version %llu", package,
			      m.h.security_version, version);
	component_types(&m, types);
	for (unsigned int i = 0; i < m.h.image_count; i++) {
		rc = mf_verify_image(&m, i, buf + m.img[i].offset, &host_crypto);
		if (rc != MF_OK)
			refvalues_die("--package %s: image %u (%s): %s", package, i, types[i],
				      mf_strerror(rc));
	}
	for (unsigned int i = 0; i < m.h.image_count; i++) {
		printf("%s sha256=", types[i]);
		put_hex(stdout, m.img[i].sha256, MF_DIGEST_SIZE);
		printf(" signer-id=");
		put_hex(stdout, key.signer_id, MF_SIGNER_ID_SIZE);
		printf(" version=%u\n", m.h.security_version);
	}
	if (ref_out)
		write_ref(ref_out, package, &m, types, key.signer_id);
	free(buf);
	return 0;
}
