/* See rmm_check.h. */
#include <string.h>

#include <rampart/rmi.h>
#include "realm.h"
#include "rec.h"
#include "s2tt.h"
#include "vmid.h"
#include "rmm_check.h"

/* RMM 1.0: at most 16 concatenated root RTTs; IPA sizes the RMM supports. */
#define MAX_ROOTS 16U
#define MIN_IPA_BITS 32U
#define MAX_IPA_BITS 48U

struct catalogue cat;

static uint8_t owned[SIM_GRANULES];    /* references found to each granule */
static uint16_t rd_recs[SIM_GRANULES]; /* RECs found per RD granule */

static const char *const state_names[] = {
	"UNDELEGATED", "DELEGATED", "RD", "REC", "REC_AUX", "DATA", "RTT"
};

static unsigned int must_be(uint64_t pa, enum granule_state s, const char *what)
{
	unsigned int idx;

	if (!sim_idx(pa, &idx))
		sim_fail("%s 0x%lx is not a tracked granule", what, (unsigned long)pa);
	if (sim_granules[idx].state != s)
		sim_fail("%s 0x%lx is %s, not %s", what, (unsigned long)pa,
			 state_names[sim_granules[idx].state], state_names[s]);
	if (owned[idx]++)
		sim_fail("%s 0x%lx is reached twice", what, (unsigned long)pa);
	return idx;
}

struct walk_ctx {
	uint64_t rd_pa;
	uint64_t ipa_size, par_top;
	unsigned int rd_slot;
};

static void walk(const struct walk_ctx *c, uint64_t tbl_pa, unsigned int tbl_idx, int level,
		 uint64_t ipa_base);

/* One entry of an RTT at level: returns 1 if the RTT's refcount counts it. */
static unsigned int check_entry(const struct walk_ctx *c, uint64_t e, int level, uint64_t ipa,
				uint64_t tbl_pa)
{
	uint64_t size = rtt_level_size(level);
	enum rtte_kind k = rtte_kind(e, level);
	/* An entry bigger than half the IPA space (a low start level) covers both halves. */
	int straddles = ipa < c->par_top && ipa + size > c->par_top;
	int par = ipa < c->par_top;

	if (k == RTTE_BAD)
		sim_fail("RTT 0x%lx level %d: entry 0x%lx for IPA 0x%lx is no kind the RMM writes",
			 (unsigned long)tbl_pa, level, (unsigned long)e, (unsigned long)ipa);
	if (k == RTTE_TABLE) {
		uint64_t child = e & RTTE_OA_MASK;
		unsigned int idx = must_be(child, GRANULE_RTT, "a table entry's RTT");
		walk(c, child, idx, level + 1, ipa);
		return 1;
	}
	if (!straddles && par != !(k == RTTE_UNASSIGNED_NS || k == RTTE_ASSIGNED_NS))
		sim_fail("RTT 0x%lx level %d: IPA 0x%lx is %s but its entry 0x%lx is %s",
			 (unsigned long)tbl_pa, level, (unsigned long)ipa, par ? "protected" : "unprotected",
			 (unsigned long)e, par ? "NS" : "protected");
	if ((rtte_kind_is_assigned(k) || k == RTTE_ASSIGNED_NS) && level < RTT_MIN_BLOCK_LEVEL)
		sim_fail("RTT 0x%lx: an assigned entry at level %d", (unsigned long)tbl_pa, level);
	if ((rtte_kind_is_assigned(k) || k == RTTE_ASSIGNED_NS) && cat.nleaf < CAT_MAX_LEAVES)
		cat.leaf[cat.nleaf++] = (struct cat_leaf){ ipa, (uint16_t)c->rd_slot, (int8_t)level };
	if (!rtte_kind_is_assigned(k))
		return 0;
	/* Protected memory of the realm: only DATA granules, each mapped once. */
	uint64_t pa = rtte_pa(e, level);
	for (uint64_t off = 0; off < size; off += GRANULE_SIZE)
		must_be(pa + off, GRANULE_DATA, "an ASSIGNED entry's output");
	return 1;
}

static void walk(const struct walk_ctx *c, uint64_t tbl_pa, unsigned int tbl_idx, int level,
		 uint64_t ipa_base)
{
	const uint64_t *tbl = sim_ptr(tbl_pa);
	unsigned int counted = 0;

	if (cat.nrtt < CAT_MAX_RTTS)
		cat.rtt[cat.nrtt++] =
			(struct cat_rtt){ tbl_pa, ipa_base, (uint16_t)c->rd_slot, (int8_t)level };
	for (unsigned int i = 0; i < RTT_ENTRIES; i++) {
		uint64_t ipa = ipa_base + i * rtt_level_size(level);
		if (ipa >= c->ipa_size)
			break; /* past 2^s2sz: never reached */
		counted += check_entry(c, tbl[i], level, ipa, tbl_pa);
	}
	if (sim_granules[tbl_idx].refcount != counted)
		sim_fail("RTT 0x%lx level %d: refcount %u, but %u tables and ASSIGNED entries",
			 (unsigned long)tbl_pa, level, sim_granules[tbl_idx].refcount, counted);
}

