/*
 * Every failure condition of the RTT commands of rmm/ (RTT_CREATE,
 * RTT_DESTROY, RTT_FOLD, RTT_READ_ENTRY, RTT_MAP_UNPROTECTED,
 * RTT_UNMAP_UNPROTECTED, RTT_INIT_RIPAS, RTT_SET_RIPAS), table driven
 * against the world of rmm_world.c, as test_rmm_errors.c: the exact x0
 * (ERROR_RTT with the level the walk reached; x1/x2 "top" where defined)
 * and nothing changed by a failed call.
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
#include "vmid.h"
#include "fake_measure.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"
#include "rmm_world.h"

/* --------------------------------------------------------------- RTT_CREATE */

static void test_rtt_create(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, rtt = W.del;
	const struct fcase cases[] = {
		{ "rtt_align", RMI_RTT_CREATE, { rd, UNALIGNED(rtt), L2, 3 }, IN },
		{ "rtt_bound: outside DRAM", RMI_RTT_CREATE, { rd, UNTRACKED, L2, 3 }, IN },
		{ "rtt_bound: MMIO", RMI_RTT_CREATE, { rd, MMIO, L2, 3 }, IN },
		{ "rtt_state: UNDELEGATED", RMI_RTT_CREATE, { rd, W.ns, L2, 3 }, IN },
		{ "rtt_state: RD", RMI_RTT_CREATE, { rd, W.b.rd, L2, 3 }, IN },
		{ "rtt_state: REC", RMI_RTT_CREATE, { rd, W.a_r[0], L2, 3 }, IN },
		{ "rtt_state: RTT of this realm", RMI_RTT_CREATE, { rd, W.a_l3, L2, 3 }, IN },
		{ "rtt_state: RTT of another realm", RMI_RTT_CREATE, { rd, W.b.rtt_base, L2, 3 }, IN },
		{ "rtt_state: DATA", RMI_RTT_CREATE, { rd, W.a_d1, L2, 3 }, IN },
		{ "rtt_state: REC_AUX", RMI_RTT_CREATE, { rd, W.a_aux0, L2, 3 }, IN },
		{ "alias: RTT is the RD", RMI_RTT_CREATE, { rd, rd, L2, 3 }, IN },
		RD_CASES(RMI_RTT_CREATE, rtt, L2, 3),
		{ "level_bound: start level", RMI_RTT_CREATE, { rd, rtt, 0, 1 }, IN },
		{ "level_bound: 0", RMI_RTT_CREATE, { rd, rtt, 0, 0 }, IN },
		{ "level_bound: 4", RMI_RTT_CREATE, { rd, rtt, 0, 4 }, IN },
		{ "level_bound: -1", RMI_RTT_CREATE, { rd, rtt, 0, ~0UL }, IN },
		{ "level_bound: 2^32 + 3", RMI_RTT_CREATE, { rd, rtt, L2, 0x100000003UL }, IN },
		{ "ipa_align: level 3 at 4 KiB", RMI_RTT_CREATE, { rd, rtt, G, 3 }, IN },
		{ "ipa_align: level 2 at 2 MiB", RMI_RTT_CREATE, { rd, rtt, L2, 2 }, IN },
		{ "ipa_bound: 2^40", RMI_RTT_CREATE, { rd, rtt, 1UL << 40, 3 }, IN },
		{ "ipa_bound: 2^63", RMI_RTT_CREATE, { rd, rtt, 1UL << 63, 2 }, IN },
		{ "level_bound_before_rtt_walk", RMI_RTT_CREATE, { rd, rtt, 4 * L1, 1 }, IN },
		{ "rtt_walk: no level-2 RTT", RMI_RTT_CREATE, { rd, rtt, L1 + L2, 3 }, RTT(1) },
		{ "rtt_walk: no level-2 RTT (NS)", RMI_RTT_CREATE, { rd, rtt, NS_IPA + L1, 3 }, RTT(1) },
		{ "rtte_state: level-3 RTT exists", RMI_RTT_CREATE, { rd, rtt, 0, 3 }, RTT(2) },
		{ "rtte_state: level-2 RTT exists", RMI_RTT_CREATE, { rd, rtt, 0, 2 }, RTT(1) },
		{ "rtte_state: NS level-3 RTT exists", RMI_RTT_CREATE, { rd, rtt, NS_IPA, 3 }, RTT(2) },
	};
	RUN(cases);
}

