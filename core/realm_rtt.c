/*
 * The RMI helpers a realm's build (realm_build.c) and its exit handling
 * (realm_mem.c) share: metadata granules from the partition's own range,
 * and operations that create the RTTs they are missing. Nothing here
 * touches the CPU, so the RMI fuzz target runs it on the host against the
 * real RMM (tests/fuzz/fuzz_realm_host.c).
 */
#include <rampart/smccc.h>
#include "partition.h"
#include "realm.h"

#define RTT_CREATE_TRIES 4 /* one per missing level below the start level, and the call itself */

static int ok(struct rmi_ret r)
{
	return r.status == RMI_SUCCESS;
}

uint64_t realm_meta_delegated(struct partition *p)
{
	struct realm *r = &p->realm;
	uint64_t pa = r->meta_next;

	if (pa >= r->meta_end)
		return 0;
	if (!ok(rmi_call(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0)))
		return 0;
	r->meta_next += REALM_GRANULE;
	return pa;
}

struct rmi_ret realm_rtt_op(struct partition *p, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			    uint64_t a4, uint64_t a5, uint64_t ipa)
{
	struct rmi_ret ret;

	for (unsigned int tries = 0; tries < RTT_CREATE_TRIES; tries++) {
		ret = rmi_call(fid, a1, a2, a3, a4, a5);
		if (RMI_RETURN_STATUS(ret.status) != RMI_ERROR_RTT)
			return ret;
		/* The walk stopped at this level: the RTT of the next level down is missing. */
		unsigned int level = (unsigned int)RMI_RETURN_INDEX(ret.status);
		if (level >= REALM_RTT_PAGE_LEVEL || (int)level < p->realm.geo.start_level)
			return ret; /* the entry itself is in the way */
		uint64_t rtt = realm_meta_delegated(p);
		if (!rtt)
			return ret;
		struct rmi_ret c = rmi_call(RMI_RTT_CREATE, p->realm.rd, rtt,
					    ipa & ~(RTT_ENTRY_SIZE(level) - 1), level + 1, 0);
		if (!ok(c))
			return c;
	}
	return ret;
}
