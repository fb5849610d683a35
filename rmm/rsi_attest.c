/*
 * Attestation tokens for a realm (reference §2.1, §4). TOKEN_INIT records
 * the challenge. The first TOKEN_CONTINUE that finds a signing slot free
 * (rmm/attest.c) encodes the whole CCA token into the REC's auxiliary
 * granules with the realm token's signature still to come; the following
 * ones sign it a bounded step at a time (RSI_INCOMPLETE, nothing copied),
 * leaving for the host whenever a physical interrupt is pending, so no
 * CONTINUE runs long: while every slot is taken a CONTINUE does nothing
 * but answer RSI_INCOMPLETE, and a REC whose slot was taken over (its lease
 * ran out) starts again. Once signed, each CONTINUE copies the next chunk
 * into the realm page it names. The token and the signing state stay with
 * the REC, so the realm may move between CPUs in between; a new INIT, or
 * REC_DESTROY, abandons them.
 */
#include <arch/sysreg.h>
#include <crypto/crypto.h>
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
	ATTEST_SIGNING,	 /* token in the aux granules but its signature; signing state in the last one */
	ATTEST_READY,	 /* token complete in the aux granules, attest_done bytes copied out */
};

/* Encoded on this CPU's buffer, then kept in the REC's auxiliary granules. */
#define ATTEST_BUILD_BUF 0x2000UL
#define SIGNING_AUX (RMM_REC_AUX_COUNT - 1) /* the aux granule holding the signing state */
_Static_assert(ATTEST_BUILD_BUF <= SIGNING_AUX * GRANULE_SIZE, "the token and the signing state overlap");
_Static_assert(sizeof(struct crypto_p384_signing) <= GRANULE_SIZE, "the signing state fits a granule");
static uint8_t build_buf[CONFIG_NR_CPUS][ATTEST_BUILD_BUF] __attribute__((aligned(16)));

static struct crypto_p384_signing *signing_state(const struct rec *rec)
{
	return granule_map(rec->aux[SIGNING_AUX]);
}

static struct rmm_attest_ticket ticket_of(const struct rec *rec)
{
	return (struct rmm_attest_ticket){ rec->attest_slot, rec->attest_gen };
}

void rsi_attest_abandon(struct rec *rec)
{
	if (rec->attest_state == ATTEST_SIGNING) {
		struct rmm_attest_ticket t = ticket_of(rec);
		rmm_attest_sign_abort(signing_state(rec), &t);
	}
	rec->attest_state = ATTEST_NONE;
}

enum rec_action rsi_attest_init(struct rec_run *run)
{
	struct rec *rec = run->rec;

	rsi_attest_abandon(rec);
	memcpy(rec->attest_challenge, &rec->gprs[1], sizeof(rec->attest_challenge));
	rec->attest_state = ATTEST_INIT;
	rec->attest_len = 0;
	rec->attest_done = 0;
	rec->gprs[1] = ATTEST_BUILD_BUF; /* no token is ever longer */
	rec_rsi_result(rec, RSI_SUCCESS, 1);
	return REC_RESUME;
}

/* Copy n bytes between the token at offset off of the aux granules and p. */
static void aux_copy(const struct rec *rec, uint64_t off, uint8_t *p, uint64_t n, int in)
{
	while (n) {
		uint64_t g = off / GRANULE_SIZE, at = off % GRANULE_SIZE;
		uint64_t chunk = GRANULE_SIZE - at < n ? GRANULE_SIZE - at : n;
		uint8_t *aux = (uint8_t *)granule_map(rec->aux[g]) + at;
		if (in)
			memcpy(aux, p, chunk);
		else
			memcpy(p, aux, chunk);
		p += chunk;
		off += chunk;
		n -= chunk;
	}
}

/*
 * Encode the token with the realm's measurements as they are now and start
 * signing it: 0, 1 if every signing slot is taken (nothing done), or -1.
 */
static int build_token(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint8_t rim[RIM_SIZE], rems[REM_COUNT][RIM_SIZE], rpv[RPV_SIZE], hash[RMM_ATTEST_HASH_SIZE];
	struct granule *g_rd;
	const struct rd *rd = rec_run_rd_lock(run, &g_rd);

	memcpy(rim, rd->rim, sizeof(rim));
	memcpy(rems, rd->rem, sizeof(rems));
	memcpy(rpv, rd->rpv, sizeof(rpv));
	granule_unlock(g_rd);

	const uint8_t(*r)[RIM_SIZE] = (const uint8_t(*)[RIM_SIZE])rems;
	uint8_t *buf = build_buf[rmm_cpu_index()];
	long n = rmm_attest_token_unsigned(rec->attest_challenge, rim, r, run->hash_algo, rpv, buf,
					   ATTEST_BUILD_BUF, hash);
	if (n <= 0 || rec->num_aux != RMM_REC_AUX_COUNT)
		return -1;
	struct rmm_attest_ticket t;
	int rc = rmm_attest_sign_start(signing_state(rec), hash, &t);
	if (rc == RMM_ATTEST_ERR_BUSY)
		return 1; /* taken since the check: again on the next CONTINUE */
	if (rc)
		return -1;
	rec->attest_slot = t.slot;
	rec->attest_gen = t.gen;
	rec->attest_state = ATTEST_SIGNING;
	aux_copy(rec, 0, buf, (uint64_t)n, 1);
	rec->attest_len = (uint64_t)n;
	rec->attest_done = 0;
	return 0;
}

