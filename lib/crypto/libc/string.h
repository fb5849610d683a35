/*
 * The C library as Mbed TLS sees it in firmware: only these shims are on its
 * include path (-nostdinc), so no hosted libc declaration reaches lib/crypto.
 * The functions are Rampart's own (lib/string.c).
 */
#ifndef CRYPTO_LIBC_STRING_H
#define CRYPTO_LIBC_STRING_H
#include <lib/string.h>
#endif
