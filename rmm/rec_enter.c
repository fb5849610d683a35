/*
 * RMI_REC_ENTER (reference §1.10-1.11): check everything the host asks
 * for before anything changes, complete what the last exit left pending
 * (emulated MMIO, SEA injection, RIPAS response, host call), run the REC
 * (rec_exit.c) and write the exit part of the RecRun page.
 *
 * The REC is claimed for the whole call by its granule's refcount (1 =
 * running), not by holding its lock: a second REC_ENTER, REC_DESTROY,
 * PSCI_COMPLETE or RTT_SET_RIPAS on it meanwhile gets ERROR_REC, and the
 * lock order is never at stake while the realm runs.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include "granule.h"
#include "realm.h"
#include "rec_ctx.h"
#include "rec_run.h"
#include "rmm.h"
#include "rmm_arch.h"

/* ICH_LR<n>_EL2 fields (GICv3). */
#define LR_STATE_MASK (3UL << 62)
#define LR_HW (1UL << 61)
#define LR_PRIORITY_SHIFT 48
#define LR_PRIORITY_MASK 0xffUL
#define LR_PINTID_MASK (0x1fffUL << 32)
#define LR_EOI (1UL << 41) /* pINTID bit 41: maintenance interrupt on EOI when HW = 0 */
#define LR_VINTID_MASK 0xffffffffUL
#define GIC_MAX_SPI_INTID 1019UL
#define GIC_MIN_LPI_INTID 8192UL

#define AARCH64_INSN_SIZE 4

static unsigned long check_gic(const struct rmi_rec_enter *e)
{
	unsigned int unimpl_prio_bits = 8 - rec_gic_pri_bits;
	uint64_t max_intid = rec_gic_max_intid;

	if (e->gicv3_hcr & ~REC_ICH_HCR_HOST)
		return RMI_ERROR_REC;
	for (unsigned int i = 0; i < rec_gic_num_lrs; i++) {
		uint64_t lr = e->gicv3_lrs[i];
		if (!(lr & LR_STATE_MASK))
			continue;
		uint64_t prio = (lr >> LR_PRIORITY_SHIFT) & LR_PRIORITY_MASK;
		uint64_t vintid = lr & LR_VINTID_MASK;
		if ((lr & LR_HW) || (prio & ((1UL << unimpl_prio_bits) - 1)) ||
		    (lr & LR_PINTID_MASK & ~LR_EOI))
			return RMI_ERROR_REC;
		if (!(vintid <= GIC_MAX_SPI_INTID || (vintid >= GIC_MIN_LPI_INTID && vintid <= max_intid)))
			return RMI_ERROR_REC;
		for (unsigned int j = 0; j < i; j++) {
			uint64_t other = e->gicv3_lrs[j];
			if ((other & LR_STATE_MASK) && (other & LR_VINTID_MASK) == vintid)
				return RMI_ERROR_REC;
		}
	}
	return RMI_SUCCESS;
}

/*
 * rec_mmio (B4.3.14): EMUL_MMIO without an emulatable abort at the last
 * exit, whatever INJECT_SEA says. INJECT_SEA is never a failure: after any
 * other exit than a data abort at an unprotected IPA it does nothing (A4.2).
 */
static unsigned long check_flags(const struct rec *rec, uint64_t flags)
{
	if ((flags & RMI_REC_ENTER_EMUL_MMIO) && !(rec->pend.mmio_esr & ESR_DABT_ISV))
		return RMI_ERROR_REC;
	return RMI_SUCCESS;
}

/* Complete an emulated MMIO access: a read's value into Rt, then past the instruction. */
static void complete_mmio(struct rec *rec, uint64_t esr, uint64_t val)
{
	unsigned int rt = esr_dabt_rt(esr);

	if (!(esr & ESR_DABT_WNR) && rt != GPR_XZR)
		rec->gprs[rt] = esr_dabt_load_value(esr, val);
	rec->pc += AARCH64_INSN_SIZE;
}

/* RSI_IPA_STATE_SET's answer: how far the host got, and whether it refused. */
static void complete_ripas(struct rec *rec, uint64_t flags)
{
	int reject = (flags & RMI_REC_ENTER_RIPAS_RESPONSE) && rec->ripas.value == RIPAS_RAM &&
		     rec->ripas.addr < rec->ripas.top;

	rec->gprs[1] = rec->ripas.addr;
	rec->gprs[2] = reject ? RSI_REJECT : RSI_ACCEPT;
	rec_rsi_result(rec, RSI_SUCCESS, 2);
	rec->ripas.top = rec->ripas.addr; /* nothing pending */
	rec->pend.ripas_pending = 0;
}

