/*
 * RMI_REC_ENTER on the host (rmm/rec_enter.c with fake_rec_run.c standing
 * in for the CPU): every failure condition with its exact status and index
 * and nothing changed, then what a valid entry completes before the realm
 * runs (emulated MMIO, SEA injection, RIPAS response, host call) and the
 * exit record it leaves in the RecRun page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include "fake_rec_run.h"
#include "fake_rmm_arch.h"
#include "realm.h"
#include "rec.h"
#include "rmm_world.h"
#include "s2tt.h"

#define LR_PENDING (1UL << 62)
#define LR_GROUP1 (1UL << 60)
#define LR_HW (1UL << 61)
#define LR(vintid) (LR_PENDING | LR_GROUP1 | (0xa0UL << 48) | (vintid))
/* A data abort the host can emulate: ISV, 16-bit, sign-extending, X5, 64-bit register. */
#define ESR_MMIO_READ16 \
	((0x24UL << 26) | (1UL << 25) | (1UL << 24) | (1UL << 22) | (1UL << 21) | (5UL << 16) | (1UL << 15))
#define ESR_NOT_EMULATABLE ((0x24UL << 26) | (1UL << 25))

static struct rmi_rec_run *run_page(void)
{
	return fx_ptr(W.ns);
}

static struct rec *b_rec(void)
{
	return fx_ptr(W.b_r0);
}

static int setup(void **state)
{
	fake_rec_run_reset();
	return world(state);
}

static void clear_run(void)
{
	memset(run_page(), 0, sizeof(struct rmi_rec_run));
}

static void set_b_state(int s)
{
	((struct rd *)fx_ptr(W.b.rd))->state = (uint32_t)s;
}
static void b_active(void)
{
	set_b_state(REALM_ACTIVE);
}
/*
 * The preps of the REC-state cases also clear the RecRun page: with the
 * 0xa5 the fixture fills NS memory with, its flags and GIC state are invalid
 * too and a later check would give the same ERROR_REC, so deleting the
 * check under test would go unnoticed (issue 12 test audit).
 */
static void b_busy(int v)
{
	clear_run();
	fx_g(W.b_r0)->refcount = (uint16_t)v;
}
static void b_idle(void)
{
	fx_g(W.b_r0)->refcount = 0;
}
static void b_not_runnable(int v)
{
	clear_run();
	b_rec()->runnable = (uint64_t)v;
}
static void b_runnable(void)
{
	b_rec()->runnable = 1;
}
static void b_psci_pending(int v)
{
	clear_run();
	b_rec()->psci.pending = (uint64_t)v;
}
static void b_no_psci(void)
{
	b_rec()->psci.pending = 0;
}

/* Entry part of the RecRun page for case n of the GIC table. */
static void gic_entry(int n)
{
	struct rmi_rec_enter *e = &run_page()->enter;

	clear_run();
	switch (n) {
	case 0:
		e->gicv3_hcr = 1UL << 0;
		break; /* En: the RMM's */
	case 1:
		e->gicv3_hcr = 1UL << 8;
		break; /* vSGIEOICount: the RMM's */
	case 2:
		e->gicv3_hcr = 1UL << 27;
		break; /* EOIcount */
	case 3:
		e->gicv3_lrs[0] = LR(40) | LR_HW;
		break;
	case 4:
		e->gicv3_lrs[1] = LR(40) | (1UL << 48);
		break; /* priority bit below PRIbits */
	case 5:
		e->gicv3_lrs[2] = LR(40) | (1UL << 32);
		break; /* pINTID with HW = 0 */
	case 6:
		e->gicv3_lrs[3] = LR(1020);
		break; /* special INTIDs */
	case 7:
		e->gicv3_lrs[0] = LR(8191);
		break;
	case 8:
		e->gicv3_lrs[0] = LR(1UL << 16);
		break; /* beyond 16-bit INTIDs */
	case 9:
		e->gicv3_lrs[0] = LR(33);
		e->gicv3_lrs[3] = LR(33);
		break; /* twice */
	case 10:
		e->flags = RMI_REC_ENTER_EMUL_MMIO;
		break; /* no MMIO exit before */
	case 11:
		e->flags = RMI_REC_ENTER_INJECT_SEA;
		break; /* likewise */
	case 12:
		e->flags = RMI_REC_ENTER_INJECT_SEA | RMI_REC_ENTER_EMUL_MMIO;
		break;
	default:
		break;
	}
}

