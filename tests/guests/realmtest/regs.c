/*
 * RT_CMD_DIRTY: the realm gives every EL1/EL0 register it can write a value
 * of its own, lets the host run (a host call, that is a REC exit and a new
 * REC_ENTER), and checks they all came back. The host checks meanwhile that
 * none of them reached it (nstest rregs).
 */
#include <stdint.h>
#include <arch/sysreg.h>
#include "realmtest.h"

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
#define DISR_EL1 S3_0_C12_C1_1
#define DISR_A (1UL << 31)
#define REALM_DISR_ISS 0x1234UL

#define DEF(r)                         \
	static uint64_t rd_##r(void)   \
	{                              \
		return read_sysreg(r); \
	}                              \
	static void wr_##r(uint64_t v) \
	{                              \
		write_sysreg(r, v);    \
	}
DEF(sctlr_el1)
DEF(cpacr_el1)
DEF(ttbr0_el1)
DEF(ttbr1_el1)
DEF(tcr_el1)
DEF(mair_el1)
DEF(amair_el1)
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
DEF(cntv_cval_el0)
DEF(cntv_ctl_el0)
DEF(cntp_cval_el0)
DEF(cntp_ctl_el0)
DEF(sp_el0)
DEF(elr_el1)
DEF(spsr_el1)
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

#define REALM_PAT(i) (0x7e41000000000000UL | ((uint64_t)(i) << 40) | 0x0000c3c3c3c3c3c0UL)
#define SCTLR_UCI (1UL << 26)
#define SCTLR_UCT (1UL << 15)
#define SCTLR_DZE (1UL << 14)
#define CPACR_FPEN (3UL << 20)
#define CPACR_TTA (1UL << 28)

/* Each register and the value the realm gives it (most: REALM_PAT; some must stay usable). */
static const struct reg {
	uint64_t (*rd)(void);
	void (*wr)(uint64_t v);
	uint64_t val; /* 0: REALM_PAT(index) */
} regs[] = {
	{ rd_sctlr_el1, wr_sctlr_el1, 0 }, /* set from the current value below */
	{ rd_cpacr_el1, wr_cpacr_el1, CPACR_FPEN | CPACR_TTA },
	{ rd_ttbr0_el1, wr_ttbr0_el1, 0 },
	{ rd_ttbr1_el1, wr_ttbr1_el1, 0 },
	{ rd_tcr_el1, wr_tcr_el1, 0 },
	{ rd_mair_el1, wr_mair_el1, 0 },
	{ rd_amair_el1, wr_amair_el1, 0 },
	{ rd_contextidr_el1, wr_contextidr_el1, 0 },
	{ rd_tpidr_el0, wr_tpidr_el0, 0 },
	{ rd_tpidr_el1, wr_tpidr_el1, 0 },
	{ rd_tpidrro_el0, wr_tpidrro_el0, 0 },
	{ rd_esr_el1, wr_esr_el1, 0 },
	{ rd_far_el1, wr_far_el1, 0 },
	{ rd_afsr0_el1, wr_afsr0_el1, 0 },
	{ rd_afsr1_el1, wr_afsr1_el1, 0 },
	{ rd_par_el1, wr_par_el1, 0 },
	{ rd_csselr_el1, wr_csselr_el1, 2 },
	{ rd_cntkctl_el1, wr_cntkctl_el1, 3 },
	{ rd_cntv_cval_el0, wr_cntv_cval_el0, 0 },
	{ rd_cntv_ctl_el0, wr_cntv_ctl_el0, 2 }, /* IMASK, not enabled: never asserted */
	{ rd_cntp_cval_el0, wr_cntp_cval_el0, 0 },
	{ rd_cntp_ctl_el0, wr_cntp_ctl_el0, 2 },
	{ rd_sp_el0, wr_sp_el0, 0 },
	{ rd_elr_el1, wr_elr_el1, 0 },
	{ rd_spsr_el1, wr_spsr_el1, 0 },
	{ rd_APIAKEYLO_EL1, wr_APIAKEYLO_EL1, 0 },
	{ rd_APIAKEYHI_EL1, wr_APIAKEYHI_EL1, 0 },
	{ rd_APIBKEYLO_EL1, wr_APIBKEYLO_EL1, 0 },
	{ rd_APIBKEYHI_EL1, wr_APIBKEYHI_EL1, 0 },
	{ rd_APDAKEYLO_EL1, wr_APDAKEYLO_EL1, 0 },
	{ rd_APDAKEYHI_EL1, wr_APDAKEYHI_EL1, 0 },
	{ rd_APDBKEYLO_EL1, wr_APDBKEYLO_EL1, 0 },
	{ rd_APDBKEYHI_EL1, wr_APDBKEYHI_EL1, 0 },
	{ rd_APGAKEYLO_EL1, wr_APGAKEYLO_EL1, 0 },
	{ rd_APGAKEYHI_EL1, wr_APGAKEYHI_EL1, 0 },
};
#define NREGS (sizeof(regs) / sizeof(regs[0]))
_Static_assert(NREGS <= 64, "one bit each in the mismatch mask");

