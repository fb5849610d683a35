/*
 * rmm/rmi.c: RMI command dispatch (x0 = FID in, x0 = status out), linked
 * with rmm/granule.c and the fake EL3 (fake_rmm_arch.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/smccc.h>
#include "granule.h"
#include "rmm.h"
#include "fake_rmm_arch.h"

#define G GRANULE_SIZE
#define BANK_BASE 0x80000000UL
#define BANK_GRANULES 32UL
#define UNKNOWN 0xffffffffffffffffUL
#define FEAT0 0x000002810000c028UL /* any recognisable value */
#define FILLER 0x5a5a5a5a00000000UL

static struct granule storage[BANK_GRANULES];

static int setup(void **state)
{
	static const uint64_t bank[1][2] = { { BANK_BASE, BANK_GRANULES * G } };

	(void)state;
	fake_reset();
	memset(storage, 0, sizeof(storage));
	rmm_feature_reg0 = FEAT0;
	return granules_init(bank, 1, storage, BANK_GRANULES) == GRANULE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

/*
 * Registers as EL3 forwards them: x0 = fid, x1 = arg, the rest recognisable.
 * Only x0..x4 go back to the host and SMCCC 1.2 preserves x4 when unused,
 * so the tests check x4..x7 are untouched.
 */
static void call(uint64_t regs[8], uint64_t fid, uint64_t x1)
{
	regs[0] = fid;
	regs[1] = x1;
	for (unsigned int i = 2; i < 8; i++)
		regs[i] = FILLER + i;
	rmi_dispatch(regs);
}

static void assert_untouched_from(const uint64_t regs[8], unsigned int first)
{
	for (unsigned int i = first; i < 8; i++)
		assert_int_equal(regs[i], FILLER + i);
}

/* ------------------------------------------------------------ RMI_VERSION */

static void test_version(void **state)
{
	uint64_t r[8];

	(void)state;
	assert_int_equal(RMI_VERSION, 0xc4000150);
	call(r, 0xc4000150, 0x10000);
	assert_int_equal(r[0], RMI_SUCCESS);
	assert_int_equal(r[1], 0x10000);
	assert_int_equal(r[2], 0x10000);
	assert_untouched_from(r, 4); /* x4 preserved as SMCCC 1.2 wants */
}

static void test_version_mismatch(void **state)
{
	static const uint64_t requested[] = { 0x10001,	    0x20000,	   0,	   0xffff, 0x1ffff,
					      0x80010000UL, 0x100010000UL, UNKNOWN };
	uint64_t r[8];

	(void)state;
	for (size_t i = 0; i < sizeof(requested) / sizeof(requested[0]); i++) {
		call(r, RMI_VERSION, requested[i]);
		if (r[0] != RMI_ERROR_INPUT)
			fail_msg("RMI_VERSION(0x%lx): x0 = 0x%lx, want RMI_ERROR_INPUT",
				 (unsigned long)requested[i], (unsigned long)r[0]);
		assert_int_equal(r[1], 0x10000);
		assert_int_equal(r[2], 0x10000);
		assert_untouched_from(r, 4);
	}
}

/* ----------------------------------------------------------- RMI_FEATURES */

static void test_features(void **state)
{
	static const uint64_t other[] = { 1, 2, 0xffffffffUL, 0x100000000UL, UNKNOWN };
	uint64_t r[8];

	(void)state;
	assert_int_equal(RMI_FEATURES, 0xc4000165);
	call(r, 0xc4000165, 0);
	assert_int_equal(r[0], RMI_SUCCESS);
	assert_int_equal(r[1], FEAT0);
	assert_untouched_from(r, 4);

	rmm_feature_reg0 = 0x30;
	call(r, RMI_FEATURES, 0);
	assert_int_equal(r[0], RMI_SUCCESS);
	assert_int_equal(r[1], 0x30);

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		call(r, RMI_FEATURES, other[i]);
		assert_int_equal(r[0], RMI_SUCCESS);
		assert_int_equal(r[1], 0);
		assert_untouched_from(r, 4);
	}
}

/* ----------------------------------------------------------- unknown FIDs */

