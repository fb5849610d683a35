/* CCA attestation tokens, see lib/include/lib/cca_token.h for the contract. */
#include <lib/cca_token.h>
#include <lib/string.h>

/* COSE (RFC 9052/9053) labels and values. */
#define COSE_HDR_ALG 1
#define COSE_ALG_ES384 (-35)
#define COSE_KEY_KTY 1
#define COSE_KEY_CRV (-1)
#define COSE_KEY_X (-2)
#define COSE_KEY_Y (-3)
#define COSE_KTY_EC2 2
#define COSE_CRV_P384 2
#define COSE_SIGN1_ITEMS 4
#define COSE_SIG_CONTEXT "Signature1"
#define COSE_KEY_PAIRS 4
#define COSE_PROTECTED_PAIRS 1

/* The protected header {1: -35} is 4 bytes; the Sig_structure head before the payload is 18. */
#define PROTECTED_MAX 8
#define SIG_HEAD_MAX 32

/* 10, 44235, 44237, 44236, 44240, 265, 44238, 44239: TF-RMM's order. */
#define REALM_CLAIMS 8
/* Profile, challenge, implementation id, instance id, config, lifecycle, hash algorithm, components. */
#define PLATFORM_CLAIMS_MIN 8
/* A software component always has its measurement value and signer id. */
#define SW_REQUIRED_PAIRS 2
/* The collection holds the platform and the realm token. */
#define COLLECTION_ENTRIES 2
/* Digest sizes a measurement, challenge or signer id may have: SHA-256, SHA-384, SHA-512. */
#define DIGEST_SIZE_SHA256 32
#define DIGEST_SIZE_SHA384 48
#define DIGEST_SIZE_SHA512 64

static int map_cbor(int rc)
{
	switch (rc) {
	case CBOR_OK:
		return CCA_OK;
	case CBOR_ERR_OVERFLOW:
		return CCA_ERR_SPACE;
	}
	return CCA_ERR_ENCODE;
}

/* Ends an encoding: its length on success, else the whole buffer zeroed (no partial token). */
static int finish(struct cbor_enc *e, int rc, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	if (rc == CCA_OK)
		rc = map_cbor(cbor_finish(e, &n));
	if (rc != CCA_OK) {
		if (buf)
			memset(buf, 0, cap);
		n = 0;
	}
	if (len)
		*len = n;
	return rc;
}

int cca_rak_cose_key(const uint8_t pub[CCA_P384_POINT_SIZE], uint8_t out[CCA_RAK_COSE_KEY_SIZE])
{
	struct cbor_enc e;
	size_t n = 0;

	if (!pub || !out || pub[0] != CCA_SEC1_UNCOMPRESSED)
		return CCA_ERR_ARG;
	cbor_init(&e, out, CCA_RAK_COSE_KEY_SIZE);
	cbor_open_map(&e, COSE_KEY_PAIRS);
	cbor_put_uint(&e, COSE_KEY_KTY);
	cbor_put_uint(&e, COSE_KTY_EC2);
	cbor_put_int(&e, COSE_KEY_CRV);
	cbor_put_uint(&e, COSE_CRV_P384);
	cbor_put_int(&e, COSE_KEY_X);
	cbor_put_bstr(&e, pub + 1, CCA_P384_COORD_SIZE);
	cbor_put_int(&e, COSE_KEY_Y);
	cbor_put_bstr(&e, pub + 1 + CCA_P384_COORD_SIZE, CCA_P384_COORD_SIZE);
	cbor_close(&e);
	/* The size is fixed by the layout: anything else is an encoder bug, not a short buffer. */
	if (cbor_finish(&e, &n) != CBOR_OK || n != CCA_RAK_COSE_KEY_SIZE) {
		memset(out, 0, CCA_RAK_COSE_KEY_SIZE);
		return CCA_ERR_ENCODE;
	}
	return CCA_OK;
}

/* The serialized protected header {1: -35}: its bytes go into the token and the Sig_structure. */
static size_t es384_protected(uint8_t out[PROTECTED_MAX])
{
	struct cbor_enc e;
	size_t n = 0;

	cbor_init(&e, out, PROTECTED_MAX);
	cbor_open_map(&e, COSE_PROTECTED_PAIRS);
	cbor_put_uint(&e, COSE_HDR_ALG);
	cbor_put_int(&e, COSE_ALG_ES384);
	cbor_close(&e);
	return cbor_finish(&e, &n) == CBOR_OK ? n : 0;
}

int cca_sign1_begin(struct cbor_enc *e, size_t *payload_at)
{
	uint8_t prot[PROTECTED_MAX];
	size_t plen = es384_protected(prot);

	if (!plen)
		return CCA_ERR_ENCODE;
	cbor_put_tag(e, CCA_TAG_SIGN1);
	cbor_open_array(e, COSE_SIGN1_ITEMS);
	cbor_put_bstr(e, prot, plen);
	cbor_open_map(e, 0);
	cbor_close(e);
	*payload_at = e->len;
	return map_cbor(cbor_wrap_begin(e));
}

static int signer_valid(const struct cca_signer *s)
{
	return s && s->sha384 && s->sign;
}

