/*
 * The GTSI transitions of one granule (gtsi.h). The GPT is read by every
 * PE's granule protection check through the caches and the TLBs, so each
 * GPI change is followed by TLBI RPALOS before anything relies on it, and
 * cache lines tagged with the PAS the granule leaves are cleaned and
 * invalidated (DC CIPAPA) only once no new ones can be made. Every change
 * is also made persistent for the reset scrub (gpt_el3.c): a granule must
 * be recorded as Realm before it can hold anything of a realm.
 */
#include <rampart/smccc.h>
#include "gtsi.h"

static int in_window(const struct gtsi_window *w, uint64_t pa)
{
	return pa >= w->base && pa < w->end;
}

static long err_to_rmm(int rc)
{
	return rc == GPT_ERR_PAS ? E_RMM_BAD_PAS : E_RMM_BAD_ADDR;
}

long gtsi_delegate(struct gpt *g, const struct gtsi_window *w, uint64_t pa)
{
	struct gpt_slot slot;

	if (!in_window(w, pa))
		return E_RMM_BAD_ADDR;
	gtsi_hw_lock();
	int rc = gpt_check_transition(g, pa, GPI_NS, &slot);
	if (rc) {
		gtsi_hw_unlock();
		return err_to_rmm(rc);
	}
	/*
	 * No Realm-PAS clean first: no Realm-tagged line of an NS granule can
	 * exist, because undelegate cleaned them and the GPC refuses Realm
	 * accesses (speculative ones included) while the granule is NS.
	 */
	gpt_slot_set(&slot, GPI_REALM);
	gtsi_hw_persist(slot.entry);
	gtsi_hw_tlbi(pa); /* no PE may keep using the NS GPI from its TLB */
	gtsi_hw_cipapa(pa, GTSI_PAS_NS);
	gtsi_hw_unlock();
	return E_RMM_OK;
}

long gtsi_undelegate(struct gpt *g, const struct gtsi_window *w, uint64_t pa)
{
	struct gpt_slot slot;

	if (!in_window(w, pa)) /* the RMM's own carve-out never becomes NS */
		return E_RMM_BAD_ADDR;
	gtsi_hw_lock();
	int rc = gpt_check_transition(g, pa, GPI_REALM, &slot);
	if (rc) {
		gtsi_hw_unlock();
		return err_to_rmm(rc);
	}
	/* Through NO_ACCESS so no stale Realm write can land in NS memory. */
	gpt_slot_set(&slot, GPI_NO_ACCESS);
	gtsi_hw_tlbi(pa);
	gtsi_hw_cipapa(pa, GTSI_PAS_REALM);
	gtsi_hw_cipapa(pa, GTSI_PAS_NS);
	gpt_slot_set(&slot, GPI_NS);
	gtsi_hw_persist(slot.entry);
	gtsi_hw_tlbi(pa);
	gtsi_hw_unlock();
	return E_RMM_OK;
}
