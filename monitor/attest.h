/*
 * Platform attestation (docs/attestation.md): the RMM-EL3 attestation calls
 * of reference §5.2, served to the RMM at R-EL2 only (monitor/smc.c).
 */
#ifndef MONITOR_ATTEST_H
#define MONITOR_ATTEST_H
#include <stdint.h>

#ifdef CONFIG_MONITOR_ATTESTATION
#include <crypto/crypto.h>
/* HMAC-SHA-384 under the device seed (secure boot's verification cache): 0 or -1. */
int attest_device_mac(const struct crypto_part *parts, unsigned int n, uint8_t mac[CRYPTO_SHA384_SIZE]);
/* Cold boot, CPU 0, after measured boot: the development-key warning. Computes nothing. */
void attest_init(void);
/*
 * RMM_ATTEST_GET_REALM_KEY: buf/size in the RMM shared buffer, curve 0
 * (P-384). Returns an E_RMM_* status; *key_size is the bytes written.
 */
long attest_get_realm_key(uint64_t buf, uint64_t size, uint64_t curve, uint64_t *key_size);
/*
 * RMM_ATTEST_GET_PLAT_TOKEN: the first call carries the challenge in the
 * buffer (challenge_size 32/48/64) and starts a transfer; follow-up calls
 * (challenge_size 0) get the next hunks. *hunk is the bytes written now,
 * *remaining what is still to come. Returns an E_RMM_* status.
 */
long attest_get_plat_token(uint64_t buf, uint64_t size, uint64_t challenge_size, uint64_t *hunk,
			   uint64_t *remaining);
#else
static inline void attest_init(void) {}
#endif
#endif
