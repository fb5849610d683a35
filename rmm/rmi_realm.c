/* RMI_REALM_CREATE, RMI_REALM_ACTIVATE, RMI_REALM_DESTROY. */
#include <lib/string.h>
#include <rampart/rmi.h>
#include "attest.h"
#include "measure.h"
#include "realm.h"
#include "rec.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "vmid.h"

#define MIN_IPA_BITS 32	   /* PARange 0b0000 */
#define MAX_IPA_BITS 48	   /* without LPA2 */
#define SL0_MIN_PA_BITS 44 /* start level 0 needs PA >= 44 bits (AArch64.S2InvalidSL) */
#define MAX_ROOT_RTTS 16

struct granule *rd_lock(uint64_t rd_pa, struct rd **rd)
{
	struct granule *g = granule_find_lock(rd_pa, GRANULE_RD);

	if (g)
		*rd = granule_map(rd_pa);
	return g;
}

static uint64_t feat(uint64_t shift, uint64_t mask)
{
	return (rmm_feature_reg0 >> shift) & mask;
}

/* Start level sl against s2sz, as AArch64.S2InconsistentSL with 4 KiB granules (no LPA2). */
static int sl_consistent(unsigned int s2sz, int64_t sl)
{
	if (sl < 0 || sl > RTT_PAGE_LEVEL)
		return 0;
	if (sl == 0 && feat(RMI_FEAT0_S2SZ_SHIFT, RMI_FEAT0_S2SZ_MASK) < SL0_MIN_PA_BITS)
		return 0;
	unsigned int levels = (unsigned int)(RTT_PAGE_LEVEL - sl);
	unsigned int min = levels * RTT_STRIDE + GRANULE_SHIFT + 1;
	unsigned int max = min + RTT_STRIDE - 1 + (sl > 0 ? 4 : 0); /* up to 16 concatenated */
	return s2sz >= min && s2sz <= max;
}

/* Root RTTs the geometry needs: 1, or 2^(s2sz - bits one start-level table resolves). */
static uint64_t num_root_rtts(unsigned int s2sz, int64_t sl)
{
	unsigned int bits = (unsigned int)(RTT_PAGE_LEVEL - sl) * RTT_STRIDE + GRANULE_SHIFT + RTT_STRIDE;

	return s2sz <= bits ? 1 : 1UL << (s2sz - bits);
}

/* RmiRealmParams checks (all ERROR_INPUT), on the RMM's own copy. */
static int realm_params_valid(const struct rmi_realm_params *p)
{
	/* No LPA2, SVE or PMU for realms (RMI_FEATURES advertises none). */
	if (p->flags & (RMI_REALM_FLAGS_LPA2 | RMI_REALM_FLAGS_SVE | RMI_REALM_FLAGS_PMU))
		return 0;
	if (p->s2sz < MIN_IPA_BITS || p->s2sz > MAX_IPA_BITS ||
	    p->s2sz > feat(RMI_FEAT0_S2SZ_SHIFT, RMI_FEAT0_S2SZ_MASK))
		return 0;
	/* 0 is reserved. */
	if (p->num_bps == 0 || p->num_bps > feat(RMI_FEAT0_NUM_BPS_SHIFT, RMI_FEAT0_NUM_BPS_MASK) ||
	    p->num_wps == 0 || p->num_wps > feat(RMI_FEAT0_NUM_WPS_SHIFT, RMI_FEAT0_NUM_WPS_MASK))
		return 0;
	if (p->hash_algo != RMI_HASH_SHA_256 && p->hash_algo != RMI_HASH_SHA_512)
		return 0;
	if (!sl_consistent(p->s2sz, p->rtt_level_start))
		return 0;
	if (p->rtt_num_start != num_root_rtts(p->s2sz, p->rtt_level_start))
		return 0;
	/*
	 * VTTBR_EL2.BADDR of concatenated tables must be aligned to their total
	 * size; the hardware could not use a misaligned rtt_base.
	 */
	if (p->rtt_base & ((uint64_t)p->rtt_num_start * GRANULE_SIZE - 1))
		return 0;
	if (p->rtt_base > UINT64_MAX - MAX_ROOT_RTTS * GRANULE_SIZE)
		return 0;
	return 1;
}

/* Lock the RD and the root RTTs, all DELEGATED, in ascending PA order. */
static int lock_new_realm(uint64_t rd_pa, uint64_t rtt_base, unsigned int n, struct granule **g_rd,
			  struct granule **g_rtt)
{
	unsigned int locked = 0;

	*g_rd = NULL;
	if (rd_pa < rtt_base && !(*g_rd = granule_find_lock(rd_pa, GRANULE_DELEGATED)))
		return -1;
	for (; locked < n; locked++) {
		g_rtt[locked] = granule_find_lock(rtt_base + locked * GRANULE_SIZE, GRANULE_DELEGATED);
		if (!g_rtt[locked])
			goto fail;
	}
	if (!*g_rd && !(*g_rd = granule_find_lock(rd_pa, GRANULE_DELEGATED)))
		goto fail;
	return 0;
fail:
	while (locked)
		granule_unlock(g_rtt[--locked]);
	if (*g_rd)
		granule_unlock(*g_rd);
	return -1;
}

