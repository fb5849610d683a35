/*
 * System register state switched when a REC runs (reference §5.4, §1.13,
 * §1.14). EL3 switches only the "core" EL2 group; the RMM owns everything
 * a realm can change below it: EL1/EL0 registers, the EL1 timers, the GIC
 * virtual CPU interface, FP/SIMD, and the "guest" EL2 group, whose Normal
 * world values it gives back unchanged (docs/rmm-el3-interface.md).
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <crypto/crypto.h>
#include "rec_ctx.h"
#include "rmm_asm.h"
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
int rec_have_ras;

/* The Normal world's state while a realm runs on this CPU. */
static struct ns_state {
	struct rec_el1 el1;
	struct el2_guest el2;
	uint8_t fpu[RMM_FPU_AREA_SIZE] __attribute__((aligned(16))); /* rmm/fpu.S */
} ns_state[CONFIG_NR_CPUS];

int rec_have_sve;
/* The whole FP/SIMD/SVE register file around the RMM's own SHA-256 (lib/crypto). */
static uint8_t crypto_fpu[CONFIG_NR_CPUS][RMM_FPU_AREA_SIZE] __attribute__((aligned(16)));

static void crypto_guard_save(void)
{
	fpu_save(crypto_fpu[rmm_cpu_index()], rec_have_sve);
}
static void crypto_guard_restore(void)
{
	fpu_restore(crypto_fpu[rmm_cpu_index()], rec_have_sve);
}
static const struct crypto_simd_guard crypto_guard = { crypto_guard_save, crypto_guard_restore };

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
	rec_have_sve = ID_AA64PFR0_SVE(read_sysreg(id_aa64pfr0_el1)) != 0;
	rec_have_ras = ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf) != 0;
	crypto_set_simd_guard(&crypto_guard);
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
	if (rec_have_ras)
		g->vdisr = read_sysreg(VDISR_EL2);
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
	if (rec_have_ras)
		write_sysreg(VDISR_EL2, g->vdisr);
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

/*
 * FP/SIMD: the realm's registers (V0-V31: realms have no SVE) are loaded on
 * its first FP trap of a REC_ENTER; the host's whole register file is kept.
 */

void rec_fp_load_realm(struct rec *rec)
{
	fpu_save(ns_state[rmm_cpu_index()].fpu, rec_have_sve);
	fpu_restore(&rec->fp, 0);
	rec->pend.fp_used = 1;
}

void rec_fp_put_realm(struct rec *rec)
{
	fpu_save(&rec->fp, 0);
	fpu_restore(ns_state[rmm_cpu_index()].fpu, rec_have_sve);
}

/* The first n list registers, written from lr[] (no loop over a register name). */
static void lrs_load(const uint64_t *lr, unsigned int n)
{
	switch (n) {
	case 16:
		write_sysreg(ich_lr15_el2, lr[15]);
		__attribute__((fallthrough));
	case 15:
		write_sysreg(ich_lr14_el2, lr[14]);
		__attribute__((fallthrough));
	case 14:
		write_sysreg(ich_lr13_el2, lr[13]);
		__attribute__((fallthrough));
	case 13:
		write_sysreg(ich_lr12_el2, lr[12]);
		__attribute__((fallthrough));
	case 12:
		write_sysreg(ich_lr11_el2, lr[11]);
		__attribute__((fallthrough));
	case 11:
		write_sysreg(ich_lr10_el2, lr[10]);
		__attribute__((fallthrough));
	case 10:
		write_sysreg(ich_lr9_el2, lr[9]);
		__attribute__((fallthrough));
	case 9:
		write_sysreg(ich_lr8_el2, lr[8]);
		__attribute__((fallthrough));
	case 8:
		write_sysreg(ich_lr7_el2, lr[7]);
		__attribute__((fallthrough));
	case 7:
		write_sysreg(ich_lr6_el2, lr[6]);
		__attribute__((fallthrough));
	case 6:
		write_sysreg(ich_lr5_el2, lr[5]);
		__attribute__((fallthrough));
	case 5:
		write_sysreg(ich_lr4_el2, lr[4]);
		__attribute__((fallthrough));
	case 4:
		write_sysreg(ich_lr3_el2, lr[3]);
		__attribute__((fallthrough));
	case 3:
		write_sysreg(ich_lr2_el2, lr[2]);
		__attribute__((fallthrough));
	case 2:
		write_sysreg(ich_lr1_el2, lr[1]);
		__attribute__((fallthrough));
	case 1:
		write_sysreg(ich_lr0_el2, lr[0]);
		__attribute__((fallthrough));
	default:
		break;
	}
}

