/*
 * The order of every RMI command's failure conditions (issue 12): for each
 * command, its conditions as the specification lists them (RMM 1.0
 * B4.3.<n>.2, a total order consistent with its partial order
 * B4.3.<n>.2.1, which the RMM follows), and for every adjacent pair (a, b)
 * a call where both hold and the answer is a's, named "a < b". A pair that
 * cannot hold at once is listed with the reason instead:
 *   wf:  b is not well-formed when a holds (B1.6: no granule state for an
 *        address that is not delegable, no realm for a granule that is not
 *        an RD, no RTT behind an entry that is not a table);
 *   xor: a and b exclude each other (one realm state or the other);
 *   pa:  b needs a delegable PA at or above 2^48, which this platform has
 *        not (so data_bound2 / rtt_bound2 can never be the answer);
 *   same: both need a protected ASSIGNED block the world lacks, and give the
 *        same ERROR_RTT at the same level anyway.
 * order_run() (rmm_world.c) fails a command whose table misses an adjacent
 * pair. The cases run against rmm_world.c, each checked to change nothing;
 * single conditions are in test_rmm_errors*.c. This file: the realm, REC,
 * DATA and granule commands; test_rmm_order_rtt.c: the RTT commands.
 * RMI_VERSION and RMI_FEATURES have no failure conditions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmm.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"
#include "rmm_world.h"

#define UA(pa) UNALIGNED(pa)
#define UU UNALIGNED(UNTRACKED) /* unaligned and not delegable */
#define M RMI_MEASURE_CONTENT

/* ------------------------------------------------------------------ preps */

static uint64_t scratch; /* an NS granule for parameters */

/* The world, and a scratch NS granule for parameter pages. */
static int setup(void **state)
{
	if (world(state))
		return -1;
	scratch = fx_ns();
	return 0;
}

/* RmiRealmParams for REALM_CREATE pairs: W.p_realm with two things wrong. */
static void realm_params(int m)
{
	struct rmi_realm_params *p = fx_ptr(scratch);

	memcpy(p, fx_ptr(W.p_realm), G);
	switch (m) {
	case 0: /* params_valid (hash_algo encoding) and params_supp (LPA2) */
		p->hash_algo = 2;
		p->flags = RMI_REALM_FLAGS_LPA2;
		break;
	case 1: /* params_supp; the RD given is rtt_base (alias) */
		p->flags = RMI_REALM_FLAGS_LPA2;
		break;
	case 2: /* valid; the RD given is inside the roots and unaligned */
		break;
	case 3: /* rtt_align */
		p->rtt_base = W.new_rtt + G;
		break;
	case 4: /* rtt_align and rtt_num_level */
		p->rtt_base = W.new_rtt + G;
		p->rtt_num_start = 1;
		break;
	case 5: /* rtt_num_level and rtt_state (an NS root) */
		p->rtt_num_start = 1;
		p->rtt_base = W.ns;
		break;
	case 6: /* rtt_state (second root NS) and vmid_valid (realm A's VMID) */
		p->rtt_base = W.pair;
		p->vmid = 1;
		break;
	}
}