static void mmio_without_isv(int n)
{
	b_rec()->pend.mmio_esr = ESR_NOT_EMULATABLE;
	gic_entry(n);
}
static void no_mmio(void)
{
	b_rec()->pend.mmio_esr = 0;
	clear_run();
}

static void test_rec_enter_failures(void **state)
{
	(void)state;
	const struct fcase cases[] = {
		{ "rec_align", RMI_REC_ENTER, { UNALIGNED(W.b_r0), W.ns }, IN },
		{ "rec_bound: outside DRAM", RMI_REC_ENTER, { UNTRACKED, W.ns }, IN },
		{ "rec_bound: MMIO", RMI_REC_ENTER, { MMIO, W.ns }, IN },
		{ "rec_state: UNDELEGATED", RMI_REC_ENTER, { W.ns, W.ns }, IN },
		{ "rec_state: DELEGATED", RMI_REC_ENTER, { W.del2, W.ns }, IN },
		{ "rec_state: RD", RMI_REC_ENTER, { W.b.rd, W.ns }, IN },
		{ "rec_state: RTT", RMI_REC_ENTER, { W.b.rtt_base, W.ns }, IN },
		{ "rec_state: DATA", RMI_REC_ENTER, { W.a_d1, W.ns }, IN },
		{ "rec_state: REC_AUX", RMI_REC_ENTER, { W.a_aux0, W.ns }, IN },
		{ "realm_state before rec_busy", RMI_REC_ENTER, { W.a_r[1], W.ns }, RET(REALM, 0) },
		{ "run_pas before rec_busy", RMI_REC_ENTER, { W.a_r[1], W.del2 }, IN },
		{ "run_align", RMI_REC_ENTER, { W.b_r0, UNALIGNED(W.ns) }, IN },
		{ "run_bound: outside DRAM", RMI_REC_ENTER, { W.b_r0, UNTRACKED }, IN },
		{ "run_bound: MMIO", RMI_REC_ENTER, { W.b_r0, MMIO }, IN },
		{ "run_pas: DELEGATED", RMI_REC_ENTER, { W.b_r0, W.del2 }, IN },
		{ "run_pas: RD", RMI_REC_ENTER, { W.b_r0, W.b.rd }, IN },
		{ "run_pas: the REC itself", RMI_REC_ENTER, { W.b_r0, W.b_r0 }, IN },
		{ "realm_state: NEW", RMI_REC_ENTER, { W.a_r[0], W.ns }, RET(REALM, 0) },
		{ "realm_state: SYSTEM_OFF",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  RET(REALM, 1),
		  set_b_state,
		  REALM_SYSTEM_OFF,
		  b_active },
		{ "rec_busy: running on another CPU",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  b_busy,
		  1,
		  b_idle },
		{ "rec_runnable", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, b_not_runnable, 0, b_runnable },
		{ "rec_psci_pending", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, b_psci_pending, 1, b_no_psci },
		{ "rec_gic: HCR.En", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 0, clear_run },
		{ "rec_gic: HCR.vSGIEOICount",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  gic_entry,
		  1,
		  clear_run },
		{ "rec_gic: HCR.EOIcount", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 2, clear_run },
		{ "rec_gic: LR.HW", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 3, clear_run },
		{ "rec_gic: LR priority RES0",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  gic_entry,
		  4,
		  clear_run },
		{ "rec_gic: LR pINTID", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 5, clear_run },
		{ "rec_gic: vINTID 1020", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 6, clear_run },
		{ "rec_gic: vINTID 8191", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 7, clear_run },
		{ "rec_gic: vINTID 65536", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 8, clear_run },
		{ "rec_gic: duplicate vINTID",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  gic_entry,
		  9,
		  clear_run },
		{ "emul_mmio: no MMIO exit", RMI_REC_ENTER, { W.b_r0, W.ns }, REC, gic_entry, 10, clear_run },
		/* rec_mmio holds whatever INJECT_SEA says (B4.3.14). */
		{ "emul_mmio with inject_sea: no MMIO exit",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  gic_entry,
		  12,
		  clear_run },
		{ "emul_mmio with inject_sea: abort without ISV",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  mmio_without_isv,
		  12,
		  no_mmio },
		{ "emul_mmio: abort without ISV",
		  RMI_REC_ENTER,
		  { W.b_r0, W.ns },
		  REC,
		  mmio_without_isv,
		  10,
		  no_mmio },
	};
	RUN(cases);
	assert_int_equal(fake_rec_run.runs, 0);
}

static uint64_t enter_b(void)
{
	uint64_t out[5];

	return fx_rmi(RMI_REC_ENTER, W.b_r0, W.ns, 0, 0, 0, out);
}

