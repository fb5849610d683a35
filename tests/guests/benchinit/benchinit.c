/*
 * /init of make bench's Linux initramfs (tools/bench.py): when Linux ran
 * "Run /init", in counter ticks, the same way on a partition and on bare
 * QEMU. The kernel's log stamps every record with sched_clock(), the
 * virtual counter since an origin we do not know; a record of our own,
 * written between two reads of CNTVCT_EL0, ties the two together:
 *
 *   counter(Run /init) = counter(mark) - (stamp(mark) - stamp(Run /init))
 *
 * with stamps in microseconds (1000 ticks of QEMU's 1 GHz counter, which
 * -icount shift=0 makes one instruction). Prints one line and powers off.
 * A static freestanding Linux program: no C library, raw system calls.
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_OPENAT 56
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_REBOOT 142
#define AT_FDCWD (-100)
#define O_RDWR 2
#define O_NONBLOCK 04000
#define REBOOT_MAGIC1 0xfee1deadUL
#define REBOOT_MAGIC2 672274793UL
#define REBOOT_POWER_OFF 0x4321fedcUL
#define STDOUT 1
#define RECORD_MAX 1024
#define NS_PER_US 1000
#define MARK "rampart-bench-mark"
#define RUN_INIT "Run /init as init process"

static long syscall4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall4(SYS_WRITE, STDOUT, (long)s, (long)len(s), 0);
}

static void put_u64(uint64_t v)
{
	char buf[24];
	int i = (int)sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(buf + i);
}

/* The stamp (µs) of a /dev/kmsg record "prio,seq,stamp,flags;text" whose text starts with want, or 0. */
static uint64_t stamp_of(const char *rec, long n, const char *want)
{
	long i = 0, commas = 0;
	uint64_t us = 0;

	for (; i < n && rec[i] != ';'; i++) {
		if (rec[i] == ',')
			commas++;
		else if (commas == 2 && rec[i] >= '0' && rec[i] <= '9')
			us = us * 10 + (uint64_t)(rec[i] - '0');
	}
	i++;
	for (size_t k = 0; want[k]; k++, i++)
		if (i >= n || rec[i] != want[k])
			return 0;
	return us;
}

void _start(void) __attribute__((noreturn));
void _start(void)
{
	static char rec[RECORD_MAX];
	uint64_t run_us = 0, mark_us = 0;
	long fd = syscall4(SYS_OPENAT, AT_FDCWD, (long)"/dev/kmsg", O_RDWR | O_NONBLOCK, 0);
	uint64_t before = cntvct();

	syscall4(SYS_WRITE, fd, (long)MARK "\n", (long)len(MARK) + 1, 0); /* a whole record: newline */
	uint64_t after = cntvct();
	for (;;) { /* every record still in the log, oldest first; -EAGAIN after the last */
		long n = syscall4(SYS_READ, fd, (long)rec, sizeof(rec), 0);
		if (n <= 0)
			break;
		uint64_t us;
		if (!run_us && (us = stamp_of(rec, n, RUN_INIT)))
			run_us = us;
		if ((us = stamp_of(rec, n, MARK)))
			mark_us = us;
	}
	uint64_t mark = before + (after - before) / 2;
	if (fd < 0 || !run_us || !mark_us || mark_us < run_us) {
		put("RAMPART-BENCH-INIT failed: no log stamps\n");
	} else {
		put("RAMPART-BENCH-INIT run_init_counter ");
		put_u64(mark - (mark_us - run_us) * NS_PER_US);
		put(" mark_counter ");
		put_u64(mark);
		put("\n");
	}
	syscall4(SYS_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_POWER_OFF, 0);
	for (;;)
		;
}
