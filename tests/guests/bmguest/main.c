/*
 * bmguest: what a partition test needs from a guest, chosen by bootargs
 * ("test=hello|forever|read|cpuon|reset name=N ticks=N addr=HEX"):
 *   hello   banner, `ticks` tick lines, PSCI SYSTEM_OFF (the partition's)
 *   forever banner, a tick line about every second, never stops
 *   read    read 8 bytes at addr (a test expects its partition to be stopped); with
 *           wait=key, only once a byte arrives on its console
 *   cpuon   PSCI CPU_ON of vCPU 1 and the refusals PSCI must give (with ramend=,
 *           also at the first address after RAM), then off (with busyoff=1, while
 *           vCPU 1, started again, exits without pause)
 *   reset   banner, then PSCI SYSTEM_RESET (the partition restarts)
 *   bench   counter ticks (instructions under -icount shift=0) of the paths
 *           make bench reports (bench.c; rtc=1 and sgi=1 add the passthrough
 *           RTC's interrupt and an SGI between two vCPUs), then off
 *   timer   the virtual timer's PPI 27 through the vGIC, then off (with
 *           calls=1, first what HVC and SMC calls are answered: test_calls())
 *   sgi     vCPU 0 sends SGI 1 to vCPU 1 (ICC_SGI1R_EL1, trapped), then off
 *   flood   six SGIs pending at once (more than the CPU interface has list
 *           registers): all must arrive, through the maintenance-interrupt refill
 *   rtc     the passthrough PL031's alarm interrupt (SPI 2), routed by the hypervisor
 *   echo    reports every byte its console receives (UART RX interrupt), ends at '.';
 *           with rxmask=1, first checks that unmasking RX with a byte waiting interrupts
 *   ping / pong  `rounds` doorbell round trips over the shared-memory region
 *           `shm` (its rampart,id) at IPA `shmipa`, doorbell SPI INTID `db`
 *   token   (realm) its attestation token for the challenge seed `seed`
 *           (realm.c), then off, or SYSTEM_RESET with then=reset
 *   heartbeat, rtcdefects, hang, crash, spin, latency: fault containment
 *           (contain.c)
 * tail=TEXT is written without a newline just before the guest powers off.
 * In a realm partition (realm.c) devices and shared memory are reached
 * through the unprotected alias and doorbells ring through RSI_HOST_CALL;
 * `addr` for `read` is used as given.
 */
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <drivers/pl011.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <rampart/hvc.h>
#include <rampart/smccc.h>
#include "bmguest.h"

#define GUEST_UART 0x09000000UL
#define DEFAULT_TICKS 3
#define AFFINITY_WAIT_LOOPS 100000000UL

extern char secondary_entry[], guest_vectors[];
#define TIMER_DELAY_MS 10
#define IRQ_WAIT_MS 2000
#define SGI_TEST 1
static volatile uint32_t secondary_ready;
volatile uint32_t secondary_job;
/* JOB_ANNOUNCE: vCPU 1 stays on until vCPU 0 has made the calls that need it on. */
static volatile uint32_t secondary_release;
static int psci_hvc; /* the DTB's /psci method: "hvc" on bare metal, "smc" in a partition */

void psci_call(struct smc_args *a)
{
	if (psci_hvc)
		hvc_call(a);
	else
		smc_call(a);
}

int psci_uses_hvc_conduit(void)
{
	return psci_hvc;
}

uint64_t psci1(uint64_t fid, uint64_t a1)
{
	struct smc_args a = { { fid, a1, 0, 0, 0, 0, 0, 0 } };

	psci_call(&a);
	return a.x[0];
}
static const char *name = "guest";
static unsigned int name_len = 5;

void console_write(const char *s, size_t n)
{
	pl011_write(BM_DEV(GUEST_UART), s, n);
}

static uint64_t parse_num(const char *s, unsigned int len)
{
	uint64_t v = 0;
	unsigned int base = 10, i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++) {
		char c = s[i];
		unsigned int d = c >= '0' && c <= '9'	? (unsigned int)(c - '0')
				 : c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10)
				 : c >= 'A' && c <= 'F' ? (unsigned int)(c - 'A' + 10)
							: base;
		if (d >= base)
			break;
		v = v * base + d;
	}
	return v;
}

static int arg_is(const void *dtb, const char *key, const char *want)
{
	unsigned int len;
	const char *v = bootarg(dtb, key, &len);
	return v && len == strlen(want) && memcmp(v, want, len) == 0;
}

