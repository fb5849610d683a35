/*
 * Running a realm vCPU: RMI_REC_ENTER in a loop on its pinned CPU, every REC
 * exit served (reference cca-interfaces.md §1.10-1.14):
 *   SYNC        emulated MMIO in the unprotected alias (virtual UART, GIC
 *               distributor and redistributors), shared and unpopulated
 *               memory (realm_mem.c), guest SGIs (ICC_SGI1R);
 *   IRQ/FIQ     the host's own interrupts (kicks, maintenance); virtual
 *               interrupts go back in the RecRun list registers;
 *   PSCI        CPU_ON / AFFINITY_INFO completed with PSCI_COMPLETE, CPU_OFF,
 *               SYSTEM_OFF, SYSTEM_RESET;
 *   RIPAS_CHANGE, HOST_CALL (doorbells), SERROR.
 * The realm's WFI is not trapped: it waits in the realm for a physical
 * interrupt (a kick, its own timer), which is an IRQ exit. Anything else is a
 * fault, handled by the partition's policy.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rsi.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"
#include "realm.h"

#define HPFAR_FIPA_MASK 0x00000ffffffffff0UL
#define HPFAR_TO_IPA_SHIFT 8
#define FAR_PAGE_OFFSET 0xfffUL
#define TIMER_ASSERTED_MASK 7UL /* CNTx_CTL: ENABLE, IMASK, ISTATUS */
#define TIMER_ASSERTED 5UL	/* ENABLE and ISTATUS, not IMASK */
/*
 * REC_ENTER's answer once another REC's PSCI SYSTEM_OFF or SYSTEM_RESET made
 * the realm SYSTEM_OFF (RMM 1.0 RMI_REC_ENTER, failure condition realm_state: ERROR_REALM, index 1).
 * That REC's vCPU stops or restarts the partition; this one waits like a vCPU
 * that was kicked.
 */
#define REC_ENTER_REALM_OFF RMI_RETURN(RMI_ERROR_REALM, 1)

void realm_vcpu_reset(struct vcpu *v)
{
	v->run = realm_run_page(v->part, v->id);
	v->enter_flags = 0;
	vgic_realm_vcpu_reset(v);
	hyp_irq_vcpu_reset();
}

static uint64_t exit_ipa(const struct rmi_rec_exit *x)
{
	return ((x->hpfar & HPFAR_FIPA_MASK) << HPFAR_TO_IPA_SHIFT) | (x->far & FAR_PAGE_OFFSET);
}

/*
 * The virtual timers are level-sensitive: pending in the model while the exit
 * says asserted and no list register holds them, so that one the guest has
 * deactivated but not re-armed is listed again (the exit's list registers
 * were read back already: a listed timer is one the guest is not done with).
 */
static void timer_levels(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	const struct {
		uint64_t ctl;
		unsigned int intid;
	} t[2] = { { x->cntv_ctl, VGIC_PPI_VTIMER }, { x->cntp_ctl, VGIC_PPI_PTIMER } };
	uint32_t kicks = 0;

	for (unsigned int i = 0; i < 2; i++) {
		int asserted = (t[i].ctl & TIMER_ASSERTED_MASK) == TIMER_ASSERTED;
		/* The unlocked look only saves the lock on the common exit; the decision is made under it. */
		if (asserted == vgic_is_pending(&p->vgic, v->id, t[i].intid) ||
		    vgic_is_listed(&p->vgic, v->id, t[i].intid))
			continue;
		spin_lock(&p->lock);
		if (!vgic_is_listed(&p->vgic, v->id, t[i].intid) &&
		    asserted != vgic_is_pending(&p->vgic, v->id, t[i].intid)) {
			if (asserted)
				vgic_set_pending(&p->vgic, v->id, t[i].intid);
			else
				vgic_clear_pending(&p->vgic, v->id, t[i].intid);
		}
		kicks |= vgic_take_kicks(&p->vgic);
		spin_unlock(&p->lock);
	}
	partition_kick(p, v, kicks);
}

