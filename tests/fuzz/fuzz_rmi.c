/*
 * Fuzz target for the RMI (issue 16): the real rmm/ sources on a simulated
 * pool of granules (rmm_sim.c), driven by command sequences the input
 * decides. The generator is biased to get deep: most arguments are granules
 * in the state the command wants, IPAs of existing RTT entries at their
 * level, realm and REC parameters that are valid but for a corrupted field
 * now and then, so that several realms with RTTs at every level, DATA,
 * RECs and running RECs (a hostile realm, fuzz_realm.c) exist. After every
 * call rmm_check.c recounts the invariants; after every failed call the
 * simulation proves nothing changed (sim_call_unchanged()). A violation
 * aborts with the call that caused it. At exit it prints the calls made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/rmi.h>
#include <rampart/smccc.h>
#include "realm.h"
#include "rec.h"
#include "rmm.h"
#include "s2tt.h"
#include "vmid.h"
#include "fuzz_input.h"
#include "fuzz_rmi.h"
#include "rmm_check.h"
#include "rmm_sim.h"

/* RMI_FEATURES register 0 as tests/unit/rmm_fixture.h: S2SZ 48, 6 BPs, 4 WPs, SHA-256/512, 4 LRs, 2^10 RECs.
 */
#define FEAT0 ((48UL) | (5UL << 14) | (3UL << 20) | (3UL << 32) | (3UL << 34) | (10UL << 38))
#define MAX_CALLS_PER_INPUT 4096U
#define NR_CMDS (RMI_FID_LAST - RMI_FID_FIRST)
#define PROGRESS_INPUTS 2000U /* a summary line this often: a long run's count survives a kill */

struct fuzz_input fin;
static unsigned long calls, failed, inputs, ok_by_cmd[NR_CMDS];

static void summary(void)
{
	fprintf(stderr,
		"fuzz_rmi: %lu inputs, %lu RMI calls (%lu failed), %lu REC exits, %lu realm SMCs, "
		"0 invariant violations\nfuzz_rmi: successful calls per command:",
		inputs, calls, failed, realm_stats.exits, realm_stats.rsi_calls);
	for (unsigned int i = 0; i < NR_CMDS; i++)
		if (ok_by_cmd[i])
			fprintf(stderr, " 0x%x:%lu", RMI_FID_FIRST + i, ok_by_cmd[i]);
	fprintf(stderr, "\n");
}

/* One RMI call, checked: x6/x7 kept, a failure changed nothing, every invariant holds after. */
uint64_t rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t out[5])
{
	uint64_t r[8] = { fid, a1, a2, a3, a4, a5, 0x6666666666666666UL, 0x7777777777777777UL };

	memcpy(sim_cur_regs, r, sizeof(r));
	sim_call_begin();
	rmi_dispatch(r);
	calls++;
	if (r[6] != 0x6666666666666666UL || r[7] != 0x7777777777777777UL)
		sim_fail("x6/x7 changed");
	if (RMI_RETURN_STATUS(r[0]) != RMI_SUCCESS) {
		const char *why = sim_call_unchanged();
		failed++;
		if (why)
			sim_fail("a call that failed with 0x%lx changed something: %s", (unsigned long)r[0],
				 why);
	} else if (fid >= RMI_FID_FIRST && fid < RMI_FID_LAST) {
		ok_by_cmd[fid - RMI_FID_FIRST]++;
	}
	rmm_check_all();
	if (out)
		memcpy(out, r, 5 * sizeof(uint64_t));
	return r[0];
}

static void op_realm_create(void)
{
	unsigned int g = in_below(NR_GEO);
	int sl = in_chance(16) ? (int)in_below(6) - 1 : geo[g].sl;
	unsigned int s2sz = geo[g].s2sz_min + in_below(geo[g].s2sz_span);
	unsigned int nroot = roots_for(s2sz, sl);
	if (nroot > MAX_ROOTS || in_chance(8))
		nroot = 1 + in_below(MAX_ROOTS);
	uint64_t rtt_base = in_chance(240) ? rtt_run(nroot) : pick(GRANULE_DELEGATED);
	if (in_chance(128))
		delegate_some(1);
	uint64_t rd = pick(GRANULE_DELEGATED), params = pick(GRANULE_UNDELEGATED);
	struct rmi_realm_params *p = host_page(params);
	if (p) {
		realm_params(p, s2sz, sl, nroot, rtt_base);
		corrupt(p, 24);
	}
	rmi(RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL);
}

