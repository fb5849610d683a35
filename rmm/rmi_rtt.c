/*
 * RTT structure and unprotected-mapping commands: RMI_RTT_CREATE,
 * RMI_RTT_DESTROY, RMI_RTT_FOLD, RMI_RTT_READ_ENTRY,
 * RMI_RTT_MAP_UNPROTECTED, RMI_RTT_UNMAP_UNPROTECTED.
 */
#include <rampart/rmi.h>
#include "realm.h"
#include "rmm_arch.h"

/* A level argument as the host passed it: -1 if it cannot be an RTT level. */
static int level_arg(uint64_t v)
{
	return v <= RTT_PAGE_LEVEL ? (int)v : -1;
}

/* Structure commands name the child RTT's level: [start + 1, 3], ipa aligned to its parent entry. */
static int structure_args_valid(const struct s2_ctx *s2, uint64_t ipa, int level)
{
	return level > s2->start_level && level <= RTT_PAGE_LEVEL && ipa < s2_ipa_size(s2) &&
	       rtt_level_aligned(ipa, level - 1);
}

/* Map commands: a block or page level [max(1, start), 3], ipa aligned to it. */
static int map_args_valid(const struct s2_ctx *s2, uint64_t ipa, int level)
{
	return level >= RTT_MIN_BLOCK_LEVEL && level >= s2->start_level && level <= RTT_PAGE_LEVEL &&
	       ipa < s2_ipa_size(s2) && rtt_level_aligned(ipa, level);
}

/* Lock the RD and copy its stage-2 context; NULL if rd_pa is not an RD. */
static struct granule *rd_s2(uint64_t rd_pa, struct s2_ctx *s2)
{
	struct rd *rd;
	struct granule *g = rd_lock(rd_pa, &rd);

	if (g)
		*s2 = rd->s2;
	return g;
}

/* Walk from the root to `level` (lock order: RD, root, then down; the RD is released at the root). */
static void walk_release_rd(const struct s2_ctx *s2, struct granule *g_rd, uint64_t ipa, int level,
			    struct rtt_walk *w)
{
	rtt_walk_root(s2, ipa, w);
	granule_unlock(g_rd);
	rtt_walk_down(ipa, level, w);
}

/* The RTT a table entry points at, locked (lock order 3: a child of the locked RTT). */
static struct granule *lock_child_rtt(uint64_t e)
{
	struct granule *g = granule_find_lock(rtte_pa(e, RTT_PAGE_LEVEL), GRANULE_RTT);

	if (!g)
		rmm_panic("table entry 0x%lx does not point at an RTT", (unsigned long)e);
	return g;
}

