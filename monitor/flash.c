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

#define CFI_PROGRAM 0x00400040U /* word program, to both devices */
#define CFI_ERASE_SETUP 0x00200020U
#define CFI_ERASE_CONFIRM 0x00d000d0U
#define CFI_CLEAR_STATUS 0x00500050U
#define CFI_READ_ARRAY 0x00ff00ffU
#define CFI_READY 0x00800080U  /* both devices' status bit 7 */
#define CFI_ERRORS 0x003a003aU /* erase, program, VPP and lock errors */
#define CFI_POLL_MAX 1000000U  /* QEMU completes at once; real parts take milliseconds */
#define FLASH_WORD 4U

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
	if (off % CONFIG_FLASH_BLOCK_SIZE || !in_flash(off, CONFIG_FLASH_BLOCK_SIZE))
		return -1;
	mmio_write32(cmd_addr(off), CFI_ERASE_SETUP);
	mmio_write32(cmd_addr(off), CFI_ERASE_CONFIRM);
	return finish(off, CONFIG_FLASH_BLOCK_SIZE, wait_ready(off));
}

int flash_program(uint64_t off, const void *src, uint64_t len)
{
	const uint8_t *p = src;
	int rc = 0;

	if (off % FLASH_WORD || len % FLASH_WORD || !in_flash(off, len))
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
