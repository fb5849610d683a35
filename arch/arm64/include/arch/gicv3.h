/*
 * GICv3 virtual CPU interface registers shared by the images that drive
 * list registers (GICv3 architecture, 12.4 "ICH_* registers"): field
 * layouts only, and accessors for list registers by number.
 */
#ifndef ARCH_GICV3_H
#define ARCH_GICV3_H
#include <stdint.h>
#include <arch/sysreg.h>

#define ICH_HCR_EL2_REG S3_4_C12_C11_0
#define ICH_VTR_EL2_REG S3_4_C12_C11_1
#define ICH_ELRSR_EL2_REG S3_4_C12_C11_5
#define ICH_HCR_EN (1UL << 0)
#define ICH_HCR_UIE (1UL << 1) /* maintenance IRQ while at most one list register is valid */
#define ICH_HCR_NPIE (1UL << 3)
#define ICH_VTR_LISTREGS(v) (((v)&0x1fU) + 1)
#define ICH_VTR_PRIBITS(v) ((((v) >> 29) & 7U) + 1)

#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_MASK 3UL
#define ICH_LR_HW (1UL << 61)
#define ICH_LR_GROUP1 (1UL << 60)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_EOI (1UL << 41) /* HW = 0: maintenance interrupt when the guest deactivates it */
#define ICH_LR_VINTID_MASK 0xffffffffUL

#ifndef __ASSEMBLY__
/* List register n (system register names need constants: one case each). */
static inline uint64_t ich_lr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(S3_4_C12_C12_0);
	case 1:
		return read_sysreg(S3_4_C12_C12_1);
	case 2:
		return read_sysreg(S3_4_C12_C12_2);
	case 3:
		return read_sysreg(S3_4_C12_C12_3);
	case 4:
		return read_sysreg(S3_4_C12_C12_4);
	case 5:
		return read_sysreg(S3_4_C12_C12_5);
	case 6:
		return read_sysreg(S3_4_C12_C12_6);
	default:
		return read_sysreg(S3_4_C12_C12_7);
	}
}

static inline void ich_lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0:
		write_sysreg(S3_4_C12_C12_0, v);
		break;
	case 1:
		write_sysreg(S3_4_C12_C12_1, v);
		break;
	case 2:
		write_sysreg(S3_4_C12_C12_2, v);
		break;
	case 3:
		write_sysreg(S3_4_C12_C12_3, v);
		break;
	case 4:
		write_sysreg(S3_4_C12_C12_4, v);
		break;
	case 5:
		write_sysreg(S3_4_C12_C12_5, v);
		break;
	case 6:
		write_sysreg(S3_4_C12_C12_6, v);
		break;
	default:
		write_sysreg(S3_4_C12_C12_7, v);
		break;
	}
}
#endif
#endif
