/*
 * Realm stage-2 translation tables (RTTs): the entry encoding, in this one
 * place, and the table walk.
 *
 * Every entry the RMM writes is a VMSAv8-64 stage-2 descriptor for a 4 KiB
 * granule, 48-bit output addresses, no LPA2, and HCR_EL2.FWB = 1, so the
 * realm's RTTs are what VTTBR_EL2 points at when a realm runs.
 *
 * Valid descriptors (bit 0 = 1):
 *   TABLE         levels 0-2, [1:0] = 0b11, [47:12] = PA of the next RTT.
 *   ASSIGNED RAM  level-3 page ([1:0] = 0b11) or level-1/2 block ([1:0] =
 *                 0b01): [47:lvl] = PA of the DATA granule(s), MemAttr[4:2]
 *                 = 0b110 (FWB: Normal Write-Back whatever stage 1 says),
 *                 S2AP[7:6] = 0b11 (read/write), SH[9:8] = 0b11 (Inner
 *                 Shareable), AF[10] = 1, XN[54] = 0, NS[55] = 0 (Realm PAS).
 *   ASSIGNED_NS   page or block at an unprotected IPA: OA, MemAttr[4:2] and
 *                 S2AP[7:6] as the host gave them to RTT_MAP_UNPROTECTED,
 *                 SH Inner Shareable if MemAttr is cacheable, else Outer
 *                 Shareable (RMM 1.0 A5.5.11), AF = 1, XN[54] = 1, NS[55] = 1
 *                 (output in the Non-secure PAS).
 * Invalid descriptors (bit 0 = 0), where the hardware ignores every other
 * bit, carry the RMM's software state:
 *   [4:2]   HIPAS  0 UNASSIGNED, 1 ASSIGNED
 *   [6:5]   RIPAS  0 EMPTY, 1 RAM, 2 DESTROYED
 *   [47:lvl] PA of the DATA granule(s) when HIPAS = ASSIGNED
 *   [55]    NS: an unprotected IPA with nothing mapped (UNASSIGNED_NS,
 *           HIPAS = UNASSIGNED, RIPAS field 0)
 * An all-zero entry is therefore UNASSIGNED EMPTY, and a DELEGATED (zeroed)
 * granule is an RTT full of them. ASSIGNED RAM is never stored invalid:
 * invalid ASSIGNED entries are EMPTY or DESTROYED, which the realm may not
 * access. Blocks exist at levels 1 and 2 only (never level 0).
 */
#ifndef RMM_S2TT_H
#define RMM_S2TT_H
#include <stdint.h>
#include "granule.h"

#define RTT_PAGE_LEVEL 3
#define RTT_MIN_BLOCK_LEVEL 1
#define RTT_ENTRIES 512U
_Static_assert(GRANULE_RTT_REFCOUNT_MAX == RTT_ENTRIES, "an RTT counts at most one per entry");
#define RTT_STRIDE 9
#define RTT_OA_BITS 48

#define RTTE_VALID (1UL << 0)
#define RTTE_TYPE_MASK 3UL
#define RTTE_TYPE_TABLE 3UL /* levels 0-2 */
#define RTTE_TYPE_PAGE 3UL  /* level 3 */
#define RTTE_TYPE_BLOCK 1UL /* levels 1-2 */
#define RTTE_MEMATTR_MASK (7UL << 2)
#define RTTE_MEMATTR_FWB_NORMAL_WB (6UL << 2)
#define RTTE_MEMATTR_FWB_RESERVED (4UL << 2)
#define RTTE_S2AP_MASK (3UL << 6)
#define RTTE_S2AP_RW (3UL << 6)
#define RTTE_SH_MASK (3UL << 8)
#define RTTE_SH_OS (2UL << 8)
#define RTTE_SH_IS (3UL << 8)
#define RTTE_AF (1UL << 10)
#define RTTE_XN (1UL << 54)
#define RTTE_NS (1UL << 55)
#define RTTE_OA_MASK 0x0000fffffffff000UL
/* Software fields of invalid entries. */
#define RTTE_HIPAS_SHIFT 2
#define RTTE_HIPAS_MASK (7UL << RTTE_HIPAS_SHIFT)
#define RTTE_HIPAS_UNASSIGNED 0UL
#define RTTE_HIPAS_ASSIGNED 1UL
#define RTTE_RIPAS_SHIFT 5
#define RTTE_RIPAS_MASK (3UL << RTTE_RIPAS_SHIFT)
/* RIPAS values: as RMI_EMPTY / RMI_RAM / RMI_DESTROYED in rampart/rmi.h */
#define RIPAS_EMPTY 0U
#define RIPAS_RAM 1U
#define RIPAS_DESTROYED 2U

