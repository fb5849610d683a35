/*
 * The ESR_EL2 fields a REC exit gives the host for each kind of stage-2
 * abort (rmm/rec_exit_esr.h), bit for bit against RMM 1.0 A4.3.4.2 and
 * A4.3.4.3: for every data abort EC, ISS.SET, ISS.FnV, ISS.EA and ISS.DFSC;
 * for an emulatable one also ISV, SAS, SF and WnR (not IL, not SSE or SRT);
 * for a non-emulatable one at an unprotected IPA also IL; for an
 * instruction abort EC, ISS.SET, ISS.EA and ISS.IFSC. All other bits zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rec_exit_esr.h"

/* Field by field, as the Arm ARM lays out ESR_EL2 for a data or instruction abort. */
#define EC(x) ((uint64_t)(x) << 26)
#define IL (1UL << 25)
#define ISV (1UL << 24)
#define SAS(x) ((uint64_t)(x) << 22)
#define SSE (1UL << 21)
#define SRT(x) ((uint64_t)(x) << 16)
#define SF (1UL << 15)
#define AR (1UL << 14)
#define VNCR (1UL << 13)
#define SET(x) ((uint64_t)(x) << 11)
#define FNV (1UL << 10)
#define EA (1UL << 9)
#define CM (1UL << 8)
#define S1PTW (1UL << 7)
#define WNR (1UL << 6)
#define FSC(x) ((uint64_t)(x))
#define ISS2(x) ((uint64_t)(x) << 32)
#define DABT_LOW 0x24
#define IABT_LOW 0x20

/* Every bit that can be set in ESR_EL2, with EC = ec: whatever a kind keeps is all it may show. */
static uint64_t all_bits(unsigned int ec)
{
	return ISS2(0xffffff) | EC(ec) | ((1UL << 26) - 1);
}

/* The finding of issue 12: a 32-bit store to an unmapped unprotected IPA came out as 0x93800047. */
static void test_emulatable_store_has_no_il(void **state)
{
	(void)state;
	uint64_t esr = EC(DABT_LOW) | IL | ISV | SAS(2) | SRT(3) | WNR | FSC(7);

	assert_int_equal(esr, 0x93830047UL);
	assert_int_equal(rec_exit_abort_esr(esr, REC_ABORT_EMULATABLE), 0x91800047UL);
}

static void test_emulatable_keeps_exactly_its_fields(void **state)
{
	(void)state;
	uint64_t keep = EC(0x3f) | ISV | SAS(3) | SF | WNR | SET(3) | FNV | EA | FSC(0x3f);

	assert_int_equal(rec_exit_abort_esr(all_bits(DABT_LOW), REC_ABORT_EMULATABLE),
			 keep & all_bits(DABT_LOW));
	/* SSE and SRT are the RMM's business: it completes the load itself. */
	assert_int_equal(
		rec_exit_abort_esr(EC(DABT_LOW) | ISV | SSE | SRT(31) | FSC(5), REC_ABORT_EMULATABLE),
		EC(DABT_LOW) | ISV | FSC(5));
	/* An external abort reported with its SET and FnV. */
	assert_int_equal(rec_exit_abort_esr(EC(DABT_LOW) | IL | ISV | SET(2) | FNV | EA | FSC(0x10),
					    REC_ABORT_EMULATABLE),
			 EC(DABT_LOW) | ISV | SET(2) | FNV | EA | FSC(0x10));
}

static void test_unprotected_non_emulatable_keeps_il(void **state)
{
	(void)state;
	uint64_t keep = EC(0x3f) | IL | SET(3) | FNV | EA | FSC(0x3f);

	assert_int_equal(rec_exit_abort_esr(all_bits(DABT_LOW), REC_ABORT_UNPROT_NONEMUL),
			 keep & all_bits(DABT_LOW));
	/* An LDP to an unmapped unprotected IPA: ISV = 0, IL = 1. */
	assert_int_equal(rec_exit_abort_esr(EC(DABT_LOW) | IL | FSC(6), REC_ABORT_UNPROT_NONEMUL),
			 EC(DABT_LOW) | IL | FSC(6));
}

static void test_protected_data_abort_has_no_il(void **state)
{
	(void)state;
	uint64_t keep = EC(0x3f) | SET(3) | FNV | EA | FSC(0x3f);

	assert_int_equal(rec_exit_abort_esr(all_bits(DABT_LOW), REC_ABORT_PROTECTED_DATA),
			 keep & all_bits(DABT_LOW));
	assert_int_equal(
		rec_exit_abort_esr(EC(DABT_LOW) | IL | ISV | SAS(3) | WNR | FSC(7), REC_ABORT_PROTECTED_DATA),
		EC(DABT_LOW) | FSC(7));
}

static void test_instruction_abort_keeps_ec_set_ea_ifsc(void **state)
{
	(void)state;
	uint64_t keep = EC(0x3f) | SET(3) | EA | FSC(0x3f);

	assert_int_equal(rec_exit_abort_esr(all_bits(IABT_LOW), REC_ABORT_PROTECTED_INSN),
			 keep & all_bits(IABT_LOW));
	assert_int_equal(
		rec_exit_abort_esr(EC(IABT_LOW) | IL | FNV | S1PTW | FSC(7), REC_ABORT_PROTECTED_INSN),
		EC(IABT_LOW) | FSC(7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emulatable_store_has_no_il),
		cmocka_unit_test(test_emulatable_keeps_exactly_its_fields),
		cmocka_unit_test(test_unprotected_non_emulatable_keeps_il),
		cmocka_unit_test(test_protected_data_abort_has_no_il),
		cmocka_unit_test(test_instruction_abort_keeps_ec_set_ea_ifsc),
	};
	return cmocka_run_group_tests_name("rec_exit_esr", tests, NULL, NULL);
}