/* A data abort the RMM could not resolve: emulated device, shared memory, or not the realm's. */
static long data_abort(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	uint64_t ipa = exit_ipa(x), u = p->realm.geo.unprotected;
	struct rmi_rec_run *run = v->run;
	int rc;

	if (ipa & u) {
		int write = (x->esr & ESR_DABT_WNR) != 0;
		uint64_t val = write ? x->gprs[0] : 0;
		if ((x->esr & ESR_DABT_ISV) &&
		    partition_mmio(p, v, ipa & ~u, esr_dabt_size(x->esr), write, &val) == 0) {
			p->realm.counts.mmio_exits++;
			run->enter.gprs[0] = val;
			v->enter_flags |= RMI_REC_ENTER_EMUL_MMIO;
			return 0;
		}
		/* A device that refused, or an access without a syndrome: not emulated. */
		uint64_t off;
		int dev = partition_mmio_find(p, ipa & ~u, &off) != NULL;
		p->bad_mmio += dev;
		rc = dev ? REALM_MEM_SEA : realm_unprotected_fault(p, ipa);
	} else {
		rc = realm_protected_fault(p, ipa);
	}
	if (rc == REALM_MEM_DONE) {
		p->realm.counts.memory_exits++;
		return 0;
	}
	if (rc == REALM_MEM_SEA) {
		/* Legal for the realm to ask, wrong for it to do (an access that cannot be emulated). */
		v->enter_flags |= RMI_REC_ENTER_INJECT_SEA;
		return 0;
	}
	partition_fault(p, v, "realm access outside its memory and devices", x->esr, ipa);
	return VCPU_LEAVE_FAULT;
}

static long sync_exit(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	switch (esr_ec(x->esr)) {
	case ESR_EC_DABT_LOW:
		return data_abort(p, v, x);
	case ESR_EC_IABT_LOW:
		if (realm_protected_fault(p, exit_ipa(x)) == REALM_MEM_DONE)
			return 0;
		partition_fault(p, v, "realm instruction fetch outside its RAM", x->esr, exit_ipa(x));
		return VCPU_LEAVE_FAULT;
	case ESR_EC_SYSREG:
		if (partition_sgi_write(p, v, x->esr, x->gprs[0]) == 0)
			return 0;
		partition_fault(p, v, "unhandled realm system register exit", x->esr, 0);
		return VCPU_LEAVE_FAULT;
	default:
		partition_fault(p, v, "unhandled realm exit", x->esr, 0);
		return VCPU_LEAVE_FAULT;
	}
}

static struct vcpu *vcpu_of_mpidr(struct partition *p, uint64_t mpidr)
{
	return (mpidr & ~MPIDR_AFF_MASK) || mpidr >= p->nr_vcpus ? NULL : &p->vcpus[mpidr];
}

/* CPU_ON and AFFINITY_INFO are the RMM's to answer once the host has said its word. */
static long psci_complete(struct partition *p, struct vcpu *v, uint64_t fid, uint64_t mpidr)
{
	struct vcpu *t = vcpu_of_mpidr(p, mpidr);
	int cpu_on = fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64;

	if (!t || !t->rec) {
		partition_fault(p, v, "realm PSCI request for a vCPU the RMM does not know", fid, mpidr);
		return VCPU_LEAVE_FAULT;
	}
	spin_lock(&p->lock);
	uint32_t state = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
	/* A stopping partition starts nothing new; the RMM accepts a denial only for a CPU that is off. */
	uint64_t status = cpu_on && p->state != PART_RUNNING && state == VCPU_OFF ? (uint64_t)PSCI_DENIED
										  : (uint64_t)PSCI_SUCCESS;
	struct rmi_ret r = rmi_call(RMI_PSCI_COMPLETE, v->rec, t->rec, status, 0, 0);
	int wake = 0;
	if (r.status == RMI_SUCCESS && cpu_on && status == (uint64_t)PSCI_SUCCESS) {
		if (state == VCPU_OFF) {
			t->entry = t->ctx_id = 0; /* the RMM holds the target's entry point and context id */
			__atomic_store_n(&t->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
			wake = 1;
		} else if (state == VCPU_RUNNING) {
			t->cpu_on_raced = 1; /* ALREADY_ON, or its CPU_OFF is on its way: see vcpu.h */
		}
	}
	spin_unlock(&p->lock);
	if (r.status != RMI_SUCCESS) {
		partition_fault(p, v, "PSCI_COMPLETE refused", r.status, mpidr);
		return VCPU_LEAVE_FAULT;
	}
	if (wake)
		vcpu_wake(t);
	return 0;
}

static long psci_exit(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	uint64_t fid = x->gprs[0] & 0xffffffffUL;

	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return psci_complete(p, v, fid, x->gprs[1]);
	case PSCI_CPU_OFF:
		return VCPU_LEAVE_OFF;
	case PSCI_SYSTEM_OFF:
		return VCPU_LEAVE_SYSTEM_OFF;
	case PSCI_SYSTEM_RESET:
		return VCPU_LEAVE_SYSTEM_RESET;
	default: /* CPU_SUSPEND: a notification; the realm goes on */
		return 0;
	}
}

