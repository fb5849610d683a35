/* Only the type Mbed TLS's platform headers name; firmware has no time functions (no MBEDTLS_HAVE_TIME). */
#ifndef CRYPTO_LIBC_TIME_H
#define CRYPTO_LIBC_TIME_H
typedef long long time_t;
#endif