void rmi_rtt_create(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], rtt_pa = regs[2], ipa = regs[3];
	int level = level_arg(regs[4]);
	struct granule *g_rd, *g_rtt;
	struct s2_ctx s2;
	struct rtt_walk w;

	if (granule_find_lock_two(rtt_pa, GRANULE_DELEGATED, &g_rtt, rd_pa, GRANULE_RD, &g_rd)) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	s2 = ((struct rd *)granule_map(rd_pa))->s2;
	if (!structure_args_valid(&s2, ipa, level) || rtt_pa >= (1UL << RTT_OA_BITS)) {
		granule_unlock(g_rd);
		granule_unlock(g_rtt);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level - 1, &w);
	if (w.level != level - 1) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
		goto out;
	}
	uint64_t *parent = rtt_walk_entry(&w), e = rtte_read(parent);
	enum rtte_kind k = rtte_kind(e, level - 1);
	uint64_t *tbl = granule_map(rtt_pa), size = rtt_level_size(level);
	uint64_t pa = rtte_pa(e, level - 1), attrs = e & RTTE_HOST_NS_ATTRS;

	if (k == RTTE_TABLE) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, level - 1);
		goto out;
	}
	/* An RTT from here on (a state changes with nothing counted), not yet reachable. */
	granule_set_state(g_rtt, GRANULE_RTT);

	/* The new RTT inherits the parent entry: 512 copies, or the block split in 512. */
	switch (k) {
	case RTTE_UNASSIGNED_EMPTY:
	case RTTE_UNASSIGNED_RAM:
	case RTTE_UNASSIGNED_DESTROYED:
		for (unsigned int i = 0; i < RTT_ENTRIES; i++)
			tbl[i] = rtte_unassigned(rtte_kind_ripas(k));
		granule_refcount_add(w.g, 1);
		break;
	case RTTE_UNASSIGNED_NS:
		for (unsigned int i = 0; i < RTT_ENTRIES; i++)
			tbl[i] = rtte_unassigned_ns();
		granule_refcount_add(w.g, 1);
		break;
	case RTTE_ASSIGNED_EMPTY:
	case RTTE_ASSIGNED_DESTROYED:
	case RTTE_ASSIGNED_RAM:
		for (unsigned int i = 0; i < RTT_ENTRIES; i++)
			tbl[i] = rtte_assigned(pa + i * size, level, rtte_kind_ripas(k));
		/* The parent's count is unchanged: its one assigned entry becomes one table. */
		granule_refcount_add(g_rtt, RTT_ENTRIES);
		break;
	case RTTE_ASSIGNED_NS:
		for (unsigned int i = 0; i < RTT_ENTRIES; i++)
			tbl[i] = rtte_assigned_ns(attrs | (pa + i * size), level);
		granule_refcount_add(w.g, 1);
		break;
	default:
		rmm_panic("corrupt RTT entry 0x%lx", (unsigned long)e);
	}
	if (k == RTTE_ASSIGNED_RAM || k == RTTE_ASSIGNED_NS) {
		/* Break before make: the valid block goes, its TLB entries go, then the table. */
		rtte_write(parent, 0);
		s2_tlbi_ipa(s2.vmid, ipa, level - 1);
	}
	rtte_write(parent, rtte_table(rtt_pa));
	regs[0] = RMI_SUCCESS;
out:
	rtt_walk_unlock(&w);
	granule_unlock(g_rtt);
}

void rmi_rtt_destroy(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2];
	int level = level_arg(regs[3]);
	struct s2_ctx s2;
	struct rtt_walk w;
	struct granule *g_rd = rd_s2(rd_pa, &s2);

	regs[1] = regs[2] = 0;
	if (!g_rd || !structure_args_valid(&s2, ipa, level)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level - 1, &w);
	uint64_t *parent = rtt_walk_entry(&w), e = rtte_read(parent);
	if (w.level != level - 1 || rtte_kind(e, w.level) != RTTE_TABLE) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
		regs[2] = rtt_skip_non_live(&w, ipa);
		rtt_walk_unlock(&w);
		return;
	}
	uint64_t rtt_pa = rtte_pa(e, RTT_PAGE_LEVEL);
	struct granule *g_rtt = lock_child_rtt(e);
	if (granule_refcount(g_rtt) != 0) { /* live: child RTTs or DATA */
		granule_unlock(g_rtt);
		rtt_walk_unlock(&w);
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, level);
		regs[2] = ipa;
		return;
	}
	if (s2_addr_in_par(&s2, ipa)) {
		/* Only unassigned entries below: nothing valid, only the walk entry to drop. */
		rtte_write(parent, rtte_unassigned(RIPAS_DESTROYED));
		s2_tlbi_ipa(s2.vmid, ipa, level - 1);
	} else {
		/* Unprotected: ASSIGNED_NS pages below are not counted and go with the RTT. */
		rtte_write(parent, rtte_unassigned_ns());
		s2_tlbi_vmid(s2.vmid);
	}
	granule_refcount_sub(w.g, 1);
	rmm_granule_scrub(rtt_pa);
	granule_set_state(g_rtt, GRANULE_DELEGATED);
	granule_unlock(g_rtt);
	regs[0] = RMI_SUCCESS;
	regs[1] = rtt_pa;
	regs[2] = rtt_skip_non_live(&w, ipa);
	rtt_walk_unlock(&w);
}