/* One signing step; RSI_INCOMPLETE (nothing copied yet), RSI_SUCCESS when signed, or an error. */
static uint64_t sign_step(struct rec *rec)
{
	uint8_t sig[RMM_ATTEST_SIG_SIZE];
	struct rmm_attest_ticket t = ticket_of(rec);
	int rc = rmm_attest_sign_step(signing_state(rec), &t, sig);

	if (rc == 1)
		return RSI_INCOMPLETE;
	if (rc == RMM_ATTEST_ERR_LOST) { /* idle past the lease: the slot went to another REC */
		rec->attest_state = ATTEST_INIT;
		return RSI_INCOMPLETE;
	}
	if (rc) {
		rec->attest_state = ATTEST_NONE;
		return RSI_ERROR_UNKNOWN;
	}
	/* The realm token's signature closes the whole token (rmm_attest_token_unsigned). */
	aux_copy(rec, rec->attest_len - RMM_ATTEST_SIG_SIZE, sig, sizeof(sig), 1);
	rec->attest_state = ATTEST_READY;
	return RSI_SUCCESS;
}

enum rec_action rsi_attest_continue(struct rec_run *run)
{
	struct rec *rec = run->rec;
	uint64_t ipa = rec->gprs[1], off = rec->gprs[2], size = rec->gprs[3];

	/*
	 * B5.3.1 in its order: addr_align, addr_bound, offset_bound (offset <
	 * 4096), size_overflow and size_bound, then state (ERROR_STATE).
	 */
	if ((ipa & (GRANULE_SIZE - 1)) || !s2_addr_in_par(&run->s2, ipa) || off >= GRANULE_SIZE ||
	    size > GRANULE_SIZE - off) {
		rec_rsi_result(rec, RSI_ERROR_INPUT, 1);
		return REC_RESUME;
	}
	if (rec->attest_state == ATTEST_NONE) {
		rec_rsi_result(rec, RSI_ERROR_STATE, 1);
		return REC_RESUME;
	}
	if (rec->attest_state != ATTEST_READY) {
		/* A physical interrupt first: the realm issues this CONTINUE again on the next entry. */
		uint64_t isr = read_sysreg(isr_el1);
		if (isr & (ISR_I | ISR_F)) {
			rec->pc -= 4;
			run->exit->exit_reason = (isr & ISR_I) ? RMI_EXIT_IRQ : RMI_EXIT_FIQ;
			return REC_EXIT;
		}
		if (rec->attest_state == ATTEST_INIT) {
			/* Every slot taken: nothing to do now, not even the encoding. */
			int rc = rmm_attest_sign_available() ? build_token(run) : 1;
			if (rc < 0) {
				rec->attest_state = ATTEST_NONE;
				rec_rsi_result(rec, RSI_ERROR_UNKNOWN, 1);
				return REC_RESUME;
			}
		} else {
			uint64_t st = sign_step(rec);
			if (st != RSI_SUCCESS) {
				rec->gprs[1] = 0;
				rec_rsi_result(rec, st, 1);
				return REC_RESUME;
			}
		}
		if (rec->attest_state != ATTEST_READY) {
			rec->gprs[1] = 0;
			rec_rsi_result(rec, RSI_INCOMPLETE, 1);
			return REC_RESUME;
		}
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
		rec_rsi_result(rec, RSI_ERROR_INPUT, 1);
		return REC_RESUME;
	}
	uint64_t left = rec->attest_len - rec->attest_done;
	uint64_t n = size < left ? size : left;
	aux_copy(rec, rec->attest_done, (uint8_t *)granule_map(pa) + off, n, 0);
	rtt_walk_unlock(&w);
	rec->attest_done += n;
	rec->gprs[1] = n;
	if (rec->attest_done == rec->attest_len) {
		rec->attest_state = ATTEST_NONE;
		rec_rsi_result(rec, RSI_SUCCESS, 1);
	} else {
		rec_rsi_result(rec, RSI_INCOMPLETE, 1);
	}
	return REC_RESUME;
}
