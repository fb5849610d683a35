/*
 * A virtual CPU: one per pinned physical CPU of a partition. The layout of
 * the first fields is shared with guest_entry.S.
 */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#define VCPU_X(n) ((n)*8)
#define VCPU_ELR 0xf8
#define VCPU_SPSR 0x100
#define VCPU_HYP_REGS 0x108 /* x19..x30 and sp of the vcpu_run() caller */
#define VCPU_HYP_SP (VCPU_HYP_REGS + 0x60)

#define VCPU_EXIT_SYNC 0
#define VCPU_EXIT_IRQ 1
#define VCPU_EXIT_FIQ 2
#define VCPU_EXIT_SERROR 3

/* Why vcpu_run() returned (an exit handler's non-zero value). */
#define VCPU_LEAVE_FAULT 1	  /* the partition's fault policy was applied */
#define VCPU_LEAVE_OFF 2	  /* PSCI CPU_OFF */
#define VCPU_LEAVE_SYSTEM_OFF 3	  /* PSCI SYSTEM_OFF: the partition, not the machine */
#define VCPU_LEAVE_SYSTEM_RESET 4 /* PSCI SYSTEM_RESET: restart the partition */
#define VCPU_LEAVE_KICKED 5	  /* another CPU changed the partition's state */
#define VCPU_LEAVE_BROKEN 6	  /* the partition cannot run on this platform (a realm not built) */
/* A synchronous exit's handler changed x19..x29 (an emulated load): resume with every register. */
#define VCPU_RESUME_ALL (-1)

#ifndef __ASSEMBLY__
#include <stdint.h>
#include "vgic_lr.h"

struct partition;
struct rmi_rec_run;

#define VCPU_MAX_THROTTLED 32U /* RAMPART_MAX_SPIS: each passthrough SPI at most once */

enum vcpu_state {
	VCPU_OFF = 0,	 /* waiting for PSCI CPU_ON from its partition */
	VCPU_ON_PENDING, /* CPU_ON accepted, not yet running */
	VCPU_RUNNING,
	VCPU_STOPPED, /* its partition was stopped by its fault policy */
};

struct vcpu {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t hyp_regs[13];
	/* Not touched by assembly: */
	struct partition *part;
	unsigned int id;   /* index within the partition (its Aff0) */
	unsigned int pcpu; /* physical CPU it is pinned to */
	uint32_t state;	   /* enum vcpu_state, under the partition lock */
	uint32_t in_guest; /* set while its physical CPU runs the guest */
	uint64_t entry;	   /* CPU_ON entry point and context id */
	uint64_t ctx_id;
	struct vgic_lrs lrs; /* what its list registers hold */
	/* Realm partitions: the vCPU is a REC the RMM runs; its registers live there. */
	uint64_t rec;		 /* the REC granule */
	struct rmi_rec_run *run; /* the RecRun page of its physical CPU */
	uint64_t enter_flags;	 /* RMI_REC_ENTER_* for the next entry, from the last exit */
	/*
	 * A CPU_ON for this vCPU was completed while its host still had it running:
	 * its own CPU_OFF may already have left the RMM, which then started it again.
	 * At its CPU_OFF it tries one entry (probe_entry) and lets the RMM decide.
	 */
	uint32_t cpu_on_raced; /* under the partition lock */
	uint32_t probe_entry;
	/* Fault containment (containment.c): touched only on its own CPU. */
	uint32_t leave_policy;	/* enum fault_policy of the last VCPU_LEAVE_FAULT */
	uint32_t backoff_ms;	/* to wait before that restart */
	uint64_t irq_win_start; /* counter value the current interrupt window began at */
	uint32_t irq_count;	/* passthrough interrupts in it */
	uint32_t win_throttled; /* it went over the budget */
	uint32_t storm_run;	/* windows in a row that went over it */
	uint32_t nr_throttled;	/* SPIs masked until the window ends */
	uint16_t throttled[VCPU_MAX_THROTTLED];
	uint64_t hw_irqs; /* passthrough interrupts it took */
};

_Static_assert(__builtin_offsetof(struct vcpu, elr) == VCPU_ELR, "vcpu layout");
_Static_assert(__builtin_offsetof(struct vcpu, hyp_regs) == VCPU_HYP_REGS, "vcpu layout");

/*
 * guest_entry.S: run v until an exit handler asks to leave; returns that
 * handler's positive value. While the guest runs, SP_EL2 points at v: an
 * exit saves registers there without a load.
 */
long vcpu_run(struct vcpu *v);
/*
 * Called by the exit vectors. An HVC or SMC (vcpu_exit_call) and an IRQ
 * exit saved only x0..x18 and x30 and left ELR (past the call) and SPSR in
 * place: their handlers must not need the rest (a vCPU that leaves after
 * them is discarded or reset; the rest is saved then). 0 resumes with x0..x18
 * and x30 reloaded (C kept x19..x29). Other synchronous exits saved every
 * register and pass ESR_EL2: 0 resumes with x0..x18, x30, ELR and SPSR
 * reloaded, VCPU_RESUME_ALL reloads everything. FIQ and SError exits save
 * everything.
 */
long vcpu_exit_call(struct vcpu *v);
long vcpu_exit_sync(struct vcpu *v, uint64_t esr);
long vcpu_exit_irq(struct vcpu *v);
long vcpu_exit(struct vcpu *v, unsigned int kind);
#endif
#endif
