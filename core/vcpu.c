/*
 * Guest exits: traps from EL1/EL0 decoded and served, or the fault policy
 * applied. The common exits go straight to their handler from one switch on
 * the exception class (guest_entry.S saved only what they can need): PSCI
 * and SMCCC calls, emulated MMIO (mmio.c finds the device), ICC_SGI1R and
 * physical interrupts. WFI and WFE are not trapped at all.
 */
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "mmio.h"

#define SCTLR_EL1_RES1 0x30d00800UL /* MMU and caches off */
#define HPFAR_FIPA(h) (((h) >> 4) & 0xffffffffffUL)
#define FAULT_REPORTS_MAX 4 /* per partition; then only the counter grows */

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	memset(v->x, 0, sizeof(v->x));
	v->x[0] = x0;
	v->elr = entry;
	v->spsr = SPSR_EL1H_DAIF;
	/* One vCPU per physical CPU: EL1 state is the guest's alone; start it clean. */
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(vbar_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(vmpidr_el2, (1UL << 31) | v->id);
	vgic_vcpu_reset(v);
	hyp_irq_vcpu_reset();
}

#define REPORT_MAX 192	      /* one report line: the detail and the action */
#define BACKOFF_SHIFT_MAX 16U /* the doubling stops long before the cap is exceeded */

/*
 * The restart limit and back-off are decided here, before the report, so
 * that its one line says what happens: "restarted in 200 ms (restart 2 of
 * 3)", or that the limit stops the partition for good.
 */
void partition_fault_as(struct partition *p, struct vcpu *v, enum fault_policy policy, const char *detail,
			int always_report)
{
	static const char *const action[] = { "partition stopped", "partition restarted", "system reset" };
	char what[REPORT_MAX];
	uint32_t k = 0, limit_hit = 0;

	spin_lock(&p->lock);
	uint64_t n = ++p->faults;
	v->backoff_ms = 0;
	if (policy == FAULT_RESTART && p->restart_limit && p->fault_restarts >= p->restart_limit) {
		policy = FAULT_STOP;
		limit_hit = 1;
	} else if (policy == FAULT_RESTART) {
		k = ++p->fault_restarts;
		if (p->restart_backoff_ms) {
			uint64_t d = (uint64_t)p->restart_backoff_ms
				     << (k - 1 < BACKOFF_SHIFT_MAX ? k - 1 : BACKOFF_SHIFT_MAX);
			v->backoff_ms = (uint32_t)(d < RAMPART_RESTART_BACKOFF_MAX_MS
							   ? d
							   : RAMPART_RESTART_BACKOFF_MAX_MS);
		}
	}
	if (policy == FAULT_STOP)
		p->state = PART_STOPPED;
	v->leave_policy = policy;
	spin_unlock(&p->lock);
	if (limit_hit)
		snprintf(what, sizeof(what), "restart limit (%u) reached: partition stopped for good",
			 p->restart_limit);
	else if (k && p->restart_limit && v->backoff_ms)
		snprintf(what, sizeof(what), "partition restarted in %u ms (restart %u of %u)", v->backoff_ms,
			 k, p->restart_limit);
	else if (k && p->restart_limit)
		snprintf(what, sizeof(what), "partition restarted (restart %u of %u)", k, p->restart_limit);
	else if (k && p->restart_backoff_ms)
		snprintf(what, sizeof(what), "partition restarted in %u ms (restart %u)", v->backoff_ms, k);
	else
		snprintf(what, sizeof(what), "%s", action[policy]);
	/* The limit's line goes out whatever the count: it is the partition's last. */
	if (always_report || limit_hit || n <= FAULT_REPORTS_MAX)
		HLOG("partition %s: %s: %s\n", p->name, detail, what);
	else if (n == FAULT_REPORTS_MAX + 1)
		HLOG("partition %s: further faults are counted, not reported\n", p->name);
	if (policy == FAULT_RESET_SYSTEM)
		smc1(PSCI_SYSTEM_RESET, 0);
}

