/*
 * Realm, REC and DATA life cycles through rmi_dispatch(): the granule state
 * machine (DELEGATED <-> RD / RTT / REC / REC_AUX / DATA), realm states
 * NEW -> ACTIVE (-> SYSTEM_OFF, set by REC_ENTER later), reference counts,
 * PSCI_COMPLETE, and a full teardown that returns every granule to
 * DELEGATED with zero contents. Linked with fake_measure.c (the RIM itself
 * is tested through the real measure.c in test_rmm_measure.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmm.h"
#include "vmid.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"

static struct rd *rd_of(uint64_t rd)
{
	return fx_ptr(rd);
}

static struct rec *rec_of(uint64_t rec)
{
	return fx_ptr(rec);
}

static uint64_t entry(uint64_t rtt, unsigned int i)
{
	return ((uint64_t *)fx_ptr(rtt))[i];
}

/* ------------------------------------------------------------------ realms */

static void test_realm_create_activate_destroy(void **state)
{
	struct fx_realm r;
	uint64_t out[5];

	(void)state;
	assert_int_equal(fx_realm_new(&r, 40, 1, 7), RMI_SUCCESS);
	assert_int_equal(r.nroot, 2);
	assert_int_equal(fx_state(r.rd), GRANULE_RD);
	assert_int_equal(fx_state(r.rtt_base), GRANULE_RTT);
	assert_int_equal(fx_state(r.rtt_base + G), GRANULE_RTT);
	assert_int_equal(fx_ref(r.rd), 0);
	assert_int_equal(fx_ref(r.rtt_base), 0);
	assert_int_equal(fx_state(r.params), GRANULE_UNDELEGATED);
	assert_true(vmid_is_reserved(7));

	const struct rd *rd = rd_of(r.rd);
	assert_int_equal(rd->state, REALM_NEW);
	assert_int_equal(rd->hash_algo, RMI_HASH_SHA_256);
	assert_int_equal(rd->s2.rtt_base, r.rtt_base);
	assert_int_equal(rd->s2.ipa_bits, 40);
	assert_int_equal(rd->s2.start_level, 1);
	assert_int_equal(rd->s2.num_root, 2);
	assert_int_equal(rd->s2.vmid, 7);
	assert_int_equal(rd->rec_count, 0);
	assert_int_equal(rd->num_rec_aux, RMM_REC_AUX_COUNT);
	assert_int_equal(rd->rpv[0], 0x42);
	for (unsigned int i = 0; i < RIM_SIZE; i++)
		assert_int_equal(rd->rim[i], 0); /* placeholder: RIM stays zero */

	/* 1 GiB root entries: [0, 512 GiB) is the PAR (first table), the rest unprotected. */
	for (unsigned int i = 0; i < RTT_ENTRIES; i++) {
		assert_int_equal(entry(r.rtt_base, i), 0); /* UNASSIGNED EMPTY */
		assert_int_equal(entry(r.rtt_base + G, i), RTTE_NS);
	}
	fx_read(r.rd, 0, 1, out);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], RMI_UNASSIGNED);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], RMI_EMPTY);
	fx_read(r.rd, 1UL << 39, 3, out);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], RMI_UNASSIGNED);
	assert_int_equal(out[4], RMI_EMPTY);

	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(rd->state, REALM_ACTIVE);
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_ERROR_REALM);

	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fake_count(EV_TLBI_VMID), 1);
	assert_false(vmid_is_reserved(7));
	for (uint64_t pa = r.rtt_base; pa < r.rtt_base + 2 * G; pa += G) {
		assert_int_equal(fx_state(pa), GRANULE_DELEGATED);
		assert_true(fx_is_zero(pa));
	}
	assert_int_equal(fx_state(r.rd), GRANULE_DELEGATED);
	assert_true(fx_is_zero(r.rd));
	assert_int_equal(fake_scrub_outside_realm(), 0);
	assert_int_equal(fake_gpf_count(), 0);
	fx_assert_unlocked();

	/* The same granules and VMID make a new realm. */
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, r.rd, r.params, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	/* RD, roots and params back to the host. */
	assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, r.rtt_base, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_false(fake_el3_is_realm(r.rd));
}

