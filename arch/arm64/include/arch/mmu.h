/*
 * Stage-1 translation tables for the EL2 and EL3 regimes: 4 KiB granule,
 * 39-bit VA (start level 1), identity or offset mappings built at boot
 * from a static pool of table pages.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <arch/sysreg.h>

#define MMU_VA_BITS 39
#define MMU_PA_BITS 40 /* TCR_ELx.PS below */
#define MMU_ENTRIES 512
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define BLOCK_2M (1UL << 21)
#define BLOCK_1G (1UL << 30)

/* MAIR attribute indices */
#define MAIR_IDX_DEVICE 0 /* Device-nGnRnE */
#define MAIR_IDX_NORMAL 1 /* Normal, inner/outer write-back RA/WA */
#define MAIR_VALUE 0x000000000000ff00UL

#define PTE_VALID BIT(0)
#define PTE_TABLE_OR_PAGE BIT(1)
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_NS BIT(5)
#define PTE_AP_RO BIT(7)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF BIT(10)
#define PTE_NSE BIT(11) /* EL3 regime only: with NS selects Root/Realm PAS */
#define PTE_XN BIT(54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL
/* The attribute bits a caller may pass to mmu_map(). */
#define MMU_ATTR_MASK (PTE_ATTRIDX(7) | PTE_NS | PTE_AP_RO | PTE_SH_INNER | PTE_AF | PTE_NSE | PTE_XN)

#define MT_DEVICE (PTE_ATTRIDX(MAIR_IDX_DEVICE) | PTE_AF | PTE_XN)
#define MT_RAM_RW (PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_XN)
#define MT_RAM_RO (MT_RAM_RW | PTE_AP_RO)
#define MT_CODE (PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_RO)

/* Physical address space selection in EL3 stage-1 descriptors. */
#define MT_PAS_ROOT PTE_NSE
#define MT_PAS_REALM (PTE_NSE | PTE_NS)
#define MT_PAS_NS PTE_NS

/* Stage-2 leaf attributes (HCR_EL2.FWB = 0 encodings). */
#define S2_MEMATTR(v) ((uint64_t)(v) << 2)
#define S2_MEMATTR_DEVICE_NGNRE S2_MEMATTR(0x1)
#define S2_MEMATTR_NORMAL_WB S2_MEMATTR(0xf)
#define S2_AP_R (1UL << 6)
#define S2_AP_W (1UL << 7)
#define S2_XN (2UL << 53)
#define S2_ATTR_MASK (S2_MEMATTR(0xf) | S2_AP_R | S2_AP_W | PTE_SH_INNER | PTE_AF | (3UL << 53))
#define S2_RAM (S2_MEMATTR_NORMAL_WB | S2_AP_R | S2_AP_W | PTE_SH_INNER | PTE_AF)
#define S2_DEVICE (S2_MEMATTR_DEVICE_NGNRE | S2_AP_R | S2_AP_W | PTE_AF | S2_XN)

/*
 * Stage 2 walks the same 39 bits from level 1 as stage 1 (mmu_map is shared).
 * The partition compiler checks guest IPAs against RAMPART_GUEST_IPA_BITS
 * (rampart/partition.h); the hypervisor asserts that the two are equal.
 */
#define MMU_S2_IPA_BITS MMU_VA_BITS

/* VTCR_EL2: 39-bit IPA, start level 1, 4 KiB, WB inner shareable walks, 40-bit PA. */
#define VTCR_VALUE                                                                                      \
	((64UL - MMU_S2_IPA_BITS) | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | \
	 BIT(31))

/* TCR_EL2 (E2H = 0) and TCR_EL3 share this layout: 39-bit VA, 40-bit PA, WB IS. */
#define TCR_VALUE \
	((64UL - MMU_VA_BITS) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | BIT(23) | BIT(31))

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

typedef uint64_t mmu_table_t[MMU_ENTRIES];

struct mmu_tables {
	mmu_table_t *pool; /* pool[0] is the level-1 root */
	unsigned int npages;
	unsigned int used;
	uint64_t attr_mask; /* leaf attribute bits callers may pass */
};

enum mmu_err {
	MMU_OK = 0,
	MMU_ERR_ALIGN = -1,   /* va, pa or size not page aligned */
	MMU_ERR_RANGE = -2,   /* beyond MMU_VA_BITS */
	MMU_ERR_NOMEM = -3,   /* table pool exhausted */
	MMU_ERR_OVERLAP = -4, /* region already mapped */
	MMU_ERR_ATTR = -5,    /* attribute bits outside MMU_ATTR_MASK */
};

/* Stage-1 tables (EL2/EL3 regimes). */
void mmu_init(struct mmu_tables *t, mmu_table_t *pool, unsigned int npages);
/* Stage-2 tables of a VM: same walk (39-bit IPA, start level 1), stage-2 leaf attributes. */
void mmu_init_stage2(struct mmu_tables *t, mmu_table_t *pool, unsigned int npages);
int mmu_map(struct mmu_tables *t, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);
/* Enable the MMU of the current EL (EL2 or EL3) with t's root table. */
void mmu_enable_el3(const struct mmu_tables *t);
void mmu_enable_el2(const struct mmu_tables *t);
#endif
#endif
