/* RTT walks and whole-table checks; the entry encoding is in s2tt.h. */
#include "rmm_arch.h"
#include "s2tt.h"

static void walk_set(struct rtt_walk *w, struct granule *g, uint64_t pa, int level, unsigned int idx)
{
	w->g = g;
	w->pa = pa;
	w->tbl = granule_map(pa);
	w->level = level;
	w->idx = idx;
}

/* Lock the RTT at pa, reached through a table entry: it must be an RTT. */
static struct granule *lock_rtt(uint64_t pa)
{
	struct granule *g = granule_find(pa);

	if (!g)
		rmm_panic("RTT entry points at untracked PA 0x%lx", (unsigned long)pa);
	granule_lock(g);
	if (granule_state(g) != GRANULE_RTT)
		rmm_panic("RTT entry points at granule 0x%lx in state %u", (unsigned long)pa,
			  (unsigned int)granule_state(g));
	return g;
}

void rtt_walk_root(const struct s2_ctx *s2, uint64_t ipa, struct rtt_walk *w)
{
	/*
	 * The start level may be concatenated: num_root consecutive granules
	 * form one table indexed by IPA[ipa_bits-1 : shift].
	 */
	uint64_t sl_idx = (ipa & (s2_ipa_size(s2) - 1)) >> rtt_level_shift(s2->start_level);
	uint64_t k = sl_idx / RTT_ENTRIES;

	if (k >= s2->num_root)
		rmm_panic("IPA 0x%lx beyond the root RTTs", (unsigned long)ipa);
	uint64_t pa = s2->rtt_base + k * GRANULE_SIZE;
	walk_set(w, lock_rtt(pa), pa, s2->start_level, (unsigned int)(sl_idx % RTT_ENTRIES));
}

void rtt_walk_down(uint64_t ipa, int level, struct rtt_walk *w)
{
	while (w->level < level) {
		uint64_t e = rtte_read(rtt_walk_entry(w));
		if (rtte_kind(e, w->level) != RTTE_TABLE)
			return;
		uint64_t pa = rtte_pa(e, RTT_PAGE_LEVEL);
		struct granule *child = lock_rtt(pa); /* child before parent is released */
		granule_unlock(w->g);
		int next = w->level + 1;
		walk_set(w, child, pa, next,
			 (unsigned int)((ipa >> rtt_level_shift(next)) & (RTT_ENTRIES - 1)));
	}
}

void rtt_walk(const struct s2_ctx *s2, uint64_t ipa, int level, struct rtt_walk *w)
{
	rtt_walk_root(s2, ipa, w);
	rtt_walk_down(ipa, level, w);
}

uint64_t rtt_skip_non_live(const struct rtt_walk *w, uint64_t ipa)
{
	unsigned int i;

	if (rtte_kind_is_live(rtte_kind(rtte_read(rtt_walk_entry(w)), w->level)))
		return ipa;
	uint64_t size = rtt_level_size(w->level);
	uint64_t addr = ipa & ~(size - 1);
	for (i = w->idx + 1; i < RTT_ENTRIES; i++) {
		if (rtte_kind_is_live(rtte_kind(rtte_read(&w->tbl[i]), w->level)))
			break;
	}
	return addr + (uint64_t)(i - w->idx) * size;
}

uint64_t rtt_skip_ripas(const struct rtt_walk *w, uint64_t base, uint64_t top, int stop_at_destroyed)
{
	uint64_t size = rtt_level_size(w->level);
	uint64_t addr = base & ~(size - 1);

	for (unsigned int i = w->idx; i < RTT_ENTRIES && addr < top; i++, addr += size) {
		enum rtte_kind k = rtte_kind(rtte_read(&w->tbl[i]), w->level);
		if (!rtte_kind_is_assigned(k) && !rtte_kind_is_unassigned(k))
			break; /* TABLE, or an unprotected entry: no RIPAS */
		if (stop_at_destroyed && rtte_kind_ripas(k) == RIPAS_DESTROYED)
			break;
	}
	return (addr < top ? addr : top) & ~(size - 1);
}

enum rtte_kind rtt_uniform(const uint64_t *tbl, int level, uint64_t *pa, uint64_t *ns_attrs)
{
	uint64_t first = rtte_read(&tbl[0]);
	enum rtte_kind k = rtte_kind(first, level);
	uint64_t size = rtt_level_size(level);

	*pa = 0;
	*ns_attrs = 0;
	if (k == RTTE_TABLE || k == RTTE_BAD)
		return RTTE_BAD;
	int has_pa = rtte_kind_is_assigned(k) || k == RTTE_ASSIGNED_NS;
	if (has_pa) {
		*pa = rtte_pa(first, level);
		if (!rtt_level_aligned(*pa, level - 1))
			return RTTE_BAD;
		if (k == RTTE_ASSIGNED_NS)
			*ns_attrs = first & RTTE_HOST_NS_ATTRS;
	}
	for (unsigned int i = 1; i < RTT_ENTRIES; i++) {
		uint64_t e = rtte_read(&tbl[i]);
		if (rtte_kind(e, level) != k)
			return RTTE_BAD;
		if (!has_pa)
			continue;
		if (rtte_pa(e, level) != *pa + i * size)
			return RTTE_BAD;
		if (k == RTTE_ASSIGNED_NS && (e & RTTE_HOST_NS_ATTRS) != *ns_attrs)
			return RTTE_BAD;
	}
	return k;
}
