/*
 * What each physical CPU does once partitions exist: run the one vCPU
 * pinned to it, forever. A vCPU that is off waits (WFE) for its
 * partition's CPU_ON; a stopped partition's vCPUs park.
 */
#include <arch/sysreg.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"

#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_TSC BIT(19)
#define HCR_RW BIT(31)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)
/* GPF: a guest's Granule Protection Fault (Realm or Root memory) is the hypervisor's, not the guest's. */
#define HCR_GPF BIT(48)
#define HCR_GUEST \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_RW | HCR_APK | HCR_API | HCR_GPF)
#define VTTBR_VMID_SHIFT 48
/* CPTR_EL2 (E2H = 0): RES1 bits; TZ (8) and TSM (12) are RES1 only without SVE/SME. */
#define CPTR_EL2_RES1_ALWAYS (BIT(13) | BIT(9) | 0xffUL)
#define CPTR_EL2_TZ BIT(8)
#define CPTR_EL2_TSM BIT(12)
#define ZCR_EL2 S3_4_C1_C2_0
#define SMCR_EL2 S3_4_C1_C2_6
#define VL_LEN_MAX 0xfUL /* the largest vector length the CPU offers */
/*
 * Fine-grained traps: 0 means "no trap" except for the negative-polarity
 * bits (nSMPRI_EL1, nTPIDR2_EL0, nPIR_EL1, nPOR_EL1, nACCDATA_EL1, ...),
 * where 0 traps. A guest owns all of those registers, so those bits are 1.
 */
/* HCRX_EL2.MSCEn: the memory copy/set instructions (FEAT_MOPS) that kernels use for memcpy. */
#define HCRX_EL2_MSCEN BIT(11)
#define HFGXTR_EL2_NBITS (BIT(50) | (3UL << 54) | (0x7fUL << 57))

struct vcpu *pcpu_vcpu[CONFIG_NR_CPUS];

/* Stage 2 and traps of the partition this CPU serves, once. */
/* The guest owns FP, SVE and SME on its CPU: no traps, every vector length the CPU has. */
static void guest_fp_access(void)
{
	uint64_t cptr = CPTR_EL2_RES1_ALWAYS;

	if (!ID_AA64PFR0_SVE(read_sysreg(id_aa64pfr0_el1)))
		cptr |= CPTR_EL2_TZ;
	if (!ID_AA64PFR1_SME(read_sysreg(id_aa64pfr1_el1)))
		cptr |= CPTR_EL2_TSM;
	write_sysreg(cptr_el2, cptr);
	isb();
	if (!(cptr & CPTR_EL2_TZ))
		write_sysreg(ZCR_EL2, VL_LEN_MAX);
	if (!(cptr & CPTR_EL2_TSM))
		write_sysreg(SMCR_EL2, VL_LEN_MAX);
	isb();
}

static void enter_partition(struct partition *p)
{
	guest_fp_access();
	if (ID_AA64MMFR0_FGT(read_sysreg(id_aa64mmfr0_el1))) {
		write_sysreg(HFGRTR_EL2, HFGXTR_EL2_NBITS);
		write_sysreg(HFGWTR_EL2, HFGXTR_EL2_NBITS);
		write_sysreg(HFGITR_EL2, 0);
		write_sysreg(HDFGRTR_EL2, 0);
		write_sysreg(HDFGWTR_EL2, 0);
	}
	if (ID_AA64MMFR1_HCX(read_sysreg(id_aa64mmfr1_el1)))
		write_sysreg(HCRX_EL2, HCRX_EL2_MSCEN);
	write_sysreg(vtcr_el2, VTCR_VALUE);
	write_sysreg(vttbr_el2, ((uint64_t)p->vmid << VTTBR_VMID_SHIFT) | (uintptr_t)p->s2.pool[0]);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(hcr_el2, HCR_GUEST);
	isb();
}

static void wait_for_on(struct vcpu *v)
{
	while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_ON_PENDING)
		hyp_wait_irq();
}

/* Where a partition's boot starts, for make bench (1 tick = 1 instruction under -icount); once. */
static void first_entry(struct partition *p, const struct vcpu *v)
{
	if (v->id == 0 && !p->restarts && !p->first_entry_logged) {
		p->first_entry_logged = 1;
		HLOG("partition %s: vCPU 0 enters its guest at counter %lu\n", p->name, read_cntpct());
	}
}

/*
 * A realm vCPU: vCPU 0's CPU builds the realm on the first start and after a
 * restart (the build is the realm's boot); every vCPU then enters its REC.
 */
