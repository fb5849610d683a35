/*
 * RSI and PSCI calls from a realm (rmm/rsi.c) on the host: a REC of a realm
 * built through RMI, its registers set as the realm would, rsi_handle()
 * called as rec_exit.c does after an SMC. Checks the result registers RMM
 * 1.0 B1.2/B1.6 ask for (x0; outputs zero on failure; x1..x3 that are not
 * outputs zero; x4.. as the realm left them), RSI_MEASUREMENT_EXTEND at its
 * limits against independent known answers (tests/host/measure_model.py's
 * rem_extend, i.e. hashlib), and the input fields B5/B6 give fewer bits
 * than a register. Attestation (rsi_attest.c) is stubbed: it needs the
 * target's crypto and is tested on QEMU (test_realm_attest.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/rsi.h>
#include "rmm.h"
#include "fake_rmm_arch.h"
#include "fake_rec_run.h"
#include "rec_run.h"
#include "rmm_fixture.h"
#include "rsi_attest.h"

#define F(i) (0xf111111100000000UL | (i)) /* what the realm left in x<i> */
#define IPA_RAM 0x40000000UL

static struct fx_realm R;
static uint64_t rec_pa;
static struct rec_run run;
static struct rmi_rec_exit exit_rec;

enum rec_action rsi_attest_init(struct rec_run *r)
{
	(void)r;
	fail_msg("rsi_attest_init called");
	return REC_RESUME;
}

enum rec_action rsi_attest_continue(struct rec_run *r)
{
	(void)r;
	fail_msg("rsi_attest_continue called");
	return REC_RESUME;
}

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	fake_rec_run_reset();
	assert_int_equal(fx_realm_new(&R, 32, 1, 1), RMI_SUCCESS);
	fx_rtts(R.rd, IPA_RAM, 2, 3);
	assert_int_equal(fx_rec(R.rd, 0, 1, &rec_pa), RMI_SUCCESS);
	assert_int_equal(fx_rec(R.rd, 1, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, R.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	const struct rd *rd = fx_ptr(R.rd);
	memset(&exit_rec, 0, sizeof(exit_rec));
	run = (struct rec_run){ .rec = fx_ptr(rec_pa),
				.rec_pa = rec_pa,
				.rd_pa = R.rd,
				.s2 = rd->s2,
				.rec_count = rd->rec_count,
				.hash_algo = rd->hash_algo,
				.exit = &exit_rec };
	return 0;
}

/* The SMC with x0..x7 = fid, a[0..6], x8..x10 filled; returns the action. */
static enum rec_action smc(uint64_t fid, const uint64_t a[7])
{
	struct rec *rec = run.rec;

	rec->gprs[0] = fid;
	for (unsigned int i = 1; i < 31; i++)
		rec->gprs[i] = i <= 7 ? a[i - 1] : F(i);
	return rsi_handle(&run);
}

static void expect_regs(const char *what, const uint64_t *want, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (run.rec->gprs[i] != want[i])
			fail_msg("%s: x%u = 0x%lx, want 0x%lx", what, i, (unsigned long)run.rec->gprs[i],
				 (unsigned long)want[i]);
	}
}

struct rcase {
	const char *what;
	uint64_t fid;
	uint64_t a[7];	  /* x1..x7 */
	uint64_t want[9]; /* x0..x8 after the call */
};

