/*
 * Secure boot (docs/secure-boot.md): at cold boot the monitor picks a
 * package bank from the bank metadata (trial boot, fallback), verifies it
 * - manifest structure, signer, signature, security version against the NV
 * counter, every load address, every image's SHA-256 in flash - and only
 * then copies its images into place and records them for the platform
 * token. A refused bank is named with the image and the reason on the
 * secure UART and the other bank is tried; with no valid bank the machine
 * stops (monitor_fatal_stop) before any Normal-world or Realm code ran.
 *
 * Only EL3 can write secure flash (the GPT keeps it ROOT and no other CPU
 * runs yet), so the bytes hashed in flash are the bytes copied: the
 * verified digest is also the measurement.
 */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <crypto/crypto.h>
#include <lib/string.h>
#include "attest.h"
#include "measured_boot.h"
#include "monitor.h"
#include "secboot_key.h"
#include "secure_boot.h"

#define RMM_IMAGE_MAX (CONFIG_RMM_SIZE - PAGE_SIZE) /* last page: the shared buffer */
#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)
#define MAC_LABEL "Rampart verified manifest v1"

_Static_assert(sizeof(secboot_pubkey) == MF_PUBKEY_SIZE, "verification key size");
_Static_assert(sizeof(secboot_signer_id) == MF_SIGNER_ID_SIZE, "signer id size");

struct sb_booted sb_booted;

static int sha256(const void *data, size_t len, uint8_t out[MF_DIGEST_SIZE])
{
	return crypto_sha256(data, len, out);
}

static int sha384(const void *data, size_t len, uint8_t out[MF_HASH_SIZE])
{
	return crypto_sha384(data, len, out);
}

static int verify(const uint8_t pub[MF_PUBKEY_SIZE], const uint8_t hash[MF_HASH_SIZE],
		  const uint8_t sig[MF_SIG_SIZE])
{
	int rc = crypto_p384_verify(pub, hash, sig);

	return rc == CRYPTO_OK ? 0 : rc == CRYPTO_ERR_VERIFY ? 1 : -1;
}

const struct mf_crypto sb_crypto = { sha256, sha384, verify };

static char bank_name(unsigned int bank)
{
	return (char)('A' + bank);
}

/* ------------------------------------------------------------------ verification cache */

#ifdef CONFIG_SECBOOT_VERIFY_CACHE
/*
 * MAC over (bank, manifest hash, signature, signer id) under a key only this
 * device's monitor has. The signature is in it so that a changed signature
 * byte is noticed like any other change, even though it is not signed.
 */
static int cache_mac(unsigned int bank, const struct mf_manifest *m, const uint8_t hash[MF_HASH_SIZE],
		     uint8_t mac[BS_MAC_SIZE])
{
	uint8_t b = (uint8_t)bank;
	const struct crypto_part parts[] = {
		{ MAC_LABEL, sizeof(MAC_LABEL) },
		{ &b, sizeof(b) },
		{ hash, MF_HASH_SIZE },
		{ m->sig, MF_SIG_SIZE },
		{ secboot_signer_id, sizeof(secboot_signer_id) },
	};

	return attest_device_mac(parts, sizeof(parts) / sizeof(parts[0]), mac);
}

static int cache_vouches(unsigned int bank, const struct mf_manifest *m, const uint8_t hash[MF_HASH_SIZE])
{
	const struct bs_cache *c = &nv_meta()->cache[bank];
	uint8_t mac[BS_MAC_SIZE], diff = 0;

	if (memcmp(c->manifest_hash, hash, MF_HASH_SIZE) || cache_mac(bank, m, hash, mac))
		return 0;
	for (unsigned int i = 0; i < BS_MAC_SIZE; i++)
		diff |= mac[i] ^ c->mac[i];
	return diff == 0;
}
#endif

enum mf_err sb_check_signature(unsigned int bank, const struct mf_manifest *m,
			       const uint8_t hash[MF_HASH_SIZE], struct bs_cache *fresh, int *cached)
{
	*cached = 0;
	if (fresh)
		memset(fresh, 0, sizeof(*fresh));
#ifdef CONFIG_SECBOOT_VERIFY_CACHE
	/* The signer id is checked either way: the MAC does not say which key signed. */
	if (!memcmp(m->h.signer_id, secboot_signer_id, MF_SIGNER_ID_SIZE) && cache_vouches(bank, m, hash)) {
		*cached = 1;
		return MF_OK;
	}
#endif
	enum mf_err rc = mf_verify_signature(m, hash, secboot_pubkey, secboot_signer_id, &sb_crypto);
#ifdef CONFIG_SECBOOT_VERIFY_CACHE
	if (rc == MF_OK && fresh) {
		memcpy(fresh->manifest_hash, hash, MF_HASH_SIZE);
		if (cache_mac(bank, m, hash, fresh->mac))
			memset(fresh, 0, sizeof(*fresh));
	}
#else
	(void)bank;
#endif
	return rc;
}

/* ------------------------------------------------------------------ checks */

