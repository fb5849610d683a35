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

static long __attribute__((noinline))
cpu_on(struct partition *p, uint64_t mpidr, uint64_t entry, uint64_t ctx_id)
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

static long __attribute__((noinline)) affinity_info(struct partition *p, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = target_vcpu(p, mpidr);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMS;
	uint32_t s = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
	return s == VCPU_RUNNING ? PSCI_AFF_ON : s == VCPU_ON_PENDING ? PSCI_AFF_ON_PENDING : PSCI_AFF_OFF;
}

/* PSCI's function numbers: 0x84000000 + n for SMC32 callers, 0xc4000000 + n for SMC64. */
#define PSCI_FN_MASK 0x1fU
#define PSCI_FN(fid) ((fid)&PSCI_FN_MASK)
/* The functions that also have an SMC64 identifier (CPU_ON, AFFINITY_INFO). */
#define PSCI_FN_HAS_SMC64 ((1U << PSCI_FN(PSCI_CPU_ON_64)) | (1U << PSCI_FN(PSCI_AFFINITY_INFO_64)))

/* Argument i as the calling convention gives it: an SMC32 caller owns only the low half. */
static uint64_t arg(const struct vcpu *v, unsigned int i, uint32_t fid)
{
	return (fid & SMCCC_SMC64) ? v->x[i] : (uint32_t)v->x[i];
}

/*
 * One switch on the PSCI function number: the queries (VERSION, FEATURES)
 * are answered from it at once; CPU_ON and AFFINITY_INFO are functions of
 * their own so that the queries pay for no stack frame.
 */
long vpsci_call(struct partition *p, struct vcpu *v)
{
	uint64_t x0 = v->x[0];
	uint32_t fid = (uint32_t)x0;
	long rc;

	if (x0 >> 32) {
		v->x[0] = (uint64_t)SMC_UNKNOWN;
		return vcpu_resume(p, v);
	}
	if ((fid & ~(SMCCC_SMC64 | PSCI_FN_MASK)) == PSCI_VERSION &&
	    (!(fid & SMCCC_SMC64) || (PSCI_FN_HAS_SMC64 & (1U << PSCI_FN(fid))))) {
		switch (PSCI_FN(fid)) {
		case PSCI_FN(PSCI_VERSION):
			rc = PSCI_VERSION_1_1;
			break;
		case PSCI_FN(PSCI_FEATURES):
			rc = is_supported((uint32_t)v->x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
			break;
		case PSCI_FN(PSCI_CPU_ON_64):
			rc = cpu_on(p, arg(v, 1, fid), arg(v, 2, fid), arg(v, 3, fid));
			break;
		case PSCI_FN(PSCI_AFFINITY_INFO_64):
			rc = affinity_info(p, arg(v, 1, fid), arg(v, 2, fid));
			break;
		case PSCI_FN(PSCI_CPU_OFF):
			return VCPU_LEAVE_OFF;
		case PSCI_FN(PSCI_SYSTEM_OFF):
			return VCPU_LEAVE_SYSTEM_OFF;
		case PSCI_FN(PSCI_SYSTEM_RESET):
			return VCPU_LEAVE_SYSTEM_RESET;
		default:
			goto unknown;
		}
	} else if (fid == SMCCC_VERSION) {
		rc = SMCCC_VERSION_1_2;
	} else if (fid == RAMPART_HVC_DOORBELL) {
		rc = doorbell_ring(p, arg(v, 1, fid));
	} else if (fid == RAMPART_HVC_WATCHDOG_KICK) {
		rc = containment_kick(p);
	} else if (update_is_hvc(fid)) {
		return update_hvc(p, v);
	} else {
	unknown:
		p->unknown_smc++;
		rc = SMC_UNKNOWN;
	}
	v->x[0] = (uint64_t)rc;
	return vcpu_resume(p, v);
}
