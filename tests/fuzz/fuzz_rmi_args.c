/*
 * The RMI fuzz target's argument pickers (see fuzz_rmi.c for the bias they
 * give) and the starting world every input begins from (build_realm()).
 */
#include <string.h>

#include <rampart/rmi.h>
#include "realm.h"
#include "rec.h"
#include "s2tt.h"
#include "fuzz_input.h"
#include "fuzz_rmi.h"
#include "rmm_check.h"
#include "rmm_sim.h"

#define MMIO_PA 0x09000000UL
#define VMIDS_USED 16U /* realms get VMIDs 1..16 mostly: collisions are wanted */

uint64_t gen_value(void)
{
	static const uint64_t special[] = {
		0,    1,	 2,	    3,	       0xff,	  0x1000,   0x7fffffffffffffffUL,
		~0UL, 1UL << 31, 1UL << 32, 1UL << 39, 1UL << 47, 1UL << 48
	};

	switch (in_below(4)) {
	case 0:
		return special[in_below(sizeof(special) / sizeof(special[0]))];
	case 1:
		return in_u8();
	default:
		return in_u64();
	}
}

/* An address that is not a usable granule: unaligned, untracked, MMIO, anything. */
uint64_t weird_pa(void)
{
	switch (in_below(6)) {
	case 0:
		return sim_pa(in_below(SIM_GRANULES)) + (1 + in_below(GRANULE_SIZE - 1));
	case 1:
		return SIM_UNTRACKED + (uint64_t)in_below(SIM_GRANULES) * GRANULE_SIZE;
	case 2:
		return MMIO_PA;
	case 3:
		return SIM_BASE - GRANULE_SIZE;
	default:
		return gen_value();
	}
}

/* Mostly a granule in state s; sometimes any granule of the pool, sometimes nonsense. */
uint64_t pick(unsigned int s)
{
	unsigned int n = cat.nstate[s];

	if (n && in_chance(224))
		return sim_pa(cat.by_state[s][in_below(n)]);
	return in_chance(192) ? sim_pa(in_below(SIM_GRANULES)) : weird_pa();
}

int rd_slot(uint64_t rd_pa)
{
	for (unsigned int i = 0; i < cat.nrd; i++)
		if (cat.rd[i] == rd_pa)
			return (int)i;
	return -1;
}

/*
 * An RTT of the realm (any realm if it has none catalogued), or NULL; not a
 * root if non_root; preferably a level-3 one if leaf (DATA and RIPAS commands).
 */
const struct cat_rtt *pick_rtt(uint64_t rd_pa, int non_root, int leaf)
{
	int slot = rd_slot(rd_pa);

	if (!cat.nrtt)
		return NULL;
	for (unsigned int tries = 0; tries < 16; tries++) {
		const struct cat_rtt *t = &cat.rtt[in_below(cat.nrtt)];
		const struct rd *rd = sim_ptr(cat.rd[t->rd]);
		if ((slot < 0 || t->rd == slot) && (!non_root || t->level > rd->s2.start_level) &&
		    (!leaf || t->level == RTT_PAGE_LEVEL || tries >= 8))
			return t;
	}
	return &cat.rtt[in_below(cat.nrtt)];
}

const struct cat_leaf *pick_leaf(uint64_t rd_pa)
{
	int slot = rd_slot(rd_pa);

	if (!cat.nleaf)
		return NULL;
	for (unsigned int tries = 0; tries < 8; tries++) {
		const struct cat_leaf *l = &cat.leaf[in_below(cat.nleaf)];
		if (slot < 0 || l->rd == slot)
			return l;
	}
	return &cat.leaf[in_below(cat.nleaf)];
}