/* The first n list registers into lr[], each zeroed after it is read. */
static void lrs_take(uint64_t *lr, unsigned int n)
{
	switch (n) {
	case 16:
		lr[15] = read_sysreg(ich_lr15_el2);
		write_sysreg(ich_lr15_el2, 0);
		__attribute__((fallthrough));
	case 15:
		lr[14] = read_sysreg(ich_lr14_el2);
		write_sysreg(ich_lr14_el2, 0);
		__attribute__((fallthrough));
	case 14:
		lr[13] = read_sysreg(ich_lr13_el2);
		write_sysreg(ich_lr13_el2, 0);
		__attribute__((fallthrough));
	case 13:
		lr[12] = read_sysreg(ich_lr12_el2);
		write_sysreg(ich_lr12_el2, 0);
		__attribute__((fallthrough));
	case 12:
		lr[11] = read_sysreg(ich_lr11_el2);
		write_sysreg(ich_lr11_el2, 0);
		__attribute__((fallthrough));
	case 11:
		lr[10] = read_sysreg(ich_lr10_el2);
		write_sysreg(ich_lr10_el2, 0);
		__attribute__((fallthrough));
	case 10:
		lr[9] = read_sysreg(ich_lr9_el2);
		write_sysreg(ich_lr9_el2, 0);
		__attribute__((fallthrough));
	case 9:
		lr[8] = read_sysreg(ich_lr8_el2);
		write_sysreg(ich_lr8_el2, 0);
		__attribute__((fallthrough));
	case 8:
		lr[7] = read_sysreg(ich_lr7_el2);
		write_sysreg(ich_lr7_el2, 0);
		__attribute__((fallthrough));
	case 7:
		lr[6] = read_sysreg(ich_lr6_el2);
		write_sysreg(ich_lr6_el2, 0);
		__attribute__((fallthrough));
	case 6:
		lr[5] = read_sysreg(ich_lr5_el2);
		write_sysreg(ich_lr5_el2, 0);
		__attribute__((fallthrough));
	case 5:
		lr[4] = read_sysreg(ich_lr4_el2);
		write_sysreg(ich_lr4_el2, 0);
		__attribute__((fallthrough));
	case 4:
		lr[3] = read_sysreg(ich_lr3_el2);
		write_sysreg(ich_lr3_el2, 0);
		__attribute__((fallthrough));
	case 3:
		lr[2] = read_sysreg(ich_lr2_el2);
		write_sysreg(ich_lr2_el2, 0);
		__attribute__((fallthrough));
	case 2:
		lr[1] = read_sysreg(ich_lr1_el2);
		write_sysreg(ich_lr1_el2, 0);
		__attribute__((fallthrough));
	case 1:
		lr[0] = read_sysreg(ich_lr0_el2);
		write_sysreg(ich_lr0_el2, 0);
		__attribute__((fallthrough));
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
	lrs_load(rec->gic.lrs, rec_gic_num_lrs);
	for (unsigned int i = 0; i < rec_gic_num_aprs; i++)
		apr_access(i, &rec->gic.ap0r[i], &rec->gic.ap1r[i], 1);
	write_sysreg(ich_vmcr_el2, rec->gic.vmcr);
	write_sysreg(ich_hcr_el2, rec->gic.hcr | REC_ICH_HCR_RMM);
}

void rec_gic_save(struct rec *rec)
{
	uint64_t zero = 0;

	lrs_take(rec->gic.lrs, rec_gic_num_lrs); /* nothing of the realm's stays in the hardware */
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
