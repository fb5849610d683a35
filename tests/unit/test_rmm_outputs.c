/*
 * The registers every RMI command gives back (rmm/rmi.c), on success and on
 * failure, against the world of rmm_world.c: x0 exactly, each output the
 * command defines (B4.3.*, "Output values"), zero for an output the
 * specification leaves undefined on that failure (B1.6; the ACS checks
 * RTT_READ_ENTRY's are zero), zero for x1..x3 that are not outputs (B1.2:
 * "any of X0 - X16 which are not specified as output values ... MBZ"), and
 * x4 as the host left it when it is not an output (SMCCC 1.1+ preserves it).
 * Unused input registers carry a filler, so an input left in place shows.
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
#include "fake_measure.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"
#include "rmm_world.h"

#define F(i) (0xf111111100000000UL | (i)) /* a register the command does not read */
#define OK RMI_SUCCESS

struct ocase {
	const char *what;
	uint64_t fid;
	uint64_t a[4]; /* x1..x4 */
	uint64_t want[5];
};

static void ocase_run(const struct ocase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t out[5];
		int fails = RMI_RETURN_STATUS(c[i].want[0]) != RMI_SUCCESS;

		if (fails)
			fx_snap();
		fx_rmi(c[i].fid, c[i].a[0], c[i].a[1], c[i].a[2], c[i].a[3], 0, out);
		for (unsigned int r = 0; r < 5; r++) {
			if (out[r] != c[i].want[r])
				fail_msg("case %zu \"%s\": x%u = 0x%lx, want 0x%lx", i, c[i].what, r,
					 (unsigned long)out[r], (unsigned long)c[i].want[r]);
		}
		if (fails)
			fx_snap_check(c[i].what);
	}
	fx_assert_unlocked();
}
#define ORUN(cases) ocase_run(cases, sizeof(cases) / sizeof(cases[0]))

/* Issue 12, conformance finding 1: a failed RTT_READ_ENTRY left rd, ipa and level in x1..x3. */
static void test_read_entry(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct ocase cases[] = {
		{ "ipa_bound", RMI_RTT_READ_ENTRY, { rd, 1UL << 40, 3, F(4) }, { IN, 0, 0, 0, 0 } },
		{ "level_bound", RMI_RTT_READ_ENTRY, { rd, 0, 4, F(4) }, { IN, 0, 0, 0, 0 } },
		{ "ipa_align", RMI_RTT_READ_ENTRY, { rd, G, 2, F(4) }, { IN, 0, 0, 0, 0 } },
		{ "rd_state", RMI_RTT_READ_ENTRY, { W.ns, 0, 3, F(4) }, { IN, 0, 0, 0, 0 } },
		{ "success: UNASSIGNED RAM",
		  RMI_RTT_READ_ENTRY,
		  { rd, 0, 3, F(4) },
		  { OK, 3, RMI_UNASSIGNED, 0, RMI_RAM } },
		{ "success: the walk stops at level 2",
		  RMI_RTT_READ_ENTRY,
		  { rd, L2, 3, F(4) },
		  { OK, 2, RMI_UNASSIGNED, 0, RMI_EMPTY } },
		{ "success: ASSIGNED_NS",
		  RMI_RTT_READ_ENTRY,
		  { rd, NS_IPA + G, 3, F(4) },
		  { OK, 3, RMI_ASSIGNED, 0x50000000UL | WB_RW, RMI_EMPTY } },
	};
	ORUN(cases);
}