static void op_rec_create(void)
{
	uint64_t rd = pick_rd(), aux[RMI_REC_MAX_AUX];

	if (cat.nstate[GRANULE_DELEGATED] < RMM_REC_AUX_COUNT + 1)
		delegate_some(RMM_REC_AUX_COUNT + 1);
	uint64_t rec = pick(GRANULE_DELEGATED);
	/* Distinct DELEGATED granules, in the catalogue's order from a random start. */
	unsigned int n = cat.nstate[GRANULE_DELEGATED], start = in_below(n);
	for (unsigned int i = 0; i < RMI_REC_MAX_AUX; i++)
		aux[i] = n > i && in_chance(250) ? sim_pa(cat.by_state[GRANULE_DELEGATED][(start + i) % n])
						 : pick(GRANULE_DELEGATED);
	uint64_t params = pick(GRANULE_UNDELEGATED);
	struct rmi_rec_params *p = host_page(params);
	if (p) {
		unsigned int idx;
		uint64_t next = sim_idx(rd, &idx) && sim_granules[idx].state == GRANULE_RD
					? ((const struct rd *)sim_ptr(rd))->rec_count
					: 0;
		memset(p, 0, sizeof(*p));
		p->flags = in_chance(192) ? RMI_REC_FLAGS_RUNNABLE : 0;
		/* The next index's MPIDR (Aff0[3:0], then Aff1), or a neighbour's. */
		uint64_t want = next + (in_chance(224) ? 0 : in_below(3)) - (in_chance(16) ? 1 : 0);
		p->mpidr = (want & 0xf) | ((want >> 4) & 0xff) << 8;
		p->pc = gen_value();
		for (unsigned int i = 0; i < 8; i++)
			p->gprs[i] = gen_value();
		p->num_aux = in_chance(240) ? RMM_REC_AUX_COUNT : in_below(RMI_REC_MAX_AUX + 2);
		memcpy(p->aux, aux, sizeof(p->aux));
		corrupt(p, 16);
	}
	rmi(RMI_REC_CREATE, rd, rec, params, 0, 0, NULL);
}

static void op_rtt_create(void)
{
	uint64_t rd = pick_rd();
	int level;
	uint64_t ipa = pick_entry(rd, &level);

	if (cat.nstate[GRANULE_DELEGATED] == 0 || in_chance(64))
		delegate_some(1);
	if (in_chance(224))
		ipa &= ~(rtt_level_size(level) - 1);
	rmi(RMI_RTT_CREATE, rd, pick(GRANULE_DELEGATED), ipa, (uint64_t)(level + (in_chance(232) ? 1 : 0)), 0,
	    NULL);
}

/* RTT_DESTROY or RTT_FOLD of a catalogued non-root RTT of the realm. */
static void op_rtt_remove(uint64_t fid)
{
	uint64_t rd = pick_rd();
	const struct cat_rtt *t = pick_rtt(rd, 1, 0);
	int level;
	uint64_t ipa = t && in_chance(224) ? t->ipa : pick_entry(rd, &level);

	if (t && in_chance(224))
		level = t->level;
	else
		level = (int)in_below(6) - 1;
	rmi(fid, rd, ipa, (uint64_t)level, 0, 0, NULL);
}

static void op_map_unprotected(void)
{
	uint64_t rd = pick_rd();
	int level;
	uint64_t ipa = pick_entry(rd, &level);
	uint64_t pa = in_chance(224) ? pick(GRANULE_UNDELEGATED) : gen_value();
	uint64_t desc = (pa & rtte_oa_mask(level < 0 || level > RTT_PAGE_LEVEL ? RTT_PAGE_LEVEL : level)) |
			(in_chance(224) ? NS_DESC_ATTRS : in_u8() & 0xfc);

	if (rd_slot(rd) >= 0 && in_chance(200))
		ipa |= 1UL << (((const struct rd *)sim_ptr(rd))->s2.ipa_bits - 1);
	rmi(RMI_RTT_MAP_UNPROTECTED, rd, ipa, (uint64_t)level, in_chance(16) ? gen_value() : desc, 0, NULL);
}

/* A command on an existing leaf (ASSIGNED / ASSIGNED_NS) of the realm, or anywhere. */
static void op_leaf(uint64_t fid)
{
	uint64_t rd = pick_rd();
	const struct cat_leaf *l = pick_leaf(rd);
	int level;
	uint64_t ipa = l && in_chance(200) ? l->ipa : pick_entry(rd, &level);

	if (l && in_chance(224))
		level = l->level;
	rmi(fid, rd, ipa, (uint64_t)level, 0, 0, NULL);
}

