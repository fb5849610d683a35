/* The one <limits.h> value libfdt uses, from the compiler (GCC's own header chains to a libc one). */
#ifndef FDT_LIBC_LIMITS_H
#define FDT_LIBC_LIMITS_H
#define INT_MAX __INT_MAX__
#endif