/*
 * Returns the mask of registers that did not survive between() (bit i for
 * regs[i]; bit 63: DISR_EL1). *disr_seen: DISR_EL1 as the realm found it,
 * which must be its own (0), never the host's VDISR_EL2.
 */
unsigned long realm_dirty_el1(void (*between)(void), unsigned long *disr_seen)
{
	uint64_t want[NREGS], bad = 0;

	/* RAS is hidden from realms (ID_AA64PFR0), yet DISR_EL1 exists: with HCR_EL2.AMO, VDISR_EL2. */
	*disr_seen = read_sysreg(DISR_EL1);
	write_sysreg(DISR_EL1, DISR_A | REALM_DISR_ISS);
	for (unsigned int i = 0; i < NREGS; i++) {
		uint64_t v = regs[i].val ? regs[i].val : REALM_PAT(i);
		if (i == 0)
			v = regs[0].rd() | SCTLR_UCI | SCTLR_UCT | SCTLR_DZE;
		regs[i].wr(v);
		isb();
		want[i] = regs[i].rd(); /* what the register holds of it (RES0 bits, RAZ/WI) */
	}
	uint64_t want_disr = read_sysreg(DISR_EL1);
	between();
	for (unsigned int i = 0; i < NREGS; i++) {
		if (regs[i].rd() != want[i])
			bad |= 1UL << i;
	}
	if (read_sysreg(DISR_EL1) != want_disr)
		bad |= 1UL << 63;
	return bad;
}

/* After a PSCI CPU_ON reset: the registers RT_CMD_DIRTY sets that are not 0 (bit i: regs[i]). */
unsigned long realm_el1_left(void)
{
	unsigned long left = 0;

	/* SCTLR_EL1 has a reset value; the entry code sets CPACR_EL1.FPEN. */
	for (unsigned int i = 2; i < NREGS; i++) {
		if (regs[i].rd())
			left |= 1UL << i;
	}
	if (read_sysreg(DISR_EL1))
		left |= 1UL << 63;
	return left;
}

/*
 * A stage-1 walk through unprotected memory: VA [0, 1 GiB) has its level-2
 * table at table_ipa (outside the realm's protected half), VA [1 GiB, 2 GiB)
 * maps the realm's RAM 1:1. The load's walk takes a stage-2 abort at R-EL2,
 * which must come back as an SEA here, never as an exit the host emulates.
 */
#define TCR_T0SZ_32 32UL
#define TCR_EPD1 (1UL << 23)
#define MAIR_NORMAL_WB 0xffUL
#define PTE_TABLE 3UL
#define PTE_BLOCK 1UL
#define PTE_AF (1UL << 10)
#define PTE_SH_INNER (3UL << 8)
#define GIB (1UL << 30)

static uint64_t s1_l1[512] __attribute__((aligned(4096)));

void realm_s1ptw(unsigned long table_ipa)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	s1_l1[0] = table_ipa | PTE_TABLE;
	s1_l1[1] = GIB | PTE_AF | PTE_SH_INNER | PTE_BLOCK;
	write_sysreg(mair_el1, MAIR_NORMAL_WB);
	write_sysreg(tcr_el1, TCR_T0SZ_32 | TCR_EPD1);
	write_sysreg(ttbr0_el1, (uint64_t)s1_l1);
	__asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg(sctlr_el1, sctlr | SCTLR_M);
	isb();
	(void)*(volatile uint64_t *)RT_S1PTW_VA;
	write_sysreg(sctlr_el1, sctlr);
	isb();
}