/* Copy the host's answer into the realm's RsiHostCall; 0, or -1 after preparing a fault exit. */
static int complete_host_call(struct rec_run *run, const struct rmi_rec_enter *e)
{
	struct rec *rec = run->rec;
	struct rtt_walk w;
	uint64_t pa;
	int level;
	enum realm_mem m = realm_mem_lock(run, rec->pend.host_call, &w, &pa, &level);

	if (m == REALM_MEM_HOST) {
		rec_exit_host_fault(run, rec->pend.host_call, level);
		return -1;
	}
	if (m == REALM_MEM_OK) {
		struct rsi_host_call *hc =
			(void *)((char *)granule_map(pa) + (rec->pend.host_call & (GRANULE_SIZE - 1)));
		memcpy(hc->gprs, e->gprs, sizeof(hc->gprs));
		rtt_walk_unlock(&w);
		rec_rsi_result(rec, RSI_SUCCESS, 0);
	} else {
		/* The realm gave its own page away meanwhile: nothing to write to. */
		rec_rsi_result(rec, RSI_ERROR_INPUT, 0);
	}
	rec->pend.host_call_pending = 0;
	return 0;
}

#define RUN_OFF(f) ((uint32_t)offsetof(struct rmi_rec_run, f))
/* What REC_ENTER reads of the RecRun page: flags, then gprs through the list registers. */
static const struct ns_span enter_spans[] = {
	{ RUN_OFF(enter.flags), sizeof(uint64_t) },
	{ RUN_OFF(enter.gprs),
	  RUN_OFF(enter.gicv3_lrs) + sizeof(uint64_t) * RMI_REC_RUN_LRS - RUN_OFF(enter.gprs) },
};
/* The defined fields of the exit part (the reserved words between gprs and gicv3_hcr stay zero). */
static const struct ns_span exit_spans[] = {
	{ RUN_OFF(exit.exit_reason), sizeof(uint64_t) },
	{ RUN_OFF(exit.esr), 3 * sizeof(uint64_t) },
	{ RUN_OFF(exit.gprs), RUN_OFF(exit.gicv3_vmcr) + sizeof(uint64_t) - RUN_OFF(exit.gprs) },
	{ RUN_OFF(exit.cntp_ctl), 4 * sizeof(uint64_t) },
	{ RUN_OFF(exit.ripas_base), 3 * sizeof(uint64_t) },
	{ RUN_OFF(exit.imm), sizeof(uint64_t) },
	{ RUN_OFF(exit.pmu_ovf_status), sizeof(uint64_t) },
};
#define NSPANS(s) (sizeof(s) / sizeof((s)[0]))

/* Zero what an exit may leave unset; GIC and timer state is always written (rec_exit_report_state). */
static void zero_exit(struct rmi_rec_exit *x)
{
	x->exit_reason = 0;
	x->esr = x->far = x->hpfar = 0;
	memset(x->gprs, 0, sizeof(x->gprs));
	for (unsigned int i = rec_gic_num_lrs; i < RMI_REC_RUN_LRS; i++)
		x->gicv3_lrs[i] = 0;
	x->ripas_base = x->ripas_top = x->ripas_value = 0;
	x->imm = 0;
	x->pmu_ovf_status = 0;
}

/*
 * The realm's state, and a copy of what REC_ENTER needs of its RD; with the
 * REC locked (rec->rd is stable). RMI_SUCCESS or ERROR_REALM.
 */
static unsigned long realm_checks(struct rec_run *run)
{
	const struct rec *rec = run->rec;
	/*
	 * Without the RD lock: the RD outlives its RECs (refcount), everything
	 * read here but the state is fixed once the realm is ACTIVE, and the
	 * state is one single-copy-atomic word (SYSTEM_OFF may race in from
	 * another REC; either order is a valid serialisation).
	 */
	const struct rd *rd = granule_map(rec->rd);
	uint32_t state = __atomic_load_n(&rd->state, __ATOMIC_ACQUIRE);
	run->rd_pa = rec->rd;
	run->s2 = rd->s2;
	run->rec_count = rd->rec_count;
	run->num_bps = rd->num_bps;
	run->num_wps = rd->num_wps;
	run->hash_algo = rd->hash_algo;

	if (state == REALM_NEW)
		return RMI_RETURN(RMI_ERROR_REALM, 0);
	if (state == REALM_SYSTEM_OFF)
		return RMI_RETURN(RMI_ERROR_REALM, 1);
	return RMI_SUCCESS;
}

