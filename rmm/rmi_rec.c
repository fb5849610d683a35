/* RMI_REC_CREATE, RMI_REC_DESTROY, RMI_REC_AUX_COUNT, RMI_PSCI_COMPLETE. */
#include <lib/string.h>
#include <rampart/rmi.h>
#include "measure.h"
#include "realm.h"
#include "rec.h"
#include "rmm.h"
#include "rmm_arch.h"

#define MPIDR_AFFINITY_MASK 0xff00ffffffUL

_Static_assert(GRANULE_RD_REFCOUNT_MAX == (1U << RMM_MAX_RECS_ORDER) - 1, "an RD counts its live RECs");
#define PSCI_RESULT(x) ((uint64_t)(x))

/* REC_AUX -> DELEGATED for the first n aux granules (contents zero unless scrub). */
static void release_aux(const uint64_t *aux, uint64_t n, int scrub)
{
	for (uint64_t i = 0; i < n; i++) {
		struct granule *g = granule_find_lock(aux[i], GRANULE_REC_AUX);
		if (!g)
			rmm_panic("REC aux granule 0x%lx lost", (unsigned long)aux[i]);
		if (scrub)
			rmm_granule_scrub(aux[i]);
		granule_set_state(g, GRANULE_DELEGATED);
		granule_unlock(g);
	}
}

/*
 * The checks of REC_CREATE that need the RD, with it and the REC locked, in
 * the specification's order (B4.3.12): realm_state, num_recs, mpidr_index,
 * num_aux. num_recs counts the realm's live RECs (its RD's refcount;
 * REC_DESTROY gives one back), of which there may be 2^MAX_RECS_ORDER - 1.
 */
static unsigned long rec_create_checks(struct granule *g_rd, const struct rd *rd,
				       const struct rmi_rec_params *p)
{
	if (rd->state != REALM_NEW)
		return RMI_ERROR_REALM;
	if (granule_refcount(g_rd) >= (1UL << RMM_MAX_RECS_ORDER) - 1)
		return RMI_ERROR_REALM;
	if (rec_mpidr_to_idx(p->mpidr) != rd->rec_count)
		return RMI_ERROR_INPUT;
	if (p->num_aux != rd->num_rec_aux)
		return RMI_ERROR_INPUT;
	return RMI_SUCCESS;
}

/* Lock the REC (DELEGATED) and the RD, then rec_create_checks(); RMI_SUCCESS with both locked. */
static unsigned long rec_create_lock(uint64_t rd_pa, uint64_t rec_pa, const struct rmi_rec_params *p,
				     struct granule **g_rd, struct granule **g_rec)
{
	if (granule_find_lock_two(rec_pa, GRANULE_DELEGATED, g_rec, rd_pa, GRANULE_RD, g_rd))
		return RMI_ERROR_INPUT;
	unsigned long ret = rec_create_checks(*g_rd, granule_map(rd_pa), p);
	if (ret != RMI_SUCCESS) {
		granule_unlock(*g_rd);
		granule_unlock(*g_rec);
	}
	return ret;
}

void rmi_rec_create(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], rec_pa = regs[2];
	struct rmi_rec_params p; /* the RMM's copy */
	struct granule *g_rd, *g_rec;

	if (ns_granule_read(regs[3], &p, sizeof(p))) {
		regs[0] = RMI_ERROR_INPUT; /* params_align, params_bound, params_pas */
		return;
	}
	/* RmiRecMpidr's reserved bits are SBZ, not a failure condition: RecIndex() ignores them. */
	p.mpidr &= RMI_REC_MPIDR_VALID_MASK;
	/*
	 * rec_*, rd_*, realm_state, num_recs, mpidr_index and num_aux come
	 * before the aux conditions, but the aux granules must be taken with
	 * nothing else locked (granule.h, lock order 1): check, release, take
	 * the aux granules, then lock and check again (the realm may have
	 * changed meanwhile: that answer is as valid).
	 */
	regs[0] = rec_create_lock(rd_pa, rec_pa, &p, &g_rd, &g_rec);
	if (regs[0] != RMI_SUCCESS)
		return;
	granule_unlock(g_rd);
	granule_unlock(g_rec);
	/* aux_align, aux_alias, aux_state: a duplicate, the REC itself or any other state stops here. */
	for (uint64_t i = 0; i < p.num_aux; i++) {
		struct granule *g = granule_find_lock(p.aux[i], GRANULE_DELEGATED);
		if (!g) {
			release_aux(p.aux, i, 0);
			regs[0] = RMI_ERROR_INPUT;
			return;
		}
		granule_set_state(g, GRANULE_REC_AUX);
		granule_unlock(g);
	}
	regs[0] = rec_create_lock(rd_pa, rec_pa, &p, &g_rd, &g_rec);
	if (regs[0] != RMI_SUCCESS) {
		release_aux(p.aux, p.num_aux, 0);
		return;
	}

	/* The REC granule was DELEGATED, so zero: only non-zero fields are set. */
	struct rd *rd = granule_map(rd_pa);
	struct rec *rec = granule_map(rec_pa);
	rec->rd = rd_pa;
	rec->rec_idx = rd->rec_count;
	rec->mpidr = p.mpidr;
	rec->runnable = (p.flags & RMI_REC_FLAGS_RUNNABLE) != 0;
	memcpy(rec->gprs, p.gprs, sizeof(p.gprs));
	rec->pc = p.pc;
	rec->pstate = REC_PSTATE_RESET;
	rec->el1.sctlr_el1 = REC_SCTLR_EL1_RESET;
	rec->vmpidr_el2 = rec_mpidr_to_mpidr(p.mpidr) | VMPIDR_EL2_RES1;
	rec->num_aux = p.num_aux;
	memcpy(rec->aux, p.aux, p.num_aux * sizeof(p.aux[0]));
	if (rec->runnable)
		measure_rec_create(rd, &p);
	rd->rec_count++;
	granule_refcount_add(g_rd, 1);
	granule_set_state(g_rec, GRANULE_REC);
	granule_unlock(g_rd);
	granule_unlock(g_rec);
	regs[0] = RMI_SUCCESS;
}