/* Realm RAM: FWB Normal WB, RW, Inner Shareable, accessed, executable. */
#define RTTE_RAM_ATTRS (RTTE_MEMATTR_FWB_NORMAL_WB | RTTE_S2AP_RW | RTTE_SH_IS | RTTE_AF)
/* What RTT_MAP_UNPROTECTED takes from the host besides the output address. */
#define RTTE_HOST_NS_ATTRS (RTTE_MEMATTR_MASK | RTTE_S2AP_MASK)
/* What the RMM adds to a host NS descriptor (and the shareability, rtte_ns_sh()). */
#define RTTE_NS_ATTRS (RTTE_AF | RTTE_XN | RTTE_NS)
/* FWB MemAttr 0b111: the stage-1 attributes decide, so the mapping may be cacheable. */
#define RTTE_MEMATTR_FWB_S1 (7UL << 2)

enum rtte_kind {
	RTTE_UNASSIGNED_EMPTY,
	RTTE_UNASSIGNED_RAM,
	RTTE_UNASSIGNED_DESTROYED,
	RTTE_ASSIGNED_EMPTY,
	RTTE_ASSIGNED_RAM,
	RTTE_ASSIGNED_DESTROYED,
	RTTE_UNASSIGNED_NS,
	RTTE_ASSIGNED_NS,
	RTTE_TABLE,
	RTTE_BAD, /* never written by the RMM */
};

/* Bits of IPA translated below an entry at `level`: 12 (page) .. 39 (level 0). */
static inline unsigned int rtt_level_shift(int level)
{
	return GRANULE_SHIFT + RTT_STRIDE * (unsigned int)(RTT_PAGE_LEVEL - level);
}
static inline uint64_t rtt_level_size(int level)
{
	return 1UL << rtt_level_shift(level);
}
static inline int rtt_level_aligned(uint64_t addr, int level)
{
	return (addr & (rtt_level_size(level) - 1)) == 0;
}
/* Output address bits of an entry at `level` (a table's is [47:12]). */
static inline uint64_t rtte_oa_mask(int level)
{
	return RTTE_OA_MASK & ~(rtt_level_size(level) - 1);
}

static inline uint64_t rtte_read(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}
/* Single-copy atomic, as the hardware walker may read the entry at any time. */
static inline void rtte_write(uint64_t *p, uint64_t e)
{
	__atomic_store_n(p, e, __ATOMIC_RELAXED);
}

static inline enum rtte_kind rtte_kind(uint64_t e, int level)
{
	if (e & RTTE_VALID) {
		uint64_t type = e & RTTE_TYPE_MASK;
		if (level < RTT_PAGE_LEVEL && type == RTTE_TYPE_TABLE)
			return RTTE_TABLE;
		if ((level == RTT_PAGE_LEVEL && type == RTTE_TYPE_PAGE) ||
		    (level >= RTT_MIN_BLOCK_LEVEL && level < RTT_PAGE_LEVEL && type == RTTE_TYPE_BLOCK))
			return (e & RTTE_NS) ? RTTE_ASSIGNED_NS : RTTE_ASSIGNED_RAM;
		return RTTE_BAD;
	}
	uint64_t hipas = (e & RTTE_HIPAS_MASK) >> RTTE_HIPAS_SHIFT;
	uint64_t ripas = (e & RTTE_RIPAS_MASK) >> RTTE_RIPAS_SHIFT;
	if (e & RTTE_NS)
		return (hipas == RTTE_HIPAS_UNASSIGNED && ripas == 0) ? RTTE_UNASSIGNED_NS : RTTE_BAD;
	if (hipas == RTTE_HIPAS_UNASSIGNED)
		return ripas == RIPAS_EMPTY	  ? RTTE_UNASSIGNED_EMPTY
		       : ripas == RIPAS_RAM	  ? RTTE_UNASSIGNED_RAM
		       : ripas == RIPAS_DESTROYED ? RTTE_UNASSIGNED_DESTROYED
						  : RTTE_BAD;
	if (hipas == RTTE_HIPAS_ASSIGNED)
		return ripas == RIPAS_EMPTY	  ? RTTE_ASSIGNED_EMPTY
		       : ripas == RIPAS_DESTROYED ? RTTE_ASSIGNED_DESTROYED
						  : RTTE_BAD;
	return RTTE_BAD;
}