/* -------------------------------------------------------------- RTT_DESTROY */

static void test_rtt_destroy(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		RD_CASES(RMI_RTT_DESTROY, 0, 3),
		{ "level_bound: start level", RMI_RTT_DESTROY, { rd, 0, 1 }, IN, NULL, 0, NULL, 2, 0 },
		{ "level_bound: 4", RMI_RTT_DESTROY, { rd, 0, 4 }, IN },
		{ "level_bound: -1", RMI_RTT_DESTROY, { rd, 0, ~0UL }, IN },
		{ "ipa_align", RMI_RTT_DESTROY, { rd, G, 3 }, IN },
		{ "ipa_bound", RMI_RTT_DESTROY, { rd, 1UL << 40, 3 }, IN },
		{ "rtt_walk: no level-2 RTT",
		  RMI_RTT_DESTROY,
		  { rd, L1, 3 },
		  RTT(1),
		  NULL,
		  0,
		  NULL,
		  2,
		  NS_IPA },
		{ "rtte_state: UNASSIGNED", RMI_RTT_DESTROY, { rd, L2, 3 }, RTT(2), NULL, 0, NULL, 2, L1 },
		{ "rtte_state: UNASSIGNED NS", RMI_RTT_DESTROY, { rd, NS_IPA + L2, 3 }, RTT(2) },
		{ "rtt_live: DATA below", RMI_RTT_DESTROY, { rd, 0, 3 }, RTT(3), NULL, 0, NULL, 2, 0 },
		{ "rtt_live: an RTT below", RMI_RTT_DESTROY, { rd, 0, 2 }, RTT(2) },
		{ "rtt_live: an RTT below (NS)", RMI_RTT_DESTROY, { rd, NS_IPA, 2 }, RTT(2) },
	};
	RUN(cases);
}

/* ----------------------------------------------------------------- RTT_FOLD */

static void test_rtt_fold(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		RD_CASES(RMI_RTT_FOLD, 0, 3),
		{ "level_bound: start level", RMI_RTT_FOLD, { rd, 0, 1 }, IN },
		{ "level_bound: 4", RMI_RTT_FOLD, { rd, 0, 4 }, IN },
		{ "ipa_align", RMI_RTT_FOLD, { rd, G, 3 }, IN },
		{ "ipa_bound", RMI_RTT_FOLD, { rd, 1UL << 41, 3 }, IN },
		{ "rtt_walk: no level-2 RTT", RMI_RTT_FOLD, { rd, L1, 3 }, RTT(1) },
		{ "rtte_state: UNASSIGNED", RMI_RTT_FOLD, { rd, L2, 3 }, RTT(2) },
		{ "rtte_homo: mixed level-3 RTT", RMI_RTT_FOLD, { rd, 0, 3 }, RTT(3) },
		{ "rtte_homo: level-2 RTT holding an RTT", RMI_RTT_FOLD, { rd, 0, 2 }, RTT(2) },
		{ "rtte_homo: mixed NS level-3 RTT", RMI_RTT_FOLD, { rd, NS_IPA, 3 }, RTT(3) },
		{ "rtte_homo: level-2 RTT of realm C", RMI_RTT_FOLD, { W.c.rd, 0, 2 }, RTT(2) },
	};
	RUN(cases);
}

/* ---------------------------------------------------------- RTT_READ_ENTRY */

static void test_rtt_read_entry(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		RD_CASES(RMI_RTT_READ_ENTRY, 0, 3),
		{ "level_bound: below the start level", RMI_RTT_READ_ENTRY, { rd, 0, 0 }, IN },
		{ "level_bound: 4", RMI_RTT_READ_ENTRY, { rd, 0, 4 }, IN },
		{ "level_bound: -1", RMI_RTT_READ_ENTRY, { rd, 0, ~0UL }, IN },
		{ "ipa_align: level 2", RMI_RTT_READ_ENTRY, { rd, G, 2 }, IN },
		{ "ipa_align: level 3", RMI_RTT_READ_ENTRY, { rd, 0x800, 3 }, IN },
		{ "ipa_bound", RMI_RTT_READ_ENTRY, { rd, 1UL << 40, 3 }, IN },
	};
	RUN(cases);
}

/* ---------------------------------------------------- RTT_(UN)MAP_UNPROTECTED */

