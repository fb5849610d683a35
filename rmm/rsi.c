/*
 * SMCs from a realm (reference §2): RSI 1.0, PSCI 1.1 and SMCCC_VERSION.
 * Each handler reads its arguments from the REC's x1.., writes its results
 * to x0.. and, for RSI, makes the other result registers what RMM 1.0 B1.2
 * and B1.6 say (rec_rsi_result(): failed outputs and non-outputs among
 * x1..x3 zero, x4.. kept). Anything the host must act on (PSCI_CPU_ON,
 * RIPAS changes, host calls) becomes a REC exit; the realm's answer is then
 * completed at the next REC_ENTER or PSCI_COMPLETE.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include <rampart/smccc.h>
#include "granule.h"
#include "measure.h"
#include "realm.h"
#include "rec_run.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "rsi_attest.h"

#define MPIDR_AFFINITY_MASK 0xff00ffffffUL
#define RSI_GPR_WORDS 8 /* x1..x8 carry a 64-byte value */
#define RSI_IPA_STATE_GET_MAX_ENTRIES 64

static void set_ret(struct rec *rec, uint64_t x0)
{
	rec->gprs[0] = x0;
}

/* ---- PSCI (reference §2.4) ---- */

static int psci_fid_supported(uint64_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return 1;
	default:
		return 0;
	}
}

/* A PSCI exit: the FID and, for CPU_ON / AFFINITY_INFO, the target; nothing else. */
static enum rec_action psci_exit(struct rec_run *run, uint64_t fid, uint64_t target)
{
	run->exit->exit_reason = RMI_EXIT_PSCI;
	run->exit->gprs[0] = fid;
	run->exit->gprs[1] = target;
	return REC_EXIT;
}

/* The REC index of an MPIDR_EL1-format target, or -1 if it names no REC of this realm. */
static int64_t psci_target_idx(const struct rec_run *run, uint64_t mpidr)
{
	if (mpidr & ~MPIDR_AFFINITY_MASK)
		return -1;
	uint64_t rmi_mpidr = (mpidr & 0xffffffUL) | ((mpidr >> 32) & 0xffUL) << 24;
	if (rmi_mpidr & ~RMI_REC_MPIDR_VALID_MASK)
		return -1;
	uint64_t idx = rec_mpidr_to_idx(rmi_mpidr);
	return idx < run->rec_count ? (int64_t)idx : -1;
}

static enum rec_action psci_cpu_on(struct rec_run *run, uint64_t fid)
{
	struct rec *rec = run->rec;
	uint64_t target = rec->gprs[1], entry = rec->gprs[2], ctx = rec->gprs[3];
	int64_t idx = psci_target_idx(run, target);

	if (fid == PSCI_CPU_ON_32) {
		target &= 0xffffffffUL;
		entry &= 0xffffffffUL;
		ctx &= 0xffffffffUL;
		idx = psci_target_idx(run, target);
	}
	if (!s2_addr_in_par(&run->s2, entry)) {
		set_ret(rec, (uint64_t)PSCI_INVALID_ADDRESS);
		return REC_RESUME;
	}
	if (idx < 0) {
		set_ret(rec, (uint64_t)PSCI_INVALID_PARAMS);
		return REC_RESUME;
	}
	if ((uint64_t)idx == rec->rec_idx) {
		set_ret(rec, (uint64_t)PSCI_ALREADY_ON);
		return REC_RESUME;
	}
	rec->psci = (struct rec_psci_req){ 1, fid, target, entry, ctx };
	return psci_exit(run, fid, target);
}

static enum rec_action psci_affinity_info(struct rec_run *run, uint64_t fid)
{
	struct rec *rec = run->rec;
	/* lowest_affinity_level is X2[31:0] (B6.3.1; X2[63:32] SBZ) for both conventions. */
	uint64_t target = rec->gprs[1], lowest = rec->gprs[2] & 0xffffffffUL;

