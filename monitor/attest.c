/*
 * Platform attestation (docs/attestation.md): the Realm Attestation Key and
 * the platform token, served to the RMM through the RMM-EL3 shared buffer
 * (reference §5.2).
 *
 * Nothing is computed at cold boot: boot time to NS-EL2 stays as it was.
 * The RAK is derived on the RMM's first RMM_ATTEST_GET_REALM_KEY (at its cold
 * boot, after every image is measured) and kept for this boot; the platform
 * token is signed on the first RMM_ATTEST_GET_PLAT_TOKEN and kept with the
 * challenge it was signed for. The RMM's challenge is the hash of the RAK,
 * fixed per boot, so in practice one signature per boot; a different
 * challenge re-signs.
 *
 * Only portable-C crypto runs here (SHA-384, HMAC-SHA-384, ECDSA P-384): at
 * run time the FP/SIMD/SVE registers belong to a lower world, and SHA-256 -
 * the one FP/SIMD user in lib/crypto - would clobber the upper SVE bits.
 * The measured-boot digests were computed at cold boot, before any lower
 * world ran. The crypto arena is measured boot's (measured_boot.c); after
 * boot this file is its only user, always under attest_lock.
 */
#include <crypto/crypto.h>
#include <lib/cca_token.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "attest.h"
#include "attest_keys.h"
#include "measured_boot.h"
#include "monitor.h"

#define SHARED_END (RMM_SHARED_BUF + RMM_SHARED_BUF_SIZE)
/* A token (and so a hunk) never needs more than the shared buffer holds at once. */
#define PLAT_TOKEN_MAX 4096
/* The challenge is a SHA-256, SHA-384 or SHA-512 digest (of the RAK). */
#define CHALLENGE_SHA256 32
#define CHALLENGE_SHA384 48
#define CHALLENGE_MAX 64
#define RAK_NONCE_SIZE 32
/* Candidates outside [1, n-1] have probability ~2^-190 each; more than a few is a broken RNG or HMAC. */
#define RAK_ATTEMPTS 8
/* Label, nonce, counter, then one part per measured component. */
#define RAK_FIXED_PARTS 3
/* Security lifecycle "recoverable debug" (§4.5): reported while development secrets are built in. */
#define LIFECYCLE_RECOVERABLE_DEBUG 0x5000
/* The monitor itself is not in a signed package: its signer id (a required claim) is all zeros. */
#define SIGNER_ID_SIZE 32
#define VERSION_TEXT_MAX 12 /* a uint32_t in decimal */

/* Platform config claim (2401): 4 bytes, little-endian, of these bits. */
#define PLAT_CFG_SIZE 4
#define PLAT_CFG_NS_BUILTIN (1U << 0)  /* the measured Rampart hypervisor is the Normal world */
#define PLAT_CFG_DEV_KEY (1U << 1)     /* the development platform key is in use */
#define PLAT_CFG_DEV_SEED (1U << 2)    /* the development device seed is in use */
#define PLAT_CFG_DEV_SIGNING (1U << 3) /* packages are signed with the development signing key */

#ifdef CONFIG_MONITOR_SECURE_BOOT
#include "secboot_key.h"
#else
#define SECBOOT_DEV_KEY 0
#endif

#define DEV_SECRETS (ATTEST_DEV_PLATFORM_KEY || ATTEST_DEV_DEVICE_SEED || SECBOOT_DEV_KEY)

_Static_assert(sizeof(attest_platform_key) == CRYPTO_P384_SIZE, "platform key size");
_Static_assert(sizeof(attest_implementation_id) == CCA_IMPLEMENTATION_ID_SIZE, "implementation id size");
_Static_assert(sizeof(attest_instance_id) == CCA_INSTANCE_ID_SIZE, "instance id size");
_Static_assert(PLAT_TOKEN_MAX <= RMM_SHARED_BUF_SIZE, "a token must fit the shared buffer");

/* The crypto arena's lock (measured_boot.c), also taken by update checks after boot. */
#define attest_lock mb_arena_lock
/* Everything below is guarded by attest_lock. */
static struct crypto_rng rng;
static int rng_ready;
static uint8_t rak[CRYPTO_P384_SIZE];
static int rak_ready;
static uint8_t token[PLAT_TOKEN_MAX];
static size_t token_len;
static uint8_t token_challenge[CHALLENGE_MAX];
static size_t token_challenge_len;
static size_t token_sent; /* bytes of the current transfer already handed out */
static int transfer;	  /* a first call started a transfer that has bytes left */