static void test_valid_entry_runs_and_records_the_exit(void **state)
{
	struct rmi_rec_run *run = run_page();

	(void)state;
	clear_run();
	run->enter.gicv3_lrs[0] = LR(40);
	run->enter.gicv3_lrs[4] = LR(40) | LR_HW; /* beyond the 4 list registers: ignored */
	run->enter.gicv3_hcr = 1UL << 3;	  /* NPIE */
	run->enter.flags = RMI_REC_ENTER_TRAP_WFI;
	memset(&run->exit, 0xee, sizeof(run->exit));
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(fake_rec_run.runs, 1);
	assert_int_equal(fake_rec_run.last_flags, RMI_REC_ENTER_TRAP_WFI);
	assert_int_equal(run->exit.exit_reason, RMI_EXIT_HOST_CALL);
	assert_int_equal(run->exit.gicv3_lrs[0], LR(40));
	assert_int_equal(run->exit.gicv3_lrs[4], 0); /* zeroed, not left as the host wrote it */
	assert_int_equal(run->exit.gicv3_hcr, 1UL << 3);
	assert_int_equal(run->exit.esr, 0);
	assert_int_equal(run->exit.gprs[30], 0);
	assert_int_equal(fx_g(W.b_r0)->refcount, 0); /* released */
	fx_assert_unlocked();
}

/* What the host does on another CPU while B's REC runs: delegate the RecRun page. */
static void delegate_run_page(void)
{
	assert_int_equal(fx_rmi(RMI_GRANULE_DELEGATE, W.ns, 0, 0, 0, 0, NULL), RMI_SUCCESS);
}

/*
 * A4.3.3: "if RMM access to exit causes a GPF then the RMI_REC_ENTER command
 * fails with RMI_ERROR_INPUT". The page is no longer NS when the exit is
 * written: no write (the fake counts any access through the wrong PAS), and
 * ERROR_INPUT, though the REC ran and was released.
 */
