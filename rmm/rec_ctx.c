/*
 * System register state switched when a REC runs (reference §5.4, §1.13,
 * §1.14). EL3 switches only the "core" EL2 group; the RMM owns everything
 * a realm can change below it: EL1/EL0 registers, the EL1 timers, the GIC
 * virtual CPU interface, FP/SIMD, and the "guest" EL2 group, whose Normal
 * world values it gives back unchanged (docs/rmm-el3-interface.md).
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include "rec_ctx.h"
#include "rmm.h"
#include "rmm_arch.h"

/* Pointer authentication keys (FEAT_PAuth), by encoding: binutils needs +pauth for the names. */
#define APIAKEYLO_EL1 S3_0_C2_C1_0
#define APIAKEYHI_EL1 S3_0_C2_C1_1
#define APIBKEYLO_EL1 S3_0_C2_C1_2
#define APIBKEYHI_EL1 S3_0_C2_C1_3
#define APDAKEYLO_EL1 S3_0_C2_C2_0
#define APDAKEYHI_EL1 S3_0_C2_C2_1
#define APDBKEYLO_EL1 S3_0_C2_C2_2
#define APDBKEYHI_EL1 S3_0_C2_C2_3
#define APGAKEYLO_EL1 S3_0_C2_C3_0
#define APGAKEYHI_EL1 S3_0_C2_C3_1

#define ICH_VTR_LISTREGS(v) ((v)&0x1fUL)
#define ICH_VTR_PREBITS(v) (((v) >> 26) & 0x7UL)
#define ICH_VTR_PRIBITS(v) (((v) >> 29) & 0x7UL)
#define ICH_VTR_IDBITS(v) (((v) >> 23) & 0x7UL) /* 0: 16-bit INTIDs, 1: 24-bit */
#define ID_AA64PFR0_GIC(v) (((v) >> 24) & 0xfUL)

unsigned int rec_gic_num_lrs, rec_gic_num_aprs, rec_gic_pri_bits;
uint64_t rec_gic_max_intid;
int rec_have_ext_el2; /* FEAT_FGT and FEAT_HCX: HFG*TR_EL2, HDFG*TR_EL2, HCRX_EL2 */

/* The Normal world's state while a realm runs on this CPU. */
static struct ns_state {
	struct rec_el1 el1;
	struct el2_guest el2;
	struct rec_fpsimd fp;
} ns_state[CONFIG_NR_CPUS];

void rec_ctx_init(void)
{
	uint64_t vtr = read_sysreg(ich_vtr_el2);
	unsigned int pre = (unsigned int)ICH_VTR_PREBITS(vtr) + 1;
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1), mmfr1 = read_sysreg(id_aa64mmfr1_el1);

	rec_gic_num_lrs = (unsigned int)ICH_VTR_LISTREGS(vtr) + 1;
	rec_gic_pri_bits = (unsigned int)ICH_VTR_PRIBITS(vtr) + 1;
	rec_gic_max_intid = ICH_VTR_IDBITS(vtr) ? (1UL << 24) - 1 : (1UL << 16) - 1;
	/* 5 preemption bits: one APR per group, 6: two, 7: four. */
	rec_gic_num_aprs = pre <= 5 ? 1 : pre == 6 ? 2 : 4;
	rec_have_ext_el2 = ((mmfr0 >> 56) & 0xf) != 0 && ((mmfr1 >> 40) & 0xf) != 0;
}

