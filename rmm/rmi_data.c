/*
 * Protected memory: RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN,
 * RMI_DATA_DESTROY, RMI_RTT_INIT_RIPAS, RMI_RTT_SET_RIPAS.
 */
#include <lib/string.h>
#include <rampart/rmi.h>
#include "measure.h"
#include "realm.h"
#include "rec.h"
#include "rmm_arch.h"

/* A page-aligned IPA inside the PAR. */
static int data_ipa_valid(const struct s2_ctx *s2, uint64_t ipa)
{
	return s2_addr_in_par(s2, ipa) && rtt_level_aligned(ipa, RTT_PAGE_LEVEL);
}

/* DATA_CREATE (content: the RMM's copy of the source granule) and DATA_CREATE_UNKNOWN (NULL). */
static unsigned long data_create(uint64_t rd_pa, uint64_t data_pa, uint64_t ipa, const void *content,
				 uint64_t flags)
{
	struct granule *g_rd, *g_data;
	struct rtt_walk w;
	unsigned long ret;

	/* data_align/bound/state, rd_align/bound/state (one order: ascending PA), data_bound2, ipa_*. */
	if (granule_find_lock_two(data_pa, GRANULE_DELEGATED, &g_data, rd_pa, GRANULE_RD, &g_rd))
		return RMI_ERROR_INPUT;
	struct rd *rd = granule_map(rd_pa);
	if (!data_ipa_valid(&rd->s2, ipa) || data_pa >= (1UL << RTT_OA_BITS)) {
		ret = RMI_ERROR_INPUT;
		goto out_rd;
	}
	/* realm_state: DATA_CREATE only (DATA_CREATE_UNKNOWN works in every realm state). */
	if (content && rd->state != REALM_NEW) {
		ret = RMI_ERROR_REALM;
		goto out_rd;
	}
	/* The RD stays locked: DATA_CREATE extends its RIM. */
	rtt_walk(&rd->s2, ipa, RTT_PAGE_LEVEL, &w);
	if (w.level != RTT_PAGE_LEVEL) {
		ret = RMI_RETURN(RMI_ERROR_RTT, w.level);
		goto out_walk;
	}
	uint64_t *p = rtt_walk_entry(&w);
	enum rtte_kind k = rtte_kind(rtte_read(p), RTT_PAGE_LEVEL);
	if (!rtte_kind_is_unassigned(k)) {
		ret = RMI_RETURN(RMI_ERROR_RTT, RTT_PAGE_LEVEL);
		goto out_walk;
	}
	unsigned int ripas = rtte_kind_ripas(k);
	if (content) {
		memcpy(granule_map(data_pa), content, GRANULE_SIZE);
		measure_data_create(rd, ipa, flags, granule_map(data_pa));
		ripas = RIPAS_RAM;
	}
	/* DATA_CREATE_UNKNOWN keeps the RIPAS; the content is the zeroed granule. */
	rtte_write(p, rtte_assigned(data_pa, RTT_PAGE_LEVEL, ripas));
	granule_refcount_add(w.g, 1);
	granule_set_state(g_data, GRANULE_DATA);
	ret = RMI_SUCCESS;
out_walk:
	rtt_walk_unlock(&w);
out_rd:
	granule_unlock(g_rd);
	granule_unlock(g_data);
	return ret;
}

void rmi_data_create(uint64_t regs[8])
{
	uint64_t src = regs[4], flags = regs[5];
	/*
	 * The source is copied first, with its granule locked UNDELEGATED and
	 * nothing else locked (lock order 5): a granule the host delegates and
	 * hands to another command meanwhile cannot close a cycle with the RD
	 * and RTT locks held below. The RMM then uses only this copy.
	 */
	uint64_t content[GRANULE_SIZE / sizeof(uint64_t)];

	/*
	 * src_align, src_bound, src_pas. RmiDataFlags bits 63:1 are SBZ, not a
	 * failure condition (B4.4.2, B4.3.1): only bit 0 says whether the
	 * content is measured, and the RIM descriptor records the flags as given.
	 */
	if (ns_granule_read(src, content, sizeof(content))) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	regs[0] = data_create(regs[1], regs[2], regs[3], content, flags);
}

void rmi_data_create_unknown(uint64_t regs[8])
{
	regs[0] = data_create(regs[1], regs[2], regs[3], NULL, 0);
}

