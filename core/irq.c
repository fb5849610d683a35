/*
 * The hypervisor's own use of the physical GIC: one SGI to kick another
 * physical CPU out of its guest (a partition changed state), taken as an
 * IRQ exit because HCR_EL2.IMO routes physical IRQs to EL2.
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include "hyp.h"
#include "partition.h"

#define HYP_KICK_SGI 0
#define GICR_FRAME_SIZE 0x20000UL
#define GICR_SGI_BASE 0x10000UL
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x100)
#define GICR_ICACTIVER0 (GICR_SGI_BASE + 0x380)
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define HW_PPIS ((1U << VGIC_PPI_VTIMER) | (1U << VGIC_PPI_PTIMER))
#define GICR_IPRIORITYR(n) (GICR_SGI_BASE + 0x400 + (n))
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SGI1R_IRM BIT(40) /* to every PE but the sender */
#define ICC_INTID_SPURIOUS 1020
#define PRIORITY_ALL 0xff
#define PRIORITY_KICK 0x80

/* The monitor woke the redistributors in CPU order (docs/boot-flow.md). */
void hyp_irq_cpu_init(unsigned int cpu)
{
	uintptr_t rd = CONFIG_GICR_BASE + cpu * GICR_FRAME_SIZE;

	uint32_t shift = 8 * (HYP_KICK_SGI % 4);

	mmio_write32(rd + GICR_IPRIORITYR(HYP_KICK_SGI & ~3U),
		     (mmio_read32(rd + GICR_IPRIORITYR(HYP_KICK_SGI & ~3U)) & ~(0xffU << shift)) |
			     ((uint32_t)PRIORITY_KICK << shift));
	mmio_write32(rd + GICR_ISENABLER0, (1U << HYP_KICK_SGI) | (1U << VGIC_PPI_MAINTENANCE) | HW_PPIS);
	write_sysreg(ICC_PMR_EL1, PRIORITY_ALL);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	vgic_hw_cpu_init();
}

#define GICD_ISENABLER(n) (0x100 + 4 * (n))
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define UART_NS_INTID (32 + CONFIG_UART_NS_SPI)

/* The NS UART's SPI: to this CPU (Aff0 = its index, cluster 0), enabled. */
void hyp_console_irq_init(void)
{
	mmio_write64(CONFIG_GICD_BASE + GICD_IROUTER(UART_NS_INTID), hyp_this_cpu());
	mmio_write32(CONFIG_GICD_BASE + GICD_ISENABLER(UART_NS_INTID / 32), 1U << (UART_NS_INTID % 32));
}

#define GICD_ICACTIVER(n) (0x380 + 4 * (n))

void hyp_route_spi(uint32_t intid, unsigned int cpu)
{
	mmio_write32(CONFIG_GICD_BASE + GICD_ICACTIVER(intid / 32), 1U << (intid % 32));
	mmio_write64(CONFIG_GICD_BASE + GICD_IROUTER(intid), cpu);
	mmio_write32(CONFIG_GICD_BASE + GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

/* After the WFI: acknowledge whatever woke us (the UART, or a stray kick). */
void hyp_console_irq_ack(void)
{
	uint64_t intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	if (intid >= ICC_INTID_SPURIOUS)
		return;
	write_sysreg(ICC_EOIR1_EL1, intid);
	write_sysreg(ICC_DIR_EL1, intid);
}

/* A timer PPI the previous run left active (its guest never deactivated it) would never fire again. */
void hyp_irq_vcpu_reset(void)
{
	uintptr_t rd = CONFIG_GICR_BASE + hyp_this_cpu() * GICR_FRAME_SIZE;

	mmio_write32(rd + GICR_ICACTIVER0, HW_PPIS);
}

/* Every other CPU: a guest's gets an IRQ exit and goes on, a sleeping hypervisor CPU looks again. */
void hyp_kick_others(void)
{
	dsb_ish();
	write_sysreg(ICC_SGI1R_EL1, ((uint64_t)HYP_KICK_SGI << 24) | ICC_SGI1R_IRM);
	isb();
}

/*
 * Sleep until an interrupt is pending, then take it: a hypervisor CPU that
 * waits for its vCPU's CPU_ON or for a lock sleeps (WFI halts it under TCG,
 * where WFE would only yield) and is woken by a kick.
 */
void hyp_wait_irq(void)
{
	wfi();
	(void)hyp_irq_drain();
}

void hyp_kick(unsigned int cpu)
{
	/* Aff0 target list bit; Aff1..3 = 0 (all CPUs are in cluster 0). */
	dsb_ish();
	write_sysreg(ICC_SGI1R_EL1, ((uint64_t)HYP_KICK_SGI << 24) | (1UL << cpu));
	isb();
}

long hyp_irq(struct partition *p, struct vcpu *v)
{
	uint64_t intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	if (intid >= ICC_INTID_SPURIOUS)
		return vcpu_resume(p, v);
	/* EOImode = 1: this only drops the priority. */
	write_sysreg(ICC_EOIR1_EL1, intid);
	/* The guest's timer or device: it deactivates the physical one through the HW list register. */
	if ((intid < 32 && (HW_PPIS & (1U << intid))) || partition_owns_spi(p, (uint32_t)intid))
		return vgic_hw_irq(p, v, (uint32_t)intid);
	if (intid == UART_NS_INTID)
		console_rx(); /* drained before deactivation: the UART's line is a level */
	write_sysreg(ICC_DIR_EL1, intid);
	if (intid == VGIC_PPI_MAINTENANCE)
		return vgic_sync_resume(p, v); /* room in the list registers for what did not fit */
	if (intid == HYP_KICK_SGI && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_RUNNING)
		return VCPU_LEAVE_KICKED;
	return vcpu_resume(p, v); /* a kick: the list registers take what is new */
}

/*
 * After a realm's IRQ exit: take and deactivate everything pending on this
 * CPU (kicks, the maintenance interrupt, a realm timer's PPI, which is low
 * again in the host's context). A realm owns no physical interrupt: its timers
 * reach it as virtual interrupts from the exit's timer state. Returns 1 if
 * one of them was a kick.
 */
int hyp_irq_drain(void)
{
	int kicked = 0;

	for (;;) {
		uint64_t intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (intid >= ICC_INTID_SPURIOUS)
			return kicked;
		write_sysreg(ICC_EOIR1_EL1, intid);
		if (intid == UART_NS_INTID)
			console_rx();
		write_sysreg(ICC_DIR_EL1, intid);
		kicked |= intid == HYP_KICK_SGI;
	}
}