/* RmiRecParams for REC_CREATE pairs: W.p_rec (realm A, index 5) with two things wrong. */
static void rec_params(int m)
{
	struct rmi_rec_params *p = fx_ptr(scratch);

	memcpy(p, fx_ptr(W.p_rec), G);
	switch (m) {
	case 0: /* mpidr_index, with A's RD full (num_recs) */
		p->mpidr = 6;
		fx_g(W.a.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 1;
		break;
	case 1: /* mpidr_index and num_aux */
		p->mpidr = 6;
		p->num_aux = 15;
		break;
	case 2: /* num_aux and aux_align */
		p->num_aux = 15;
		p->aux[2] = UA(p->aux[2]);
		break;
	case 3: /* aux_align and aux_alias */
		p->aux[2] = UA(p->aux[2]);
		p->aux[4] = p->aux[3];
		break;
	case 4: /* aux_alias and aux_state */
		p->aux[4] = p->aux[3];
		p->aux[5] = W.ns;
		break;
	case 5: /* valid for realm B (index 1), whose RD is made full */
		p->mpidr = 1;
		fx_g(W.b.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 1;
		break;
	}
}

static void rds_not_full(void)
{
	fx_g(W.a.rd)->refcount = 5;
	fx_g(W.b.rd)->refcount = 1;
}

/* REC_ENTER of B's REC with two of its conditions true; W.ns is the RecRun page. */
static void rec_enter_state(int m)
{
	struct rmi_rec_run *run = fx_ptr(W.ns);
	struct rec *rec = fx_ptr(W.b_r0);

	memset(run, 0, sizeof(*run));
	switch (m) {
	case 0: /* system_off and rec_state */
		((struct rd *)fx_ptr(W.b.rd))->state = REALM_SYSTEM_OFF;
		fx_g(W.b_r0)->refcount = 1;
		break;
	case 1: /* rec_state and rec_runnable */
		fx_g(W.b_r0)->refcount = 1;
		rec->runnable = 0;
		break;
	case 2: /* rec_runnable and rec_mmio */
		rec->runnable = 0;
		run->enter.flags = RMI_REC_ENTER_EMUL_MMIO;
		break;
	case 3: /* rec_mmio and rec_gicv3 */
		run->enter.flags = RMI_REC_ENTER_EMUL_MMIO;
		run->enter.gicv3_hcr = 1; /* En is the RMM's */
		break;
	case 4: /* rec_gicv3 and rec_psci */
		run->enter.gicv3_hcr = 1;
		rec->psci.pending = 1;
		break;
	}
}

static void rec_enter_undo(void)
{
	struct rec *rec = fx_ptr(W.b_r0);

	memset(fx_ptr(W.ns), 0xa5, G);
	((struct rd *)fx_ptr(W.b.rd))->state = REALM_ACTIVE;
	fx_g(W.b_r0)->refcount = 0;
	rec->runnable = 1;
	rec->psci.pending = 0;
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define RD_CONDS "rd_align", "rd_bound", "rd_state"
#define WF_RD "rd_bound < rd_state: wf"

static void test_data_create(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, d = W.del, s = W.src;
	const struct fcase cases[] = {
		{ "src_align < src_bound", RMI_DATA_CREATE, { rd, d, 0x2000, UU, M }, IN },
		{ "src_pas < data_align", RMI_DATA_CREATE, { rd, UA(d), 0x2000, W.del2, M }, IN },
		{ "data_align < data_bound", RMI_DATA_CREATE, { rd, UU, 0x2000, s, M }, IN },
		{ "rd_align < rd_bound", RMI_DATA_CREATE, { UU, d, 0x2000, s, M }, IN },
		{ "rd_state < ipa_align", RMI_DATA_CREATE, { W.del2, d, 0x2008, s, M }, IN },
		{ "ipa_align < ipa_bound", RMI_DATA_CREATE, { rd, d, NS_IPA + 8, s, M }, IN },
		{ "ipa_bound < realm_state", RMI_DATA_CREATE, { W.b.rd, d, 1UL << 40, s, M }, IN },
		{ "realm_state < rtt_walk", RMI_DATA_CREATE, { W.b.rd, d, L1, s, M }, REALM },
	};
	ORDER("DATA_CREATE",
	      LIST("src_align", "src_bound", "src_pas", "data_align", "data_bound", "data_state",
		   "data_bound2", RD_CONDS, "ipa_align", "ipa_bound", "realm_state", "rtt_walk",
		   "rtte_state"),
	      LIST("src_bound < src_pas: wf", "data_bound < data_state: wf", "data_state < data_bound2: pa",
		   "data_bound2 < rd_align: pa", WF_RD, "rtt_walk < rtte_state: same"),
	      cases);
}

static void test_data_create_unknown(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, d = W.del;
	const struct fcase cases[] = {
		{ "data_align < data_bound", RMI_DATA_CREATE_UNKNOWN, { rd, UU, 0x2000 }, IN },
		{ "rd_align < rd_bound", RMI_DATA_CREATE_UNKNOWN, { UU, d, 0x2000 }, IN },
		{ "rd_state < ipa_align", RMI_DATA_CREATE_UNKNOWN, { W.del2, d, 0x2008 }, IN },
		{ "ipa_align < ipa_bound", RMI_DATA_CREATE_UNKNOWN, { rd, d, NS_IPA + 8 }, IN },
		{ "ipa_bound < rtt_walk", RMI_DATA_CREATE_UNKNOWN, { rd, d, NS_IPA + L1 }, IN },
	};
	ORDER("DATA_CREATE_UNKNOWN",
	      LIST("data_align", "data_bound", "data_state", "data_bound2", RD_CONDS, "ipa_align",
		   "ipa_bound", "rtt_walk", "rtte_state"),
	      LIST("data_bound < data_state: wf", "data_state < data_bound2: pa",
		   "data_bound2 < rd_align: pa", WF_RD, "rtt_walk < rtte_state: same"),
	      cases);
}

static void test_data_destroy(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		{ "rd_align < rd_bound", RMI_DATA_DESTROY, { UU, 0x1000 }, IN },
		{ "rd_state < ipa_align", RMI_DATA_DESTROY, { W.del2, 0x1008 }, IN },
		{ "ipa_align < ipa_bound", RMI_DATA_DESTROY, { rd, NS_IPA + 8 }, IN },
		{ "ipa_bound < rtt_walk", RMI_DATA_DESTROY, { rd, NS_IPA + L1 }, IN, NULL, 0, NULL, 2, 0 },
	};
	ORDER("DATA_DESTROY", LIST(RD_CONDS, "ipa_align", "ipa_bound", "rtt_walk", "rtte_state"),
	      LIST(WF_RD, "rtt_walk < rtte_state: same"), cases);
}

static void test_granule_delegation(void **state)
{
	(void)state;
	const struct fcase del[] = {
		{ "gran_align < gran_bound", RMI_GRANULE_DELEGATE, { UU }, IN },
		{ "gran_state < gran_gpt", RMI_GRANULE_DELEGATE, { W.del }, IN }, /* DELEGATED: Realm PAS */
	};
	ORDER("GRANULE_DELEGATE", LIST("gran_align", "gran_bound", "gran_state", "gran_gpt"),
	      LIST("gran_bound < gran_state: wf"), del);
	const struct fcase undel[] = {
		{ "gran_align < gran_bound", RMI_GRANULE_UNDELEGATE, { UU }, IN },
	};
	ORDER("GRANULE_UNDELEGATE", LIST("gran_align", "gran_bound", "gran_state"),
	      LIST("gran_bound < gran_state: wf"), undel);
}

static void test_psci_complete(void **state)
{
	(void)state;
	const uint64_t c = W.a_r[2]; /* a pending CPU_ON for MPIDR 3 */
	const struct fcase cases[] = {
		{ "alias < calling_align", RMI_PSCI_COMPLETE, { UA(c), UA(c), 0 }, IN },
		{ "calling_align < calling_bound", RMI_PSCI_COMPLETE, { UU, W.a_r[3], 0 }, IN },
		{ "calling_state < target_align", RMI_PSCI_COMPLETE, { W.ns, UA(W.a_r[3]), 0 }, IN },
		{ "target_align < target_bound", RMI_PSCI_COMPLETE, { c, UU, 0 }, IN },
		{ "target_state < pending", RMI_PSCI_COMPLETE, { W.a_r[0], W.ns, 0 }, IN },
		{ "pending < owner", RMI_PSCI_COMPLETE, { W.a_r[0], W.b_r0, 0 }, IN },
		{ "owner < target", RMI_PSCI_COMPLETE, { c, W.b_r0, 0 }, IN },
		{ "target < status", RMI_PSCI_COMPLETE, { c, W.a_r[1], 5 }, IN },
	};
	ORDER("PSCI_COMPLETE",
	      LIST("alias", "calling_align", "calling_bound", "calling_state", "target_align", "target_bound",
		   "target_state", "pending", "owner", "target", "status"),
	      LIST("calling_bound < calling_state: wf", "target_bound < target_state: wf"), cases);
}

static void test_realm_activate_destroy_aux_count(void **state)
{
	(void)state;
	const struct fcase act[] = { { "rd_align < rd_bound", RMI_REALM_ACTIVATE, { UU }, IN } };
	ORDER("REALM_ACTIVATE", LIST(RD_CONDS, "realm_state"), LIST(WF_RD, "rd_state < realm_state: wf"),
	      act);
	const struct fcase des[] = { { "rd_align < rd_bound", RMI_REALM_DESTROY, { UU }, IN } };
	ORDER("REALM_DESTROY", LIST(RD_CONDS, "realm_live"), LIST(WF_RD, "rd_state < realm_live: wf"), des);
	const struct fcase aux[] = { { "rd_align < rd_bound", RMI_REC_AUX_COUNT, { UU }, IN } };
	ORDER("REC_AUX_COUNT", LIST(RD_CONDS), LIST(WF_RD), aux);
}

static void test_realm_create(void **state)
{
	(void)state;
	const uint64_t rd = W.new_rd, p = scratch;
#define RP(m) realm_params, m, NULL
	const struct fcase cases[] = {
		{ "params_align < params_bound", RMI_REALM_CREATE, { rd, UU }, IN },
		{ "params_valid < params_supp", RMI_REALM_CREATE, { rd, p }, IN, RP(0) },
		{ "params_supp < alias", RMI_REALM_CREATE, { W.new_rtt, p }, IN, RP(1) },
		{ "alias < rd_align", RMI_REALM_CREATE, { UA(W.new_rtt), p }, IN, RP(2) },
		{ "rd_align < rd_bound", RMI_REALM_CREATE, { UU, W.p_realm }, IN },
		{ "rd_state < rtt_align", RMI_REALM_CREATE, { W.ns, p }, IN, RP(3) },
		{ "rtt_align < rtt_num_level", RMI_REALM_CREATE, { rd, p }, IN, RP(4) },
		{ "rtt_num_level < rtt_state", RMI_REALM_CREATE, { rd, p }, IN, RP(5) },
		{ "rtt_state < vmid_valid", RMI_REALM_CREATE, { rd, p }, IN, RP(6) },
	};
#undef RP
	ORDER("REALM_CREATE",
	      LIST("params_align", "params_bound", "params_pas", "params_valid", "params_supp", "alias",
		   RD_CONDS, "rtt_align", "rtt_num_level", "rtt_state", "vmid_valid"),
	      LIST("params_bound < params_pas: wf",
		   "params_pas < params_valid: wf (the parameters are read through the NS PAS)", WF_RD),
	      cases);
}

static void test_rec_create(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, rec = W.new_rec, p = scratch;
	const struct fcase cases[] = {
		{ "params_align < params_bound", RMI_REC_CREATE, { rd, rec, UU }, IN },
		{ "params_pas < rec_align", RMI_REC_CREATE, { rd, UA(rec), W.del }, IN },
		{ "rec_align < rec_bound", RMI_REC_CREATE, { rd, UU, W.p_rec }, IN },
		{ "rec_state < rd_align", RMI_REC_CREATE, { UA(rd), W.ns, W.p_rec }, IN },
		{ "rd_align < rd_bound", RMI_REC_CREATE, { UU, rec, W.p_rec }, IN },
		{ "realm_state < num_recs",
		  RMI_REC_CREATE,
		  { W.b.rd, rec, p },
		  REALM,
		  rec_params,
		  5,
		  rds_not_full },
		{ "num_recs < mpidr_index",
		  RMI_REC_CREATE,
		  { rd, rec, p },
		  REALM,
		  rec_params,
		  0,
		  rds_not_full },
		{ "mpidr_index < num_aux", RMI_REC_CREATE, { rd, rec, p }, IN, rec_params, 1 },
		{ "num_aux < aux_align", RMI_REC_CREATE, { rd, rec, p }, IN, rec_params, 2 },
		{ "aux_align < aux_alias", RMI_REC_CREATE, { rd, rec, p }, IN, rec_params, 3 },
		{ "aux_alias < aux_state", RMI_REC_CREATE, { rd, rec, p }, IN, rec_params, 4 },
	};
	ORDER("REC_CREATE",
	      LIST("params_align", "params_bound", "params_pas", "rec_align", "rec_bound", "rec_state",
		   RD_CONDS, "realm_state", "num_recs", "mpidr_index", "num_aux", "aux_align", "aux_alias",
		   "aux_state"),
	      LIST("params_bound < params_pas: wf", "rec_bound < rec_state: wf", WF_RD,
		   "rd_state < realm_state: wf"),
	      cases);
}

static void test_rec_destroy_enter(void **state)
{
	(void)state;
	const struct fcase des[] = { { "rec_align < rec_bound", RMI_REC_DESTROY, { UU }, IN } };
	ORDER("REC_DESTROY", LIST("rec_align", "rec_bound", "rec_gran_state", "rec_state"),
	      LIST("rec_bound < rec_gran_state: wf", "rec_gran_state < rec_state: wf"), des);
	const uint64_t rec = W.b_r0, run = W.ns;
#define RE(m) rec_enter_state, m, rec_enter_undo
	const struct fcase ent[] = {
		{ "run_align < run_bound", RMI_REC_ENTER, { rec, UU }, IN },
		{ "run_pas < rec_align", RMI_REC_ENTER, { UA(rec), W.del2 }, IN },
		{ "rec_align < rec_bound", RMI_REC_ENTER, { UU, run }, IN },
		{ "system_off < rec_state", RMI_REC_ENTER, { rec, run }, RET(REALM, 1), RE(0) },
		{ "rec_state < rec_runnable", RMI_REC_ENTER, { rec, run }, REC, RE(1) },
		{ "rec_runnable < rec_mmio", RMI_REC_ENTER, { rec, run }, REC, RE(2) },
		{ "rec_mmio < rec_gicv3", RMI_REC_ENTER, { rec, run }, REC, RE(3) },
		{ "rec_gicv3 < rec_psci", RMI_REC_ENTER, { rec, run }, REC, RE(4) },
	};
#undef RE
	ORDER("REC_ENTER",
	      LIST("run_align", "run_bound", "run_pas", "rec_align", "rec_bound", "rec_gran_state",
		   "realm_new", "system_off", "rec_state", "rec_runnable", "rec_mmio", "rec_gicv3",
		   "rec_psci"),
	      LIST("run_bound < run_pas: wf", "rec_bound < rec_gran_state: wf",
		   "rec_gran_state < realm_new: wf", "realm_new < system_off: xor"),
	      ent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_data_create, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_create_unknown, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_destroy, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_granule_delegation, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_psci_complete, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_activate_destroy_aux_count, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_create, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_create, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_destroy_enter, setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_order", tests, NULL, NULL);
}