/* Where the platform lets each role go: the RMM and hypervisor at their bases, blobs in NS DRAM. */
static int load_allowed(const struct mf_image *im)
{
	switch (im->role) {
	case MF_ROLE_RMM:
		return im->load_addr == CONFIG_RMM_BASE && im->size <= RMM_IMAGE_MAX;
#ifdef CONFIG_NS_PAYLOAD_BUILTIN
	case MF_ROLE_HYP:
		return im->load_addr == CONFIG_HYP_BASE && im->size <= CONFIG_HYP_SIZE;
	case MF_ROLE_BLOB: {
		const uint64_t lo = CONFIG_HYP_BASE + CONFIG_HYP_SIZE;
		return im->load_addr >= lo && im->load_addr < DRAM_END &&
		       im->size <= DRAM_END - im->load_addr;
	}
#endif
	}
	return 0;
}

static void refuse(unsigned int bank, const struct mf_manifest *m, enum mf_err rc, int image)
{
	if (rc == MF_ERR_ROLLBACK)
		MLOG(0,
		     "secure boot: bank %c refused: security version %u is below the NV counter %u "
		     "(rollback)\n",
		     bank_name(bank), m->h.security_version, nv_rollback_floor());
	else if (image >= 0)
		MLOG(0, "secure boot: bank %c refused: image %d (%s): %s\n", bank_name(bank), image,
		     mf_role_name(m->img[image].role), mf_strerror(rc));
	else
		MLOG(0, "secure boot: bank %c refused: manifest: %s\n", bank_name(bank), mf_strerror(rc));
}

/* Everything about bank before a byte of it is copied; *fresh: a new cache entry, if any. */
static enum mf_err check_bank(unsigned int bank, struct mf_manifest *m, struct bs_cache *fresh)
{
	const uint8_t *base = (const uint8_t *)BANK_BASE(bank);
	uint8_t hash[MF_HASH_SIZE];
	struct mf_error err;
	enum mf_err rc;
	int cached = 0, image;
	/* The cost line below (docs/secure-boot.md, "Boot cost"): under -icount a tick is an instruction. */
	const uint64_t start = read_cntpct();
	uint64_t signed_at, hashed = 0;

	memset(fresh, 0, sizeof(*fresh));
	rc = mf_parse(base, MF_AREA_SIZE, CONFIG_PKG_BANK_SIZE, m, &err);
	image = err.image;

	if (rc == MF_OK && m->h.bank != bank)
		rc = MF_ERR_WRONG_BANK;
	if (rc == MF_OK)
		rc = mf_hash(m, &sb_crypto, hash);
#ifdef CONFIG_MONITOR_SECURE_BOOT
	if (rc == MF_OK)
		rc = sb_check_signature(bank, m, hash, fresh, &cached);
	if (rc == MF_OK && m->h.security_version < nv_rollback_floor())
		rc = MF_ERR_ROLLBACK;
#else
	(void)fresh;
#endif
	signed_at = read_cntpct();
	for (unsigned int i = 0; rc == MF_OK && i < m->h.image_count; i++) {
		image = (int)i;
		if (!load_allowed(&m->img[i]))
			rc = MF_ERR_LOAD;
#ifdef CONFIG_MONITOR_SECURE_BOOT
		else
			rc = mf_verify_image(m, i, base + m->img[i].offset, &sb_crypto);
		hashed += m->img[i].size;
#endif
	}
#ifdef CONFIG_NS_PAYLOAD_BUILTIN
	if (rc == MF_OK) {
		int hyp = 0;
		for (unsigned int i = 0; i < m->h.image_count; i++)
			hyp |= m->img[i].role == MF_ROLE_HYP;
		image = -1;
		if (!hyp)
			rc = MF_ERR_LOAD; /* the built-in payload is the package's hypervisor */
	}
#endif
	if (rc != MF_OK) {
		refuse(bank, m, rc, rc == MF_ERR_LOAD || rc == MF_ERR_DIGEST || err.image >= 0 ? image : -1);
		return rc;
	}
#ifdef CONFIG_MONITOR_SECURE_BOOT
	MLOG(1, "secure boot: bank %c verified: security version %u, %u images, signature %s\n",
	     bank_name(bank), m->h.security_version, m->h.image_count,
	     cached ? "vouched for by the verification cache" : "ok");
#else
	/* Without secure boot only the manifest's form and the load addresses were checked. */
	(void)cached;
	MLOG(1,
	     "secure boot: OFF: bank %c's manifest parsed, %u images to load; its signature and "
	     "digests are NOT checked\n",
	     bank_name(bank), m->h.image_count);
#endif
	MLOG(1,
	     "secure boot: bank %c cost: manifest and signature %lu ticks, %lu image bytes hashed in %lu "
	     "ticks\n",
	     bank_name(bank), signed_at - start, hashed, read_cntpct() - signed_at);
	return MF_OK;
}

/* ------------------------------------------------------------------ loading */

