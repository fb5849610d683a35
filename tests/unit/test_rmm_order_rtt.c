/*
 * The order of the RTT commands' failure conditions (RTT_CREATE, RTT_DESTROY,
 * RTT_FOLD, RTT_READ_ENTRY, RTT_MAP/UNMAP_UNPROTECTED, RTT_INIT/SET_RIPAS):
 * every adjacent pair of RMM 1.0 B4.3.<n>.2 with both conditions true, the
 * first one's answer expected, as test_rmm_order.c explains (reasons: wf,
 * xor, pa, same; and "ipa": an IPA beyond the realm's IPA space has no RTT
 * walk, so rtt_walk is not well-formed after ipa_bound).
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
#define UU UNALIGNED(UNTRACKED)	 /* unaligned and not delegable */
#define D (0x50000000UL | WB_RW) /* a valid NS descriptor for levels 1..3 */
#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define RD_CONDS "rd_align", "rd_bound", "rd_state"
#define WF_RD "rd_bound < rd_state: wf"
#define WF_LEVEL "rd_state < level_bound: wf (RttLevelIsValid needs the realm)"

/* RTT_SET_RIPAS: REC a_r[4]'s pending request; 2: B's REC running. */
static void ripas_req(int m)
{
	struct rec *r4 = fx_ptr(W.a_r[4]);

	if (m == 0)
		r4->ripas = (struct rec_ripas_req){ .addr = L2 + G, .top = L2 + 2 * G, .value = RIPAS_RAM };
	else if (m == 1)
		r4->ripas = (struct rec_ripas_req){ .addr = L2, .top = L2 + G, .value = RIPAS_RAM };
	else
		fx_g(W.b_r0)->refcount = 1;
}

static void ripas_req_undo(void)
{
	struct rec *r4 = fx_ptr(W.a_r[4]);

	r4->ripas = (struct rec_ripas_req){ .addr = 0x2000, .top = 0x3000, .value = RIPAS_RAM };
	fx_g(W.b_r0)->refcount = 0;
}

/* An unprotected 2 MiB block in realm A at NS_IPA + 2 MiB (its level-2 RTT exists). */
static void ns_block(int m)
{
	(void)m;
	assert_int_equal(
		fx_rmi(RMI_RTT_MAP_UNPROTECTED, W.a.rd, NS_IPA + L2, 2, 0x50200000UL | WB_RW, 0, NULL),
		RMI_SUCCESS);
}

static void ns_block_undo(void)
{
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, W.a.rd, NS_IPA + L2, 2, 0, 0, NULL), RMI_SUCCESS);
}

static void test_rtt_create(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, rtt = W.del;
	const struct fcase cases[] = {
		{ "rd_align < rd_bound", RMI_RTT_CREATE, { UU, rtt, L2, 3 }, IN },
		{ "level_bound < ipa_align", RMI_RTT_CREATE, { rd, rtt, G, 1 }, IN },
		{ "ipa_align < ipa_bound", RMI_RTT_CREATE, { rd, rtt, (1UL << 40) + G, 3 }, IN },
		{ "ipa_bound < rtt_align", RMI_RTT_CREATE, { rd, UA(rtt), 1UL << 40, 3 }, IN },
		{ "rtt_align < rtt_bound", RMI_RTT_CREATE, { rd, UU, L2, 3 }, IN },
	};
	ORDER("RTT_CREATE",
	      LIST(RD_CONDS, "level_bound", "ipa_align", "ipa_bound", "rtt_align", "rtt_bound", "rtt_state",
		   "rtt_bound2", "rtt_walk", "rtte_state"),
	      LIST(WF_RD, WF_LEVEL, "rtt_bound < rtt_state: wf", "rtt_state < rtt_bound2: pa",
		   "rtt_bound2 < rtt_walk: pa",
		   "rtt_walk < rtte_state: xor (a walk that stops early is not at a table)"),
	      cases);
}

