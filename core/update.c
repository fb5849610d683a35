/*
 * The update hypervisor calls (lib/include/rampart/update.h,
 * docs/secure-boot.md): only the partition the tree names as the update
 * authority (RAMPART_PART_UPDATE_AUTHORITY) reaches the monitor's update
 * calls; any other partition gets DENIED and nothing is forwarded. A
 * write's buffer must lie in one RAM region of the authority, whose PA the
 * monitor then reads (the monitor checks it is Non-secure, and the bounds
 * in the bank). Results come back in x0..x4 as the monitor gave them.
 */
#include <arch/smc.h>
#include <rampart/update.h>
#include "hyp.h"
#include "partition.h"

int update_is_hvc(uint32_t fid)
{
	return fid >= RAMPART_HVC_UPDATE_INFO && fid <= RAMPART_HVC_UPDATE_CONFIRM;
}

long update_hvc(struct partition *p, struct vcpu *v)
{
	uint32_t fid = (uint32_t)v->x[0];
	struct smc_args a = { { fid - RAMPART_HVC_UPDATE_INFO + RAMPART_SMC_UPDATE_INFO, 0, 0, 0, 0, 0, 0,
				0 } };

	if (!(p->entry->flags & RAMPART_PART_UPDATE_AUTHORITY) || p->kind != RAMPART_KIND_VM) {
		p->unknown_smc++; /* counted, never logged: a partition cannot flood the console */
		v->x[0] = (uint64_t)UPDATE_DENIED;
		return vcpu_resume(p, v);
	}
	if (fid == RAMPART_HVC_UPDATE_WRITE) {
		a.x[1] = v->x[1];
		a.x[3] = v->x[3];
		if (v->x[3] > UPDATE_WRITE_MAX || partition_ram_pa(p, v->x[2], v->x[3], &a.x[2])) {
			v->x[0] = (uint64_t)UPDATE_INVALID;
			return vcpu_resume(p, v);
		}
	}
	smc_call(&a);
	for (unsigned int i = 0; i < 5; i++)
		v->x[i] = a.x[i];
	return vcpu_resume(p, v);
}
