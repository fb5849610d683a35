/* RMM cold and warm boot from the monitor's boot manifest. */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <crypto/crypto.h>
#include <lib/string.h>
#include <rampart/rmm_el3.h>
#include <rampart/rmi.h>
#include "attest.h"
#include "granule.h"
#include "rec_ctx.h"
#include "rec_sysreg.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "vmid.h"

#define RMM_SHARED_BUF (CONFIG_RMM_BASE + CONFIG_RMM_SIZE - PAGE_SIZE)
#define ICH_VTR_EL2_LISTREGS(v) ((v)&0x1f)
#define ID_AA64MMFR1_VMIDBITS(v) (((v) >> 4) & 0xf)
#define ID_AA64DFR0_BRPS(v) (((v) >> 12) & 0xf)
#define ID_AA64DFR0_WRPS(v) (((v) >> 20) & 0xf)

/*
 * Mbed TLS's arena (docs/attestation.md): the RIM hashes use none of it; it
 * holds ECDSA P-384 signing state (peak 3 128 bytes per signature, measured
 * by cryptotest): RMM_ATTEST_MAX_SIGNINGS stepped signings in progress (no
 * realm's token is ever signed in one go; the boot self-test's are, before
 * any realm exists), with room to spare. Used only under rmm/attest.c's lock.
 */
#define RMM_CRYPTO_ARENA_SIZE (16 * 1024)
static uint64_t crypto_arena[RMM_CRYPTO_ARENA_SIZE / sizeof(uint64_t)];

/* lib/crypto: the allocator found its arena corrupted. */
void crypto_fatal(int status)
{
	rmm_panic("crypto: fatal error %d (arena corrupted)", status);
}

/* In .data, so every load of the image resets it (RAM survives SYSTEM_RESET). */
uint32_t rmm_cold_done __attribute__((section(".data"))) = 0;
extern struct granule rmm_granules[], __granules_end[];
extern char __granules_start[];

static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

uint64_t rmm_compute_features(void)
{
	uint64_t pa = ID_AA64MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1));
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint64_t s2sz = pa < 7 ? parange_bits[pa] : 48;

	if (s2sz > 48) /* no LPA2 support */
		s2sz = 48;
	/* LPA2 = 0, SVE_EN = 0, PMU_EN = 0: REALM_CREATE refuses those flags. */
	return (s2sz << RMI_FEAT0_S2SZ_SHIFT) | (ID_AA64DFR0_BRPS(dfr0) << RMI_FEAT0_NUM_BPS_SHIFT) |
	       (ID_AA64DFR0_WRPS(dfr0) << RMI_FEAT0_NUM_WPS_SHIFT) | RMI_FEAT0_HASH_SHA_256 |
	       RMI_FEAT0_HASH_SHA_512 |
	       (ICH_VTR_EL2_LISTREGS(read_sysreg(ich_vtr_el2)) << RMI_FEAT0_GICV3_NUM_LRS_SHIFT) |
	       ((uint64_t)RMM_MAX_RECS_ORDER << RMI_FEAT0_MAX_RECS_ORDER_SHIFT);
}

/* Returns 0 or the E_RMM_BOOT_* code for a malformed list. */
static long check_list(uint64_t num, uint64_t ptr, uint64_t checksum, uint64_t entry_size, uint64_t max)
{
	if (num == 0 || num > max)
		return E_RMM_BOOT_MANIFEST_DATA_ERROR;
	if (ptr < RMM_SHARED_BUF || ptr + num * entry_size > RMM_SHARED_BUF + PAGE_SIZE || (ptr & 7))
		return E_RMM_BOOT_MANIFEST_DATA_ERROR;
	if (rmm_el3_list_sum(num, ptr, (const uint64_t *)ptr, num * entry_size / 8) + checksum != 0)
		return E_RMM_BOOT_MANIFEST_DATA_ERROR;
	return 0;
}

