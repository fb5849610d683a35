/*
 * Realm Execution Context (the REC granule's contents): what the realm's
 * vCPU was doing at its last exit, and the requests (RIPAS change, PSCI,
 * host call, emulated MMIO) that the host must complete before or at the
 * next REC_ENTER. Read and written only by the CPU that holds the REC's
 * lock or runs it (refcount 1, rec_enter.c).
 */
#ifndef RMM_REC_H
#define RMM_REC_H
#include <stdint.h>
#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include "granule.h"

/* REC_AUX_COUNT: auxiliary granules per REC (TF-RMM's number; room for SIMD/attestation state). */
#define RMM_REC_AUX_COUNT 16U

/* PSTATE of a REC at reset: EL1h, AArch64, D, A, I, F masked. */
#define REC_PSTATE_RESET 0x3c5UL
/* SCTLR_EL1 at reset: RES1 bits, nTWI, nTWE; MMU and caches off, little-endian. */
#define REC_SCTLR_EL1_RESET 0x30d50800UL
#define SCTLR_EL1_EE (1UL << 25)
#define SCTLR_EL1_E0E (1UL << 24)
#define VMPIDR_EL2_RES1 (1UL << 31)

struct rec_ripas_req {
	uint64_t addr;		  /* REC_ENTER: next IPA to change ("ripas_addr"); == top when none */
	uint64_t top;		  /* REC_ENTER: end of the requested range ("ripas_top") */
	uint8_t value;		  /* REC_ENTER: RIPAS_EMPTY or RIPAS_RAM */
	uint8_t change_destroyed; /* REC_ENTER: the realm allowed DESTROYED -> value */
	uint8_t res0[6];
};

struct rec_psci_req {
	uint64_t pending;      /* REC_ENTER: a PSCI exit the host has to complete */
	uint64_t fid;	       /* REC_ENTER: PSCI_CPU_ON_* or PSCI_AFFINITY_INFO_* */
	uint64_t target_mpidr; /* REC_ENTER: the realm's target MPIDR (MPIDR_EL1 format) */
	uint64_t entry;	       /* REC_ENTER: CPU_ON entry point */
	uint64_t context_id;   /* REC_ENTER: CPU_ON context id */
};

/* EL1/EL0 system registers switched between the NS host and a realm (rec_ctx.c). */
struct rec_el1 {
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t sctlr_el1, cpacr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1, vbar_el1;
	uint64_t contextidr_el1, tpidr_el0, tpidr_el1, tpidrro_el0;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1, csselr_el1, cntkctl_el1;
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint64_t pauth[10]; /* APIA, APIB, APDA, APDB, APGA key Lo/Hi */
	uint64_t disr;	    /* DISR_EL1 as the realm sees it: VDISR_EL2 (HCR_EL2.AMO), rec_exit.c */
};

/* GICv3 virtual CPU interface state of a REC (reference §1.13). */
#define REC_GIC_MAX_LRS 16
#define REC_GIC_MAX_APRS 4
struct rec_gic {
	uint64_t lrs[REC_GIC_MAX_LRS];
	uint64_t hcr; /* the host-controllable bits of the last REC_ENTER */
	uint64_t vmcr, misr;
	uint64_t ap0r[REC_GIC_MAX_APRS], ap1r[REC_GIC_MAX_APRS];
};

/* FPSR, FPCR, V0-V31: fpu.S's layout without SVE (realms have none). */
struct rec_fpsimd {
	uint64_t fpsr, fpcr;
	uint64_t v[64];
};

/* What the last exit left for the next REC_ENTER to complete. */
struct rec_pending {
	uint64_t mmio_esr;  /* ESR of a data abort at an unprotected IPA; 0 if the last exit was not */
	uint64_t mmio_far;  /* its FAR (a VA), for INJECT_SEA */
	uint64_t host_call; /* IPA of the RsiHostCall, valid if host_call_pending */
	uint8_t host_call_pending;
	uint8_t ripas_pending; /* an RSI_IPA_STATE_SET waits for its answer */
	uint8_t timers;	       /* REC_TIMER_* asserted at the last exit */
	uint8_t fp_used;       /* the realm has FP/SIMD state in fpsimd */
	uint8_t res0[4];
};
#define REC_TIMER_V 1U
#define REC_TIMER_P 2U

struct rec {
	uint64_t rd;	   /* PA of the owning RD */
	uint64_t rec_idx;  /* Aff3:Aff2:Aff1:Aff0[3:0] of mpidr */
	uint64_t mpidr;	   /* RmiRecMpidr */
	uint64_t runnable; /* flags.RUNNABLE, or set by PSCI CPU_ON */
	/* The realm's EL1 context at the next entry. */
	uint64_t gprs[31];
	uint64_t pc;
	uint64_t pstate;
	uint64_t vmpidr_el2;
	struct rec_el1 el1;
	struct rec_gic gic;
	struct rec_fpsimd fp;
	struct rec_pending pend;
	uint64_t num_aux;
	uint64_t aux[RMI_REC_MAX_AUX];
	struct rec_ripas_req ripas;
	struct rec_psci_req psci;
	/* Attestation token in progress (rsi_attest.c). */
	uint64_t attest_state, attest_len, attest_done;
	uint32_t attest_slot, attest_gen; /* the signing slot held (struct rmm_attest_ticket) */
	uint8_t attest_challenge[64];
};
_Static_assert(sizeof(struct rec) <= GRANULE_SIZE, "the REC fits its granule");

/*
 * An RSI command's result in the REC's registers (RMM 1.0 B1.2, B1.6): x0 =
 * status; its outputs x1..x<nout> as the handler wrote them when it succeeded
 * (RSI_INCOMPLETE included), zero when it failed (they are UNDEFINED then);
 * x1..x3 that are not outputs zero ("MBZ"); x4 and up as the realm left them
 * unless they are outputs (SMCCC 1.1+ preserves them, as for RMI).
 */
static inline void rec_rsi_result(struct rec *rec, uint64_t status, unsigned int nout)
{
	int ok = status == RSI_SUCCESS || status == RSI_INCOMPLETE;

	rec->gprs[0] = status;
	for (unsigned int i = 1; i <= 3 || i <= nout; i++) {
		if (i > nout || !ok)
			rec->gprs[i] = 0;
	}
}

/* Give up the REC's attestation token and any signing in progress (rsi_attest.c; REC_DESTROY). */
void rsi_attest_abandon(struct rec *rec);

static inline uint64_t rec_mpidr_to_idx(uint64_t m)
{
	return (m & 0xf) | ((m >> 8) & 0xff) << 4 | ((m >> 16) & 0xff) << 12 | ((m >> 24) & 0xff) << 20;
}
/* RmiRecMpidr -> MPIDR_EL1 affinity (Aff3 moves to [39:32]). */
static inline uint64_t rec_mpidr_to_mpidr(uint64_t m)
{
	return (m & 0xffffffUL) | ((m >> 24) & 0xff) << 32;
}
#endif