/* The parent entry replacing a folded RTT at `level`, or an RMI error code. */
static unsigned long fold_entry(const uint64_t *tbl, int level, unsigned int refcount, uint64_t *entry)
{
	uint64_t pa, attrs;
	enum rtte_kind k = rtt_uniform(tbl, level, &pa, &attrs);

	if (refcount == 0) {
		if (rtte_kind_is_unassigned(k)) {
			*entry = rtte_unassigned(rtte_kind_ripas(k));
			return RMI_SUCCESS;
		}
		if (k == RTTE_UNASSIGNED_NS) {
			*entry = rtte_unassigned_ns();
			return RMI_SUCCESS;
		}
		if (k == RTTE_ASSIGNED_NS) {
			/* A5.5.6: an RTT of ASSIGNED_NS entries is homogeneous only at level 2 or 3. */
			if (level - 1 < RTT_MIN_BLOCK_LEVEL)
				return RMI_RETURN(RMI_ERROR_RTT, level);
			*entry = rtte_assigned_ns(attrs | pa, level - 1);
			return RMI_SUCCESS;
		}
		return RMI_RETURN(RMI_ERROR_RTT, level);
	}
	if (refcount == RTT_ENTRIES) {
		/* Likewise ASSIGNED entries (there are no level-0 blocks): rtt_homo, ERROR_RTT(level). */
		if (level - 1 < RTT_MIN_BLOCK_LEVEL)
			return RMI_RETURN(RMI_ERROR_RTT, level);
		if (rtte_kind_is_assigned(k)) {
			*entry = rtte_assigned(pa, level - 1, rtte_kind_ripas(k));
			return RMI_SUCCESS;
		}
	}
	/* Mixed contents, child RTTs, or a run that is not one aligned block. */
	return RMI_RETURN(RMI_ERROR_RTT, level);
}

void rmi_rtt_fold(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2];
	int level = level_arg(regs[3]);
	struct s2_ctx s2;
	struct rtt_walk w;
	struct granule *g_rd = rd_s2(rd_pa, &s2);

	regs[1] = 0;
	if (!g_rd || !structure_args_valid(&s2, ipa, level)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level - 1, &w);
	if (w.level != level - 1) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
		rtt_walk_unlock(&w);
		return;
	}
	uint64_t *parent = rtt_walk_entry(&w), e = rtte_read(parent), entry = 0;
	if (rtte_kind(e, w.level) != RTTE_TABLE) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, level - 1);
		rtt_walk_unlock(&w);
		return;
	}
	uint64_t rtt_pa = rtte_pa(e, RTT_PAGE_LEVEL);
	struct granule *g_rtt = lock_child_rtt(e);
	unsigned int refcount = granule_refcount(g_rtt);
	unsigned long ret = fold_entry(granule_map(rtt_pa), level, refcount, &entry);
	if (ret != RMI_SUCCESS) {
		granule_unlock(g_rtt);
		rtt_walk_unlock(&w);
		regs[0] = ret;
		return;
	}
	/* Break before make; valid leaves below mean per-page TLB entries: drop the VMID's. */
	enum rtte_kind k = rtte_kind(entry, level - 1);
	rtte_write(parent, 0);
	if (k == RTTE_ASSIGNED_RAM || k == RTTE_ASSIGNED_NS)
		s2_tlbi_vmid(s2.vmid);
	else
		s2_tlbi_ipa(s2.vmid, ipa, level - 1);
	rtte_write(parent, entry);
	if (refcount == 0)
		granule_refcount_sub(w.g, 1); /* the table entry went, an uncounted entry came */
	else
		granule_refcount_sub(g_rtt, RTT_ENTRIES); /* the assigned entries moved up as one */
	rmm_granule_scrub(rtt_pa);
	granule_set_state(g_rtt, GRANULE_DELEGATED);
	granule_unlock(g_rtt);
	rtt_walk_unlock(&w);
	regs[0] = RMI_SUCCESS;
	regs[1] = rtt_pa;
}

