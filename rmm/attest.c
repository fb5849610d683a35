/*
 * Realm attestation, see attest.h. The RAK comes from the monitor once per
 * boot; its public key, COSE_Key (§4.3) and SHA-256 (the platform challenge,
 * §4.4) and the platform token are made lazily on the first token request,
 * so cold boot spends no scalar multiplication. Every later token costs one
 * ES384 signature over the realm claims.
 *
 * attest_lock guards the RAK state, the cached platform token, the blinding
 * RNG, the RMM-EL3 shared buffer (this file is its only user after the boot
 * manifest is read) and the crypto arena: ECDSA is the only arena user in
 * the RMM (measure.c's SHA-2 hashes allocate nothing), so signing does not
 * hold up RIM measurements on other CPUs.
 *
 * FP/SIMD: the binding hash is SHA-256, which lib/crypto runs with the SHA-2
 * instructions inside its V-register save/restore bracket. Realms have no
 * SVE (REALM_CREATE refuses SVE_EN), so the bracket keeps a realm's state
 * whole; the rest is portable C.
 */
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <crypto/crypto.h>
#include <lib/cca_token.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "attest.h"
#include "rmm.h"

#define SHA256_SIZE 32
/* The monitor never answers E_RMM_AGAIN today; one that does (e.g. a busy HES) gets this many retries. */
#define PLAT_TOKEN_AGAIN_MAX 1000000
/* Each call brings at least one byte, so a token needs at most this many calls. */
#define PLAT_TOKEN_CALLS_MAX RMM_ATTEST_PLAT_TOKEN_MAX

_Static_assert(RMM_ATTEST_CHALLENGE_SIZE == CCA_REALM_CHALLENGE_SIZE, "challenge size");
_Static_assert(RMM_ATTEST_RPV_SIZE == CCA_RPV_SIZE, "RPV size");
_Static_assert(RMM_ATTEST_NUM_REMS == CCA_NUM_REMS, "REM count");
_Static_assert(RMM_ATTEST_PLAT_TOKEN_MAX <= RMM_EL3_SHARED_BUF_SIZE, "a hunk fits the shared buffer");

static spinlock_t attest_lock = SPINLOCK_INIT;
/* Guarded by attest_lock. */
static uint8_t rak[CRYPTO_P384_SIZE];
static int rak_ready;
static struct crypto_rng rng;
static uint8_t rak_cose[CCA_RAK_COSE_KEY_SIZE];
static uint8_t rak_hash[SHA256_SIZE];
static int cose_ready;
static uint8_t plat_token[RMM_ATTEST_PLAT_TOKEN_MAX];
static size_t plat_len;

#ifdef CONFIG_RMM_ATTEST_SELFTEST
static void attest_selftest(void);
#endif

int rmm_attest_init(void)
{
	uint8_t *shared = (uint8_t *)RMM_EL3_SHARED_BUF;
	uint64_t len = 0;
	long rc;
	int ret = 0;

	spin_lock(&attest_lock);
	memset(shared, 0, sizeof(rak));
	rc = rmm_el3_get_realm_key(RMM_EL3_SHARED_BUF, RMM_EL3_SHARED_BUF_SIZE, RMM_ATTEST_CURVE_P384, &len);
	if (rc == E_RMM_OK && len == sizeof(rak))
		memcpy(rak, shared, sizeof(rak));
	/* The key does not stay in the buffer the monitor also reads. */
	memset(shared, 0, sizeof(rak));
	if (rc != E_RMM_OK || len != sizeof(rak)) {
		RLOG(0, "attestation unavailable: RMM_ATTEST_GET_REALM_KEY returned %ld, %lu bytes\n", rc,
		     (unsigned long)len);
		ret = RMM_ATTEST_ERR_UNAVAILABLE;
	} else if (crypto_p384_check_private(rak) != CRYPTO_OK ||
		   crypto_rng_init(&rng, rak, sizeof(rak)) != CRYPTO_OK) {
		RLOG(0, "attestation unavailable: the RAK from EL3 is not a P-384 key\n");
		ret = RMM_ATTEST_ERR_UNAVAILABLE;
	}
	if (ret)
		memset(rak, 0, sizeof(rak));
	rak_ready = !ret;
	spin_unlock(&attest_lock);
	if (ret)
		return ret;
	RLOG(1, "RAK ready (P-384, from EL3)\n");
#ifdef CONFIG_RMM_ATTEST_SELFTEST
	attest_selftest();
#endif
	return 0;
}