/* An entry of one of the realm's RTTs: its IPA and level (leaf: as pick_rtt()). */
uint64_t pick_entry_in(uint64_t rd_pa, int *level, int leaf)
{
	const struct cat_rtt *t = pick_rtt(rd_pa, 0, leaf);

	if (!t || in_chance(12)) {
		*level = (int)in_below(6) - 1;
		return gen_value() & ~(GRANULE_SIZE - 1);
	}
	*level = t->level;
	unsigned int idx = in_chance(128) ? in_below(RTT_ENTRIES) : in_below(4);
	/* Now and then the upper (unprotected) half of the realm: ipa | 2^(s2sz - 1). */
	const struct rd *rd = sim_ptr(cat.rd[t->rd]);
	uint64_t ipa = t->ipa + idx * rtt_level_size(t->level);
	if (in_chance(leaf ? 8 : 48))
		ipa |= 1UL << (rd->s2.ipa_bits - 1);
	return ipa;
}

uint64_t pick_entry(uint64_t rd_pa, int *level)
{
	return pick_entry_in(rd_pa, level, 0);
}

uint64_t gen_realm_ipa(uint64_t rd_pa, int *level)
{
	uint64_t ipa = pick_entry_in(rd_pa, level, in_chance(192));
	const struct rd *rd = rd_slot(rd_pa) >= 0 ? sim_ptr(rd_pa) : NULL;

	switch (in_below(8)) {
	case 0:
		return ipa + in_below(GRANULE_SIZE); /* inside the page */
	case 1:
		return rd ? s2_ipa_size(&rd->s2) : ipa; /* just past the IPA space */
	case 2:
		return rd ? (1UL << (rd->s2.ipa_bits - 1)) - GRANULE_SIZE : ipa; /* last protected page */
	default:
		return ipa;
	}
}

uint64_t pick_rd(void)
{
	if (cat.nrd && in_chance(232))
		return cat.rd[in_below(cat.nrd)];
	return pick(GRANULE_RD);
}

/* The host writes an NS granule it owns; anything else it cannot write (a GPF). */
void *host_page(uint64_t pa)
{
	unsigned int idx;

	if (!sim_idx(pa, &idx) || sim_granules[idx].state != GRANULE_UNDELEGATED)
		return NULL;
	return sim_ptr(pa);
}

/* Scribble over one word of a parameter page now and then: every field's checks get a turn. */
void corrupt(void *page, unsigned int chance)
{
	while (in_chance(chance)) {
		uint64_t v = gen_value();
		memcpy((char *)page + 8 * in_below(GRANULE_SIZE / 8), &v, sizeof(v));
	}
}

void delegate_some(unsigned int n)
{
	for (unsigned int i = 0; i < n && cat.nstate[GRANULE_UNDELEGATED]; i++) {
		unsigned int k = cat.nstate[GRANULE_UNDELEGATED];
		rmi(RMI_GRANULE_DELEGATE, sim_pa(cat.by_state[GRANULE_UNDELEGATED][in_below(k)]), 0, 0, 0, 0,
		    NULL);
	}
}

/* A granule delegated now for the world below (0 if the pool has no NS granule left). */
uint64_t fresh(void)
{
	unsigned int n = cat.nstate[GRANULE_UNDELEGATED];

	if (!n)
		return 0;
	uint64_t pa = sim_pa(cat.by_state[GRANULE_UNDELEGATED][in_below(n)]);
	rmi(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL);
	return pa;
}

uint64_t ns_page(void)
{
	unsigned int n = cat.nstate[GRANULE_UNDELEGATED];

	return n ? sim_pa(cat.by_state[GRANULE_UNDELEGATED][in_below(n)]) : 0;
}

unsigned int roots_for(unsigned int s2sz, int sl)
{
	unsigned int bits = (unsigned int)(RTT_PAGE_LEVEL - sl) * RTT_STRIDE + GRANULE_SHIFT + RTT_STRIDE;

	return s2sz <= bits ? 1 : s2sz - bits < 8 ? 1U << (s2sz - bits) : MAX_ROOTS + 1;
}

/* n consecutive DELEGATED granules aligned to n granules, delegating them if needed. */
uint64_t rtt_run(unsigned int n)
{
	unsigned int start = in_below(SIM_GRANULES / n) * n;

	for (unsigned int i = 0; i < n; i++)
		if (sim_granules[start + i].state == GRANULE_UNDELEGATED)
			rmi(RMI_GRANULE_DELEGATE, sim_pa(start + i), 0, 0, 0, 0, NULL);
	return sim_pa(start);
}

