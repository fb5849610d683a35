/* QEMU virt platform glue for the monitor: console, EL3 MMU, GIC, power. */
#include <arch/cache.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <drivers/gicv3.h>
#include <drivers/pl011.h>
#include "monitor.h"
#include "monitor_asm.h"

#define GIC_REGION_SIZE 0x01000000UL
#define GPIO_DIR 0x400
#define GPIO_PIN_POWEROFF 0
#define GPIO_PIN_RESET 1
#define EL3_TABLE_PAGES 20
#define PCIE_ECAM_BUS0_SIZE 0x100000UL

extern char __monitor_start[], __text_end[], __rodata_end[];
#define SRAM_END (CONFIG_SECURE_SRAM_BASE + CONFIG_SECURE_SRAM_SIZE)
#define RMM_END (CONFIG_RMM_BASE + CONFIG_RMM_SIZE)
#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)

static mmu_table_t el3_tables[EL3_TABLE_PAGES] __attribute__((aligned(PAGE_SIZE)));
static struct mmu_tables el3_mmu;
static spinlock_t console_lock = SPINLOCK_INIT;
static int console_ready;
unsigned int plat_cpus_present = 1;

void plat_console_init(void)
{
	pl011_init(CONFIG_UART_SECURE_BASE);
	console_ready = 1;
}

void console_write(const char *s, size_t n)
{
	if (!console_ready)
		return;
	/*
	 * The lock needs the MMU on (exclusives on cacheable memory). The CPU
	 * stopping the machine after a fatal error may hold it already.
	 */
	int locked = (read_sysreg(sctlr_el3) & SCTLR_M) != 0 && !fatal_owner_is_me();
	if (locked)
		spin_lock(&console_lock);
	pl011_write(CONFIG_UART_SECURE_BASE, s, n);
	if (locked)
		spin_unlock(&console_lock);
}

static void map_or_panic(uint64_t base, uint64_t size, uint64_t attrs, const char *what)
{
	int rc = mmu_map(&el3_mmu, base, base, size, attrs);
	if (rc)
		monitor_panic("cannot map %s [0x%lx, +0x%lx): error %d", what, base, size, rc);
}

void plat_mmu_setup(void)
{
	uintptr_t start = (uintptr_t)__monitor_start, text_end = (uintptr_t)__text_end;
	uintptr_t ro_end = (uintptr_t)__rodata_end;

	mmu_init(&el3_mmu, el3_tables, EL3_TABLE_PAGES);
	map_or_panic(0, CONFIG_FLASH_SIZE, MT_RAM_RO | MT_PAS_ROOT, "flash");
	/* Commands and status (flash.c): a Device alias, written only by secure boot and updates. */
	if (mmu_map(&el3_mmu, FLASH_CMD_VA, 0, CONFIG_FLASH_SIZE, MT_DEVICE | MT_PAS_ROOT))
		monitor_panic("cannot map the flash command alias");
	map_or_panic(CONFIG_GICD_BASE, GIC_REGION_SIZE, MT_DEVICE | MT_PAS_ROOT, "GIC");
	map_or_panic(CONFIG_UART_SECURE_BASE, PAGE_SIZE, MT_DEVICE | MT_PAS_ROOT, "secure UART");
	map_or_panic(CONFIG_SECURE_GPIO_BASE, PAGE_SIZE, MT_DEVICE | MT_PAS_ROOT, "secure GPIO");
	if (start != CONFIG_SECURE_SRAM_BASE)
		map_or_panic(CONFIG_SECURE_SRAM_BASE, start - CONFIG_SECURE_SRAM_BASE,
			     MT_RAM_RW | MT_PAS_ROOT, "SRAM head");
	map_or_panic(start, text_end - start, MT_CODE | MT_PAS_ROOT, "monitor text");
	map_or_panic(text_end, ro_end - text_end, MT_RAM_RO | MT_PAS_ROOT, "monitor rodata");
	map_or_panic(ro_end, SRAM_END - ro_end, MT_RAM_RW | MT_PAS_ROOT, "monitor data");
	map_or_panic(CONFIG_RMM_BASE, CONFIG_RMM_SIZE, MT_RAM_RW | MT_PAS_REALM, "RMM carve-out");
	map_or_panic(RMM_END, DRAM_END - RMM_END, MT_RAM_RW | MT_PAS_NS, "NS DRAM");
#ifdef CONFIG_NS_PAYLOAD_FW_CFG
	map_or_panic(CONFIG_NS_PAYLOAD_FW_CFG_BASE, PAGE_SIZE, MT_DEVICE | MT_PAS_NS, "fw_cfg");
#endif
#ifdef CONFIG_MONITOR_FATAL_PVPANIC
	map_or_panic(CONFIG_MONITOR_PCIE_ECAM_BASE, PCIE_ECAM_BUS0_SIZE, MT_DEVICE | MT_PAS_NS, "PCIe ECAM");
	map_or_panic(CONFIG_MONITOR_PVPANIC_BAR, PAGE_SIZE, MT_DEVICE | MT_PAS_NS, "pvpanic BAR");
#endif
}

