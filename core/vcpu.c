/* Guest exits: traps from EL1/EL0 decoded and served, or the fault policy applied. */
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"

#define SCTLR_EL1_RES1 0x30d00800UL /* MMU and caches off */
#define HPFAR_FIPA(h) (((h) >> 4) & 0xffffffffffUL)
#define FAULT_REPORTS_MAX 4 /* per partition; then only the counter grows */

struct vcpu *current_vcpu[CONFIG_NR_CPUS];

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

void partition_fault(struct partition *p, struct vcpu *v, const char *what, uint64_t esr, uint64_t addr)
{
	static const char *const action[] = { "partition stopped", "partition restarted", "system reset" };

	spin_lock(&p->lock);
	uint64_t n = ++p->faults;
	if (p->policy == FAULT_STOP)
		p->state = PART_STOPPED;
	spin_unlock(&p->lock);
	/* A realm's PC is the RMM's to know, not the host's. */
	if (n <= FAULT_REPORTS_MAX && p->kind == RAMPART_KIND_REALM)
		HLOG("partition %s: %s at 0x%lx (ESR 0x%lx, vcpu %u): %s\n", p->name, what, addr, esr, v->id,
		     action[p->policy]);
	else if (n <= FAULT_REPORTS_MAX)
		HLOG("partition %s: %s at 0x%lx (ESR 0x%lx, vcpu %u, PC 0x%lx): %s\n", p->name, what, addr,
		     esr, v->id, v->elr, action[p->policy]);
	else if (n == FAULT_REPORTS_MAX + 1)
		HLOG("partition %s: further faults are counted, not reported\n", p->name);
	if (p->policy == FAULT_RESET_SYSTEM)
		smc1(PSCI_SYSTEM_RESET, 0);
}

static uint64_t esr_il_bytes(uint64_t esr)
{
	return (esr & ESR_IL) ? 4 : 2;
}

const struct mmio_dev *partition_mmio_dev(const struct partition *p, uint64_t ipa)
{
	for (unsigned int i = 0; i < p->nr_mmio; i++) {
		const struct mmio_dev *d = &p->mmio[i];
		if (ipa >= d->base && ipa - d->base < d->size)
			return d;
	}
	return NULL;
}

/* A data abort at an emulated device: returns 0 if served. */
static int mmio_emulate(struct partition *p, struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	const struct mmio_dev *d = partition_mmio_dev(p, ipa);

	if (!(esr & ESR_DABT_ISV) || !d)
		return -1; /* no syndrome (e.g. LDP), or no device: cannot emulate */
	unsigned int size = esr_dabt_size(esr), rt = esr_dabt_rt(esr);
	int write = (esr & ESR_DABT_WNR) != 0;
	uint64_t val = write && rt != GPR_XZR ? v->x[rt] : 0;
	if (d->access(p, v, ipa - d->base, size, write, &val))
		return -1;
	if (!write && rt != GPR_XZR)
		v->x[rt] = esr_dabt_load_value(esr, val);
	v->elr += esr_il_bytes(esr);
	return 0;
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
	p->vgic_gen++;
	spin_unlock(&p->lock);
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		if ((mask & (1U << i)) && i != v->id)
			hyp_kick(p->vcpus[i].pcpu);
	}
	return 0;
}

/* A guest's SGI (ICC_SGI1R_EL1 traps with HCR_EL2.IMO): pend it, kick the targets' CPUs. */
static int sgi_write(struct partition *p, struct vcpu *v, uint64_t esr)
{
	unsigned int rt = ((uint32_t)esr >> ESR_SYSREG_RT_SHIFT) & ESR_SYSREG_RT_MASK;

	if (partition_sgi_write(p, v, esr, rt == GPR_XZR ? 0 : v->x[rt]))
		return -1;
	v->elr += 4;
	return 0;
}

static long handle_sync(struct partition *p, struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);

	switch (esr_ec(esr)) {
	case ESR_EC_SMC64: /* trapped by HCR_EL2.TSC: ELR is the SMC itself */
		v->elr += 4;
		return vpsci_call(p, v);
	case ESR_EC_HVC64: /* ELR is already past the HVC */
		return vpsci_call(p, v);
	case ESR_EC_DABT_LOW: {
		uint64_t ipa = (HPFAR_FIPA(read_sysreg(hpfar_el2)) << 12) | (read_sysreg(far_el2) & 0xfff);
		if (mmio_emulate(p, v, esr, ipa) == 0)
			return 0;
		if ((esr & ESR_FSC_MASK) == ESR_FSC_GPF) {
			/* HCR_EL2.GPF brought it here; HPFAR is not set for it: FAR holds the guest's
			 * address. */
			partition_fault(p, v, "granule protection fault (Realm or Root memory)", esr,
					read_sysreg(far_el2));
			return VCPU_LEAVE_FAULT;
		}
		p->bad_mmio++;
		partition_fault(p, v, "data abort outside its memory and devices", esr, ipa);
		return VCPU_LEAVE_FAULT;
	}
	case ESR_EC_IABT_LOW:
		partition_fault(p, v, "instruction abort", esr,
				(HPFAR_FIPA(read_sysreg(hpfar_el2)) << 12) | (read_sysreg(far_el2) & 0xfff));
		return VCPU_LEAVE_FAULT;
	case ESR_EC_SYSREG:
		if (sgi_write(p, v, esr) == 0)
			return 0;
		partition_fault(p, v, "unhandled system register trap", esr, v->elr);
		return VCPU_LEAVE_FAULT;
	default:
		partition_fault(p, v, "unhandled trap", esr, v->elr);
		return VCPU_LEAVE_FAULT;
	}
}

long vcpu_exit(struct vcpu *v, unsigned int kind)
{
	struct partition *p = v->part;
	long why;

	switch (kind) {
	case VCPU_EXIT_SYNC:
		why = handle_sync(p, v);
		break;
	case VCPU_EXIT_SERROR:
		partition_fault(p, v, "SError", read_sysreg(esr_el2), v->elr);
		return VCPU_LEAVE_FAULT;
	default:
		why = hyp_irq(p, v);
		break;
	}
	if (why == 0)
		vgic_sync(p, v);
	return why;
}