static void test_rtt_map_unprotected(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, ipa = NS_IPA + 2 * G, d = 0x50000000UL | WB_RW;
	const struct fcase cases[] = {
		{ "attr_valid: reserved MemAttr 0b100",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, ipa, 3, 0x50000000UL | 0xd0 },
		  IN },
		{ "attr_valid: AF set by the host",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, ipa, 3, d | RTTE_AF },
		  IN },
		{ "attr_valid: SH set by the host",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, ipa, 3, d | RTTE_SH_IS },
		  IN },
		{ "attr_valid: descriptor type bits", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 3, d | 3 }, IN },
		{ "attr_valid: NS bit", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 3, d | RTTE_NS }, IN },
		{ "attr_valid: XN bit", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 3, d | RTTE_XN }, IN },
		{ "attr_valid: MemAttr[3]", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 3, d | 0x20 }, IN },
		{ "addr_align: not 2 MiB for level 2",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, NS_IPA + L1, 2, d + G },
		  IN },
		{ "addr_bound: 2^48", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 3, (1UL << 48) | WB_RW }, IN },
		RD_CASES(RMI_RTT_MAP_UNPROTECTED, ipa, 3, d),
		{ "level_bound: 0", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 0, d }, IN },
		{ "level_bound: 4", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 4, d }, IN },
		{ "level_bound: -1", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, ~0UL, d }, IN },
		{ "ipa_align", RMI_RTT_MAP_UNPROTECTED, { rd, ipa + 0x800, 3, d }, IN },
		{ "ipa_align: level 2", RMI_RTT_MAP_UNPROTECTED, { rd, ipa, 2, d }, IN },
		{ "ipa_bound: protected", RMI_RTT_MAP_UNPROTECTED, { rd, 0x2000, 3, d }, IN },
		{ "ipa_bound: 2^40", RMI_RTT_MAP_UNPROTECTED, { rd, 1UL << 40, 3, d }, IN },
		{ "ipa_bound_before_rtt_walk", RMI_RTT_MAP_UNPROTECTED, { rd, L1, 3, d }, IN },
		{ "rtt_walk: no level-2 RTT", RMI_RTT_MAP_UNPROTECTED, { rd, NS_IPA + L1, 3, d }, RTT(1) },
		{ "rtt_walk: no level-3 RTT", RMI_RTT_MAP_UNPROTECTED, { rd, NS_IPA + L2, 3, d }, RTT(2) },
		{ "rtte_state: ASSIGNED_NS", RMI_RTT_MAP_UNPROTECTED, { rd, NS_IPA + G, 3, d }, RTT(3) },
		{ "rtte_state: a table at level 2", RMI_RTT_MAP_UNPROTECTED, { rd, NS_IPA, 2, d }, RTT(2) },
	};
	RUN(cases);
}

static void test_rtt_unmap_unprotected(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, ipa = NS_IPA + G;
	const struct fcase cases[] = {
		RD_CASES(RMI_RTT_UNMAP_UNPROTECTED, ipa, 3),
		{ "level_bound: 0", RMI_RTT_UNMAP_UNPROTECTED, { rd, ipa, 0 }, IN },
		{ "level_bound: 4", RMI_RTT_UNMAP_UNPROTECTED, { rd, ipa, 4 }, IN },
		{ "ipa_align", RMI_RTT_UNMAP_UNPROTECTED, { rd, ipa + 8, 3 }, IN },
		{ "ipa_bound: protected",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, 0x1000, 3 },
		  IN,
		  NULL,
		  0,
		  NULL,
		  1,
		  0 },
		{ "ipa_bound: 2^40", RMI_RTT_UNMAP_UNPROTECTED, { rd, 1UL << 40, 3 }, IN },
		{ "rtt_walk: no level-2 RTT",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, NS_IPA + L1, 3 },
		  RTT(1),
		  NULL,
		  0,
		  NULL,
		  1,
		  2 * NS_IPA },
		{ "rtt_walk: no level-3 RTT",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, NS_IPA + L2, 3 },
		  RTT(2),
		  NULL,
		  0,
		  NULL,
		  1,
		  NS_IPA + L1 },
		{ "rtte_state: UNASSIGNED_NS",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, NS_IPA, 3 },
		  RTT(3),
		  NULL,
		  0,
		  NULL,
		  1,
		  NS_IPA + G },
		{ "rtte_state: a table at level 2", RMI_RTT_UNMAP_UNPROTECTED, { rd, NS_IPA, 2 }, RTT(2) },
		{ "level_bound_before_rtt_walk", RMI_RTT_UNMAP_UNPROTECTED, { rd, NS_IPA + L1, 0 }, IN },
	};
	RUN(cases);
}

