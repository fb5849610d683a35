/*
 * The vGIC's hardware side: the list registers of the CPU interface this
 * physical CPU runs its vCPU on. The register model (vgic.c) says what is
 * pending; this file moves the most urgent interrupts into list registers
 * before every guest entry and reads back what the guest acknowledged.
 * An interrupt that sits in a list register counts as active in the model,
 * so vgic_next_pending() does not offer it twice. A realm's vCPU has no list
 * registers of its own here: they travel in its RecRun page (vgic_sync_realm).
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include "hyp.h"
#include "partition.h"

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_NPIE BIT(3) /* maintenance IRQ when no list register is pending */
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_MASK 3UL
#define ICH_LR_PENDING (1UL << ICH_LR_STATE_SHIFT)
#define ICH_LR_HW BIT(61)
#define ICH_LR_GROUP1 BIT(60)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_EOI BIT(41) /* HW = 0: maintenance interrupt when the guest deactivates it */
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE BIT(1)

/* The list registers by number (system register names need constants). */
static uint64_t lr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(S3_4_C12_C12_0);
	case 1:
		return read_sysreg(S3_4_C12_C12_1);
	case 2:
		return read_sysreg(S3_4_C12_C12_2);
	case 3:
		return read_sysreg(S3_4_C12_C12_3);
	case 4:
		return read_sysreg(S3_4_C12_C12_4);
	case 5:
		return read_sysreg(S3_4_C12_C12_5);
	case 6:
		return read_sysreg(S3_4_C12_C12_6);
	default:
		return read_sysreg(S3_4_C12_C12_7);
	}
}

static void lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0:
		write_sysreg(S3_4_C12_C12_0, v);
		break;
	case 1:
		write_sysreg(S3_4_C12_C12_1, v);
		break;
	case 2:
		write_sysreg(S3_4_C12_C12_2, v);
		break;
	case 3:
		write_sysreg(S3_4_C12_C12_3, v);
		break;
	case 4:
		write_sysreg(S3_4_C12_C12_4, v);
		break;
	case 5:
		write_sysreg(S3_4_C12_C12_5, v);
		break;
	case 6:
		write_sysreg(S3_4_C12_C12_6, v);
		break;
	default:
		write_sysreg(S3_4_C12_C12_7, v);
		break;
	}
}

static unsigned int nr_lrs(void)
{
	unsigned int n = (unsigned int)(read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
	return n < VCPU_MAX_LRS ? n : VCPU_MAX_LRS;
}

static struct vgic_bank *bank_of(struct vgic *g, unsigned int vcpu, uint32_t intid, uint32_t *bit)
{
	*bit = 1U << (intid % 32);
	if (intid < VGIC_NR_PRIVATE)
		return &g->cpu[vcpu].priv;
	return &g->spi[(intid - VGIC_SPI_BASE) / 32];
}

/* The physical interrupts this partition owns (timer PPIs, passthrough SPIs): HW = 1. */
static int is_hw(const struct partition *p, uint32_t intid)
{
	return intid == VGIC_PPI_VTIMER || intid == VGIC_PPI_PTIMER || partition_owns_spi(p, intid);
}

/* This CPU's share of the hypervisor's GIC set-up: split EOI, virtual interface on. */
void vgic_hw_cpu_init(void)
{
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) | ICC_CTLR_EOIMODE);
	for (unsigned int i = 0; i < nr_lrs(); i++)
		lr_write(i, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
}

void vgic_vcpu_reset(struct vcpu *v)
{
	for (unsigned int i = 0; i < nr_lrs(); i++) {
		lr_write(i, 0);
		v->lr_intid[i] = VCPU_LR_FREE;
	}
	v->lr_used = 0;
	v->vgic_gen = 0;
	isb();
}

/*
 * A list-register file: this CPU's own registers (normal VMs) or the copy in
 * a RecRun page that the RMM loads for a REC (realms, reference §1.13).
 */
struct lr_file {
	uint64_t (*read)(void *ctx, unsigned int i);
	void (*write)(void *ctx, unsigned int i, uint64_t v);
	void *ctx;
	int hw; /* physical interrupts may be linked (HW = 1); else a timer LR asks for an EOI maintenance */
};

/*
 * Retire the interrupts the guest has taken, list the most urgent pending
 * ones in free registers; returns 1 if more are pending than fit (with p->lock).
 */