static inline int rtte_kind_is_assigned(enum rtte_kind k)
{
	return k == RTTE_ASSIGNED_EMPTY || k == RTTE_ASSIGNED_RAM || k == RTTE_ASSIGNED_DESTROYED;
}
static inline int rtte_kind_is_unassigned(enum rtte_kind k)
{
	return k == RTTE_UNASSIGNED_EMPTY || k == RTTE_UNASSIGNED_RAM || k == RTTE_UNASSIGNED_DESTROYED;
}
/* Live: has an output address (ASSIGNED, ASSIGNED_NS or TABLE). */
static inline int rtte_kind_is_live(enum rtte_kind k)
{
	return rtte_kind_is_assigned(k) || k == RTTE_ASSIGNED_NS || k == RTTE_TABLE;
}
/* RIPAS of a protected (non-NS, non-table) entry kind. */
static inline unsigned int rtte_kind_ripas(enum rtte_kind k)
{
	switch (k) {
	case RTTE_UNASSIGNED_RAM:
	case RTTE_ASSIGNED_RAM:
		return RIPAS_RAM;
	case RTTE_UNASSIGNED_DESTROYED:
	case RTTE_ASSIGNED_DESTROYED:
		return RIPAS_DESTROYED;
	default:
		return RIPAS_EMPTY;
	}
}

static inline uint64_t rtte_pa(uint64_t e, int level)
{
	return e & rtte_oa_mask(level);
}
static inline uint64_t rtte_unassigned(unsigned int ripas)
{
	return (RTTE_HIPAS_UNASSIGNED << RTTE_HIPAS_SHIFT) | ((uint64_t)ripas << RTTE_RIPAS_SHIFT);
}
static inline uint64_t rtte_unassigned_ns(void)
{
	return RTTE_NS;
}
/* pa aligned to the level; blocks at levels 1-2 only. */
static inline uint64_t rtte_assigned(uint64_t pa, int level, unsigned int ripas)
{
	if (ripas == RIPAS_RAM)
		return pa | RTTE_RAM_ATTRS | (level == RTT_PAGE_LEVEL ? RTTE_TYPE_PAGE : RTTE_TYPE_BLOCK);
	return pa | (RTTE_HIPAS_ASSIGNED << RTTE_HIPAS_SHIFT) | ((uint64_t)ripas << RTTE_RIPAS_SHIFT);
}
static inline uint64_t rtte_table(uint64_t pa)
{
	return pa | RTTE_TYPE_TABLE;
}
/* A host descriptor for RTT_MAP_UNPROTECTED at `level`: only OA, MemAttr, S2AP, valid MemAttr. */
static inline int rtte_host_ns_valid(uint64_t desc, int level)
{
	return (desc & ~(rtte_oa_mask(level) | RTTE_HOST_NS_ATTRS)) == 0 &&
	       (desc & RTTE_MEMATTR_MASK) != RTTE_MEMATTR_FWB_RESERVED;
}
/*
 * A5.5.11: "Inner Shareable if the mapping is cacheable, Outer Shareable if
 * the mapping is non-cacheable". With FWB, MemAttr 0b110 forces Write-Back
 * and 0b111 takes stage 1's (maybe cacheable) attributes; 0b101 is
 * Non-cacheable and 0b0xx Device (shareability ignored, Outer here).
 */