void rmi_rec_destroy(uint64_t regs[8])
{
	uint64_t rec_pa = regs[1];
	struct granule *g_rec = granule_find_lock(rec_pa, GRANULE_REC);

	if (!g_rec) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	if (granule_refcount(g_rec) != 0) { /* running on another PE */
		granule_unlock(g_rec);
		regs[0] = RMI_ERROR_REC;
		return;
	}
	struct rec *rec = granule_map(rec_pa);
	uint64_t rd_pa = rec->rd;
	rsi_attest_abandon(rec); /* before its aux granules (the signing state) are scrubbed */
	release_aux(rec->aux, rec->num_aux, 1);
	rmm_granule_scrub(rec_pa);
	granule_set_state(g_rec, GRANULE_DELEGATED);
	granule_unlock(g_rec);
	/*
	 * Without the RD lock (lock order): the RD cannot go away while its
	 * count is non-zero, and REALM_DESTROY only ever sees an over-estimate.
	 */
	struct granule *g_rd = granule_find(rd_pa);
	if (!g_rd)
		rmm_panic("REC 0x%lx had no RD", (unsigned long)rec_pa);
	granule_refcount_sub_unlocked(g_rd, 1);
	regs[0] = RMI_SUCCESS;
}

void rmi_rec_aux_count(uint64_t regs[8])
{
	struct rd *rd;
	struct granule *g_rd = rd_lock(regs[1], &rd);

	if (!g_rd) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	regs[1] = rd->num_rec_aux;
	granule_unlock(g_rd);
	regs[0] = RMI_SUCCESS;
}

/* CPU_ON / AFFINITY_INFO completion with both RECs locked; an RMI status. */
static unsigned long psci_complete(struct rec *calling, struct granule *g_target, struct rec *target,
				   uint64_t status)
{
	uint64_t result;

	if (!calling->psci.pending || calling->rd != target->rd)
		return RMI_ERROR_INPUT;
	if ((calling->psci.target_mpidr & MPIDR_AFFINITY_MASK) != (target->vmpidr_el2 & MPIDR_AFFINITY_MASK))
		return RMI_ERROR_INPUT;
	int on = granule_refcount(g_target) != 0 || target->runnable;
	switch (calling->psci.fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		if (status != PSCI_RESULT(PSCI_SUCCESS) && status != PSCI_RESULT(PSCI_DENIED))
			return RMI_ERROR_INPUT;
		/* The host may deny only a CPU that is off. */
		if (status == PSCI_RESULT(PSCI_DENIED) && on)
			return RMI_ERROR_INPUT;
		if (on) {
			result = PSCI_RESULT(PSCI_ALREADY_ON);
		} else if (status == PSCI_RESULT(PSCI_DENIED)) {
			result = PSCI_RESULT(PSCI_DENIED);
		} else {
			/* Reset: EL1h, DAIF masked, MMU off, the caller's endianness. */
			memset(target->gprs, 0, sizeof(target->gprs));
			memset(&target->el1, 0, sizeof(target->el1));
			memset(&target->fp, 0, sizeof(target->fp));
			memset(&target->pend, 0, sizeof(target->pend));
			target->gprs[0] = calling->psci.context_id;
			target->pc = calling->psci.entry;
			target->pstate = REC_PSTATE_RESET;
			target->el1.sctlr_el1 = REC_SCTLR_EL1_RESET |
						(calling->el1.sctlr_el1 & (SCTLR_EL1_EE | SCTLR_EL1_E0E));
			target->runnable = 1;
			result = PSCI_RESULT(PSCI_SUCCESS);
		}
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		if (status != PSCI_RESULT(PSCI_SUCCESS))
			return RMI_ERROR_INPUT;
		result = on ? PSCI_AFF_ON : PSCI_AFF_OFF;
		break;
	default: /* REC_ENTER never leaves another request pending */
		return RMI_ERROR_INPUT;
	}
	calling->gprs[0] = result;
	calling->gprs[1] = calling->gprs[2] = calling->gprs[3] = 0;
	calling->psci.pending = 0;
	return RMI_SUCCESS;
}

void rmi_psci_complete(uint64_t regs[8])
{
	uint64_t calling_pa = regs[1], target_pa = regs[2];
	struct granule *g_calling, *g_target;

	if (granule_find_lock_two(calling_pa, GRANULE_REC, &g_calling, target_pa, GRANULE_REC, &g_target)) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	/* A running REC has no pending PSCI request (and its fields are REC_ENTER's). */
	if (granule_refcount(g_calling) != 0)
		regs[0] = RMI_ERROR_INPUT;
	else
		regs[0] = psci_complete(granule_map(calling_pa), g_target, granule_map(target_pa), regs[3]);
	granule_unlock(g_calling);
	granule_unlock(g_target);
}
