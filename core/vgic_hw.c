/*
 * The vGIC's hardware side. The register model (vgic.c, vgic_state.c) says
 * what is pending; vgic_lr.c keeps a vCPU's list registers in step with it
 * through a list-register file: this CPU's ICH_LR<n>_EL2 for a normal VM's
 * vCPU, the copy in its RecRun page that the RMM loads for a realm's
 * (reference §1.13).
 *
 * A synchronisation costs nothing when nothing changed: each vCPU's notify
 * bit says whether the model has news for it, and ICH_ELRSR_EL2 whether
 * the guest finished with a listed interrupt.
 */
#include <arch/gicv3.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include "hyp.h"
#include "partition.h"

#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE BIT(1)
#define PRIO_BITS_MAX 8U

static unsigned int lr_count; /* list registers this CPU interface has (at most VGIC_MAX_LRS) */
static uint8_t lr_prio_mask;  /* the priority bits it implements */

/* The physical interrupts this partition owns (timer PPIs, passthrough SPIs): HW = 1. */
static inline __attribute__((always_inline)) int is_hw(const struct partition *p, uint32_t intid)
{
	return intid == VGIC_PPI_VTIMER || intid == VGIC_PPI_PTIMER || partition_owns_spi(p, intid);
}

/* This CPU's share of the hypervisor's GIC set-up: split EOI, virtual interface on. */
void vgic_hw_cpu_init(void)
{
	uint64_t vtr = read_sysreg(ICH_VTR_EL2_REG);
	unsigned int n = ICH_VTR_LISTREGS(vtr), bits = ICH_VTR_PRIBITS(vtr);

	lr_count = n < VGIC_MAX_LRS ? n : VGIC_MAX_LRS;
	lr_prio_mask = (uint8_t)(0xffU << (PRIO_BITS_MAX - (bits < PRIO_BITS_MAX ? bits : PRIO_BITS_MAX)));
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) | ICC_CTLR_EOIMODE);
	for (unsigned int i = 0; i < lr_count; i++)
		ich_lr_write(i, 0);
	write_sysreg(ICH_HCR_EL2_REG, ICH_HCR_EN);
	isb();
}

void vgic_vcpu_reset(struct vcpu *v)
{
	for (unsigned int i = 0; i < lr_count; i++)
		ich_lr_write(i, 0);
	vgic_lrs_reset(&v->lrs, lr_count, lr_prio_mask);
	write_sysreg(ICH_HCR_EL2_REG, ICH_HCR_EN);
	isb();
}

static inline __attribute__((always_inline)) uint64_t hw_read(void *ctx, unsigned int i)
{
	(void)ctx;
	return ich_lr_read(i);
}

static inline __attribute__((always_inline)) void hw_write(void *ctx, unsigned int i, uint64_t lr)
{
	(void)ctx;
	ich_lr_write(i, lr);
}

/* The guest deactivates the physical interrupt through the list register. */
static inline __attribute__((always_inline)) uint64_t hw_extra(void *ctx, uint32_t intid)
{
	return is_hw(ctx, intid) ? ICH_LR_HW | (uint64_t)intid << ICH_LR_PINTID_SHIFT : 0;
}

static const struct vgic_lr_ops hw_ops = { hw_read, hw_write, hw_extra };

/* With p->lock held, on v's CPU: returns the vCPUs to kick. */
static uint32_t sync_hw_locked(struct partition *p, struct vcpu *v)
{
	uint32_t was = v->lrs.overflow;

	vgic_lr_sync(&p->vgic, v->id, &v->lrs, &hw_ops, p);
	if (v->lrs.overflow != was)
		write_sysreg(ICH_HCR_EL2_REG, ICH_HCR_EN | (v->lrs.overflow ? ICH_HCR_UIE : 0));
	return vgic_take_kicks(&p->vgic);
}

/* A physical interrupt that cannot go straight into a list register: latched, then a full look. */
static long __attribute__((noinline)) hw_irq_slow(struct partition *p, struct vcpu *v, uint32_t intid)
{
	vgic_set_pending(&p->vgic, v->id, intid);
	uint32_t kicks = sync_hw_locked(p, v);
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
	return 0;
}