int cca_sign1_end(struct cbor_enc *e, size_t payload_at, const struct cca_signer *s)
{
	uint8_t prot[PROTECTED_MAX], head[SIG_HEAD_MAX], hash[CCA_ES384_HASH_SIZE], sig[CCA_ES384_SIG_SIZE];
	size_t plen = es384_protected(prot), hlen = 0;
	struct cbor_enc h;
	int rc = cbor_wrap_end(e);

	if (rc)
		return map_cbor(rc);
	if (!plen || payload_at > e->len)
		return CCA_ERR_ENCODE;
	/* Sig_structure = ["Signature1", protected, external_aad h'', payload]: the payload bstr is in e. */
	cbor_init(&h, head, sizeof(head));
	cbor_open_array(&h, COSE_SIGN1_ITEMS);
	cbor_put_text(&h, COSE_SIG_CONTEXT);
	cbor_put_bstr(&h, prot, plen);
	cbor_put_bstr(&h, NULL, 0);
	/* The array's fourth item is the payload bstr that follows the head; do not close it here. */
	if (h.err)
		return CCA_ERR_ENCODE;
	if (!signer_valid(s))
		return CCA_ERR_ARG;
	hlen = h.len;
	if (s->sha384(head, hlen, e->buf + payload_at, e->len - payload_at, hash) ||
	    s->sign(s->ctx, hash, sig)) {
		memset(sig, 0, sizeof(sig));
		return CCA_ERR_SIGN;
	}
	cbor_put_bstr(e, sig, sizeof(sig));
	cbor_close(e);
	return map_cbor(e->err);
}

/* ------------------------------------------------------------------ realm token */

static int valid_measurement(const uint8_t *p, size_t n)
{
	return p && (n == DIGEST_SIZE_SHA256 || n == DIGEST_SIZE_SHA384 || n == DIGEST_SIZE_SHA512);
}

static int realm_claims_valid(const struct cca_realm_claims *c)
{
	size_t n;

	if (!c || !c->challenge || !c->rpv || !c->rak || !c->rak_len)
		return 0;
	n = hash_size(c->algo);
	if (!valid_measurement(c->rim, n))
		return 0;
	for (unsigned int i = 0; i < CCA_NUM_REMS; i++) {
		if (!c->rems[i])
			return 0;
	}
	return 1;
}

static const char *hash_name(enum hash_algo a)
{
	return a == HASH_SHA512 ? CCA_HASH_NAME_SHA512 : CCA_HASH_NAME_SHA256;
}

/* The realm claims map, in TF-RMM's order. */
static void realm_claims(struct cbor_enc *e, const struct cca_realm_claims *c)
{
	size_t n = hash_size(c->algo);

	cbor_open_map(e, REALM_CLAIMS);
	cbor_put_uint(e, CCA_REALM_CHALLENGE);
	cbor_put_bstr(e, c->challenge, CCA_REALM_CHALLENGE_SIZE);
	cbor_put_uint(e, CCA_REALM_PERSONALIZATION);
	cbor_put_bstr(e, c->rpv, CCA_RPV_SIZE);
	cbor_put_uint(e, CCA_REALM_PUB_KEY);
	cbor_put_bstr(e, c->rak, c->rak_len);
	cbor_put_uint(e, CCA_REALM_HASH_ALGO);
	cbor_put_text(e, hash_name(c->algo));
	/* The binding hash (§4.4): the RMM hashes the COSE_Key with SHA-256, as TF-RMM does. */
	cbor_put_uint(e, CCA_REALM_PUB_KEY_HASH_ALGO);
	cbor_put_text(e, CCA_HASH_NAME_SHA256);
	cbor_put_uint(e, CCA_REALM_PROFILE);
	cbor_put_text(e, CCA_REALM_PROFILE_NAME);
	cbor_put_uint(e, CCA_REALM_RIM);
	cbor_put_bstr(e, c->rim, n);
	cbor_put_uint(e, CCA_REALM_REMS);
	cbor_open_array(e, CCA_NUM_REMS);
	for (unsigned int i = 0; i < CCA_NUM_REMS; i++)
		cbor_put_bstr(e, c->rems[i], n);
	cbor_close(e);
	cbor_close(e);
}

static int realm_sign1(struct cbor_enc *e, const struct cca_realm_claims *c, const struct cca_signer *s)
{
	size_t at = 0;
	int rc = cca_sign1_begin(e, &at);

	if (rc)
		return rc;
	realm_claims(e, c);
	return cca_sign1_end(e, at, s);
}

int cca_realm_token(const struct cca_realm_claims *c, const struct cca_signer *s, uint8_t *buf, size_t cap,
		    size_t *len)
{
	struct cbor_enc e;
	int rc = CCA_ERR_ARG;

	cbor_init(&e, buf, cap);
	if (realm_claims_valid(c) && signer_valid(s))
		rc = realm_sign1(&e, c, s);
	return finish(&e, rc, buf, cap, len);
}