/* The RAK's public COSE_Key and its SHA-256, once. Under attest_lock. */
static long prepare_key(void)
{
	uint8_t pub[CRYPTO_P384_PUB_SIZE];

	if (cose_ready)
		return 0;
	if (crypto_p384_public(rak, pub, crypto_rng, &rng) != CRYPTO_OK ||
	    cca_rak_cose_key(pub, rak_cose) != CCA_OK || crypto_sha256(rak_cose, sizeof(rak_cose), rak_hash))
		return RMM_ATTEST_ERR_CRYPTO;
	cose_ready = 1;
	return 0;
}

/*
 * The platform token for challenge SHA-256(RAK COSE_Key), hunk by hunk
 * through the shared buffer (§5.2): the first call carries the challenge,
 * follow-ups pass challenge size 0 until nothing remains. Under attest_lock.
 */
static long fetch_platform_token(void)
{
	uint8_t *shared = (uint8_t *)RMM_EL3_SHARED_BUF;
	uint64_t challenge_size = sizeof(rak_hash), hunk = 0, remaining = 0;
	unsigned long again = 0;
	size_t got = 0;
	long rc = E_RMM_OK;

	memcpy(shared, rak_hash, sizeof(rak_hash));
	for (unsigned int calls = 0; calls < PLAT_TOKEN_CALLS_MAX;) {
		rc = rmm_el3_get_plat_token(RMM_EL3_SHARED_BUF, RMM_EL3_SHARED_BUF_SIZE, challenge_size,
					    &hunk, &remaining);
		if (rc == E_RMM_AGAIN && ++again < PLAT_TOKEN_AGAIN_MAX)
			continue;
		calls++;
		if (rc != E_RMM_OK || hunk > RMM_EL3_SHARED_BUF_SIZE || hunk > sizeof(plat_token) - got ||
		    remaining > sizeof(plat_token) - got - hunk || (!hunk && remaining))
			break;
		memcpy(plat_token + got, shared, hunk);
		got += hunk;
		challenge_size = 0;
		if (!remaining) {
			plat_len = got;
			return 0;
		}
	}
	RLOG(0,
	     "no platform token: RMM_ATTEST_GET_PLAT_TOKEN returned %ld (hunk %lu, %lu remaining, %lu "
	     "received)\n",
	     rc, (unsigned long)hunk, (unsigned long)remaining, (unsigned long)got);
	return RMM_ATTEST_ERR_PLATFORM;
}

static int sha384_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[CCA_ES384_HASH_SIZE])
{
	const struct crypto_part p[] = { { a, alen }, { b, blen } };

	return crypto_sha384_parts(p, sizeof(p) / sizeof(p[0]), out);
}

static int sign_rak(void *ctx, const uint8_t hash[CCA_ES384_HASH_SIZE], uint8_t sig[CCA_ES384_SIG_SIZE])
{
	(void)ctx;
	return crypto_p384_sign(rak, hash, sig, crypto_rng, &rng);
}

static long map_cca(int rc)
{
	switch (rc) {
	case CCA_OK:
		return 0;
	case CCA_ERR_SPACE:
		return RMM_ATTEST_ERR_SPACE;
	case CCA_ERR_ARG:
		return RMM_ATTEST_ERR_ARG;
	}
	return RMM_ATTEST_ERR_CRYPTO;
}

