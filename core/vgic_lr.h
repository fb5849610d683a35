/*
 * A vCPU's list registers, kept in step with the vGIC model (vgic.h): the
 * bookkeeping only, after the design of static partitioning hypervisors
 * that list on arrival and keep only the overflow. Ready interrupts go
 * straight into free list registers; when all are taken, a more urgent
 * interrupt displaces the least urgent one that is still only pending (it
 * goes back to the model, pending), and whatever still does not fit waits
 * in the model for the maintenance interrupt. An interrupt the guest has
 * acknowledged (active) keeps its register until the guest deactivates it.
 *
 * The registers themselves are behind accessors (struct vgic_lr_ops): this
 * CPU's ICH_LR<n>_EL2 for a normal VM, the RecRun page for a realm
 * (core/vgic_hw.c), an array in the unit tests. The functions are inline and
 * take a pointer to a static const vgic_lr_ops, so that the compiler calls
 * (and inlines) the accessors directly: an exit path must not pay for an
 * indirect call per register.
 */
#ifndef CORE_VGIC_LR_H
#define CORE_VGIC_LR_H
#include <stdint.h>
#include <arch/gicv3.h>
#include "vgic.h"

#define VGIC_MAX_LRS 8U
#define VGIC_LR_FREE 0xffffU
#define VGIC_NO_LR VGIC_MAX_LRS

/* What a vCPU has in its list registers. */
struct vgic_lrs {
	uint16_t intid[VGIC_MAX_LRS];
	uint8_t prio[VGIC_MAX_LRS];
	uint8_t state[VGIC_MAX_LRS]; /* VGIC_LR_* as last written or read back */
	uint32_t used;		     /* bit i: list register i holds intid[i] */
	uint32_t overflow;	     /* more was ready than fitted at the last synchronisation */
	uint8_t nr;		     /* list registers the CPU interface has, at most VGIC_MAX_LRS */
	uint8_t prio_mask;	     /* the priority bits it implements */
};

/* A list-register file; ctx is the caller's, passed back. */
struct vgic_lr_ops {
	uint64_t (*read)(void *ctx, unsigned int i);
	void (*write)(void *ctx, unsigned int i, uint64_t lr);
	/* Bits an interrupt's list register carries beyond state, group, priority and vINTID. */
	uint64_t (*extra)(void *ctx, uint32_t intid);
};

static inline void vgic_lrs_reset(struct vgic_lrs *l, unsigned int nr, uint8_t prio_mask)
{
	for (unsigned int i = 0; i < VGIC_MAX_LRS; i++) {
		l->intid[i] = VGIC_LR_FREE;
		l->state[i] = 0;
		l->prio[i] = 0;
	}
	l->used = 0;
	l->overflow = 0;
	l->nr = (uint8_t)(nr < VGIC_MAX_LRS ? nr : VGIC_MAX_LRS);
	l->prio_mask = prio_mask;
}

/* List register i takes intid, pending (the model has it listed already). */
static inline __attribute__((always_inline)) void vgic_lr_load(struct vgic_lrs *l,
							       const struct vgic_lr_ops *f, void *ctx,
							       unsigned int i, uint32_t intid, uint8_t prio)
{
	f->write(ctx, i,
		 (uint64_t)VGIC_LR_PENDING << ICH_LR_STATE_SHIFT | ICH_LR_GROUP1 |
			 (uint64_t)(prio & l->prio_mask) << ICH_LR_PRIO_SHIFT | intid | f->extra(ctx, intid));
	l->intid[i] = (uint16_t)intid;
	l->prio[i] = prio;
	l->state[i] = VGIC_LR_PENDING;
	l->used |= 1U << i;
}

/* List register i has become `now` (VGIC_LR_*) in the model: free it if that is nothing. */
static inline void vgic_lr_settle(struct vgic_lrs *l, unsigned int i, unsigned int now)
{
	l->state[i] = (uint8_t)now;
	if (!now) {
		l->used &= ~(1U << i);
		l->intid[i] = VGIC_LR_FREE;
	}
}

/* The register of the least urgent interrupt that is only pending and less urgent than prio. */
static inline unsigned int vgic_lr_victim(const struct vgic_lrs *l, uint8_t prio)
{
	unsigned int best = VGIC_NO_LR;

	for (uint32_t used = l->used; used; used &= used - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(used);
		if (l->state[i] != VGIC_LR_PENDING || l->prio[i] <= prio)
			continue;
		if (best == VGIC_NO_LR || l->prio[i] > l->prio[best])
			best = i;
	}
	return best;
}