static void test_realm_geometries(void **state)
{
	static const struct {
		unsigned int s2sz;
		int sl;
		unsigned int nroot;
	} geo[] = {
		{ 32, 2, 4 }, { 33, 2, 8 },  { 34, 2, 16 }, { 39, 1, 1 }, { 40, 1, 2 }, { 41, 1, 4 },
		{ 42, 1, 8 }, { 43, 1, 16 }, { 40, 0, 1 },  { 44, 0, 1 }, { 48, 0, 1 },
	};
	uint64_t out[5];

	(void)state;
	for (unsigned int i = 0; i < sizeof(geo) / sizeof(geo[0]); i++) {
		struct fx_realm r;
		assert_int_equal(fx_realm_new(&r, geo[i].s2sz, geo[i].sl, (uint16_t)(100 + i)), RMI_SUCCESS);
		assert_int_equal(r.nroot, geo[i].nroot);
		uint64_t par = 1UL << (geo[i].s2sz - 1), esize = rtt_level_size(geo[i].sl);
		/* Last PAR entry and first unprotected one, wherever they fall among the roots. */
		uint64_t last = par / esize - 1;
		assert_int_equal(entry(r.rtt_base + (last / 512) * G, (unsigned int)(last % 512)), 0);
		assert_int_equal(entry(r.rtt_base + ((last + 1) / 512) * G, (unsigned int)((last + 1) % 512)),
				 RTTE_NS);
		fx_read(r.rd, par - G, 3, out);
		assert_int_equal(out[1], geo[i].sl);
		assert_int_equal(out[4], RMI_EMPTY);
		fx_read(r.rd, (1UL << geo[i].s2sz) - G, 3, out);
		assert_int_equal(out[1], geo[i].sl);
		/* A level-(sl+1) RTT in the last root table, found again through READ_ENTRY. */
		uint64_t rtt, ipa = (1UL << geo[i].s2sz) - rtt_level_size(geo[i].sl);
		assert_int_equal(fx_rtt(r.rd, ipa, geo[i].sl + 1, &rtt), RMI_SUCCESS);
		assert_int_equal(fx_ref(r.rtt_base + (r.nroot - 1) * G), 1);
		fx_read(r.rd, ipa, geo[i].sl, out);
		assert_int_equal(out[2], RMI_TABLE);
		assert_int_equal(out[3], rtt);
		assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_ERROR_REALM);
		assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, ipa, geo[i].sl + 1, 0, 0, NULL), RMI_SUCCESS);
		assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	}
	fx_assert_unlocked();
}

/* -------------------------------------------------------------------- RECs */

static void test_rec_lifecycle(void **state)
{
	struct fx_realm r;
	uint64_t rec[3], out[5];

	(void)state;
	assert_int_equal(fx_realm_new(&r, 40, 1, 1), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REC_AUX_COUNT, r.rd, 0, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 16);

	/* MPIDRs in index order: 0, 1, 2. */
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(fx_rec(r.rd, i, i == 0, &rec[i]), RMI_SUCCESS);
	assert_int_equal(fx_ref(r.rd), 3);
	assert_int_equal(rd_of(r.rd)->rec_count, 3);
	for (unsigned int i = 0; i < 3; i++) {
		const struct rec *c = rec_of(rec[i]);
		assert_int_equal(fx_state(rec[i]), GRANULE_REC);
		assert_int_equal(fx_ref(rec[i]), 0);
		assert_int_equal(c->rd, r.rd);
		assert_int_equal(c->rec_idx, i);
		assert_int_equal(c->mpidr, i);
		assert_int_equal(c->runnable, i == 0);
		assert_int_equal(c->pc, 0x80000);
		assert_int_equal(c->gprs[0], 0x100);
		assert_int_equal(c->gprs[7], 0x107);
		assert_int_equal(c->gprs[8], 0);
		assert_int_equal(c->pstate, REC_PSTATE_RESET);
		assert_int_equal(c->el1.sctlr_el1, REC_SCTLR_EL1_RESET);
		assert_int_equal(c->vmpidr_el2, i | (1UL << 31));
		assert_int_equal(c->num_aux, 16);
		for (unsigned int a = 0; a < 16; a++)
			assert_int_equal(fx_state(c->aux[a]), GRANULE_REC_AUX);
		assert_int_equal(c->psci.pending, 0);
		assert_int_equal(c->ripas.addr, c->ripas.top);
	}
	/* A REC keeps its realm alive. */
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_ERROR_REALM);

	uint64_t aux[16];
	memcpy(aux, rec_of(rec[1])->aux, sizeof(aux));
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec[1], 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fake_count(EV_SCRUB), 17);
	assert_int_equal(fx_state(rec[1]), GRANULE_DELEGATED);
	assert_true(fx_is_zero(rec[1]));
	for (unsigned int a = 0; a < 16; a++) {
		assert_int_equal(fx_state(aux[a]), GRANULE_DELEGATED);
		assert_true(fx_is_zero(aux[a]));
	}
	assert_int_equal(fx_ref(r.rd), 2);
	/* Indices are never reused: the next REC is index 3. */
	assert_int_equal(fx_rec(r.rd, 1, 0, NULL), RMI_ERROR_INPUT);
	assert_int_equal(fx_rec(r.rd, 3, 0, &rec[1]), RMI_SUCCESS);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec[i], 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_ref(r.rd), 0);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	fx_assert_unlocked();
}