void rec_el1_save(struct rec_el1 *c)
{
	c->sp_el0 = read_sysreg(sp_el0);
	c->sp_el1 = read_sysreg(sp_el1);
	c->elr_el1 = read_sysreg(elr_el1);
	c->spsr_el1 = read_sysreg(spsr_el1);
	c->sctlr_el1 = read_sysreg(sctlr_el1);
	c->cpacr_el1 = read_sysreg(cpacr_el1);
	c->ttbr0_el1 = read_sysreg(ttbr0_el1);
	c->ttbr1_el1 = read_sysreg(ttbr1_el1);
	c->tcr_el1 = read_sysreg(tcr_el1);
	c->mair_el1 = read_sysreg(mair_el1);
	c->amair_el1 = read_sysreg(amair_el1);
	c->vbar_el1 = read_sysreg(vbar_el1);
	c->contextidr_el1 = read_sysreg(contextidr_el1);
	c->tpidr_el0 = read_sysreg(tpidr_el0);
	c->tpidr_el1 = read_sysreg(tpidr_el1);
	c->tpidrro_el0 = read_sysreg(tpidrro_el0);
	c->esr_el1 = read_sysreg(esr_el1);
	c->far_el1 = read_sysreg(far_el1);
	c->afsr0_el1 = read_sysreg(afsr0_el1);
	c->afsr1_el1 = read_sysreg(afsr1_el1);
	c->par_el1 = read_sysreg(par_el1);
	c->csselr_el1 = read_sysreg(csselr_el1);
	c->cntkctl_el1 = read_sysreg(cntkctl_el1);
	c->cntv_ctl = read_sysreg(cntv_ctl_el0);
	c->cntv_cval = read_sysreg(cntv_cval_el0);
	c->cntp_ctl = read_sysreg(cntp_ctl_el0);
	c->cntp_cval = read_sysreg(cntp_cval_el0);
	c->pauth[0] = read_sysreg(APIAKEYLO_EL1);
	c->pauth[1] = read_sysreg(APIAKEYHI_EL1);
	c->pauth[2] = read_sysreg(APIBKEYLO_EL1);
	c->pauth[3] = read_sysreg(APIBKEYHI_EL1);
	c->pauth[4] = read_sysreg(APDAKEYLO_EL1);
	c->pauth[5] = read_sysreg(APDAKEYHI_EL1);
	c->pauth[6] = read_sysreg(APDBKEYLO_EL1);
	c->pauth[7] = read_sysreg(APDBKEYHI_EL1);
	c->pauth[8] = read_sysreg(APGAKEYLO_EL1);
	c->pauth[9] = read_sysreg(APGAKEYHI_EL1);
}

void rec_el1_restore(const struct rec_el1 *c)
{
	write_sysreg(sp_el0, c->sp_el0);
	write_sysreg(sp_el1, c->sp_el1);
	write_sysreg(elr_el1, c->elr_el1);
	write_sysreg(spsr_el1, c->spsr_el1);
	write_sysreg(sctlr_el1, c->sctlr_el1);
	write_sysreg(cpacr_el1, c->cpacr_el1);
	write_sysreg(ttbr0_el1, c->ttbr0_el1);
	write_sysreg(ttbr1_el1, c->ttbr1_el1);
	write_sysreg(tcr_el1, c->tcr_el1);
	write_sysreg(mair_el1, c->mair_el1);
	write_sysreg(amair_el1, c->amair_el1);
	write_sysreg(vbar_el1, c->vbar_el1);
	write_sysreg(contextidr_el1, c->contextidr_el1);
	write_sysreg(tpidr_el0, c->tpidr_el0);
	write_sysreg(tpidr_el1, c->tpidr_el1);
	write_sysreg(tpidrro_el0, c->tpidrro_el0);
	write_sysreg(esr_el1, c->esr_el1);
	write_sysreg(far_el1, c->far_el1);
	write_sysreg(afsr0_el1, c->afsr0_el1);
	write_sysreg(afsr1_el1, c->afsr1_el1);
	write_sysreg(par_el1, c->par_el1);
	write_sysreg(csselr_el1, c->csselr_el1);
	write_sysreg(cntkctl_el1, c->cntkctl_el1);
	/* CVAL before CTL, so an enabled timer never fires on a stale compare value. */
	write_sysreg(cntv_cval_el0, c->cntv_cval);
	write_sysreg(cntv_ctl_el0, c->cntv_ctl);
	write_sysreg(cntp_cval_el0, c->cntp_cval);
	write_sysreg(cntp_ctl_el0, c->cntp_ctl);
	write_sysreg(APIAKEYLO_EL1, c->pauth[0]);
	write_sysreg(APIAKEYHI_EL1, c->pauth[1]);
	write_sysreg(APIBKEYLO_EL1, c->pauth[2]);
	write_sysreg(APIBKEYHI_EL1, c->pauth[3]);
	write_sysreg(APDAKEYLO_EL1, c->pauth[4]);
	write_sysreg(APDAKEYHI_EL1, c->pauth[5]);
	write_sysreg(APDBKEYLO_EL1, c->pauth[6]);
	write_sysreg(APDBKEYHI_EL1, c->pauth[7]);
	write_sysreg(APGAKEYLO_EL1, c->pauth[8]);
	write_sysreg(APGAKEYHI_EL1, c->pauth[9]);
}

