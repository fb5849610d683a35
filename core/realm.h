/*
 * The hypervisor as a realm host: realm partitions are built through RMI
 * from their table entry (realm_build.c, following lib/realm_plan.h), their
 * vCPUs run as RECs with RMI_REC_ENTER (realm_run.c), and their exits are
 * served here with the same virtual devices normal VMs have. The hypervisor
 * never reads or writes realm memory: everything goes through the RMM.
 */
#ifndef CORE_REALM_H
#define CORE_REALM_H
#include <stdint.h>
#include <lib/realm_plan.h>
#include <rampart/partition.h>
#include <rampart/rmi.h>

struct partition;
struct vcpu;

/*
 * RmiRttEntry of an unprotected mapping: the NS PA with Normal write-back
 * memory attributes (MemAttr 0b0110 with FWB) and read/write access.
 */
#define REALM_NS_DESC_ATTRS ((6UL << 2) | (3UL << 6))

/* The IPA span of one RTT entry at level (4 KiB granules, 512 entries per table). */
#define RTT_ENTRY_SIZE(level) (REALM_GRANULE << (9U * (unsigned int)(REALM_RTT_PAGE_LEVEL - (level))))

/* What the RMM answered an RMI call: x0..x4. */
struct rmi_ret {
	uint64_t status; /* x0: RmiCommandReturnCode (status | index << 8) */
	uint64_t x1, x2, x3, x4;
};

/* What a realm's run cost its host: counters, not logs (one line at teardown). */
struct realm_counts {
	uint64_t exits;
	uint64_t mmio_exits;
	uint64_t irq_exits;
	uint64_t psci_exits;
	uint64_t host_calls;
	uint64_t unknown_host_calls;
	uint64_t ripas_changes;
	uint64_t rejected_ripas;
	uint64_t memory_exits; /* shared or unpopulated pages served */
	uint64_t shared_pages; /* RAM pages the realm shared (alias mapped) */
};

/* Per realm partition: the RMI objects the host created, and counters instead of logs. */
struct realm {
	const struct rampart_realm *params; /* in the partition table */
	struct realm_geometry geo;
	uint32_t built;	     /* REALM_ACTIVATE done; cleared by the teardown */
	uint32_t broken;     /* cannot be built on this platform: stays stopped */
	uint32_t transition; /* a CPU is tearing the realm down */
	uint64_t rd;	     /* the RD granule */
	uint64_t meta_next;  /* bump allocator over the partition's metadata range */
	uint64_t meta_end;
	uint64_t rec[RAMPART_VGIC_MAX_VCPUS];
	uint64_t aux_count;	    /* RMI_REC_AUX_COUNT */
	struct realm_counts counts; /* since the last build; reported at teardown */
	/* The last build, for make bench: pages created with DATA_CREATE (measured) and
	   DATA_CREATE_UNKNOWN, and the counter ticks each kind took. */
	uint64_t measured_pages, measured_ticks, unmeasured_pages, unmeasured_ticks, delegate_ticks;
};

/* rmi_host.c: one RMI call (SMC) with up to five arguments. */
struct rmi_ret rmi_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/*
 * realm_build.c. realm_setup() records the table entry at partition build
 * (no RMI yet) and returns 0, or -1 if this build cannot use the entry
 * (*why says what); realm_build() performs the plan on the calling CPU and
 * returns 0, or -1 after reporting why the partition cannot run;
 * realm_teardown() destroys everything the build and the run created and
 * hands every granule back to NS, zeroed, and returns how many granules
 * it undelegated.
 */
int realm_setup(struct partition *p, const struct rampart_partition *t, const char **why);
/* Builds and teardowns of all realms are serialised (waiters sleep): realm_build.c explains why. */
void realm_lifecycle_lock(void);
void realm_lifecycle_unlock(void);
int realm_build(struct partition *p);
uint64_t realm_teardown(struct partition *p);
/* vCPU vcpu's RecRun page: NS, in the partition's metadata range. */
struct rmi_rec_run *realm_run_page(const struct partition *p, unsigned int vcpu);
/* Test builds (CONFIG_HYP_REALM_SCRUB_CHECK): read back what the teardown returned; report non-zero granules.
 */
void realm_scrub_check(struct partition *p);
/*
 * An operation on realm IPA ipa that the RMM refuses with ERROR_RTT for a
 * missing RTT: create the RTTs it needs (from the metadata range) and retry.
 */
struct rmi_ret realm_rtt_op(struct partition *p, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			    uint64_t a4, uint64_t a5, uint64_t ipa);
/* realm_rtt.c: a granule of the realm's metadata range, delegated; 0 if the range is used up. */
uint64_t realm_meta_delegated(struct partition *p);

/* realm_run.c: run vCPU v's REC until the vCPU must leave; returns a VCPU_LEAVE_* value. */
long realm_vcpu_run(struct partition *p, struct vcpu *v);
/* A realm vCPU is set to enter its REC (after PSCI CPU_ON or at boot). */
void realm_vcpu_reset(struct vcpu *v);

/* realm_mem.c: exits about memory (shared pages, RIPAS changes, unpopulated RAM). */
#define REALM_MEM_DONE 0     /* served: re-enter */
#define REALM_MEM_FAULT (-1) /* nothing the realm may touch there: apply the fault policy */
#define REALM_MEM_SEA (-2)   /* a legal address in the wrong state: inject an SEA */
int realm_unprotected_fault(struct partition *p, uint64_t ipa);
int realm_protected_fault(struct partition *p, uint64_t ipa);
/* RIPAS_CHANGE exit, per the policy in realm_mem.c. */
#define REALM_RIPAS_ACCEPT 0
#define REALM_RIPAS_REJECT 1
#define REALM_RIPAS_FAULT (-1)
int realm_ripas_change(struct partition *p, struct vcpu *v, uint64_t base, uint64_t top, uint64_t ripas);
#endif