static uint64_t arg_num(const void *dtb, const char *key, uint64_t dflt)
{
	unsigned int len;
	const char *v = bootarg(dtb, key, &len);
	return v ? parse_num(v, len) : dflt;
}

uint64_t bm_arg_num(const void *dtb, const char *key, uint64_t dflt)
{
	return arg_num(dtb, key, dflt);
}

static void say(const char *what)
{
	char line[LOG_LINE_MAX];
	unsigned int n = name_len < 32 ? name_len : 32;

	memcpy(line, name, n);
	line[n] = 0;
	printk("bmguest %s: %s\n", line, what);
}

static void delay_ms(uint64_t ms)
{
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / 1000 * ms;
	while (read_cntpct() < end)
		;
}

/* tail=TEXT: written without a newline just before the partition powers off. */
static const char *tail;
static unsigned int tail_len;

static void __attribute__((noreturn)) psci_off(uint32_t fid)
{
	if (tail)
		console_write(tail, tail_len);
	psci1(fid, 0);
	say("PSCI did not stop me");
	for (;;)
		wfi();
}

/* vCPU 1 prints while it runs: vCPU 0 prints only once it is off (one UART, no lock). */
static void test_cpuon(uint64_t ram_end)
{
	struct smc_args a = { { PSCI_CPU_ON_64, 1, (uintptr_t)secondary_entry, 1, 0, 0, 0, 0 } };
	psci_call(&a);
	struct smc_args bad = { { PSCI_CPU_ON_64, 7, (uintptr_t)secondary_entry, 7, 0, 0, 0, 0 } };
	psci_call(&bad);
	struct smc_args far = { { PSCI_CPU_ON_64, 1, 0x10, 1, 0, 0, 0, 0 } };
	psci_call(&far);
	/* ramend=: the first byte after RAM, no more RAM than the byte before it. */
	struct smc_args end = { { PSCI_CPU_ON_64, 1, ram_end, 1, 0, 0, 0, 0 } };
	if (ram_end)
		psci_call(&end);
	secondary_release = 1;
	uint64_t st = PSCI_AFF_ON;
	for (uint64_t i = 0; i < AFFINITY_WAIT_LOOPS && a.x[0] == PSCI_SUCCESS; i++) {
		struct smc_args q = { { PSCI_AFFINITY_INFO_64, 1, 0, 0, 0, 0, 0, 0 } };
		psci_call(&q);
		st = q.x[0];
		if (st == PSCI_AFF_OFF)
			break;
	}
	printk("cpu_on(1) = %ld\n", (long)a.x[0]);
	printk("cpu_on(7) = %ld\n", (long)bad.x[0]);
	printk("cpu_on(1, outside RAM) = %ld\n", (long)far.x[0]);
	if (ram_end)
		printk("cpu_on(1, RAM end) = %ld\n", (long)end.x[0]);
	printk("affinity_info(1) = %lu\n", st);
}

/*
 * busyoff=1: vCPU 1 comes back and exits without pause while vCPU 0 powers the
 * partition off: the hypervisor must stop it as one partition, with one report.
 */
#define BUSY_RUN_MS 20
static void busy_secondary_then_off(void)
{
	secondary_job = JOB_BUSY;
	secondary_ready = 0;
	struct smc_args a = { { PSCI_CPU_ON_64, 1, (uintptr_t)secondary_entry, 1, 0, 0, 0, 0 } };
	psci_call(&a);
	while (a.x[0] == PSCI_SUCCESS && !secondary_ready)
		;
	delay_ms(BUSY_RUN_MS);
	printk("system off with vcpu 1 busy (cpu_on = %ld)\n", (long)a.x[0]);
}

static int wait_irq(unsigned int vcpu, unsigned int intid, uint64_t ms)
{
	return wait_count(&irq_count[vcpu][intid], 0, ms);
}

/*
 * calls=1: what the hypervisor answers the calls a guest makes by HVC and
 * by (trapped) SMC, one line: PSCI and SMCCC versions, PSCI_FEATURES of a
 * function it has and of one it has not, then NOT_SUPPORTED (-1) for an
 * unknown vendor hypervisor call, an unknown PSCI function number, the
 * SMC64 form of an SMC32-only function, and a function ID with bits above 31.
 */
#define CALL_UNKNOWN_HYP 0xc6000099UL
#define CALL_UNKNOWN_PSCI 0x8400001fUL
#define CALL_SMC64_VERSION 0xc4000000UL
#define CALL_HIGH_BITS (0x100000000UL | PSCI_VERSION)

static long call(int smc, uint64_t fid, uint64_t a1)
{
	struct smc_args a = { { fid, a1, 0, 0, 0, 0, 0, 0 } };

	if (smc)
		smc_call(&a);
	else
		hvc_call(&a);
	return (long)a.x[0];
}

