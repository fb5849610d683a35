/*
 * The update interface's monitor half (lib/include/rampart/update.h,
 * docs/secure-boot.md): the hypervisor, on the update authority's behalf,
 * writes a new package into the bank that did not boot, arms it for a
 * trial boot, and confirms the trial. The monitor enforces what it can
 * see: only the inactive bank, every write bounded and from NS memory, no
 * bank changes during a trial, a package armed only if it would boot. Who
 * may ask is the hypervisor's to check (it knows the partitions).
 *
 * One lock serialises the calls (flash commands and the metadata); ARM's
 * signature check also takes the crypto arena's lock. Only portable-C
 * crypto runs here (SHA-384, ECDSA): a lower world's FP/SIMD state is live.
 */
#include <lib/string.h>
#include <rampart/update.h>
#include "measured_boot.h"
#include "monitor.h"
#include "secure_boot.h"

static spinlock_t update_lock = SPINLOCK_INIT;
/* The write buffer: the source page copied into Root memory before it reaches flash. */
static uint8_t wbuf[UPDATE_WRITE_MAX] __attribute__((aligned(8)));

int update_is_fid(uint32_t fid)
{
	return fid >= RAMPART_SMC_UPDATE_INFO && fid <= RAMPART_SMC_UPDATE_CONFIRM;
}

static unsigned int inactive(void)
{
	return sb_booted.bank ^ 1U;
}

static void info(struct world_ctx *ctx)
{
	const struct bs_meta *m = nv_meta();

	ctx->x[1] = sb_booted.bank | (uint64_t)(sb_booted.trial ? 1 : 0) << 8 | (uint64_t)m->trial << 16 |
		    (uint64_t)m->attempts << 24;
	ctx->x[2] = sb_booted.version;
	ctx->x[3] = nv_counter();
	ctx->x[4] = CONFIG_PKG_BANK_SIZE;
	ctx->x[0] = UPDATE_OK;
}

static long write(uint64_t off, uint64_t pa, uint64_t len)
{
	const uint64_t bank = BANK_BASE(inactive());

	if (sb_booted.trial)
		return UPDATE_DENIED;
	if (off % UPDATE_WRITE_MAX || len == 0 || len > UPDATE_WRITE_MAX || len % 4 ||
	    off >= CONFIG_PKG_BANK_SIZE || len > CONFIG_PKG_BANK_SIZE - off)
		return UPDATE_INVALID;
	if (monitor_copy_from_ns(wbuf, pa, len))
		return UPDATE_INVALID;
	/* A pending trial of this bank is over once its bytes change. */
	if (off == 0 && nv_meta()->trial == inactive()) {
		struct bs_meta next = *nv_meta();
		next.trial = BS_NO_TRIAL;
		next.attempts = 0;
		if (nv_meta_write(&next))
			return UPDATE_FLASH_ERROR;
	}
	if (off % CONFIG_FLASH_BLOCK_SIZE == 0 && flash_erase_block(bank + off))
		return UPDATE_FLASH_ERROR;
	return flash_program(bank + off, wbuf, len) ? UPDATE_FLASH_ERROR : UPDATE_OK;
}

static long arm(uint64_t *why)
{
	const unsigned int bank = inactive();
	struct mf_manifest m;
	struct mf_error err;
	struct bs_cache fresh;
	struct bs_meta next;
	uint8_t hash[MF_HASH_SIZE];
	int cached;
	enum mf_err rc;

	if (sb_booted.trial)
		return UPDATE_DENIED;
	rc = mf_parse((const void *)BANK_BASE(bank), MF_AREA_SIZE, CONFIG_PKG_BANK_SIZE, &m, &err);
	if (rc == MF_OK && m.h.bank != bank)
		rc = MF_ERR_WRONG_BANK;
	spin_lock(&mb_arena_lock);
	if (rc == MF_OK)
		rc = mf_hash(&m, &sb_crypto, hash);
	if (rc == MF_OK)
		rc = sb_check_signature(bank, &m, hash, &fresh, &cached);
	spin_unlock(&mb_arena_lock);
	if (rc == MF_OK && m.h.security_version < nv_rollback_floor())
		rc = MF_ERR_ROLLBACK;
	/* Image digests need SHA-256, which uses FP/SIMD: the trial boot checks them. */
	if (rc != MF_OK) {
		*why = rc;
		return UPDATE_REFUSED;
	}
	bs_arm(nv_meta(), sb_booted.bank, bank, cached ? &nv_meta()->cache[bank] : &fresh, &next);
	if (nv_meta_write(&next))
		return UPDATE_FLASH_ERROR;
	MLOG(1, "secure boot: bank %c (security version %u) armed for a trial boot\n", 'A' + bank,
	     m.h.security_version);
	return UPDATE_OK;
}

static long confirm(void)
{
	struct bs_meta next;

	if (!sb_booted.trial)
		return UPDATE_DENIED;
	bs_confirm(nv_meta(), sb_booted.bank, sb_booted.version, &next);
	/* Metadata first: if the counter write is lost, the next boot finishes it from min_version. */
	if (nv_meta_write(&next))
		return UPDATE_FLASH_ERROR;
	sb_booted.trial = 0;
	MLOG(1, "secure boot: bank %c confirmed\n", 'A' + (unsigned int)sb_booted.bank);
	return nv_counter_advance(sb_booted.version) ? UPDATE_FLASH_ERROR : UPDATE_OK;
}

void update_smc(struct world_ctx *ctx)
{
	uint32_t fid = (uint32_t)ctx->x[0];
	long rc = UPDATE_NOT_SUPPORTED;

	spin_lock(&update_lock);
	switch (fid) {
	case RAMPART_SMC_UPDATE_INFO:
		info(ctx);
		spin_unlock(&update_lock);
		return;
	case RAMPART_SMC_UPDATE_WRITE:
		rc = write(ctx->x[1], ctx->x[2], ctx->x[3]);
		break;
	case RAMPART_SMC_UPDATE_ARM:
		ctx->x[1] = 0;
		rc = arm(&ctx->x[1]);
		break;
	case RAMPART_SMC_UPDATE_CONFIRM:
		rc = confirm();
		break;
	}
	spin_unlock(&update_lock);
	ctx->x[0] = (uint64_t)rc;
}
