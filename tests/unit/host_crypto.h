/*
 * lib/crypto's crypto_hash_ops for the host unit tests: rmm/measure.c links
 * against it unchanged, and the hashes come from the distribution's
 * libmbedcrypto through tools/refvalues/hash_host.c (the reference-value
 * tool's own glue). A test can make every hash fail to reach the RMM's
 * failure path. Thread safe.
 */
#ifndef HOST_CRYPTO_H
#define HOST_CRYPTO_H

/* Non-zero: every later init/update/final fails (returns -1). */
void host_crypto_fail(int on);
/* Hash computations started (init calls) so far. */
unsigned long host_crypto_inits(void);
#endif
