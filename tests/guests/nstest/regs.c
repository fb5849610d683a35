/*
 * rregs REC: every EL1/EL0 and EL2 "guest group" register of the host that
 * the RMM switches when a REC runs (docs/realms.md, "State switched") must
 * hold the host's own value after REC exits in which the realm gave every
 * register it can write a value of its own (realmtest RT_CMD_DIRTY).
 */
#include <lib/string.h>
#include <rampart/rmi.h>
#include "../realmtest/realmtest.h"
#include "nstest.h"

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
#define VDISR_EL2 S3_4_C12_C1_1
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ID_AA64PFR0_RAS(v) (((v) >> 28) & 0xfUL)

#define DEF(r)                         \
	static uint64_t rd_##r(void)   \
	{                              \
		return read_sysreg(r); \
	}                              \
	static void wr_##r(uint64_t v) \
	{                              \
		write_sysreg(r, v);    \
	}
DEF(sp_el0)
DEF(sp_el1)
DEF(elr_el1)
DEF(spsr_el1)
DEF(sctlr_el1)
DEF(cpacr_el1)
DEF(ttbr0_el1)
DEF(ttbr1_el1)
DEF(tcr_el1)
DEF(mair_el1)
DEF(amair_el1)
DEF(vbar_el1)
DEF(contextidr_el1)
DEF(tpidr_el0)
DEF(tpidr_el1)
DEF(tpidrro_el0)
DEF(esr_el1)
DEF(far_el1)
DEF(afsr0_el1)
DEF(afsr1_el1)
DEF(par_el1)
DEF(csselr_el1)
DEF(cntkctl_el1)
DEF(cntv_ctl_el0)
DEF(cntv_cval_el0)
DEF(cntp_ctl_el0)
DEF(cntp_cval_el0)
DEF(APIAKEYLO_EL1)
DEF(APIAKEYHI_EL1)
DEF(APIBKEYLO_EL1)
DEF(APIBKEYHI_EL1)
DEF(APDAKEYLO_EL1)
DEF(APDAKEYHI_EL1)
DEF(APDBKEYLO_EL1)
DEF(APDBKEYHI_EL1)
DEF(APGAKEYLO_EL1)
DEF(APGAKEYHI_EL1)
DEF(mdscr_el1)
DEF(elr_el2)
DEF(spsr_el2)
DEF(esr_el2)
DEF(far_el2)
DEF(hpfar_el2)
DEF(afsr0_el2)
DEF(afsr1_el2)
DEF(vttbr_el2)
DEF(vtcr_el2)
DEF(cnthctl_el2)
DEF(cntvoff_el2)
DEF(contextidr_el2)
DEF(vmpidr_el2)
DEF(vpidr_el2)
DEF(hstr_el2)
DEF(hacr_el2)
DEF(ICH_HCR_EL2)
DEF(ICH_VMCR_EL2)
DEF(HFGRTR_EL2)
DEF(HFGWTR_EL2)
DEF(HFGITR_EL2)
DEF(HDFGRTR_EL2)
DEF(HDFGWTR_EL2)
DEF(HCRX_EL2)
DEF(VDISR_EL2)

enum need { ALWAYS, FGT_HCX, RAS };
struct reg {
	const char *name;
	uint64_t (*rd)(void);
	void (*wr)(uint64_t v);
	uint64_t val; /* 0: the host's pattern for this index */
	enum need need;
};
#define R(r, v)                               \
	{                                     \
#r, rd_##r, wr_##r, v, ALWAYS \
	}
#define RN(r, v, n)                      \
	{                                \
#r, rd_##r, wr_##r, v, n \
	}

/* 38 EL1/EL0 registers: the 37 of docs/realms.md and MDSCR_EL1 (rec_hostobs.c). */
static const struct reg el1[] = {
	R(sp_el0, 0),
	R(sp_el1, 0),
	R(elr_el1, 0),
	R(spsr_el1, 0),
	R(sctlr_el1, 0x30d00800UL),
	R(cpacr_el1, 0),
	R(ttbr0_el1, 0),
	R(ttbr1_el1, 0),
	R(tcr_el1, 0),
	R(mair_el1, 0),
	R(amair_el1, 0),
	R(vbar_el1, 0x12345000UL),
	R(contextidr_el1, 0),
	R(tpidr_el0, 0),
	R(tpidr_el1, 0),
	R(tpidrro_el0, 0),
	R(esr_el1, 0),
	R(far_el1, 0),
	R(afsr0_el1, 0),
	R(afsr1_el1, 0),
	R(par_el1, 0),
	R(csselr_el1, 1),
	R(cntkctl_el1, 0),
	R(cntv_ctl_el0, 0),
	R(cntv_cval_el0, 0),
	R(cntp_ctl_el0, 0),
	R(cntp_cval_el0, 0),
	R(APIAKEYLO_EL1, 0),
	R(APIAKEYHI_EL1, 0),
	R(APIBKEYLO_EL1, 0),
	R(APIBKEYHI_EL1, 0),
	R(APDAKEYLO_EL1, 0),
	R(APDAKEYHI_EL1, 0),
	R(APDBKEYLO_EL1, 0),
	R(APDBKEYHI_EL1, 0),
	R(APGAKEYLO_EL1, 0),
	R(APGAKEYHI_EL1, 0),
	R(mdscr_el1, 0),
};

