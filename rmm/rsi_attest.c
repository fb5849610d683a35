/*
 * Attestation tokens for a realm (reference §2.1, §4). TOKEN_INIT records
 * the challenge; the first TOKEN_CONTINUE builds and signs the whole CCA
 * token (rmm/attest.c) into the REC's auxiliary granules, and every
 * CONTINUE copies the next chunk into the realm page it names. The token
 * stays with the REC, so the realm may move between CPUs in between; a new
 * INIT always starts over.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include "attest.h"
#include "granule.h"
#include "realm.h"
#include "rec_run.h"
#include "rmm.h"
#include "rmm_arch.h"
#include "rsi_attest.h"

/* ISR_EL1: a physical IRQ / FIQ is pending (HCR_EL2.IMO/FMO route them to R-EL2). */
#define ISR_F (1UL << 6)
#define ISR_I (1UL << 7)

enum attest_state {
	ATTEST_NONE = 0, /* no INIT since the last complete token */
	ATTEST_INIT,	 /* challenge recorded, token not built yet */
	ATTEST_READY,	 /* token in the aux granules, attest_done bytes copied out */
};

/* Built on this CPU's buffer, then kept in the REC's auxiliary granules. */
#define ATTEST_TOKEN_MAX (RMM_REC_AUX_COUNT * GRANULE_SIZE)
#define ATTEST_BUILD_BUF 0x2000UL
static uint8_t build_buf[CONFIG_NR_CPUS][ATTEST_BUILD_BUF] __attribute__((aligned(16)));

enum rec_action rsi_attest_init(struct rec_run *run)
{
	struct rec *rec = run->rec;

	memcpy(rec->attest_challenge, &rec->gprs[1], sizeof(rec->attest_challenge));
	rec->attest_state = ATTEST_INIT;
	rec->attest_len = 0;
	rec->attest_done = 0;
	rec->gprs[0] = RSI_SUCCESS;
	rec->gprs[1] = ATTEST_BUILD_BUF; /* no token is ever longer */
	return REC_RESUME;
}

/* Copy n bytes of the token from offset off of the aux granules to dst. */
static void aux_copy_out(const struct rec *rec, uint64_t off, uint8_t *dst, uint64_t n)
{
	while (n) {
		uint64_t g = off / GRANULE_SIZE, in = off % GRANULE_SIZE;
		uint64_t chunk = GRANULE_SIZE - in < n ? GRANULE_SIZE - in : n;
		memcpy(dst, (const uint8_t *)granule_map(rec->aux[g]) + in, chunk);
		dst += chunk;
		off += chunk;
		n -= chunk;
	}
}

static void aux_copy_in(struct rec *rec, const uint8_t *src, uint64_t n)
{
	for (uint64_t off = 0; off < n; off += GRANULE_SIZE) {
		uint64_t chunk = n - off < GRANULE_SIZE ? n - off : GRANULE_SIZE;
		memcpy(granule_map(rec->aux[off / GRANULE_SIZE]), src + off, chunk);
	}
}

/* Sign the token with the realm's measurements as they are now; 0 or -1. */
static int build_token(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint8_t rim[RIM_SIZE], rems[REM_COUNT][RIM_SIZE], rpv[RPV_SIZE];
	struct rd *rd;
	struct granule *g_rd = rd_lock(run->rd_pa, &rd);

	if (!g_rd)
		rmm_panic("running REC 0x%lx lost its RD", (unsigned long)run->rec_pa);
	memcpy(rim, rd->rim, sizeof(rim));
	memcpy(rems, rd->rem, sizeof(rems));
	memcpy(rpv, rd->rpv, sizeof(rpv));
	granule_unlock(g_rd);

	uint8_t *buf = build_buf[rmm_cpu_index()];
	long n = rmm_attest_token(rec->attest_challenge, rim, (const uint8_t(*)[RIM_SIZE])rems,
				  run->hash_algo, rpv, buf, ATTEST_BUILD_BUF);
	if (n <= 0 || (uint64_t)n > rec->num_aux * GRANULE_SIZE)
		return -1;
	aux_copy_in(rec, buf, (uint64_t)n);
	rec->attest_len = (uint64_t)n;
	rec->attest_done = 0;
	rec->attest_state = ATTEST_READY;
	return 0;
}

enum rec_action rsi_attest_continue(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t ipa = rec->gprs[1], off = rec->gprs[2], size = rec->gprs[3];

	if (rec->attest_state == ATTEST_NONE) {
		rec->gprs[0] = RSI_ERROR_STATE;
		return REC_RESUME;
	}
	if ((ipa & (GRANULE_SIZE - 1)) || !s2_addr_in_par(&run->s2, ipa) || off > GRANULE_SIZE ||
	    size > GRANULE_SIZE - off) {
		rec->gprs[0] = RSI_ERROR_INPUT;
		return REC_RESUME;
	}
	/*
	 * Signing takes ~6 M instructions and cannot be split: a physical
	 * interrupt already pending is served first (an IRQ/FIQ exit), and the
	 * realm issues this CONTINUE again on the next entry.
	 */
	if (rec->attest_state == ATTEST_INIT && (read_sysreg(isr_el1) & (ISR_I | ISR_F))) {
		rec->pc -= 4;
		run->exit->exit_reason = (read_sysreg(isr_el1) & ISR_I) ? RMI_EXIT_IRQ : RMI_EXIT_FIQ;
		return REC_EXIT;
	}
	if (rec->attest_state == ATTEST_INIT && build_token(run)) {
		rec->attest_state = ATTEST_NONE;
		rec->gprs[0] = RSI_ERROR_UNKNOWN;
		return REC_RESUME;
	}

	struct rtt_walk w;
	uint64_t pa;
	int level;
	switch (realm_mem_lock(run, ipa, &w, &pa, &level)) {
	case REALM_MEM_OK:
		break;
	case REALM_MEM_HOST:
		rec->pc -= 4; /* again, once the host has populated the page; the token is kept */
		rec_exit_host_fault(run, ipa, level);
		return REC_EXIT;
	default:
		rec->gprs[0] = RSI_ERROR_INPUT;
		return REC_RESUME;
	}
	uint64_t left = rec->attest_len - rec->attest_done;
	uint64_t n = size < left ? size : left;
	aux_copy_out(rec, rec->attest_done, (uint8_t *)granule_map(pa) + off, n);
	rtt_walk_unlock(&w);
	rec->attest_done += n;
	rec->gprs[1] = n;
	if (rec->attest_done == rec->attest_len) {
		rec->attest_state = ATTEST_NONE;
		rec->gprs[0] = RSI_SUCCESS;
	} else {
		rec->gprs[0] = RSI_INCOMPLETE;
	}
	return REC_RESUME;
}
