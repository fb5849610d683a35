/* AArch64 system register access and the bit fields Rampart uses. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#define BIT(n) (1UL << (n))

/* Registers binutils may not know by name (FEAT_RME, FEAT_FGT, FEAT_HCX). */
#define GPCCR_EL3 S3_6_C2_C1_6
#define GPTBR_EL3 S3_6_C2_C1_4
#define HFGRTR_EL2 S3_4_C1_C1_4
#define HFGWTR_EL2 S3_4_C1_C1_5
#define HFGITR_EL2 S3_4_C1_C1_6
#define HDFGRTR_EL2 S3_4_C3_C1_4
#define HDFGWTR_EL2 S3_4_C3_C1_5
#define HCRX_EL2 S3_4_C1_C2_2
#define ZCR_EL3 S3_6_C1_C2_0
#define SMCR_EL3 S3_6_C1_C2_6
#define ID_AA64SMFR0_EL1 S3_0_C0_C4_5

/* SCR_EL3 */
#define SCR_NS BIT(0)
#define SCR_IRQ BIT(1)
#define SCR_FIQ BIT(2)
#define SCR_EA BIT(3)
#define SCR_RES1 (BIT(4) | BIT(5))
#define SCR_HCE BIT(8)
#define SCR_SIF BIT(9)
#define SCR_RW BIT(10)
#define SCR_APK BIT(16)
#define SCR_API BIT(17)
#define SCR_FGTEN BIT(27)
#define SCR_HXEN BIT(38)
#define SCR_ENTP2 BIT(41)
#define SCR_GPF BIT(48)
#define SCR_NSE BIT(62)

/* SCTLR_ELx (EL2/EL3 layout) */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)
#define SCTLR_EL2_RES1 0x30c50830UL
#define SCTLR_EL3_RES1 0x30c50830UL

/* CPTR_EL3 */
#define CPTR_EL3_EZ BIT(8)
#define CPTR_EL3_TFP BIT(10)
#define CPTR_EL3_ESM BIT(12)
/* CPTR_EL2 (E2H = 0) RES1 bits */
#define CPTR_EL2_RES1 0x000032ffUL

/* SPSR: EL2h / EL1h, all of DAIF masked. */
#define SPSR_EL2H_DAIF 0x3c9UL
#define SPSR_EL1H_DAIF 0x3c5UL

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fUL
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYSREG 0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_IL_SHIFT 25
#define ESR_IL BIT(ESR_IL_SHIFT)
#define ESR_FSC_MASK 0x3fUL
/* ISS of a data abort taken to EL2 (valid syndrome when ISV). */
#define ESR_DABT_ISV BIT(24)
#define ESR_DABT_SAS_SHIFT 22
#define ESR_DABT_SAS_MASK 3UL
#define ESR_DABT_SSE BIT(21)
#define ESR_DABT_SRT_SHIFT 16
#define ESR_DABT_SRT_MASK 0x1fUL
#define ESR_DABT_SF BIT(15)
#define ESR_DABT_WNR BIT(6)
/* ISS of a trapped MSR/MRS: Op0 [21:20] Op2 [19:17] Op1 [16:14] CRn [13:10] Rt [9:5] CRm [4:1] read [0]. */
#define ESR_SYSREG_KEY(op0, op1, crn, crm, op2) \
	((uint32_t)(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1)))
#define ESR_SYSREG_KEY_MASK 0x3ffc1eU
#define ESR_SYSREG_RT_SHIFT 5
#define ESR_SYSREG_RT_MASK 0x1fU
#define ESR_SYSREG_READ 1U
/* Register number 31 in Rt: XZR (reads as zero, writes ignored). */
#define GPR_XZR 31
/* Fault status code of a Granule Protection Fault not on a table walk. */
#define ESR_FSC_GPF 0x28

/* MPIDR_EL1 */
#define MPIDR_AFF_MASK 0xff00ffffffUL
#define MPIDR_AFF0(m) ((m)&0xffUL)

/* ID register fields */
#define ID_AA64PFR0_SVE(v) (((v) >> 32) & 0xf)
#define ID_AA64PFR1_SME(v) (((v) >> 24) & 0xf)
#define ID_AA64MMFR0_PARANGE(v) ((v)&0xf)
#define ID_AA64MMFR0_FGT(v) (((v) >> 56) & 0xf)
#define ID_AA64MMFR1_HCX(v) (((v) >> 40) & 0xf)
#define ID_AA64PFR0_RME(v) (((v) >> 52) & 0xf)

/* CTR_EL0 */
#define CTR_DMINLINE(v) (((v) >> 16) & 0xf)

#ifndef __ASSEMBLY__
#include <stdint.h>

/* The register name as a string; two steps so that a macro argument is expanded first. */
#define SYSREG_STR_1(x) #x
#define SYSREG_STR(x) SYSREG_STR_1(x)

#define read_sysreg(r)                                                  \
	({                                                              \
		uint64_t __r;                                           \
		__asm__ volatile("mrs %0, " SYSREG_STR(r) : "=r"(__r)); \
		__r;                                                    \
	})
#define write_sysreg(r, v)                                                             \
	do {                                                                           \
		uint64_t __v = (uint64_t)(v);                                          \
		__asm__ volatile("msr " SYSREG_STR(r) ", %0" : : "r"(__v) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}
static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}
static inline void dmb_ish(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}
static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}
static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}
static inline uint64_t read_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static inline uint64_t esr_ec(uint64_t esr)
{
	return (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

/* Access size in bytes and target register of a data abort with a valid syndrome. */
static inline unsigned int esr_dabt_size(uint64_t esr)
{
	return 1U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
}
static inline unsigned int esr_dabt_rt(uint64_t esr)
{
	return (unsigned int)((esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK);
}

/* What an emulated load of val writes to Rt: the access size, sign-extended per SSE, 32 bits unless SF. */
static inline uint64_t esr_dabt_load_value(uint64_t esr, uint64_t val)
{
	/* Shift the access to the top, back down arithmetically or not: no branch on the size. */
	unsigned int unused = 64 - (8U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK));

	val <<= unused;
	val = (esr & ESR_DABT_SSE) ? (uint64_t)((int64_t)val >> unused) : val >> unused;
	return (esr & ESR_DABT_SF) ? val : (val & 0xffffffffUL);
}

#endif /* __ASSEMBLY__ */
#endif
