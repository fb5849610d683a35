/* Mbed TLS includes <stdio.h> unconditionally; with no FS_IO and no printf it needs nothing from it. */
#ifndef CRYPTO_LIBC_STDIO_H
#define CRYPTO_LIBC_STDIO_H
#include <stddef.h>
#endif