/* ------------------------------------------------------------ RTT_INIT_RIPAS */

static void test_rtt_init_ripas(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		{ "size_valid: top == base", RMI_RTT_INIT_RIPAS, { rd, 0x2000, 0x2000 }, IN },
		{ "size_valid: top < base", RMI_RTT_INIT_RIPAS, { rd, 0x3000, 0x2000 }, IN },
		{ "size_valid_before_rd_state", RMI_RTT_INIT_RIPAS, { W.ns, 0x3000, 0x2000 }, IN },
		RD_CASES(RMI_RTT_INIT_RIPAS, 0x2000, 0x3000),
		/* No base check of its own: an unaligned base is base_align at the walk's level. */
		{ "base_align: not a granule, walk at level 3",
		  RMI_RTT_INIT_RIPAS,
		  { rd, 0x2800, 0x3000 },
		  RTT(3) },
		{ "top_gran_align", RMI_RTT_INIT_RIPAS, { rd, 0x2000, 0x2800 }, IN },
		{ "top_bound: unprotected", RMI_RTT_INIT_RIPAS, { rd, 0x2000, NS_IPA + G }, IN },
		{ "top_bound: whole range unprotected", RMI_RTT_INIT_RIPAS, { rd, NS_IPA, NS_IPA + G }, IN },
		{ "top_bound: top - 4 KiB wraps", RMI_RTT_INIT_RIPAS, { rd, 0, 0x800 }, IN },
		{ "realm_state: ACTIVE", RMI_RTT_INIT_RIPAS, { W.b.rd, 0x2000, 0x3000 }, REALM },
		{ "realm_state: SYSTEM_OFF", RMI_RTT_INIT_RIPAS, { W.c.rd, 0x2000, 0x3000 }, REALM },
		{ "base_align: to the level-2 entry",
		  RMI_RTT_INIT_RIPAS,
		  { rd, L2 + G, L2 + 2 * G },
		  RTT(2) },
		{ "base_align: to the level-1 entry",
		  RMI_RTT_INIT_RIPAS,
		  { rd, L1 + G, L1 + 2 * G },
		  RTT(1) },
		{ "rtte_state: ASSIGNED", RMI_RTT_INIT_RIPAS, { rd, 0x1000, 0x2000 }, RTT(3) },
		{ "rtte_state: ASSIGNED EMPTY", RMI_RTT_INIT_RIPAS, { rd, 0x3000, 0x5000 }, RTT(3) },
		/* top - 4 KiB is protected, base (= top rounded down) is not. */
		{ "rtte_state: unprotected (UNASSIGNED_NS)",
		  RMI_RTT_INIT_RIPAS,
		  { rd, NS_IPA, NS_IPA + 0x800 },
		  RTT(3) },
		{ "no_progress: top inside a level-2 entry", RMI_RTT_INIT_RIPAS, { rd, L2, L2 + G }, RTT(2) },
		{ "top_gran_align_before_no_progress", RMI_RTT_INIT_RIPAS, { rd, L2, L2 + 8 }, IN },
		{ "base_align_before_top_gran_align",
		  RMI_RTT_INIT_RIPAS,
		  { rd, L2 + G, L2 + G + 8 },
		  RTT(2) },
		{ "rtte_state_before_top_gran_align", RMI_RTT_INIT_RIPAS, { rd, 0x1000, 0x1800 }, RTT(3) },
	};
	RUN(cases);
}

/* ------------------------------------------------------------- RTT_SET_RIPAS */

static void ripas_req(int m)
{
	struct rec *r4 = fx_ptr(W.a_r[4]);

	switch (m) {
	case 0:
		r4->ripas = (struct rec_ripas_req){ .addr = L2 + G, .top = L2 + 2 * G, .value = RIPAS_RAM };
		break;
	case 1:
		r4->ripas = (struct rec_ripas_req){ .addr = L2, .top = L2 + G, .value = RIPAS_RAM };
		break;
	case 2:
		r4->ripas = (struct rec_ripas_req){ .addr = 0x4000, .top = 0x5000, .value = RIPAS_RAM };
		break;
	case 3:
		r4->ripas = (struct rec_ripas_req){ .addr = NS_IPA, .top = NS_IPA + G, .value = RIPAS_RAM };
		break;
	case 4:
		r4->ripas = (struct rec_ripas_req){ .addr = 0, .top = 0x2000, .value = RIPAS_EMPTY };
		break;
	}
}

