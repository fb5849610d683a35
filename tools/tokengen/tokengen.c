/*
 * tokengen: builds a CCA attestation token on the host with lib/cca_token.c,
 * the encoder the monitor and the RMM use, signed with the host's
 * libmbedcrypto (ES384, RFC 6979). tests/host/test_cca_token.py verifies its
 * output with tools/verify/rampart-verify, so the firmware's encoder is
 * checked against the independent verifier without booting anything.
 *
 *   tokengen --iak HEX --rak HEX --challenge HEX [--hash sha256|sha512]
 *            [--rim HEX] [--rem SLOT:HEX]... [--rpv HEX]
 *            [--platform-challenge HEX] [--cap BYTES] [--platform-out FILE] -o FILE
 *
 * --iak / --rak: the 48-byte P-384 private scalars (hex) of the platform key
 * and the Realm Attestation Key. The platform challenge is SHA-256 of the RAK
 * COSE_Key unless --platform-challenge overrides it (to break the binding).
 * Byte strings shorter than their claim are zero-padded on the right.
 * --cap limits the output buffer (to check the encoder's overflow error).
 * Exit status: 0 written, 1 the encoder failed (its error on stderr), 2 usage.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include <lib/cca_token.h>

#if MBEDTLS_VERSION_NUMBER < 0x03000000 /* Debian 12: 2.28, _ret names */
#define mbedtls_sha256 mbedtls_sha256_ret
#define mbedtls_sha512_starts mbedtls_sha512_starts_ret
#define mbedtls_sha512_update mbedtls_sha512_update_ret
#define mbedtls_sha512_finish mbedtls_sha512_finish_ret
#endif

#define P384 CCA_P384_COORD_SIZE
#define SHA384_MODE 1
#define SHA256_SIZE 32
#define SHA512_SIZE 64
#define TOKEN_MAX 8192
#define PLATFORM_MAX 4096
#define LIFECYCLE_SECURED 0x3000

static void die(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tokengen: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* Hex into out (zero-padded to n bytes); returns the bytes given. */
static size_t hex(const char *what, const char *s, uint8_t *out, size_t n)
{
	size_t len = strlen(s);

	if (len % 2 || len / 2 > n)
		die(2, "%s: expected up to %zu bytes of hex", what, n);
	memset(out, 0, n);
	for (size_t i = 0; i < len / 2; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			die(2, "%s: not hex", what);
		out[i] = (uint8_t)b;
	}
	return len / 2;
}

static int host_rng(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

static int host_sha384(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	mbedtls_sha512_context c;
	uint8_t full[SHA512_SIZE]; /* Mbed TLS 2.28 declares the output as 64 bytes for both modes */
	int rc;

	mbedtls_sha512_init(&c);
	rc = mbedtls_sha512_starts(&c, SHA384_MODE);
	if (!rc)
		rc = mbedtls_sha512_update(&c, a, alen);
	if (!rc)
		rc = mbedtls_sha512_update(&c, b, blen);
	if (!rc)
		rc = mbedtls_sha512_finish(&c, full);
	mbedtls_sha512_free(&c);
	memcpy(out, full, CCA_ES384_HASH_SIZE);
	return rc;
}

/* The signer's context is its private scalar. */
static int host_sign(void *ctx, const uint8_t hash[48], uint8_t sig[96])
{
	mbedtls_ecp_group g;
	mbedtls_mpi d, r, s;
	int rc;

	mbedtls_ecp_group_init(&g);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	rc = mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_SECP384R1);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&d, ctx, P384);
	if (!rc)
		rc = mbedtls_ecdsa_sign_det_ext(&g, &r, &s, &d, hash, CCA_ES384_HASH_SIZE, MBEDTLS_MD_SHA384,
						host_rng, NULL);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&r, sig, P384);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&s, sig + P384, P384);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&g);
	return rc;
}

static void public_key(const uint8_t priv[P384], uint8_t pub[CCA_P384_POINT_SIZE])
{
	mbedtls_ecp_group g;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	size_t olen = 0;
	int rc;

	mbedtls_ecp_group_init(&g);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	rc = mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_SECP384R1);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&d, priv, P384);
	if (!rc)
		rc = mbedtls_ecp_check_privkey(&g, &d);
	if (!rc)
		rc = mbedtls_ecp_mul(&g, &q, &d, &g.G, host_rng, NULL);
	if (!rc)
		rc = mbedtls_ecp_point_write_binary(&g, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub,
						    CCA_P384_POINT_SIZE);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&g);
	if (rc || olen != CCA_P384_POINT_SIZE)
		die(2, "not a valid P-384 private key (mbedtls -0x%x)", (unsigned int)-rc);
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		die(2, "%s: cannot write", path);
}

static struct {
	uint8_t iak[P384], rak[P384], challenge[CCA_REALM_CHALLENGE_SIZE], rpv[CCA_RPV_SIZE];
	uint8_t rim[CCA_MEASUREMENT_MAX], rems[CCA_NUM_REMS][CCA_MEASUREMENT_MAX];
	uint8_t pchallenge[CCA_MEASUREMENT_MAX];
	size_t pchallenge_len;
	int have_iak, have_rak, have_challenge;
	enum hash_algo algo;
	size_t cap;
	const char *out, *platform_out;
} opt = { .algo = HASH_SHA256, .cap = TOKEN_MAX };