static void test_calls(void)
{
	for (int smc = 0; smc < 2; smc++)
		printk("calls %s: version 0x%lx smccc 0x%lx features %ld %ld unknown %ld %ld %ld %ld\n",
		       smc ? "smc" : "hvc", call(smc, PSCI_VERSION, 0), call(smc, SMCCC_VERSION, 0),
		       call(smc, PSCI_FEATURES, PSCI_CPU_ON_64),
		       call(smc, PSCI_FEATURES, PSCI_CPU_SUSPEND_64), call(smc, CALL_UNKNOWN_HYP, 0),
		       call(smc, CALL_UNKNOWN_PSCI, 0), call(smc, CALL_SMC64_VERSION, 0),
		       call(smc, CALL_HIGH_BITS, 0));
}

static void test_timer(void)
{
	uint64_t tval = read_sysreg(cntfrq_el0) / 1000 * TIMER_DELAY_MS;

	gic_init_vcpu(1U << BMGUEST_PPI_VTIMER);
	uint64_t t0 = read_sysreg(cntvct_el0);
	write_sysreg(cntv_tval_el0, tval);
	write_sysreg(cntv_ctl_el0, 1); /* enable, unmasked */
	isb();
	int rc = wait_irq(0, BMGUEST_PPI_VTIMER, IRQ_WAIT_MS);
	uint64_t dt = read_sysreg(cntvct_el0) - t0;
	printk("timer irq 27: %s, %s the deadline, count %u\n", rc ? "not taken" : "taken",
	       dt >= tval ? "after" : "BEFORE", irq_count[0][BMGUEST_PPI_VTIMER]);
}

static void test_sgi(void)
{
	secondary_job = JOB_WAIT_SGI;
	struct smc_args a = { { PSCI_CPU_ON_64, 1, (uintptr_t)secondary_entry, 1, 0, 0, 0, 0 } };
	psci_call(&a);
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / 1000 * IRQ_WAIT_MS;
	while (!secondary_ready && read_cntpct() < end)
		;
	send_sgi(SGI_TEST, 1);
	uint64_t st = PSCI_AFF_ON;
	for (uint64_t i = 0; i < AFFINITY_WAIT_LOOPS && a.x[0] == PSCI_SUCCESS && st != PSCI_AFF_OFF; i++) {
		struct smc_args q = { { PSCI_AFFINITY_INFO_64, 1, 0, 0, 0, 0, 0, 0 } };
		psci_call(&q);
		st = q.x[0];
	}
	printk("sgi: cpu_on %ld, vcpu 1 %s\n", (long)a.x[0], st == PSCI_AFF_OFF ? "off" : "still on");
}

#define PINGPONG_ROUNDS 3
/* The first round also waits for the peer to start (a realm peer is built first; slow under load). */
#define PEER_START_WAIT_MS 30000

static uint64_t hvc2(uint64_t fid, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
	return x0;
}

/* Ring the other peer of shared-memory region shm: a realm asks its host, a normal VM calls the hypervisor.
 */
static uint64_t ring(uint64_t shm)
{
	return bm_in_realm ? realm_doorbell(shm) : hvc2(RAMPART_HVC_DOORBELL, shm);
}

static int wait_spi(unsigned int intid, uint32_t count, uint64_t ms)
{
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / 1000 * ms;

	while (spi_count[intid - 32] < count) {
		if (read_cntpct() > end)
			return -1;
		wfi();
	}
	return 0;
}

/*
 * ping writes an odd number into the shared word and rings; pong answers
 * with the next even one. Each side checks what it reads.
 */
static void test_pingpong(const void *dtb, int ping)
{
	uint64_t shm = arg_num(dtb, "shm", 0), db = arg_num(dtb, "db", 0);
	volatile uint64_t *word = (volatile uint64_t *)BM_DEV(arg_num(dtb, "shmipa", 0));
	uint64_t rounds = arg_num(dtb, "rounds", PINGPONG_ROUNDS), ok = 0;

	gic_init_vcpu(0);
	gic_enable_spi((unsigned int)db);
	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t wait_ms = r ? IRQ_WAIT_MS : PEER_START_WAIT_MS;
		if (ping) {
			*word = 2 * r + 1;
			if (ring(shm) != 0)
				break;
			if (wait_spi((unsigned int)db, (uint32_t)(r + 1), wait_ms))
				break;
			ok += *word == 2 * r + 2;
		} else {
			if (wait_spi((unsigned int)db, (uint32_t)(r + 1), wait_ms))
				break;
			ok += *word == 2 * r + 1;
			*word = 2 * r + 2;
			if (ring(shm) != 0)
				break;
		}
	}
	printk("%s: %lu of %lu round trips, bad ring = %ld\n", ping ? "ping" : "pong", ok, rounds,
	       (long)ring(shm + 100));
}