void rmi_rtt_read_entry(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2];
	int level = level_arg(regs[3]);
	struct s2_ctx s2;
	struct rtt_walk w;
	struct granule *g_rd = rd_s2(rd_pa, &s2);

	if (!g_rd || level < s2.start_level || ipa >= s2_ipa_size(&s2) || !rtt_level_aligned(ipa, level)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level, &w);
	uint64_t e = rtte_read(rtt_walk_entry(&w));
	enum rtte_kind k = rtte_kind(e, w.level);
	uint64_t state = RMI_UNASSIGNED, desc = 0, ripas = RMI_EMPTY;

	switch (k) {
	case RTTE_UNASSIGNED_EMPTY:
	case RTTE_UNASSIGNED_RAM:
	case RTTE_UNASSIGNED_DESTROYED:
		ripas = rtte_kind_ripas(k);
		break;
	case RTTE_ASSIGNED_EMPTY:
	case RTTE_ASSIGNED_RAM:
	case RTTE_ASSIGNED_DESTROYED:
		state = RMI_ASSIGNED;
		desc = rtte_pa(e, w.level);
		ripas = rtte_kind_ripas(k);
		break;
	case RTTE_UNASSIGNED_NS:
		break;
	case RTTE_ASSIGNED_NS:
		state = RMI_ASSIGNED;
		desc = rtte_host_ns(e, w.level);
		break;
	case RTTE_TABLE:
		state = RMI_TABLE;
		desc = rtte_pa(e, RTT_PAGE_LEVEL);
		break;
	default:
		rmm_panic("corrupt RTT entry 0x%lx", (unsigned long)e);
	}
	regs[0] = RMI_SUCCESS;
	regs[1] = (uint64_t)w.level;
	regs[2] = state;
	regs[3] = desc;
	regs[4] = ripas;
	rtt_walk_unlock(&w);
}

void rmi_rtt_map_unprotected(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2], desc = regs[4];
	int level = level_arg(regs[3]);
	struct s2_ctx s2;
	struct rtt_walk w;

	if (level < RTT_MIN_BLOCK_LEVEL) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct granule *g_rd = rd_s2(rd_pa, &s2);
	if (!g_rd || !rtte_host_ns_valid(desc, level) || !map_args_valid(&s2, ipa, level) ||
	    s2_addr_in_par(&s2, ipa)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level, &w);
	uint64_t *p = rtt_walk_entry(&w);
	if (w.level != level)
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
	else if (rtte_kind(rtte_read(p), level) != RTTE_UNASSIGNED_NS)
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, level);
	else {
		/* Invalid to valid: no TLB maintenance. Not counted in the RTT's refcount. */
		rtte_write(p, rtte_assigned_ns(desc, level));
		regs[0] = RMI_SUCCESS;
	}
	rtt_walk_unlock(&w);
}

void rmi_rtt_unmap_unprotected(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2];
	int level = level_arg(regs[3]);
	struct s2_ctx s2;
	struct rtt_walk w;

	regs[1] = 0;
	if (level < RTT_MIN_BLOCK_LEVEL) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct granule *g_rd = rd_s2(rd_pa, &s2);
	if (!g_rd || !map_args_valid(&s2, ipa, level) || s2_addr_in_par(&s2, ipa)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	walk_release_rd(&s2, g_rd, ipa, level, &w);
	uint64_t *p = rtt_walk_entry(&w);
	if (w.level != level || rtte_kind(rtte_read(p), w.level) != RTTE_ASSIGNED_NS) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
	} else {
		rtte_write(p, rtte_unassigned_ns());
		s2_tlbi_ipa(s2.vmid, ipa, level);
		regs[0] = RMI_SUCCESS;
	}
	regs[1] = rtt_skip_non_live(&w, ipa);
	rtt_walk_unlock(&w);
}
