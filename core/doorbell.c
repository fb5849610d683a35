/*
 * Shared-memory doorbells: a partition rings the other peer of a region
 * with the hypervisor call RAMPART_HVC_DOORBELL (SMCCC vendor-specific
 * hypervisor service), x1 = the region's `rampart,id` from its DTB. The
 * peer's doorbell SPI becomes pending in its vGIC and the vCPU it is routed
 * to is kicked. Returns 0, or SMCCC_INVALID_PARAMETER for a region the
 * caller is not a peer of or whose peer has no doorbell.
 */
#include <rampart/partition.h>
#include "hyp.h"
#include "partition.h"

long doorbell_ring(struct partition *p, uint64_t shm_id)
{
	const struct rampart_partition_table *pt = partition_table;

	if (!pt || shm_id >= pt->nr_shm)
		return DOORBELL_INVALID;
	const struct rampart_shm *s = &pt->shm[shm_id];
	unsigned int other;
	if (s->peer[0] == p->id)
		other = 1;
	else if (s->peer[1] == p->id)
		other = 0;
	else
		return DOORBELL_INVALID;
	uint32_t intid = s->doorbell_intid[other];
	if (!intid || s->peer[other] >= nr_partitions)
		return DOORBELL_INVALID;
	struct partition *peer = &partitions[s->peer[other]];

	spin_lock(&peer->lock);
	uint32_t kicks = partition_pend_spi(peer, intid);
	spin_unlock(&peer->lock);
	partition_kick(peer, NULL, kicks);
	return 0;
}