static void test_rec_mpidr_order(void **state)
{
	struct fx_realm r;
	uint64_t rec;

	(void)state;
	assert_int_equal(fx_realm_new(&r, 39, 1, 1), RMI_SUCCESS);
	/* Index = Aff3:Aff2:Aff1:Aff0[3:0]: 0x0..0xf, then 0x100 (Aff0 4..255 never valid). */
	for (uint64_t i = 0; i < 16; i++)
		assert_int_equal(fx_rec(r.rd, i, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rec(r.rd, 0x10, 0, NULL), RMI_ERROR_INPUT);
	assert_int_equal(fx_rec(r.rd, 0x101, 0, NULL), RMI_ERROR_INPUT);
	assert_int_equal(fx_rec(r.rd, 0x100, 0, &rec), RMI_SUCCESS);
	assert_int_equal(rec_of(rec)->rec_idx, 16);
	assert_int_equal(rec_of(rec)->vmpidr_el2, 0x100 | (1UL << 31));
	assert_int_equal(rd_of(r.rd)->rec_count, 17);
	/* Aff3 [31:24] in RmiRecMpidr is Aff3 [39:32] in VMPIDR_EL2. */
	assert_int_equal(rec_mpidr_to_mpidr(0x01020304UL), 0x0100020304UL);
	assert_int_equal(rec_mpidr_to_idx(0x01020304UL), (1UL << 20) | (2UL << 12) | (3UL << 4) | 4);
}

static uint64_t idx_mpidr(uint64_t idx)
{
	return (idx & 0xf) | ((idx >> 4) & 0xff) << 8 | ((idx >> 12) & 0xff) << 16;
}

static void test_rec_count_limit(void **state)
{
	struct fx_realm r;
	uint64_t rec;

	(void)state;
	assert_int_equal(fx_realm_new(&r, 39, 1, 1), RMI_SUCCESS);
	/*
	 * B4.3.12 num_recs: "realm.num_recs == (2 ^ max_recs_order) - 1" is
	 * ERROR_REALM. num_recs counts the live RECs (REC_DESTROY gives one
	 * back), the RD's refcount, not the next index.
	 */
	fx_g(r.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 1;
	assert_int_equal(fx_rec(r.rd, idx_mpidr(0), 0, NULL), RMI_ERROR_REALM);
	fx_g(r.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 2;
	assert_int_equal(fx_rec(r.rd, idx_mpidr(0), 0, &rec), RMI_SUCCESS);
	assert_int_equal(fx_ref(r.rd), (1U << RMM_MAX_RECS_ORDER) - 1);
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	/* The index goes on past 2^MAX_RECS_ORDER while fewer RECs are alive. */
	fx_g(r.rd)->refcount = 0;
	rd_of(r.rd)->rec_count = 1UL << RMM_MAX_RECS_ORDER;
	assert_int_equal(fx_rec(r.rd, idx_mpidr(1UL << RMM_MAX_RECS_ORDER), 0, &rec), RMI_SUCCESS);
	assert_int_equal(rec_of(rec)->rec_idx, 1UL << RMM_MAX_RECS_ORDER);
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	rd_of(r.rd)->rec_count = 0;
}

/* RmiRecMpidr's reserved bits are SBZ, not a failure condition (B4.4.18, B3.38 RecIndex). */
static void test_rec_mpidr_reserved_bits_ignored(void **state)
{
	struct fx_realm r;
	uint64_t rec0, rec1;

	(void)state;
	assert_int_equal(fx_realm_new(&r, 39, 1, 1), RMI_SUCCESS);
	assert_int_equal(fx_rec(r.rd, 0x30, 1, &rec0), RMI_SUCCESS); /* Aff0[7:4] = 3: index 0 */
	assert_int_equal(rec_of(rec0)->mpidr, 0);
	assert_int_equal(fx_rec(r.rd, 1 | (0xffUL << 32), 1, &rec1), RMI_SUCCESS); /* bits 63:32: index 1 */
	assert_int_equal(rec_of(rec1)->mpidr, 1);
	assert_int_equal(rec_of(rec1)->vmpidr_el2, 1 | VMPIDR_EL2_RES1);
}

/* -------------------------------------------------------------------- DATA */

static void test_data_lifecycle(void **state)
{
	struct fx_realm r;
	uint64_t d1, d2, d3, out[5], l3;

	(void)state;
	assert_int_equal(fx_realm_new(&r, 40, 1, 1), RMI_SUCCESS);
	fx_rtts(r.rd, 0, 2, 3);
	fx_read(r.rd, 0, 2, out);
	l3 = out[3];
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, 0, 0x2000, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 0x2000);

	/* DATA_CREATE: copy, ASSIGNED RAM, counted in the level-3 RTT. */
	assert_int_equal(fx_data(r.rd, 0x1000, 0x5c, &d1), RMI_SUCCESS);
	assert_int_equal(fx_state(d1), GRANULE_DATA);
	assert_int_equal(((unsigned char *)fx_ptr(d1))[0], 0x5c);
	assert_int_equal(((unsigned char *)fx_ptr(d1))[G - 1], 0x5c);
	assert_int_equal(fx_ref(l3), 1);
	assert_int_equal(entry(l3, 1), d1 | RTTE_RAM_ATTRS | RTTE_TYPE_PAGE);
	fx_read(r.rd, 0x1000, 3, out);
	assert_int_equal(out[2], RMI_ASSIGNED);
	assert_int_equal(out[3], d1);
	assert_int_equal(out[4], RMI_RAM);
	/* On an EMPTY entry DATA_CREATE makes it RAM too. */
	assert_int_equal(fx_data(r.rd, 0x3000, 0x11, &d3), RMI_SUCCESS);
	fx_read(r.rd, 0x3000, 3, out);
	assert_int_equal(out[4], RMI_RAM);

	/* DATA_CREATE_UNKNOWN keeps the RIPAS (EMPTY here), content zero, allowed when ACTIVE. */
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_data(r.rd, 0x4000, 0x11, NULL), RMI_ERROR_REALM);
	assert_int_equal(fx_data_unknown(r.rd, 0x2000, &d2), RMI_SUCCESS);
	assert_true(fx_is_zero(d2));
	assert_int_equal(entry(l3, 2), d2 | (RTTE_HIPAS_ASSIGNED << RTTE_HIPAS_SHIFT));
	fx_read(r.rd, 0x2000, 3, out);
	assert_int_equal(out[2], RMI_ASSIGNED);
	assert_int_equal(out[3], d2);
	assert_int_equal(out[4], RMI_EMPTY);
	assert_int_equal(fx_ref(l3), 3);

	/* The RTT is live: it cannot go. */
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0, out), RET(RMI_ERROR_RTT, 3));

	/* DATA_DESTROY: RAM -> UNASSIGNED DESTROYED with a TLBI; x1 = PA, x2 = next live IPA. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, 0x1000, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], d1);
	assert_int_equal(out[2], 0x2000);
	assert_int_equal(fake_count(EV_TLBI_IPA), 1);
	const struct fake_event *ev;
	size_t n = fake_events(&ev);
	assert_true(n >= 1);
	assert_int_equal(ev[0].kind, EV_TLBI_IPA);
	assert_int_equal(ev[0].pa, 0x1000);
	assert_int_equal(ev[0].vmid, 1);
	assert_int_equal(ev[0].level, 3);
	assert_int_equal(fx_state(d1), GRANULE_DELEGATED);
	assert_true(fx_is_zero(d1));
	fx_read(r.rd, 0x1000, 3, out);
	assert_int_equal(out[2], RMI_UNASSIGNED);
	assert_int_equal(out[4], RMI_DESTROYED);
	/* ASSIGNED EMPTY -> UNASSIGNED EMPTY, no TLBI (it was never valid). */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, 0x2000, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[2], 0x3000);
	assert_int_equal(fake_count(EV_TLBI_IPA), 0);
	fx_read(r.rd, 0x2000, 3, out);
	assert_int_equal(out[4], RMI_EMPTY);
	/* The last live entry: top is the end of the RTT. */
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, 0x3000, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[2], L2);
	assert_int_equal(fx_ref(l3), 0);
	/* ASSIGNED DESTROYED: DATA_CREATE_UNKNOWN on the DESTROYED entry, then destroy it. */
	assert_int_equal(fx_data_unknown(r.rd, 0x1000, &d1), RMI_SUCCESS);
	fx_read(r.rd, 0x1000, 3, out);
	assert_int_equal(out[2], RMI_ASSIGNED);
	assert_int_equal(out[3], d1);
	assert_int_equal(out[4], RMI_DESTROYED);
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, 0x1000, 0, 0, 0, out), RMI_SUCCESS);
	fx_read(r.rd, 0x1000, 3, out);
	assert_int_equal(out[2], RMI_UNASSIGNED);
	assert_int_equal(out[4], RMI_DESTROYED);
	fx_assert_unlocked();
}

