/*
 * A hostile realm for the RMI fuzz target: the host build has no CPU to run
 * a REC (rmm/rec_exit.c needs EL2 system registers), so this file stands in
 * for rec_exit.c and lets the fuzz input decide what the realm does between
 * REC_ENTER and its exit: RSI and PSCI calls with arbitrary arguments
 * through the real rsi_handle(), stage-2 aborts at protected IPAs through
 * the real realm_mem_lock() (decided as rec_exit.c's handle_abort does),
 * emulatable MMIO at unprotected IPAs, interrupts, SErrors and WFI exits,
 * and its own registers and timer controls scribbled over. Whatever it does,
 * the invariants (rmm_check.c) must hold after the REC_ENTER.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include <rampart/smccc.h>
#include "rec_ctx.h"
#include "rec_exit_esr.h"
#include "rec_run.h"
#include "s2tt.h"
#include "fuzz_input.h"
#include "fuzz_rmi.h"

/* Steps the realm takes before it is made to exit (an IRQ: the host's timer). */
#define REALM_MAX_STEPS 8U
#define AARCH64_INSN_SIZE 4
#define HPFAR_FIPA_MASK 0x00000ffffffffff0UL
#define HPFAR_FIPA_TO_IPA_SHIFT 8
#define ESR_FSC_TRANSLATION(level) (0x04UL + (uint64_t)(level))
#define ESR_EC_WFX 0x01U

struct realm_stats realm_stats;
/* The base of the realm's last RIPAS change request: touching it next is what a guest does. */
static uint64_t last_ripas_base;

void realm_reset(void)
{
	last_ripas_base = 0;
}

static const uint64_t smc_fids[] = {
	RSI_VERSION,
	RSI_FEATURES,
	RSI_MEASUREMENT_READ,
	RSI_MEASUREMENT_EXTEND,
	RSI_ATTESTATION_TOKEN_INIT,
	RSI_ATTESTATION_TOKEN_CONTINUE,
	RSI_REALM_CONFIG,
	RSI_IPA_STATE_SET,
	RSI_IPA_STATE_GET,
	RSI_HOST_CALL,
	PSCI_VERSION,
	PSCI_CPU_SUSPEND_64,
	PSCI_CPU_OFF,
	PSCI_CPU_ON_32,
	PSCI_CPU_ON_64,
	PSCI_AFFINITY_INFO_32,
	PSCI_AFFINITY_INFO_64,
	PSCI_SYSTEM_OFF,
	PSCI_SYSTEM_RESET,
	PSCI_FEATURES,
	SMCCC_VERSION,
};
#define NR_SMC_FIDS (sizeof(smc_fids) / sizeof(smc_fids[0]))

static uint64_t esr_of(unsigned int ec, uint64_t iss)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
}

static enum rec_action exit_sync(struct rec_run *run, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	run->exit->exit_reason = RMI_EXIT_SYNC;
	run->exit->esr = esr;
	run->exit->far = far;
	run->exit->hpfar = hpfar;
	return REC_EXIT;
}

/* An SMC: FID and arguments from the input, most of them plausible for this realm. */
static enum rec_action realm_smc(struct rec_run *run)
{
	struct rec *rec = run->rec;
	int level;

	rec->gprs[0] = in_chance(240) ? smc_fids[in_below(NR_SMC_FIDS)] : gen_value();
	for (unsigned int i = 1; i <= 6; i++) {
		switch (in_below(4)) {
		case 0:
			rec->gprs[i] = gen_realm_ipa(run->rd_pa, &level);
			break;
		case 1:
			rec->gprs[i] = in_below(4); /* RIPAS values, slots, flags */
			break;
		default:
			rec->gprs[i] = gen_value();
			break;
		}
	}
	/* Mostly arguments a well-formed call has: an aligned base, a top above it, a RIPAS, a target. */
	if (in_chance(192)) {
		rec->gprs[1] = gen_realm_ipa(run->rd_pa, &level) & ~(GRANULE_SIZE - 1);
		rec->gprs[2] = rec->gprs[1] + (uint64_t)(1 + in_below(16)) * GRANULE_SIZE;
		rec->gprs[3] = in_below(2);
		rec->gprs[4] = in_below(2);
	}
	if (in_chance(64))
		rec->gprs[1] = in_below(4); /* a PSCI target MPIDR or a measurement slot */
	realm_stats.rsi_calls++;
	if (rec->gprs[0] == RSI_IPA_STATE_SET)
		last_ripas_base = rec->gprs[1];
	rec->pc += AARCH64_INSN_SIZE;
	return rsi_handle(run);
}

/* A stage-2 abort, decided as rec_exit.c's handle_abort() does. */
static enum rec_action realm_protected_abort(struct rec_run *run)
{
	int level, is_data = in_chance(192);
	uint64_t ipa =
		(in_chance(64) ? last_ripas_base : gen_realm_ipa(run->rd_pa, &level)) & ~(GRANULE_SIZE - 1);
	uint64_t alias = 1UL << (run->s2.ipa_bits - 1);

