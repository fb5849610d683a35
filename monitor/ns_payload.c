/*
 * What the external NS-EL2 payload finds at its first entry on CPU 0
 * (docs/external-payload.md, "Device tree" and "Kernel and initrd"): the kernel and initrd
 * QEMU hands the firmware through fw_cfg (-kernel, -initrd; QEMU docs/specs/fw_cfg.rst), and
 * QEMU's device tree, taken from the base of DRAM before the RMM image is copied over it and
 * fixed up by ns_dtb.c. The platform half: addresses, fw_cfg, caches; ns_dtb.c is the model.
 */
#include <arch/cache.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include "gpt_layout.h"
#include "monitor.h"
#include "ns_dtb.h"

#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)
#define DTB_WINDOW CONFIG_NS_PAYLOAD_DTB_ADDR
#define DTB_WINDOW_END (CONFIG_NS_PAYLOAD_DTB_ADDR + CONFIG_NS_PAYLOAD_DTB_SIZE)
#define LAYOUT_ENTRIES (sizeof(gpt_platform_layout) / sizeof(gpt_platform_layout[0]))

/*
 * QEMU virt with -bios writes its tree at the start of RAM, which is where the carve-out is:
 * the monitor maps it (Realm PAS) and nothing has touched it yet at this point of cold boot
 * (the reset scrub leaves the carve-out alone).
 */
#define QEMU_DTB_BASE CONFIG_DRAM_BASE
_Static_assert(CONFIG_RMM_BASE == CONFIG_DRAM_BASE, "QEMU's tree lies in the RMM carve-out");
_Static_assert(DTB_WINDOW >= MONITOR_NS_POOL_BASE && DTB_WINDOW_END <= DRAM_END,
	       "the payload's device tree window lies in NS DRAM");
_Static_assert(DTB_WINDOW_END <= CONFIG_NS_PAYLOAD_ADDR || DTB_WINDOW >= CONFIG_NS_PAYLOAD_ADDR + PAGE_SIZE,
	       "the device tree window is not the payload's entry page");

#ifdef CONFIG_NS_PAYLOAD_FW_CFG
/* fw_cfg on Arm: MMIO registers, selector big-endian, data string-preserving, DMA big-endian. */
#define FW_CFG_DATA (CONFIG_NS_PAYLOAD_FW_CFG_BASE + 0x0)
#define FW_CFG_SELECTOR (CONFIG_NS_PAYLOAD_FW_CFG_BASE + 0x8)
#define FW_CFG_DMA (CONFIG_NS_PAYLOAD_FW_CFG_BASE + 0x10)
/* Item keys (QEMU include/standard-headers/linux/qemu_fw_cfg.h). */
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_INITRD_SIZE 0x0b
#define FW_CFG_KERNEL_DATA 0x11
#define FW_CFG_INITRD_DATA 0x12
#define FW_CFG_SIGNATURE_QEMU 0x554d4551U /* "QEMU" in a 32-bit read, byte order preserved */
#define FW_CFG_ID_DMA BIT(1)
#define FW_CFG_DMA_CTL_ERROR BIT(0)
#define FW_CFG_DMA_CTL_READ BIT(1)
#define FW_CFG_DMA_CTL_SELECT BIT(3)
#define FW_CFG_DMA_KEY_SHIFT 16
/* QEMU completes a transfer within the register write; a device that never does is an error. */
#define FW_CFG_DMA_POLLS 1000000
/* The DMA descriptor: device DMA reads the Normal world's memory, so it sits in the DTB window. */
#define FW_CFG_DMA_DESC DTB_WINDOW

/* The arm64 Image header (Linux Documentation/arch/arm64/booting.rst). */
#define ARM64_IMAGE_SIZE_OFFSET 16
#define ARM64_IMAGE_MAGIC_OFFSET 56
#define ARM64_IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define INITRD_ALIGN 0x200000UL	      /* 2 MiB: what QEMU's own loader and partc use */

