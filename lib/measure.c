/* Realm measurements, see lib/include/lib/measure.h and reference §3. */
#include <lib/measure.h>
#include <lib/string.h>

/* RmiRealmParams offsets of the measured fields. */
#define RP_FLAGS 0x000
#define RP_S2SZ 0x008
#define RP_SVE_VL 0x010
#define RP_NUM_BPS 0x018
#define RP_NUM_WPS 0x020
#define RP_PMU_NUM_CTRS 0x028
#define RP_HASH_ALGO 0x030

/* RmiRecParams offsets of the measured fields. */
#define REC_FLAGS 0x000
#define REC_PC 0x200
#define REC_GPRS 0x300

/* Descriptor layout: common header, then the type's fields. */
#define DESC_TYPE 0x00
#define DESC_LEN 0x08
#define DESC_RIM 0x10
#define DESC_DATA_IPA 0x50
#define DESC_DATA_FLAGS 0x58
#define DESC_DATA_CONTENT 0x60
#define DESC_REC_PARAMS 0x50
#define DESC_RIPAS_BASE 0x50
#define DESC_RIPAS_TOP 0x58

#define GRANULE_MASK ((uint64_t)MEASURE_GRANULE_SIZE - 1)

/* Byte by byte: the images are little-endian on any host and need no alignment. */
static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned int i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void measure_realm_params_from_rmi(struct measure_realm_params *p, const void *params_4k)
{
	const uint8_t *b = params_4k;

	*p = (struct measure_realm_params){
		.flags = get_le64(b + RP_FLAGS),
		.s2sz = b[RP_S2SZ],
		.sve_vl = b[RP_SVE_VL],
		.num_bps = b[RP_NUM_BPS],
		.num_wps = b[RP_NUM_WPS],
		.pmu_num_ctrs = b[RP_PMU_NUM_CTRS],
		.hash_algo = b[RP_HASH_ALGO],
	};
}

void measure_rec_params_from_rmi(struct measure_rec_params *p, const void *params_4k)
{
	const uint8_t *b = params_4k;

	p->flags = get_le64(b + REC_FLAGS);
	p->pc = get_le64(b + REC_PC);
	for (unsigned int i = 0; i < 8; i++)
		p->gprs[i] = get_le64(b + REC_GPRS + 8 * i);
}

void measure_realm_params_image(uint8_t img[MEASURE_GRANULE_SIZE], const struct measure_realm_params *p)
{
	memset(img, 0, MEASURE_GRANULE_SIZE);
	put_le64(img + RP_FLAGS, p->flags);
	img[RP_S2SZ] = p->s2sz;
	img[RP_SVE_VL] = p->sve_vl;
	img[RP_NUM_BPS] = p->num_bps;
	img[RP_NUM_WPS] = p->num_wps;
	img[RP_PMU_NUM_CTRS] = p->pmu_num_ctrs;
	img[RP_HASH_ALGO] = p->hash_algo;
}

void measure_rec_params_image(uint8_t img[MEASURE_GRANULE_SIZE], const struct measure_rec_params *p)
{
	memset(img, 0, MEASURE_GRANULE_SIZE);
	put_le64(img + REC_FLAGS, p->flags);
	put_le64(img + REC_PC, p->pc);
	for (unsigned int i = 0; i < 8; i++)
		put_le64(img + REC_GPRS + 8 * i, p->gprs[i]);
}

static void desc_header(uint8_t desc[MEASURE_DESC_SIZE], unsigned int type, const uint8_t *rim)
{
	memset(desc, 0, MEASURE_DESC_SIZE);
	desc[DESC_TYPE] = (uint8_t)type;
	put_le64(desc + DESC_LEN, MEASURE_DESC_SIZE);
	memcpy(desc + DESC_RIM, rim, MEASURE_SIZE);
}

void measure_data_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, uint64_t ipa, uint64_t flags,
		       const uint8_t *content_hash)
{
	desc_header(desc, MEASURE_DESC_DATA, rim);
	put_le64(desc + DESC_DATA_IPA, ipa);
	put_le64(desc + DESC_DATA_FLAGS, flags);
	/* Unmeasured content leaves the hash field zero: the IPA alone is measured. */
	if (content_hash)
		memcpy(desc + DESC_DATA_CONTENT, content_hash, MEASURE_SIZE);
}

void measure_rec_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, const uint8_t *params_hash)
{
	desc_header(desc, MEASURE_DESC_REC, rim);
	memcpy(desc + DESC_REC_PARAMS, params_hash, MEASURE_SIZE);
}

void measure_ripas_desc(uint8_t desc[MEASURE_DESC_SIZE], const uint8_t *rim, uint64_t base, uint64_t top)
{
	desc_header(desc, MEASURE_DESC_RIPAS, rim);
	put_le64(desc + DESC_RIPAS_BASE, base);
	put_le64(desc + DESC_RIPAS_TOP, top);
}

