/*
 * The hypervisor's own use of the physical GIC: one SGI to kick another
 * physical CPU out of its guest (a partition changed state), taken as an
 * IRQ exit because HCR_EL2.IMO routes physical IRQs to EL2.
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include "containment.h"
#include "hyp.h"
#include "partition.h"

#define HYP_KICK_SGI 0
/* The EL2 physical timer (CNTHP, QEMU virt's PPI 10): containment.c's deadlines on this CPU. */
#define HYP_TIMER_PPI 26U
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
	mmio_write32(rd + GICR_ISENABLER0,
		     (1U << HYP_KICK_SGI) | (1U << VGIC_PPI_MAINTENANCE) | HW_PPIS | (1U << HYP_TIMER_PPI));
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

#define GICD_ICENABLER(n) (0x180 + 4 * (n))
#define GICD_ICACTIVER(n) (0x380 + 4 * (n))
#define GICD_IROUTER_FIRST GICD_IROUTER(VGIC_SPI_BASE)
#define GICD_IROUTER_END GICD_IROUTER(VGIC_SPI_BASE + VGIC_MAX_SPIS)
#define GICD_IROUTER_SIZE 8U
#define IROUTER_AFF_ABOVE_0 0xff00ff0000ULL /* Aff3..Aff1: a vCPU's are 0 (vgic.h) */
#define IROUTER_AFF0 0xffULL

void hyp_route_spi(uint32_t intid, unsigned int cpu)
{
	mmio_write32(CONFIG_GICD_BASE + GICD_ICACTIVER(intid / 32), 1U << (intid % 32));
	mmio_write64(CONFIG_GICD_BASE + GICD_IROUTER(intid), cpu);
	mmio_write32(CONFIG_GICD_BASE + GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

void hyp_spi_disable(uint32_t intid)
{
	mmio_write32(CONFIG_GICD_BASE + GICD_ICENABLER(intid / 32), 1U << (intid % 32));
}

void hyp_spi_enable(uint32_t intid)
{
	mmio_write32(CONFIG_GICD_BASE + GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

void partition_spis_quiesce(struct partition *p)
{
	const struct rampart_partition *t = p->entry;

	for (unsigned int i = 0; i < t->nr_spis; i++) {
		hyp_spi_disable(t->spi_intid[i]);
		mmio_write32(CONFIG_GICD_BASE + GICD_ICACTIVER(t->spi_intid[i] / 32),
			     1U << (t->spi_intid[i] % 32));
	}
}

/*
 * An SPI the previous run left active (taken, never deactivated by its guest,
 * or caught by a stop) would never be signalled again: a level still
 * asserted must reach the new run as soon as its guest enables it.
 */
void partition_spis_reset(struct partition *p)
{
	const struct rampart_partition *t = p->entry;

	for (unsigned int i = 0; i < t->nr_spis; i++)
		hyp_route_spi(t->spi_intid[i], t->pcpu[0]);
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		p->vcpus[i].nr_throttled = p->vcpus[i].storm_run = p->vcpus[i].win_throttled = 0;
}

/*
 * The guest routes an SPI it owns (GICD_IROUTER, affinity routing) to one of
 * its vCPUs: the physical SPI follows, to that vCPU's CPU, so that it arrives
 * where its list register will be, even while the vCPU it was on is off. A
 * route to no vCPU of the partition leaves the physical route as it was (the
 * model holds the interrupt until the guest routes it somewhere).
 */
void partition_spi_rerouted(struct partition *p, uint64_t off)
{
	if (off < GICD_IROUTER_FIRST || off >= GICD_IROUTER_END)
		return;
	uint32_t intid = (uint32_t)((off - GICD_IROUTER(0)) / GICD_IROUTER_SIZE);
	if (!partition_owns_spi(p, intid))
		return;
	spin_lock(&p->lock);
	uint64_t route = p->vgic.irouter[intid - VGIC_SPI_BASE];
	spin_unlock(&p->lock);
	if ((route & IROUTER_AFF_ABOVE_0) || (route & IROUTER_AFF0) >= p->nr_vcpus)
		return;
	mmio_write64(CONFIG_GICD_BASE + GICD_IROUTER(intid), p->vcpus[route & IROUTER_AFF0].pcpu);
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
	if (intid < 32 && (HW_PPIS & (1U << intid)))
		return vgic_hw_irq(p, v, (uint32_t)intid);
	if (partition_owns_spi(p, (uint32_t)intid)) {
		long storm = containment_irq(p, v, (uint32_t)intid);
		return storm ? storm : vgic_hw_irq(p, v, (uint32_t)intid);
	}
	if (intid == UART_NS_INTID)
		console_rx(); /* drained before deactivation: the UART's line is a level */
	write_sysreg(ICC_DIR_EL1, intid);
	if (intid == HYP_TIMER_PPI)
		return containment_timer(p, v);
	if (intid == VGIC_PPI_MAINTENANCE)
		return vgic_sync_resume(p, v); /* room in the list registers for what did not fit */
	if (intid == HYP_KICK_SGI && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_RUNNING)
		return VCPU_LEAVE_KICKED;
	return vcpu_resume(p, v); /* a kick: the list registers take what is new */
}

/*
 * A passthrough SPI while this CPU's vCPU is not in its guest (off, waiting,
 * restarting): pending in its partition's model, and left active, so that a
 * level still asserted does not bring it straight back here. The guest's
 * deactivation through the HW list register, once it is listed, releases it
 * and the device's line is sampled again.
 */
static void latch_spi(uint32_t intid)
{
	struct vcpu *v = pcpu_vcpu[hyp_this_cpu()];

	if (!v || !partition_owns_spi(v->part, intid))
		return;
	struct partition *p = v->part;
	spin_lock(&p->lock);
	vgic_set_pending(&p->vgic, 0, intid);
	uint32_t kicks = vgic_take_kicks(&p->vgic);
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
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
		if (intid == HYP_TIMER_PPI)
			containment_timer_idle(); /* a level until silenced; the next entry re-arms it */
		if (intid >= VGIC_SPI_BASE && intid != UART_NS_INTID) {
			latch_spi((uint32_t)intid);
			continue;
		}
		write_sysreg(ICC_DIR_EL1, intid);
		kicked |= intid == HYP_KICK_SGI;
	}
}