void partition_fault(struct partition *p, struct vcpu *v, const char *what, uint64_t esr, uint64_t addr)
{
	char detail[REPORT_MAX];

	/* A realm's PC is the RMM's to know, not the host's. */
	if (p->kind == RAMPART_KIND_REALM)
		snprintf(detail, sizeof(detail), "%s at 0x%lx (ESR 0x%lx, vcpu %u)", what, addr, esr, v->id);
	else
		snprintf(detail, sizeof(detail), "%s at 0x%lx (ESR 0x%lx, vcpu %u, PC 0x%lx)", what, addr,
			 esr, v->id, v->elr);
	partition_fault_as(p, v, p->policy, detail, 0);
}

/* Past the trapped instruction: ELR_EL2 stays live while a synchronous exit is served. */
static void skip_insn(uint64_t esr)
{
	/* 2 bytes, plus 2 more if IL (bit 25) says 32 bits: no branch. */
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 2 + ((esr >> (ESR_IL_SHIFT - 1)) & 2));
}

/* Before the fault policy looks at the vCPU: the PC and PSTATE the exit left in ELR/SPSR. */
static void take_pc(struct vcpu *v)
{
	v->elr = read_sysreg(elr_el2);
	v->spsr = read_sysreg(spsr_el2);
}

#define GPR_FIRST_CALLEE_SAVED 19
#define GPR_LAST_CALLEE_SAVED 29
#define HPFAR_PAGE_SHIFT 12
#define FAR_PAGE_OFFSET 0xfffUL

/* VCPU_RESUME_ALL when an emulated load went to x19..x29, which the exit path does not reload by itself. */
static long load_resume(unsigned int rt)
{
	return rt >= GPR_FIRST_CALLEE_SAVED && rt <= GPR_LAST_CALLEE_SAVED ? VCPU_RESUME_ALL : 0;
}

static uint64_t fault_ipa(void)
{
	return (HPFAR_FIPA(read_sysreg(hpfar_el2)) << HPFAR_PAGE_SHIFT) |
	       (read_sysreg(far_el2) & FAR_PAGE_OFFSET);
}

static long __attribute__((noinline)) dabt_fault(struct vcpu *v, uint64_t esr)
{
	struct partition *p = v->part;

	take_pc(v);
	if ((esr & ESR_FSC_MASK) == ESR_FSC_GPF) {
		/* HCR_EL2.GPF brought it here; HPFAR is not set for it: FAR holds the guest's address. */
		partition_fault(p, v, "granule protection fault (Realm or Root memory)", esr,
				read_sysreg(far_el2));
		return VCPU_LEAVE_FAULT;
	}
	p->bad_mmio++;
	partition_fault(p, v, "data abort outside its memory and devices", esr, fault_ipa());
	return VCPU_LEAVE_FAULT;
}

/*
 * An emulated access (syndrome valid) to device region r (mmio.h) at off:
 * one function for the vGIC, whose frames are found by address, and one for
 * the rest, so that the data abort's decoding needs no frame of its own.
 */
static inline long dabt_emulate(struct vcpu *v, uint64_t esr, enum gic_region r, uint64_t off, uint64_t ipa)
{
	struct partition *p = v->part;
	unsigned int rt = esr_dabt_rt(esr);
	int write = (esr & ESR_DABT_WNR) != 0, rc;
	uint64_t val = write && rt != GPR_XZR ? v->x[rt] : 0;

	if (r != GIC_NONE) {
		rc = gic_access(p, v, r, off, esr_dabt_size(esr), write, &val);
	} else {
		const struct mmio_dev *d = partition_mmio_dev(p, ipa);
		rc = d ? d->access(p, v, ipa - d->base, esr_dabt_size(esr), write, &val) : -1;
	}
	if (rc)
		return dabt_fault(v, esr);
	skip_insn(esr);
	if (write || rt == GPR_XZR)
		return vcpu_resume(p, v);
	v->x[rt] = esr_dabt_load_value(esr, val);
	return vcpu_resume(p, v) ?: load_resume(rt);
}

static long __attribute__((noinline)) dabt_gic(struct vcpu *v, uint64_t esr, enum gic_region r, uint64_t off)
{
	return dabt_emulate(v, esr, r, off, 0);
}

