/*
 * RMM log level 3 (rmm/rmi.c): every failed RMI command prints one line
 * naming it, with its arguments, status and index and the outputs it
 * defines on that failure; a successful one prints nothing. Built with
 * -DCONFIG_RMM_LOG_LEVEL=3; the other RMM suites build at the default
 * level 1, where the code is compiled out (they do not even link a printk).
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

#if CONFIG_RMM_LOG_LEVEL != 3
#error "test_rmi_log is built at RMM log level 3"
#endif

static char logged[4096];
static unsigned int lines;

/* The RMM's console, captured (lib/printf.c's printk on the target). */
void printk(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logged);

	va_start(ap, fmt);
	vsnprintf(logged + n, sizeof(logged) - n, fmt, ap);
	va_end(ap);
	lines++;
}

static void clear_log(void)
{
	logged[0] = '\0';
	lines = 0;
}

static void expect_line(uint64_t fid, const uint64_t a[5], const char *want)
{
	clear_log();
	fx_rmi(fid, a[0], a[1], a[2], a[3], a[4], NULL);
	assert_string_equal(logged, want);
	assert_int_equal(lines, 1);
}

static void test_failed_calls_are_named(void **state)
{
	(void)state;
	char want[256];

	/* An RTT error: its level; the inputs the command reads (4), not x5. */
	snprintf(want, sizeof(want), "rmm: RMI_RTT_CREATE 0x%lx 0x%lx 0x0 0x3 > ERROR_RTT 2\n",
		 (unsigned long)W.a.rd, (unsigned long)W.del);
	expect_line(RMI_RTT_CREATE, (const uint64_t[5]){ W.a.rd, W.del, 0, 3, 0x55 }, want);
	/* An input error: no index. */
	snprintf(want, sizeof(want), "rmm: RMI_GRANULE_DELEGATE 0x%lx > ERROR_INPUT\n", (unsigned long)W.del);
	expect_line(RMI_GRANULE_DELEGATE, (const uint64_t[5]){ W.del }, want);
	/* REC_ENTER's realm errors carry an index, 0 included only for ERROR_RTT. */
	snprintf(want, sizeof(want), "rmm: RMI_REC_ENTER 0x%lx 0x%lx > ERROR_REALM\n",
		 (unsigned long)W.a_r[0], (unsigned long)W.ns);
	expect_line(RMI_REC_ENTER, (const uint64_t[5]){ W.a_r[0], W.ns }, want);
	/* The output a failure defines: DATA_DESTROY's top. */
	snprintf(want, sizeof(want), "rmm: RMI_DATA_DESTROY 0x%lx 0x2000 > ERROR_RTT 3 x2=0x3000\n",
		 (unsigned long)W.a.rd);
	expect_line(RMI_DATA_DESTROY, (const uint64_t[5]){ W.a.rd, 0x2000 }, want);
	/* RMI_VERSION with another version: ERROR_INPUT, and what the RMM has. */
	expect_line(RMI_VERSION, (const uint64_t[5]){ 0x20000 },
		    "rmm: RMI_VERSION 0x20000 > ERROR_INPUT x1=0x10000 x2=0x10000\n");
}

static void test_successful_and_unknown_calls_are_quiet(void **state)
{
	(void)state;
	uint64_t out[5];

	clear_log();
	assert_int_equal(fx_rmi(RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REC_AUX_COUNT, W.a.rd, 0, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, W.del, 0, 0, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_FID(0x06), W.del, 0, 0, 0, 0, out), (uint64_t)SMC_UNKNOWN);
	assert_int_equal(lines, 0);
	assert_string_equal(logged, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failed_calls_are_named, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_successful_and_unknown_calls_are_quiet, world,
						fx_teardown),
	};

	return cmocka_run_group_tests_name("rmi_log", tests, NULL, NULL);
}