struct fw_cfg_dma_access {
	uint32_t control, length; /* big-endian */
	uint64_t address;	  /* big-endian */
};

static void fw_cfg_select(uint16_t key)
{
	*(volatile uint16_t *)FW_CFG_SELECTOR = __builtin_bswap16(key);
}

/* A 32-bit item (sizes, the id): QEMU stores them little-endian, the data register keeps bytes in order. */
static uint32_t fw_cfg_read32(uint16_t key)
{
	fw_cfg_select(key);
	return mmio_read32(FW_CFG_DATA);
}

static int fw_cfg_dma_read(uint16_t key, uint64_t pa, uint32_t len)
{
	volatile struct fw_cfg_dma_access *d = (void *)FW_CFG_DMA_DESC;

	d->control = __builtin_bswap32(((uint32_t)key << FW_CFG_DMA_KEY_SHIFT) | FW_CFG_DMA_CTL_SELECT |
				       FW_CFG_DMA_CTL_READ);
	d->length = __builtin_bswap32(len);
	d->address = __builtin_bswap64(pa);
	dcache_clean_range(FW_CFG_DMA_DESC, sizeof(*d)); /* the device reads memory, not our cache */
	mmio_write64(FW_CFG_DMA, __builtin_bswap64(FW_CFG_DMA_DESC));
	for (unsigned int i = 0; i < FW_CFG_DMA_POLLS; i++) {
		dcache_inval_range(FW_CFG_DMA_DESC, sizeof(*d));
		uint32_t ctl = __builtin_bswap32(d->control);
		if (ctl == 0) {
			dcache_clean_inval_range(pa, len); /* no stale line of ours over what it wrote */
			return 0;
		}
		if (ctl & FW_CFG_DMA_CTL_ERROR)
			return -1;
	}
	return -1;
}

/* [base, base + size) is NS DRAM the payload may have, away from its device tree. */
static int ns_span_ok(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	return end >= base && base >= MONITOR_NS_POOL_BASE && end <= DRAM_END &&
	       (end <= DTB_WINDOW || base >= DTB_WINDOW_END);
}

/* How much of DRAM the kernel takes from its load address: its image size if it says so. */
static uint64_t kernel_footprint(uint32_t len)
{
	const uint8_t *img = (const uint8_t *)CONFIG_NS_PAYLOAD_ADDR;
	uint64_t size = len;

	if (len > ARM64_IMAGE_MAGIC_OFFSET + sizeof(uint32_t) &&
	    *(const uint32_t *)(img + ARM64_IMAGE_MAGIC_OFFSET) == ARM64_IMAGE_MAGIC) {
		uint64_t image_size = *(const uint64_t *)(img + ARM64_IMAGE_SIZE_OFFSET);
		if (image_size > size)
			size = image_size;
	}
	return size;
}

/*
 * -kernel to NS_PAYLOAD_ADDR (replacing whatever -device loader put there) and -initrd on
 * the next 2 MiB boundary after the kernel's footprint; the initrd's range, or 0, 0.
 */
