/*
 * bmguest's benchmark (bootargs test=bench): counter ticks, which are
 * instructions under QEMU -icount shift=0, of the paths make bench reports
 * (tools/bench.py). The same image runs as a partition and on bare metal
 * (QEMU -kernel at EL1, PSCI through QEMU's HVC): the difference of the two
 * runs is what the hypervisor adds. Each measured span starts and ends with
 * bench_mark(), where tools/qemu-profile starts a new segment of its profile
 * (so that the printing in between has segments of its own).
 *
 *   hvc                HVC round trip (PSCI_VERSION); not on bare metal
 *   realm_host_call    in a realm: RSI_HOST_CALL round trip to the host
 *   realm_vuart_write  in a realm: a virtual UART register write
 *   gicd_read          a GICD_TYPER read
 *   vtimer_latency     virtual timer, CVAL to the handler, waiting in WFI
 *   vtimer_poll_latency  the same, spinning with IRQs unmasked
 *   spi_latency        (rtc=1) the PL031's alarm: when the device asserts its
 *                      SPI (one RTC second after the MR write) to the handler
 *   sgi_latency        (sgi=1) vCPU 0 sends an SGI, vCPU 1's handler runs
 * Latencies are averages over BENCH_EVENTS interrupts.
 */
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <lib/printf.h>
#include <rampart/smccc.h>
#include "bmguest.h"

#define BENCH_ITERS 64
#define BENCH_EVENTS 4
#define BENCH_GICD 0x08000000UL
#define BENCH_GICD_TYPER 0x4
#define BENCH_TIMER_AHEAD 100000 /* ticks */

#define BENCH_UART 0x09000000UL
#define BENCH_UART_IMSC 0x038
#define BENCH_WAIT_MS 2000
#define BENCH_RTC_WAIT_MS 4000
#define BENCH_SGI 2
#define CNTV_CTL_ENABLE 1UL

static volatile uint64_t sgi_sent_at, sgi_latency_sum;
static volatile uint32_t sgi_received;

/* Where tools/qemu-profile --mark cuts the profile into sections. */
void __attribute__((noinline)) bench_mark(void);
void __attribute__((noinline)) bench_mark(void)
{
	__asm__ volatile("" ::: "memory");
}

static uint64_t now(void)
{
	return read_sysreg(cntvct_el0);
}

static uint64_t hvc_psci_version(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_VERSION;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

/* Round trips to whoever serves the calls; the empty loop's own cost is subtracted. */
static void bench_calls(int bare)
{
	uint64_t t0 = now();
	for (unsigned int i = 0; i < BENCH_ITERS; i++)
		__asm__ volatile("" ::: "memory");
	uint64_t t1 = now(), t2, bad = 0, empty = t1 - t0;

	bench_mark();
	if (bm_in_realm) {
		t1 = now();
		for (unsigned int i = 0; i < BENCH_ITERS; i++)
			bad += realm_host_call(BENCH_HOST_CALL_IMM) != (uint64_t)SMC_UNKNOWN;
		t2 = now();
		bench_mark();
		printk("bench realm_host_call %lu\n", ((t2 - t1) - empty) / BENCH_ITERS);
		bench_mark();
		t1 = now();
		for (unsigned int i = 0; i < BENCH_ITERS; i++)
			*(volatile uint32_t *)(BM_DEV(BENCH_UART) + BENCH_UART_IMSC) = 0;
		t2 = now();
		bench_mark();
		printk("bench realm_vuart_write %lu\n", ((t2 - t1) - empty) / BENCH_ITERS);
	} else if (!bare) {
		t1 = now();
		for (unsigned int i = 0; i < BENCH_ITERS; i++)
			bad += hvc_psci_version() != PSCI_VERSION_1_1;
		t2 = now();
		bench_mark();
		printk("bench hvc %lu\n", ((t2 - t1) - empty) / BENCH_ITERS);
	}
	if (bad)
		printk("bench: %lu calls answered wrongly\n", bad);

	/* A trapped, emulated distributor register read (GICD_TYPER). */
	bench_mark();
	uint32_t typer = 0;
	t1 = now();
	for (unsigned int i = 0; i < BENCH_ITERS; i++)
		typer |= *(volatile uint32_t *)(BM_DEV(BENCH_GICD) + BENCH_GICD_TYPER);
	t2 = now();
	bench_mark();
	printk("bench gicd_read %lu (GICD_TYPER 0x%x)\n", ((t2 - t1) - empty) / BENCH_ITERS, typer);
}

/* Virtual timer: from its deadline (CVAL) to the guest's handler; poll = spin instead of WFI. */
static void bench_vtimer(int poll)
{
	volatile uint32_t *count = &irq_count[0][BMGUEST_PPI_VTIMER];
	uint64_t sum = 0;
	unsigned int got = 0;

	bench_mark();
	for (unsigned int i = 0; i < BENCH_EVENTS; i++) {
		uint32_t before = *count;
		uint64_t cval = now() + BENCH_TIMER_AHEAD, end = cval + BENCH_TIMER_AHEAD;
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
		isb();
		if (poll) {
			while (*count == before && now() < end)
				;
		} else {
			(void)wait_count(count, before, BENCH_WAIT_MS);
		}
		if (*count == before)
			break;
		sum += vtimer_seen_at - cval;
		got++;
	}
	bench_mark();
	if (got == BENCH_EVENTS)
		printk("bench vtimer%s_latency %lu\n", poll ? "_poll" : "", sum / BENCH_EVENTS);
	else
		printk("bench vtimer%s_latency: %u of %u interrupts\n", poll ? "_poll" : "", got,
		       BENCH_EVENTS);
}

/*
 * The PL031 raises its alarm one RTC second (CNTFRQ ticks of the same
 * virtual clock) after the MR write that sets it one second ahead; a second
 * boundary between reading DR and writing MR would make it sooner, so that
 * round is repeated.
 */
static void bench_spi(void)
{
	volatile uint32_t *count = &spi_count[BMGUEST_RTC_INTID - 32];
	uint64_t sum = 0, second = read_sysreg(cntfrq_el0);
	unsigned int got = 0;

	bench_mark();
	gic_enable_spi(BMGUEST_RTC_INTID);
	*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_IMSC) = 1;
	for (unsigned int i = 0; i < BENCH_EVENTS; i++) {
		uint32_t before = *count, d0;
		uint64_t t0;
		do {
			d0 = *(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_DR);
			t0 = now();
			*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_MR) = d0 + 1;
		} while (*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_DR) != d0);
		if (wait_count(count, before, BENCH_RTC_WAIT_MS))
			break;
		sum += irq_seen_at[0] - (t0 + second);
		got++;
	}
	bench_mark();
	*(volatile uint32_t *)(BMGUEST_RTC + BMGUEST_RTC_IMSC) = 0;
	if (got == BENCH_EVENTS)
		printk("bench spi_latency %lu\n", sum / BENCH_EVENTS);
	else
		printk("bench spi_latency: %u of %u interrupts\n", got, BENCH_EVENTS);
}