	/* Half the time its unprotected alias (shared memory, MMIO); now and then the host's device. */
	if (in_chance(128))
		ipa |= alias;
	if (in_chance(24))
		ipa = FUZZ_DEVICE_IPA | alias;
	uint64_t hpfar;
	uint64_t esr = esr_of(is_data ? ESR_EC_DABT_LOW : ESR_EC_IABT_LOW, ESR_FSC_TRANSLATION(3)) |
		       (in_u64() & ~(uint64_t)ESR_EC_FIELD);
	struct rtt_walk w;
	uint64_t pa;

	realm_stats.aborts++;
	hpfar = (ipa >> HPFAR_FIPA_TO_IPA_SHIFT) & HPFAR_FIPA_MASK;
	if (ipa >= s2_ipa_size(&run->s2))
		return REC_RESUME; /* an SEA into the realm */
	if (!s2_addr_in_par(&run->s2, ipa)) {
		/* Emulatable MMIO (ISV) mostly: the REC remembers it for the host's EMUL_MMIO completion. */
		if (in_chance(224))
			esr |= ESR_DABT_ISV;
		else
			esr &= ~(uint64_t)ESR_DABT_ISV;
		hpfar = (ipa >> HPFAR_FIPA_TO_IPA_SHIFT) & HPFAR_FIPA_MASK;
		run->rec->pend.mmio_esr = esr;
		run->rec->pend.mmio_far = ipa;
		if (!(esr & ESR_DABT_ISV))
			return exit_sync(run, rec_exit_abort_esr(esr, REC_ABORT_UNPROT_NONEMUL), 0, hpfar);
		if (esr & ESR_DABT_WNR)
			run->exit->gprs[0] = gen_value();
		return exit_sync(run, rec_exit_abort_esr(esr, REC_ABORT_EMULATABLE), ipa & (GRANULE_SIZE - 1),
				 hpfar);
	}
	switch (realm_mem_lock(run, ipa, &w, &pa, &level)) {
	case REALM_MEM_OK:
		rtt_walk_unlock(&w);
		return REC_RESUME;
	case REALM_MEM_HOST:
	case REALM_MEM_DESTROYED:
		return exit_sync(run,
				 rec_exit_abort_esr(esr, is_data ? REC_ABORT_PROTECTED_DATA
								 : REC_ABORT_PROTECTED_INSN),
				 0, hpfar);
	default:
		return REC_RESUME;
	}
}

static enum rec_action realm_step(struct rec_run *run)
{
	struct rec *rec = run->rec;

	switch (in_below(16)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
		return realm_smc(run);
	case 6:
	case 7:
	case 8:
		return realm_protected_abort(run);
	case 9:
	case 10:
		/* The realm owns its registers and timers: anything goes. */
		rec->gprs[in_below(31)] = gen_value();
		rec->el1.cntv_ctl = in_u8();
		rec->el1.cntp_ctl = in_u8();
		rec->gic.misr = gen_value();
		return REC_RESUME;
	case 11:
	case 12:
		run->exit->exit_reason = in_chance(128) ? RMI_EXIT_IRQ : RMI_EXIT_FIQ;
		return REC_EXIT;
	case 13:
		run->exit->exit_reason = RMI_EXIT_SERROR;
		run->exit->esr = in_u64();
		return REC_EXIT;
	default:
		/* WFI/WFE: an exit only if the host asked for the trap, else it waits for an interrupt. */
		if (!(run->enter_flags & (RMI_REC_ENTER_TRAP_WFI | RMI_REC_ENTER_TRAP_WFE))) {
			run->exit->exit_reason = RMI_EXIT_IRQ;
			return REC_EXIT;
		}
		rec->pc += AARCH64_INSN_SIZE;
		return exit_sync(run, esr_of(ESR_EC_WFX, in_below(4)), 0, 0);
	}
}

void rec_run_until_exit(struct rec_run *run)
{
	unsigned int steps = 0;

	while (realm_step(run) != REC_EXIT) {
		if (++steps == REALM_MAX_STEPS || fin.done) {
			run->exit->exit_reason = RMI_EXIT_IRQ;
			break;
		}
	}
	realm_stats.exits++;
	rec_exit_report_state(run);
}

/* Injections only change the realm's EL1 state, which is not modelled here. */
void rec_inject_undef(struct rec_run *run)
{
	(void)run;
}

void rec_inject_sea(struct rec_run *run, uint64_t far)
{
	(void)run;
	(void)far;
}

void rec_exit_host_fault(struct rec_run *run, uint64_t ipa, int level)
{
	run->exit->exit_reason = RMI_EXIT_SYNC;
	run->exit->esr = rec_exit_abort_esr(esr_of(ESR_EC_DABT_LOW, ESR_FSC_TRANSLATION(level)),
					    REC_ABORT_PROTECTED_DATA);
	run->exit->far = 0;
	run->exit->hpfar = (ipa >> HPFAR_FIPA_TO_IPA_SHIFT) & HPFAR_FIPA_MASK;
}