/* ------------------------------------------------------------- PSCI_COMPLETE */

static void pend(uint64_t rec, uint64_t fid, uint64_t target_mpidr)
{
	struct rec *c = rec_of(rec);

	c->psci = (struct rec_psci_req){ 1, fid, target_mpidr, 0x4000, 0xc0ffee };
	c->gprs[0] = fid;
	c->gprs[1] = target_mpidr;
	c->gprs[2] = 0x4000;
	c->gprs[3] = 0xc0ffee;
}

static void test_psci_complete(void **state)
{
	struct fx_realm r;
	uint64_t rec[3];

	(void)state;
	assert_int_equal(fx_realm_new(&r, 40, 1, 1), RMI_SUCCESS);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(fx_rec(r.rd, i, i == 0, &rec[i]), RMI_SUCCESS);
	struct rec *c0 = rec_of(rec[0]), *c1 = rec_of(rec[1]);
	c0->el1.sctlr_el1 |= SCTLR_EL1_EE;

	/* AFFINITY_INFO of an off REC: OFF; status must be SUCCESS. */
	pend(rec[0], PSCI_AFFINITY_INFO_64, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], (uint64_t)PSCI_DENIED, 0, 0, NULL),
			 RMI_ERROR_INPUT);
	assert_int_equal(c0->psci.pending, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], PSCI_AFF_OFF);
	assert_int_equal(c0->gprs[1], 0);
	assert_int_equal(c0->gprs[2], 0);
	assert_int_equal(c0->gprs[3], 0);
	assert_int_equal(c0->psci.pending, 0);
	/* Nothing pending any more. */
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL),
			 RMI_ERROR_INPUT);

	/* CPU_ON denied by the host while the target is off: DENIED, target stays off. */
	pend(rec[0], PSCI_CPU_ON_64, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], (uint64_t)PSCI_DENIED, 0, 0, NULL),
			 RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], (uint64_t)PSCI_DENIED);
	assert_int_equal(c1->runnable, 0);
	/* Other statuses are not allowed for CPU_ON. */
	pend(rec[0], PSCI_CPU_ON_32, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], (uint64_t)PSCI_INVALID_PARAMS, 0, 0, NULL),
			 RMI_ERROR_INPUT);
	/* CPU_ON accepted: target reset at the entry point with the context id, caller's endianness. */
	c1->gprs[5] = 0xdead;
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], PSCI_SUCCESS);
	assert_int_equal(c1->runnable, 1);
	assert_int_equal(c1->pc, 0x4000);
	assert_int_equal(c1->gprs[0], 0xc0ffee);
	assert_int_equal(c1->gprs[5], 0);
	assert_int_equal(c1->pstate, REC_PSTATE_RESET);
	assert_int_equal(c1->el1.sctlr_el1, REC_SCTLR_EL1_RESET | SCTLR_EL1_EE);
	/* Now on: ALREADY_ON, and the host may not deny it. */
	pend(rec[0], PSCI_CPU_ON_64, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], (uint64_t)PSCI_DENIED, 0, 0, NULL),
			 RMI_ERROR_INPUT);
	assert_int_equal(c0->psci.pending, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], (uint64_t)PSCI_ALREADY_ON);
	pend(rec[0], PSCI_AFFINITY_INFO_32, 1);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], PSCI_AFF_ON);
	/* A running target (refcount held by REC_ENTER) is on as well. */
	fx_g(rec[2])->refcount = 1;
	pend(rec[0], PSCI_AFFINITY_INFO_64, 2);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[2], PSCI_SUCCESS, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(c0->gprs[0], PSCI_AFF_ON);
	fx_g(rec[2])->refcount = 0;
	/* The request names REC 2; REC 1 is the wrong target. */
	pend(rec[0], PSCI_CPU_ON_64, 2);
	assert_int_equal(fx_rmi(RMI_PSCI_COMPLETE, rec[0], rec[1], PSCI_SUCCESS, 0, 0, NULL),
			 RMI_ERROR_INPUT);
	fx_assert_unlocked();
}