static void fw_cfg_load(uint64_t *initrd_start, uint64_t *initrd_end)
{
	*initrd_start = *initrd_end = 0;
	if (fw_cfg_read32(FW_CFG_SIGNATURE) != FW_CFG_SIGNATURE_QEMU ||
	    !(fw_cfg_read32(FW_CFG_ID) & FW_CFG_ID_DMA))
		return; /* no fw_cfg with DMA: the payload is what -device loader placed */
	uint32_t klen = fw_cfg_read32(FW_CFG_KERNEL_SIZE), ilen = fw_cfg_read32(FW_CFG_INITRD_SIZE);
	if (!klen)
		return;
	if (!ns_span_ok(CONFIG_NS_PAYLOAD_ADDR, klen) ||
	    fw_cfg_dma_read(FW_CFG_KERNEL_DATA, CONFIG_NS_PAYLOAD_ADDR, klen)) {
		MLOG(0, "ERROR: fw_cfg: the kernel (%u bytes) cannot be loaded at 0x%lx\n", klen,
		     (uint64_t)CONFIG_NS_PAYLOAD_ADDR);
		return;
	}
	MLOG(1, "fw_cfg: kernel (%u bytes) at 0x%lx\n", klen, (uint64_t)CONFIG_NS_PAYLOAD_ADDR);
	if (!ilen)
		return;
	uint64_t base =
		(CONFIG_NS_PAYLOAD_ADDR + kernel_footprint(klen) + INITRD_ALIGN - 1) & ~(INITRD_ALIGN - 1);
	if (!ns_span_ok(base, ilen) || fw_cfg_dma_read(FW_CFG_INITRD_DATA, base, ilen)) {
		MLOG(0, "ERROR: fw_cfg: the initrd (%u bytes) cannot be loaded at 0x%lx\n", ilen, base);
		return;
	}
	MLOG(1, "fw_cfg: initrd (%u bytes) at 0x%lx\n", ilen, base);
	*initrd_start = base;
	*initrd_end = base + ilen;
}
#endif

/*
 * From the GPT's layout (gpt_layout.h): the DRAM the Normal world never owns — every entry
 * that is not NS, counted whole even where a later entry overrides part of it (cutting too
 * much is safe) — and the Root-only regions whose devices the tree must not show.
 */
static struct ns_dtb_range carveouts[LAYOUT_ENTRIES], root_only[LAYOUT_ENTRIES];

static void layout_ranges(struct ns_dtb_params *p)
{
	for (unsigned int i = 0; i < LAYOUT_ENTRIES; i++) {
		const struct gpt_layout_range *r = &gpt_platform_layout[i];
		struct ns_dtb_range range = { r->base, r->size };

		if (r->gpi != GPI_NS && r->base < DRAM_END && r->base + r->size > CONFIG_DRAM_BASE)
			carveouts[p->nr_carveouts++] = range;
		if (r->gpi == GPI_ROOT)
			root_only[p->nr_root_only++] = range;
	}
	p->carveouts = carveouts;
	p->root_only = root_only;
}

uint64_t ns_payload_prepare(void)
{
	struct ns_dtb_params p = {
		.nr_cpus = CONFIG_NR_CPUS,
		.reserve_base = DTB_WINDOW,
		.reserve_size = CONFIG_NS_PAYLOAD_DTB_SIZE,
	};
	const char *step;

	layout_ranges(&p);
#ifdef CONFIG_NS_PAYLOAD_FW_CFG
	fw_cfg_load(&p.initrd_start, &p.initrd_end);
#endif
	uint64_t t0 = read_sysreg(cntpct_el0);
	int rc = ns_dtb_prepare((const void *)QEMU_DTB_BASE, CONFIG_RMM_SIZE, (void *)DTB_WINDOW,
				CONFIG_NS_PAYLOAD_DTB_SIZE, &p, &step);
	uint64_t ticks = read_sysreg(cntpct_el0) - t0;
	/* The payload starts with its MMU off: the tree (or its zeroed header) must be in memory. */
	dcache_clean_range(DTB_WINDOW, rc > 0 ? (size_t)rc : PAGE_SIZE);
	if (rc < 0) {
		MLOG(0,
		     "ERROR: no device tree for the payload: %s: %s (QEMU's tree at 0x%lx, window 0x%lx + "
		     "0x%lx); x0 = 0\n",
		     step, ns_dtb_strerror(rc), (uint64_t)QEMU_DTB_BASE, (uint64_t)DTB_WINDOW,
		     (uint64_t)CONFIG_NS_PAYLOAD_DTB_SIZE);
		return 0;
	}
	MLOG(1, "device tree for the payload at 0x%lx (%d bytes, fixed up in %lu ticks)\n",
	     (uint64_t)DTB_WINDOW, rc, ticks);
	return DTB_WINDOW;
}