static void op_data_create(int unknown)
{
	uint64_t rd = pick_rd();
	int level;
	uint64_t ipa = pick_entry_in(rd, &level, 1);

	if (cat.nstate[GRANULE_DELEGATED] == 0 || in_chance(64))
		delegate_some(1);
	uint64_t data = pick(GRANULE_DELEGATED), src = pick(GRANULE_UNDELEGATED);
	void *s = host_page(src);
	if (s)
		memset(s, in_u8(), GRANULE_SIZE);
	if (unknown)
		rmi(RMI_DATA_CREATE_UNKNOWN, rd, data, ipa, 0, 0, NULL);
	else
		rmi(RMI_DATA_CREATE, rd, data, ipa, src, in_chance(240) ? in_below(2) : gen_value(), NULL);
}

static void op_ripas(int init)
{
	uint64_t rd = pick_rd();
	int level;
	uint64_t base = pick_entry_in(rd, &level, in_chance(128)), rec = pick(GRANULE_REC);
	uint64_t top =
		base + (uint64_t)(1 + in_below(8)) * rtt_level_size(level < 0 || level > 3 ? 3 : level);

	if (init) {
		rmi(RMI_RTT_INIT_RIPAS, rd, base, in_chance(16) ? gen_value() : top, 0, 0, NULL);
		return;
	}
	/* The REC's own pending request, as a host answering the exit would. */
	unsigned int idx;
	if (sim_idx(rec, &idx) && sim_granules[idx].state == GRANULE_REC && in_chance(192)) {
		const struct rec *r = sim_ptr(rec);
		rd = in_chance(240) ? r->rd : rd;
		base = r->ripas.addr;
		top = in_chance(160) ? r->ripas.top : base + (uint64_t)(1 + in_below(4)) * GRANULE_SIZE;
	}
	rmi(RMI_RTT_SET_RIPAS, rd, rec, base, top, 0, NULL);
}

/* PSCI_COMPLETE for rec (the caller's REC if 0). */
static void op_psci_complete(uint64_t rec)
{
	static const uint64_t status[] = { (uint64_t)PSCI_SUCCESS, (uint64_t)PSCI_DENIED,
					   (uint64_t)PSCI_ALREADY_ON, (uint64_t)PSCI_INVALID_PARAMS };
	uint64_t target = pick(GRANULE_REC);
	unsigned int idx;

	if (!rec)
		rec = pick(GRANULE_REC);

	if (sim_idx(rec, &idx) && sim_granules[idx].state == GRANULE_REC) {
		const struct rec *r = sim_ptr(rec);
		/* The target the realm named, when it is one of the realm's RECs the catalogue holds. */
		for (unsigned int i = 0; i < cat.nstate[GRANULE_REC] && in_chance(224); i++) {
			uint64_t t = sim_pa(cat.by_state[GRANULE_REC][i]);
			const struct rec *tr = sim_ptr(t);
			if (tr->rd == r->rd && tr->mpidr == ((r->psci.target_mpidr & 0xffffffUL) |
							     ((r->psci.target_mpidr >> 32) & 0xffUL) << 24))
				target = t;
		}
	}
	rmi(RMI_PSCI_COMPLETE, rec, target, in_chance(240) ? status[in_below(4)] : gen_value(), 0, 0, NULL);
}

/* A host serving the exit: RIPAS changes through RTT_SET_RIPAS until done, PSCI answered. */
static void answer_exit(uint64_t rec, const struct rmi_rec_exit *x)
{
	const struct rec *r = sim_ptr(rec);
	uint64_t base = x->ripas_base, out[5];

	if (x->exit_reason == RMI_EXIT_PSCI && in_chance(224)) {
		op_psci_complete(rec);
		return;
	}
	if (x->exit_reason != RMI_EXIT_RIPAS_CHANGE || !in_chance(224))
		return;
	for (unsigned int i = 0; i < 8 && base < x->ripas_top; i++) {
		if (rmi(RMI_RTT_SET_RIPAS, r->rd, rec, base, x->ripas_top, 0, out) != RMI_SUCCESS) {
			/* Missing RTTs: create the level the walk stopped at plus one, as the hypervisor
			 * does. */
			uint64_t ret = out[0];
			if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT &&
			    RMI_RETURN_INDEX(ret) < RTT_PAGE_LEVEL) {
				int l = (int)RMI_RETURN_INDEX(ret) + 1;
				rmi(RMI_RTT_CREATE, r->rd, fresh(), base & ~(rtt_level_size(l - 1) - 1),
				    (uint64_t)l, 0, NULL);
				continue;
			}
			return;
		}
		base = out[1];
	}
}