/* Start levels with the IPA sizes that give them 1..16 roots, and a few that do not. */
const struct geo geo[NR_GEO] = { { 0, 40, 9 }, { 1, 32, 12 }, { 2, 32, 3 }, { 3, 32, 2 } };

void realm_params(struct rmi_realm_params *p, unsigned int s2sz, int sl, unsigned int nroot,
		  uint64_t rtt_base)
{
	memset(p, 0, sizeof(*p));
	p->s2sz = s2sz;
	p->num_bps = 1;
	p->num_wps = 1;
	p->hash_algo = in_chance(64) ? RMI_HASH_SHA_512 : RMI_HASH_SHA_256;
	memset(p->rpv, in_u8(), sizeof(p->rpv));
	p->vmid = (uint16_t)(in_chance(240) ? 1 + in_below(VMIDS_USED) : in_u16());
	p->rtt_base = rtt_base;
	p->rtt_level_start = sl;
	p->rtt_num_start = nroot;
}

/*
 * What a host builds before the random commands start, so that they begin
 * deep: a realm with RTTs down to level 3 at the bottom of each half of its
 * IPA space, RIPAS RAM and DATA in the first pages, two RECs, activated
 * more often than not. Every step is a checked call like any other.
 */
void build_realm(void)
{
	unsigned int g = in_below(NR_GEO);
	int sl = geo[g].sl;
	unsigned int s2sz = geo[g].s2sz_min + in_below(geo[g].s2sz_span), nroot = roots_for(s2sz, sl);
	if (nroot > MAX_ROOTS) {
		sl = 1;
		s2sz = 39;
		nroot = 1;
	}
	uint64_t rtt_base = rtt_run(nroot), rd = fresh(), params = ns_page();
	struct rmi_realm_params *p = host_page(params);
	if (!p)
		return;
	realm_params(p, s2sz, sl, nroot, rtt_base);
	if (rmi(RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL) != RMI_SUCCESS)
		return;
	uint64_t halves[2] = { 0, 1UL << (s2sz - 1) };
	for (unsigned int h = 0; h < 2; h++)
		for (int l = sl + 1; l <= RTT_PAGE_LEVEL; l++)
			rmi(RMI_RTT_CREATE, rd, fresh(), halves[h] & ~(rtt_level_size(l - 1) - 1),
			    (uint64_t)l, 0, NULL);
	rmi(RMI_RTT_INIT_RIPAS, rd, 0, (uint64_t)(1 + in_below(16)) * GRANULE_SIZE, 0, 0, NULL);
	for (unsigned int i = in_below(4); i; i--) {
		uint64_t src = ns_page();
		if (host_page(src))
			memset(host_page(src), in_u8(), GRANULE_SIZE);
		rmi(RMI_DATA_CREATE, rd, fresh(), (uint64_t)in_below(8) * GRANULE_SIZE, src, in_below(2),
		    NULL);
	}
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t rec = fresh(), aux[RMI_REC_MAX_AUX] = { 0 }, prm = ns_page();
		for (unsigned int a = 0; a < RMM_REC_AUX_COUNT; a++)
			aux[a] = fresh();
		struct rmi_rec_params *rp = host_page(prm);
		if (!rp)
			return;
		memset(rp, 0, sizeof(*rp));
		rp->flags = i == 0 || in_chance(64) ? RMI_REC_FLAGS_RUNNABLE : 0;
		rp->mpidr = i;
		rp->num_aux = RMM_REC_AUX_COUNT;
		memcpy(rp->aux, aux, sizeof(rp->aux));
		rmi(RMI_REC_CREATE, rd, rec, prm, 0, 0, NULL);
	}
	if (in_chance(192))
		rmi(RMI_REALM_ACTIVATE, rd, 0, 0, 0, 0, NULL);
}