static inline uint64_t rtte_ns_sh(uint64_t host_desc)
{
	uint64_t attr = host_desc & RTTE_MEMATTR_MASK;

	return attr == RTTE_MEMATTR_FWB_NORMAL_WB || attr == RTTE_MEMATTR_FWB_S1 ? RTTE_SH_IS : RTTE_SH_OS;
}
static inline uint64_t rtte_assigned_ns(uint64_t host_desc, int level)
{
	return (host_desc & (rtte_oa_mask(level) | RTTE_HOST_NS_ATTRS)) | rtte_ns_sh(host_desc) |
	       RTTE_NS_ATTRS | (level == RTT_PAGE_LEVEL ? RTTE_TYPE_PAGE : RTTE_TYPE_BLOCK);
}
/* The host's part of an ASSIGNED_NS entry (what RTT_READ_ENTRY reports). */
static inline uint64_t rtte_host_ns(uint64_t e, int level)
{
	return e & (rtte_oa_mask(level) | RTTE_HOST_NS_ATTRS);
}

/* A realm's stage-2 geometry, fixed at REALM_CREATE (kept in the RD). */
struct s2_ctx {
	uint64_t rtt_base;   /* PA of the first root RTT */
	uint32_t ipa_bits;   /* s2sz */
	int32_t start_level; /* rtt_level_start, 0..3 */
	uint32_t num_root;   /* rtt_num_start: concatenated root RTTs */
	uint32_t vmid;
};

static inline uint64_t s2_ipa_size(const struct s2_ctx *s2)
{
	return 1UL << s2->ipa_bits;
}
/* Protected address range: the lower half of the IPA space. */
static inline int s2_addr_in_par(const struct s2_ctx *s2, uint64_t ipa)
{
	return ipa < (1UL << (s2->ipa_bits - 1));
}

/* Where a walk stopped: the RTT at `level` (locked), and the entry for the IPA in it. */
struct rtt_walk {
	struct granule *g;
	uint64_t pa;
	uint64_t *tbl;
	unsigned int idx;
	int level;
};

/*
 * Lock the root RTT translating ipa (< 2^ipa_bits) and point w at its entry.
 * The caller holds the RD lock (lock order 2).
 */
void rtt_walk_root(const struct s2_ctx *s2, uint64_t ipa, struct rtt_walk *w);
/*
 * Go down from w towards `level`, hand over hand, while the entry is a
 * table. On return w->level is where it stopped (<= level) and only w->g
 * is locked. A loop, not a recursion.
 */
void rtt_walk_down(uint64_t ipa, int level, struct rtt_walk *w);
/* rtt_walk_root + rtt_walk_down. */
void rtt_walk(const struct s2_ctx *s2, uint64_t ipa, int level, struct rtt_walk *w);
static inline uint64_t *rtt_walk_entry(const struct rtt_walk *w)
{
	return &w->tbl[w->idx];
}
static inline void rtt_walk_unlock(struct rtt_walk *w)
{
	granule_unlock(w->g);
}
/*
 * The "top" output of DATA_DESTROY, RTT_DESTROY and RTT_UNMAP_UNPROTECTED:
 * ipa if w's entry is live, else the address of the next live entry of the
 * same RTT after it, else the address just past that RTT.
 */
uint64_t rtt_skip_non_live(const struct rtt_walk *w, uint64_t ipa);
/*
 * RMM 1.0 B3.75 RttSkipEntriesWithRipas for the RTT of w, from base (in w's
 * entry) to top: the IPA of the first entry without a RIPAS (TABLE, or
 * unprotected), or with RIPAS DESTROYED if stop_at_destroyed, else the end
 * of the RTT; at most top; aligned down to w's level. The "walk_top" of
 * RTT_INIT_RIPAS and RTT_SET_RIPAS.
 */
uint64_t rtt_skip_ripas(const struct rtt_walk *w, uint64_t base, uint64_t top, int stop_at_destroyed);
/*
 * Classify the 512 entries of an RTT at `level` for RTT_FOLD. Returns the
 * kind they all share and, for ASSIGNED / ASSIGNED_NS kinds, *pa = the first
 * output address (the run must be contiguous and aligned to level - 1; for
 * ASSIGNED_NS the host attributes equal, *ns_attrs). RTTE_BAD otherwise.
 */
enum rtte_kind rtt_uniform(const uint64_t *tbl, int level, uint64_t *pa, uint64_t *ns_attrs);
#endif