/* 18 EL2 guest-group registers, the 6 FGT/HCRX ones, and VDISR_EL2 (FEAT_RAS). */
static const struct reg el2[] = {
	R(elr_el2, 0),
	R(spsr_el2, 0x3c9UL),
	R(esr_el2, 0),
	R(far_el2, 0),
	R(hpfar_el2, 0),
	R(afsr0_el2, 0),
	R(afsr1_el2, 0),
	R(vttbr_el2, 0x0005000061000000UL),
	R(vtcr_el2, 0),
	R(cnthctl_el2, 0x3UL),
	R(cntvoff_el2, 0),
	R(contextidr_el2, 0),
	R(vmpidr_el2, 0x80000003UL),
	R(vpidr_el2, 0),
	R(hstr_el2, 0),
	R(hacr_el2, 0),
	R(ICH_HCR_EL2, 0x4040UL),
	R(ICH_VMCR_EL2, 0),
	RN(HFGRTR_EL2, 0, FGT_HCX),
	RN(HFGWTR_EL2, 0, FGT_HCX),
	RN(HFGITR_EL2, 0, FGT_HCX),
	RN(HDFGRTR_EL2, 0, FGT_HCX),
	RN(HDFGWTR_EL2, 0, FGT_HCX),
	RN(HCRX_EL2, 0, FGT_HCX),
	RN(VDISR_EL2, 0x80001001UL, RAS),
};
#define NEL1 (sizeof(el1) / sizeof(el1[0]))
#define NEL2 (sizeof(el2) / sizeof(el2[0]))

static int present(enum need n)
{
	if (n == FGT_HCX)
		return ID_AA64MMFR0_FGT(read_sysreg(id_aa64mmfr0_el1)) &&
		       ID_AA64MMFR1_HCX(read_sysreg(id_aa64mmfr1_el1));
	if (n == RAS)
		return ID_AA64PFR0_RAS(read_sysreg(id_aa64pfr0_el1)) != 0;
	return 1;
}

static uint64_t host_pattern(unsigned int group, unsigned int i)
{
	return 0x4805000000000000UL | ((uint64_t)group << 44) | ((uint64_t)i << 36) | 0x5a5a5a5a0UL;
}

/* Write the host's values, remember what each register holds of them. */
static void set_all(const struct reg *r, unsigned int n, unsigned int group, uint64_t *want)
{
	for (unsigned int i = 0; i < n; i++) {
		if (!present(r[i].need))
			continue;
		r[i].wr(r[i].val ? r[i].val : host_pattern(group, i));
		isb();
		want[i] = r[i].rd();
	}
}

static unsigned int check_all(const struct reg *r, unsigned int n, const uint64_t *want)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (present(r[i].need) && r[i].rd() != want[i]) {
			printk("rregs lost %s: %lx, was %lx\n", r[i].name, r[i].rd(), want[i]);
			bad++;
		}
	}
	return bad;
}

void cmd_rregs(const uint64_t *args, unsigned int n)
{
	unsigned int rec = (unsigned int)args[0];
	uint64_t g[1] = { RT_CMD_DIRTY }, want1[NEL1], want2[NEL2];
	unsigned int bad1 = 0, bad2 = 0;

	(void)n;
	set_all(el1, NEL1, 1, want1);
	set_all(el2, NEL2, 2, want2);
	/* The realm sets its values and makes a host call; then it checks its own. */
	uint64_t r1 = realm_enter(rec, 0, g, 1, 1);
	bad1 += check_all(el1, NEL1, want1);
	bad2 += check_all(el2, NEL2, want2);
	uint64_t r2 = realm_enter(rec, 0, NULL, 0, 1);
	bad1 += check_all(el1, NEL1, want1);
	bad2 += check_all(el2, NEL2, want2);
	const struct rmi_rec_run *run = realm_run_page(rec);
	/* Leave the EL2 trap and GIC registers harmless for later commands. */
	write_sysreg(ICH_HCR_EL2, 0);
	if (present(FGT_HCX)) {
		write_sysreg(HFGRTR_EL2, 0);
		write_sysreg(HFGWTR_EL2, 0);
		write_sysreg(HFGITR_EL2, 0);
		write_sysreg(HDFGRTR_EL2, 0);
		write_sysreg(HDFGWTR_EL2, 0);
		write_sysreg(HCRX_EL2, 0);
	}
	write_sysreg(mdscr_el1, 0);
	isb();
	printk("rregs ret=%lx,%lx imm=%lx el1=%u el2=%u el1_bad=%u el2_bad=%u realm_lost=%lx "
	       "realm_disr=%lx\n",
	       r1, r2, run->exit.imm, (unsigned int)NEL1, (unsigned int)NEL2, bad1, bad2, run->exit.gprs[0],
	       run->exit.gprs[1]);
}
