/*
 * PSCI 1.1 as a partition sees it: its own vCPUs only (MPIDR Aff0 = vCPU
 * index), SYSTEM_OFF/RESET act on the partition, not the machine.
 */
#include <arch/sysreg.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"

static const uint32_t supported[] = {
	PSCI_VERSION,	       PSCI_CPU_OFF,	PSCI_CPU_ON_32,	   PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32,
	PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,  SMCCC_VERSION,
};

static int is_supported(uint32_t fid)
{
	for (unsigned int i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		if (supported[i] == fid)
			return 1;
	}
	return 0;
}

static struct vcpu *target_vcpu(struct partition *p, uint64_t mpidr)
{
	if (mpidr & ~MPIDR_AFF_MASK || mpidr >= p->nr_vcpus)
		return 0;
	return &p->vcpus[mpidr];
}

static long cpu_on(struct partition *p, uint64_t mpidr, uint64_t entry, uint64_t ctx_id)
{
	struct vcpu *t = target_vcpu(p, mpidr);
	long rc = PSCI_SUCCESS;

	if (!t)
		return PSCI_INVALID_PARAMS;
	if (!partition_ipa_is_ram(p, entry) || (entry & 3))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&p->lock);
	if (t->state == VCPU_RUNNING)
		rc = PSCI_ALREADY_ON;
	else if (t->state == VCPU_ON_PENDING)
		rc = PSCI_ON_PENDING;
	else if (p->state != PART_RUNNING)
		rc = PSCI_DENIED;
	else {
		t->entry = entry;
		t->ctx_id = ctx_id;
		/* Release: the target reads entry and ctx_id after it sees ON_PENDING. */
		__atomic_store_n(&t->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	}
	spin_unlock(&p->lock);
	if (rc == PSCI_SUCCESS)
		vcpu_wake(t);
	return rc;
}

static long affinity_info(struct partition *p, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = target_vcpu(p, mpidr);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMS;
	uint32_t s = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
	return s == VCPU_RUNNING ? PSCI_AFF_ON : s == VCPU_ON_PENDING ? PSCI_AFF_ON_PENDING : PSCI_AFF_OFF;
}

long vpsci_call(struct partition *p, struct vcpu *v)
{
	uint32_t fid = (uint32_t)v->x[0];
	uint64_t a1 = v->x[1], a2 = v->x[2], a3 = v->x[3];
	long rc;

	if (v->x[0] >> 32) {
		v->x[0] = (uint64_t)SMC_UNKNOWN;
		return 0;
	}
	if (!(fid & SMCCC_SMC64)) {
		a1 &= 0xffffffffU;
		a2 &= 0xffffffffU;
		a3 &= 0xffffffffU;
	}
	switch (fid) {
	case SMCCC_VERSION:
		rc = SMCCC_VERSION_1_2;
		break;
	case PSCI_VERSION:
		rc = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		rc = is_supported((uint32_t)a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		rc = cpu_on(p, a1, a2, a3);
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		rc = affinity_info(p, a1, a2);
		break;
	case PSCI_CPU_OFF:
		return VCPU_LEAVE_OFF;
	case PSCI_SYSTEM_OFF:
		return VCPU_LEAVE_SYSTEM_OFF;
	case PSCI_SYSTEM_RESET:
		return VCPU_LEAVE_SYSTEM_RESET;
	case RAMPART_HVC_DOORBELL:
		rc = doorbell_ring(p, a1);
		break;
	default:
		if (update_is_hvc(fid))
			return update_hvc(p, v);
		p->unknown_smc++;
		rc = SMC_UNKNOWN;
		break;
	}
	v->x[0] = (uint64_t)rc;
	return 0;
}