void rmi_realm_create(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1], params_pa = regs[2];
	struct rmi_realm_params p; /* the RMM's copy: validated and used, never re-read */
	struct granule *g_rd, *g_rtt[MAX_ROOT_RTTS];

	regs[0] = RMI_ERROR_INPUT;
	if (ns_granule_read(params_pa, &p, sizeof(p)))
		return;
	if (!realm_params_valid(&p))
		return;
	unsigned int n = p.rtt_num_start;
	if (rd_pa >= p.rtt_base && rd_pa < p.rtt_base + n * GRANULE_SIZE)
		return;
	if (lock_new_realm(rd_pa, p.rtt_base, n, &g_rd, g_rtt))
		return;
	if (vmid_reserve(p.vmid)) {
		for (unsigned int i = 0; i < n; i++)
			granule_unlock(g_rtt[i]);
		granule_unlock(g_rd);
		return;
	}

	/* DELEGATED granules hold zeros: only non-zero fields are written. */
	struct rd *rd = granule_map(rd_pa);
	rd->state = REALM_NEW;
	rd->hash_algo = p.hash_algo;
	rd->s2 = (struct s2_ctx){ p.rtt_base, p.s2sz, (int32_t)p.rtt_level_start, n, p.vmid };
	rd->num_rec_aux = RMM_REC_AUX_COUNT;
	rd->num_bps = p.num_bps;
	rd->num_wps = p.num_wps;
	memcpy(rd->rpv, p.rpv, RPV_SIZE);

	/*
	 * Root entries: UNASSIGNED EMPTY (all zero, as delegated) in the PAR,
	 * UNASSIGNED_NS above it. Entries past 2^s2sz are never reached.
	 */
	uint64_t esize = rtt_level_size(rd->s2.start_level), par = 1UL << (p.s2sz - 1);
	uint64_t ipa = 0;
	for (unsigned int t = 0; t < n; t++) {
		uint64_t *tbl = granule_map(p.rtt_base + t * GRANULE_SIZE);
		for (unsigned int i = 0; i < RTT_ENTRIES && ipa < s2_ipa_size(&rd->s2); i++, ipa += esize)
			tbl[i] = ipa < par ? rtte_unassigned(RIPAS_EMPTY) : rtte_unassigned_ns();
	}
	measure_realm_create(rd, &p);

	for (unsigned int i = 0; i < n; i++) {
		granule_set_state(g_rtt[i], GRANULE_RTT);
		granule_unlock(g_rtt[i]);
	}
	granule_set_state(g_rd, GRANULE_RD);
	granule_unlock(g_rd);
	regs[0] = RMI_SUCCESS;
}

void rmi_realm_activate(uint64_t regs[8])
{
	struct rd *rd;
	struct granule *g_rd = rd_lock(regs[1], &rd);

	if (!g_rd) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	if (rd->state == REALM_NEW) {
		__atomic_store_n(&rd->state, REALM_ACTIVE, __ATOMIC_RELEASE); /* seals the RIM */
		regs[0] = RMI_SUCCESS;
	} else {
		regs[0] = RMI_ERROR_REALM;
	}
	granule_unlock(g_rd);
	/*
	 * The first realm of a boot pays for the RAK public key and the platform
	 * token (about 11 M instructions, once), with no lock held, so that each
	 * of its tokens costs one signature. A failure is the token's to report.
	 */
	if (regs[0] == RMI_SUCCESS)
		(void)rmm_attest_prepare();
}

void rmi_realm_destroy(uint64_t regs[8])
{
	uint64_t rd_pa = regs[1];
	struct granule *g_rtt[MAX_ROOT_RTTS];
	unsigned int live = 0;
	struct rd *rd;
	struct granule *g_rd = rd_lock(rd_pa, &rd);

	if (!g_rd) {
		regs[0] = RMI_ERROR_INPUT;
		return;
	}
	struct s2_ctx s2 = rd->s2;
	/* The RD's own count (at most MAX_ROOT_RTTS, set by REALM_CREATE), taken once for all three loops. */
	unsigned int nroot = s2.num_root;
	/* Any REC, child RTT or DATA granule still refers to the realm. */
	if (granule_refcount(g_rd) != 0) {
		granule_unlock(g_rd);
		regs[0] = RMI_ERROR_REALM;
		return;
	}
	for (unsigned int i = 0; i < nroot; i++) {
		g_rtt[i] = granule_find_lock(s2.rtt_base + i * GRANULE_SIZE, GRANULE_RTT);
		if (!g_rtt[i])
			rmm_panic("realm 0x%lx lost root RTT %u", (unsigned long)rd_pa, i);
		live += granule_refcount(g_rtt[i]);
	}
	if (live) {
		for (unsigned int i = 0; i < nroot; i++)
			granule_unlock(g_rtt[i]);
		granule_unlock(g_rd);
		regs[0] = RMI_ERROR_REALM;
		return;
	}
	/*
	 * Nothing is mapped any more, and each removal invalidated its TLB
	 * entries; drop anything else tagged with the VMID before reusing it.
	 */
	s2_tlbi_vmid(s2.vmid);
	vmid_free(s2.vmid);
	for (unsigned int i = 0; i < nroot; i++) {
		rmm_granule_scrub(s2.rtt_base + i * GRANULE_SIZE);
		granule_set_state(g_rtt[i], GRANULE_DELEGATED);
		granule_unlock(g_rtt[i]);
	}
	rmm_granule_scrub(rd_pa); /* RPV and RIM included */
	granule_set_state(g_rd, GRANULE_DELEGATED);
	granule_unlock(g_rd);
	regs[0] = RMI_SUCCESS;
}