static void el2_guest_save(struct el2_guest *g)
{
	g->elr = read_sysreg(elr_el2);
	g->spsr = read_sysreg(spsr_el2);
	g->esr = read_sysreg(esr_el2);
	g->far = read_sysreg(far_el2);
	g->hpfar = read_sysreg(hpfar_el2);
	g->afsr0 = read_sysreg(afsr0_el2);
	g->afsr1 = read_sysreg(afsr1_el2);
	g->vttbr = read_sysreg(vttbr_el2);
	g->vtcr = read_sysreg(vtcr_el2);
	g->cnthctl = read_sysreg(cnthctl_el2);
	g->cntvoff = read_sysreg(cntvoff_el2);
	g->contextidr = read_sysreg(contextidr_el2);
	g->vmpidr = read_sysreg(vmpidr_el2);
	g->vpidr = read_sysreg(vpidr_el2);
	g->hstr = read_sysreg(hstr_el2);
	g->hacr = read_sysreg(hacr_el2);
	g->ich_hcr = read_sysreg(ich_hcr_el2);
	g->ich_vmcr = read_sysreg(ich_vmcr_el2);
	if (rec_have_ext_el2) {
		g->hfgrtr = read_sysreg(HFGRTR_EL2);
		g->hfgwtr = read_sysreg(HFGWTR_EL2);
		g->hfgitr = read_sysreg(HFGITR_EL2);
		g->hdfgrtr = read_sysreg(HDFGRTR_EL2);
		g->hdfgwtr = read_sysreg(HDFGWTR_EL2);
		g->hcrx = read_sysreg(HCRX_EL2);
	}
}

static void el2_guest_restore(const struct el2_guest *g)
{
	write_sysreg(elr_el2, g->elr);
	write_sysreg(spsr_el2, g->spsr);
	write_sysreg(esr_el2, g->esr);
	write_sysreg(far_el2, g->far);
	write_sysreg(hpfar_el2, g->hpfar);
	write_sysreg(afsr0_el2, g->afsr0);
	write_sysreg(afsr1_el2, g->afsr1);
	write_sysreg(vttbr_el2, g->vttbr);
	write_sysreg(vtcr_el2, g->vtcr);
	write_sysreg(cnthctl_el2, g->cnthctl);
	write_sysreg(cntvoff_el2, g->cntvoff);
	write_sysreg(contextidr_el2, g->contextidr);
	write_sysreg(vmpidr_el2, g->vmpidr);
	write_sysreg(vpidr_el2, g->vpidr);
	write_sysreg(hstr_el2, g->hstr);
	write_sysreg(hacr_el2, g->hacr);
	write_sysreg(ich_hcr_el2, g->ich_hcr);
	write_sysreg(ich_vmcr_el2, g->ich_vmcr);
	if (rec_have_ext_el2) {
		write_sysreg(HFGRTR_EL2, g->hfgrtr);
		write_sysreg(HFGWTR_EL2, g->hfgwtr);
		write_sysreg(HFGITR_EL2, g->hfgitr);
		write_sysreg(HDFGRTR_EL2, g->hdfgrtr);
		write_sysreg(HDFGWTR_EL2, g->hdfgwtr);
		write_sysreg(HCRX_EL2, g->hcrx);
	}
}

void rec_ns_save(void)
{
	struct ns_state *ns = &ns_state[rmm_cpu_index()];

	rec_el1_save(&ns->el1);
	el2_guest_save(&ns->el2);
}