static uint64_t ram_mib(const struct partition *p)
{
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < p->nr_mem; i++)
		bytes += p->mem[i].size;
	return bytes >> 20;
}

static long run_realm_vcpu(struct partition *p, struct vcpu *v)
{
	if (v->id == 0 && !p->realm.built) {
		uint64_t t0 = read_cntpct();
		/* Seconds under emulation for a large realm: say so rather than look hung. */
		HLOG("partition %s: building its realm (%lu MiB of RAM to delegate, and its images to "
		     "measure)\n",
		     p->name, ram_mib(p));
		realm_lifecycle_lock();
		int rc = realm_build(p);
		realm_lifecycle_unlock();
		if (rc) {
			/* Not its guest's doing: whatever the policy, another try would fail the same way. */
			p->realm.broken = 1;
			HLOG("partition %s: stopped (its realm cannot be built)\n", p->name);
			return VCPU_LEAVE_BROKEN;
		}
		const struct realm *r = &p->realm;
		HLOG("partition %s: realm built and activated in %lu ticks: RAM delegated in %lu, %lu "
		     "measured "
		     "pages in %lu, %lu unmeasured in %lu\n",
		     p->name, read_cntpct() - t0, r->delegate_ticks, r->measured_pages, r->measured_ticks,
		     r->unmeasured_pages, r->unmeasured_ticks);
	}
	realm_vcpu_reset(v);
	first_entry(p, v);
	__atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
	__atomic_store_n(&v->in_guest, 1, __ATOMIC_RELEASE);
	return realm_vcpu_run(p, v);
}

static long run_vm_vcpu(struct partition *p, struct vcpu *v)
{
	if (v->id == 0)
		partition_load(p);
	vcpu_reset(v, v->entry, v->ctx_id);
	vgic_sync(p, v);
	containment_arm(p, v);
	first_entry(p, v);
	__atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
	__atomic_store_n(&v->in_guest, 1, __ATOMIC_RELEASE);
	return vcpu_run(v);
}

/* PSCI CPU_OFF: off, unless a realm's CPU_ON raced with it (vcpu.h): then one entry decides. */
static void vcpu_cpu_off(struct partition *p, struct vcpu *v)
{
	if (p->kind == RAMPART_KIND_VM)
		vgic_vcpu_off(p, v);
	spin_lock(&p->lock);
	uint32_t next = VCPU_OFF;
	if (v->cpu_on_raced) {
		v->cpu_on_raced = 0;
		v->probe_entry = 1;
		next = VCPU_ON_PENDING;
	}
	if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING)
		__atomic_store_n(&v->state, next, __ATOMIC_RELEASE);
	spin_unlock(&p->lock);
}

/* A CPU no partition owns: CPU 0 still serves the console, any other only sleeps. */
static void __attribute__((noreturn)) pcpu_idle(unsigned int cpu)
{
	if (cpu == 0)
		console_input_loop();
	HLOG("cpu %u belongs to no partition: idle\n", cpu);
	for (;;)
		wfi();
}

void __attribute__((noreturn)) pcpu_run(unsigned int cpu)
{
	struct vcpu *v = pcpu_vcpu[cpu];

	if (cpu == 0)
		console_input_init();
	if (!v)
		pcpu_idle(cpu);
	struct partition *p = v->part;
	int realm = p->kind == RAMPART_KIND_REALM;
	if (!realm)
		enter_partition(p);
	for (;;) {
		wait_for_on(v);
		long why = realm ? run_realm_vcpu(p, v) : run_vm_vcpu(p, v);
		__atomic_store_n(&v->in_guest, 0, __ATOMIC_RELEASE);
		switch (why) {
		case VCPU_LEAVE_OFF:
			vcpu_cpu_off(p, v);
			break;
		case VCPU_LEAVE_SYSTEM_OFF:
			partition_event(p, "system off");
			partition_stop(p, v);
			break;
		case VCPU_LEAVE_SYSTEM_RESET:
			partition_event(p, "system reset: restarting it");
			partition_restart(p, v);
			break;
		case VCPU_LEAVE_BROKEN:
			partition_stop(p, v);
			break;
		case VCPU_LEAVE_FAULT:
			/* The policy partition_fault_as() settled on: the watchdog's, or a stop past the
			 * limit. */
			if (v->leave_policy == FAULT_RESTART) {
				containment_backoff(v);
				partition_restart(p, v);
			} else {
				containment_report(p);
				partition_stop(p, v);
			}
			break;
		default: /* kicked: another CPU stopped or restarted the partition */
			break;
		}
	}
}
