/*
 * The monitor's Granule Protection Table: built once per cold boot by CPU 0,
 * enabled on every CPU, and changed only by RMM_GTSI_DELEGATE/UNDELEGATE
 * (gtsi.c). Before it makes DRAM Non-secure, a cold boot zeroes every
 * granule the previous boot's GPT did not hold as NS (the reset scrub):
 * RAM, secure SRAM included, survives a system reset.
 */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "gpt_layout.h"
#include "gtsi.h"
#include "monitor.h"

#define GB_INDEX(a) ((uint32_t)((a) >> GPT_L0GPTSZ_SHIFT))
#define DRAM_FIRST_GB GB_INDEX(CONFIG_DRAM_BASE)
#define DRAM_GBS ((uint32_t)(CONFIG_DRAM_SIZE >> GPT_L0GPTSZ_SHIFT))
#define GPT_NR_L1 (1 + DRAM_GBS) /* the SRAM/flash gigabyte and DRAM */
#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)
#define RMM_END (CONFIG_RMM_BASE + CONFIG_RMM_SIZE)

_Static_assert((CONFIG_DRAM_BASE & (GPT_L0_REGION_SIZE - 1)) == 0, "DRAM base must be 1 GiB aligned");
_Static_assert((CONFIG_DRAM_SIZE & (GPT_L0_REGION_SIZE - 1)) == 0, "DRAM size must be whole GiB");
_Static_assert(GPT_NR_L1 <= GPT_MAX_L1, "too much DRAM for the GPT layout");
_Static_assert(GB_INDEX(CONFIG_SECURE_SRAM_BASE) == 0 && CONFIG_FLASH_SIZE <= GPT_L0_REGION_SIZE,
	       "SRAM and flash must be in the first GiB");

/* Not .bss: the reset scrub reads the previous boot's tables before they are rebuilt. */
static uint64_t gpt_l0[GPT_L0_ENTRIES] __attribute__((aligned(GPT_L0_ENTRIES * 8), section(".gpt")));
static uint64_t gpt_l1[GPT_NR_L1 * GPT_L1_ENTRIES]
	__attribute__((aligned(GPT_L1_TABLE_SIZE), section(".gpt")));
/* At a fixed address (monitor.ld.S), so that a later firmware finds it too. */
static struct gpt_record gpt_rec __attribute__((section(".persist")));
static struct gpt gpt;
static spinlock_t gpt_lock = SPINLOCK_INIT;
static const struct gtsi_window gtsi_window = { MONITOR_NS_POOL_BASE, DRAM_END };

#define PAS_OP_NS (1UL << 63)
#define PAS_OP_REALM (3UL << 62)

/* Clean+invalidate one granule to the Point of Physical Aliasing in a PAS (gpt_cmo.S). */
void cipapa_granule(uint64_t pa_with_pas);

void gtsi_hw_lock(void)
{
	spin_lock(&gpt_lock);
}

void gtsi_hw_unlock(void)
{
	spin_unlock(&gpt_lock);
}

void gtsi_hw_tlbi(uint64_t pa)
{
	__asm__ volatile("dsb oshst\n\t"
			 "sys #6, c8, c4, #7, %0\n\t" /* TLBI RPALOS, 4 KiB */
			 "dsb osh\n\t"
			 "isb" ::"r"(pa >> GPT_PGS_SHIFT)
			 : "memory");
}

void gtsi_hw_cipapa(uint64_t pa, enum gtsi_pas pas)
{
	cipapa_granule(pa | (pas == GTSI_PAS_REALM ? PAS_OP_REALM : PAS_OP_NS));
}

void gtsi_hw_persist(const uint64_t *entry)
{
	/*
	 * To the PoC: a reset may lose what is only in the caches. gtsi.c calls
	 * gtsi_hw_tlbi() right after, whose DSB completes this clean too.
	 */
	__asm__ volatile("dc cvac, %0" ::"r"(entry) : "memory");
}

static void set_or_panic(uint64_t base, uint64_t size, unsigned int gpi)
{
	int rc = gpt_set_range(&gpt, base, size, gpi);
	if (rc)
		monitor_panic("GPT: cannot set [0x%lx, +0x%lx) to %u: error %d", base, size, gpi, rc);
}

/* Zero one granule for the Normal world; nothing of it may stay in a cache in either PAS. */
static void scrub_granule(uint64_t pa)
{
	cipapa_granule(pa | PAS_OP_REALM); /* before the zeros: a dirty Realm line must not land after them */
	zero_blocks((uintptr_t)pa, GPT_GRANULE_SIZE); /* through the NS DRAM mapping (platform.c) */
	cipapa_granule(pa | PAS_OP_NS);
}

static int in_carveout(uint64_t pa)
{
	return pa >= CONFIG_RMM_BASE && pa < RMM_END;
}