/* The public key and the platform token, if not yet made. Under attest_lock. */
static long prepare(void)
{
	long rc = 0;

	if (!rak_ready)
		rc = RMM_ATTEST_ERR_UNAVAILABLE;
	if (!rc)
		rc = prepare_key();
	if (!rc && !plat_len)
		rc = fetch_platform_token();
	return rc;
}

int rmm_attest_prepare(void)
{
	long rc;

	spin_lock(&attest_lock);
	rc = prepare();
	spin_unlock(&attest_lock);
	return (int)rc;
}

/* The CCA token of a realm into buf, its realm token signed by s: length, or an error with buf zeroed. */
static long encode_token(const uint8_t *challenge, const uint8_t *rim,
			 const uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE],
			 unsigned int hash_algo, const uint8_t *rpv, const struct cca_signer *s, uint8_t *buf,
			 size_t cap)
{
	struct cca_realm_claims c = {
		.challenge = challenge,
		.rpv = rpv,
		.algo = (enum hash_algo)hash_algo,
		.rim = rim,
		.rak = rak_cose,
		.rak_len = sizeof(rak_cose),
	};
	size_t len = 0;
	long rc = 0;

	if (!challenge || !rim || !rems || !rpv || !buf ||
	    (hash_algo != HASH_SHA256 && hash_algo != HASH_SHA512)) {
		if (buf)
			memset(buf, 0, cap);
		return RMM_ATTEST_ERR_ARG;
	}
	for (unsigned int i = 0; i < RMM_ATTEST_NUM_REMS; i++)
		c.rems[i] = rems[i];
	spin_lock(&attest_lock);
	rc = prepare();
	if (!rc)
		rc = map_cca(cca_token(plat_token, plat_len, &c, s, buf, cap, &len));
	spin_unlock(&attest_lock);
	if (rc) {
		memset(buf, 0, cap);
		return rc;
	}
	return (long)len;
}

long rmm_attest_token(const uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE], const uint8_t *rim,
		      const uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE], unsigned int hash_algo,
		      const uint8_t rpv[RMM_ATTEST_RPV_SIZE], uint8_t *buf, size_t cap)
{
	const struct cca_signer signer = { sha384_2, sign_rak, NULL };

	return encode_token(challenge, rim, rems, hash_algo, rpv, &signer, buf, cap);
}

/* What the realm token's signature is until the real one replaces it: never a valid signature. */
#define SIG_PLACEHOLDER 0xa5
/* Elliptic-curve operations per signing step: under 1 M instructions each (measured: 7 steps). */
#define SIGN_STEP_OPS 512

/* The signings in progress (st NULL: free), under attest_lock. */
static struct sign_slot {
	struct crypto_p384_signing *st;
	uint64_t last; /* CNTPCT of the holder's last start or step */
	uint32_t gen;  /* bumped at every start: a ticket of an older holder no longer matches */
} slots[RMM_ATTEST_MAX_SIGNINGS];

static uint64_t lease_ticks(void)
{
	return read_sysreg(cntfrq_el0) / 1000 * RMM_ATTEST_LEASE_MS;
}

/* A free slot, else the one idle longest if past its lease; -1 if none. Under attest_lock. */
static int find_slot(uint64_t now)
{
	int idle = -1;

	for (unsigned int i = 0; i < RMM_ATTEST_MAX_SIGNINGS; i++) {
		if (!slots[i].st)
			return (int)i;
		if (now - slots[i].last > lease_ticks() && (idle < 0 || slots[i].last < slots[idle].last))
			idle = (int)i;
	}
	return idle;
}

static int capture_hash(void *ctx, const uint8_t hash[CCA_ES384_HASH_SIZE], uint8_t sig[CCA_ES384_SIG_SIZE])
{
	memcpy(ctx, hash, CCA_ES384_HASH_SIZE);
	memset(sig, SIG_PLACEHOLDER, CCA_ES384_SIG_SIZE);
	return 0;
}