void rec_ns_restore(void)
{
	struct ns_state *ns = &ns_state[rmm_cpu_index()];

	rec_el1_restore(&ns->el1);
	el2_guest_restore(&ns->el2);
	isb();
}

/* FP/SIMD: the realm's registers are loaded on its first FP trap of a REC_ENTER. */
void crypto_fpsimd_save(struct rec_fpsimd *s);
void crypto_fpsimd_restore(const struct rec_fpsimd *s);

void rec_fp_load_realm(struct rec *rec)
{
	crypto_fpsimd_save(&ns_state[rmm_cpu_index()].fp);
	crypto_fpsimd_restore(&rec->fp);
	rec->pend.fp_used = 1;
}

void rec_fp_put_realm(struct rec *rec)
{
	crypto_fpsimd_save(&rec->fp);
	crypto_fpsimd_restore(&ns_state[rmm_cpu_index()].fp);
}

#define LR_CASE(n)                                         \
	case n:                                            \
		if (write)                                 \
			write_sysreg(ich_lr##n##_el2, *v); \
		else                                       \
			*v = read_sysreg(ich_lr##n##_el2); \
		break

static void lr_access(unsigned int i, uint64_t *v, int write)
{
	switch (i) {
		LR_CASE(0);
		LR_CASE(1);
		LR_CASE(2);
		LR_CASE(3);
		LR_CASE(4);
		LR_CASE(5);
		LR_CASE(6);
		LR_CASE(7);
		LR_CASE(8);
		LR_CASE(9);
		LR_CASE(10);
		LR_CASE(11);
		LR_CASE(12);
		LR_CASE(13);
		LR_CASE(14);
		LR_CASE(15);
	default:
		break;
	}
}

#define APR_CASE(n)                                           \
	case n:                                               \
		if (write) {                                  \
			write_sysreg(ich_ap0r##n##_el2, *a0); \
			write_sysreg(ich_ap1r##n##_el2, *a1); \
		} else {                                      \
			*a0 = read_sysreg(ich_ap0r##n##_el2); \
			*a1 = read_sysreg(ich_ap1r##n##_el2); \
		}                                             \
		break

static void apr_access(unsigned int i, uint64_t *a0, uint64_t *a1, int write)
{
	switch (i) {
		APR_CASE(0);
		APR_CASE(1);
		APR_CASE(2);
		APR_CASE(3);
	default:
		break;
	}
}

void rec_gic_restore(struct rec *rec)
{
	for (unsigned int i = 0; i < rec_gic_num_lrs; i++)
		lr_access(i, &rec->gic.lrs[i], 1);
	for (unsigned int i = 0; i < rec_gic_num_aprs; i++)
		apr_access(i, &rec->gic.ap0r[i], &rec->gic.ap1r[i], 1);
	write_sysreg(ich_vmcr_el2, rec->gic.vmcr);
	write_sysreg(ich_hcr_el2, rec->gic.hcr | REC_ICH_HCR_RMM);
}

void rec_gic_save(struct rec *rec)
{
	uint64_t zero = 0;

	for (unsigned int i = 0; i < rec_gic_num_lrs; i++) {
		lr_access(i, &rec->gic.lrs[i], 0);
		lr_access(i, &zero, 1); /* nothing of the realm's stays in the hardware */
	}
	for (unsigned int i = 0; i < rec_gic_num_aprs; i++) {
		apr_access(i, &rec->gic.ap0r[i], &rec->gic.ap1r[i], 0);
		apr_access(i, &zero, &zero, 1);
	}
	rec->gic.vmcr = read_sysreg(ich_vmcr_el2);
	rec->gic.misr = read_sysreg(ich_misr_el2);
	/* EOIcount and the host's bits; the RMM's own (En, vSGIEOICount, DVIM) do not leave. */
	rec->gic.hcr = read_sysreg(ich_hcr_el2) & (REC_ICH_HCR_HOST | REC_ICH_HCR_EOICOUNT);
	write_sysreg(ich_hcr_el2, 0);
}
