/*
 * A guest's access to an emulated device (mmio.c): the address dispatch and
 * the vGIC's locked access, inline so that a normal VM's data abort
 * (vcpu.c) reaches the vGIC's register model without another call.
 */
#ifndef CORE_MMIO_H
#define CORE_MMIO_H
#include "partition.h"

enum gic_region { GIC_NONE, GIC_DIST, GIC_REDIST };

/* Which vGIC frame ipa falls in, and the offset in it. */
static inline enum gic_region gic_region(const struct partition *p, uint64_t ipa, uint64_t *off)
{
	const struct rampart_partition *t = p->entry;

	*off = ipa - t->vgic_dist_ipa;
	if (*off < VGIC_DIST_SIZE)
		return GIC_DIST;
	*off = ipa - t->vgic_redist_ipa;
	return *off < (uint64_t)p->nr_vcpus * VGIC_REDIST_STRIDE ? GIC_REDIST : GIC_NONE;
}

/*
 * A normal VM's vCPU reading the vGIC first reads back its own list
 * registers (a realm's were read back at its exit): the guest sees the
 * state they hold. Other vCPUs' listed interrupts show as of their last
 * exit. Only a write or that read-back can give other vCPUs news.
 */
static inline int gic_access(struct partition *p, struct vcpu *v, enum gic_region r, uint64_t off,
			     unsigned int size, int write, uint64_t *val)
{
	uint32_t kicks = 0;
	int rc, news = write;

	spin_lock(&p->lock);
	if (!write && v->lrs.used && p->kind == RAMPART_KIND_VM) {
		kicks = vgic_refresh_locked(p, v);
		news = 1;
	}
	rc = r == GIC_REDIST ? vgic_redist_access(&p->vgic, off, size, write, val)
			     : vgic_dist_access(&p->vgic, off, size, write, val);
	if (news)
		kicks |= vgic_take_kicks(&p->vgic);
	spin_unlock(&p->lock);
	if (kicks)
		partition_kick(p, v, kicks);
	if (write && r == GIC_DIST && rc == 0)
		partition_spi_rerouted(p, off);
	return rc;
}

/* partition_mmio() (partition.h), inline. */
static inline int mmio_access(struct partition *p, struct vcpu *v, uint64_t ipa, unsigned int size, int write,
			      uint64_t *val)
{
	uint64_t off;
	enum gic_region r = gic_region(p, ipa, &off);

	if (r != GIC_NONE)
		return gic_access(p, v, r, off, size, write, val);
	const struct mmio_dev *d = partition_mmio_dev(p, ipa);
	return d ? d->access(p, v, ipa - d->base, size, write, val) : -1;
}
#endif
