/*
 * A realm's memory after it runs: what it shares, what it takes back, what
 * it asks to change. The hypervisor decides with RMI_RTT_READ_ENTRY what
 * state a page is in; it never looks at realm memory.
 *
 * Shared memory comes from the realm's own RAM. When the realm makes a page
 * EMPTY (Linux does it for its swiotlb bounce buffers at boot) and then
 * touches that page's unprotected alias, the host destroys the private page
 * (DATA_DESTROY), takes the granule back (UNDELEGATE: the RMM scrubs it) and
 * maps that same granule in the alias (RTT_MAP_UNPROTECTED). A page made RAM
 * again goes the other way on its first protected touch. So a realm needs no
 * NS memory beyond its RAM, and the RTTs of both halves were budgeted by the
 * partition compiler (realm-metadata).
 *
 * RIPAS policy (RMI_EXIT_RIPAS_CHANGE): RAM inside the realm's RAM regions is
 * accepted up to the end of the region it starts in, the rest rejected;
 * EMPTY inside its RAM regions is accepted; EMPTY anywhere else is a
 * misbehaviour (it is EMPTY already and the host would spend RTTs on it):
 * the fault policy applies.
 */
#include <rampart/rsi.h>
#include "hyp.h"
#include "partition.h"
#include "realm.h"

static const struct part_mem *ram_of(const struct partition *p, uint64_t ipa)
{
	for (unsigned int i = 0; i < p->nr_mem; i++)
		if (ipa >= p->mem[i].ipa && ipa - p->mem[i].ipa < p->mem[i].size)
			return &p->mem[i];
	return NULL;
}

static int ok(struct rmi_ret r)
{
	return r.status == RMI_SUCCESS;
}

/* The level-3 entry at ipa: 1 with its state and RIPAS, 0 if the walk stops above level 3. */
static int page_entry(struct partition *p, uint64_t ipa, uint64_t *state, uint64_t *ripas)
{
	struct rmi_ret e = rmi_call(RMI_RTT_READ_ENTRY, p->realm.rd, ipa, REALM_RTT_PAGE_LEVEL, 0, 0);

	*state = e.x2;
	*ripas = e.x4;
	return ok(e) && e.x1 == REALM_RTT_PAGE_LEVEL;
}

int realm_unprotected_fault(struct partition *p, uint64_t ipa)
{
	uint64_t u = p->realm.geo.unprotected, page = (ipa & ~u) & ~(REALM_GRANULE - 1), state, ripas;
	const struct part_mem *m = ram_of(p, page);

	if (!m)
		return REALM_MEM_FAULT;
	if (!page_entry(p, page, &state, &ripas))
		return REALM_MEM_FAULT; /* RAM always has level-3 tables: the realm is confused */
	if (ripas != RMI_EMPTY)
		return REALM_MEM_SEA; /* still private: its alias is not the realm's to use */
	uint64_t pa = m->pa + (page - m->ipa);
	if (state == RMI_ASSIGNED) {
		struct rmi_ret d = rmi_call(RMI_DATA_DESTROY, p->realm.rd, page, 0, 0, 0);
		if (!ok(d) || d.x1 != pa || !ok(rmi_call(RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0)))
			return REALM_MEM_FAULT;
	}
	struct rmi_ret r = realm_rtt_op(p, RMI_RTT_MAP_UNPROTECTED, p->realm.rd, page | u,
					REALM_RTT_PAGE_LEVEL, pa | REALM_NS_DESC_ATTRS, 0, page | u);
	if (!ok(r))
		return REALM_MEM_FAULT;
	p->realm.counts.shared_pages++;
	return REALM_MEM_DONE;
}

int realm_protected_fault(struct partition *p, uint64_t ipa)
{
	uint64_t u = p->realm.geo.unprotected, page = ipa & ~(REALM_GRANULE - 1), state, ripas;
	const struct part_mem *m = ram_of(p, page);

	if (!m || !page_entry(p, page, &state, &ripas))
		return REALM_MEM_FAULT;
	if (state == RMI_ASSIGNED)
		return REALM_MEM_DONE; /* populated meanwhile (by another vCPU's exit) */
	if (ripas != RMI_RAM)
		return REALM_MEM_FAULT; /* DESTROYED or EMPTY: the RMM would not have asked */
	/* RAM again after it was shared: the granule leaves the alias and becomes private. */
	uint64_t pa = m->pa + (page - m->ipa);
	(void)rmi_call(RMI_RTT_UNMAP_UNPROTECTED, p->realm.rd, page | u, REALM_RTT_PAGE_LEVEL, 0, 0);
	if (!ok(rmi_call(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0)))
		return REALM_MEM_FAULT;
	struct rmi_ret r = realm_rtt_op(p, RMI_DATA_CREATE_UNKNOWN, p->realm.rd, pa, page, 0, 0, page);
	if (!ok(r))
		return REALM_MEM_FAULT;
	if (p->realm.counts.shared_pages)
		p->realm.counts.shared_pages--;
	return REALM_MEM_DONE;
}

int realm_ripas_change(struct partition *p, struct vcpu *v, uint64_t base, uint64_t top, uint64_t ripas)
{
	const struct part_mem *m = ram_of(p, base);

	if (!m) {
		p->realm.counts.rejected_ripas++;
		return ripas == RSI_RIPAS_RAM ? REALM_RIPAS_REJECT : REALM_RIPAS_FAULT;
	}
	uint64_t end = m->ipa + m->size < top ? m->ipa + m->size : top;
	while (base < end) {
		struct rmi_ret r =
			realm_rtt_op(p, RMI_RTT_SET_RIPAS, p->realm.rd, v->rec, base, end, 0, base);
		if (!ok(r) || r.x1 <= base)
			break;
		base = r.x1;
	}
	if (base < top) {
		p->realm.counts.rejected_ripas++;
		/* An EMPTY request that runs on past RAM stops at its end: the next one starts outside. */
		return ripas == RSI_RIPAS_RAM ? REALM_RIPAS_REJECT : REALM_RIPAS_ACCEPT;
	}
	return REALM_RIPAS_ACCEPT;
}