#define UART_FR 0x018
#define UART_IMSC 0x038
#define UART_FR_RXFE (1U << 4)
#define UART_IMSC_RXIM (1U << 4)
#define UART_INTID 33 /* SPI 1, as partc writes it into every guest DTB */
#define ECHO_END '.'

#define RTC_WAIT_MS 4000
#define FLOOD_FIRST_SGI 1
#define FLOOD_SGIS 6

static void test_flood(void)
{
	uint32_t mask = ((1U << FLOOD_SGIS) - 1) << FLOOD_FIRST_SGI;

	gic_init_vcpu(mask);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	for (unsigned int i = 0; i < FLOOD_SGIS; i++)
		send_sgi(FLOOD_FIRST_SGI + i, 0);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	unsigned int got = 0;
	for (unsigned int i = 0; i < FLOOD_SGIS; i++)
		got += wait_irq(0, FLOOD_FIRST_SGI + i, IRQ_WAIT_MS) == 0;
	printk("flood: %u of %u SGIs taken\n", got, FLOOD_SGIS);
}

static void test_rtc(void)
{
	gic_init_vcpu(0);
	gic_enable_spi(BMGUEST_RTC_INTID);
	uint32_t now = *(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_DR);
	*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_MR) = now + 1;
	*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_IMSC) = 1;
	int rc = wait_spi(BMGUEST_RTC_INTID, 1, RTC_WAIT_MS);
	*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_IMSC) = 0;
	printk("rtc alarm irq %u: %s\n", BMGUEST_RTC_INTID, rc ? "not taken" : "taken");
}

/* Sleep (WFI) until the console receives a byte, and take it. */
static void wait_key(void)
{
	gic_init_vcpu(0);
	gic_enable_spi(UART_INTID);
	*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_IMSC) = UART_IMSC_RXIM;
	while (*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_FR) & UART_FR_RXFE)
		wfi();
	(void)*(volatile uint32_t *)BM_DEV(GUEST_UART);
}

/*
 * rxmask=1: with the receive interrupt masked, wait for a byte by polling; then
 * unmask it. The PL011's interrupt is a level: it must come now, not with the
 * next byte (which may never be typed).
 */
#define RXMASK_WAIT_MS 2000
static void rx_unmask_check(void)
{
	*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_IMSC) = 0;
	printk("rx masked, waiting for a byte\n");
	while (*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_FR) & UART_FR_RXFE)
		delay_ms(1);
	uint32_t before = spi_count[UART_INTID - 32];
	*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_IMSC) = UART_IMSC_RXIM;
	/* Polled, not WFI: nothing else would wake this vCPU if the interrupt never came. */
	for (unsigned int ms = 0; ms < RXMASK_WAIT_MS && spi_count[UART_INTID - 32] == before; ms++)
		delay_ms(1);
	printk("rx unmasked with a byte waiting: interrupt %s\n",
	       spi_count[UART_INTID - 32] == before ? "not taken" : "taken");
}

static void test_echo(int rxmask)
{
	gic_init_vcpu(0);
	gic_enable_spi(UART_INTID);
	if (rxmask)
		rx_unmask_check();
	*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_IMSC) = UART_IMSC_RXIM;
	for (;;) {
		while (!(*(volatile uint32_t *)(BM_DEV(GUEST_UART) + UART_FR) & UART_FR_RXFE)) {
			char c = (char)(*(volatile uint32_t *)BM_DEV(GUEST_UART) & 0xff);
			printk("got '%c' (rx interrupts %u)\n", c, spi_count[UART_INTID - 32]);
			if (c == ECHO_END)
				return;
		}
		wfi();
	}
}

void guest_unexpected(void);
void guest_unexpected(void)
{
	printk("bmguest: unexpected exception ESR 0x%lx ELR 0x%lx\n", read_sysreg(esr_el1),
	       read_sysreg(elr_el1));
	psci_off(PSCI_SYSTEM_OFF);
}