static void test_single_output_commands(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct ocase cases[] = {
		{ "FEATURES(0)", RMI_FEATURES, { 0, F(2), F(3), F(4) }, { OK, FX_FEAT0, 0, 0, F(4) } },
		{ "FEATURES(1)", RMI_FEATURES, { 1, F(2), F(3), F(4) }, { OK, 0, 0, 0, F(4) } },
		{ "VERSION(1.0)",
		  RMI_VERSION,
		  { RMI_ABI_VERSION, F(2), F(3), F(4) },
		  { OK, RMI_ABI_VERSION, RMI_ABI_VERSION, 0, F(4) } },
		/* B4.3.23 (b): ERROR_INPUT, and lower/higher still say what the RMM has. */
		{ "VERSION(2.0)",
		  RMI_VERSION,
		  { 0x20000, F(2), F(3), F(4) },
		  { IN, RMI_ABI_VERSION, RMI_ABI_VERSION, 0, F(4) } },
		{ "REC_AUX_COUNT", RMI_REC_AUX_COUNT, { rd, F(2), F(3), F(4) }, { OK, 16, 0, 0, F(4) } },
		{ "REC_AUX_COUNT: rd_state",
		  RMI_REC_AUX_COUNT,
		  { W.ns, F(2), F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "RTT_FOLD: rd_state", RMI_RTT_FOLD, { W.ns, 0, 3, F(4) }, { IN, 0, 0, 0, F(4) } },
		{ "RTT_FOLD: rtt_homo", RMI_RTT_FOLD, { rd, 0, 3, F(4) }, { RTT(3), 0, 0, 0, F(4) } },
		{ "RTT_FOLD: rtt_walk", RMI_RTT_FOLD, { rd, L1, 3, F(4) }, { RTT(1), 0, 0, 0, F(4) } },
		{ "RTT_INIT_RIPAS: realm_state",
		  RMI_RTT_INIT_RIPAS,
		  { W.b.rd, 0x2000, 0x3000, F(4) },
		  { REALM, 0, 0, 0, F(4) } },
		{ "RTT_INIT_RIPAS: rtte_state",
		  RMI_RTT_INIT_RIPAS,
		  { rd, 0x1000, 0x2000, F(4) },
		  { RTT(3), 0, 0, 0, F(4) } },
		/* SET_RIPAS reads x4 (top): an input, so it comes back as it went. */
		{ "RTT_SET_RIPAS: base_bound",
		  RMI_RTT_SET_RIPAS,
		  { rd, W.a_r[4], 0x1000, 0x3000 },
		  { IN, 0, 0, 0, 0x3000 } },
		{ "RTT_SET_RIPAS: rec_owner",
		  RMI_RTT_SET_RIPAS,
		  { W.b.rd, W.a_r[4], 0x2000, 0x3000 },
		  { REC, 0, 0, 0, 0x3000 } },
	};
	ORUN(cases);
}

/* DATA_DESTROY, RTT_DESTROY, RTT_UNMAP_UNPROTECTED: "top" is defined on RMI_ERROR_RTT, 0 otherwise. */
static void test_top_outputs(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct ocase cases[] = {
		{ "DATA_DESTROY: rd_state",
		  RMI_DATA_DESTROY,
		  { W.ns, 0x1000, F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "DATA_DESTROY: ipa_bound",
		  RMI_DATA_DESTROY,
		  { rd, NS_IPA + G, F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "DATA_DESTROY: rtte_state, top at the next live entry",
		  RMI_DATA_DESTROY,
		  { rd, 0x2000, F(3), F(4) },
		  { RTT(3), 0, 0x3000, 0, F(4) } },
		{ "DATA_DESTROY: rtt_walk, top past the level-2 entry",
		  RMI_DATA_DESTROY,
		  { rd, L2, F(3), F(4) },
		  { RTT(2), 0, L1, 0, F(4) } },
		{ "RTT_DESTROY: level_bound", RMI_RTT_DESTROY, { rd, 0, 1, F(4) }, { IN, 0, 0, 0, F(4) } },
		{ "RTT_DESTROY: rtt_live", RMI_RTT_DESTROY, { rd, 0, 3, F(4) }, { RTT(3), 0, 0, 0, F(4) } },
		{ "RTT_DESTROY: rtte_state",
		  RMI_RTT_DESTROY,
		  { rd, L2, 3, F(4) },
		  { RTT(2), 0, L1, 0, F(4) } },
		{ "RTT_UNMAP_UNPROTECTED: ipa_bound",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, 0x1000, 3, F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "RTT_UNMAP_UNPROTECTED: rtte_state",
		  RMI_RTT_UNMAP_UNPROTECTED,
		  { rd, NS_IPA, 3, F(4) },
		  { RTT(3), NS_IPA + G, 0, 0, F(4) } },
	};
	ORUN(cases);
}

/* Commands without outputs: x1..x3 are zero whatever happened, x4 preserved if not an input. */
static void test_no_output_commands(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct ocase cases[] = {
		{ "GRANULE_DELEGATE: gran_state",
		  RMI_GRANULE_DELEGATE,
		  { W.del, F(2), F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "GRANULE_UNDELEGATE: gran_state",
		  RMI_GRANULE_UNDELEGATE,
		  { rd, F(2), F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "REALM_ACTIVATE: realm_state",
		  RMI_REALM_ACTIVATE,
		  { W.b.rd, F(2), F(3), F(4) },
		  { REALM, 0, 0, 0, F(4) } },
		{ "REALM_DESTROY: realm_live",
		  RMI_REALM_DESTROY,
		  { rd, F(2), F(3), F(4) },
		  { REALM, 0, 0, 0, F(4) } },
		{ "REALM_CREATE: rd_state",
		  RMI_REALM_CREATE,
		  { rd, W.p_realm, F(3), F(4) },
		  { IN, 0, 0, 0, F(4) } },
		{ "REC_CREATE: realm_state",
		  RMI_REC_CREATE,
		  { W.b.rd, W.new_rec, W.p_rec, F(4) },
		  { REALM, 0, 0, 0, F(4) } },
		{ "REC_DESTROY: rec_state",
		  RMI_REC_DESTROY,
		  { W.a_r[1], F(2), F(3), F(4) },
		  { REC, 0, 0, 0, F(4) } },
		{ "REC_ENTER: realm_new",
		  RMI_REC_ENTER,
		  { W.a_r[0], W.ns, F(3), F(4) },
		  { RET(REALM, 0), 0, 0, 0, F(4) } },
		{ "PSCI_COMPLETE: pending",
		  RMI_PSCI_COMPLETE,
		  { W.a_r[0], W.a_r[3], 0, F(4) },
		  { IN, 0, 0, 0, F(4) } },
		/* These read x4: an input, back as it went. */
		{ "RTT_CREATE: rtte_state", RMI_RTT_CREATE, { rd, W.del, 0, 3 }, { RTT(2), 0, 0, 0, 3 } },
		{ "RTT_MAP_UNPROTECTED: rtte_state",
		  RMI_RTT_MAP_UNPROTECTED,
		  { rd, NS_IPA + G, 3, 0x50000000UL | WB_RW },
		  { RTT(3), 0, 0, 0, 0x50000000UL | WB_RW } },
		{ "DATA_CREATE_UNKNOWN: rtte_state",
		  RMI_DATA_CREATE_UNKNOWN,
		  { rd, W.del, 0x1000, F(4) },
		  { RTT(3), 0, 0, 0, F(4) } },
		{ "DATA_CREATE: realm_state",
		  RMI_DATA_CREATE,
		  { W.b.rd, W.del, 0x2000, W.src },
		  { REALM, 0, 0, 0, W.src } },
		/* And on success. */
		{ "REALM_ACTIVATE", RMI_REALM_ACTIVATE, { W.d.rd, F(2), F(3), F(4) }, { OK, 0, 0, 0, F(4) } },
		{ "GRANULE_UNDELEGATE",
		  RMI_GRANULE_UNDELEGATE,
		  { W.del2, F(2), F(3), F(4) },
		  { OK, 0, 0, 0, F(4) } },
		{ "GRANULE_DELEGATE",
		  RMI_GRANULE_DELEGATE,
		  { W.del2, F(2), F(3), F(4) },
		  { OK, 0, 0, 0, F(4) } },
	};
	ORUN(cases);
}

/* What the three "top" commands return on success (rtt / data PA and top; top). */
static void test_top_outputs_on_success(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	uint64_t out[5];

	/* DATA_DESTROY of a_d1 at 0x1000: x1 its PA, x2 the next live entry (a_d2 at 0x3000). */
	fx_rmi(RMI_DATA_DESTROY, rd, 0x1000, F(3), F(4), 0, out);
	assert_int_equal(out[0], OK);
	assert_int_equal(out[1], W.a_d1);
	assert_int_equal(out[2], 0x3000);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], F(4));
	/* RTT_UNMAP_UNPROTECTED of the NS page: x1 the top of the (now empty) level-3 RTT. */
	fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, rd, NS_IPA + G, 3, F(4), 0, out);
	assert_int_equal(out[0], OK);
	assert_int_equal(out[1], NS_IPA + L2);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], F(4));
	/* RTT_DESTROY of that empty level-3 RTT: x1 its PA, x2 past the level-2 entry. */
	fx_rmi(RMI_RTT_DESTROY, rd, NS_IPA, 3, F(4), 0, out);
	assert_int_equal(out[0], OK);
	assert_int_equal(out[1], W.a_ns_l3);
	assert_int_equal(out[2], NS_IPA + L1);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], F(4));
	fx_assert_unlocked();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_entry, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_single_output_commands, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_top_outputs, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_output_commands, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_top_outputs_on_success, world, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_outputs", tests, NULL, NULL);
}