static long host_call(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	struct rmi_rec_run *run = v->run;
	uint64_t ret;

	p->realm.counts.host_calls++;
	if (x->imm == RAMPART_HOST_CALL_DOORBELL) {
		ret = (uint64_t)doorbell_ring(p, x->gprs[0]);
	} else {
		p->realm.counts.unknown_host_calls++;
		ret = (uint64_t)SMC_UNKNOWN;
	}
	memcpy(run->enter.gprs, x->gprs, sizeof(run->enter.gprs));
	run->enter.gprs[0] = ret;
	return 0;
}

static long handle_exit(struct partition *p, struct vcpu *v, const struct rmi_rec_exit *x)
{
	switch (x->exit_reason) {
	case RMI_EXIT_SYNC:
		return sync_exit(p, v, x);
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
		p->realm.counts.irq_exits++;
		if (hyp_irq_drain() && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_RUNNING)
			return VCPU_LEAVE_KICKED;
		return 0;
	case RMI_EXIT_PSCI:
		p->realm.counts.psci_exits++;
		return psci_exit(p, v, x);
	case RMI_EXIT_RIPAS_CHANGE: {
		int rc = realm_ripas_change(p, v, x->ripas_base, x->ripas_top, x->ripas_value);
		p->realm.counts.ripas_changes++;
		if (rc == REALM_RIPAS_FAULT) {
			partition_fault(p, v, "realm RIPAS change outside its RAM", x->ripas_value,
					x->ripas_base);
			return VCPU_LEAVE_FAULT;
		}
		v->enter_flags |= rc == REALM_RIPAS_REJECT ? RMI_REC_ENTER_RIPAS_RESPONSE : 0;
		return 0;
	}
	case RMI_EXIT_HOST_CALL:
		return host_call(p, v, x);
	case RMI_EXIT_SERROR:
		partition_fault(p, v, "realm SError", x->esr, 0);
		return VCPU_LEAVE_FAULT;
	default:
		partition_fault(p, v, "unknown REC exit reason", x->exit_reason, 0);
		return VCPU_LEAVE_FAULT;
	}
}

long realm_vcpu_run(struct partition *p, struct vcpu *v)
{
	struct rmi_rec_run *run = v->run;

	for (;;) {
		if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_RUNNING)
			return VCPU_LEAVE_KICKED;
		vgic_sync_realm(p, v, 0);
		run->enter.flags = v->enter_flags;
		v->enter_flags = 0;
		struct rmi_ret r = rmi_call(RMI_REC_ENTER, v->rec, (uint64_t)run, 0, 0, 0);
		if (r.status == REC_ENTER_REALM_OFF)
			return VCPU_LEAVE_KICKED; /* the REC that did it exits with the PSCI request */
		if (v->probe_entry) {
			v->probe_entry = 0;
			/* Not runnable: the raced CPU_ON was answered ALREADY_ON; the vCPU is off. */
			if (RMI_RETURN_STATUS(r.status) == RMI_ERROR_REC)
				return VCPU_LEAVE_OFF;
		}
		if (r.status != RMI_SUCCESS) {
			partition_fault(p, v, "RMI_REC_ENTER refused", r.status, v->rec);
			return VCPU_LEAVE_FAULT;
		}
		p->realm.counts.exits++;
		vgic_sync_realm(p, v, 1);
		timer_levels(p, v, &run->exit);
		long why = handle_exit(p, v, &run->exit);
		if (why)
			return why;
	}
}