static void test_result_registers(void **state)
{
	(void)state;
	const uint64_t in = RSI_ERROR_INPUT, ok = RSI_SUCCESS, v = RSI_ABI_VERSION;
	const struct rcase cases[] = {
		{ "FEATURES",
		  RSI_FEATURES,
		  { 0, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { ok, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "VERSION 1.0",
		  RSI_VERSION,
		  { v, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { ok, v, v, 0, F(4), F(5), F(6), F(7), F(8) } },
		/* B5.3.10 (b): ERROR_INPUT, and lower/higher say what the RMM has. */
		{ "VERSION 2.0",
		  RSI_VERSION,
		  { 0x20000, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { in, v, v, 0, F(4), F(5), F(6), F(7), F(8) } },
		/* All eight outputs zero on failure. */
		{ "MEASUREMENT_READ: index_bound",
		  RSI_MEASUREMENT_READ,
		  { 5, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ "MEASUREMENT_EXTEND: index_bound 0",
		  RSI_MEASUREMENT_EXTEND,
		  { 0, 8, F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "MEASUREMENT_EXTEND: index_bound 5",
		  RSI_MEASUREMENT_EXTEND,
		  { 5, 8, F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "MEASUREMENT_EXTEND: size_bound 65",
		  RSI_MEASUREMENT_EXTEND,
		  { 1, 65, F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "IPA_STATE_GET: base_align",
		  RSI_IPA_STATE_GET,
		  { IPA_RAM + 8, IPA_RAM + G, F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "IPA_STATE_GET: rgn_bound",
		  RSI_IPA_STATE_GET,
		  { IPA_RAM, 1UL << 32, F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "IPA_STATE_GET: [IPA_RAM, +4 KiB) EMPTY",
		  RSI_IPA_STATE_GET,
		  { IPA_RAM, IPA_RAM + G, F(3), F(4), F(5), F(6), F(7) },
		  { ok, IPA_RAM + G, RSI_RIPAS_EMPTY, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "IPA_STATE_SET: size_valid",
		  RSI_IPA_STATE_SET,
		  { IPA_RAM, IPA_RAM, RSI_RIPAS_RAM, 0, F(5), F(6), F(7) },
		  { in, 0, 0, 0, 0, F(5), F(6), F(7), F(8) } },
		{ "IPA_STATE_SET: ripas_valid",
		  RSI_IPA_STATE_SET,
		  { IPA_RAM, IPA_RAM + G, RSI_RIPAS_DESTROYED, 0, F(5), F(6), F(7) },
		  { in, 0, 0, 0, 0, F(5), F(6), F(7), F(8) } },
		{ "HOST_CALL: addr_align",
		  RSI_HOST_CALL,
		  { IPA_RAM + 0x10, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "HOST_CALL: RIPAS EMPTY",
		  RSI_HOST_CALL,
		  { IPA_RAM, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
		{ "REALM_CONFIG: addr_bound",
		  RSI_REALM_CONFIG,
		  { 1UL << 31, F(2), F(3), F(4), F(5), F(6), F(7) },
		  { in, 0, 0, 0, F(4), F(5), F(6), F(7), F(8) } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(smc(cases[i].fid, cases[i].a), REC_RESUME);
		expect_regs(cases[i].what, cases[i].want, 9);
	}
	fx_assert_unlocked();
}

/* Issue 12 test audit: the valid maximum size 64, and 0, are accepted; 65 is not. */
static void test_measurement_extend_limits(void **state)
{
	(void)state;
	const struct rd *rd = fx_ptr(R.rd);
	const uint64_t read[7] = { 1, F(2), F(3), F(4), F(5), F(6), F(7) };
	/* hashlib.sha256(bytes(32) + bytes(range(1, 65))), then hashlib.sha256(that). */
	static const uint8_t rem64[32] = { 0x43, 0xb8, 0x24, 0x55, 0xef, 0x09, 0x91, 0xfa, 0x22, 0x37, 0x9b,
					   0x32, 0x81, 0xe5, 0x3b, 0x7f, 0x44, 0xd1, 0x16, 0x98, 0x68, 0xc7,
					   0xb7, 0xc4, 0x20, 0x28, 0x3f, 0x6d, 0x8e, 0x6e, 0xfd, 0xe2 };
	static const uint8_t rem0[32] = { 0xee, 0x8d, 0x15, 0xa5, 0x5e, 0xa6, 0x58, 0xef, 0x2f, 0xfa, 0x2f,
					  0x9a, 0x6f, 0xc2, 0x03, 0x30, 0x49, 0x15, 0xd5, 0x4c, 0x40, 0x83,
					  0x19, 0x24, 0x53, 0x1a, 0x16, 0x4b, 0xc6, 0x68, 0x96, 0xf0 };

	/* x1 = index 1, x2 = size 64, x3..x10 = bytes 1..64. */
	run.rec->gprs[0] = RSI_MEASUREMENT_EXTEND;
	run.rec->gprs[1] = 1;
	run.rec->gprs[2] = 64;
	for (unsigned int i = 0; i < 64; i++)
		((uint8_t *)&run.rec->gprs[3])[i] = (uint8_t)(i + 1);
	assert_int_equal(rsi_handle(&run), REC_RESUME);
	assert_int_equal(run.rec->gprs[0], RSI_SUCCESS);
	assert_memory_equal(rd->rem[0], rem64, 32);

	run.rec->gprs[0] = RSI_MEASUREMENT_EXTEND;
	run.rec->gprs[1] = 1;
	run.rec->gprs[2] = 0;
	assert_int_equal(rsi_handle(&run), REC_RESUME);
	assert_int_equal(run.rec->gprs[0], RSI_SUCCESS);
	assert_memory_equal(rd->rem[0], rem0, 32);
	for (unsigned int i = 32; i < 64; i++)
		assert_int_equal(rd->rem[0][i], 0);

	const uint64_t a[7] = { 1, 65, F(3), F(4), F(5), F(6), F(7) };
	assert_int_equal(smc(RSI_MEASUREMENT_EXTEND, a), REC_RESUME);
	assert_int_equal(run.rec->gprs[0], RSI_ERROR_INPUT);
	assert_memory_equal(rd->rem[0], rem0, 32);
	/* READ gives it back in x1..x4, zero padding in x5..x8, x9 untouched. */
	assert_int_equal(smc(RSI_MEASUREMENT_READ, read), REC_RESUME);
	assert_int_equal(run.rec->gprs[0], RSI_SUCCESS);
	assert_memory_equal(&run.rec->gprs[1], rem0, 32);
	for (unsigned int i = 5; i <= 8; i++)
		assert_int_equal(run.rec->gprs[i], 0);
	assert_int_equal(run.rec->gprs[9], F(9));
	fx_assert_unlocked();
}

/* Input fields narrower than their register: the unused bits are SBZ, not refused. */
static void test_narrow_input_fields(void **state)
{
	(void)state;
	/* RSI_IPA_STATE_SET ripas is X3[7:0] (B5.3.6). */
	const uint64_t set[7] = { IPA_RAM, IPA_RAM + G, 0xff00UL | RSI_RIPAS_RAM, 0, F(5), F(6), F(7) };
	assert_int_equal(smc(RSI_IPA_STATE_SET, set), REC_EXIT);
	assert_int_equal(exit_rec.exit_reason, RMI_EXIT_RIPAS_CHANGE);
	assert_int_equal(exit_rec.ripas_value, RSI_RIPAS_RAM);
	assert_int_equal(run.rec->ripas.value, RIPAS_RAM);
	run.rec->pend.ripas_pending = 0;
	run.rec->ripas = (struct rec_ripas_req){ 0 };
	/* PSCI_AFFINITY_INFO_64's lowest affinity level is X2[31:0] (B6.3.1). */
	const uint64_t aff[7] = { 1, 1UL << 32, F(3), F(4), F(5), F(6), F(7) };
	memset(&exit_rec, 0, sizeof(exit_rec));
	assert_int_equal(smc(PSCI_AFFINITY_INFO_64, aff), REC_EXIT);
	assert_int_equal(exit_rec.exit_reason, RMI_EXIT_PSCI);
	assert_int_equal(exit_rec.gprs[1], 1);
	run.rec->psci.pending = 0;
	fx_assert_unlocked();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_result_registers, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_measurement_extend_limits, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_narrow_input_fields, setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_rsi", tests, NULL, NULL);
}
