/* Monitor cold and warm boot. */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <lib/string.h>
#include <rampart/package.h>
#include <rampart/smccc.h>
#include "attest.h"
#include "measured_boot.h"
#include "monitor.h"

#define RMM_IMAGE_MAX (CONFIG_RMM_SIZE - PAGE_SIZE) /* last page: shared buffer */
#define PMUVER_V3P5 6
#define PMUVER_V3P7 7
#define PMUVER_IMPDEF 0xf
#define MDCR_EL3_SCCD BIT(23)
#define MDCR_EL3_MCCD BIT(34)

unsigned int this_cpu(void)
{
	return (unsigned int)MPIDR_AFF0(read_sysreg(mpidr_el1));
}

/* A panic stops the whole machine (fatal.c); a second CPU failing meanwhile only parks. */
void monitor_panic(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	if (!fatal_claim())
		monitor_fatal_stop("monitor");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("monitor: PANIC on cpu %u: %s\n", this_cpu(), msg);
	monitor_fatal_stop("monitor");
}

void monitor_exception_panic(unsigned int kind, const uint64_t *regs);
void monitor_exception_panic(unsigned int kind, const uint64_t *regs)
{
	static const char *const kinds[] = { "synchronous", "IRQ", "FIQ", "SError" };

	if (!fatal_claim())
		monitor_fatal_stop("monitor");
	printk("monitor: PANIC on cpu %u: %s exception in EL3\n", this_cpu(), kinds[kind & 3]);
	printk("  ESR_EL3 0x%016lx  ELR_EL3 0x%016lx\n", read_sysreg(esr_el3), read_sysreg(elr_el3));
	printk("  FAR_EL3 0x%016lx  SPSR_EL3 0x%016lx\n", read_sysreg(far_el3), read_sysreg(spsr_el3));
	for (unsigned int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk("  x30 0x%016lx\n", regs[30]);
		else
			printk("  x%02u 0x%016lx  x%02u 0x%016lx\n", i, regs[i], i + 1, regs[i + 1]);
	}
	monitor_fatal_stop("monitor");
}

/* Let lower ELs own FP/SVE/SME; EL3 itself never touches them. */
static void el3_features_init(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t cptr = 0;

	if (ID_AA64PFR0_SVE(pfr0))
		cptr |= CPTR_EL3_EZ;
	if (ID_AA64PFR1_SME(pfr1))
		cptr |= CPTR_EL3_ESM;
	write_sysreg(cptr_el3, cptr);
	isb();
	if (ID_AA64PFR0_SVE(pfr0))
		write_sysreg(ZCR_EL3, 0xf); /* lower ELs may pick any vector length */
	if (ID_AA64PFR1_SME(pfr1))
		write_sysreg(SMCR_EL3, 0xf);
	/*
	 * No PMU event counting at EL3 (SPME = 0), and no cycle counting either
	 * where the PMU can say so: what the monitor does for the RMM is not
	 * the Normal world's to count.
	 */
	uint64_t pmuver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf, mdcr = 0;
	if (pmuver >= PMUVER_V3P5 && pmuver != PMUVER_IMPDEF)
		mdcr |= MDCR_EL3_SCCD;
	if (pmuver >= PMUVER_V3P7 && pmuver != PMUVER_IMPDEF)
		mdcr |= MDCR_EL3_MCCD;
	write_sysreg(mdcr_el3, mdcr);
	isb();
}

static const struct pkg_entry *pkg_find(const struct pkg_header *h, uint32_t id)
{
	for (uint32_t i = 0; i < h->count; i++) {
		if (h->entries[i].id == id)
			return &h->entries[i];
	}
	return NULL;
}

static void pkg_validate(const struct pkg_header *h)
{
	if (h->magic != PKG_MAGIC || h->version != PKG_VERSION || h->header_size != sizeof(*h))
		monitor_panic("flash package at 0x%lx: bad header (magic 0x%x version %u size %u)",
			      (unsigned long)CONFIG_PKG_OFFSET, h->magic, h->version, h->header_size);
	if (h->count > PKG_MAX_ENTRIES)
		monitor_panic("flash package: %u entries, at most %u", h->count, PKG_MAX_ENTRIES);
	for (uint32_t i = 0; i < h->count; i++) {
		const struct pkg_entry *e = &h->entries[i];
		if (e->offset < CONFIG_PKG_OFFSET + sizeof(*h) || e->offset > CONFIG_FLASH_SIZE ||
		    e->size > CONFIG_FLASH_SIZE - e->offset)
			monitor_panic("flash package: entry %u (id %u) lies outside flash", i, e->id);
	}
}