void attest_init(void)
{
	if (!ATTEST_DEV_PLATFORM_KEY && !ATTEST_DEV_DEVICE_SEED)
		return;
	printk("monitor: ****************************************************************\n");
	if (ATTEST_DEV_PLATFORM_KEY)
		printk("monitor: WARNING: DEVELOPMENT platform key (keys/dev-platform-key.pem)\n");
	if (ATTEST_DEV_DEVICE_SEED)
		printk("monitor: WARNING: DEVELOPMENT device seed (keys/dev-device-seed.hex)\n");
	printk("monitor: These secrets are public: attestation tokens from this firmware prove\n");
	printk("monitor: nothing. Replace them for a product (README.md).\n");
	printk("monitor: ****************************************************************\n");
}

/* The blinding RNG, keyed from the seed for the fallback without FEAT_RNG. Under attest_lock. */
static int rng_get(void)
{
	if (!rng_ready && crypto_rng_init(&rng, attest_device_seed, sizeof(attest_device_seed)) == CRYPTO_OK)
		rng_ready = 1;
	return rng_ready;
}

/*
 * RAK = HMAC-SHA-384(device seed, label || nonce || counter || component
 * digests), the first candidate that is a valid P-384 scalar (rejection
 * sampling: no modular bias). The nonce comes from FEAT_RNG, so each boot
 * has its own RAK; without FEAT_RNG it is zero and the RAK is fixed per
 * device and firmware state. Under attest_lock.
 */
static long derive_rak(void)
{
	static const char label[] = "Rampart Realm Attestation Key v1";
	struct crypto_part parts[RAK_FIXED_PARTS + MB_MAX_COMPONENTS];
	uint8_t nonce[RAK_NONCE_SIZE] = { 0 };
	unsigned int ncomp = 0, n = 0;
	const struct mb_component *comp = mb_components(&ncomp);
	uint8_t counter = 0;

	if (!rng_get() || (crypto_rng_fresh() && crypto_rng(&rng, nonce, sizeof(nonce))))
		return E_RMM_UNK;
	parts[n++] = (struct crypto_part){ label, sizeof(label) };
	parts[n++] = (struct crypto_part){ nonce, sizeof(nonce) };
	parts[n++] = (struct crypto_part){ &counter, sizeof(counter) };
	for (unsigned int i = 0; i < ncomp && i < MB_MAX_COMPONENTS; i++)
		parts[n++] = (struct crypto_part){ comp[i].value, sizeof(comp[i].value) };
	for (; counter < RAK_ATTEMPTS; counter++) {
		if (crypto_hmac_sha384(attest_device_seed, sizeof(attest_device_seed), parts, n, rak))
			break;
		if (crypto_p384_check_private(rak) == CRYPTO_OK) {
			rak_ready = 1;
			memset(nonce, 0, sizeof(nonce));
			return E_RMM_OK;
		}
	}
	memset(rak, 0, sizeof(rak));
	memset(nonce, 0, sizeof(nonce));
	return E_RMM_UNK;
}

/* The buffer must lie in the RMM-EL3 shared buffer (a Realm granule EL3 maps, §5.2). */
static long check_buffer(uint64_t buf, uint64_t size)
{
	if (buf < RMM_SHARED_BUF || buf >= SHARED_END)
		return E_RMM_BAD_ADDR;
	if (size == 0 || size > SHARED_END - buf)
		return E_RMM_INVAL;
	return E_RMM_OK;
}

long attest_get_realm_key(uint64_t buf, uint64_t size, uint64_t curve, uint64_t *key_size)
{
	long rc = check_buffer(buf, size);

	*key_size = 0;
	if (rc)
		return rc;
	if (curve != RMM_ATTEST_CURVE_P384 || size < sizeof(rak))
		return E_RMM_INVAL;
	spin_lock(&attest_lock);
	if (!rak_ready)
		rc = derive_rak();
	if (rc == E_RMM_OK) {
		memcpy((void *)buf, rak, sizeof(rak));
		*key_size = sizeof(rak);
	}
	spin_unlock(&attest_lock);
	return rc;
}

/*
 * A MAC only this device's monitor can compute (the seed is secret for a
 * product): HMAC-SHA-384(seed, parts). Secure boot's verification cache
 * uses it with its own label, so it can never equal a RAK candidate.
 */
int attest_device_mac(const struct crypto_part *parts, unsigned int n, uint8_t mac[CRYPTO_SHA384_SIZE])
{
	return crypto_hmac_sha384(attest_device_seed, sizeof(attest_device_seed), parts, n, mac) ? -1 : 0;
}

/* ------------------------------------------------------------------ platform token */

static int sha384_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[CCA_ES384_HASH_SIZE])
{
	const struct crypto_part p[] = { { a, alen }, { b, blen } };

	return crypto_sha384_parts(p, sizeof(p) / sizeof(p[0]), out);
}

static int sign_platform(void *ctx, const uint8_t hash[CCA_ES384_HASH_SIZE], uint8_t sig[CCA_ES384_SIG_SIZE])
{
	(void)ctx;
	return crypto_p384_sign(attest_platform_key, hash, sig, crypto_rng, &rng);
}