static void test_rtt_destroy_fold(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase des[] = {
		{ "rd_align < rd_bound", RMI_RTT_DESTROY, { UU, 0, 3 }, IN },
		{ "level_bound < ipa_align", RMI_RTT_DESTROY, { rd, G, 1 }, IN },
		{ "ipa_align < ipa_bound", RMI_RTT_DESTROY, { rd, (1UL << 40) + G, 3 }, IN },
		/* Both true (the walk stops at level 1, at an UNASSIGNED entry): one answer, top past it. */
		{ "rtt_walk < rtte_state", RMI_RTT_DESTROY, { rd, L1, 3 }, RTT(1), NULL, 0, NULL, 2, NS_IPA },
	};
	ORDER("RTT_DESTROY",
	      LIST(RD_CONDS, "level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", "rtt_live"),
	      LIST(WF_RD, WF_LEVEL, "ipa_bound < rtt_walk: ipa", "rtte_state < rtt_live: wf"), des);
	const struct fcase fold[] = {
		{ "rd_align < rd_bound", RMI_RTT_FOLD, { UU, 0, 3 }, IN },
		{ "level_bound < ipa_align", RMI_RTT_FOLD, { rd, G, 1 }, IN },
		{ "ipa_align < ipa_bound", RMI_RTT_FOLD, { rd, (1UL << 40) + G, 3 }, IN },
		{ "rtt_walk < rtte_state", RMI_RTT_FOLD, { rd, L1, 3 }, RTT(1) },
	};
	ORDER("RTT_FOLD",
	      LIST(RD_CONDS, "level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", "rtt_homo"),
	      LIST(WF_RD, WF_LEVEL, "ipa_bound < rtt_walk: ipa", "rtte_state < rtt_homo: wf"), fold);
}

static void test_rtt_read_entry(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		{ "rd_align < rd_bound", RMI_RTT_READ_ENTRY, { UU, 0, 3 }, IN },
		{ "level_bound < ipa_align", RMI_RTT_READ_ENTRY, { rd, G, 0 }, IN },
		{ "ipa_align < ipa_bound", RMI_RTT_READ_ENTRY, { rd, (1UL << 40) + 8, 3 }, IN },
	};
	ORDER("RTT_READ_ENTRY", LIST(RD_CONDS, "level_bound", "ipa_align", "ipa_bound"),
	      LIST(WF_RD, WF_LEVEL), cases);
}

static void test_rtt_map_unmap_unprotected(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, ipa = NS_IPA + 2 * G;
	const struct fcase map[] = {
		{ "attr_valid < rd_align", RMI_RTT_MAP_UNPROTECTED, { UU, ipa, 3, D | RTTE_AF }, IN },
		{ "rd_align < rd_bound", RMI_RTT_MAP_UNPROTECTED, { UU, ipa, 3, D }, IN },
		{ "level_bound < addr_align", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 0, D + G }, IN },
		{ "addr_align < addr_bound",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, NS_IPA + L1, 2, (1UL << 48) + G + WB_RW },
		  IN },
		{ "addr_bound < ipa_align",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, ipa + 8, 3, (1UL << 48) | WB_RW },
		  IN },
		{ "ipa_align < ipa_bound", RMI_RTT_MAP_UNPROTECTED, { rd, G + 8, 3, D }, IN },
		{ "ipa_bound < rtt_walk", RMI_RTT_MAP_UNPROTECTED, { rd, L1, 3, D }, IN },
		/* The walk stops at a level-2 NS block: both, one answer. */
		{ "rtt_walk < rtte_state",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, NS_IPA + L2 + G, 3, D },
		  RTT(2),
		  ns_block,
		  0,
		  ns_block_undo },
	};
	ORDER("RTT_MAP_UNPROTECTED",
	      LIST("attr_valid", RD_CONDS, "level_bound", "addr_align", "addr_bound", "ipa_align",
		   "ipa_bound", "rtt_walk", "rtte_state"),
	      LIST(WF_RD, WF_LEVEL), map);
	const struct fcase unmap[] = {
		{ "rd_align < rd_bound", RMI_RTT_UNMAP_UNPROTECTED, { UU, NS_IPA + G, 3 }, IN },
		{ "level_bound < ipa_align", RMI_RTT_UNMAP_UNPROTECTED, { rd, NS_IPA + 8, 0 }, IN },
		{ "ipa_align < ipa_bound", RMI_RTT_UNMAP_UNPROTECTED, { rd, 8, 3 }, IN },
		{ "ipa_bound < rtt_walk", RMI_RTT_UNMAP_UNPROTECTED, { rd, L1, 3 }, IN, NULL, 0, NULL, 1, 0 },
		{ "rtt_walk < rtte_state",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, NS_IPA + L1, 3 },
		  RTT(1),
		  NULL,
		  0,
		  NULL,
		  1,
		  2 * NS_IPA },
	};
	ORDER("RTT_UNMAP_UNPROTECTED",
	      LIST(RD_CONDS, "level_bound", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state"),
	      LIST(WF_RD, WF_LEVEL), unmap);
}