/* vCPU 1 for the SGI bench: says it is ready, then answers each SGI with one back. */
void bench_secondary(unsigned int id)
{
	volatile uint32_t *count = &irq_count[id][BENCH_SGI];

	gic_init_vcpu(1U << BENCH_SGI);
	send_sgi(BENCH_SGI, 0);
	for (unsigned int i = 0; i < BENCH_EVENTS; i++) {
		if (wait_count(count, i, BENCH_WAIT_MS))
			break;
		sgi_latency_sum += irq_seen_at[id] - sgi_sent_at;
		sgi_received++;
		send_sgi(BENCH_SGI, 0);
	}
	psci1(PSCI_CPU_OFF, 0);
}

/* Both vCPUs wait in WFI: under QEMU's round-robin -icount, the sender runs until it sleeps. */
static void bench_sgi(void)
{
	volatile uint32_t *count = &irq_count[0][BENCH_SGI];

	gic_init_vcpu(1U << BENCH_SGI);
	secondary_job = JOB_BENCH_SGI;
	struct smc_args a = { { PSCI_CPU_ON_64, 1, (uintptr_t)secondary_entry, 1, 0, 0, 0, 0 } };
	psci_call(&a);
	if (a.x[0] != PSCI_SUCCESS || wait_count(count, 0, BENCH_WAIT_MS)) {
		printk("bench sgi_latency: vCPU 1 did not start (%ld)\n", (long)a.x[0]);
		return;
	}
	bench_mark();
	for (unsigned int i = 0; i < BENCH_EVENTS; i++) {
		uint32_t before = *count;
		sgi_sent_at = now();
		send_sgi(BENCH_SGI, 1);
		if (wait_count(count, before, BENCH_WAIT_MS))
			break;
	}
	bench_mark();
	if (sgi_received == BENCH_EVENTS)
		printk("bench sgi_latency %lu\n", sgi_latency_sum / BENCH_EVENTS);
	else
		printk("bench sgi_latency: %u of %u SGIs\n", sgi_received, BENCH_EVENTS);
}

void test_bench(uint64_t rtc, uint64_t sgi)
{
	int bare = psci_uses_hvc_conduit();

	bench_calls(bare);
	gic_init_vcpu(1U << BMGUEST_PPI_VTIMER);
	bench_vtimer(0);
	bench_vtimer(1);
	if (rtc && !bm_in_realm)
		bench_spi();
	if (sgi && !bm_in_realm)
		bench_sgi();
	bench_mark();
}
