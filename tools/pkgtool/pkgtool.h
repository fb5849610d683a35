/* pkgtool (tools/pkgtool/pkgtool.c): shared between the command line and the host crypto glue. */
#ifndef PKGTOOL_H
#define PKGTOOL_H
#include <stddef.h>
#include <stdint.h>
#include <rampart/manifest.h>

struct host_key {
	uint8_t pub[MF_PUBKEY_SIZE];
	uint8_t signer_id[MF_SIGNER_ID_SIZE];
	uint8_t priv[48];
	int has_private;
};

extern const struct mf_crypto host_crypto;
/* A P-384 key from PEM (private, or public only): 0, or -1 if it is not one. */
int host_load_key(const char *path, struct host_key *k);
int host_sign(const struct host_key *k, const uint8_t hash[MF_HASH_SIZE], uint8_t sig[MF_SIG_SIZE]);
/* The monitor's verification-cache MAC (monitor/secure_boot.c): HMAC-SHA-384 under the seed. */
int host_cache_mac(const uint8_t *seed, size_t seed_len, unsigned int bank, const uint8_t hash[MF_HASH_SIZE],
		   const uint8_t sig[MF_SIG_SIZE], const uint8_t signer_id[MF_SIGNER_ID_SIZE],
		   uint8_t mac[48]);
#endif