void plat_mmu_enable(void)
{
	mmu_enable_el3(&el3_mmu);
}

#define EL3_SGIS ((1U << FATAL_SGI) | (1U << PEN_SGI))
#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_SGIR_INTID_SHIFT 24

/*
 * Every redistributor now, so that a CPU sleeping in the holding pen
 * (entry.S) can be woken by the pen's SGI whenever CPU_ON comes.
 */
void plat_gic_init(void)
{
	gicv3_dist_init_el3(CONFIG_GICD_BASE);
	plat_cpus_present = gicv3_rdist_count(CONFIG_GICR_BASE, CONFIG_NR_CPUS);
	gicv3_rdist_init_all_el3(CONFIG_GICR_BASE, plat_cpus_present, EL3_SGIS);
}

void plat_gic_cpu_init(unsigned int cpu)
{
	gicv3_cpuif_init_el3();
	if (gicv3_rdist_init_el3(CONFIG_GICR_BASE, read_sysreg(mpidr_el1), EL3_SGIS))
		monitor_panic("no GIC redistributor for cpu %u", cpu);
}

void plat_cpu_wake(unsigned int cpu)
{
	/* Its slot is written and cleaned: the SGI must not overtake it. */
	dsb_sy();
	write_sysreg(ICC_SGI0R_EL1, ((uint64_t)PEN_SGI << ICC_SGIR_INTID_SHIFT) | (1UL << cpu));
	isb();
}

static void __attribute__((noreturn)) gpio_pulse(unsigned int pin)
{
	mmio_write32(CONFIG_SECURE_GPIO_BASE + GPIO_DIR, 1U << pin);
	mmio_write32(CONFIG_SECURE_GPIO_BASE + (4U << pin), 1U << pin);
	for (;;)
		wfi();
}

void plat_system_off(void)
{
	MLOG(1, "system off\n");
	gpio_pulse(GPIO_PIN_POWEROFF);
}

void plat_system_reset(void)
{
	MLOG(1, "system reset\n");
	/* RAM survives the reset: leave no release signal in the pen. */
	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
		cpu_pen[i][0] = 0;
	dsb_sy();
	dcache_clean_range((uintptr_t)cpu_pen, sizeof(cpu_pen));
	gpio_pulse(GPIO_PIN_RESET);
}

#ifdef CONFIG_MONITOR_FATAL_PVPANIC
/*
 * QEMU's pvpanic-pci (vendor 0x1b36, device 0x0011) on PCIe bus 0: with
 * -action panic=exit-failure, writing PANICKED to its BAR ends QEMU with
 * exit status 1. Nothing enumerates PCI for the monitor, so it gives the
 * BAR its own address unless the Normal world already placed it.
 */
#define PCI_ID_PVPANIC 0x00111b36U
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2U
#define PCI_BAR0 0x10
#define PCI_BAR_ADDR_MASK 0xfffffff0U
#define PCI_DEVFN_SHIFT 12 /* ECAM: device << 15 | function << 12, bus 0 */
#define PCI_DEVICES 32
#define PVPANIC_PANICKED 1U

void plat_fatal_exit(void)
{
	for (unsigned int dev = 0; dev < PCI_DEVICES; dev++) {
		uintptr_t cfg = CONFIG_MONITOR_PCIE_ECAM_BASE + ((uintptr_t)dev << (PCI_DEVFN_SHIFT + 3));
		if (mmio_read32(cfg) != PCI_ID_PVPANIC)
			continue;
		uint32_t cmd = mmio_read32(cfg + PCI_COMMAND);
		uint32_t bar = mmio_read32(cfg + PCI_BAR0) & PCI_BAR_ADDR_MASK;
		if (!(cmd & PCI_COMMAND_MEMORY) || bar != CONFIG_MONITOR_PVPANIC_BAR) {
			/* Only the page mapped at CONFIG_MONITOR_PVPANIC_BAR is reachable from here. */
			mmio_write32(cfg + PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
			mmio_write32(cfg + PCI_BAR0, CONFIG_MONITOR_PVPANIC_BAR);
			mmio_write32(cfg + PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
		}
		dsb_sy();
		*(volatile uint8_t *)CONFIG_MONITOR_PVPANIC_BAR = PVPANIC_PANICKED;
		dsb_sy();
		return;
	}
}
#else
void plat_fatal_exit(void) {}
#endif

int plat_is_ns_dram(uint64_t pa, uint64_t size)
{
	return pa >= RMM_END && pa < DRAM_END && size <= DRAM_END - pa;
}