void guest_secondary(uint64_t id);
void guest_secondary(uint64_t id)
{
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	if (secondary_job == JOB_BUSY) {
		/* Exits as often as it can (a realm: host calls) until the partition stops. */
		secondary_ready = 1;
		for (;;) {
			if (bm_in_realm)
				(void)realm_host_call(BENCH_HOST_CALL_IMM);
			else
				psci1(PSCI_VERSION, 0);
		}
	}
	if (secondary_job == JOB_BENCH_SGI)
		bench_secondary((unsigned int)id);
	if (secondary_job == JOB_IROUTER)
		contain_secondary();
	if (secondary_job == JOB_WAIT_SGI) {
		gic_init_vcpu(1U << SGI_TEST);
		secondary_ready = 1;
		int rc = wait_irq((unsigned int)id, SGI_TEST, IRQ_WAIT_MS);
		printk("bmguest: sgi %u %s on vcpu %lu\n", SGI_TEST, rc ? "NOT received" : "received", id);
		psci1(PSCI_CPU_OFF, 0);
	}
	printk("bmguest: vcpu %lu up\n", id);
	while (!secondary_release)
		;
	psci1(PSCI_CPU_OFF, 0);
	for (;;)
		wfi();
}

void guest_main(const void *dtb);
void guest_main(const void *dtb)
{
	unsigned int len;
	const char *n = bootarg(dtb, "name", &len);

	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	psci_hvc = psci_uses_hvc(dtb);
	if (psci_hvc)
		pl011_init(
			GUEST_UART); /* bare metal: nobody enabled the UART (a virtual one needs nothing) */
	else
		realm_detect(); /* a realm's firmware (the RMM) answers SMCs */
	if (n) {
		name = n;
		name_len = len;
	}
	tail = bootarg(dtb, "tail", &tail_len);
	say(bm_in_realm ? "up in a realm" : "up");
	if (arg_is(dtb, "test", "read")) {
		uint64_t addr = arg_num(dtb, "addr", 0), v;
		if (arg_is(dtb, "wait", "key"))
			wait_key();
		printk("reading 0x%lx\n", addr);
		v = *(volatile uint64_t *)addr;
		printk("read 0x%lx = 0x%lx\n", addr, v);
	} else if (arg_is(dtb, "test", "cpuon")) {
		test_cpuon(arg_num(dtb, "ramend", 0));
		if (arg_num(dtb, "busyoff", 0))
			busy_secondary_then_off();
	} else if (arg_is(dtb, "test", "timer")) {
		if (arg_num(dtb, "calls", 0))
			test_calls();
		test_timer();
	} else if (arg_is(dtb, "test", "sgi")) {
		test_sgi();
	} else if (arg_is(dtb, "test", "flood")) {
		test_flood();
	} else if (arg_is(dtb, "test", "rtc")) {
		test_rtc();
	} else if (arg_is(dtb, "test", "echo")) {
		test_echo(arg_num(dtb, "rxmask", 0) != 0);
	} else if (arg_is(dtb, "test", "ping") || arg_is(dtb, "test", "pong")) {
		test_pingpong(dtb, arg_is(dtb, "test", "ping"));
	} else if (arg_is(dtb, "test", "bench")) {
		test_bench(arg_num(dtb, "rtc", 0), arg_num(dtb, "sgi", 0));
	} else if (arg_is(dtb, "test", "reset")) {
		delay_ms(50);
		psci_off(PSCI_SYSTEM_RESET);
	} else if (arg_is(dtb, "test", "token")) {
		realm_token(arg_num(dtb, "seed", 0));
		if (arg_is(dtb, "then", "reset"))
			psci_off(PSCI_SYSTEM_RESET);
	} else if (arg_is(dtb, "test", "update") || arg_is(dtb, "test", "update-denied")) {
		test_update(arg_num(dtb, "pkg", 0), arg_is(dtb, "test", "update-denied"));
	} else if (arg_is(dtb, "test", "heartbeat") || arg_is(dtb, "test", "rtcdefects") ||
		   arg_is(dtb, "test", "hang") || arg_is(dtb, "test", "crash") ||
		   arg_is(dtb, "test", "spin") || arg_is(dtb, "test", "latency")) {
		unsigned int mlen;
		const char *mode = bootarg(dtb, "test", &mlen);
		test_contain(dtb, mode, mlen);
	} else if (arg_is(dtb, "test", "forever")) {
		for (uint64_t i = 0;; i++) {
			printk("tick %lu\n", i);
			delay_ms(1000);
		}
	} else {
		uint64_t ticks = arg_num(dtb, "ticks", DEFAULT_TICKS);
		for (uint64_t i = 0; i < ticks; i++) {
			printk("tick %lu\n", i);
			delay_ms(20);
		}
	}
	say("done");
	psci_off(PSCI_SYSTEM_OFF);
}