static void op_rec_enter(void)
{
	uint64_t rec = pick(GRANULE_REC), run_pa = pick(GRANULE_UNDELEGATED);
	struct rmi_rec_run *run = host_page(run_pa);

	if (run) {
		memset(&run->enter, 0, sizeof(run->enter));
		run->enter.flags = in_chance(96)    ? 0
				   : in_chance(224) ? in_u8() & RMI_REC_ENTER_FLAGS_VALID
						    : gen_value();
		for (unsigned int i = 0; i < 4; i++)
			run->enter.gprs[in_below(RMI_REC_RUN_GPRS)] = gen_value();
		if (in_chance(32))
			run->enter.gicv3_hcr = gen_value();
		while (in_chance(48))
			run->enter.gicv3_lrs[in_below(RMI_REC_RUN_LRS)] = gen_value();
	}
	if (rmi(RMI_REC_ENTER, rec, run_pa, 0, 0, 0, NULL) == RMI_SUCCESS && run)
		answer_exit(rec, &run->exit);
}

static void op_anything(void)
{
	uint64_t fid = in_chance(224) ? RMI_FID_FIRST + in_below(NR_CMDS + 2) : gen_value();
	uint64_t a[5];

	for (unsigned int i = 0; i < 5; i++) {
		switch (in_below(3)) {
		case 0:
			a[i] = pick((enum granule_state)in_below(GRANULE_RTT + 1));
			break;
		default:
			a[i] = gen_value();
			break;
		}
	}
	rmi(fid, a[0], a[1], a[2], a[3], a[4], NULL);
}

static void one_op(void)
{
	switch (in_below(24)) {
	case 0:
	case 1:
		rmi(RMI_GRANULE_DELEGATE, pick(GRANULE_UNDELEGATED), 0, 0, 0, 0, NULL);
		return;
	case 2:
		rmi(RMI_GRANULE_UNDELEGATE, pick(GRANULE_DELEGATED), 0, 0, 0, 0, NULL);
		return;
	case 3:
		op_realm_create();
		return;
	case 4:
		rmi(RMI_REALM_ACTIVATE, pick_rd(), 0, 0, 0, 0, NULL);
		return;
	case 5:
		rmi(RMI_REALM_DESTROY, pick_rd(), 0, 0, 0, 0, NULL);
		return;
	case 6:
		op_rec_create();
		return;
	case 7:
		rmi(RMI_REC_DESTROY, pick(GRANULE_REC), 0, 0, 0, 0, NULL);
		return;
	case 8:
	case 9:
	case 10:
		op_rtt_create();
		return;
	case 11:
		op_rtt_remove(RMI_RTT_DESTROY);
		return;
	case 12:
		op_rtt_remove(RMI_RTT_FOLD);
		return;
	case 13:
		op_map_unprotected();
		return;
	case 14:
		op_leaf(in_chance(128) ? RMI_RTT_UNMAP_UNPROTECTED : RMI_RTT_READ_ENTRY);
		return;
	case 15:
		op_leaf(RMI_DATA_DESTROY);
		return;
	case 16:
	case 17:
		op_data_create(in_chance(96));
		return;
	case 18:
		op_ripas(1);
		return;
	case 19:
		op_ripas(0);
		return;
	case 20:
	case 21:
		op_rec_enter();
		return;
	case 22:
		op_psci_complete(0);
		return;
	default:
		op_anything();
		return;
	}
}

void rmi_fuzz_init(void)
{
	static int once;

	if (once)
		return;
	once = 1;
	rmm_feature_reg0 = FEAT0;
	rmm_vmid_bits = 16;
	atexit(summary);
}

void rmi_fuzz_begin(const uint8_t *data, size_t size)
{
	rmi_fuzz_init();
	if (inputs && inputs % PROGRESS_INPUTS == 0)
		summary();
	inputs++;
	fin = (struct fuzz_input){ data, size, 0, 0 };
	realm_reset();
	sim_reset();
	rmm_check_all();
}

int rmi_fuzz_one(const uint8_t *data, size_t size)
{
	rmi_fuzz_begin(data, size);
	for (unsigned int n = in_below(4); n; n--)
		build_realm();
	for (unsigned int n = 0; n < MAX_CALLS_PER_INPUT && !fin.done; n++)
		one_op();
	return 0;
}