static void parse(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die(2, "%s: missing value", a);
		i++;
		if (!strcmp(a, "--iak")) {
			opt.have_iak = hex(a, v, opt.iak, P384) == P384;
		} else if (!strcmp(a, "--rak")) {
			opt.have_rak = hex(a, v, opt.rak, P384) == P384;
		} else if (!strcmp(a, "--challenge")) {
			opt.have_challenge = hex(a, v, opt.challenge, sizeof(opt.challenge)) > 0;
		} else if (!strcmp(a, "--rpv")) {
			hex(a, v, opt.rpv, sizeof(opt.rpv));
		} else if (!strcmp(a, "--rim")) {
			hex(a, v, opt.rim, sizeof(opt.rim));
		} else if (!strcmp(a, "--rem")) {
			char *end;
			unsigned long slot = strtoul(v, &end, 10);

			if (*end != ':' || slot < 1 || slot > CCA_NUM_REMS)
				die(2, "--rem: expected SLOT:HEX with SLOT 1..%u", CCA_NUM_REMS);
			hex(a, end + 1, opt.rems[slot - 1], CCA_MEASUREMENT_MAX);
		} else if (!strcmp(a, "--hash")) {
			if (strcmp(v, "sha256") && strcmp(v, "sha512"))
				die(2, "--hash: sha256 or sha512");
			opt.algo = strcmp(v, "sha256") ? HASH_SHA512 : HASH_SHA256;
		} else if (!strcmp(a, "--platform-challenge")) {
			opt.pchallenge_len = hex(a, v, opt.pchallenge, sizeof(opt.pchallenge));
		} else if (!strcmp(a, "--cap")) {
			opt.cap = strtoul(v, NULL, 0);
			if (opt.cap > TOKEN_MAX)
				die(2, "--cap: at most %d", TOKEN_MAX);
		} else if (!strcmp(a, "--platform-out")) {
			opt.platform_out = v;
		} else if (!strcmp(a, "-o")) {
			opt.out = v;
		} else {
			die(2, "unknown option %s", a);
		}
	}
	if (!opt.have_iak || !opt.have_rak || !opt.have_challenge || !opt.out)
		die(2, "usage: tokengen --iak HEX --rak HEX --challenge HEX [options] -o FILE");
}

int main(int argc, char **argv)
{
	static uint8_t platform[PLATFORM_MAX], token[TOKEN_MAX];
	uint8_t iak_pub[CCA_P384_POINT_SIZE], rak_pub[CCA_P384_POINT_SIZE], cose[CCA_RAK_COSE_KEY_SIZE];
	uint8_t impl[CCA_IMPLEMENTATION_ID_SIZE], inst[CCA_INSTANCE_ID_SIZE], digest[2][SHA256_SIZE];
	static const uint8_t config[] = { 'r', 'a', 'm', 'p' };
	size_t plen = 0, tlen = 0;
	int rc;

	parse(argc, argv);
	public_key(opt.iak, iak_pub);
	public_key(opt.rak, rak_pub);
	if (cca_rak_cose_key(rak_pub, cose) != CCA_OK)
		die(1, "cca_rak_cose_key failed");
	if (!opt.pchallenge_len) {
		mbedtls_sha256(cose, sizeof(cose), opt.pchallenge, 0);
		opt.pchallenge_len = SHA256_SIZE;
	}
	/* As the monitor does: instance id = RAND UEID of SHA-256(IAK public point). */
	inst[0] = CCA_UEID_TYPE_RAND;
	mbedtls_sha256(iak_pub, sizeof(iak_pub), inst + 1, 0);
	for (size_t i = 0; i < sizeof(impl); i++)
		impl[i] = (uint8_t)i;
	/* Stand-ins for the measured-boot digests of two images. */
	mbedtls_sha256((const uint8_t *)"monitor", strlen("monitor"), digest[0], 0);
	mbedtls_sha256((const uint8_t *)"rmm", strlen("rmm"), digest[1], 0);

	const uint8_t zero_signer[SHA256_SIZE] = { 0 };
	const struct cca_sw_component sw[] = {
		{ "BL31", digest[0], SHA256_SIZE, NULL, zero_signer, SHA256_SIZE, CCA_HASH_NAME_SHA256 },
		{ "RMM", digest[1], SHA256_SIZE, "1.0", zero_signer, SHA256_SIZE, CCA_HASH_NAME_SHA256 },
	};
	const struct cca_platform_claims pc = {
		.challenge = opt.pchallenge,
		.challenge_len = opt.pchallenge_len,
		.implementation_id = impl,
		.instance_id = inst,
		.config = config,
		.config_len = sizeof(config),
		.lifecycle = LIFECYCLE_SECURED,
		.sw = sw,
		.nsw = sizeof(sw) / sizeof(sw[0]),
		.verification_service = "https://verifier.example/rampart",
		.hash_algo = CCA_HASH_NAME_SHA256,
	};
	const struct cca_signer iak = { host_sha384, host_sign, opt.iak },
				rak = { host_sha384, host_sign, opt.rak };

	rc = cca_platform_token(&pc, &iak, platform, sizeof(platform), &plen);
	if (rc)
		die(1, "cca_platform_token: %d", rc);
	if (opt.platform_out)
		write_file(opt.platform_out, platform, plen);

	struct cca_realm_claims rc_claims = {
		.challenge = opt.challenge,
		.rpv = opt.rpv,
		.algo = opt.algo,
		.rim = opt.rim,
		.rak = cose,
		.rak_len = sizeof(cose),
	};
	for (unsigned int i = 0; i < CCA_NUM_REMS; i++)
		rc_claims.rems[i] = opt.rems[i];
	rc = cca_token(platform, plen, &rc_claims, &rak, token, opt.cap, &tlen);
	if (rc)
		die(1, "cca_token: %d", rc);
	write_file(opt.out, token, tlen);
	return 0;
}
