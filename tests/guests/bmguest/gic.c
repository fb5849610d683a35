/*
 * bmguest's interrupt side: the partition's virtual GICv3 (distributor and
 * this vCPU's redistributor at the QEMU virt addresses partc puts in every
 * guest DTB) and the EL1 vector table. Handlers only count; tests print.
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include "bmguest.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define GICR_STRIDE 0x20000UL
#define GICD_CTLR_GRP1A (1U << 1)
#define GICR_WAKER 0x14
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_ISENABLER0 (0x10000 + 0x100)
#define GICR_IGROUPR0 (0x10000 + 0x080)
#define GICD_IGROUPR(n) (0x080 + 4 * (n))
#define ALL_GROUP1 0xffffffffU
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_ON 0x7UL
#define SGI1R_INTID_SHIFT 24
#define CNTV_CTL_ENABLE 1UL
#define CNTV_CTL_IMASK 2UL
#define INTID_SPURIOUS 1020

volatile uint32_t irq_count[BMGUEST_MAX_VCPUS][BMGUEST_MAX_INTID];
volatile uint32_t spi_count[BMGUEST_MAX_SPIS];
volatile uint64_t vtimer_seen_at;		  /* CNTVCT when the handler took the virtual timer */
volatile uint64_t irq_seen_at[BMGUEST_MAX_VCPUS]; /* CNTVCT when the handler took the last interrupt */
volatile uint32_t rtc_hold;
volatile uint32_t rtc_taken_on[BMGUEST_MAX_VCPUS];

#define GICD_ISENABLER(n) (0x100 + 4 * (n))

/* Group 1 (a vGIC has nothing else; a bare GIC resets to Group 0, which is FIQ), enabled. */
void gic_enable_spi(unsigned int intid)
{
	uintptr_t grp = BM_DEV(GICD) + GICD_IGROUPR(intid / 32);

	mmio_write32(grp, mmio_read32(grp) | 1U << (intid % 32));
	mmio_write32(BM_DEV(GICD) + GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

static unsigned int vcpu_id(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & (BMGUEST_MAX_VCPUS - 1));
}

void gic_init_vcpu(uint32_t enable_mask)
{
	uintptr_t rd = BM_DEV(GICR) + vcpu_id() * GICR_STRIDE;

	mmio_write32(BM_DEV(GICD), GICD_CTLR_GRP1A);
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(rd + GICR_IGROUPR0, ALL_GROUP1);
	mmio_write32(rd + GICR_ISENABLER0, enable_mask);
	write_sysreg(ICC_SRE_EL1, ICC_SRE_ON);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void send_sgi(unsigned int intid, unsigned int target_vcpu)
{
	write_sysreg(ICC_SGI1R_EL1, ((uint64_t)intid << SGI1R_INTID_SHIFT) | (1UL << target_vcpu));
	isb();
}

void irq_handler(void);
void irq_handler(void)
{
	uint64_t now = read_sysreg(cntvct_el0);
	uint64_t intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	if (intid >= INTID_SPURIOUS)
		return;
	irq_seen_at[vcpu_id()] = now;
	if (intid == BMGUEST_RTC_INTID) {
		rtc_taken_on[vcpu_id()]++;
		if (!rtc_hold)
			mmio_write32(BMGUEST_RTC + BMGUEST_RTC_ICR, 1); /* level: clear the device first */
		else if (rtc_hold != RTC_HOLD_FOREVER)
			rtc_hold--;
	}
	if (intid == BMGUEST_PPI_VTIMER) {
		write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK); /* one shot */
		vtimer_seen_at = now;
	}
	if (intid < BMGUEST_MAX_INTID)
		irq_count[vcpu_id()][intid]++;
	else if (intid - 32 < BMGUEST_MAX_SPIS)
		spi_count[intid - 32]++;
	write_sysreg(ICC_EOIR1_EL1, intid);
}

/*
 * The check and the WFI run with IRQs masked: an interrupt taken between
 * them would otherwise be handled and leave the WFI waiting for another one
 * (a lost wake-up: the test hung about once in 50 runs under load). A
 * masked WFI still wakes on a pending interrupt, which is then taken.
 */
int wait_count(volatile uint32_t *count, uint32_t before, uint64_t ms)
{
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / 1000 * ms;
	int rc = 0;

	__asm__ volatile("msr daifset, #2" ::: "memory");
	while (*count == before) {
		if (read_cntpct() > end) {
			rc = -1;
			break;
		}
		wfi();
		__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
	}
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	return rc;
}