static uint32_t lifecycle(void)
{
	return DEV_SECRETS ? LIFECYCLE_RECOVERABLE_DEBUG : CONFIG_MONITOR_PLATFORM_LIFECYCLE;
}

/* Signs the token for this challenge into token[]. Under attest_lock. */
static long sign_token(const uint8_t *challenge, size_t len)
{
	static const uint8_t zero_signer[SIGNER_ID_SIZE];
	static struct cca_sw_component sw[MB_MAX_COMPONENTS];
	static char versions[MB_MAX_COMPONENTS][VERSION_TEXT_MAX];
	uint32_t cfg_bits = (ATTEST_DEV_PLATFORM_KEY ? PLAT_CFG_DEV_KEY : 0) |
			    (ATTEST_DEV_DEVICE_SEED ? PLAT_CFG_DEV_SEED : 0) |
			    (SECBOOT_DEV_KEY ? PLAT_CFG_DEV_SIGNING : 0);
	uint8_t cfg[PLAT_CFG_SIZE];
	unsigned int ncomp = 0;
	const struct mb_component *comp = mb_components(&ncomp);
	const struct cca_signer signer = { sha384_2, sign_platform, NULL };

#ifdef CONFIG_NS_PAYLOAD_BUILTIN
	cfg_bits |= PLAT_CFG_NS_BUILTIN;
#endif
	for (unsigned int i = 0; i < PLAT_CFG_SIZE; i++)
		cfg[i] = (uint8_t)(cfg_bits >> (8 * i));
	for (unsigned int i = 0; i < ncomp && i < MB_MAX_COMPONENTS; i++) {
		/* Signed images: the signing key's id and the package's security version (§4.5). */
		if (comp[i].has_signer)
			snprintf(versions[i], sizeof(versions[i]), "%u", (unsigned int)comp[i].version);
		sw[i] = (struct cca_sw_component){
			.type = comp[i].type,
			.value = comp[i].value,
			.value_len = sizeof(comp[i].value),
			.version = comp[i].has_signer ? versions[i] : NULL,
			.signer_id = comp[i].has_signer ? comp[i].signer_id : zero_signer,
			.signer_id_len = sizeof(zero_signer),
			.hash_algo = CCA_HASH_NAME_SHA256,
		};
	}

	const struct cca_platform_claims claims = {
		.challenge = challenge,
		.challenge_len = len,
		.implementation_id = attest_implementation_id,
		.instance_id = attest_instance_id,
		.config = cfg,
		.config_len = sizeof(cfg),
		.lifecycle = lifecycle(),
		.sw = sw,
		.nsw = ncomp < MB_MAX_COMPONENTS ? ncomp : MB_MAX_COMPONENTS,
		.verification_service = CONFIG_MONITOR_VERIFICATION_SERVICE,
		.hash_algo = CCA_HASH_NAME_SHA256,
	};

	token_len = 0;
	token_challenge_len = 0;
	if (!rng_get() || cca_platform_token(&claims, &signer, token, sizeof(token), &token_len) != CCA_OK)
		return E_RMM_UNK;
	memcpy(token_challenge, challenge, len);
	token_challenge_len = len;
	return E_RMM_OK;
}

long attest_get_plat_token(uint64_t buf, uint64_t size, uint64_t challenge_size, uint64_t *hunk,
			   uint64_t *remaining)
{
	long rc = check_buffer(buf, size);

	*hunk = 0;
	*remaining = 0;
	if (rc)
		return rc;
	if (challenge_size != 0 && challenge_size != CHALLENGE_SHA256 && challenge_size != CHALLENGE_SHA384 &&
	    challenge_size != CHALLENGE_MAX)
		return E_RMM_INVAL;
	if (challenge_size > size)
		return E_RMM_INVAL;

	spin_lock(&attest_lock);
	if (challenge_size) {
		uint8_t challenge[CHALLENGE_MAX];

		/* Copied first: the RMM may not change it under us while we sign. */
		memcpy(challenge, (const void *)buf, challenge_size);
		transfer = 0;
		if (!token_len || token_challenge_len != challenge_size ||
		    memcmp(token_challenge, challenge, challenge_size))
			rc = sign_token(challenge, challenge_size);
		if (rc == E_RMM_OK) {
			token_sent = 0;
			transfer = 1;
		}
	} else if (!transfer) {
		/* A follow-up hunk without a transfer: nothing was asked for, or all of it was sent. */
		rc = E_RMM_INVAL;
	}
	if (rc == E_RMM_OK) {
		size_t n = token_len - token_sent < size ? token_len - token_sent : size;

		memcpy((void *)buf, token + token_sent, n);
		token_sent += n;
		*hunk = n;
		*remaining = token_len - token_sent;
		transfer = *remaining != 0;
	}
	spin_unlock(&attest_lock);
	return rc;
}