long rmm_attest_token_unsigned(const uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE], const uint8_t *rim,
			       const uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE],
			       unsigned int hash_algo, const uint8_t rpv[RMM_ATTEST_RPV_SIZE], uint8_t *buf,
			       size_t cap, uint8_t hash[RMM_ATTEST_HASH_SIZE])
{
	const struct cca_signer capture = { sha384_2, capture_hash, hash };

	if (!hash) {
		if (buf)
			memset(buf, 0, cap);
		return RMM_ATTEST_ERR_ARG;
	}
	long len = encode_token(challenge, rim, rems, hash_algo, rpv, &capture, buf, cap);
	if (len < 0)
		return len;
	/* The signature is the token's tail (the realm token closes the collection): check it is. */
	for (size_t i = (size_t)len >= RMM_ATTEST_SIG_SIZE ? (size_t)len - RMM_ATTEST_SIG_SIZE : (size_t)len;
	     i < (size_t)len; i++) {
		if (buf[i] != SIG_PLACEHOLDER) {
			memset(buf, 0, cap);
			return RMM_ATTEST_ERR_CRYPTO;
		}
	}
	return len;
}

int rmm_attest_sign_available(void)
{
	spin_lock(&attest_lock);
	int ok = find_slot(read_cntpct()) >= 0;
	spin_unlock(&attest_lock);
	return ok;
}

int rmm_attest_sign_start(struct crypto_p384_signing *st, const uint8_t hash[RMM_ATTEST_HASH_SIZE],
			  struct rmm_attest_ticket *ticket)
{
	int rc = RMM_ATTEST_ERR_BUSY;

	spin_lock(&attest_lock);
	uint64_t now = read_cntpct();
	int i = find_slot(now);
	if (i >= 0) {
		/* Taking over an idle holder's slot frees its state (in its REC's aux granule). */
		if (slots[i].st)
			crypto_p384_sign_abort(slots[i].st);
		slots[i].st = NULL;
		slots[i].gen++;
		rc = crypto_p384_sign_start(st, rak, hash, crypto_rng, &rng) == CRYPTO_OK
			     ? 0
			     : RMM_ATTEST_ERR_CRYPTO;
		if (!rc) {
			slots[i].st = st;
			slots[i].last = now;
			ticket->slot = (uint32_t)i;
			ticket->gen = slots[i].gen;
		}
	}
	spin_unlock(&attest_lock);
	return rc;
}

/* The slot of a ticket if it is still the holder's, or NULL. Under attest_lock. */
static struct sign_slot *held(const struct crypto_p384_signing *st, const struct rmm_attest_ticket *t)
{
	if (t->slot >= RMM_ATTEST_MAX_SIGNINGS || slots[t->slot].st != st || slots[t->slot].gen != t->gen)
		return NULL;
	return &slots[t->slot];
}

int rmm_attest_sign_step(struct crypto_p384_signing *st, const struct rmm_attest_ticket *ticket,
			 uint8_t sig[RMM_ATTEST_SIG_SIZE])
{
	int rc;

	spin_lock(&attest_lock);
	struct sign_slot *s = held(st, ticket);
	if (!s) {
		spin_unlock(&attest_lock);
		return RMM_ATTEST_ERR_LOST;
	}
	rc = crypto_p384_sign_step(st, SIGN_STEP_OPS, sig);
	s->last = read_cntpct();
	if (rc != CRYPTO_IN_PROGRESS)
		s->st = NULL; /* done or failed: the state is freed either way */
	spin_unlock(&attest_lock);
	if (rc == CRYPTO_IN_PROGRESS)
		return 1;
	return rc == CRYPTO_OK ? 0 : RMM_ATTEST_ERR_CRYPTO;
}

void rmm_attest_sign_abort(struct crypto_p384_signing *st, const struct rmm_attest_ticket *ticket)
{
	spin_lock(&attest_lock);
	struct sign_slot *s = held(st, ticket);
	if (s) { /* a lost slot was freed by whoever took it over */
		crypto_p384_sign_abort(st);
		s->st = NULL;
	}
	spin_unlock(&attest_lock);
}