static long __attribute__((noinline)) dabt_dev(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	return dabt_emulate(v, esr, GIC_NONE, 0, ipa);
}

static long __attribute__((noinline)) dabt_exit(struct vcpu *v, uint64_t esr)
{
	uint64_t ipa = fault_ipa(), off;

	if (!(esr & ESR_DABT_ISV))
		return dabt_fault(v, esr); /* no syndrome (e.g. LDP): cannot emulate */
	enum gic_region r = gic_region(v->part, ipa, &off);
	return r != GIC_NONE ? dabt_gic(v, esr, r, off) : dabt_dev(v, esr, ipa);
}

#define ISS_ICC_SGI1R ESR_SYSREG_KEY(3U, 0U, 12U, 11U, 5U)
#define ISS_ICC_ASGI1R ESR_SYSREG_KEY(3U, 0U, 12U, 11U, 6U)

int partition_sgi_write(struct partition *p, struct vcpu *v, uint64_t esr, uint64_t val)
{
	uint32_t iss = (uint32_t)esr & ESR_SYSREG_KEY_MASK;
	uint32_t mask = 0;

	if ((esr & ESR_SYSREG_READ) || (iss != ISS_ICC_SGI1R && iss != ISS_ICC_ASGI1R))
		return -1;
	spin_lock(&p->lock);
	vgic_sgi(&p->vgic, v->id, val, &mask);
	uint32_t kicks = vgic_take_kicks(&p->vgic);
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
	return 0;
}

/* The exit is served: unless the vCPU leaves, bring its list registers up to date. */
static long resume(struct partition *p, struct vcpu *v, long why)
{
	if (why <= 0 && vgic_sync_needed(p, v))
		vgic_sync(p, v);
	return why;
}

long vcpu_exit_call(struct vcpu *v)
{
	return vpsci_call(v->part, v);
}

/* A guest's SGI (ICC_SGI1R_EL1 traps with HCR_EL2.IMO): pend it, kick the targets' CPUs. */
static long __attribute__((noinline)) sysreg_exit(struct vcpu *v, uint64_t esr)
{
	struct partition *p = v->part;
	unsigned int rt = ((uint32_t)esr >> ESR_SYSREG_RT_SHIFT) & ESR_SYSREG_RT_MASK;

	if (partition_sgi_write(p, v, esr, rt == GPR_XZR ? 0 : v->x[rt]) == 0) {
		skip_insn(esr);
		return resume(p, v, 0);
	}
	take_pc(v);
	partition_fault(p, v, "unhandled system register trap", esr, v->elr);
	return VCPU_LEAVE_FAULT;
}

static long __attribute__((noinline)) other_exit(struct vcpu *v, uint64_t esr)
{
	struct partition *p = v->part;

	take_pc(v);
	if (esr_ec(esr) == ESR_EC_IABT_LOW)
		partition_fault(p, v, "instruction abort", esr,
				(HPFAR_FIPA(read_sysreg(hpfar_el2)) << HPFAR_PAGE_SHIFT) |
					(read_sysreg(far_el2) & FAR_PAGE_OFFSET));
	else
		partition_fault(p, v, "unhandled trap", esr, v->elr);
	return VCPU_LEAVE_FAULT;
}

/* Classify once, then go straight to the handler (each a tail call: this one needs no frame). */
long vcpu_exit_sync(struct vcpu *v, uint64_t esr)
{
	switch (esr_ec(esr)) {
	case ESR_EC_DABT_LOW:
		return dabt_exit(v, esr);
	case ESR_EC_SYSREG:
		return sysreg_exit(v, esr);
	default:
		return other_exit(v, esr);
	}
}

long vcpu_exit_irq(struct vcpu *v)
{
	return hyp_irq(v->part, v);
}

long vcpu_exit(struct vcpu *v, unsigned int kind)
{
	struct partition *p = v->part;

	if (kind == VCPU_EXIT_SERROR) {
		partition_fault(p, v, "SError", read_sysreg(esr_el2), v->elr);
		return VCPU_LEAVE_FAULT;
	}
	return vcpu_exit_irq(v); /* FIQ: nothing routes one to a guest; take what is pending */
}