int cca_token(const uint8_t *platform_token, size_t platform_len, const struct cca_realm_claims *c,
	      const struct cca_signer *s, uint8_t *buf, size_t cap, size_t *len)
{
	struct cbor_enc e;
	int rc = CCA_ERR_ARG;

	cbor_init(&e, buf, cap);
	if (platform_token && platform_len && realm_claims_valid(c) && signer_valid(s)) {
		cbor_put_tag(&e, CCA_TAG_COLLECTION);
		cbor_open_map(&e, COLLECTION_ENTRIES);
		cbor_put_uint(&e, CCA_KEY_PLATFORM_TOKEN);
		cbor_put_bstr(&e, platform_token, platform_len);
		cbor_put_uint(&e, CCA_KEY_REALM_TOKEN);
		cbor_wrap_begin(&e);
		rc = realm_sign1(&e, c, s);
		cbor_wrap_end(&e);
		cbor_close(&e);
		if (rc == CCA_OK)
			rc = map_cbor(e.err);
	}
	return finish(&e, rc, buf, cap, len);
}

/* ------------------------------------------------------------------ platform token */

static int platform_claims_valid(const struct cca_platform_claims *c)
{
	if (!c || !valid_measurement(c->challenge, c->challenge_len) || !c->implementation_id ||
	    !c->instance_id || c->instance_id[0] != CCA_UEID_TYPE_RAND || (!c->config && c->config_len) ||
	    !c->hash_algo || !c->sw || !c->nsw)
		return 0;
	for (unsigned int i = 0; i < c->nsw; i++) {
		const struct cca_sw_component *sw = &c->sw[i];

		if (!valid_measurement(sw->value, sw->value_len) ||
		    !valid_measurement(sw->signer_id, sw->signer_id_len))
			return 0;
	}
	return 1;
}

static void sw_component(struct cbor_enc *e, const struct cca_sw_component *sw)
{
	unsigned int pairs =
		SW_REQUIRED_PAIRS + (sw->type != NULL) + (sw->version != NULL) + (sw->hash_algo != NULL);

	cbor_open_map(e, pairs);
	if (sw->type) {
		cbor_put_uint(e, CCA_SW_TYPE);
		cbor_put_text(e, sw->type);
	}
	cbor_put_uint(e, CCA_SW_VALUE);
	cbor_put_bstr(e, sw->value, sw->value_len);
	if (sw->version) {
		cbor_put_uint(e, CCA_SW_VERSION);
		cbor_put_text(e, sw->version);
	}
	cbor_put_uint(e, CCA_SW_SIGNER_ID);
	cbor_put_bstr(e, sw->signer_id, sw->signer_id_len);
	if (sw->hash_algo) {
		cbor_put_uint(e, CCA_SW_HASH_ALGO);
		cbor_put_text(e, sw->hash_algo);
	}
	cbor_close(e);
}

/* The platform claims map, in the order of TF-A's QEMU sample token. */
static void platform_claims(struct cbor_enc *e, const struct cca_platform_claims *c)
{
	int vsi = c->verification_service && c->verification_service[0];

	cbor_open_map(e, PLATFORM_CLAIMS_MIN + (vsi ? 1 : 0));
	cbor_put_uint(e, CCA_PLAT_PROFILE);
	cbor_put_text(e, CCA_PLATFORM_PROFILE_NAME);
	cbor_put_uint(e, CCA_PLAT_CHALLENGE);
	cbor_put_bstr(e, c->challenge, c->challenge_len);
	cbor_put_uint(e, CCA_PLAT_IMPLEMENTATION_ID);
	cbor_put_bstr(e, c->implementation_id, CCA_IMPLEMENTATION_ID_SIZE);
	cbor_put_uint(e, CCA_PLAT_INSTANCE_ID);
	cbor_put_bstr(e, c->instance_id, CCA_INSTANCE_ID_SIZE);
	cbor_put_uint(e, CCA_PLAT_CONFIG);
	cbor_put_bstr(e, c->config, c->config_len);
	cbor_put_uint(e, CCA_PLAT_LIFECYCLE);
	cbor_put_uint(e, c->lifecycle);
	cbor_put_uint(e, CCA_PLAT_HASH_ALGO);
	cbor_put_text(e, c->hash_algo);
	if (vsi) {
		cbor_put_uint(e, CCA_PLAT_VERIFICATION_SERVICE);
		cbor_put_text(e, c->verification_service);
	}
	cbor_put_uint(e, CCA_PLAT_SW_COMPONENTS);
	cbor_open_array(e, c->nsw);
	for (unsigned int i = 0; i < c->nsw; i++)
		sw_component(e, &c->sw[i]);
	cbor_close(e);
	cbor_close(e);
}

int cca_platform_token(const struct cca_platform_claims *c, const struct cca_signer *s, uint8_t *buf,
		       size_t cap, size_t *len)
{
	struct cbor_enc e;
	size_t at = 0;
	int rc = CCA_ERR_ARG;

	cbor_init(&e, buf, cap);
	if (platform_claims_valid(c) && signer_valid(s)) {
		rc = cca_sign1_begin(&e, &at);
		if (rc == CCA_OK) {
			platform_claims(&e, c);
			rc = cca_sign1_end(&e, at, s);
		}
	}
	return finish(&e, rc, buf, cap, len);
}