/* ---------------------------------------------------------- state machine */

static void expect_state(uint64_t pa, unsigned int st)
{
	assert_int_equal(fx_state(pa), st);
	if (st == GRANULE_DELEGATED) /* DELEGATED granules always hold zeros */
		assert_true(fx_is_zero(pa));
}

static void test_granule_state_machine(void **state)
{
	struct fx_realm r;
	uint64_t out[5], aux[RMI_REC_MAX_AUX];

	(void)state;
	/* One granule through every state and back, each time by the command that owns the transition. */
	const uint64_t g = fx_ns();
	expect_state(g, GRANULE_UNDELEGATED);
	assert_int_equal(fx_rmi(RMI_GRANULE_DELEGATE, g, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_DELEGATED);

	/* RD */
	uint64_t root = fx_del(), params = fx_ns();
	fx_realm_params(params, 39, 1, 1, root, 1);
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, g, params, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_RD);
	expect_state(root, GRANULE_RTT);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, g, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_DELEGATED);
	expect_state(root, GRANULE_DELEGATED);

	/* Root RTT */
	uint64_t rd = fx_del();
	fx_realm_params(params, 39, 1, 1, g, 1);
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_RTT);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_DELEGATED);

	assert_int_equal(fx_realm_new(&r, 39, 1, 2), RMI_SUCCESS);
	/* RTT */
	assert_int_equal(fx_rmi(RMI_RTT_CREATE, r.rd, g, 0, 2, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_RTT);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], g);
	expect_state(g, GRANULE_DELEGATED);
	/* RTT again, going by RTT_FOLD this time */
	assert_int_equal(fx_rmi(RMI_RTT_CREATE, r.rd, g, 0, 2, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, r.rd, 0, 2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], g);
	expect_state(g, GRANULE_DELEGATED);

	/* REC */
	uint64_t p = fx_ns();
	for (unsigned int i = 0; i < RMI_REC_MAX_AUX; i++)
		aux[i] = fx_del();
	fx_rec_params(p, 0, RMI_REC_FLAGS_RUNNABLE, 0, RMI_REC_MAX_AUX, aux);
	assert_int_equal(fx_rmi(RMI_REC_CREATE, r.rd, g, p, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_REC);
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, g, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_DELEGATED);

	/* REC_AUX */
	uint64_t rec = fx_del();
	aux[7] = g;
	fx_rec_params(p, 1, 0, 0, RMI_REC_MAX_AUX, aux);
	assert_int_equal(fx_rmi(RMI_REC_CREATE, r.rd, rec, p, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_REC_AUX);
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_DELEGATED);

	/* DATA */
	fx_rtts(r.rd, 0, 2, 3);
	uint64_t src = fx_ns();
	memset(fx_ptr(src), 0xee, G);
	assert_int_equal(fx_rmi(RMI_DATA_CREATE, r.rd, g, 0x5000, src, RMI_MEASURE_CONTENT, NULL),
			 RMI_SUCCESS);
	expect_state(g, GRANULE_DATA);
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, 0x5000, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], g);
	expect_state(g, GRANULE_DELEGATED);

	/* Back to the host. */
	assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, g, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	expect_state(g, GRANULE_UNDELEGATED);
	assert_false(fake_el3_is_realm(g));
	assert_int_equal(fake_gpf_count(), 0);
	fx_assert_unlocked();
}