/*
 * out[0..MEASURE_SIZE) = H(a || b) zero-extended. out may alias a or b:
 * the digest lands in a local buffer first.
 */
static int digest2(const struct hash_ops *h, enum hash_algo alg, const void *a, size_t alen, const void *b,
		   size_t blen, uint8_t *out)
{
	uint8_t md[HASH_MAX_SIZE];
	struct hash_ctx c;
	size_t n = hash_size(alg);

	if (!n)
		return MEASURE_ERR_ALGO;
	if (h->init(&c, alg) || h->update(&c, a, alen) || (blen && h->update(&c, b, blen)) ||
	    h->final(&c, md))
		return MEASURE_ERR_HASH;
	memset(out, 0, MEASURE_SIZE);
	memcpy(out, md, n);
	return MEASURE_OK;
}

static int digest(const struct hash_ops *h, enum hash_algo alg, const void *data, size_t len, uint8_t *out)
{
	return digest2(h, alg, data, len, NULL, 0, out);
}

int measure_rim_init(const struct hash_ops *h, const struct measure_realm_params *p,
		     uint8_t scratch[MEASURE_GRANULE_SIZE], uint8_t *rim)
{
	enum hash_algo alg = (enum hash_algo)p->hash_algo;

	if (!hash_size(alg))
		return MEASURE_ERR_ALGO;
	measure_realm_params_image(scratch, p);
	return digest(h, alg, scratch, MEASURE_GRANULE_SIZE, rim);
}

int measure_rim_data(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim, uint64_t ipa, uint64_t flags,
		     const void *content)
{
	uint8_t desc[MEASURE_DESC_SIZE], content_hash[MEASURE_SIZE];

	if (!hash_size(alg))
		return MEASURE_ERR_ALGO;
	/* Bit 0 measures the content; the other bits are reserved and only recorded (B4.3.1.4). */
	int measured = (flags & MEASURE_DATA_CONTENT) != 0;

	if (measured && !content)
		return MEASURE_ERR_ARG;
	if (measured) {
		int rc = digest(h, alg, content, MEASURE_GRANULE_SIZE, content_hash);
		if (rc)
			return rc;
	}
	measure_data_desc(desc, rim, ipa, flags, measured ? content_hash : NULL);
	return digest(h, alg, desc, sizeof(desc), rim);
}

int measure_rim_rec(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim,
		    const struct measure_rec_params *p, uint8_t scratch[MEASURE_GRANULE_SIZE])
{
	uint8_t desc[MEASURE_DESC_SIZE], params_hash[MEASURE_SIZE];
	int rc;

	if (!hash_size(alg))
		return MEASURE_ERR_ALGO;
	measure_rec_params_image(scratch, p);
	rc = digest(h, alg, scratch, MEASURE_GRANULE_SIZE, params_hash);
	if (rc)
		return rc;
	measure_rec_desc(desc, rim, params_hash);
	return digest(h, alg, desc, sizeof(desc), rim);
}

int measure_rim_ripas(const struct hash_ops *h, enum hash_algo alg, uint8_t *rim, uint64_t base, uint64_t top)
{
	uint8_t desc[MEASURE_DESC_SIZE];

	if (!hash_size(alg))
		return MEASURE_ERR_ALGO;
	if (base >= top || ((base | top) & GRANULE_MASK))
		return MEASURE_ERR_ARG;
	measure_ripas_desc(desc, rim, base, top);
	return digest(h, alg, desc, sizeof(desc), rim);
}

int measure_rem_extend(const struct hash_ops *h, enum hash_algo alg, uint8_t *rem, const void *data,
		       size_t size)
{
	size_t n = hash_size(alg);

	if (!n)
		return MEASURE_ERR_ALGO;
	if (size > MEASURE_REM_DATA_MAX || (size && !data))
		return MEASURE_ERR_ARG;
	return digest2(h, alg, rem, n, data, size, rem);
}

int measure_rtt_start_level(unsigned int s2sz)
{
	/* 9 bits per level above the 12-bit page offset; up to 16 (4 bits) concatenated start tables. */
	unsigned int bits, levels;

	if (s2sz < 32 || s2sz > 48)
		return -1;
	bits = s2sz - 12;
	levels = (bits + 8) / 9;
	if (bits - 9 * (levels - 1) <= 4)
		levels--;
	return 4 - (int)levels;
}

uint64_t measure_ripas_entry_size(uint64_t base, uint64_t top, int start_level)
{
	if (base >= top || ((base | top) & GRANULE_MASK) || start_level < 0 || start_level > 3)
		return 0;
	for (int level = start_level; level <= 3; level++) {
		uint64_t size = (uint64_t)MEASURE_GRANULE_SIZE << (9 * (3 - level));

		if (!(base & (size - 1)) && top - base >= size)
			return size;
	}
	return 0; /* not reached: level 3 always fits an aligned, non-empty range */
}