/*
 * With the vGIC's lock held: read back what the guest did with the listed
 * interrupts and make the model's changes to them; give free list registers
 * the most urgent ready interrupts; if none is free, let a more urgent one
 * take the register of the least urgent interrupt that is only pending.
 * Returns 1 if ready interrupts remain that did not fit (the caller asks for
 * a maintenance interrupt), else 0; the same is left in l->overflow.
 */
static inline __attribute__((always_inline)) int
vgic_lr_sync(struct vgic *g, unsigned int vcpu, struct vgic_lrs *l, const struct vgic_lr_ops *f, void *ctx)
{
	uint32_t all = (1U << l->nr) - 1, intid;
	uint8_t prio;

	vgic_clear_notify(g, vcpu);
	for (uint32_t used = l->used; used; used &= used - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(used);
		uint64_t lr = f->read(ctx, i);
		unsigned int was = (unsigned int)(lr >> ICH_LR_STATE_SHIFT);
		unsigned int now = vgic_lr_update(g, vcpu, l->intid[i], was);
		/*
		 * An emptied register that asked for an EOI maintenance (a realm's
		 * timer) keeps that request (ICH_EISR_EL2) and with it the
		 * maintenance interrupt asserted until it is cleared.
		 */
		if (now != was || (!now && (lr & ICH_LR_EOI)))
			f->write(ctx, i,
				 now ? (lr & ~(ICH_LR_STATE_MASK << ICH_LR_STATE_SHIFT)) |
						 (uint64_t)now << ICH_LR_STATE_SHIFT
				     : 0);
		vgic_lr_settle(l, i, now);
	}
	while (vgic_has_ready(g, vcpu) && vgic_next_pending(g, vcpu, &intid, &prio) == 0) {
		uint32_t free = ~l->used & all;
		unsigned int i = free ? (unsigned int)__builtin_ctz(free) : vgic_lr_victim(l, prio);
		if (i == VGIC_NO_LR) {
			l->overflow = 1;
			return 1;
		}
		if (!free)
			vgic_unlist(g, vcpu, l->intid[i], l->state[i]);
		vgic_list(g, vcpu, intid);
		vgic_lr_load(l, f, ctx, i, intid, prio);
	}
	l->overflow = 0;
	return 0;
}

/*
 * With the vGIC's lock held: intid has just arrived for vcpu (a physical
 * interrupt it owns, on its CPU). If the model has no other news for it,
 * the interrupts in `done` (registers the CPU interface reports empty) leave
 * the model and intid goes straight into a free list register: 0. Else -1,
 * with nothing listed: the caller latches intid and synchronises.
 */
static inline __attribute__((always_inline)) int vgic_lr_arrive(struct vgic *g, unsigned int vcpu,
								struct vgic_lrs *l,
								const struct vgic_lr_ops *f, void *ctx,
								uint32_t intid, uint32_t done)
{
	uint8_t prio;

	unsigned int slot = VGIC_NO_LR;

	if (g->notify & (1U << vcpu))
		return -1; /* the model changed other things: a full synchronisation sees to all */
	done &= l->used;
	/* The common case: intid is done with its register (a timer that fires again): it takes it again. */
	for (uint32_t d = done; d; d &= d - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(d);
		if (l->intid[i] == intid) {
			if (vgic_rearrive(g, vcpu, intid, &prio))
				return -1;
			slot = i;
			done &= ~(1U << i);
			break;
		}
	}
	/* Other done interrupts leave the model (no news: nothing changed them); their registers are empty.
	 */
	for (; done; done &= done - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(done);
		vgic_lr_done(g, vcpu, l->intid[i]);
		vgic_lr_settle(l, i, 0);
	}
	if (slot == VGIC_NO_LR) {
		uint32_t free = ~l->used & ((1U << l->nr) - 1);
		if (!free || vgic_arrive(g, vcpu, intid, &prio))
			return -1;
		slot = (unsigned int)__builtin_ctz(free);
	}
	vgic_lr_load(l, f, ctx, slot, intid, prio);
	return 0;
}
#endif