static void test_rtt_init_ripas(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, b_ns = 1UL << 38;
	const struct fcase cases[] = {
		{ "rd_align < rd_bound", RMI_RTT_INIT_RIPAS, { UU, 0x2000, 0x3000 }, IN },
		{ "rd_state < size_valid", RMI_RTT_INIT_RIPAS, { W.ns, 0x3000, 0x2000 }, IN },
		{ "size_valid < top_bound", RMI_RTT_INIT_RIPAS, { rd, NS_IPA + 2 * G, NS_IPA + G }, IN },
		{ "top_bound < realm_state", RMI_RTT_INIT_RIPAS, { W.b.rd, 0x2000, b_ns + G }, IN },
		{ "realm_state < base_align", RMI_RTT_INIT_RIPAS, { W.b.rd, L2 + G, L2 + 2 * G }, REALM },
		{ "base_align < rtte_state", RMI_RTT_INIT_RIPAS, { rd, 0x1800, 0x3000 }, RTT(3) },
		{ "rtte_state < top_gran_align", RMI_RTT_INIT_RIPAS, { rd, 0x1000, 0x1800 }, RTT(3) },
		{ "top_gran_align < no_progress", RMI_RTT_INIT_RIPAS, { rd, L2, L2 + 8 }, IN },
	};
	ORDER("RTT_INIT_RIPAS",
	      LIST(RD_CONDS, "size_valid", "top_bound", "realm_state", "base_align", "rtte_state",
		   "top_gran_align", "no_progress"),
	      LIST(WF_RD), cases);
}

static void test_rtt_set_ripas(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, rec = W.a_r[4];
	const struct fcase cases[] = {
		{ "rd_align < rd_bound", RMI_RTT_SET_RIPAS, { UU, rec, 0x2000, 0x3000 }, IN },
		{ "rd_state < rec_align", RMI_RTT_SET_RIPAS, { W.ns, UA(rec), 0x2000, 0x3000 }, IN },
		{ "rec_align < rec_bound", RMI_RTT_SET_RIPAS, { rd, UU, 0x2000, 0x3000 }, IN },
		/* B's REC, running, for A's RD. */
		{ "rec_state < rec_owner",
		  RMI_RTT_SET_RIPAS,
		  { rd, W.b_r0, 0x2000, 0x3000 },
		  REC,
		  ripas_req,
		  2,
		  ripas_req_undo },
		{ "rec_owner < size_valid", RMI_RTT_SET_RIPAS, { W.b.rd, rec, 0x3000, 0x2000 }, REC },
		{ "size_valid < base_bound", RMI_RTT_SET_RIPAS, { rd, rec, 0x3000, 0x2000 }, IN },
		{ "base_bound < top_bound", RMI_RTT_SET_RIPAS, { rd, rec, 0x1000, 0x5000 }, IN },
		/* Request [L2 + 4K, L2 + 8K): base is the next address but not aligned to the level-2 walk.
		 */
		{ "top_bound < base_align",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2 + G, L2 + 3 * G },
		  IN,
		  ripas_req,
		  0,
		  ripas_req_undo },
		{ "base_align < top_gran_align",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2 + G, L2 + G + 0x800 },
		  RTT(2),
		  ripas_req,
		  0,
		  ripas_req_undo },
		{ "top_gran_align < no_progress",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2, L2 + 0x800 },
		  IN,
		  ripas_req,
		  1,
		  ripas_req_undo },
	};
	ORDER("RTT_SET_RIPAS",
	      LIST(RD_CONDS, "rec_align", "rec_bound", "rec_gran_state", "rec_state", "rec_owner",
		   "size_valid", "base_bound", "top_bound", "base_align", "top_gran_align", "no_progress"),
	      LIST(WF_RD, "rec_bound < rec_gran_state: wf", "rec_gran_state < rec_state: wf"), cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rtt_create, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_destroy_fold, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_read_entry, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_map_unmap_unprotected, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_init_ripas, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_set_ripas, world, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_order_rtt", tests, NULL, NULL);
}
