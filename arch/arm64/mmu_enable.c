/* Turning a stage-1 regime on (separate from the table builder, which is host-testable). */
#include <arch/mmu.h>

void mmu_enable_el3(const struct mmu_tables *t)
{
	write_sysreg(mair_el3, MAIR_VALUE);
	write_sysreg(tcr_el3, TCR_VALUE);
	write_sysreg(ttbr0_el3, (uintptr_t)t->pool[0]);
	dsb_sy();
	__asm__ volatile("tlbi alle3" ::: "memory");
	dsb_sy();
	isb();
	write_sysreg(sctlr_el3, read_sysreg(sctlr_el3) | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN);
	isb();
}

void mmu_enable_el2(const struct mmu_tables *t)
{
	write_sysreg(mair_el2, MAIR_VALUE);
	write_sysreg(tcr_el2, TCR_VALUE);
	write_sysreg(ttbr0_el2, (uintptr_t)t->pool[0]);
	dsb_sy();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb_sy();
	isb();
	write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN);
	isb();
}