/* Nothing here calls out on the common path: the compiler gives it no stack frame. */
long vgic_hw_irq(struct partition *p, struct vcpu *v, uint32_t intid)
{
	spin_lock(&p->lock);
	uint32_t done = v->lrs.used ? (uint32_t)read_sysreg(ICH_ELRSR_EL2_REG) : 0;
	if (vgic_lr_arrive(&p->vgic, v->id, &v->lrs, &hw_ops, p, intid, done))
		return hw_irq_slow(p, v, intid);
	spin_unlock(&p->lock);
	return 0;
}

/*
 * v leaves its guest for good (PSCI CPU_OFF): what its list registers hold
 * goes back to the model, so that an SPI it had listed, even one it was done
 * with, is not taken for listed on an off vCPU (which would keep it from
 * every other vCPU the guest routes it to).
 */
void vgic_vcpu_off(struct partition *p, struct vcpu *v)
{
	spin_lock(&p->lock);
	for (uint32_t used = v->lrs.used; used; used &= used - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(used);
		vgic_unlist(&p->vgic, v->id, v->lrs.intid[i],
			    (unsigned int)(ich_lr_read(i) >> ICH_LR_STATE_SHIFT));
		ich_lr_write(i, 0);
		vgic_lr_settle(&v->lrs, i, 0);
	}
	uint32_t kicks = vgic_take_kicks(&p->vgic);
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
}

uint32_t vgic_refresh_locked(struct partition *p, struct vcpu *v)
{
	return sync_hw_locked(p, v);
}

void vgic_sync(struct partition *p, struct vcpu *v)
{
	spin_lock(&p->lock);
	uint32_t kicks = sync_hw_locked(p, v);
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
}

long vgic_sync_resume(struct partition *p, struct vcpu *v)
{
	vgic_sync(p, v);
	return 0;
}

static inline __attribute__((always_inline)) uint64_t run_read(void *ctx, unsigned int i)
{
	return ((const struct rmi_rec_run *)ctx)->enter.gicv3_lrs[i];
}

static inline __attribute__((always_inline)) void run_write(void *ctx, unsigned int i, uint64_t lr)
{
	((struct rmi_rec_run *)ctx)->enter.gicv3_lrs[i] = lr;
}

/*
 * A realm owns no physical interrupt. Its timers are injected as virtual
 * interrupts while the RMM masks their PPIs: a timer's deactivation must
 * bring the REC out, so that the next entry unmasks the timer it re-armed.
 */
static inline __attribute__((always_inline)) uint64_t run_extra(void *ctx, uint32_t intid)
{
	(void)ctx;
	return intid == VGIC_PPI_VTIMER || intid == VGIC_PPI_PTIMER ? ICH_LR_EOI : 0;
}

static const struct vgic_lr_ops run_ops = { run_read, run_write, run_extra };

void vgic_sync_realm(struct partition *p, struct vcpu *v, int after_exit)
{
	struct rmi_rec_run *run = v->run;
	uint32_t used = v->lrs.used, done = 0;

	/* The RMM gives back what the guest left in the list registers: the next entry starts from it. */
	if (after_exit) {
		for (uint32_t u = used; u; u &= u - 1) {
			unsigned int i = (unsigned int)__builtin_ctz(u);
			run->enter.gicv3_lrs[i] = run->exit.gicv3_lrs[i];
			done |= (run->exit.gicv3_lrs[i] >> ICH_LR_STATE_SHIFT) ? 0 : 1U << i;
		}
	}
	if (!done && !(__atomic_load_n(&p->vgic.notify, __ATOMIC_ACQUIRE) & (1U << v->id)))
		return;
	spin_lock(&p->lock);
	vgic_lr_sync(&p->vgic, v->id, &v->lrs, &run_ops, run);
	uint32_t kicks = vgic_take_kicks(&p->vgic);
	spin_unlock(&p->lock);
	/* Only the host-controlled ICH_HCR bits: the RMM adds En itself. */
	run->enter.gicv3_hcr = v->lrs.overflow ? ICH_HCR_UIE : 0;
	partition_kick(p, v, kicks);
}

void vgic_realm_vcpu_reset(struct vcpu *v)
{
	vgic_lrs_reset(&v->lrs, lr_count, lr_prio_mask);
	memset(&v->run->enter, 0, sizeof(v->run->enter));
}