/* ------------------------------------------------------------------ teardown */

static void test_full_teardown(void **state)
{
	struct fx_realm r;
	uint64_t out[5], rec[2], first, last;
	const uint64_t ns = 1UL << 39; /* first unprotected IPA */

	(void)state;
	first = FX_BASE;
	assert_int_equal(fx_realm_new(&r, 40, 1, 9), RMI_SUCCESS);
	/* Protected: RTTs at 0 and 1 GiB, RIPAS RAM over 4 MiB, 8 DATA pages, a 2 MiB DATA block. */
	fx_rtts(r.rd, 0, 2, 3);
	fx_rtts(r.rd, L1, 2, 3);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, 0, L2, 0, 0, out), RMI_SUCCESS);
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(fx_data(r.rd, i * G, (unsigned char)i, NULL), RMI_SUCCESS);
	uint64_t blk = fx_del_run(512, L2), src = fx_ns();
	memset(fx_ptr(src), 0x77, G);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_DATA_CREATE, r.rd, blk + i * G, L1 + i * G, src, 0, NULL),
				 RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, r.rd, L1, 3, 0, 0, out), RMI_SUCCESS);
	uint64_t folded = out[1];
	/* Unprotected: an RTT down to level 3 with two NS pages. */
	fx_rtts(r.rd, ns, 2, 3);
	uint64_t host = 0x40000000UL; /* an NS page the host shares */
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, r.rd, ns, 3, host | 0xd8, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, r.rd, ns + G, 3, (host + G) | 0xd8, 0, NULL),
			 RMI_SUCCESS);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(fx_rec(r.rd, i, i == 0, &rec[i]), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	last = fx_ns();

	/* The host's teardown; REALM_DESTROY is refused, changing nothing, until the end. */
#define REFUSED()                                                                                     \
	do {                                                                                          \
		fx_snap();                                                                            \
		assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_ERROR_REALM); \
		fx_snap_check("REALM_DESTROY while in use");                                          \
	} while (0)
	REFUSED();
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(fx_rmi(RMI_REC_DESTROY, rec[i], 0, 0, 0, 0, NULL), RMI_SUCCESS);
	REFUSED();
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, i * G, 0, 0, 0, NULL), RMI_SUCCESS);
	/* The folded block: unfold (RTT_CREATE), then page by page. */
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, L1, 0, 0, 0, NULL), RET(RMI_ERROR_RTT, 2));
	assert_int_equal(fx_rmi(RMI_RTT_CREATE, r.rd, folded, L1, 3, 0, NULL), RMI_SUCCESS);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_DATA_DESTROY, r.rd, L1 + i * G, 0, 0, 0, NULL), RMI_SUCCESS);
	REFUSED();
	/* Destroy some RTTs, fold others. */
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, r.rd, L1, 3, 0, 0, NULL), RMI_SUCCESS);
	REFUSED();
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, L1, 2, 0, 0, NULL), RMI_SUCCESS);
	/* Unprotected RTTs go with their NS mappings (not counted): the whole VMID is flushed. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, ns, 3, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fake_count(EV_TLBI_VMID), 1);
	REFUSED();
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, r.rd, ns, 2, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
#undef REFUSED

	/* Every granule the realm used is DELEGATED and zero; NS ones are untouched. */
	unsigned long delegated = 0;
	for (uint64_t pa = first; pa < last; pa += G) {
		if (fake_el3_is_realm(pa)) {
			delegated++;
			if (fx_state(pa) != GRANULE_DELEGATED || !fx_is_zero(pa))
				fail_msg("granule 0x%lx: state %u, zero %d", (unsigned long)pa, fx_state(pa),
					 fx_is_zero(pa));
			assert_int_equal(fx_ref(pa), 0);
			assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL), RMI_SUCCESS);
		} else {
			assert_int_equal(fx_state(pa), GRANULE_UNDELEGATED);
		}
	}
	/* 2 roots, RD, 6 RTTs (the folded one re-used to unfold), 8 + 512 DATA, 2 x (REC + 16 aux) */
	assert_int_equal(delegated, 2 + 1 + 6 + 8 + 512 + 34);
	assert_false(vmid_is_reserved(9));
	assert_int_equal(fake_gpf_count(), 0);
	assert_int_equal(fake_scrub_outside_realm(), 0);
	fx_assert_unlocked();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_realm_create_activate_destroy, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_geometries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_lifecycle, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_mpidr_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_count_limit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_mpidr_reserved_bits_ignored, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_lifecycle, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_psci_complete, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_granule_state_machine, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_full_teardown, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_realm", tests, NULL, NULL);
}
