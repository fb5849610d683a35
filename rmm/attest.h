/*
 * Realm attestation in the RMM (docs/attestation.md): the Realm Attestation
 * Key (RAK) from the monitor, the platform token from the monitor, and the
 * CCA token (tag 399: platform token + realm token signed with the RAK).
 */
#ifndef RMM_ATTEST_H
#define RMM_ATTEST_H
#include <stddef.h>
#include <stdint.h>

#define RMM_ATTEST_CHALLENGE_SIZE 64
#define RMM_ATTEST_RPV_SIZE 64
#define RMM_ATTEST_MEAS_SIZE 64 /* RIM and REM buffers: the value, zero-extended */
#define RMM_ATTEST_NUM_REMS 4
/* The monitor's platform token is at most one shared-buffer page. */
#define RMM_ATTEST_PLAT_TOKEN_MAX 4096
/* A realm token is 750 bytes with SHA-512 measurements (COSE_Sign1, 8 claims, 96-byte signature). */
#define RMM_ATTEST_REALM_TOKEN_MAX 1024
/* Enough for any CCA token rmm_attest_token() makes. */
#define RMM_ATTEST_TOKEN_MAX (RMM_ATTEST_PLAT_TOKEN_MAX + RMM_ATTEST_REALM_TOKEN_MAX)

enum rmm_attest_err {
	RMM_ATTEST_ERR_UNAVAILABLE = -1, /* no RAK: rmm_attest_init() failed or was not called */
	RMM_ATTEST_ERR_ARG = -2,	 /* NULL pointer, hash_algo other than 0 (SHA-256) or 1 (SHA-512) */
	RMM_ATTEST_ERR_SPACE = -3,	 /* cap too small for the token: nothing usable in buf */
	RMM_ATTEST_ERR_PLATFORM = -4,	 /* the monitor did not deliver a platform token */
	RMM_ATTEST_ERR_CRYPTO = -5,	 /* public key, hash or signature failed */
};

/*
 * Cold boot, CPU 0, after crypto_init(), before the first RMI call: fetches
 * the RAK from the monitor (RMM_ATTEST_GET_REALM_KEY) and checks it is a
 * P-384 scalar; logs "rmm: RAK ready". No scalar multiplication here (boot
 * time): the public key, its COSE_Key and the platform token are made on
 * the first rmm_attest_token(). Returns 0 or an RMM_ATTEST_ERR_* (then
 * every rmm_attest_token() fails with RMM_ATTEST_ERR_UNAVAILABLE; the RMM
 * can still run realms).
 */
int rmm_attest_init(void);

/*
 * Optional: computes the RAK public key and fetches the platform token now
 * (about 11 M instructions, once per boot; later calls return at once), so
 * that the first rmm_attest_token() costs one signature like the others.
 * For a point where the latency does not matter, e.g. the first realm's
 * activation. Returns 0 or an RMM_ATTEST_ERR_*.
 */
int rmm_attest_prepare(void);

/*
 * The CCA token of a realm into buf: challenge (64 bytes, realm claim 10),
 * rim and rems[4] (RMM_ATTEST_MEAS_SIZE buffers; the first 32 or 64 bytes
 * count, by hash_algo: 0 SHA-256, 1 SHA-512, RmiHashAlgorithm), rpv (64).
 * Returns the token length or an RMM_ATTEST_ERR_*; on an error buf is
 * zeroed. Any CPU; serialised by the attestation lock. Without an earlier
 * rmm_attest_prepare(), the first call per boot also does its work (17 M
 * instructions in all, measured); a token is otherwise one signature (6.2 M).
 */
long rmm_attest_token(const uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE], const uint8_t *rim,
		      const uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE], unsigned int hash_algo,
		      const uint8_t rpv[RMM_ATTEST_RPV_SIZE], uint8_t *buf, size_t cap);

/*
 * The same token with the signature made in steps, so that a realm's
 * TOKEN_CONTINUE calls stay short (rsi_attest.c):
 * rmm_attest_token_unsigned() encodes the whole CCA token with a placeholder
 * where the realm token's signature goes - its last RMM_ATTEST_SIG_SIZE bytes -
 * and returns the hash to sign; rmm_attest_sign_start() begins signing it
 * with the RAK in *st (which must stay where it is until the end), each
 * rmm_attest_sign_step() does a bounded part and returns 1 while work
 * remains, 0 with the signature in sig, or an RMM_ATTEST_ERR_*.
 * rmm_attest_sign_abort() gives up a signing in progress.
 *
 * At most RMM_ATTEST_MAX_SIGNINGS are in progress at once (their state sits
 * in the crypto arena): start returns RMM_ATTEST_ERR_BUSY beyond that, and
 * the caller tries again later - nothing ever signs in one go. So that an
 * idle holder (a REC that stopped calling, or one its host does not run)
 * cannot keep everyone else waiting, a slot whose holder has not stepped for
 * RMM_ATTEST_LEASE_MS is taken over by the next start: the old holder's next
 * step returns RMM_ATTEST_ERR_LOST and it starts again. *ticket names the
 * slot (start fills it in; step and abort check it).
 */
#define RMM_ATTEST_SIG_SIZE 96
#define RMM_ATTEST_HASH_SIZE 48
#define RMM_ATTEST_MAX_SIGNINGS 2
#define RMM_ATTEST_LEASE_MS 20
#define RMM_ATTEST_ERR_BUSY (-6)
#define RMM_ATTEST_ERR_LOST (-7)
struct crypto_p384_signing;
struct rmm_attest_ticket {
	uint32_t slot, gen;
};
long rmm_attest_token_unsigned(const uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE], const uint8_t *rim,
			       const uint8_t rems[RMM_ATTEST_NUM_REMS][RMM_ATTEST_MEAS_SIZE],
			       unsigned int hash_algo, const uint8_t rpv[RMM_ATTEST_RPV_SIZE], uint8_t *buf,
			       size_t cap, uint8_t hash[RMM_ATTEST_HASH_SIZE]);
/* Whether a start would find a slot now (free, or held past its lease). */
int rmm_attest_sign_available(void);
int rmm_attest_sign_start(struct crypto_p384_signing *st, const uint8_t hash[RMM_ATTEST_HASH_SIZE],
			  struct rmm_attest_ticket *ticket);
int rmm_attest_sign_step(struct crypto_p384_signing *st, const struct rmm_attest_ticket *ticket,
			 uint8_t sig[RMM_ATTEST_SIG_SIZE]);
void rmm_attest_sign_abort(struct crypto_p384_signing *st, const struct rmm_attest_ticket *ticket);
#endif
