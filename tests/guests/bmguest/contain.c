/*
 * bmguest's fault-containment modes (tests/qemu/test_containment.py): guests
 * that misbehave in the ways the hypervisor must contain, and the two that
 * measure whether a misbehaving neighbour costs them anything.
 *
 *   heartbeat  a tick line every `period` ms (default 200), sleeping (WFI on
 *              its virtual timer) in between: the neighbour that must go on
 *   rtcdefects (2 vCPUs, the passthrough PL031) a level still asserted after
 *              its EOI comes again; then the SPI routed to vCPU 1 by
 *              GICD_IROUTER reaches vCPU 1 while vCPU 0 is off; then vCPU 1
 *              never clears the alarm: an interrupt storm
 *   hang       kicks its watchdog `kicks` times, then spins with every
 *              interrupt masked
 *   crash      prints the counter, then reads an address it does not own
 *   spin       waits (WFI) for its doorbell, then makes SMC calls (an RMI
 *              function ID, which the hypervisor answers NOT_SUPPORTED) as
 *              fast as it can until the shared word says stop
 *   latency    its virtual timer's latency while the neighbour idles, then
 *              while it spins (started by its doorbell), then stops it
 */
#include <arch/mmio.h>
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <rampart/hvc.h>
#include <rampart/smccc.h>
#include "bmguest.h"

#define MS_PER_S 1000U
#define US_PER_S 1000000U
#define HEARTBEAT_MS 200U
#define CNTV_ENABLE 1UL
#define LEVEL_HOLDS 3U	  /* deliveries the level test leaves the alarm asserted for */
#define RTC_WAIT_MS 4000U /* the PL031 alarm has one-second resolution */
#define GICD 0x08000000UL
#define GICD_IROUTER(n) (0x6000UL + 8UL * (n))
#define WATCHDOG_KICK_MS 50U
#define DEFAULT_KICKS 5U
#define LATENCY_SAMPLES 200U
#define LATENCY_AHEAD_MS 2U /* each deadline this far ahead */
#define SPIN_START_WAIT_MS 5000U
#define SETTLE_MS 3000U /* the latency test waits for the noisy neighbours to be contained */
#define RMI_VERSION_FID 0xc4000150UL

/* The shared word's layout between latency and spin (shm at `shmipa`). */
struct spin_ctl {
	volatile uint64_t calls; /* spin: SMC calls so far */
	volatile uint64_t stop;	 /* latency: 1 when the spinner may stop */
};

static uint64_t hvc1(uint64_t fid, uint64_t a1)
{
	struct smc_args a = { { fid, a1, 0, 0, 0, 0, 0, 0 } };

	hvc_call(&a);
	return a.x[0];
}

static uint64_t ms_ticks(uint64_t ms)
{
	return read_sysreg(cntfrq_el0) / MS_PER_S * ms;
}

/* Sleep until the virtual counter passes `until` (its timer's interrupt ends the WFI). */
static void sleep_until(uint64_t until)
{
	volatile uint32_t *count = &irq_count[0][BMGUEST_PPI_VTIMER];

	while (read_sysreg(cntvct_el0) < until) {
		uint32_t before = *count;
		write_sysreg(cntv_cval_el0, until);
		write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
		isb();
		(void)wait_count(count, before, RTC_WAIT_MS);
	}
}

static void heartbeat(uint64_t period)
{
	gic_init_vcpu(1U << BMGUEST_PPI_VTIMER);
	uint64_t next = read_sysreg(cntvct_el0);
	for (uint64_t i = 0;; i++) {
		printk("beat %lu\n", i);
		next += ms_ticks(period);
		sleep_until(next);
	}
}

/* The alarm one RTC second ahead, its interrupt unmasked. */
static void rtc_arm(void)
{
	uint32_t now = mmio_read32(BMGUEST_RTC + BMGUEST_RTC_DR);
	mmio_write32(BMGUEST_RTC + BMGUEST_RTC_MR, now + 1);
	mmio_write32(BMGUEST_RTC + BMGUEST_RTC_IMSC, 1);
}

static int wait_rtc(volatile uint32_t *count, uint32_t want)
{
	uint64_t end = read_cntpct() + ms_ticks(RTC_WAIT_MS);

	while (*count < want && read_cntpct() < end)
		;
	return *count >= want ? 0 : -1;
}

/* vCPU 1: routed the RTC's SPI by vCPU 0, it waits for the alarm, then storms. */
void contain_secondary(void)
{
	gic_init_vcpu(0);
	secondary_job = JOB_ANNOUNCE;
	int rc = wait_rtc(&rtc_taken_on[1], 1);
	printk("irouter: rtc interrupt %s on vcpu 1 (vcpu 0: %u)\n", rc ? "NOT taken" : "taken",
	       rtc_taken_on[0]);
	printk("storm: the alarm stays asserted\n");
	rtc_hold = RTC_HOLD_FOREVER;
	rtc_arm();
	for (;;)
		wfi();
}

