/* PSCI 1.1 for the Normal world: CPU power and system power. */
#include <arch/cache.h>
#include <arch/sysreg.h>
#include <rampart/smccc.h>
#include "monitor.h"
#include "monitor_asm.h"

static spinlock_t psci_lock = SPINLOCK_INIT;

/* Linear index of a PSCI target, or -1 if no CPU of this build has it. */
static int mpidr_to_cpu(uint64_t mpidr)
{
	if (mpidr & ~MPIDR_AFF_MASK)
		return -1;
	if (mpidr >= plat_cpus_present) /* Aff1..Aff3 must be zero; the CPU must exist */
		return -1;
	return (int)mpidr;
}

static const uint32_t psci_fids[] = {
	PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_VERSION,		 PSCI_CPU_OFF,
	PSCI_CPU_ON_32,	     PSCI_CPU_ON_64,	  PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64,
	PSCI_SYSTEM_OFF,     PSCI_SYSTEM_RESET,	  PSCI_FEATURES,
};

int psci_is_psci_fid(uint32_t fid)
{
	for (unsigned int i = 0; i < sizeof(psci_fids) / sizeof(psci_fids[0]); i++) {
		if (psci_fids[i] == fid)
			return 1;
	}
	return 0;
}

void psci_mark_on(unsigned int cpu)
{
	spin_lock(&psci_lock);
	cpu_state[cpu].psci_state = CPU_STATE_ON;
	spin_unlock(&psci_lock);
}

static long cpu_on(uint64_t target, uint64_t entry, uint64_t ctx_id)
{
	int cpu = mpidr_to_cpu(target);

	if (cpu < 0)
		return PSCI_INVALID_PARAMS;
	if (!plat_is_ns_dram(entry, 4) || (entry & 3))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&psci_lock);
	struct cpu_state *c = &cpu_state[cpu];
	long rc = PSCI_SUCCESS;
	if (c->psci_state == CPU_STATE_ON)
		rc = PSCI_ALREADY_ON;
	else if (c->psci_state == CPU_STATE_ON_PENDING)
		rc = PSCI_ON_PENDING;
	else {
		c->psci_state = CPU_STATE_ON_PENDING;
		c->ns_entry = entry;
		c->ns_ctx_id = ctx_id;
		dsb_sy();
		cpu_pen[cpu][0] = PEN_GO;
		dsb_sy();
		/* The target may still run with its MMU and caches off. */
		dcache_clean_inval_range((uintptr_t)&cpu_pen[cpu][0], sizeof(cpu_pen[cpu]));
		dcache_clean_inval_range((uintptr_t)c, sizeof(*c));
		plat_cpu_wake((unsigned int)cpu);
	}
	spin_unlock(&psci_lock);
	return rc;
}

static long affinity_info(uint64_t target, uint64_t lowest_level)
{
	int cpu = mpidr_to_cpu(target);

	if (cpu < 0 || lowest_level != 0)
		return PSCI_INVALID_PARAMS;
	spin_lock(&psci_lock);
	uint32_t s = cpu_state[cpu].psci_state;
	spin_unlock(&psci_lock);
	return s == CPU_STATE_ON	   ? PSCI_AFF_ON
	       : s == CPU_STATE_ON_PENDING ? PSCI_AFF_ON_PENDING
					   : PSCI_AFF_OFF;
}

/*
 * CPU_SUSPEND, original power_state format. Every state is entered as
 * standby (WFI): a power-down request returns as if woken at once, which
 * PSCI allows, so the caller's context is never lost.
 */
static long cpu_suspend(uint64_t power_state)
{
	if (power_state & PSCI_POWER_STATE_RES0)
		return PSCI_INVALID_PARAMS;
	dsb_sy();
	wfi();
	return PSCI_SUCCESS;
}

static void __attribute__((noreturn)) cpu_off(unsigned int cpu)
{
	spin_lock(&psci_lock);
	cpu_state[cpu].psci_state = CPU_STATE_OFF;
	spin_unlock(&psci_lock);
	cpu_park(cpu);
}

void psci_handle(struct world_ctx *ctx, unsigned int cpu)
{
	uint32_t fid = (uint32_t)ctx->x[0];
	uint64_t a1 = ctx->x[1], a2 = ctx->x[2], a3 = ctx->x[3];
	long rc;

	if (!(fid & SMCCC_SMC64)) { /* SMC32: only the low 32 bits of arguments count */
		a1 &= 0xffffffffU;
		a2 &= 0xffffffffU;
		a3 &= 0xffffffffU;
	}
	switch (fid) {
	case PSCI_VERSION:
		rc = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		/* SMCCC 1.1+ callers discover SMCCC_VERSION through PSCI_FEATURES. */
		rc = psci_is_psci_fid((uint32_t)a1) || (uint32_t)a1 == SMCCC_VERSION ? PSCI_SUCCESS
										     : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		rc = cpu_suspend((uint32_t)a1); /* power_state is 32 bits wide */
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		rc = cpu_on(a1, a2, a3);
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		rc = affinity_info(a1, a2);
		break;
	case PSCI_CPU_OFF:
		cpu_off(cpu);
	case PSCI_SYSTEM_OFF:
		plat_system_off();
	case PSCI_SYSTEM_RESET:
		plat_system_reset();
	default:
		rc = PSCI_NOT_SUPPORTED;
		break;
	}
	ctx->x[0] = (uint64_t)rc;
}