static void load(unsigned int bank, const struct mf_manifest *m)
{
	const uint8_t *base = (const uint8_t *)BANK_BASE(bank);
	unsigned int blobs = 0;
	uint64_t blob_bytes = 0;

	for (unsigned int i = 0; i < m->h.image_count; i++) {
		const struct mf_image *im = &m->img[i];
		char type[MB_TYPE_MAX];

		memcpy((void *)im->load_addr, base + im->offset, im->size);
		/* The image starts with its MMU off: make it visible at the PoC. */
		dcache_clean_range(im->load_addr, im->size);
		switch (im->role) {
		case MF_ROLE_RMM:
			memcpy(type, "RMM", sizeof("RMM"));
			break;
		case MF_ROLE_HYP:
			memcpy(type, "HYP", sizeof("HYP"));
			break;
		default:
			snprintf(type, sizeof(type), "BLOB%u", blobs++);
			blob_bytes += im->size;
			break;
		}
		if (im->role != MF_ROLE_BLOB)
			MLOG(1, "loaded %s: %lu bytes at 0x%lx\n", mf_role_name(im->role), im->size,
			     im->load_addr);
#ifdef CONFIG_MONITOR_SECURE_BOOT
		mb_record(type, im->load_addr, im->size, im->sha256, m->h.security_version,
			  secboot_signer_id);
#else
		mb_measure(type, im->load_addr, im->size);
#endif
	}
	if (blobs)
		MLOG(1, "staged %u guest image(s), %lu bytes\n", blobs, blob_bytes);
}

static void warn_dev_key(void)
{
#ifdef CONFIG_MONITOR_SECURE_BOOT
	if (!SECBOOT_DEV_KEY)
		return;
	printk("monitor: ****************************************************************\n");
	printk("monitor: WARNING: DEVELOPMENT signing key (keys/dev-signing-key.pem)\n");
	printk("monitor: Anyone can sign packages this firmware boots. Replace it for a\n");
	printk("monitor: product (README.md, \"Signing a product's packages\").\n");
	printk("monitor: ****************************************************************\n");
#else
	MLOG(0, "secure boot: OFF (CONFIG_MONITOR_SECURE_BOOT=n): nothing is verified\n");
#endif
}

void secure_boot_load(void)
{
	struct bs_plan plan;
	struct bs_meta next;
	static const struct bs_cache no_cache;
	struct bs_cache fresh;
	int booted = -1, trial = 0;

	warn_dev_key();
	nv_load();
	/* A confirmation whose counter write was cut short: finish it before anything is checked. */
	if (nv_meta()->min_version > nv_counter() && nv_counter_advance(nv_meta()->min_version))
		MLOG(0,
		     "secure boot: the NV counter stays %u this boot; packages are checked against "
		     "the confirmed version %u\n",
		     nv_counter(), nv_meta()->min_version);
	MLOG(1, "secure boot: NV counter %u, confirmed bank %c%s\n", nv_counter(),
	     bank_name(nv_meta()->active), nv_meta()->trial == BS_NO_TRIAL ? "" : ", trial pending");
	bs_plan_boot(nv_meta(), CONFIG_SECBOOT_TRIAL_BOOTS, &plan);
	if (plan.fell_back)
		MLOG(0, "secure boot: trial of bank %c not confirmed after %u boots: back to bank %c\n",
		     bank_name(nv_meta()->trial), (unsigned int)CONFIG_SECBOOT_TRIAL_BOOTS,
		     bank_name(nv_meta()->active));
	/* The attempt is counted before the trial bank runs; if that cannot be written, no trial. */
	if (plan.write && nv_meta_write(&plan.next) && plan.trial) {
		plan.trial = 0;
		plan.order[0] = plan.next.active;
		plan.order[1] = plan.next.trial;
	}
	for (unsigned int k = 0; k < MF_NR_BANKS && booted < 0; k++) {
		if (check_bank(plan.order[k], &sb_booted.m, &fresh) == MF_OK) {
			booted = (int)plan.order[k];
			trial = plan.trial && k == 0;
		}
	}
	if (booted < 0) {
		MLOG(0, "secure boot: no valid bank: stopping in the safe state (nothing below EL3 ran)\n");
		monitor_fatal_stop("secure boot");
	}
	sb_booted.bank = (unsigned int)booted;
	sb_booted.trial = trial;
	sb_booted.version = sb_booted.m.h.security_version;

	int changed = bs_after_boot(nv_meta(), sb_booted.bank, trial, &next);
	if (memcmp(&fresh, &no_cache, sizeof(fresh))) {
		next.cache[sb_booted.bank] = fresh;
		changed = 1;
	}
	if (changed)
		nv_meta_write(&next); /* a failure costs the cache or a retry next boot, never safety */
	if (trial)
		MLOG(1,
		     "secure boot: booting bank %c, security version %u: TRIAL boot %u of %u, to be "
		     "confirmed\n",
		     bank_name(sb_booted.bank), sb_booted.version, (unsigned int)nv_meta()->attempts,
		     (unsigned int)CONFIG_SECBOOT_TRIAL_BOOTS);
	else
		MLOG(1, "secure boot: booting bank %c, security version %u\n", bank_name(sb_booted.bank),
		     sb_booted.version);
	load(sb_booted.bank, &sb_booted.m);
}