/* The REC's own checks, claimed by this CPU, in the specification's order; RMI_SUCCESS or ERROR_REC. */
static unsigned long rec_checks(const struct rec *rec, const struct rmi_rec_enter *e)
{
	if (!rec->runnable)
		return RMI_ERROR_REC;
	unsigned long ret = check_flags(rec, e->flags);
	if (ret == RMI_SUCCESS)
		ret = check_gic(e);
	if (ret == RMI_SUCCESS && rec->psci.pending)
		ret = RMI_ERROR_REC;
	return ret;
}

/* Everything the host's entry asks for, once all of it was found valid. */
static int apply_entry(struct rec_run *run, const struct rmi_rec_enter *e)
{
	struct rec *rec = run->rec;

	for (unsigned int i = 0; i < rec_gic_num_lrs; i++)
		rec->gic.lrs[i] = e->gicv3_lrs[i];
	rec->gic.hcr = e->gicv3_hcr;
	run->enter_flags = e->flags;

	/* A4.2: an SEA for a data abort at an unprotected IPA, and then EMUL_MMIO is ignored. */
	if ((e->flags & RMI_REC_ENTER_INJECT_SEA) && rec->pend.mmio_esr)
		run->inject_sea = 1; /* instead of completing the access */
	else if (e->flags & RMI_REC_ENTER_EMUL_MMIO)
		complete_mmio(rec, rec->pend.mmio_esr, e->gprs[0]);
	rec->pend.mmio_esr = 0;

	if (rec->pend.ripas_pending)
		complete_ripas(rec, e->flags);
	if (rec->pend.host_call_pending)
		return complete_host_call(run, e);
	return 0;
}

/* Release the REC claimed by REC_ENTER. */
static void rec_release(struct granule *g_rec)
{
	granule_lock(g_rec);
	granule_refcount_sub(g_rec, 1);
	granule_unlock(g_rec);
}

void rmi_rec_enter(uint64_t regs[8])
{
	uint64_t rec_pa = regs[1], run_pa = regs[2];
	/* This CPU's copy of the RecRun page (only the spans above), and its REC_ENTER state. */
	static struct rmi_rec_run img[CONFIG_NR_CPUS];
	static struct rec_run runs[CONFIG_NR_CPUS];
	unsigned int cpu = rmm_cpu_index();
	struct rmi_rec_enter *e = &img[cpu].enter;
	struct rec_run *run = &runs[cpu];

	/*
	 * The order of the specification's failure conditions: the RecRun page,
	 * the REC granule, the realm's state, then the REC's. The NS page is
	 * read first, with nothing else locked (granule.h lock order 5).
	 */
	if (ns_granule_read_spans(run_pa, &img[cpu], enter_spans, NSPANS(enter_spans))) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct granule *g_rec = granule_find_lock(rec_pa, GRANULE_REC);
	if (!g_rec) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	run->rec = granule_map(rec_pa);
	run->rec_pa = rec_pa;
	run->fp_loaded = 0;
	run->inject_sea = 0;
	run->exit = &img[cpu].exit;
	unsigned long ret = realm_checks(run);
	if (ret == RMI_SUCCESS && granule_refcount(g_rec) != 0)
		ret = RMI_ERROR_REC; /* running on another CPU */
	if (ret != RMI_SUCCESS) {
		granule_unlock(g_rec);
		regs[0] = ret;
		return;
	}
	granule_refcount_add(g_rec, 1); /* claimed: no other command touches it until released */
	granule_unlock(g_rec);
	ret = rec_checks(run->rec, e);
	if (ret != RMI_SUCCESS) {
		rec_release(g_rec);
		regs[0] = ret;
		return;
	}
	zero_exit(run->exit);
	if (apply_entry(run, e) == 0)
		rec_run_until_exit(run);
	else
		rec_exit_report_state(run); /* a fault exit before the realm ran */
	rec_release(g_rec);
	/*
	 * The host may have delegated the RecRun page meanwhile: then it gets no
	 * exit record, and A4.3.3 "if RMM access to exit causes a GPF then the
	 * RMI_REC_ENTER command fails with RMI_ERROR_INPUT" (the REC ran).
	 */
	if (ns_granule_write_spans(run_pa, &img[cpu], exit_spans, NSPANS(exit_spans)))
		regs[0] = RMI_ERROR_INPUT;
	else
		regs[0] = RMI_SUCCESS;
}
