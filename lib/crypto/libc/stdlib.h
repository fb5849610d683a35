/* No allocator or other stdlib functions in firmware: Mbed TLS allocates from the arena. */
#ifndef CRYPTO_LIBC_STDLIB_H
#define CRYPTO_LIBC_STDLIB_H
#include <stddef.h>
#endif
