/*
 * The bank metadata and the anti-rollback counter in secure flash
 * (docs/secure-boot.md, "Flash layout" and "Power loss"): two copies of
 * each, one per erase block, chosen and sealed by lib/bootstate.c. A write
 * erases and programs the copy that is not the newest, then reads it back:
 * a power loss at any point leaves the newest copy as it was, and a torn
 * copy fails its CRC at the next boot.
 *
 * The in-memory state is this boot's view; cold boot (CPU 0) and, after
 * it, the update calls under update_lock are the only users.
 */
#include <lib/string.h>
#include "monitor.h"
#include "secure_boot.h"

#define META_SLOT(i) (CONFIG_SECBOOT_META_OFFSET + (uint64_t)(i)*CONFIG_FLASH_BLOCK_SIZE)
#define CTR_SLOT(i) (CONFIG_SECBOOT_META_OFFSET + (uint64_t)(2 + (i)) * CONFIG_FLASH_BLOCK_SIZE)

_Static_assert(CONFIG_SECBOOT_META_OFFSET % CONFIG_FLASH_BLOCK_SIZE == 0, "metadata block alignment");
_Static_assert(CONFIG_SECBOOT_META_OFFSET + 4 * CONFIG_FLASH_BLOCK_SIZE <= CONFIG_PKG_OFFSET,
	       "metadata and counter blocks overlap bank A");
_Static_assert(CONFIG_PKG_OFFSET + 2ULL * CONFIG_PKG_BANK_SIZE <= CONFIG_FLASH_SIZE,
	       "banks do not fit in flash");
_Static_assert(CONFIG_PKG_OFFSET % CONFIG_FLASH_BLOCK_SIZE == 0 &&
		       CONFIG_PKG_BANK_SIZE % CONFIG_FLASH_BLOCK_SIZE == 0,
	       "banks must be whole erase blocks");

static struct bs_meta meta;
static int meta_slot = -1; /* the newest valid copy, -1: none (factory state) */
static struct bs_counter ctr;
static int ctr_slot = -1;

void nv_load(void)
{
	struct bs_meta m[2];
	struct bs_counter c[2];

	for (unsigned int i = 0; i < 2; i++) {
		memcpy(&m[i], (const void *)META_SLOT(i), sizeof(m[i]));
		memcpy(&c[i], (const void *)CTR_SLOT(i), sizeof(c[i]));
	}
	meta_slot = bs_meta_pick(m);
	if (meta_slot >= 0)
		meta = m[meta_slot];
	else
		bs_meta_default(&meta);
	ctr_slot = bs_counter_pick(c);
	if (ctr_slot >= 0)
		ctr = c[ctr_slot];
	else
		memset(&ctr, 0, sizeof(ctr));
}

const struct bs_meta *nv_meta(void)
{
	return &meta;
}

uint32_t nv_counter(void)
{
	return ctr_slot >= 0 ? ctr.value : 0;
}

uint32_t nv_rollback_floor(void)
{
	uint32_t c = nv_counter(), confirmed = meta_slot >= 0 ? meta.min_version : 0;

	return confirmed > c ? confirmed : c;
}

/* Erase, program, read back: 0 if the copy in flash is exactly rec. */
static int write_copy(uint64_t off, const void *rec, size_t len)
{
	uint8_t buf[sizeof(struct bs_meta)] __attribute__((aligned(8)));

	_Static_assert(sizeof(struct bs_meta) % 4 == 0 && sizeof(struct bs_counter) % 4 == 0, "record sizes");
	if (len > sizeof(buf))
		return -1;
	memcpy(buf, rec, len);
	if (flash_erase_block(off) || flash_program(off, buf, len))
		return -1;
	return memcmp((const void *)off, buf, len) ? -1 : 0;
}

int nv_meta_write(const struct bs_meta *next)
{
	struct bs_meta rec = *next;
	int slot = meta_slot < 0 ? 0 : meta_slot ^ 1;

	bs_meta_seal(&rec, meta_slot < 0 ? 1 : meta.seq + 1);
	if (write_copy(META_SLOT(slot), &rec, sizeof(rec))) {
		MLOG(0, "secure boot: writing bank metadata copy %d failed\n", slot);
		return -1;
	}
	meta = rec;
	meta_slot = slot;
	return 0;
}

int nv_counter_advance(uint32_t value)
{
	struct bs_counter rec;
	int slot = ctr_slot < 0 ? 0 : ctr_slot ^ 1;

	/* Monotonic: the counter never goes down, whatever the caller asks. */
	if (value <= nv_counter())
		return 0;
	bs_counter_seal(&rec, value, ctr_slot < 0 ? 1 : ctr.seq + 1);
	if (write_copy(CTR_SLOT(slot), &rec, sizeof(rec))) {
		MLOG(0, "secure boot: writing NV counter copy %d failed\n", slot);
		return -1;
	}
	MLOG(1, "secure boot: NV counter %u -> %u\n", nv_counter(), value);
	ctr = rec;
	ctr_slot = slot;
	return 0;
}
