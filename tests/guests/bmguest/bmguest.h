/* A bare-metal EL1 guest for partition tests (see README in tests/guests). */
#ifndef BMGUEST_H
#define BMGUEST_H

#define BMGUEST_IPA_BASE 0x40000000
#define BMGUEST_STACK_SIZE 0x1000
#define BMGUEST_MAX_VCPUS 4

#ifndef __ASSEMBLY__
#include <stdint.h>
/* The first value of `key=` in the DTB's /chosen/bootargs, or NULL. */
const char *bootarg(const void *dtb, const char *key, unsigned int *len);
#endif
#endif