static void ripas_req_undo(void)
{
	struct rec *r4 = fx_ptr(W.a_r[4]);

	r4->ripas = (struct rec_ripas_req){ .addr = 0x2000, .top = 0x3000, .value = RIPAS_RAM };
}

static void test_rtt_set_ripas(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, rec = W.a_r[4];
	const struct fcase cases[] = {
		{ "size_valid: top == base", RMI_RTT_SET_RIPAS, { rd, rec, 0x2000, 0x2000 }, IN },
		RD_CASES(RMI_RTT_SET_RIPAS, rec, 0x2000, 0x3000),
		{ "rec_align", RMI_RTT_SET_RIPAS, { rd, UNALIGNED(rec), 0x2000, 0x3000 }, IN },
		{ "rec_bound: outside DRAM", RMI_RTT_SET_RIPAS, { rd, UNTRACKED, 0x2000, 0x3000 }, IN },
		{ "rec_bound: MMIO", RMI_RTT_SET_RIPAS, { rd, MMIO, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: UNDELEGATED", RMI_RTT_SET_RIPAS, { rd, W.ns, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: DELEGATED", RMI_RTT_SET_RIPAS, { rd, W.del, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: RD", RMI_RTT_SET_RIPAS, { rd, W.b.rd, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: RTT", RMI_RTT_SET_RIPAS, { rd, W.a_l3, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: DATA", RMI_RTT_SET_RIPAS, { rd, W.a_d1, 0x2000, 0x3000 }, IN },
		{ "rec_gran_state: REC_AUX", RMI_RTT_SET_RIPAS, { rd, W.a_aux0, 0x2000, 0x3000 }, IN },
		{ "rec_owner: another realm's REC", RMI_RTT_SET_RIPAS, { rd, W.b_r0, 0x2000, 0x3000 }, REC },
		{ "rec_owner: REC of A with RD of B",
		  RMI_RTT_SET_RIPAS,
		  { W.b.rd, rec, 0x2000, 0x3000 },
		  REC },
		{ "rec running on another PE", RMI_RTT_SET_RIPAS, { rd, W.a_r[1], 0x2000, 0x3000 }, REC },
		{ "base_bound: not the next address", RMI_RTT_SET_RIPAS, { rd, rec, 0x1000, 0x3000 }, IN },
		{ "top_bound: beyond the request", RMI_RTT_SET_RIPAS, { rd, rec, 0x2000, 0x4000 }, IN },
		{ "no request pending", RMI_RTT_SET_RIPAS, { rd, W.a_r[0], 0, G }, IN },
		{ "base_bound_before_base_align", RMI_RTT_SET_RIPAS, { rd, rec, 0x2800, 0x3000 }, IN },
		{ "base_align: to the level-2 entry",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2 + G, L2 + 2 * G },
		  RTT(2),
		  ripas_req,
		  0,
		  ripas_req_undo },
		{ "no_progress: top inside a level-2 entry",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2, L2 + G },
		  RTT(2),
		  ripas_req,
		  1,
		  ripas_req_undo },
		/* Issue 12, conformance finding 2: top_gran_align, before no_progress. */
		{ "top_gran_align: base 0, top 0x800",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, 0, 0x800 },
		  IN,
		  ripas_req,
		  4,
		  ripas_req_undo },
		{ "top_gran_align_before_no_progress: walk at level 2",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2, L2 + 0x800 },
		  IN,
		  ripas_req,
		  1,
		  ripas_req_undo },
		{ "base_align_before_top_gran_align",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, L2 + G, L2 + G + 0x800 },
		  RTT(2),
		  ripas_req,
		  0,
		  ripas_req_undo },
		{ "rtte: DESTROYED without CHANGE_DESTROYED",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, 0x4000, 0x5000 },
		  RTT(3),
		  ripas_req,
		  2,
		  ripas_req_undo },
		{ "rtte: unprotected IPA has no RIPAS",
		  RMI_RTT_SET_RIPAS,
		  { rd, rec, NS_IPA, NS_IPA + G },
		  RTT(3),
		  ripas_req,
		  3,
		  ripas_req_undo },
	};
	RUN(cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rtt_create, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_destroy, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_fold, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_read_entry, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_map_unprotected, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_unmap_unprotected, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_init_ripas, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_set_ripas, world, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_errors_rtt", tests, NULL, NULL);
}
