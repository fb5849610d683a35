/*
 * The signed package manifest (lib/include/rampart/manifest.h,
 * docs/secure-boot.md): parsing, structural checks, the signature and the
 * image digests. One implementation for the monitor (EL3, freestanding),
 * tools/pkgtool (host) and the unit and fuzz tests, so that what the host
 * tool says about a package is what the monitor will decide.
 *
 * Nothing here trusts the input: the manifest is copied out first and
 * every count, offset and size is checked before it is used, with 64-bit
 * arithmetic that cannot wrap. No allocation, no recursion.
 */
#include <lib/string.h>
#include <rampart/manifest.h>

static const char *const errors[MF_ERR_NR] = {
	[MF_OK] = "ok",
	[MF_ERR_TRUNCATED] = "manifest truncated",
	[MF_ERR_MAGIC] = "no manifest (bad magic)",
	[MF_ERR_FORMAT] = "unknown manifest format",
	[MF_ERR_HEADER_SIZE] = "bad header size",
	[MF_ERR_COUNT] = "image count out of range",
	[MF_ERR_SIGNED_SIZE] = "signed size does not match the image count",
	[MF_ERR_SIG_ALG] = "unknown signature algorithm",
	[MF_ERR_BANK] = "bad bank id",
	[MF_ERR_RESERVED] = "reserved field not zero",
	[MF_ERR_ROLE] = "unknown image role",
	[MF_ERR_EMPTY] = "empty image",
	[MF_ERR_OFFSET] = "image offset not aligned or inside the manifest area",
	[MF_ERR_BOUNDS] = "image outside the bank or its load range wraps",
	[MF_ERR_OVERLAP] = "images overlap in the bank",
	[MF_ERR_LOAD_OVERLAP] = "images overlap at their load addresses",
	[MF_ERR_DUPLICATE] = "more than one image of a role that must be unique",
	[MF_ERR_NO_RMM] = "no RMM image",
	[MF_ERR_WRONG_BANK] = "signed for the other bank",
	[MF_ERR_SIGNER] = "signed by another key (signer id)",
	[MF_ERR_SIGNATURE] = "bad signature",
	[MF_ERR_DIGEST] = "digest mismatch",
	[MF_ERR_ROLLBACK] = "security version below the NV counter (rollback)",
	[MF_ERR_LOAD] = "load address or size not allowed by the platform",
	[MF_ERR_CRYPTO] = "crypto error",
};

const char *mf_strerror(enum mf_err e)
{
	if ((unsigned int)e >= MF_ERR_NR)
		return "unknown error";
	return errors[e];
}

const char *mf_role_name(uint32_t role)
{
	switch (role) {
	case MF_ROLE_RMM:
		return "rmm";
	case MF_ROLE_HYP:
		return "hyp";
	case MF_ROLE_BLOB:
		return "blob";
	}
	return "unknown";
}

static enum mf_err fail(struct mf_error *err, enum mf_err code, int image, int other)
{
	err->code = code;
	err->image = image;
	err->other = other;
	return code;
}

/* [a, a + as) and [b, b + bs) intersect; both sizes > 0 and neither range wraps. */
static int ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static enum mf_err check_header(const struct mf_header *h, size_t len, struct mf_error *err)
{
	if (h->magic != MF_MAGIC)
		return fail(err, MF_ERR_MAGIC, -1, -1);
	if (h->format != MF_FORMAT)
		return fail(err, MF_ERR_FORMAT, -1, -1);
	if (h->header_size != sizeof(struct mf_header))
		return fail(err, MF_ERR_HEADER_SIZE, -1, -1);
	if (h->image_count == 0 || h->image_count > MF_MAX_IMAGES)
		return fail(err, MF_ERR_COUNT, -1, -1);
	if (h->signed_size != MF_SIGNED_SIZE(h->image_count))
		return fail(err, MF_ERR_SIGNED_SIZE, -1, -1);
	/* signed_size is now at most MF_SIGNED_SIZE(MF_MAX_IMAGES): no overflow below. */
	if (len < (size_t)h->signed_size + MF_SIG_SIZE)
		return fail(err, MF_ERR_TRUNCATED, -1, -1);
	if (h->sig_alg != MF_SIG_ECDSA_P384_SHA384)
		return fail(err, MF_ERR_SIG_ALG, -1, -1);
	if (h->bank >= MF_NR_BANKS)
		return fail(err, MF_ERR_BANK, -1, -1);
	if (h->reserved)
		return fail(err, MF_ERR_RESERVED, -1, -1);
	return MF_OK;
}