#ifdef CONFIG_RMM_ATTEST_SELFTEST
/*
 * Cold-boot self-test (test configurations only): the preparation and two
 * CCA tokens with fixed claims, printed in hex for tests/qemu/test_attest.py
 * to verify, with instruction counts (CNTPCT under -icount); the hunk protocol with small
 * hunks; and the monitor's E_RMM_* answers to bad arguments. Costs about
 * 30 M instructions of boot.
 */
#define SELFTEST_HEX_PER_LINE 64
#define SELFTEST_HUNK 100
#define SELFTEST_OTHER_CHALLENGE 48

static void selftest_print(const char *name, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char line[2 * SELFTEST_HEX_PER_LINE + 1];

	for (size_t off = 0; off < n; off += SELFTEST_HEX_PER_LINE) {
		size_t k = n - off < SELFTEST_HEX_PER_LINE ? n - off : SELFTEST_HEX_PER_LINE;

		for (size_t i = 0; i < k; i++) {
			line[2 * i] = digits[p[off + i] >> 4];
			line[2 * i + 1] = digits[p[off + i] & 0xf];
		}
		line[2 * k] = '\0';
		RLOG(1, "attest-selftest %s %s\n", name, line);
	}
}

/* The monitor's answer to one RMM_ATTEST_GET_PLAT_TOKEN / GET_REALM_KEY. Under attest_lock. */
static void selftest_smc(const char *what, int token, uint64_t buf, uint64_t size, uint64_t arg)
{
	uint64_t a = 0, b = 0;
	long rc = token ? rmm_el3_get_plat_token(buf, size, arg, &a, &b)
			: rmm_el3_get_realm_key(buf, size, arg, &a);

	RLOG(1, "attest-selftest smc %s %ld\n", what, rc);
}

/* The cached token in SELFTEST_HUNK-byte hunks, with a re-signed one for another challenge between. */
static void selftest_protocol(void)
{
	static uint8_t copy[RMM_ATTEST_PLAT_TOKEN_MAX];
	const uint64_t sb = RMM_EL3_SHARED_BUF, end = sb + RMM_EL3_SHARED_BUF_SIZE;
	uint8_t *shared = (uint8_t *)sb;
	uint64_t hunk = 0, remaining = 0, csize = sizeof(rak_hash);
	size_t got = 0;
	unsigned int calls = 0;
	long rc;

	spin_lock(&attest_lock);
	selftest_smc("key-bad-addr", 0, sb - sizeof(rak), sizeof(rak), RMM_ATTEST_CURVE_P384);
	selftest_smc("key-size-0", 0, sb, 0, RMM_ATTEST_CURVE_P384);
	selftest_smc("key-small", 0, sb, sizeof(rak) - 1, RMM_ATTEST_CURVE_P384);
	selftest_smc("key-crosses-end", 0, end - sizeof(rak) + 1, sizeof(rak), RMM_ATTEST_CURVE_P384);
	selftest_smc("key-curve-1", 0, sb, sizeof(rak), RMM_ATTEST_CURVE_P384 + 1);
	selftest_smc("token-bad-addr", 1, CONFIG_RMM_BASE, RMM_EL3_SHARED_BUF_SIZE, sizeof(rak_hash));
	selftest_smc("token-past-end", 1, end, 1, sizeof(rak_hash));
	selftest_smc("token-challenge-33", 1, sb, RMM_EL3_SHARED_BUF_SIZE, sizeof(rak_hash) + 1);
	selftest_smc("token-challenge-over-size", 1, sb, sizeof(rak_hash), RMM_ATTEST_CHALLENGE_SIZE);
	selftest_smc("token-no-transfer", 1, sb, RMM_EL3_SHARED_BUF_SIZE, 0);
	memset(shared, 0, RMM_EL3_SHARED_BUF_SIZE);

	/* Another challenge makes the monitor sign again; the RAK hash afterwards, again. */
	memset(shared, 0x11, SELFTEST_OTHER_CHALLENGE);
	rc = rmm_el3_get_plat_token(sb, RMM_EL3_SHARED_BUF_SIZE, SELFTEST_OTHER_CHALLENGE, &hunk, &remaining);
	RLOG(1, "attest-selftest other-challenge %ld %lu %lu %s\n", rc, (unsigned long)hunk,
	     (unsigned long)remaining,
	     hunk != plat_len || memcmp(shared, plat_token, hunk) ? "differs" : "same");
	selftest_print("other", shared, hunk);
	memcpy(shared, rak_hash, sizeof(rak_hash));
	for (rc = E_RMM_OK; rc == E_RMM_OK && calls < PLAT_TOKEN_CALLS_MAX; calls++) {
		rc = rmm_el3_get_plat_token(sb, SELFTEST_HUNK, csize, &hunk, &remaining);
		if (rc != E_RMM_OK || hunk > SELFTEST_HUNK || hunk > sizeof(copy) - got)
			break;
		memcpy(copy + got, shared, hunk);
		got += hunk;
		csize = 0;
		if (!remaining)
			break;
	}
	RLOG(1, "attest-selftest hunks %u rc %ld %s\n", calls + 1, rc,
	     got == plat_len && !memcmp(copy, plat_token, got) ? "same" : "differs");
	selftest_smc("token-after-transfer", 1, sb, RMM_EL3_SHARED_BUF_SIZE, 0);
	memset(shared, 0, RMM_EL3_SHARED_BUF_SIZE);
	spin_unlock(&attest_lock);
}

