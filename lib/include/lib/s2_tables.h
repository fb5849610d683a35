/*
 * How many translation-table pages arch/arm64/mmu.c's mmu_map() takes for a
 * set of mappings: the number the partition compiler checks every normal
 * VM's stage 2 against (RAMPART_S2_TABLE_PAGES), so that a tree it accepts
 * never runs the hypervisor's table pool dry at boot.
 *
 * The walk modelled (arch/arm64/mmu.c): 4 KiB granule, start level 1, no
 * level-1 blocks; a level-2 block where IPA and PA are both 2 MiB aligned
 * and 2 MiB remain, else 4 KiB pages. So the pages are: the level-1 root,
 * one level-2 table per 1 GiB of IPA touched, one level-3 table per 2 MiB of
 * IPA that is not mapped as a whole block. tests/unit/test_mmu.c compares
 * the count with what mmu_map() really takes.
 *
 * Pure arithmetic on the host and the target; no recursion, bounded arrays.
 */
#ifndef LIB_S2_TABLES_H
#define LIB_S2_TABLES_H
#include <stdint.h>

#define S2_TABLES_MAX_MAPS 40U /* RAM + passthrough MMIO + shared memory of one partition, with room */

struct s2_map {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size; /* bytes, 4 KiB multiple; ipa + size must not wrap */
};

/* Table pages for maps[0..n-1] (non-overlapping); 0 if n > S2_TABLES_MAX_MAPS. */
unsigned int s2_tables_needed(const struct s2_map *maps, unsigned int n);
#endif
