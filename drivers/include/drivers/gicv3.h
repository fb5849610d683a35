/* GICv3 set-up done by the Root world (EL3). */
#ifndef DRIVERS_GICV3_H
#define DRIVERS_GICV3_H
#include <stdint.h>

/* Distributor: affinity routing on, every SPI Non-secure Group 1. */
void gicv3_dist_init_el3(uintptr_t gicd);
/*
 * Wake the redistributor of the CPU with affinity `mpidr` and make its
 * SGIs/PPIs Non-secure Group 1, but the SGIs in el3_sgis (bit n: SGI n):
 * Group 0 (a FIQ for EL3), highest priority, enabled. Returns 0, or -1 if
 * no frame matches.
 */
int gicv3_rdist_init_el3(uintptr_t gicr, uint64_t mpidr, uint32_t el3_sgis);
/* The same for the first count frames, whatever CPUs they belong to (at cold boot). */
void gicv3_rdist_init_all_el3(uintptr_t gicr, unsigned int count, uint32_t el3_sgis);
/* Redistributor frames present (one per CPU the machine has), at most max. */
unsigned int gicv3_rdist_count(uintptr_t gicr, unsigned int max);
/*
 * ICC_SRE_EL3: system-register interface for every EL, EL2 may use it;
 * Group 0 enabled and the priority mask open.
 */
void gicv3_cpuif_init_el3(void);
#endif