static void rtc_defects(void)
{
	gic_init_vcpu(0);
	gic_enable_spi(BMGUEST_RTC_INTID);
	/* 6: the handler EOIs without clearing the device LEVEL_HOLDS times: each must come again. */
	rtc_hold = LEVEL_HOLDS;
	rtc_arm();
	int rc = wait_rtc(&rtc_taken_on[0], LEVEL_HOLDS + 1);
	printk("level: %u deliveries of an alarm left asserted %u times (%s)\n", rtc_taken_on[0], LEVEL_HOLDS,
	       rc ? "NOT re-delivered" : "re-delivered");
	/* 7: route it to vCPU 1 and turn vCPU 0 off: the interrupt must reach vCPU 1. */
	mmio_write64(BM_DEV(GICD) + GICD_IROUTER(BMGUEST_RTC_INTID), 1);
	secondary_job = JOB_IROUTER;
	struct smc_args a = { { PSCI_CPU_ON_64, 1, (uintptr_t)secondary_entry, 1, 0, 0, 0, 0 } };
	psci_call(&a);
	while (secondary_job == JOB_IROUTER)
		;
	rtc_arm();
	psci1(PSCI_CPU_OFF, 0);
}

static void hang(uint64_t kicks)
{
	uint64_t ok = 0;
	for (uint64_t i = 0; i < kicks; i++) {
		ok += hvc1(RAMPART_HVC_WATCHDOG_KICK, 0) == 0;
		uint64_t end = read_cntpct() + ms_ticks(WATCHDOG_KICK_MS);
		while (read_cntpct() < end)
			;
	}
	printk("hang: %lu of %lu kicks accepted; hanging with interrupts masked\n", ok, kicks);
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		;
}

static void crash(uint64_t addr)
{
	printk("crash at counter %lu\n", read_cntpct());
	(void)*(volatile uint64_t *)addr;
	printk("crash: the read returned\n");
}

/* SMC from EL1: trapped (HCR_EL2.TSC), so each one is an exit the hypervisor serves on this CPU. */
static void spin(struct spin_ctl *ctl, unsigned int db)
{
	gic_init_vcpu(0);
	gic_enable_spi(db);
	(void)wait_count(&spi_count[db - 32], 0, SPIN_START_WAIT_MS * 10);
	uint64_t n = 0, unknown = 0;
	while (!ctl->stop) {
		struct smc_args a = { { RMI_VERSION_FID, 0, 0, 0, 0, 0, 0, 0 } };
		smc_call(&a);
		unknown += a.x[0] == (uint64_t)SMC_UNKNOWN;
		ctl->calls = ++n;
	}
	printk("spin: %lu SMC calls (%lu answered NOT_SUPPORTED)\n", n, unknown);
}

struct lat {
	uint64_t sum, max;
	unsigned int got;
};

static void measure(struct lat *l)
{
	volatile uint32_t *count = &irq_count[0][BMGUEST_PPI_VTIMER];

	memset(l, 0, sizeof(*l));
	for (unsigned int i = 0; i < LATENCY_SAMPLES; i++) {
		uint32_t before = *count;
		uint64_t cval = read_sysreg(cntvct_el0) + ms_ticks(LATENCY_AHEAD_MS);
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
		isb();
		if (wait_count(count, before, RTC_WAIT_MS))
			break;
		uint64_t d = vtimer_seen_at - cval;
		l->sum += d;
		l->max = d > l->max ? d : l->max;
		l->got++;
	}
}

static uint64_t to_us(uint64_t ticks)
{
	return ticks * US_PER_S / read_sysreg(cntfrq_el0);
}

static void latency(struct spin_ctl *ctl, uint64_t shm)
{
	struct lat idle, busy;

	gic_init_vcpu(1U << BMGUEST_PPI_VTIMER);
	sleep_until(read_sysreg(cntvct_el0) + ms_ticks(SETTLE_MS));
	measure(&idle);
	uint64_t rung = hvc1(RAMPART_HVC_DOORBELL, shm);
	while (!ctl->calls)
		;
	uint64_t calls0 = ctl->calls;
	measure(&busy);
	uint64_t calls = ctl->calls - calls0;
	ctl->stop = 1;
	printk("latency idle: %u samples, mean %lu us, max %lu us\n", idle.got,
	       idle.got ? to_us(idle.sum / idle.got) : 0, to_us(idle.max));
	printk("latency spinning: %u samples, mean %lu us, max %lu us, %lu neighbour SMCs meanwhile (ring "
	       "%ld)\n",
	       busy.got, busy.got ? to_us(busy.sum / busy.got) : 0, to_us(busy.max), calls, (long)rung);
}

static int is(const char *mode, unsigned int len, const char *want)
{
	return len == strlen(want) && memcmp(mode, want, len) == 0;
}

void test_contain(const void *dtb, const char *mode, unsigned int len)
{
	struct spin_ctl *ctl = (struct spin_ctl *)BM_DEV(bm_arg_num(dtb, "shmipa", 0));

	if (is(mode, len, "heartbeat"))
		heartbeat(bm_arg_num(dtb, "period", HEARTBEAT_MS));
	else if (is(mode, len, "rtcdefects"))
		rtc_defects();
	else if (is(mode, len, "hang"))
		hang(bm_arg_num(dtb, "kicks", DEFAULT_KICKS));
	else if (is(mode, len, "crash"))
		crash(bm_arg_num(dtb, "addr", 0));
	else if (is(mode, len, "spin"))
		spin(ctl, (unsigned int)bm_arg_num(dtb, "db", 0));
	else if (is(mode, len, "latency"))
		latency(ctl, bm_arg_num(dtb, "shm", 0));
}
