/*
 * A guest's access to an emulated device, after its exit was decoded (a
 * normal VM's data abort in vcpu.c, a realm's REC exit in realm_run.c):
 * the vGIC's distributor and redistributors are found by address at once,
 * the other devices in the partition's table. Register decoding stays with
 * each device model (vgic.c, vuart.c).
 */
#include <stddef.h>
#include "mmio.h"

const struct mmio_dev *partition_mmio_dev(const struct partition *p, uint64_t ipa)
{
	for (unsigned int i = 0; i < p->nr_mmio; i++) {
		const struct mmio_dev *d = &p->mmio[i];
		if (ipa >= d->base && ipa - d->base < d->size)
			return d;
	}
	return NULL;
}

int vgic_mmio_dist(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		   uint64_t *val)
{
	return gic_access(p, v, GIC_DIST, off, size, write, val);
}

int vgic_mmio_redist(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		     uint64_t *val)
{
	return gic_access(p, v, GIC_REDIST, off, size, write, val);
}

mmio_access_fn partition_mmio_find(const struct partition *p, uint64_t ipa, uint64_t *off)
{
	switch (gic_region(p, ipa, off)) {
	case GIC_DIST:
		return vgic_mmio_dist;
	case GIC_REDIST:
		return vgic_mmio_redist;
	default: {
		const struct mmio_dev *d = partition_mmio_dev(p, ipa);
		if (!d)
			return NULL;
		*off = ipa - d->base;
		return d->access;
	}
	}
}

int partition_mmio(struct partition *p, struct vcpu *v, uint64_t ipa, unsigned int size, int write,
		   uint64_t *val)
{
	return mmio_access(p, v, ipa, size, write, val);
}