/* Copies an image to base and measures it there as mtype. */
static void load_image(const struct pkg_header *h, uint32_t id, const char *name, const char *mtype,
		       uint64_t base, uint64_t max)
{
	const struct pkg_entry *e = pkg_find(h, id);

	if (!e)
		monitor_panic("flash package: no %s image", name);
	if (e->load_addr != base || e->size > max || e->size == 0)
		monitor_panic("flash package: %s image (0x%lx bytes at 0x%lx) does not fit [0x%lx, +0x%lx)",
			      name, e->size, e->load_addr, base, max);
	memcpy((void *)base, (const void *)e->offset, e->size);
	/* The image starts with its MMU off: make it visible at the PoC. */
	dcache_clean_range(base, e->size);
	MLOG(1, "loaded %s: %lu bytes at 0x%lx\n", name, e->size, base);
	mb_measure(mtype, base, e->size);
}

#ifdef CONFIG_NS_PAYLOAD_BUILTIN
/*
 * Guest images and DTBs for the hypervisor's image staging area: anywhere
 * in NS DRAM above the hypervisor's region (partc chose the addresses).
 */
static void load_blobs(const struct pkg_header *h)
{
	const uint64_t lo = CONFIG_HYP_BASE + CONFIG_HYP_SIZE, hi = CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE;
	unsigned int n = 0;
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < h->count; i++) {
		const struct pkg_entry *e = &h->entries[i];
		if (e->id != PKG_ID_BLOB)
			continue;
		if (e->load_addr < lo || e->load_addr > hi || e->size > hi - e->load_addr)
			monitor_panic("flash package: blob %u (0x%lx bytes at 0x%lx) is outside NS DRAM "
				      "[0x%lx, 0x%lx)",
				      i, e->size, e->load_addr, lo, hi);
		memcpy((void *)e->load_addr, (const void *)e->offset, e->size);
		dcache_clean_range(e->load_addr, e->size);
		mb_measure_blob(n, e->load_addr, e->size);
		n++;
		bytes += e->size;
	}
	if (n)
		MLOG(1, "staged %u guest image(s), %lu bytes\n", n, bytes);
}
#endif

void monitor_cold_main(unsigned int cpu);
void monitor_cold_main(unsigned int cpu)
{
	mb_snapshot_data(); /* before any C code writes .data */
	plat_console_init();
	MLOG(1, "Rampart EL3 monitor, cold boot on cpu %u\n", cpu);
	el3_features_init();
	plat_mmu_setup();
	plat_mmu_enable();
	mb_init(); /* and measures the monitor itself */
	gpt_setup();
	gpt_enable_this_cpu();
	MLOG(1, "GPC enabled\n");
	plat_gic_init();
	plat_gic_cpu_init(cpu);
	MLOG(1, "%u of %u CPUs present\n", plat_cpus_present, (unsigned int)CONFIG_NR_CPUS);

	const struct pkg_header *pkg = (const void *)CONFIG_PKG_OFFSET;
	pkg_validate(pkg);
	load_image(pkg, PKG_ID_RMM, "rmm", "RMM", CONFIG_RMM_BASE, RMM_IMAGE_MAX);
#ifdef CONFIG_NS_PAYLOAD_BUILTIN
	load_image(pkg, PKG_ID_HYP, "hyp", "HYP", CONFIG_HYP_BASE, CONFIG_HYP_SIZE);
	load_blobs(pkg);
	const uint64_t ns_entry = CONFIG_HYP_BASE;
#else
	const uint64_t ns_entry = CONFIG_NS_PAYLOAD_ADDR;
#endif
	icache_inval_all();
	attest_init(); /* only the development-key warning: tokens are signed on demand */
	rmm_write_manifest();

	long st = rmm_boot_this_cpu(cpu, 1);
	rmm_ready = st == E_RMM_BOOT_SUCCESS;
	if (rmm_ready)
		MLOG(1, "RMM booted on cpu %u\n", cpu);
	else
		MLOG(0, "RMM boot failed on cpu %u: status %ld; RMI disabled\n", cpu, st);
	psci_mark_on(cpu);
	MLOG(1, "entering NS-EL2 at 0x%lx\n", ns_entry);
	world_enter_ns(cpu, ns_entry, 0);
}

void monitor_warm_main(unsigned int cpu);
void monitor_warm_main(unsigned int cpu)
{
	el3_features_init();
	plat_mmu_enable();
	gpt_enable_this_cpu();
	plat_gic_cpu_init(cpu);
	if (rmm_ready) {
		long st = rmm_boot_this_cpu(cpu, 0);
		if (st != E_RMM_BOOT_SUCCESS) {
			rmm_ready = 0;
			MLOG(0, "RMM warm boot failed on cpu %u: status %ld; RMI disabled\n", cpu, st);
		}
	}
	psci_mark_on(cpu);
	MLOG(2, "cpu %u on, entering NS-EL2 at 0x%lx\n", cpu, cpu_state[cpu].ns_entry);
	world_enter_ns(cpu, cpu_state[cpu].ns_entry, cpu_state[cpu].ns_ctx_id);
}
