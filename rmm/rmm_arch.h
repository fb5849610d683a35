/*
 * What the RMM's portable logic needs from the machine. The target build
 * implements these in el3_ifc.c and mmu.c; unit tests provide fakes.
 */
#ifndef RMM_ARCH_H
#define RMM_ARCH_H
#include <stdint.h>

/* RMM_GTSI_DELEGATE / UNDELEGATE: 0 on success, an E_RMM_* code otherwise. */
long rmm_el3_gtsi_delegate(uint64_t pa);
long rmm_el3_gtsi_undelegate(uint64_t pa);
/* Zero a granule through the Realm PAS view. */
void rmm_granule_scrub(uint64_t pa);
void __attribute__((noreturn)) rmm_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
