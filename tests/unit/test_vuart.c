/* core/vuart.c: the virtual PL011 register model and its line-buffered output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vuart.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define FR_RXFE (1U << 4)
#define FR_TXFE (1U << 7)

static char emitted[8][VUART_LINE_MAX + 32];
static unsigned int nemitted;

void vuart_emit(const char *prefix, const char *s, unsigned int n)
{
	assert_true(nemitted < 8);
	snprintf(emitted[nemitted++], sizeof(emitted[0]), "[%s] %.*s", prefix, (int)n, s);
}

static uint64_t rd(struct vuart *u, uint64_t off)
{
	uint64_t v = 0xdeadbeef;
	assert_int_equal(vuart_access(u, off, 4, 0, &v), 0);
	return v;
}

static void wr(struct vuart *u, uint64_t off, uint64_t v)
{
	assert_int_equal(vuart_access(u, off, 4, 1, &v), 0);
}

static int setup(void **state)
{
	(void)state;
	nemitted = 0;
	memset(emitted, 0, sizeof(emitted));
	return 0;
}

static void test_lines_carry_prefix(void **state)
{
	struct vuart u;
	(void)state;
	vuart_init(&u, "safety");
	for (const char *c = "hello\r\nworld"; *c; c++)
		wr(&u, UARTDR, (uint8_t)*c);
	assert_int_equal(nemitted, 1);
	assert_string_equal(emitted[0], "[safety] hello");
	wr(&u, UARTDR, '\n');
	assert_int_equal(nemitted, 2);
	assert_string_equal(emitted[1], "[safety] world");
}

static void test_long_line_is_split_not_truncated(void **state)
{
	struct vuart u;
	(void)state;
	vuart_init(&u, "p");
	for (unsigned int i = 0; i < VUART_LINE_MAX + 3; i++)
		wr(&u, UARTDR, 'a' + i % 26);
	wr(&u, UARTDR, '\n');
	assert_int_equal(nemitted, 2);
	assert_int_equal(strlen(emitted[0]), 4 + VUART_LINE_MAX);
	assert_string_equal(emitted[1], "[p] yza"); /* 128 % 26 = 24: the line continues at y */
}

static void test_flags_and_rx_fifo(void **state)
{
	struct vuart u;
	(void)state;
	vuart_init(&u, "p");
	assert_int_equal(rd(&u, UARTFR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(&u, UARTDR), 0);
	vuart_rx(&u, 'x');
	vuart_rx(&u, 'y');
	assert_int_equal(rd(&u, UARTFR), FR_TXFE);
	assert_int_equal(rd(&u, UARTRIS), 1U << 4);
	assert_int_equal(rd(&u, UARTMIS), 0);
	wr(&u, UARTIMSC, 1U << 4);
	assert_int_equal(rd(&u, UARTMIS), 1U << 4);
	assert_int_equal(rd(&u, UARTDR), 'x');
	assert_int_equal(rd(&u, UARTDR), 'y');
	assert_int_equal(rd(&u, UARTFR), FR_TXFE | FR_RXFE);
	for (unsigned int i = 0; i < VUART_RX_FIFO + 5; i++)
		vuart_rx(&u, (uint8_t)i);
	assert_int_equal(u.dropped, 5);
	assert_int_equal(rd(&u, UARTDR), 0);
}

static void test_amba_ids_and_cr(void **state)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vuart u;
	(void)state;
	vuart_init(&u, "p");
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(rd(&u, 0xfe0 + 4 * i), id[i]);
	assert_int_equal(rd(&u, UARTCR), 0x300);
	wr(&u, UARTCR, 0x301);
	assert_int_equal(rd(&u, UARTCR), 0x301);
}

static void test_rejected_accesses(void **state)
{
	struct vuart u;
	uint64_t v = 0;
	(void)state;
	vuart_init(&u, "p");
	assert_int_equal(vuart_access(&u, UARTDR, 8, 0, &v), -1); /* 64-bit access */
	assert_int_equal(vuart_access(&u, 0x2, 4, 0, &v), -1);	  /* misaligned */
	assert_int_equal(vuart_access(&u, 0x1000, 4, 0, &v), -1); /* outside the page */
	assert_int_equal(vuart_access(&u, UARTDR, 1, 1, &v), 0);  /* byte write of DR */
	assert_int_equal(nemitted, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_carry_prefix, setup),
		cmocka_unit_test_setup(test_long_line_is_split_not_truncated, setup),
		cmocka_unit_test_setup(test_flags_and_rx_fifo, setup),
		cmocka_unit_test_setup(test_amba_ids_and_cr, setup),
		cmocka_unit_test_setup(test_rejected_accesses, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
