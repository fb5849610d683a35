/*
 * The monitor's Granule Protection Table: built once by CPU 0, enabled on
 * every CPU, and changed only by RMM_GTSI_DELEGATE/UNDELEGATE.
 */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "monitor.h"

#define GB_INDEX(a) ((uint32_t)((a) >> GPT_L0GPTSZ_SHIFT))
#define DRAM_FIRST_GB GB_INDEX(CONFIG_DRAM_BASE)
#define DRAM_GBS ((uint32_t)(CONFIG_DRAM_SIZE >> GPT_L0GPTSZ_SHIFT))
#define GPT_NR_L1 (1 + DRAM_GBS) /* the SRAM/flash gigabyte and DRAM */

_Static_assert((CONFIG_DRAM_BASE & (GPT_L0_REGION_SIZE - 1)) == 0, "DRAM base must be 1 GiB aligned");
_Static_assert((CONFIG_DRAM_SIZE & (GPT_L0_REGION_SIZE - 1)) == 0, "DRAM size must be whole GiB");
_Static_assert(GPT_NR_L1 <= GPT_MAX_L1, "too much DRAM for the GPT layout");
_Static_assert(GB_INDEX(CONFIG_SECURE_SRAM_BASE) == 0 && CONFIG_FLASH_SIZE <= GPT_L0_REGION_SIZE,
	       "SRAM and flash must be in the first GiB");

static uint64_t gpt_l0[GPT_L0_ENTRIES] __attribute__((aligned(GPT_L0_ENTRIES * 8), section(".gpt")));
static uint64_t gpt_l1[GPT_NR_L1 * GPT_L1_ENTRIES]
	__attribute__((aligned(GPT_L1_TABLE_SIZE), section(".gpt")));
static struct gpt gpt;
static spinlock_t gpt_lock = SPINLOCK_INIT;

#define PAS_OP_NS (1UL << 63)
#define PAS_OP_REALM (3UL << 62)

/* Clean+invalidate one granule to the Point of Physical Aliasing in a PAS (gpt_cmo.S). */
void cipapa_granule(uint64_t pa_with_pas);

static void tlbi_rpa_granule(uint64_t pa)
{
	__asm__ volatile("dsb oshst\n\t"
			 "sys #6, c8, c4, #7, %0\n\t" /* TLBI RPALOS, 4 KiB */
			 "dsb osh\n\t"
			 "isb" ::"r"(pa >> GPT_PGS_SHIFT)
			 : "memory");
}

static void set_or_panic(uint64_t base, uint64_t size, unsigned int gpi)
{
	int rc = gpt_set_range(&gpt, base, size, gpi);
	if (rc)
		monitor_panic("GPT: cannot set [0x%lx, +0x%lx) to %u: error %d", base, size, gpi, rc);
}

void gpt_setup(void)
{
	uint32_t regions[GPT_NR_L1];

	if (!ID_AA64PFR0_RME(read_sysreg(id_aa64pfr0_el1)))
		monitor_panic("CPU has no FEAT_RME (QEMU needs -cpu max,x-rme=on)");
	if (GPCCR_L0GPTSZ(read_sysreg(GPCCR_EL3)) != 0)
		monitor_panic("GPCCR_EL3.L0GPTSZ is not 1 GiB; this build expects 30 bits");
	regions[0] = 0;
	for (uint32_t i = 0; i < DRAM_GBS; i++)
		regions[1 + i] = DRAM_FIRST_GB + i;
	int rc = gpt_init(&gpt, gpt_l0, gpt_l1, (uintptr_t)gpt_l1, regions, GPT_NR_L1);
	if (rc)
		monitor_panic("GPT: bad layout (%d)", rc);
	set_or_panic(0, CONFIG_FLASH_SIZE, GPI_ROOT);
	set_or_panic(CONFIG_SECURE_SRAM_BASE, CONFIG_SECURE_SRAM_SIZE, GPI_ROOT);
	set_or_panic(CONFIG_DRAM_BASE, CONFIG_DRAM_SIZE, GPI_NS);
	set_or_panic(CONFIG_RMM_BASE, CONFIG_RMM_SIZE, GPI_REALM);
	dcache_clean_range((uintptr_t)gpt_l0, sizeof(gpt_l0));
	dcache_clean_range((uintptr_t)gpt_l1, sizeof(gpt_l1));
	MLOG(1, "GPT: L0 %p, %u L1 tables; SRAM+flash ROOT, RMM 0x%lx+0x%lx REALM, DRAM NS\n", (void *)gpt_l0,
	     (unsigned int)GPT_NR_L1, (unsigned long)CONFIG_RMM_BASE, (unsigned long)CONFIG_RMM_SIZE);
}

void gpt_enable_this_cpu(void)
{
	uint64_t gpccr = gpt_gpccr_value();

	write_sysreg(GPTBR_EL3, (uintptr_t)gpt_l0 >> GPT_PGS_SHIFT);
	write_sysreg(GPCCR_EL3, gpccr);
	isb();
	__asm__ volatile("sys #6, c8, c1, #4\n\tdsb sy\n\tisb" ::: "memory"); /* TLBI PAALLOS */
	write_sysreg(GPCCR_EL3, gpccr | GPCCR_GPC);
	isb();
	__asm__ volatile("sys #6, c8, c1, #4\n\tdsb sy\n\tisb" ::: "memory");
}

static long gpt_err_to_rmm(int rc)
{
	return rc == GPT_ERR_PAS ? E_RMM_BAD_PAS : E_RMM_BAD_ADDR;
}

long gtsi_delegate(uint64_t pa)
{
	struct gpt_slot slot;

	spin_lock(&gpt_lock);
	int rc = gpt_check_transition(&gpt, pa, GPI_NS, &slot);
	if (rc) {
		spin_unlock(&gpt_lock);
		return gpt_err_to_rmm(rc);
	}
	/*
	 * No Realm-PAS clean first: no Realm-tagged line of an NS granule can
	 * exist, because undelegate cleaned them and the GPC refuses Realm
	 * accesses (speculative ones included) while the granule is NS.
	 */
	gpt_slot_set(&slot, GPI_REALM);
	tlbi_rpa_granule(pa);
	cipapa_granule(pa | PAS_OP_NS);
	spin_unlock(&gpt_lock);
	return E_RMM_OK;
}

long gtsi_undelegate(uint64_t pa)
{
	struct gpt_slot slot;

	spin_lock(&gpt_lock);
	int rc = gpt_check_transition(&gpt, pa, GPI_REALM, &slot);
	if (rc) {
		spin_unlock(&gpt_lock);
		return gpt_err_to_rmm(rc);
	}
	/* Through NO_ACCESS so no stale Realm write can land in NS memory. */
	gpt_slot_set(&slot, GPI_NO_ACCESS);
	tlbi_rpa_granule(pa);
	cipapa_granule(pa | PAS_OP_REALM);
	cipapa_granule(pa | PAS_OP_NS);
	gpt_slot_set(&slot, GPI_NS);
	tlbi_rpa_granule(pa);
	spin_unlock(&gpt_lock);
	return E_RMM_OK;
}
