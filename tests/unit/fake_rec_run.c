/*
 * The host build of REC_ENTER (rmm/rec_enter.c) runs no realm: these fakes
 * stand in for the parts that need the CPU (rec_exit.c, rec_ctx.c) and
 * record what REC_ENTER asked of them, so that its checks, its entry
 * processing and its exit record are tested on their own. Realm execution
 * itself is tested on QEMU (tests/qemu/test_realm_exec.py).
 */
#include <stdint.h>
#include <string.h>
#include <rampart/rmi.h>
#include "fake_rec_run.h"
#include "rec_ctx.h"
#include "attest.h"
#include "rec_run.h"
#include "rmm_arch.h"

/* QEMU's GICv3 CPU interface: 4 list registers, 5 priority bits, 16-bit INTIDs. */
unsigned int rec_gic_num_lrs = 4, rec_gic_num_aprs = 1, rec_gic_pri_bits = 5;
uint64_t rec_gic_max_intid = (1UL << 16) - 1;

struct fake_rec_run fake_rec_run;
/* The "CPU" a thread is (test_rmm_rec_race.c); REC_ENTER keeps per-CPU state by it. */
static _Thread_local unsigned int cpu_index;

void fake_set_cpu_index(unsigned int cpu)
{
	cpu_index = cpu;
}

unsigned int rmm_cpu_index(void)
{
	return cpu_index;
}

void rec_run_until_exit(struct rec_run *run)
{
	__atomic_add_fetch(&fake_rec_run.runs, 1, __ATOMIC_RELAXED);
	fake_rec_run.last_flags = run->enter_flags;
	fake_rec_run.inject_sea = run->inject_sea;
	if (fake_rec_run.during_run)
		fake_rec_run.during_run();
	run->exit->exit_reason = fake_rec_run.exit_reason;
	rec_exit_report_state(run);
}

void rec_exit_host_fault(struct rec_run *run, uint64_t ipa, int level)
{
	fake_rec_run.host_faults++;
	run->exit->exit_reason = RMI_EXIT_SYNC;
	run->exit->hpfar = (ipa >> 8) & 0xffffffffff0UL;
	run->exit->esr = (0x24UL << 26) | (0x4UL + (uint64_t)level);
}

/* REALM_ACTIVATE prepares attestation on the target (rmm/attest.c); nothing to prepare here. */
int rmm_attest_prepare(void)
{
	fake_rec_run.attest_prepares++;
	return 0;
}

/* REC_DESTROY gives up a token in progress (rmm/rsi_attest.c on the target). */
void rsi_attest_abandon(struct rec *rec)
{
	rec->attest_state = 0;
	fake_rec_run.attest_abandons++;
}

void fake_rec_run_reset(void)
{
	memset(&fake_rec_run, 0, sizeof(fake_rec_run));
	fake_rec_run.exit_reason = RMI_EXIT_HOST_CALL;
}
