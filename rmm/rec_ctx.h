/* Switching system register state between the NS host and a REC (rec_ctx.c). */
#ifndef RMM_REC_CTX_H
#define RMM_REC_CTX_H
#include <stdint.h>
#include "rec.h"

/* The EL2 "guest" group (monitor/el2_context.S), which EL3 does not switch. */
struct el2_guest {
	uint64_t elr, spsr, esr, far, hpfar, afsr0, afsr1, vttbr, vtcr, cnthctl, cntvoff, contextidr;
	uint64_t vmpidr, vpidr, hstr, hacr, ich_hcr, ich_vmcr;
	uint64_t hfgrtr, hfgwtr, hfgitr, hdfgrtr, hdfgwtr, hcrx;
	uint64_t vdisr; /* FEAT_RAS: what a realm's DISR_EL1 accesses reach (HCR_EL2.AMO) */
};

/* ICH_HCR_EL2 bits */
#define ICH_HCR_EN (1UL << 0)
#define ICH_HCR_UIE (1UL << 1)
#define ICH_HCR_LRENPIE (1UL << 2)
#define ICH_HCR_NPIE (1UL << 3)
#define ICH_HCR_VGRP0EIE (1UL << 4)
#define ICH_HCR_VGRP0DIE (1UL << 5)
#define ICH_HCR_VGRP1EIE (1UL << 6)
#define ICH_HCR_VGRP1DIE (1UL << 7)
#define ICH_HCR_VSGIEOICOUNT (1UL << 8)
#define ICH_HCR_TDIR (1UL << 14)
#define ICH_HCR_DVIM (1UL << 15)
#define REC_ICH_HCR_EOICOUNT (0x1fUL << 27)
/* What the host may ask for in RecRun.enter.gicv3_hcr (reference §1.10). */
#define REC_ICH_HCR_HOST                                                                      \
	(ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE | ICH_HCR_VGRP0EIE | ICH_HCR_VGRP0DIE | \
	 ICH_HCR_VGRP1EIE | ICH_HCR_VGRP1DIE | ICH_HCR_TDIR)
/* What the RMM always sets while a realm runs. */
#define REC_ICH_HCR_RMM (ICH_HCR_EN | ICH_HCR_VSGIEOICOUNT | ICH_HCR_DVIM)

/* The GIC virtual CPU interface (ICH_VTR_EL2), read at cold boot. */
extern unsigned int rec_gic_num_lrs, rec_gic_num_aprs, rec_gic_pri_bits;
extern uint64_t rec_gic_max_intid;
extern int rec_have_ext_el2;
extern int rec_have_ras; /* FEAT_RAS: VDISR_EL2 */
#define VDISR_EL2 S3_4_C12_C1_1
extern int rec_have_sve;

/* fpu.S: the whole FP/SIMD(/SVE, if sve) register file to/from an RMM_FPU_AREA_SIZE area. */
void fpu_save(void *area, int sve);
void fpu_restore(const void *area, int sve);

void rec_ctx_init(void);
void rec_el1_save(struct rec_el1 *c);
void rec_el1_restore(const struct rec_el1 *c);
/* The Normal world's EL1 and EL2 guest-group registers on this CPU. */
void rec_ns_save(void);
void rec_ns_restore(void);
/* FP/SIMD: swap the NS values out for the realm's (first FP trap), and back at exit. */
void rec_fp_load_realm(struct rec *rec);
void rec_fp_put_realm(struct rec *rec);
void rec_gic_restore(struct rec *rec);
void rec_gic_save(struct rec *rec);

/*
 * rec_hostobs.c: the host's self-hosted debug and PMU off around a realm's
 * run (stop after rec_ns_save(), resume before rec_ns_restore()), and the
 * RMM's own MDCR_EL2 (no counting at R-EL2), written at every boot.
 */
void rec_host_obs_init(void);
void rec_host_obs_stop(void);
void rec_host_obs_resume(void);
uint64_t rmm_mdcr_el2(void);

/* realm_entry.S: run the REC's GPRs until it takes an exception to R-EL2; a REALM_EXC_*. */
unsigned int realm_run(uint64_t gprs[31]);
#endif