static void test_unknown_fids(void **state)
{
	static const uint64_t fids[] = {
		0xc4000156,		/* unused offset 0x6 */
		0xc4000160,		/* unused offset 0x10 */
		0xc4000163,		/* unused offset 0x13 */
		0xc400016a,		/* first of 0x1A..0x3E */
		0xc400017e, 0xc400018e, /* unused offsets 0x2e, 0x3e */
		0xc400018f,		/* RMM_RMI_REQ_COMPLETE: RMM -> EL3 only */
		0x84000150,		/* SMC32 view of RMI_VERSION */
		0x84000151, 0xc4000190, /* RSI */
		0xc40001b0,		/* RMM_GTSI_DELEGATE */
		0xc400014f,		/* just below the RMI range */
		0x84000000,		/* PSCI_VERSION */
		0x80000000,		/* SMCCC_VERSION */
		0,	    0xffffffff, UNKNOWN,
	};
	uint64_t r[8];

	(void)state;
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		call(r, fids[i], BANK_BASE);
		if (r[0] != UNKNOWN)
			fail_msg("FID 0x%lx: x0 = 0x%lx, want SMC_UNKNOWN", (unsigned long)fids[i],
				 (unsigned long)r[0]);
		assert_untouched_from(r, 4);
	}
	assert_int_equal((uint64_t)SMC_UNKNOWN, UNKNOWN);
	assert_int_equal(fake_count(EV_EL3_DELEGATE) + fake_count(EV_EL3_UNDELEGATE), 0);
	assert_int_equal(storage[0].state, GRANULE_UNDELEGATED);
}

static void test_fid_upper_bits(void **state)
{
	static const uint64_t fids[] = { 0x1c4000150UL, 0x1c4000151UL,	      0x1c4000152UL,
					 0x1c4000165UL, 0x80000000c4000150UL, 0xffffffffc4000151UL };
	uint64_t r[8];

	(void)state;
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		/* x1 is a valid argument for every one of the real commands. */
		call(r, fids[i], (fids[i] & 0xff) == 0x50 ? 0x10000 : BANK_BASE);
		if (r[0] != UNKNOWN)
			fail_msg("FID 0x%lx: x0 = 0x%lx, want SMC_UNKNOWN", (unsigned long)fids[i],
				 (unsigned long)r[0]);
		assert_untouched_from(r, 4);
	}
	assert_int_equal(fake_count(EV_EL3_DELEGATE) + fake_count(EV_EL3_UNDELEGATE), 0);
	assert_int_equal(storage[0].state, GRANULE_UNDELEGATED);
}

/* --------------------------------------------------- delegate / undelegate */

static void test_delegate_routed(void **state)
{
	const uint64_t pa = BANK_BASE + 4 * G;
	uint64_t r[8];

	(void)state;
	assert_int_equal(RMI_GRANULE_DELEGATE, 0xc4000151);
	assert_int_equal(RMI_GRANULE_UNDELEGATE, 0xc4000152);

	call(r, 0xc4000151, pa);
	assert_int_equal(r[0], RMI_SUCCESS);
	assert_int_equal(storage[4].state, GRANULE_DELEGATED);
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 1);
	assert_untouched_from(r, 4);

	call(r, 0xc4000151, pa); /* already delegated */
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	call(r, 0xc4000151, pa + 0x800); /* unaligned */
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	call(r, 0xc4000151, BANK_BASE + BANK_GRANULES * G); /* untracked */
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	fake_el3_force_delegate_rc(E_RMM_BAD_PAS);
	call(r, 0xc4000151, pa + G); /* EL3 refuses */
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	assert_int_equal(storage[5].state, GRANULE_UNDELEGATED);
	fake_el3_force_delegate_rc(0);
	assert_int_equal(fake_count(EV_EL3_DELEGATE), 2);

	call(r, 0xc4000152, pa);
	assert_int_equal(r[0], RMI_SUCCESS);
	assert_int_equal(storage[4].state, GRANULE_UNDELEGATED);
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 1);
	assert_untouched_from(r, 4);

	call(r, 0xc4000152, pa); /* not delegated any more */
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	call(r, 0xc4000152, pa + 1);
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	call(r, 0xc4000152, 0);
	assert_int_equal(r[0], RMI_ERROR_INPUT);
	assert_int_equal(fake_count(EV_EL3_UNDELEGATE), 1);
}

static void test_undelegate_el3_refuses_panics(void **state)
{
	uint64_t r[8];

	(void)state;
	call(r, RMI_GRANULE_DELEGATE, BANK_BASE);
	assert_int_equal(r[0], RMI_SUCCESS);
	fake_el3_force_undelegate_rc(E_RMM_BAD_PAS);
	EXPECT_PANIC(call(r, RMI_GRANULE_UNDELEGATE, BANK_BASE));
	assert_int_equal(fake_count(EV_PANIC), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_fids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fid_upper_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_routed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate_el3_refuses_panics, setup, teardown),
	};

	return cmocka_run_group_tests_name("rmi", tests, NULL, NULL);
}