static void test_run_page_delegated_while_running(void **state)
{
	(void)state;
	clear_run();
	fake_rec_run.during_run = delegate_run_page;
	assert_int_equal(enter_b(), RMI_ERROR_INPUT);
	fake_rec_run.during_run = NULL;
	assert_int_equal(fake_rec_run.runs, 1);
	assert_int_equal(fx_state(W.ns), GRANULE_DELEGATED);
	assert_true(fx_is_zero(W.ns)); /* scrubbed by DELEGATE, nothing written after */
	assert_int_equal(fake_gpf_count(), 0);
	assert_int_equal(fx_g(W.b_r0)->refcount, 0);
	assert_int_equal(fx_rmi(RMI_GRANULE_UNDELEGATE, W.ns, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	fx_assert_unlocked();
}

static void test_emulated_mmio_read_completes(void **state)
{
	struct rec *rec = b_rec();
	uint64_t pc = rec->pc;

	(void)state;
	clear_run();
	rec->pend.mmio_esr = ESR_MMIO_READ16;
	run_page()->enter.flags = RMI_REC_ENTER_EMUL_MMIO;
	run_page()->enter.gprs[0] = 0x12348001UL;
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(rec->gprs[5], 0xffffffffffff8001UL); /* 16 bits, sign-extended to 64 */
	assert_int_equal(rec->pc, pc + 4);
	assert_int_equal(rec->pend.mmio_esr, 0);
	/* Only once: the same flag again is refused. */
	assert_int_equal(enter_b(), RMI_ERROR_REC);
}

static void test_inject_sea_replaces_the_completion(void **state)
{
	struct rec *rec = b_rec();
	uint64_t pc = rec->pc, x5 = rec->gprs[5];

	(void)state;
	clear_run();
	rec->pend.mmio_esr = ESR_MMIO_READ16;
	run_page()->enter.flags = RMI_REC_ENTER_INJECT_SEA | RMI_REC_ENTER_EMUL_MMIO;
	run_page()->enter.gprs[0] = 0x1234;
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(fake_rec_run.inject_sea, 1);
	assert_int_equal(rec->pc, pc);
	assert_int_equal(rec->gprs[5], x5);
}

/*
 * INJECT_SEA is no failure condition of REC_ENTER (B4.3.14): after an exit
 * that was not a data abort at an unprotected IPA the entry runs the realm
 * and injects nothing (A4.2); after one without ISV the SEA is injected.
 */
static void test_inject_sea_without_an_unprotected_abort(void **state)
{
	struct rec *rec = b_rec();
	uint64_t pc = rec->pc;

	(void)state;
	gic_entry(11); /* INJECT_SEA alone; the last exit (world) was not an abort */
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(fake_rec_run.runs, 1);
	assert_int_equal(fake_rec_run.inject_sea, 0);
	assert_int_equal(rec->pc, pc);
	/* After a non-emulatable abort at an unprotected IPA: the SEA. */
	rec->pend.mmio_esr = ESR_NOT_EMULATABLE;
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(fake_rec_run.runs, 2);
	assert_int_equal(fake_rec_run.inject_sea, 1);
	assert_int_equal(rec->pend.mmio_esr, 0);
	fx_assert_unlocked();
}

static void test_ripas_response(void **state)
{
	struct rec *rec = b_rec();

	(void)state;
	clear_run();
	rec->pend.ripas_pending = 1;
	rec->ripas = (struct rec_ripas_req){ .addr = 0x1000, .top = 0x3000, .value = RIPAS_RAM };
	run_page()->enter.flags = RMI_REC_ENTER_RIPAS_RESPONSE;
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(rec->gprs[0], RSI_SUCCESS);
	assert_int_equal(rec->gprs[1], 0x1000);
	assert_int_equal(rec->gprs[2], RSI_REJECT);
	assert_int_equal(rec->pend.ripas_pending, 0);
	assert_int_equal(rec->ripas.top, rec->ripas.addr); /* nothing left for RTT_SET_RIPAS */
	/* A request to EMPTY cannot be refused; nor can one the host completed. */
	rec->pend.ripas_pending = 1;
	rec->ripas = (struct rec_ripas_req){ .addr = 0x1000, .top = 0x3000, .value = RIPAS_EMPTY };
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(rec->gprs[2], RSI_ACCEPT);
	rec->pend.ripas_pending = 1;
	rec->ripas = (struct rec_ripas_req){ .addr = 0x3000, .top = 0x3000, .value = RIPAS_RAM };
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(rec->gprs[1], 0x3000);
	assert_int_equal(rec->gprs[2], RSI_ACCEPT);
}

static void test_host_call_completion(void **state)
{
	struct rec *rec = b_rec();
	uint64_t *l3 = fx_ptr(W.b_l3);
	uint64_t saved = l3[2];

	(void)state;
	clear_run();
	for (unsigned int i = 0; i < RSI_HOST_CALL_GPRS; i++)
		run_page()->enter.gprs[i] = 0x100 + i;
	/* The RsiHostCall page RIPAS RAM but without DATA: a fault exit, the realm does not run. */
	l3[2] = rtte_unassigned(RIPAS_RAM);
	rec->pend.host_call = 0x2100;
	rec->pend.host_call_pending = 1;
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(fake_rec_run.runs, 0);
	assert_int_equal(fake_rec_run.host_faults, 1);
	assert_int_equal(run_page()->exit.exit_reason, RMI_EXIT_SYNC);
	assert_int_equal(run_page()->exit.hpfar, 0x2000 >> 8);
	assert_int_equal(rec->pend.host_call_pending, 1);
	/* Backed by a page: the host's gprs land at the RsiHostCall's offset, the realm gets SUCCESS. */
	l3[2] = rtte_assigned(W.del, RTT_PAGE_LEVEL, RIPAS_RAM);
	assert_int_equal(enter_b(), RMI_SUCCESS);
	const struct rsi_host_call *hc = (const void *)((const char *)fx_ptr(W.del) + 0x100);
	assert_int_equal(hc->gprs[0], 0x100);
	assert_int_equal(hc->gprs[30], 0x100 + 30);
	assert_int_equal(rec->gprs[0], RSI_SUCCESS);
	assert_int_equal(rec->pend.host_call_pending, 0);
	assert_int_equal(fake_rec_run.runs, 1);
	/* A page the realm gave away (EMPTY): nothing written, the realm sees ERROR_INPUT. */
	rec->pend.host_call_pending = 1;
	l3[2] = rtte_unassigned(RIPAS_EMPTY);
	assert_int_equal(enter_b(), RMI_SUCCESS);
	assert_int_equal(rec->gprs[0], RSI_ERROR_INPUT);
	l3[2] = saved;
	memset(fx_ptr(W.del), 0, 4096);
	fx_assert_unlocked();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rec_enter_failures, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_valid_entry_runs_and_records_the_exit, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_run_page_delegated_while_running, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_emulated_mmio_read_completes, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_inject_sea_replaces_the_completion, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_inject_sea_without_an_unprotected_abort, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_ripas_response, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_host_call_completion, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
