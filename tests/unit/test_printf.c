/*
 * lib/printf.c: vsnprintf/snprintf conversions, widths, truncation, and
 * printk's line limit. The Makefile renames the library's vsnprintf,
 * snprintf and printk (rampart_*) so that they do not replace the C
 * library's; through <lib/printf.h> this file calls them by their usual names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <lib/printf.h>

#if !defined(snprintf) || !defined(vsnprintf) || !defined(printk)
#error "build with the Makefile: lib/printf.c's functions must be renamed"
#endif

/* snprintf into a large buffer; check the text and the returned length. */
#define EXPECT(want, ...)                                       \
	do {                                                    \
		char b_[300];                                   \
		memset(b_, 0x7f, sizeof(b_));                   \
		int n_ = snprintf(b_, sizeof(b_), __VA_ARGS__); \
		assert_string_equal(b_, want);                  \
		assert_int_equal(n_, (int)strlen(want));        \
	} while (0)

/* Like snprintf but without the format attribute, for formats GCC would reject. */
static int raw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define EXPECT_RAW(want, ...)                                       \
	do {                                                        \
		char b_[300];                                       \
		memset(b_, 0x7f, sizeof(b_));                       \
		int n_ = raw_snprintf(b_, sizeof(b_), __VA_ARGS__); \
		assert_string_equal(b_, want);                      \
		assert_int_equal(n_, (int)strlen(want));            \
	} while (0)

/* ------------------------------------------------------------ conversions */

static void test_plain(void **state)
{
	(void)state;
	EXPECT("", "%s", "");
	EXPECT("hello, world\n", "hello, world\n");
	EXPECT("100%", "100%%");
	EXPECT("%%", "%%%%");
	EXPECT("A", "%c", 'A');
	EXPECT("[x]", "[%c]", 'x');
}

static void test_signed(void **state)
{
	(void)state;
	EXPECT("0", "%d", 0);
	EXPECT("42", "%d", 42);
	EXPECT("-42", "%d", -42);
	EXPECT("-7", "%i", -7);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("-1", "%ld", -1L);
	EXPECT("9223372036854775807", "%ld", (long)INT64_MAX);
	EXPECT("-4294967296", "%ld", -4294967296L);
	EXPECT("-5", "%lld", -5LL);
	EXPECT("-3 and 4", "%d and %i", -3, 4);
}

/*
 * INT64_MIN in a child process: negating it is undefined behaviour, and a
 * UBSan report in the library would otherwise end the whole suite.
 */
static void test_int64_min(void **state)
{
	int fds[2];
	char out[64] = "";
	int status = 0;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char b[64];
		close(fds[0]);
		int n = snprintf(b, sizeof(b), "%ld|%lld", (long)INT64_MIN, (long long)INT64_MIN);
		ssize_t w = write(fds[1], b, strlen(b) + 1);
		_exit(w == (ssize_t)strlen(b) + 1 && n == (int)strlen(b) ? 0 : 3);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(out) - 1 && (r = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("formatting INT64_MIN failed in the child (status 0x%x; sanitizer report above?)",
			 status);
	assert_string_equal(out, "-9223372036854775808|-9223372036854775808");
}

static void test_unsigned_hex(void **state)
{
	(void)state;
	EXPECT("0", "%u", 0U);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	EXPECT("0", "%x", 0U);
	EXPECT("deadbeef", "%x", 0xdeadbeefU);
	EXPECT("DEADBEEF", "%X", 0xdeadbeefU);
	EXPECT("ffffffff", "%x", UINT_MAX);
	EXPECT("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	EXPECT("123456789ABCDEF0", "%lX", 0x123456789abcdef0UL);
	EXPECT("ffffffffffffffff", "%lx", ~0UL);
	EXPECT("1000", "%zx", (size_t)0x1000);
	EXPECT("4096", "%zu", (size_t)4096);
}

static void test_pointer(void **state)
{
	(void)state;
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("0xffff800012345678", "%p", (void *)0xffff800012345678UL);
	EXPECT("0x0", "%p", (void *)0);
}

static void test_string(void **state)
{
	const char *nul = NULL;

	(void)state;
	EXPECT("abc", "%s", "abc");
	EXPECT("(null)", "%s", nul);
	EXPECT("<(null)>", "<%s>", nul);
	EXPECT("a-b-c", "%s-%s-%s", "a", "b", "c");
}

static void test_width_and_zero_pad(void **state)
{
	(void)state;
	EXPECT("   42", "%5d", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("12345", "%2d", 12345);
	EXPECT("12345", "%05d", 12345);
	EXPECT("  -42", "%5d", -42);
	EXPECT("0000beef", "%08x", 0xbeefU);
	EXPECT("    beef", "%8x", 0xbeefU);
	EXPECT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	EXPECT("     abc", "%8s", "abc");
	EXPECT("abc", "%2s", "abc");
	EXPECT("   7|0007", "%4u|%04u", 7U, 7U);
	EXPECT("0", "%0d", 0);
}

static void test_zero_pad_negative(void **state)
{
	/* The sign goes before the zeros, as in C. */
	(void)state;
	EXPECT("-0042", "%05d", -42);
	EXPECT("-0000000001", "%011ld", -1L);
}

static void test_unknown_conversion(void **state)
{
	(void)state;
	EXPECT_RAW("%q", "%q");
	EXPECT_RAW("a%yb", "a%yb");
	EXPECT_RAW("%y5", "%y%d", 5); /* consumes no argument */
	EXPECT_RAW("50%", "50%");     /* lone % at the end */
	EXPECT_RAW("%", "%");
	EXPECT_RAW("%-5d", "%-5d", 3);
	EXPECT_RAW("%.3s", "%.3s", "abcdef");
}

/* ------------------------------------------------------------- truncation */

static void test_truncation(void **state)
{
	const char *nul = NULL;
	char b[32];

	(void)state;
	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 6, "hello world"), 11);
	assert_string_equal(b, "hello");
	assert_int_equal(b[6], 0x7f); /* nothing past size */

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 11, "hello world"), 11);
	assert_string_equal(b, "hello worl");
	assert_int_equal(b[11], 0x7f);

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 12, "hello world"), 11); /* exact fit */
	assert_string_equal(b, "hello world");
	assert_int_equal(b[12], 0x7f);

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 1, "hello %d", 5), 7);
	assert_int_equal(b[0], '\0');
	assert_int_equal(b[1], 0x7f);

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 4, "%d", 123456), 6); /* inside a number */
	assert_string_equal(b, "123");

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 5, "%8s", "ab"), 8); /* inside padding */
	assert_string_equal(b, "    ");

	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 3, "%s", nul), 6);
	assert_string_equal(b, "(n");
}

