/*
 * Realm Execution Context (the REC granule's contents). Fields marked
 * "REC_ENTER" are filled when REC_ENTER lands (phase 2); the RMI commands
 * here only check and complete them.
 */
#ifndef RMM_REC_H
#define RMM_REC_H
#include <stdint.h>
#include <rampart/rmi.h>
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

struct rec {
	uint64_t rd;	   /* PA of the owning RD */
	uint64_t rec_idx;  /* Aff3:Aff2:Aff1:Aff0[3:0] of mpidr */
	uint64_t mpidr;	   /* RmiRecMpidr */
	uint64_t runnable; /* flags.RUNNABLE, or set by PSCI CPU_ON */
	/* The realm's EL1 context at the next entry. */
	uint64_t gprs[31];
	uint64_t pc;
	uint64_t pstate;
	uint64_t sctlr_el1;
	uint64_t vmpidr_el2;
	uint64_t num_aux;
	uint64_t aux[RMI_REC_MAX_AUX];
	struct rec_ripas_req ripas;
	struct rec_psci_req psci;
};
_Static_assert(sizeof(struct rec) <= GRANULE_SIZE, "the REC fits its granule");

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