static int lr_update(struct partition *p, struct vcpu *v, const struct lr_file *f)
{
	unsigned int n = nr_lrs(), i;
	struct vgic *g = &p->vgic;
	uint32_t bit, intid;
	uint8_t prio;

	for (i = 0; i < n; i++) {
		if (v->lr_intid[i] == VCPU_LR_FREE)
			continue;
		if (((f->read(f->ctx, i) >> ICH_LR_STATE_SHIFT) & ICH_LR_STATE_MASK) == 0) {
			/* Acknowledged and deactivated by the guest. */
			bank_of(g, v->id, v->lr_intid[i], &bit)->active &= ~bit;
			v->lr_intid[i] = VCPU_LR_FREE;
			v->lr_used--;
		}
	}
	for (i = 0; i < n; i++) {
		if (v->lr_intid[i] != VCPU_LR_FREE)
			continue;
		if (vgic_next_pending(g, v->id, &intid, &prio))
			break;
		struct vgic_bank *b = bank_of(g, v->id, intid, &bit);
		b->pending &= ~bit;
		b->active |= bit;
		uint64_t lr = ICH_LR_PENDING | ICH_LR_GROUP1 | ((uint64_t)prio << ICH_LR_PRIO_SHIFT) | intid;
		if (f->hw && is_hw(p, intid))
			lr |= ICH_LR_HW | ((uint64_t)intid << ICH_LR_PINTID_SHIFT);
		else if (!f->hw && (intid == VGIC_PPI_VTIMER || intid == VGIC_PPI_PTIMER))
			/*
			 * A realm's timer is injected as a virtual interrupt while the RMM
			 * masks its PPI: its deactivation must bring the REC out, so that
			 * the next entry unmasks the timer the guest has re-armed.
			 */
			lr |= ICH_LR_EOI;
		f->write(f->ctx, i, lr);
		v->lr_intid[i] = (uint16_t)intid;
		v->lr_used++;
	}
	/* All full: refill when the guest has taken what is listed. */
	return i == n && vgic_next_pending(g, v->id, &intid, &prio) == 0;
}

static uint64_t hw_read(void *ctx, unsigned int i)
{
	(void)ctx;
	return lr_read(i);
}

static void hw_write(void *ctx, unsigned int i, uint64_t v)
{
	(void)ctx;
	lr_write(i, v);
}

void vgic_sync(struct partition *p, struct vcpu *v)
{
	static const struct lr_file hw = { hw_read, hw_write, NULL, 1 };

	/* The common exit: nothing listed, nothing new since the last look. */
	if (!v->lr_used && __atomic_load_n(&p->vgic_gen, __ATOMIC_ACQUIRE) == v->vgic_gen)
		return;
	spin_lock(&p->lock);
	v->vgic_gen = p->vgic_gen;
	int overflow = lr_update(p, v, &hw);
	spin_unlock(&p->lock);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (overflow ? ICH_HCR_NPIE : 0));
	isb();
}

static uint64_t run_read(void *ctx, unsigned int i)
{
	return ((const struct rmi_rec_run *)ctx)->enter.gicv3_lrs[i];
}

static void run_write(void *ctx, unsigned int i, uint64_t v)
{
	((struct rmi_rec_run *)ctx)->enter.gicv3_lrs[i] = v;
}

void vgic_sync_realm(struct partition *p, struct vcpu *v)
{
	struct rmi_rec_run *run = v->run;
	struct lr_file f = { run_read, run_write, run, 0 };
	unsigned int n = nr_lrs();

	/* The RMM gives back what the guest left in the list registers: the next entry starts from it. */
	for (unsigned int i = 0; i < n; i++)
		run->enter.gicv3_lrs[i] = v->lr_intid[i] == VCPU_LR_FREE ? 0 : run->exit.gicv3_lrs[i];
	if (!v->lr_used && __atomic_load_n(&p->vgic_gen, __ATOMIC_ACQUIRE) == v->vgic_gen) {
		run->enter.gicv3_hcr = 0;
		return;
	}
	spin_lock(&p->lock);
	v->vgic_gen = p->vgic_gen;
	int overflow = lr_update(p, v, &f);
	spin_unlock(&p->lock);
	/* Only the host-controlled ICH_HCR bits: the RMM adds En itself. */
	run->enter.gicv3_hcr = overflow ? ICH_HCR_NPIE : 0;
}

void vgic_realm_vcpu_reset(struct vcpu *v)
{
	for (unsigned int i = 0; i < VCPU_MAX_LRS; i++)
		v->lr_intid[i] = VCPU_LR_FREE;
	v->lr_used = 0;
	v->vgic_gen = 0;
	memset(&v->run->enter, 0, sizeof(v->run->enter));
}