	if (fid == PSCI_AFFINITY_INFO_32)
		target &= 0xffffffffUL;
	int64_t idx = psci_target_idx(run, target);
	if (lowest != 0 || idx < 0) {
		set_ret(rec, (uint64_t)PSCI_INVALID_PARAMS);
		return REC_RESUME;
	}
	if ((uint64_t)idx == rec->rec_idx) {
		set_ret(rec, PSCI_AFF_ON);
		return REC_RESUME;
	}
	rec->psci = (struct rec_psci_req){ 1, fid, target, 0, 0 };
	return psci_exit(run, fid, target);
}

static enum rec_action psci_system_off(struct rec_run *run, uint64_t fid)
{
	struct granule *g_rd;
	struct rd *rd = rec_run_rd_lock(run, &g_rd);

	__atomic_store_n(&rd->state, REALM_SYSTEM_OFF, __ATOMIC_RELEASE); /* REC_ENTER reads it unlocked */
	granule_unlock(g_rd);
	return psci_exit(run, fid, 0);
}

static enum rec_action psci_handle(struct rec_run *run, uint64_t fid)
{
	struct rec *rec = run->rec;

	switch (fid) {
	case PSCI_VERSION:
		set_ret(rec, PSCI_VERSION_1_1);
		return REC_RESUME;
	case PSCI_FEATURES:
		set_ret(rec, psci_fid_supported(rec->gprs[1] & 0xffffffffUL) ? (uint64_t)PSCI_SUCCESS
									     : (uint64_t)PSCI_NOT_SUPPORTED);
		return REC_RESUME;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* A standby the host may use to deschedule; the realm just continues. */
		set_ret(rec, PSCI_SUCCESS);
		return psci_exit(run, fid, 0);
	case PSCI_CPU_OFF:
		rec->runnable = 0;
		set_ret(rec, PSCI_SUCCESS);
		return psci_exit(run, fid, 0);
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(run, fid);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(run, fid);
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return psci_system_off(run, fid);
	default:
		set_ret(rec, (uint64_t)PSCI_NOT_SUPPORTED);
		return REC_RESUME;
	}
}

/* ---- RSI (reference §2.1) ---- */

/* A granule-aligned IPA inside the PAR. */
static int ipa_granule_ok(const struct rec_run *run, uint64_t ipa)
{
	return (ipa & (GRANULE_SIZE - 1)) == 0 && s2_addr_in_par(&run->s2, ipa);
}

/*
 * Map the realm page at ipa for the RMM to write; on REALM_MEM_HOST the
 * realm re-executes its SMC after a stage-2 fault exit, on EMPTY or
 * DESTROYED it gets ERROR_INPUT. Returns the action, *ok = 1 when mapped.
 */
static enum rec_action map_realm_page(struct rec_run *run, uint64_t ipa, struct rtt_walk *w, void **va,
				      int *ok)
{
	uint64_t pa;
	int level;

	*ok = 0;
	switch (realm_mem_lock(run, ipa, w, &pa, &level)) {
	case REALM_MEM_OK:
		*va = (char *)granule_map(pa) + (ipa & (GRANULE_SIZE - 1));
		*ok = 1;
		return REC_RESUME;
	case REALM_MEM_HOST:
		run->rec->pc -= 4; /* the SMC runs again once the host has populated the page */
		rec_exit_host_fault(run, ipa, level);
		return REC_EXIT;
	default:
		rec_rsi_result(run->rec, RSI_ERROR_INPUT, 0); /* REALM_CONFIG and HOST_CALL have no outputs */
		return REC_RESUME;
	}
}

static enum rec_action rsi_realm_config(struct rec_run *run)
{
	uint64_t ipa = run->rec->gprs[1];
	struct rtt_walk w;
	void *va;
	int ok;
	uint8_t rpv[RPV_SIZE] __attribute__((aligned(8)));