static void check_rd(unsigned int idx)
{
	uint64_t pa = sim_pa(idx);
	const struct rd *rd = sim_ptr(pa);
	const struct s2_ctx *s2 = &rd->s2;

	if (rd->state > REALM_SYSTEM_OFF)
		sim_fail("RD 0x%lx in state %u", (unsigned long)pa, rd->state);
	if (s2->ipa_bits < MIN_IPA_BITS || s2->ipa_bits > MAX_IPA_BITS || s2->start_level < 0 ||
	    s2->start_level > RTT_PAGE_LEVEL || s2->num_root == 0 || s2->num_root > MAX_ROOTS)
		sim_fail("RD 0x%lx: s2sz %u start level %d %u roots", (unsigned long)pa, s2->ipa_bits,
			 s2->start_level, s2->num_root);
	if (!vmid_is_reserved(s2->vmid))
		sim_fail("RD 0x%lx: VMID %u is not reserved", (unsigned long)pa, s2->vmid);
	for (unsigned int i = 0; i < cat.nrd; i++) {
		const struct rd *o = sim_ptr(cat.rd[i]);
		if (o->s2.vmid == s2->vmid)
			sim_fail("RDs 0x%lx and 0x%lx share VMID %u", (unsigned long)cat.rd[i],
				 (unsigned long)pa, s2->vmid);
	}
	if (cat.nrd >= CAT_MAX_RDS)
		return;
	struct walk_ctx c = { pa, s2_ipa_size(s2), 1UL << (s2->ipa_bits - 1), cat.nrd };
	cat.rd[cat.nrd++] = pa;
	/* Concatenated roots: root r translates from r * 512 entries at the start level. */
	uint64_t root_span = RTT_ENTRIES * rtt_level_size(s2->start_level);
	for (unsigned int r = 0; r < s2->num_root; r++) {
		uint64_t root = s2->rtt_base + r * GRANULE_SIZE;
		unsigned int ridx = must_be(root, GRANULE_RTT, "a root RTT");
		walk(&c, root, ridx, s2->start_level, r * root_span);
	}
}

static void check_rec(unsigned int idx)
{
	uint64_t pa = sim_pa(idx);
	const struct rec *rec = sim_ptr(pa);
	unsigned int rd_idx;

	if (!sim_idx(rec->rd, &rd_idx) || sim_granules[rd_idx].state != GRANULE_RD)
		sim_fail("REC 0x%lx: its RD 0x%lx is not an RD", (unsigned long)pa, (unsigned long)rec->rd);
	rd_recs[rd_idx]++;
	if (sim_granules[idx].refcount)
		sim_fail("REC 0x%lx still claimed (refcount %u) after the call", (unsigned long)pa,
			 sim_granules[idx].refcount);
	if (rec->num_aux > RMI_REC_MAX_AUX)
		sim_fail("REC 0x%lx: %lu aux granules", (unsigned long)pa, (unsigned long)rec->num_aux);
	for (uint64_t i = 0; i < rec->num_aux; i++)
		must_be(rec->aux[i], GRANULE_REC_AUX, "a REC's aux granule");
	const struct rd *rd = sim_ptr(rec->rd);
	if (rec->rec_idx >= rd->rec_count)
		sim_fail("REC 0x%lx: index %lu, but the realm created %lu", (unsigned long)pa,
			 (unsigned long)rec->rec_idx, (unsigned long)rd->rec_count);
}

static int is_zero(const unsigned char *p)
{
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		if (p[i])
			return 0;
	return 1;
}

void rmm_check_all(void)
{
	memset(owned, 0, sizeof(owned));
	memset(rd_recs, 0, sizeof(rd_recs));
	cat.nrd = cat.nrtt = cat.nleaf = 0;
	memset(cat.nstate, 0, sizeof(cat.nstate));

	for (unsigned int i = 0; i < SIM_GRANULES; i++) {
		const struct granule *g = &sim_granules[i];
		if (g->lock)
			sim_fail("granule 0x%lx left locked", (unsigned long)sim_pa(i));
		if (g->state > GRANULE_RTT)
			sim_fail("granule 0x%lx in state %u", (unsigned long)sim_pa(i), g->state);
		if (sim_realm[i] != (g->state != GRANULE_UNDELEGATED))
			sim_fail("granule 0x%lx is %s but %s in the GPT", (unsigned long)sim_pa(i),
				 state_names[g->state], sim_realm[i] ? "Realm" : "NS");
		if (g->state == GRANULE_DELEGATED && sim_touched(i) && !is_zero(sim_ptr(sim_pa(i))))
			sim_fail("DELEGATED granule 0x%lx holds data", (unsigned long)sim_pa(i));
		if (g->state != GRANULE_RD && g->state != GRANULE_RTT && g->state != GRANULE_REC &&
		    g->refcount)
			sim_fail("%s granule 0x%lx has refcount %u", state_names[g->state],
				 (unsigned long)sim_pa(i), g->refcount);
		cat.by_state[g->state][cat.nstate[g->state]++] = (uint16_t)i;
	}
	for (unsigned int i = 0; i < SIM_GRANULES; i++) {
		if (sim_granules[i].state == GRANULE_RD)
			check_rd(i);
	}
	for (unsigned int i = 0; i < SIM_GRANULES; i++) {
		if (sim_granules[i].state == GRANULE_REC)
			check_rec(i);
	}
	for (unsigned int i = 0; i < SIM_GRANULES; i++) {
		unsigned int s = sim_granules[i].state;
		if ((s == GRANULE_RTT || s == GRANULE_DATA || s == GRANULE_REC_AUX) && owned[i] != 1)
			sim_fail("%s granule 0x%lx belongs to no realm", state_names[s],
				 (unsigned long)sim_pa(i));
		if (s == GRANULE_RD && sim_granules[i].refcount != rd_recs[i])
			sim_fail("RD 0x%lx: refcount %u, but %u RECs", (unsigned long)sim_pa(i),
				 sim_granules[i].refcount, rd_recs[i]);
	}
}
