/*
 * The C library as libfdt sees it in firmware: only lib/fdt/libc is on its include path
 * (-nostdinc), so no hosted libc declaration reaches it. The functions are Rampart's own
 * (lib/string.c).
 */
#ifndef FDT_LIBC_STRING_H
#define FDT_LIBC_STRING_H
#include <lib/string.h>
#endif
