/*
 * Realm memory the RMM itself reads or writes for the realm (RsiHostCall,
 * RsiRealmConfig, attestation tokens): found through the realm's RTTs, so
 * only pages the realm owns (protected, RIPAS RAM, backed by DATA) are
 * ever touched.
 */
#include "granule.h"
#include "realm.h"
#include "rec_run.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "s2tt.h"

struct rd *rec_run_rd_lock(const struct rec_run *run, struct granule **g_rd)
{
	struct rd *rd;

	*g_rd = rd_lock(run->rd_pa, &rd);
	if (!*g_rd) /* the running REC holds a reference on its RD */
		rmm_panic("running REC 0x%lx lost its RD", (unsigned long)run->rec_pa);
	return rd;
}

enum realm_mem realm_mem_lock(struct rec_run *run, uint64_t ipa, struct rtt_walk *w, uint64_t *pa, int *level)
{
	/*
	 * No RD lock: the running REC holds a reference on its RD, so its root
	 * RTTs stay RTTs; a thread that holds nothing may start at a root (no
	 * lock is held that a lock-order cycle could close on).
	 */
	rtt_walk(&run->s2, ipa & ~(GRANULE_SIZE - 1), RTT_PAGE_LEVEL, w);

	uint64_t e = rtte_read(rtt_walk_entry(w));
	enum rtte_kind k = rtte_kind(e, w->level);
	*level = w->level;
	if (k == RTTE_ASSIGNED_RAM) {
		uint64_t in_block = ipa & (rtt_level_size(w->level) - 1) & ~(GRANULE_SIZE - 1);
		*pa = rtte_pa(e, w->level) + in_block;
		return REALM_MEM_OK;
	}
	rtt_walk_unlock(w);
	if (k == RTTE_UNASSIGNED_RAM)
		return REALM_MEM_HOST;
	if (k == RTTE_UNASSIGNED_DESTROYED || k == RTTE_ASSIGNED_DESTROYED)
		return REALM_MEM_DESTROYED;
	return REALM_MEM_EMPTY;
}