void rmi_data_destroy(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], ipa = regs[2];
	struct rtt_walk w;
	struct rd *rd;
	struct granule *g_rd = rd_lock(rd_pa, &rd);

	regs[1] = regs[2] = 0;
	if (!g_rd || !data_ipa_valid(&rd->s2, ipa)) {
		if (g_rd)
			granule_unlock(g_rd);
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct s2_ctx s2 = rd->s2;
	rtt_walk_root(&s2, ipa, &w);
	granule_unlock(g_rd);
	rtt_walk_down(ipa, RTT_PAGE_LEVEL, &w);
	uint64_t *p = rtt_walk_entry(&w), e = rtte_read(p);
	enum rtte_kind k = rtte_kind(e, w.level);
	if (w.level != RTT_PAGE_LEVEL || !rtte_kind_is_assigned(k)) {
		regs[0] = RMI_RETURN(RMI_ERROR_RTT, w.level);
		regs[2] = rtt_skip_non_live(&w, ipa);
		rtt_walk_unlock(&w);
		return;
	}
	/* RAM -> DESTROYED (the realm loses data it may still expect); EMPTY, DESTROYED kept. */
	uint64_t data_pa = rtte_pa(e, RTT_PAGE_LEVEL);
	unsigned int ripas = k == RTTE_ASSIGNED_EMPTY ? RIPAS_EMPTY : RIPAS_DESTROYED;
	rtte_write(p, rtte_unassigned(ripas));
	if (k == RTTE_ASSIGNED_RAM)
		s2_tlbi_ipa(s2.vmid, ipa, RTT_PAGE_LEVEL);
	granule_refcount_sub(w.g, 1);
	struct granule *g_data = granule_find_lock(data_pa, GRANULE_DATA); /* lock order 4 */
	if (!g_data)
		rmm_panic("RTT entry maps 0x%lx, not a DATA granule", (unsigned long)data_pa);
	rmm_granule_scrub(data_pa);
	granule_set_state(g_data, GRANULE_DELEGATED);
	granule_unlock(g_data);
	regs[0] = RMI_SUCCESS;
	regs[1] = data_pa;
	regs[2] = rtt_skip_non_live(&w, ipa);
	rtt_walk_unlock(&w);
}

/*
 * The part of RTT_INIT_RIPAS after the realm checks (B4.3.18), with the RD
 * locked (every entry extends its RIM): base_align, rtte_state,
 * top_gran_align and no_progress in the specification's order, then every
 * entry in [base, walk_top) becomes RIPAS RAM, whatever its state (only a
 * TABLE entry ends the range: RttSkipEntriesWithRipas(..., FALSE)).
 */
static unsigned long init_ripas_range(struct rd *rd, uint64_t base, uint64_t top, uint64_t *out_top)
{
	struct rtt_walk w;
	unsigned long ret = RMI_SUCCESS;

	rtt_walk(&rd->s2, base, RTT_PAGE_LEVEL, &w);
	uint64_t size = rtt_level_size(w.level), walk_top = rtt_skip_ripas(&w, base, top, 0);
	enum rtte_kind k = rtte_kind(rtte_read(rtt_walk_entry(&w)), w.level);

	if (!rtt_level_aligned(base, w.level) || !rtte_kind_is_unassigned(k)) {
		ret = RMI_RETURN(RMI_ERROR_RTT, w.level); /* base_align, rtte_state */
	} else if (!rtt_level_aligned(top, RTT_PAGE_LEVEL)) {
		ret = RMI_ERROR_INPUT; /* top_gran_align */
	} else if (walk_top == base) {
		ret = RMI_RETURN(RMI_ERROR_RTT, w.level); /* no_progress */
	} else {
		uint64_t addr = base;
		for (unsigned int i = w.idx; addr < walk_top; i++, addr += size) {
			uint64_t e = rtte_read(&w.tbl[i]);
			k = rtte_kind(e, w.level);
			/* Invalid to valid (ASSIGNED EMPTY/DESTROYED -> RAM): no TLB maintenance. */
			if (rtte_kind_is_assigned(k))
				rtte_write(&w.tbl[i], rtte_assigned(rtte_pa(e, w.level), w.level, RIPAS_RAM));
			else
				rtte_write(&w.tbl[i], rtte_unassigned(RIPAS_RAM));
			measure_init_ripas(rd, addr, addr + size);
		}
		*out_top = walk_top;
	}
	rtt_walk_unlock(&w);
	return ret;
}