static enum mf_err check_image(const struct mf_image *im, int i, uint64_t bank_size, struct mf_error *err)
{
	if (im->role != MF_ROLE_RMM && im->role != MF_ROLE_HYP && im->role != MF_ROLE_BLOB)
		return fail(err, MF_ERR_ROLE, i, -1);
	if (im->reserved)
		return fail(err, MF_ERR_RESERVED, i, -1);
	if (im->size == 0)
		return fail(err, MF_ERR_EMPTY, i, -1);
	if (im->offset % MF_IMAGE_ALIGN || im->offset < MF_AREA_SIZE)
		return fail(err, MF_ERR_OFFSET, i, -1);
	if (im->offset > bank_size || im->size > bank_size - im->offset ||
	    im->load_addr + im->size < im->load_addr)
		return fail(err, MF_ERR_BOUNDS, i, -1);
	return MF_OK;
}

/* Pairs: flash ranges, load ranges, unique roles (n <= MF_MAX_IMAGES, so n^2 is nothing). */
static enum mf_err check_pairs(const struct mf_manifest *m, struct mf_error *err)
{
	unsigned int n = m->h.image_count, rmm = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct mf_image *a = &m->img[i];
		rmm += a->role == MF_ROLE_RMM;
		for (unsigned int j = 0; j < i; j++) {
			const struct mf_image *b = &m->img[j];
			if (ranges_overlap(a->offset, a->size, b->offset, b->size))
				return fail(err, MF_ERR_OVERLAP, (int)i, (int)j);
			if (ranges_overlap(a->load_addr, a->size, b->load_addr, b->size))
				return fail(err, MF_ERR_LOAD_OVERLAP, (int)i, (int)j);
			if (a->role == b->role && a->role != MF_ROLE_BLOB)
				return fail(err, MF_ERR_DUPLICATE, (int)i, (int)j);
		}
	}
	if (!rmm)
		return fail(err, MF_ERR_NO_RMM, -1, -1);
	return MF_OK;
}

enum mf_err mf_parse(const void *buf, size_t len, uint64_t bank_size, struct mf_manifest *m,
		     struct mf_error *err)
{
	enum mf_err rc;

	memset(m, 0, sizeof(*m));
	fail(err, MF_OK, -1, -1);
	if (len > MF_AREA_SIZE)
		len = MF_AREA_SIZE;
	if (len < sizeof(m->h))
		return fail(err, MF_ERR_TRUNCATED, -1, -1);
	memcpy(&m->h, buf, sizeof(m->h));
	rc = check_header(&m->h, len, err);
	if (rc != MF_OK)
		goto refuse;
	memcpy(m->img, (const uint8_t *)buf + sizeof(m->h), m->h.image_count * sizeof(m->img[0]));
	memcpy(m->sig, (const uint8_t *)buf + m->h.signed_size, sizeof(m->sig));
	for (unsigned int i = 0; i < m->h.image_count; i++) {
		rc = check_image(&m->img[i], (int)i, bank_size, err);
		if (rc != MF_OK)
			goto refuse;
	}
	rc = check_pairs(m, err);
	if (rc == MF_OK)
		return MF_OK;
refuse:
	/* A refused manifest must not be used by mistake: leave nothing half-checked behind. */
	memset(m, 0, sizeof(*m));
	return rc;
}

enum mf_err mf_hash(const struct mf_manifest *m, const struct mf_crypto *c, uint8_t out[MF_HASH_SIZE])
{
	uint8_t signed_bytes[MF_SIGNED_SIZE(MF_MAX_IMAGES)];
	unsigned int n = m->h.image_count;

	if (n == 0 || n > MF_MAX_IMAGES)
		return MF_ERR_COUNT;
	/* The same bytes as in flash: little-endian, no padding (the layout asserts). */
	memcpy(signed_bytes, &m->h, sizeof(m->h));
	memcpy(signed_bytes + sizeof(m->h), m->img, n * sizeof(m->img[0]));
	return c->sha384(signed_bytes, MF_SIGNED_SIZE(n), out) ? MF_ERR_CRYPTO : MF_OK;
}

/* Digest comparison in constant time: a timing side channel must not reveal how much matched. */
static int digest_differs(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff != 0;
}

enum mf_err mf_verify_signature(const struct mf_manifest *m, const uint8_t hash[MF_HASH_SIZE],
				const uint8_t pub[MF_PUBKEY_SIZE], const uint8_t signer_id[MF_SIGNER_ID_SIZE],
				const struct mf_crypto *c)
{
	if (digest_differs(m->h.signer_id, signer_id, MF_SIGNER_ID_SIZE))
		return MF_ERR_SIGNER;
	int rc = c->verify(pub, hash, m->sig);
	if (rc < 0)
		return MF_ERR_CRYPTO;
	return rc ? MF_ERR_SIGNATURE : MF_OK;
}

enum mf_err mf_verify_image(const struct mf_manifest *m, unsigned int i, const void *data,
			    const struct mf_crypto *c)
{
	uint8_t digest[MF_DIGEST_SIZE];

	if (i >= m->h.image_count)
		return MF_ERR_COUNT;
	if (c->sha256(data, m->img[i].size, digest))
		return MF_ERR_CRYPTO;
	return digest_differs(digest, m->img[i].sha256, sizeof(digest)) ? MF_ERR_DIGEST : MF_OK;
}
