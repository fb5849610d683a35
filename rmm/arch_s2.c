/*
 * Target implementations of the rmm_arch.h hooks for realm memory: granule
 * mappings and stage-2 TLB maintenance. Not built for the host tests, which
 * fake them (tests/unit/fake_rmm_arch.c).
 */
#include <arch/sysreg.h>
#include "granule.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "vmid.h"

#define VTTBR_VMID_SHIFT 48
#define VTCR_VS BIT(19)		    /* 16-bit VMID */
#define TLBI_IPA_MASK 0xfffffffffUL /* Xt[35:0] = IPA[47:12] */

void rmm_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#ifdef CONFIG_RMM_CHECK_MAPPINGS
/*
 * Every DRAM granule is mapped in both PAS all the time: a mapping through
 * the wrong one would read or write the wrong world's data (or take a GPF
 * at R-EL2, which is fatal). Stop at the mapping instead.
 */
static void check_mapping(uint64_t pa, int ns)
{
	struct granule *g = granule_find(pa);

	if (!g)
		rmm_panic("mapping of untracked PA 0x%lx", (unsigned long)pa);
	if ((granule_state(g) == GRANULE_UNDELEGATED) != ns)
		rmm_panic("%s mapping of PA 0x%lx in granule state %u", ns ? "NS" : "Realm",
			  (unsigned long)pa, (unsigned int)granule_state(g));
}
#else
static void check_mapping(uint64_t pa, int ns)
{
	(void)pa;
	(void)ns;
}
#endif

void *granule_map(uint64_t pa)
{
	check_mapping(pa, 0);
	/* rmm_mmu_setup(): DRAM banks identity mapped with NS = 0 (Realm PAS). */
	return (void *)(uintptr_t)pa;
}

const void *ns_granule_map(uint64_t pa)
{
	check_mapping(pa, 1);
	/* The same banks again at RMM_NS_ALIAS_OFFSET with NS = 1. */
	return (const void *)(uintptr_t)(pa + RMM_NS_ALIAS_OFFSET);
}

/*
 * TLBI IPAS2E1IS and TLBI VMALLS12E1IS act on the *current* VMID, the one in
 * VTTBR_EL2 (16 bits wide only while VTCR_EL2.VS = 1), so the RMM has to make
 * the realm's VMID current around them. Both registers belong to the "guest"
 * group the monitor does not switch (docs/boot-flow.md): while the RMM serves
 * an RMI call they hold the Normal world's values, which the RMM must give
 * back unchanged — hence save, write, invalidate, restore. This is safe
 * because:
 *  - the RMM runs with every exception masked, so nothing else runs on this
 *    PE between the write and the restore;
 *  - HCR_EL2 (core group, the RMM's own) has VM = 0 whenever the RMM serves
 *    an RMI call (REC_ENTER must restore that after running a realm), so no
 *    EL1&0 stage-2 walk can use the temporary VTTBR_EL2 (BADDR 0): only its
 *    VMID matters;
 *  - the ISB after each write makes the new VMID the one the TLBI uses, and
 *    the DSB ISH after the TLBIs completes them on every PE of the Inner
 *    Shareable domain before the old values come back.
 * The descriptor change the caller made must be visible to other PEs' table
 * walkers before the invalidation: hence the DSB ISHST first.
 */
struct vmid_ctx {
	uint64_t vttbr, vtcr;
};

static void vmid_enter(unsigned int vmid, struct vmid_ctx *save)
{
	save->vttbr = read_sysreg(vttbr_el2);
	save->vtcr = read_sysreg(vtcr_el2);
	if (rmm_vmid_bits == 16)
		write_sysreg(vtcr_el2, save->vtcr | VTCR_VS);
	write_sysreg(vttbr_el2, (uint64_t)vmid << VTTBR_VMID_SHIFT);
	isb();
}

static void vmid_exit(const struct vmid_ctx *save)
{
	write_sysreg(vttbr_el2, save->vttbr);
	write_sysreg(vtcr_el2, save->vtcr);
	isb();
}

void s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, int level)
{
	struct vmid_ctx save;

	(void)level; /* one TLBI by IPA removes a page, a block or a walk entry alike */
	dsb_ishst();
	vmid_enter(vmid, &save);
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"((ipa >> 12) & TLBI_IPA_MASK) : "memory");
	dsb_ish();
	/*
	 * TLBI by IPA need not remove combined stage 1+2 entries that used this
	 * IPA (their VA is unknown here): drop every stage-1 entry of the VMID.
	 */
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	vmid_exit(&save);
}

void s2_tlbi_vmid(unsigned int vmid)
{
	struct vmid_ctx save;

	dsb_ishst();
	vmid_enter(vmid, &save);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb_ish();
	vmid_exit(&save);
}
