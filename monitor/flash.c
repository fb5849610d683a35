/*
 * Writing secure flash: QEMU virt's first pflash (CFI, Intel command set,
 * two 16-bit devices side by side, 256 KiB erase blocks), which only the
 * Secure/Root world can reach and the GPT keeps ROOT. Used for the bank
 * metadata, the anti-rollback counter and update writes to the inactive
 * bank (docs/secure-boot.md).
 *
 * Reads go through the normal read-only mapping at the flash's own
 * address; commands go through a Device alias (FLASH_CMD_VA), because while
 * a command runs the device answers reads with its status, not the array.
 * Every operation leaves the device in read-array mode and cleans and
 * invalidates the normal mapping's lines of what it changed. Callers
 * serialise (one CPU at cold boot; the update lock after).
 */
#include <arch/cache.h>
#include <arch/mmio.h>
#include "monitor.h"
#include "monitor_asm.h"

#define CFI_PROGRAM 0x00400040U /* word program, to both devices */
#define CFI_ERASE_SETUP 0x00200020U
#define CFI_ERASE_CONFIRM 0x00d000d0U
#define CFI_CLEAR_STATUS 0x00500050U
#define CFI_READ_ARRAY 0x00ff00ffU
#define CFI_READY 0x00800080U  /* both devices' status bit 7 */
#define CFI_ERRORS 0x003a003aU /* erase, program, VPP and lock errors */
#define CFI_POLL_MAX 1000000U  /* QEMU completes at once; real parts take milliseconds */
#define FLASH_WORD 4U

#define PEN_WAIT_DIV 10 /* 100 ms for the secondaries to leave the flash pen */

/*
 * Secondary CPUs wait for CPU_ON in a reset pen that runs from flash
 * (entry.S); while a command runs the flash answers their instruction
 * fetches with its status. So before the first write of a boot, every CPU
 * still in that pen moves to the SRAM copy (cpu_park) and says so by
 * clearing its slot. Cold boot, CPU 0, before any CPU_ON.
 */
static int pens_in_sram;

static int pens_leave_flash(void)
{
	uint32_t wait = 0;

	if (pens_in_sram)
		return 0;
	for (unsigned int cpu = 1; cpu < plat_cpus_present && cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu_state[cpu].psci_state != CPU_STATE_OFF)
			continue;
		cpu_pen[cpu][0] = PEN_SRAM;
		wait |= 1U << cpu;
		dsb_sy();
		/* They read it with their MMU off: to the PoC. */
		dcache_clean_inval_range((uintptr_t)&cpu_pen[cpu][0], sizeof(cpu_pen[cpu]));
		plat_cpu_wake(cpu); /* it sleeps in WFI until PEN_SGI */
	}
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) / PEN_WAIT_DIV;
	while (wait && read_cntpct() < end) {
		for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
			dcache_inval_range((uintptr_t)&cpu_pen[cpu][0], sizeof(cpu_pen[cpu]));
			if ((wait & (1U << cpu)) && cpu_pen[cpu][0] == 0)
				wait &= ~(1U << cpu);
		}
	}
	if (wait) {
		MLOG(0, "secure boot: CPUs 0x%x still run from flash: no flash writes this boot\n", wait);
		return -1;
	}
	pens_in_sram = 1;
	return 0;
}

static uintptr_t cmd_addr(uint64_t off)
{
	return (uintptr_t)(FLASH_CMD_VA + off);
}

static int wait_ready(uint64_t off)
{
	for (unsigned int i = 0; i < CFI_POLL_MAX; i++) {
		uint32_t st = mmio_read32(cmd_addr(off));
		if ((st & CFI_READY) == CFI_READY) {
			if (!(st & CFI_ERRORS))
				return 0;
			mmio_write32(cmd_addr(off), CFI_CLEAR_STATUS);
			return -1;
		}
	}
	return -1;
}

static int finish(uint64_t off, uint64_t len, int rc)
{
	mmio_write32(cmd_addr(off), CFI_READ_ARRAY);
	dsb_sy();
	dcache_clean_inval_range((uintptr_t)off, len);
	return rc;
}

static int in_flash(uint64_t off, uint64_t len)
{
	return off <= CONFIG_FLASH_SIZE && len <= CONFIG_FLASH_SIZE - off;
}

int flash_erase_block(uint64_t off)
{
	if (off % CONFIG_FLASH_BLOCK_SIZE || !in_flash(off, CONFIG_FLASH_BLOCK_SIZE) || pens_leave_flash())
		return -1;
	mmio_write32(cmd_addr(off), CFI_ERASE_SETUP);
	mmio_write32(cmd_addr(off), CFI_ERASE_CONFIRM);
	return finish(off, CONFIG_FLASH_BLOCK_SIZE, wait_ready(off));
}

int flash_program(uint64_t off, const void *src, uint64_t len)
{
	const uint8_t *p = src;
	int rc = 0;

	if (off % FLASH_WORD || len % FLASH_WORD || !in_flash(off, len) || pens_leave_flash())
		return -1;
	for (uint64_t i = 0; i < len && !rc; i += FLASH_WORD) {
		uint32_t w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
			     (uint32_t)p[i + 3] << 24;
		mmio_write32(cmd_addr(off + i), CFI_PROGRAM);
		mmio_write32(cmd_addr(off + i), w);
		rc = wait_ready(off + i);
	}
	return finish(off, len, rc);
}