/*
 * Zero what the previous boot's GPT did not hold as NS in DRAM, but for the
 * RMM carve-out (Realm in every boot). Returns the number of granules.
 */
static uint64_t reset_scrub(void)
{
	struct gpt old;
	uint64_t n = 0, pa, t0 = read_cntpct();

	switch (gpt_record_open(&gpt_rec, &old, gpt_l0, gpt_l1, (uintptr_t)gpt_l1, GPT_NR_L1)) {
	case GPT_RECORD_NONE:
		return 0; /* power-on: see docs/boot-flow.md, "Reset and realm memory" */
	case GPT_RECORD_VALID:
		for (pa = CONFIG_DRAM_BASE; gpt_next_not_ns(&old, pa, DRAM_END, &pa);
		     pa += GPT_GRANULE_SIZE) {
			if (in_carveout(pa)) {
				pa = RMM_END - GPT_GRANULE_SIZE;
				continue;
			}
			scrub_granule(pa);
			n++;
		}
		MLOG(1, "reset scrub: %lu granules were Realm or in transition, zeroed in %lu ticks\n", n,
		     read_cntpct() - t0);
		return n;
	case GPT_RECORD_FOREIGN:
	default:
		for (pa = CONFIG_DRAM_BASE; pa < DRAM_END; pa += GPT_GRANULE_SIZE) {
			if (!in_carveout(pa)) {
				scrub_granule(pa);
				n++;
			}
		}
		MLOG(0,
		     "reset scrub: unreadable GPT record of the previous boot: zeroed all %lu NS DRAM "
		     "granules\n",
		     n);
		return n;
	}
}

void gpt_setup(void)
{
	uint32_t regions[GPT_NR_L1];

	if (!ID_AA64PFR0_RME(read_sysreg(id_aa64pfr0_el1)))
		monitor_panic("CPU has no FEAT_RME (QEMU needs -cpu max,x-rme=on)");
	if (GPCCR_L0GPTSZ(read_sysreg(GPCCR_EL3)) != 0)
		monitor_panic("GPCCR_EL3.L0GPTSZ is not 1 GiB; this build expects 30 bits");
	/* The record stays valid until the scrub is complete: a reset meanwhile scrubs again. */
	reset_scrub();
	gpt_rec.magic = 0;
	dcache_clean_range((uintptr_t)&gpt_rec, sizeof(gpt_rec));
	regions[0] = 0;
	for (uint32_t i = 0; i < DRAM_GBS; i++)
		regions[1 + i] = DRAM_FIRST_GB + i;
	int rc = gpt_init(&gpt, gpt_l0, gpt_l1, (uintptr_t)gpt_l1, regions, GPT_NR_L1);
	if (rc)
		monitor_panic("GPT: bad layout (%d)", rc);
	for (unsigned int i = 0; i < sizeof(gpt_platform_layout) / sizeof(gpt_platform_layout[0]); i++)
		set_or_panic(gpt_platform_layout[i].base, gpt_platform_layout[i].size,
			     gpt_platform_layout[i].gpi);
	dcache_clean_range((uintptr_t)gpt_l0, sizeof(gpt_l0));
	dcache_clean_range((uintptr_t)gpt_l1, sizeof(gpt_l1));
	gpt_record_seal(&gpt_rec, &gpt);
	dcache_clean_range((uintptr_t)&gpt_rec, sizeof(gpt_rec));
	MLOG(1, "GPT: L0 %p, %u L1 tables; SRAM+flash+secure devices ROOT, RMM 0x%lx+0x%lx REALM, DRAM NS\n",
	     (void *)gpt_l0, (unsigned int)GPT_NR_L1, (unsigned long)CONFIG_RMM_BASE,
	     (unsigned long)CONFIG_RMM_SIZE);
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

long monitor_gtsi_delegate(uint64_t pa)
{
	return gtsi_delegate(&gpt, &gtsi_window, pa);
}

long monitor_gtsi_undelegate(uint64_t pa)
{
	return gtsi_undelegate(&gpt, &gtsi_window, pa);
}

int monitor_copy_from_ns(void *dst, uint64_t pa, uint64_t size)
{
	unsigned int gpi = 0;
	int rc = 0;

	if (!plat_is_ns_dram(pa, size))
		return -1;
	/* Under the GTSI lock no granule can be delegated between the check and the copy. */
	gtsi_hw_lock();
	for (uint64_t g = pa & ~(PAGE_SIZE - 1); g < pa + size && !rc; g += PAGE_SIZE)
		rc = gpt_get(&gpt, g, &gpi) || gpi != GPI_NS;
	if (!rc)
		memcpy(dst, (const void *)pa, size);
	gtsi_hw_unlock();
	return rc ? -1 : 0;
}