	if (!ipa_granule_ok(run, ipa)) {
		rec_rsi_result(run->rec, RSI_ERROR_INPUT, 0);
		return REC_RESUME;
	}
	/* The RPV first: the RD lock comes before RTT locks (granule.h). */
	struct granule *g_rd;
	const struct rd *rd = rec_run_rd_lock(run, &g_rd);
	memcpy(rpv, rd->rpv, sizeof(rpv));
	granule_unlock(g_rd);
	enum rec_action a = map_realm_page(run, ipa, &w, &va, &ok);
	if (!ok)
		return a;
	struct rsi_realm_config *cfg = va;
	memset(cfg, 0, sizeof(*cfg));
	cfg->ipa_width = run->s2.ipa_bits;
	cfg->hash_algo = run->hash_algo;
	memcpy(cfg->rpv, rpv, sizeof(cfg->rpv));
	rtt_walk_unlock(&w);
	rec_rsi_result(run->rec, RSI_SUCCESS, 0);
	return REC_RESUME;
}

static enum rec_action rsi_host_call(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t ipa = rec->gprs[1];
	struct rtt_walk w;
	void *va;
	int ok;

	if ((ipa & (RSI_HOST_CALL_SIZE - 1)) || !s2_addr_in_par(&run->s2, ipa)) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, 0);
		return REC_RESUME;
	}
	enum rec_action a = map_realm_page(run, ipa, &w, &va, &ok);
	if (!ok)
		return a;
	const struct rsi_host_call *hc = va;
	run->exit->exit_reason = RMI_EXIT_HOST_CALL;
	run->exit->imm = hc->imm;
	memcpy(run->exit->gprs, hc->gprs, sizeof(hc->gprs));
	rtt_walk_unlock(&w);
	rec->pend.host_call = ipa;
	rec->pend.host_call_pending = 1;
	return REC_EXIT;
}

static enum rec_action rsi_ipa_state_set(struct rec_run *run)
{
	struct rec *rec = run->rec;
	/* ripas is X3[7:0] (B5.3.6; X3[63:8] SBZ). */
	uint64_t base = rec->gprs[1], top = rec->gprs[2], ripas = rec->gprs[3] & 0xffUL, flags = rec->gprs[4];

	if ((base & (GRANULE_SIZE - 1)) || (top & (GRANULE_SIZE - 1)) || base >= top ||
	    !s2_addr_in_par(&run->s2, top - 1) || ripas > RSI_RIPAS_RAM) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, 2);
		return REC_RESUME;
	}
	/* Only RsiRipasChangeFlags bit 0 means anything; the other bits are ignored, as TF-RMM does. */
	rec->ripas = (struct rec_ripas_req){
		base, top, (uint8_t)ripas, (uint8_t)((flags & RSI_CHANGE_DESTROYED) != 0), { 0 }
	};
	rec->pend.ripas_pending = 1;
	run->exit->exit_reason = RMI_EXIT_RIPAS_CHANGE;
	run->exit->ripas_base = base;
	run->exit->ripas_top = top;
	run->exit->ripas_value = ripas;
	return REC_EXIT;
}

static enum rec_action rsi_ipa_state_get(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t base = rec->gprs[1], end = rec->gprs[2];

	if ((base & (GRANULE_SIZE - 1)) || (end & (GRANULE_SIZE - 1)) || base >= end ||
	    !s2_addr_in_par(&run->s2, end - 1)) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, 2);
		return REC_RESUME;
	}
	uint64_t addr = base;
	int first = -1;
	/*
	 * At most RSI_IPA_STATE_GET_MAX_ENTRIES RTT entries per call: a bounded
	 * time with interrupts masked, whatever the range. The answer stays
	 * what the specification asks (base < out_top <= top, one RIPAS in
	 * [base, out_top)); the realm asks again from out_top.
	 */
	for (unsigned int n = 0; addr < end && n < RSI_IPA_STATE_GET_MAX_ENTRIES; n++) {
		struct rtt_walk w;
		/* From the root without the RD lock, as realm_mem_lock() explains. */
		rtt_walk(&run->s2, addr, RTT_PAGE_LEVEL, &w);
		enum rtte_kind k = rtte_kind(rtte_read(rtt_walk_entry(&w)), w.level);
		int ripas = k == RTTE_TABLE ? -1 : (int)rtte_kind_ripas(k);
		uint64_t next = (addr | (rtt_level_size(w.level) - 1)) + 1;
		rtt_walk_unlock(&w);
		if (ripas < 0) /* a table below the walk's reach cannot happen at level 3 */
			rmm_panic("IPA_STATE_GET: table at level %d", w.level);
		if (first < 0)
			first = ripas;
		else if (ripas != first)
			break;
		addr = next < end ? next : end;
	}
	rec->gprs[1] = addr;
	rec->gprs[2] = (uint64_t)first;
	rec_rsi_result(rec, RSI_SUCCESS, 2);
	return REC_RESUME;
}

