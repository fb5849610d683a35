/* core/vuart.c: the virtual PL011 register model and its output on the shared screen. */
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

/* The shared screen, as the physical console would show it. */
static char screen[1024];
static size_t screen_len;
static int locked;

void vuart_screen_lock(void)
{
	assert_false(locked);
	locked = 1;
}

void vuart_screen_unlock(void)
{
	assert_true(locked);
	locked = 0;
}

static void put(const char *s, size_t n)
{
	assert_true(locked);
	assert_true(screen_len + n < sizeof(screen));
	memcpy(screen + screen_len, s, n);
	screen_len += n;
	screen[screen_len] = 0;
}

void vuart_screen_prefix(const char *prefix)
{
	put("[", 1);
	put(prefix, strlen(prefix));
	put("] ", 2);
}

void vuart_screen_raw(const char *s, unsigned int n)
{
	put(s, n);
}

/* The hypervisor's log writes a line (console_write). */
static void log_line(const char *s)
{
	vuart_screen_lock();
	vuart_screen_break();
	put(s, strlen(s));
	vuart_screen_unlock();
}

static void type(struct vuart *u, const char *s)
{
	uint64_t v;
	for (; *s; s++) {
		v = (uint8_t)*s;
		assert_int_equal(vuart_access(u, 0x000, 4, 1, &v), 0);
	}
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
	screen_len = 0;
	screen[0] = 0;
	return 0;
}

static void test_lines_carry_prefix(void **state)
{
	struct vuart u;
	(void)state;
	vuart_init(&u, "safety");
	type(&u, "hello\r\nworld");
	assert_string_equal(screen, "[safety] hello\n");
	type(&u, "\n");
	assert_string_equal(screen, "[safety] hello\n[safety] world\n");
}

static void test_long_line_goes_out_whole(void **state)
{
	struct vuart u;
	char want[VUART_LINE_MAX + 16];
	(void)state;
	vuart_init(&u, "p");
	for (unsigned int i = 0; i < VUART_LINE_MAX + 3; i++) {
		char c[2] = { (char)('a' + i % 26), 0 };
		type(&u, c);
		want[i] = c[0];
	}
	/* The held part is on the screen already, not cut off by a newline. */
	assert_int_equal(screen_len, 4 + VUART_LINE_MAX);
	type(&u, "\n");
	want[VUART_LINE_MAX + 3] = 0;
	char line[VUART_LINE_MAX + 32];
	snprintf(line, sizeof(line), "[p] %s\n", want);
	assert_string_equal(screen, line);
}

static void test_lines_of_two_partitions_and_the_log_never_mix(void **state)
{
	struct vuart a, b;
	(void)state;
	vuart_init(&a, "a");
	vuart_init(&b, "b");
	type(&a, "one ");
	type(&b, "two\n");
	log_line("hyp: three\n");
	type(&a, "done\n");
	assert_string_equal(screen, "[b] two\nhyp: three\n[a] one done\n");
}

static void test_live_output_goes_out_as_it_comes(void **state)
{
	struct vuart a, b;
	(void)state;
	vuart_init(&a, "sh");
	vuart_init(&b, "bg");
	a.live = 1;
	type(&a, "# ");
	assert_string_equal(screen, "[sh] # "); /* the prompt, before any Enter */
	type(&a, "ls");
	assert_string_equal(screen, "[sh] # ls");
	/* Another line ends the open one on the screen; the prompt resumes whole under its prefix. */
	type(&b, "tick\n");
	log_line("hyp: note\n");
	type(&a, " -l\n");
	assert_string_equal(screen, "[sh] # ls \\\n[bg] tick\nhyp: note\n[sh] # ls -l\n");
}

static void test_stop_flushes_what_has_no_newline(void **state)
{
	struct vuart a;
	(void)state;
	vuart_init(&a, "a");
	type(&a, "last words");
	assert_string_equal(screen, "");
	vuart_flush_partial(&a);
	assert_string_equal(screen, "[a] last words\n");
	vuart_flush_partial(&a);
	assert_string_equal(screen, "[a] last words\n");
	a.live = 1;
	type(&a, "$ ");
	vuart_flush_partial(&a);
	assert_string_equal(screen, "[a] last words\n[a] $ \n");
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
	assert_string_equal(screen, ""); /* a byte DR write is one byte of a line, held */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_carry_prefix, setup),
		cmocka_unit_test_setup(test_long_line_goes_out_whole, setup),
		cmocka_unit_test_setup(test_lines_of_two_partitions_and_the_log_never_mix, setup),
		cmocka_unit_test_setup(test_live_output_goes_out_as_it_comes, setup),
		cmocka_unit_test_setup(test_stop_flushes_what_has_no_newline, setup),
		cmocka_unit_test_setup(test_flags_and_rx_fifo, setup),
		cmocka_unit_test_setup(test_amba_ids_and_cr, setup),
		cmocka_unit_test_setup(test_rejected_accesses, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
