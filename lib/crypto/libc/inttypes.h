/* Mbed TLS includes it for int64_t only. */
#ifndef CRYPTO_LIBC_INTTYPES_H
#define CRYPTO_LIBC_INTTYPES_H
#include <stdint.h>
#endif