static void test_size_zero(void **state)
{
	char b[8];

	(void)state;
	memset(b, 0x7f, sizeof(b));
	assert_int_equal(snprintf(b, 0, "hello %s", "world"), 11);
	for (size_t i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], 0x7f);
	assert_int_equal(snprintf(NULL, 0, "%d", -12345), 6);
}

/* ----------------------------------------------------------------- printk */

static char console[2 * LOG_LINE_MAX];
static size_t console_len;
static unsigned int console_calls;

void console_write(const char *s, size_t n)
{
	console_calls++;
	assert_true(console_len + n <= sizeof(console));
	memcpy(console + console_len, s, n);
	console_len += n;
}

static int setup_console(void **state)
{
	(void)state;
	memset(console, 0, sizeof(console));
	console_len = 0;
	console_calls = 0;
	return 0;
}

static void test_printk(void **state)
{
	(void)state;
	printk("rmm: cpu %u up, %s\n", 3U, "ok");
	assert_int_equal(console_calls, 1);
	assert_int_equal(console_len, strlen("rmm: cpu 3 up, ok\n"));
	assert_memory_equal(console, "rmm: cpu 3 up, ok\n", console_len);
}

static void test_printk_longest_line(void **state)
{
	char line[LOG_LINE_MAX];

	(void)state;
	/* LOG_LINE_MAX - 1 characters fit exactly, newline included. */
	memset(line, 'a', LOG_LINE_MAX - 2);
	line[LOG_LINE_MAX - 2] = '\n';
	line[LOG_LINE_MAX - 1] = '\0';
	printk("%s", line);
	assert_int_equal(console_calls, 1);
	assert_int_equal(console_len, LOG_LINE_MAX - 1);
	assert_memory_equal(console, line, LOG_LINE_MAX - 1);
}

static void check_cut(size_t len)
{
	char line[2 * LOG_LINE_MAX];

	setup_console(NULL);
	for (size_t i = 0; i < len - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[len - 1] = '\n';
	line[len] = '\0';
	printk("%s", line);
	assert_int_equal(console_calls, 1);
	assert_int_equal(console_len, LOG_LINE_MAX - 1);
	/* Kept prefix, then the marker and the line ending. */
	assert_memory_equal(console, line, LOG_LINE_MAX - 3);
	assert_int_equal(console[LOG_LINE_MAX - 3], '~');
	assert_int_equal(console[LOG_LINE_MAX - 2], '\n');
}

static void test_printk_cut(void **state)
{
	(void)state;
	check_cut(LOG_LINE_MAX); /* one character too many */
	check_cut(LOG_LINE_MAX + 1);
	check_cut(300);
	check_cut(2 * LOG_LINE_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_int64_min),
		cmocka_unit_test(test_unsigned_hex),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_width_and_zero_pad),
		cmocka_unit_test(test_zero_pad_negative),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test_setup(test_printk, setup_console),
		cmocka_unit_test_setup(test_printk_longest_line, setup_console),
		cmocka_unit_test_setup(test_printk_cut, setup_console),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