void rmi_rtt_init_ripas(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], base = regs[2], top = regs[3], out_top = 0;
	struct rd *rd;
	struct granule *g_rd = rd_lock(rd_pa, &rd);

	if (!g_rd) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	if (top <= base || !s2_addr_in_par(&rd->s2, top - GRANULE_SIZE)) {
		/* size_valid, top_bound (top - 4 KiB wraps to an unprotected address when top < 4 KiB). */
		regs[0] = RMI_ERROR_INPUT;
	} else if (rd->state != REALM_NEW) {
		regs[0] = RMI_ERROR_REALM;
	} else {
		regs[0] = init_ripas_range(rd, base, top, &out_top);
		regs[1] = out_top;
	}
	granule_unlock(g_rd);
}

/* One entry of RTT_SET_RIPAS, which has a RIPAS (rtt_skip_ripas): 2 if a valid mapping went, else 0. */
static int set_ripas_entry(uint64_t *p, int level, unsigned int to)
{
	uint64_t e = rtte_read(p);
	enum rtte_kind k = rtte_kind(e, level);

	if (rtte_kind_ripas(k) == to)
		return 0;
	if (rtte_kind_is_assigned(k)) {
		rtte_write(p, rtte_assigned(rtte_pa(e, level), level, to));
		return k == RTTE_ASSIGNED_RAM ? 2 : 0; /* valid -> invalid needs a TLBI */
	}
	rtte_write(p, rtte_unassigned(to));
	return 0;
}

/*
 * The part of RTT_SET_RIPAS after the argument checks (B4.3.21): base_align,
 * top_gran_align and no_progress in the specification's order, then every
 * entry in [base, walk_top) gets the requested RIPAS. An entry that already
 * has it needs neither alignment nor progress ("ripas != rec.ripas_value" in
 * both conditions).
 */
static unsigned long set_ripas_range(const struct rd *rd, struct rec *rec, uint64_t base, uint64_t top,
				     uint64_t *out_top)
{
	struct rtt_walk w;
	unsigned long ret = RMI_SUCCESS;

	rtt_walk(&rd->s2, base, RTT_PAGE_LEVEL, &w);
	enum rtte_kind k = rtte_kind(rtte_read(rtt_walk_entry(&w)), w.level);
	int differs = !(rtte_kind_is_assigned(k) || rtte_kind_is_unassigned(k)) ||
		      rtte_kind_ripas(k) != rec->ripas.value;
	uint64_t size = rtt_level_size(w.level);
	uint64_t walk_top = rtt_skip_ripas(&w, base, top, !rec->ripas.change_destroyed);

	if (!rtt_level_aligned(base, w.level) && differs) {
		ret = RMI_RETURN(RMI_ERROR_RTT, w.level); /* base_align */
	} else if (!rtt_level_aligned(top, RTT_PAGE_LEVEL)) {
		ret = RMI_ERROR_INPUT; /* top_gran_align */
	} else if (walk_top <= base) {
		/*
		 * no_progress (base == walk_top), unless the entry at base has the
		 * RIPAS already: then nothing is left to do in this RTT. walk_top
		 * is below an unaligned base when top is inside base's entry; the
		 * answer stays base rather than going backwards.
		 */
		if (differs)
			ret = RMI_RETURN(RMI_ERROR_RTT, w.level);
		*out_top = base;
	} else {
		uint64_t addr = base & ~(size - 1);
		for (unsigned int i = w.idx; addr < walk_top; i++, addr += size) {
			if (set_ripas_entry(&w.tbl[i], w.level, rec->ripas.value) == 2)
				s2_tlbi_ipa(rd->s2.vmid, addr, w.level);
		}
		*out_top = walk_top;
	}
	rtt_walk_unlock(&w);
	return ret;
}

void rmi_rtt_set_ripas(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], rec_pa = regs[2], base = regs[3], top = regs[4], out_top = 0;
	struct granule *g_rd, *g_rec;

	if (granule_find_lock_two(rd_pa, GRANULE_RD, &g_rd, rec_pa, GRANULE_REC, &g_rec)) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct rec *rec = granule_map(rec_pa);
	struct rd *rd = granule_map(rd_pa);
	if (granule_refcount(g_rec) != 0 || rec->rd != rd_pa) {
		/* rec_state (running on another PE: its fields are REC_ENTER's), rec_owner. */
		regs[0] = RMI_ERROR_REC;
	} else if (top <= base || base != rec->ripas.addr || top > rec->ripas.top) {
		/* size_valid; base_bound, top_bound: the next chunk of the pending request (none: addr ==
		 * top). */
		regs[0] = RMI_ERROR_INPUT;
	} else {
		regs[0] = set_ripas_range(rd, rec, base, top, &out_top);
		if (regs[0] == RMI_SUCCESS) {
			rec->ripas.addr = out_top;
			regs[1] = out_top;
		}
	}
	granule_unlock(g_rd);
	granule_unlock(g_rec);
}