static enum rec_action rsi_measurement_read(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t slot = rec->gprs[1];

	if (slot >= RSI_MEASUREMENT_SLOTS) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, RSI_GPR_WORDS);
		return REC_RESUME;
	}
	struct granule *g_rd;
	const struct rd *rd = rec_run_rd_lock(run, &g_rd);
	const uint8_t *m = slot == 0 ? rd->rim : rd->rem[slot - 1];
	memcpy(&rec->gprs[1], m, RSI_GPR_WORDS * sizeof(uint64_t));
	granule_unlock(g_rd);
	rec_rsi_result(rec, RSI_SUCCESS, RSI_GPR_WORDS);
	return REC_RESUME;
}

static enum rec_action rsi_measurement_extend(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t slot = rec->gprs[1], size = rec->gprs[2];
	uint8_t data[RSI_MEASUREMENT_MAX_SIZE];

	if (slot == 0 || slot >= RSI_MEASUREMENT_SLOTS || size > RSI_MEASUREMENT_MAX_SIZE) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, 0);
		return REC_RESUME;
	}
	memcpy(data, &rec->gprs[3], sizeof(data));
	struct granule *g_rd;
	struct rd *rd = rec_run_rd_lock(run, &g_rd);
	measure_rem_extend_rd(rd, (unsigned int)slot - 1, data, size);
	granule_unlock(g_rd);
	rec_rsi_result(rec, RSI_SUCCESS, 0);
	return REC_RESUME;
}

static enum rec_action rsi_version(struct rec_run *run)
{
	struct rec *rec = run->rec;

	/* lower and higher are defined with RSI_ERROR_INPUT too (B5.3.10); x3 is no output. */
	rec->gprs[0] = rec->gprs[1] == RSI_ABI_VERSION ? RSI_SUCCESS : RSI_ERROR_INPUT;
	rec->gprs[1] = RSI_ABI_VERSION;
	rec->gprs[2] = RSI_ABI_VERSION;
	rec->gprs[3] = 0;
	return REC_RESUME;
}

enum rec_action rsi_handle(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t fid = rec->gprs[0];

	if ((fid >> 32) == 0 && (fid & SMCCC_FAST_CALL))
		fid &= ~(uint64_t)SMCCC_SVE_HINT;
	switch (fid) {
	case SMCCC_VERSION:
		set_ret(rec, SMCCC_VERSION_1_2);
		return REC_RESUME;
	case RSI_VERSION:
		return rsi_version(run);
	case RSI_FEATURES:
		rec->gprs[1] = 0; /* no optional feature in RSI 1.0 */
		rec_rsi_result(rec, RSI_SUCCESS, 1);
		return REC_RESUME;
	case RSI_MEASUREMENT_READ:
		return rsi_measurement_read(run);
	case RSI_MEASUREMENT_EXTEND:
		return rsi_measurement_extend(run);
	case RSI_ATTESTATION_TOKEN_INIT:
		return rsi_attest_init(run);
	case RSI_ATTESTATION_TOKEN_CONTINUE:
		return rsi_attest_continue(run);
	case RSI_REALM_CONFIG:
		return rsi_realm_config(run);
	case RSI_IPA_STATE_SET:
		return rsi_ipa_state_set(run);
	case RSI_IPA_STATE_GET:
		return rsi_ipa_state_get(run);
	case RSI_HOST_CALL:
		return rsi_host_call(run);
	default: /* PSCI, or NOT_SUPPORTED (SMC_UNKNOWN) for anything else */
		return psci_handle(run, fid);
	}
}
