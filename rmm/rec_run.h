/*
 * One REC_ENTER in progress on this CPU: the REC it runs (claimed through
 * its granule's refcount, not locked), a copy of the realm's immutable
 * parameters, and the exit being prepared for the host.
 */
#ifndef RMM_REC_RUN_H
#define RMM_REC_RUN_H
#include <stdint.h>
#include <rampart/rmi.h>
#include "rec.h"
#include "s2tt.h"

struct rec_run {
	struct rec *rec;
	uint64_t rec_pa;
	uint64_t rd_pa;
	struct s2_ctx s2;   /* immutable after REALM_CREATE */
	uint64_t rec_count; /* RECs of the realm (fixed once it is ACTIVE) */
	uint32_t num_bps, num_wps;
	uint32_t hash_algo;
	uint64_t enter_flags;
	int fp_loaded;		   /* the realm's FP/SIMD registers are in the hardware */
	int inject_sea;		   /* INJECT_SEA accepted: deliver it once the realm's EL1 state is loaded */
	struct rmi_rec_exit *exit; /* in this CPU's RecRun image; only its defined fields are used */
};

/* What an exception handler decided. */
enum rec_action {
	REC_RESUME, /* handled inside the RMM: run the realm again */
	REC_EXIT,   /* run->exit is complete: back to the host */
};

/* rec_exit.c: run the REC until something needs the host; fills run->exit. */
void rec_run_until_exit(struct rec_run *run);
/* The REC's GIC and timer state (in the REC) into run->exit. */
void rec_exit_report_state(struct rec_run *run);
/* Inject a synchronous exception into the realm's EL1 (its EL1 state is live). */
void rec_inject_undef(struct rec_run *run);
void rec_inject_sea(struct rec_run *run, uint64_t far);

/* A stage-2 data abort exit for an IPA whose page the host must populate (reference §1.12). */
void rec_exit_host_fault(struct rec_run *run, uint64_t ipa, int level);

/* rsi.c: an SMC from the realm (PC already past it). */
enum rec_action rsi_handle(struct rec_run *run);

/* realm_mem.c: a realm IPA the RMM reads or writes for an RSI command. */
enum realm_mem {
	REALM_MEM_OK,	/* *pa is the protected, assigned RAM page; the RTT stays locked in *w */
	REALM_MEM_HOST, /* RIPAS RAM without a DATA granule: the host must populate it (level in *level) */
	REALM_MEM_DESTROYED, /* RIPAS DESTROYED: the host took the page away */
	REALM_MEM_EMPTY,     /* RIPAS EMPTY: the realm may not touch it */
};
struct rtt_walk;
struct granule;
struct rd;
/* Lock the running REC's RD (it cannot be gone: the REC holds a reference on it). */
struct rd *rec_run_rd_lock(const struct rec_run *run, struct granule **g_rd);
enum realm_mem realm_mem_lock(struct rec_run *run, uint64_t ipa, struct rtt_walk *w, uint64_t *pa,
			      int *level);
#endif
