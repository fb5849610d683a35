/* libfdt_env.h includes <stdlib.h> but libfdt calls nothing from it: no allocator in firmware. */
#ifndef FDT_LIBC_STDLIB_H
#define FDT_LIBC_STDLIB_H
#include <stddef.h>
#endif