uint64_t rmm_cold_boot(uint64_t cpu, uint64_t version, uint64_t ncpus, uint64_t shared, uint64_t token)
{
	(void)token;
	if (cpu != 0)
		return (uint64_t)E_RMM_BOOT_CPU_ID_OUT_OF_RANGE;
	if ((version >> 16) != (RMM_EL3_IFC_VERSION >> 16) ||
	    (version & 0xffff) < (RMM_EL3_IFC_VERSION & 0xffff))
		return (uint64_t)E_RMM_BOOT_VERSION_NOT_VALID;
	if (ncpus == 0 || ncpus > CONFIG_NR_CPUS)
		return (uint64_t)E_RMM_BOOT_CPUS_OUT_OF_RANGE;
	if (shared != RMM_SHARED_BUF)
		return (uint64_t)E_RMM_BOOT_INVALID_SHARED_BUFFER;

	const struct rmm_boot_manifest *m = (const void *)shared;
	if (m->version != RMM_EL3_MANIFEST_VERSION)
		return (uint64_t)E_RMM_BOOT_MANIFEST_VERSION_NOT_SUPPORTED;
	/* Read once: the bank count checked is the one used below (and banks[] is then set). */
	const struct rmm_mem_info dram = m->plat_dram;
	long rc = check_list(dram.num_banks, dram.banks, dram.checksum, sizeof(struct rmm_mem_bank),
			     RMM_EL3_MAX_DRAM_BANKS);
	if (!rc)
		rc = check_list(m->plat_console.num_consoles, m->plat_console.consoles,
				m->plat_console.checksum, sizeof(struct rmm_console_info),
				RMM_EL3_MAX_CONSOLES);
	if (rc)
		return (uint64_t)rc;

	uint64_t banks[RMM_EL3_MAX_DRAM_BANKS][2];
	unsigned int n = (unsigned int)dram.num_banks;
	const struct rmm_mem_bank *b = (const void *)dram.banks;
	for (unsigned int i = 0; i < n; i++) {
		banks[i][0] = b[i].base;
		banks[i][1] = b[i].size;
	}
	if (rmm_mmu_setup(banks, n))
		return (uint64_t)E_RMM_BOOT_MANIFEST_DATA_ERROR;
	rmm_mmu_enable();
	rec_host_obs_init();
	write_sysreg(mdcr_el2, rmm_mdcr_el2()); /* before any work the host could count */
	isb();
	/* Needs the MMU on (SHA-256 reads unaligned Normal memory) and FEAT_SHA256. */
	int crc = crypto_init(crypto_arena, sizeof(crypto_arena));
	if (crc) {
		RLOG(0, "crypto_init failed (%d): no measurements, no boot\n", crc);
		return (uint64_t)E_RMM_BOOT_UNKNOWN;
	}

	/* As addresses: the two symbols bound one linker section, not one C object. */
	uint64_t cap = ((uintptr_t)__granules_end - (uintptr_t)rmm_granules) / sizeof(struct granule);
	uint64_t need = 0;
	for (unsigned int i = 0; i < n; i++)
		need += banks[i][1] >> GRANULE_SHIFT;
	if (need > cap)
		return (uint64_t)E_RMM_BOOT_MANIFEST_DATA_ERROR;
	/* Zero only the entries in use; DC ZVA needs the MMU on. */
	zero_blocks((uintptr_t)__granules_start,
		    (need * sizeof(struct granule) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	if (granules_init((const uint64_t(*)[2])banks, n, rmm_granules, cap))
		return (uint64_t)E_RMM_BOOT_MANIFEST_DATA_ERROR;
	rmm_feature_reg0 = rmm_compute_features();
	rmm_vmid_bits = ID_AA64MMFR1_VMIDBITS(read_sysreg(id_aa64mmfr1_el1)) == 2 ? 16 : 8;
	vmid_reset();
	rmm_attest_init(); /* the RAK from EL3; on failure realms run without attestation */
	rec_ctx_init();
	rec_sysreg_init();
	rmm_cold_done = 1;
	RLOG(1, "Rampart RMM, RMI 1.0; tracking %lu granules in %u bank(s) from 0x%lx\n",
	     (unsigned long)granules_tracked(), n, (unsigned long)banks[0][0]);
	return E_RMM_BOOT_SUCCESS;
}

uint64_t rmm_warm_boot(uint64_t cpu)
{
	rmm_mmu_enable();
	write_sysreg(mdcr_el2, rmm_mdcr_el2());
	isb();
	RLOG(2, "warm boot on cpu %lu\n", (unsigned long)cpu);
	return E_RMM_BOOT_SUCCESS;
}