static void attest_selftest(void)
{
	static uint8_t token[RMM_ATTEST_TOKEN_MAX];
	static uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE], rim[RMM_ATTEST_MEAS_SIZE],
		rpv[RMM_ATTEST_RPV_SIZE];
	static uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE];
	uint64_t t0, t1;
	long len;

	/* Fixed claims; tests/qemu/test_attest.py knows them. */
	for (unsigned int i = 0; i < sizeof(challenge); i++) {
		challenge[i] = (uint8_t)i;
		rim[i] = (uint8_t)(0x80 + i);
		for (unsigned int r = 0; r < RMM_ATTEST_NUM_REMS; r++)
			rems[r][i] = (uint8_t)(0x10 * (r + 1) + i);
	}
	memcpy(rpv, "rampart attest selftest", sizeof("rampart attest selftest"));
	t0 = read_cntpct();
	len = rmm_attest_prepare();
	t1 = read_cntpct();
	RLOG(1, "attest-selftest prepare %ld %lu ticks\n", len, (unsigned long)(t1 - t0));
	t0 = read_cntpct();
	len = rmm_attest_token(challenge, rim, rems, HASH_SHA256, rpv, token, sizeof(token));
	t1 = read_cntpct();
	RLOG(1, "attest-selftest first %ld bytes %lu ticks\n", len, (unsigned long)(t1 - t0));
	if (len > 0)
		selftest_print("sha256", token, (size_t)len);
	challenge[0] ^= 0xff;
	t0 = read_cntpct();
	len = rmm_attest_token(challenge, rim, rems, HASH_SHA512, rpv, token, sizeof(token));
	t1 = read_cntpct();
	RLOG(1, "attest-selftest second %ld bytes %lu ticks\n", len, (unsigned long)(t1 - t0));
	if (len > 0)
		selftest_print("sha512", token, (size_t)len);
	RLOG(1, "attest-selftest small-buffer %ld\n",
	     rmm_attest_token(challenge, rim, rems, HASH_SHA512, rpv, token, (size_t)len - 1));
	RLOG(1, "attest-selftest bad-algo %ld\n",
	     rmm_attest_token(challenge, rim, rems, 2, rpv, token, sizeof(token)));
	selftest_protocol();
	RLOG(1, "attest-selftest done\n");
}
#endif
