/*
 * Every failure condition of the realm, REC and DATA commands of rmm/
 * (REALM_CREATE/ACTIVATE/DESTROY, REC_AUX_COUNT, REC_CREATE/DESTROY,
 * PSCI_COMPLETE, DATA_CREATE, DATA_CREATE_UNKNOWN, DATA_DESTROY), table
 * driven against the world of rmm_world.c: for each case the exact x0
 * (status and index; ERROR_RTT carries the level the walk reached), and
 * that the failed call changed nothing (granule states, refcounts and
 * locks, the contents of every granule, the VMID bitmap; no EL3 call,
 * scrub or TLBI; no measurement). Each case violates one condition only,
 * or is named "x_before_y" when it shows which of two is checked first; the
 * RMM checks them in the order RMM 1.0 B4.3.<n>.2 lists them, and
 * test_rmm_order*.c covers every adjacent pair of that order. Hostile-host cases (aliases, granules in use,
 * unprotected IPAs...) are part of the tables and have their own tests at
 * the end. The RTT commands are in test_rmm_errors_rtt.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmm.h"
#include "vmid.h"
#include "fake_measure.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"
#include "rmm_world.h"

/* --------------------------------------------------------------- REALM_CREATE */

enum pmut {
	PM_LPA2,
	PM_SVE,
	PM_PMU,
	PM_S2SZ_31,
	PM_S2SZ_49,
	PM_S2SZ_FEAT,
	PM_BPS0,
	PM_BPS_MAX,
	PM_WPS0,
	PM_WPS_MAX,
	PM_HASH,
	PM_S2SZ_WIDE,
	PM_SL_NEG,
	PM_SL_4,
	PM_SL_2_FOR_40,
	PM_SL_0_FOR_39,
	PM_SL_0_SMALL_PA,
	PM_NUM_1,
	PM_NUM_0,
	PM_NUM_4,
	PM_RTT_MISALIGNED,
	PM_RTT_NS,
	PM_RTT_SECOND_NS,
	PM_RTT_OTHER_REALM,
	PM_RTT_UNTRACKED,
	PM_RTT_WRAP,
	PM_VMID_USED,
	PM_VMID_WIDE,
	PM_VMID_8BIT,
	PM_VALID,
};

static uint64_t p_scratch;

static void realm_params(int m)
{
	struct rmi_realm_params *p = fx_ptr(p_scratch);

	memcpy(p, fx_ptr(W.p_realm), G);
	switch ((enum pmut)m) {
	case PM_LPA2:
		p->flags = RMI_REALM_FLAGS_LPA2;
		break;
	case PM_SVE:
		p->flags = RMI_REALM_FLAGS_SVE;
		break;
	case PM_PMU:
		p->flags = RMI_REALM_FLAGS_PMU;
		break;
	case PM_S2SZ_31:
		p->s2sz = 31;
		break;
	case PM_S2SZ_49:
		p->s2sz = 49;
		break;
	case PM_S2SZ_FEAT:
		rmm_feature_reg0 = (FX_FEAT0 & ~0xffUL) | 39;
		break;
	case PM_BPS0:
		p->num_bps = 0;
		break;
	case PM_BPS_MAX:
		p->num_bps = FX_NUM_BPS + 1;
		break;
	case PM_WPS0:
		p->num_wps = 0;
		break;
	case PM_WPS_MAX:
		p->num_wps = FX_NUM_WPS + 1;
		break;
	case PM_HASH:
		p->hash_algo = 2;
		break;
	case PM_S2SZ_WIDE:
		p->s2sz = 40 | 0x100;
		break; /* bits above the field's width */
	case PM_SL_NEG:
		p->rtt_level_start = -1;
		break;
	case PM_SL_4:
		p->rtt_level_start = 4;
		break;
	case PM_SL_2_FOR_40:
		p->rtt_level_start = 2;
		break;
	case PM_SL_0_FOR_39:
		p->s2sz = 39;
		p->rtt_level_start = 0;
		p->rtt_num_start = 1;
		break;
	case PM_SL_0_SMALL_PA:
		rmm_feature_reg0 = (FX_FEAT0 & ~0xffUL) | 40;
		p->rtt_level_start = 0;
		p->rtt_num_start = 1;
		break;
	case PM_NUM_1:
		p->rtt_num_start = 1;
		break;
	case PM_NUM_0:
		p->rtt_num_start = 0;
		break;
	case PM_NUM_4:
		p->rtt_num_start = 4;
		break;
	case PM_RTT_MISALIGNED:
		p->rtt_base = W.new_rtt + G;
		break;
	case PM_RTT_NS:
		p->rtt_base = W.ns;
		break;
	case PM_RTT_SECOND_NS:
		p->rtt_base = W.pair;
		break; /* delegated, then NS */
	case PM_RTT_OTHER_REALM:
		p->rtt_base = W.a.rtt_base;
		break;
	case PM_RTT_UNTRACKED:
		p->rtt_base = UNTRACKED;
		break;
	case PM_RTT_WRAP:
		p->rtt_base = 0xffffffffffffe000UL;
		break;
	case PM_VMID_USED:
		p->vmid = 1;
		break;
	case PM_VMID_WIDE:
		p->vmid = 0x100;
		rmm_vmid_bits = 8;
		break;
	case PM_VMID_8BIT:
		p->vmid = 0x1ff;
		rmm_vmid_bits = 8;
		break;
	case PM_VALID:
		break;
	}
}

static void restore_globals(void)
{
	rmm_feature_reg0 = FX_FEAT0;
	rmm_vmid_bits = 16;
}

static void test_realm_create(void **state)
{
	(void)state;
	p_scratch = fx_ns();
#define PRM(m) realm_params, m, restore_globals
	const struct fcase cases[] = {
		{ "params_align", RMI_REALM_CREATE, { W.new_rd, UNALIGNED(W.p_realm) }, IN },
		{ "params_bound: outside DRAM", RMI_REALM_CREATE, { W.new_rd, UNTRACKED }, IN },
		{ "params_bound: MMIO", RMI_REALM_CREATE, { W.new_rd, MMIO }, IN },
		{ "params_pas: delegated", RMI_REALM_CREATE, { W.new_rd, W.del }, IN },
		{ "params_pas: RD", RMI_REALM_CREATE, { W.new_rd, W.a.rd }, IN },
		{ "params_pas: DATA", RMI_REALM_CREATE, { W.new_rd, W.a_d1 }, IN },
		{ "params_supp: LPA2", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_LPA2) },
		{ "params_supp: SVE", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_SVE) },
		{ "params_supp: PMU", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_PMU) },
		{ "params_valid: s2sz 31", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_S2SZ_31) },
		{ "params_valid: s2sz 49", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_S2SZ_49) },
		{ "params_supp: s2sz > S2SZ", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_S2SZ_FEAT) },
		{ "params_valid: s2sz wider than its field",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_S2SZ_WIDE) },
		{ "params_valid: num_bps 0", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_BPS0) },
		{ "params_supp: num_bps > NUM_BPS", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_BPS_MAX) },
		{ "params_valid: num_wps 0", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_WPS0) },
		{ "params_supp: num_wps > NUM_WPS", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_WPS_MAX) },
		{ "params_valid: hash_algo 2", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_HASH) },
		{ "rtt_num_level: start level -1", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_SL_NEG) },
		{ "rtt_num_level: start level 4", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_SL_4) },
		{ "rtt_num_level: level 2 for s2sz 40",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_SL_2_FOR_40) },
		{ "rtt_num_level: level 0 for s2sz 39",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_SL_0_FOR_39) },
		{ "rtt_num_level: level 0 with PA < 44 bits",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_SL_0_SMALL_PA) },
		{ "rtt_num_level: 1 root for s2sz 40", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_NUM_1) },
		{ "rtt_num_level: 0 roots", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_NUM_0) },
		{ "rtt_num_level: 4 roots for s2sz 40",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_NUM_4) },
		{ "rtt_align: base not aligned to 2 roots",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_RTT_MISALIGNED) },
		{ "rtt_base wraps around", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_RTT_WRAP) },
		{ "alias: RD is the first root", RMI_REALM_CREATE, { W.new_rtt, 0 }, IN, PRM(PM_VALID) },
		{ "alias: RD is the second root", RMI_REALM_CREATE, { W.new_rtt + G, 0 }, IN, PRM(PM_VALID) },
		{ "rd_align", RMI_REALM_CREATE, { UNALIGNED(W.new_rd), 0 }, IN, PRM(PM_VALID) },
		{ "rd_bound: outside DRAM", RMI_REALM_CREATE, { UNTRACKED, 0 }, IN, PRM(PM_VALID) },
		{ "rd_bound: MMIO", RMI_REALM_CREATE, { MMIO, 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: UNDELEGATED", RMI_REALM_CREATE, { W.ns, 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: RD", RMI_REALM_CREATE, { W.a.rd, 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: REC", RMI_REALM_CREATE, { W.a_r[0], 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: RTT", RMI_REALM_CREATE, { W.a_l3, 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: DATA", RMI_REALM_CREATE, { W.a_d1, 0 }, IN, PRM(PM_VALID) },
		{ "rd_state: REC_AUX", RMI_REALM_CREATE, { W.a_aux0, 0 }, IN, PRM(PM_VALID) },
		{ "rtt_state: UNDELEGATED", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_RTT_NS) },
		{ "rtt_state: second root UNDELEGATED",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_RTT_SECOND_NS) },
		{ "rtt_state: another realm's roots",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_RTT_OTHER_REALM) },
		{ "rtt_bound: outside DRAM", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_RTT_UNTRACKED) },
		{ "vmid_valid: in use", RMI_REALM_CREATE, { W.new_rd, 0 }, IN, PRM(PM_VMID_USED) },
		{ "vmid_valid: 0x100 with 8-bit VMIDs",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_VMID_WIDE) },
		{ "vmid_valid: 0x1ff with 8-bit VMIDs",
		  RMI_REALM_CREATE,
		  { W.new_rd, 0 },
		  IN,
		  PRM(PM_VMID_8BIT) },
	};
#undef PRM
	/* Cases with params 0 use the scratch granule; PM_VALID is "the valid params". */
	struct fcase c2[sizeof(cases) / sizeof(cases[0])];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c2[i] = cases[i];
		if (c2[i].a[1] == 0)
			c2[i].a[1] = p_scratch;
	}
	RUN(c2);
	/* The valid params still work afterwards. */
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.new_rd, W.p_realm, 0, 0, 0, NULL), RMI_SUCCESS);
}

/* ----------------------------------------------------------- REALM_ACTIVATE */

static void test_realm_activate(void **state)
{
	(void)state;
	const struct fcase cases[] = {
		RD_CASES(RMI_REALM_ACTIVATE, 0),
		{ "realm_state: ACTIVE", RMI_REALM_ACTIVATE, { W.b.rd }, REALM },
		{ "realm_state: SYSTEM_OFF", RMI_REALM_ACTIVATE, { W.c.rd }, REALM },
	};
	RUN(cases);
}

static void test_realm_destroy(void **state)
{
	(void)state;
	const struct fcase cases[] = {
		RD_CASES(RMI_REALM_DESTROY, 0),
		{ "realm_live: RECs and RTTs", RMI_REALM_DESTROY, { W.a.rd }, REALM },
		{ "realm_live: a REC (ACTIVE)", RMI_REALM_DESTROY, { W.b.rd }, REALM },
		{ "realm_live: a child RTT only", RMI_REALM_DESTROY, { W.d.rd }, REALM },
		{ "realm_live: SYSTEM_OFF with RTTs", RMI_REALM_DESTROY, { W.c.rd }, REALM },
	};
	RUN(cases);
}

static void test_rec_aux_count(void **state)
{
	(void)state;
	const struct fcase cases[] = { RD_CASES(RMI_REC_AUX_COUNT, 0) };
	RUN(cases);
}

/* ----------------------------------------------------------------- REC_CREATE */

enum rmut {
	RM_NUM_AUX_17,
	RM_NUM_AUX_15,
	RM_NUM_AUX_0,
	RM_AUX_UNALIGNED,
	RM_AUX_ALIAS,
	RM_AUX_IS_REC,
	RM_AUX_IS_RD,
	RM_AUX_NS,
	RM_AUX_REC,
	RM_AUX_RTT,
	RM_AUX_DATA,
	RM_AUX_OTHER_REC_AUX,
	RM_AUX_UNTRACKED,
	RM_LAST_AUX_NS,
	RM_MPIDR_SKIPPED,
	RM_MPIDR_TAKEN,
	RM_MPIDR_AFF0_HIGH,
	RM_MPIDR_RES0,
	RM_VALID_FOR_B,
	RM_VALID,
	RM_RD_FULL,
	RM_RD_FULL_AUX_NS,
	RM_MPIDR_SKIPPED_AUX_UNALIGNED,
};

static void rec_params(int m)
{
	struct rmi_rec_params *p = fx_ptr(p_scratch);

	memcpy(p, fx_ptr(W.p_rec), G);
	switch ((enum rmut)m) {
	case RM_NUM_AUX_17:
		p->num_aux = 17;
		break;
	case RM_NUM_AUX_15:
		p->num_aux = 15;
		break;
	case RM_NUM_AUX_0:
		p->num_aux = 0;
		break;
	case RM_AUX_UNALIGNED:
		p->aux[3] = UNALIGNED(p->aux[3]);
		break;
	case RM_AUX_ALIAS:
		p->aux[9] = p->aux[2];
		break;
	case RM_AUX_IS_REC:
		p->aux[5] = W.new_rec;
		break;
	case RM_AUX_IS_RD:
		p->aux[0] = W.a.rd;
		break;
	case RM_AUX_NS:
		p->aux[7] = W.ns;
		break;
	case RM_AUX_REC:
		p->aux[1] = W.a_r[3];
		break;
	case RM_AUX_RTT:
		p->aux[2] = W.a_l3;
		break;
	case RM_AUX_DATA:
		p->aux[4] = W.a_d2;
		break;
	case RM_AUX_OTHER_REC_AUX:
		p->aux[6] = W.a_aux0;
		break;
	case RM_AUX_UNTRACKED:
		p->aux[8] = UNTRACKED;
		break;
	case RM_LAST_AUX_NS:
		p->aux[15] = W.ns;
		break;
	case RM_MPIDR_SKIPPED:
		p->mpidr = 6;
		break;
	case RM_MPIDR_TAKEN:
		p->mpidr = 4;
		break;
	case RM_MPIDR_AFF0_HIGH:
		p->mpidr = 0x16;
		break; /* Aff0[7:4] reserved */
	case RM_MPIDR_RES0:
		p->mpidr = 6 | (1UL << 32);
		break; /* MPIDR_EL1's Aff3 place, reserved here */
	case RM_RD_FULL_AUX_NS:
		fx_g(W.a.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 1;
		p->aux[3] = W.ns;
		break;
	case RM_MPIDR_SKIPPED_AUX_UNALIGNED:
		p->mpidr = 6;
		p->aux[2] = UNALIGNED(W.new_aux[2]);
		break;
	case RM_VALID_FOR_B:
		p->mpidr = 1;
		break;
	case RM_VALID:
		break;
	case RM_RD_FULL:
		/* 2^MAX_RECS_ORDER - 1 live RECs (the RD's refcount), whatever the next index. */
		fx_g(W.a.rd)->refcount = (1U << RMM_MAX_RECS_ORDER) - 1;
		break;
	}
}

static void rd_not_full(void)
{
	fx_g(W.a.rd)->refcount = 5;
}

static void test_rec_create(void **state)
{
	(void)state;
	p_scratch = fx_ns();
	const uint64_t rec = W.new_rec, rd = W.a.rd, ps = p_scratch;
#define RPM(m) rec_params, m, NULL
	const struct fcase cases[] = {
		{ "params_align", RMI_REC_CREATE, { rd, rec, UNALIGNED(W.p_rec) }, IN },
		{ "params_bound: outside DRAM", RMI_REC_CREATE, { rd, rec, UNTRACKED }, IN },
		{ "params_bound: MMIO", RMI_REC_CREATE, { rd, rec, MMIO }, IN },
		{ "params_pas: delegated", RMI_REC_CREATE, { rd, rec, W.del }, IN },
		{ "params_pas: REC", RMI_REC_CREATE, { rd, rec, W.a_r[0] }, IN },
		{ "num_aux: 17", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_NUM_AUX_17) },
		{ "aux_align", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_UNALIGNED) },
		{ "aux_bound: outside DRAM", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_UNTRACKED) },
		{ "aux_alias: twice in the list", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_ALIAS) },
		{ "aux_alias: the REC itself", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_IS_REC) },
		{ "aux_state: RD", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_IS_RD) },
		{ "aux_state: UNDELEGATED", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_NS) },
		{ "aux_state: the last one UNDELEGATED",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  IN,
		  RPM(RM_LAST_AUX_NS) },
		{ "aux_state: REC", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_REC) },
		{ "aux_state: RTT", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_RTT) },
		{ "aux_state: DATA", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_AUX_DATA) },
		{ "aux_state: another REC's aux",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  IN,
		  RPM(RM_AUX_OTHER_REC_AUX) },
		{ "rec_align", RMI_REC_CREATE, { rd, UNALIGNED(rec), ps }, IN, RPM(RM_VALID) },
		{ "rec_bound: outside DRAM", RMI_REC_CREATE, { rd, UNTRACKED, ps }, IN, RPM(RM_VALID) },
		{ "rec_bound: MMIO", RMI_REC_CREATE, { rd, MMIO, ps }, IN, RPM(RM_VALID) },
		{ "rec_state: UNDELEGATED", RMI_REC_CREATE, { rd, W.ns, ps }, IN, RPM(RM_VALID) },
		{ "rec_state: RD", RMI_REC_CREATE, { rd, W.b.rd, ps }, IN, RPM(RM_VALID) },
		{ "rec_state: REC", RMI_REC_CREATE, { rd, W.a_r[1], ps }, IN, RPM(RM_VALID) },
		{ "rec_state: RTT", RMI_REC_CREATE, { rd, W.a_l2, ps }, IN, RPM(RM_VALID) },
		{ "rec_state: DATA", RMI_REC_CREATE, { rd, W.a_d1, ps }, IN, RPM(RM_VALID) },
		{ "rec_state: REC_AUX", RMI_REC_CREATE, { rd, W.a_aux0, ps }, IN, RPM(RM_VALID) },
		{ "alias: REC is the RD", RMI_REC_CREATE, { rd, rd, ps }, IN, RPM(RM_VALID) },
		{ "rd_align", RMI_REC_CREATE, { UNALIGNED(rd), rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_bound: outside DRAM", RMI_REC_CREATE, { UNTRACKED, rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_bound: MMIO", RMI_REC_CREATE, { MMIO, rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_state: UNDELEGATED", RMI_REC_CREATE, { W.ns, rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_state: DELEGATED", RMI_REC_CREATE, { W.del, rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_state: REC", RMI_REC_CREATE, { W.a_r[0], rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_state: RTT", RMI_REC_CREATE, { W.a_l3, rec, ps }, IN, RPM(RM_VALID) },
		{ "rd_state: DATA", RMI_REC_CREATE, { W.a_d1, rec, ps }, IN, RPM(RM_VALID) },
		{ "realm_state: ACTIVE", RMI_REC_CREATE, { W.b.rd, rec, ps }, REALM, RPM(RM_VALID_FOR_B) },
		{ "realm_state: SYSTEM_OFF",
		  RMI_REC_CREATE,
		  { W.c.rd, rec, ps },
		  REALM,
		  RPM(RM_VALID_FOR_B) },
		{ "realm_state_before_mpidr",
		  RMI_REC_CREATE,
		  { W.b.rd, rec, ps },
		  REALM,
		  RPM(RM_MPIDR_SKIPPED) },
		{ "num_recs: 2^MAX_RECS_ORDER - 1 RECs",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  REALM,
		  rec_params,
		  RM_RD_FULL,
		  rd_not_full },
		{ "mpidr_index: skipped", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_MPIDR_SKIPPED) },
		{ "mpidr_index: taken", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_MPIDR_TAKEN) },
		/* RmiRecMpidr's reserved bits are ignored (RecIndex): these name index 5, then 6. */
		{ "mpidr_index: reserved Aff0[7:4] and index 6",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  IN,
		  RPM(RM_MPIDR_AFF0_HIGH) },
		{ "mpidr_index: reserved bit 32 and index 6",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  IN,
		  RPM(RM_MPIDR_RES0) },
		/* The specification's order: realm_state and num_recs before everything after them. */
		{ "realm_state_before_num_aux",
		  RMI_REC_CREATE,
		  { W.b.rd, rec, ps },
		  REALM,
		  RPM(RM_NUM_AUX_17) },
		{ "realm_state_before_aux_state",
		  RMI_REC_CREATE,
		  { W.b.rd, rec, ps },
		  REALM,
		  RPM(RM_AUX_NS) },
		{ "num_recs_before_aux_state",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  REALM,
		  rec_params,
		  RM_RD_FULL_AUX_NS,
		  rd_not_full },
		{ "mpidr_index_before_aux_align",
		  RMI_REC_CREATE,
		  { rd, rec, ps },
		  IN,
		  RPM(RM_MPIDR_SKIPPED_AUX_UNALIGNED) },
		{ "num_aux: 15, not REC_AUX_COUNT", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_NUM_AUX_15) },
		{ "num_aux: 0", RMI_REC_CREATE, { rd, rec, ps }, IN, RPM(RM_NUM_AUX_0) },
	};
#undef RPM
	RUN(cases);
	assert_int_equal(fx_rmi(RMI_REC_CREATE, rd, rec, W.p_rec, 0, 0, NULL), RMI_SUCCESS);
}

static void test_rec_destroy(void **state)
{
	(void)state;
	const struct fcase cases[] = {
		{ "rec_align", RMI_REC_DESTROY, { UNALIGNED(W.a_r[0]) }, IN },
		{ "rec_bound: outside DRAM", RMI_REC_DESTROY, { UNTRACKED }, IN },
		{ "rec_bound: MMIO", RMI_REC_DESTROY, { MMIO }, IN },
		{ "rec_state: UNDELEGATED", RMI_REC_DESTROY, { W.ns }, IN },
		{ "rec_state: DELEGATED", RMI_REC_DESTROY, { W.del }, IN },
		{ "rec_state: RD", RMI_REC_DESTROY, { W.a.rd }, IN },
		{ "rec_state: RTT", RMI_REC_DESTROY, { W.a_l3 }, IN },
		{ "rec_state: DATA", RMI_REC_DESTROY, { W.a_d1 }, IN },
		{ "rec_state: REC_AUX", RMI_REC_DESTROY, { W.a_aux0 }, IN },
		{ "rec_busy: running", RMI_REC_DESTROY, { W.a_r[1] }, REC },
	};
	RUN(cases);
}

/* ------------------------------------------------------------- PSCI_COMPLETE */

static void psci_req(int m)
{
	struct rec *r2 = fx_ptr(W.a_r[2]);

	if (m == 0) /* AFFINITY_INFO for MPIDR 3 */
		r2->psci.fid = PSCI_AFFINITY_INFO_64;
	else /* CPU_ON for the running REC 1 */
		r2->psci.target_mpidr = 1;
}

static void psci_req_undo(void)
{
	struct rec *r2 = fx_ptr(W.a_r[2]);

	r2->psci = (struct rec_psci_req){ 1, PSCI_CPU_ON_64, 3, 0x1000, 0 };
}

static void test_psci_complete(void **state)
{
	(void)state;
	const uint64_t c = W.a_r[2], t = W.a_r[3], ok = PSCI_SUCCESS;
	const struct fcase cases[] = {
		{ "alias: calling is target", RMI_PSCI_COMPLETE, { c, c, ok }, IN },
		{ "calling_align", RMI_PSCI_COMPLETE, { UNALIGNED(c), t, ok }, IN },
		{ "calling_bound: outside DRAM", RMI_PSCI_COMPLETE, { UNTRACKED, t, ok }, IN },
		{ "calling_bound: MMIO", RMI_PSCI_COMPLETE, { MMIO, t, ok }, IN },
		{ "calling_state: UNDELEGATED", RMI_PSCI_COMPLETE, { W.ns, t, ok }, IN },
		{ "calling_state: DELEGATED", RMI_PSCI_COMPLETE, { W.del, t, ok }, IN },
		{ "calling_state: RD", RMI_PSCI_COMPLETE, { W.a.rd, t, ok }, IN },
		{ "calling_state: RTT", RMI_PSCI_COMPLETE, { W.a_l3, t, ok }, IN },
		{ "calling_state: DATA", RMI_PSCI_COMPLETE, { W.a_d1, t, ok }, IN },
		{ "calling_state: REC_AUX", RMI_PSCI_COMPLETE, { W.a_aux0, t, ok }, IN },
		{ "target_align", RMI_PSCI_COMPLETE, { c, UNALIGNED(t), ok }, IN },
		{ "target_bound: outside DRAM", RMI_PSCI_COMPLETE, { c, UNTRACKED, ok }, IN },
		{ "target_bound: MMIO", RMI_PSCI_COMPLETE, { c, MMIO, ok }, IN },
		{ "target_state: UNDELEGATED", RMI_PSCI_COMPLETE, { c, W.ns, ok }, IN },
		{ "target_state: DELEGATED", RMI_PSCI_COMPLETE, { c, W.del, ok }, IN },
		{ "target_state: RD", RMI_PSCI_COMPLETE, { c, W.a.rd, ok }, IN },
		{ "target_state: RTT", RMI_PSCI_COMPLETE, { c, W.a_l3, ok }, IN },
		{ "target_state: DATA", RMI_PSCI_COMPLETE, { c, W.a_d1, ok }, IN },
		{ "target_state: REC_AUX", RMI_PSCI_COMPLETE, { c, W.a_aux0, ok }, IN },
		{ "calling running (no request visible)", RMI_PSCI_COMPLETE, { W.a_r[1], t, ok }, IN },
		{ "pending: no PSCI request", RMI_PSCI_COMPLETE, { W.a_r[0], t, ok }, IN },
		{ "owner: target in another realm", RMI_PSCI_COMPLETE, { c, W.b_r0, ok }, IN },
		{ "target: not the MPIDR asked for", RMI_PSCI_COMPLETE, { c, W.a_r[0], ok }, IN },
		{ "status: CPU_ON with INVALID_PARAMS",
		  RMI_PSCI_COMPLETE,
		  { c, t, (uint64_t)PSCI_INVALID_PARAMS },
		  IN },
		{ "status: CPU_ON with ALREADY_ON",
		  RMI_PSCI_COMPLETE,
		  { c, t, (uint64_t)PSCI_ALREADY_ON },
		  IN },
		{ "status: CPU_ON with 32-bit DENIED", RMI_PSCI_COMPLETE, { c, t, 0xfffffffdUL }, IN },
		{ "status: AFFINITY_INFO with DENIED",
		  RMI_PSCI_COMPLETE,
		  { c, t, (uint64_t)PSCI_DENIED },
		  IN,
		  psci_req,
		  0,
		  psci_req_undo },
		{ "status: CPU_ON denied for a running target",
		  RMI_PSCI_COMPLETE,
		  { c, W.a_r[1], (uint64_t)PSCI_DENIED },
		  IN,
		  psci_req,
		  1,
		  psci_req_undo },
	};
	RUN(cases);
}

/* ---------------------------------------------------------------- DATA_* */

static void test_data_create(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, d = W.del, s = W.src, m = RMI_MEASURE_CONTENT;
	const struct fcase cases[] = {
		{ "src_align", RMI_DATA_CREATE, { rd, d, 0x2000, UNALIGNED(s), m }, IN },
		{ "src_bound: outside DRAM", RMI_DATA_CREATE, { rd, d, 0x2000, UNTRACKED, m }, IN },
		{ "src_bound: MMIO", RMI_DATA_CREATE, { rd, d, 0x2000, MMIO, m }, IN },
		{ "src_pas: DELEGATED", RMI_DATA_CREATE, { rd, d, 0x2000, W.del2, m }, IN },
		{ "src_pas: the data granule", RMI_DATA_CREATE, { rd, d, 0x2000, d, m }, IN },
		{ "src_pas: the RD", RMI_DATA_CREATE, { rd, d, 0x2000, rd, m }, IN },
		{ "src_pas: the level-3 RTT", RMI_DATA_CREATE, { rd, d, 0x2000, W.a_l3, m }, IN },
		{ "src_pas: DATA", RMI_DATA_CREATE, { rd, d, 0x2000, W.a_d1, m }, IN },
		{ "src_pas_before_realm_state", RMI_DATA_CREATE, { W.b.rd, d, 0x2000, W.del2, m }, IN },
		{ "data_align", RMI_DATA_CREATE, { rd, UNALIGNED(d), 0x2000, s, m }, IN },
		{ "data_bound: outside DRAM", RMI_DATA_CREATE, { rd, UNTRACKED, 0x2000, s, m }, IN },
		{ "data_bound: MMIO", RMI_DATA_CREATE, { rd, MMIO, 0x2000, s, m }, IN },
		{ "data_state: UNDELEGATED", RMI_DATA_CREATE, { rd, W.ns, 0x2000, s, m }, IN },
		{ "data_state: RD (the realm's own)", RMI_DATA_CREATE, { rd, rd, 0x2000, s, m }, IN },
		{ "data_state: RD (another realm)", RMI_DATA_CREATE, { rd, W.b.rd, 0x2000, s, m }, IN },
		{ "data_state: REC", RMI_DATA_CREATE, { rd, W.a_r[0], 0x2000, s, m }, IN },
		{ "data_state: RTT", RMI_DATA_CREATE, { rd, W.a_l3, 0x2000, s, m }, IN },
		{ "data_state: DATA (mapped already)", RMI_DATA_CREATE, { rd, W.a_d1, 0x2000, s, m }, IN },
		{ "data_state: REC_AUX", RMI_DATA_CREATE, { rd, W.a_aux0, 0x2000, s, m }, IN },
		RD_CASES(RMI_DATA_CREATE, d, 0x2000, s, m),
		{ "realm_state: ACTIVE", RMI_DATA_CREATE, { W.b.rd, d, 0x2000, s, m }, REALM },
		{ "realm_state: SYSTEM_OFF", RMI_DATA_CREATE, { W.c.rd, d, 0x2000, s, m }, REALM },
		/* B4.3.1 lists ipa_align, ipa_bound before realm_state; data_bound2 before rd_align. */
		{ "ipa_bound_before_realm_state", RMI_DATA_CREATE, { W.b.rd, d, 1UL << 40, s, m }, IN },
		{ "ipa_align_before_realm_state", RMI_DATA_CREATE, { W.b.rd, d, 0x2008, s, m }, IN },
		{ "realm_state_before_rtt_walk", RMI_DATA_CREATE, { W.b.rd, d, L1, s, m }, REALM },
		{ "ipa_align", RMI_DATA_CREATE, { rd, d, 0x2008, s, m }, IN },
		{ "ipa_bound: unprotected", RMI_DATA_CREATE, { rd, d, NS_IPA, s, m }, IN },
		{ "ipa_bound: unprotected, not mapped", RMI_DATA_CREATE, { rd, d, NS_IPA + L1, s, m }, IN },
		{ "ipa_bound: 2^40", RMI_DATA_CREATE, { rd, d, 1UL << 40, s, m }, IN },
		{ "rtt_walk: level 1", RMI_DATA_CREATE, { rd, d, L1 + 0x2000, s, m }, RTT(1) },
		{ "rtt_walk: level 2", RMI_DATA_CREATE, { rd, d, L2 + 0x2000, s, m }, RTT(2) },
		{ "rtte_state: ASSIGNED RAM", RMI_DATA_CREATE, { rd, d, 0x1000, s, m }, RTT(3) },
		{ "rtte_state: ASSIGNED EMPTY", RMI_DATA_CREATE, { rd, d, 0x3000, s, m }, RTT(3) },
	};
	RUN(cases);
}

static void test_data_create_unknown(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd, d = W.del;
	const struct fcase cases[] = {
		{ "data_align", RMI_DATA_CREATE_UNKNOWN, { rd, UNALIGNED(d), 0x2000 }, IN },
		{ "data_bound: outside DRAM", RMI_DATA_CREATE_UNKNOWN, { rd, UNTRACKED, 0x2000 }, IN },
		{ "data_bound: MMIO", RMI_DATA_CREATE_UNKNOWN, { rd, MMIO, 0x2000 }, IN },
		{ "data_state: UNDELEGATED", RMI_DATA_CREATE_UNKNOWN, { rd, W.ns, 0x2000 }, IN },
		{ "data_state: RD", RMI_DATA_CREATE_UNKNOWN, { rd, rd, 0x2000 }, IN },
		{ "data_state: REC", RMI_DATA_CREATE_UNKNOWN, { rd, W.a_r[0], 0x2000 }, IN },
		{ "data_state: RTT", RMI_DATA_CREATE_UNKNOWN, { rd, W.a_l3, 0x2000 }, IN },
		{ "data_state: DATA", RMI_DATA_CREATE_UNKNOWN, { rd, W.a_d1, 0x2000 }, IN },
		{ "data_state: REC_AUX", RMI_DATA_CREATE_UNKNOWN, { rd, W.a_aux0, 0x2000 }, IN },
		RD_CASES(RMI_DATA_CREATE_UNKNOWN, d, 0x2000),
		{ "ipa_align", RMI_DATA_CREATE_UNKNOWN, { rd, d, 0x2100 }, IN },
		{ "ipa_bound: unprotected", RMI_DATA_CREATE_UNKNOWN, { rd, d, NS_IPA }, IN },
		{ "ipa_bound: 2^40", RMI_DATA_CREATE_UNKNOWN, { rd, d, 1UL << 40 }, IN },
		{ "rtt_walk: level 1", RMI_DATA_CREATE_UNKNOWN, { rd, d, L1 }, RTT(1) },
		{ "rtt_walk: level 2", RMI_DATA_CREATE_UNKNOWN, { rd, d, L2 }, RTT(2) },
		{ "rtte_state: ASSIGNED RAM", RMI_DATA_CREATE_UNKNOWN, { rd, d, 0x1000 }, RTT(3) },
		{ "rtte_state: ASSIGNED EMPTY", RMI_DATA_CREATE_UNKNOWN, { rd, d, 0x3000 }, RTT(3) },
		{ "rtte_state: ASSIGNED in an ACTIVE realm",
		  RMI_DATA_CREATE_UNKNOWN,
		  { W.b.rd, d, 0x1000 },
		  RTT(3),
		  NULL,
		  0,
		  NULL,
		  0,
		  0 },
	};
	/* Realm B's 0x1000 must be ASSIGNED for the last case. */
	uint64_t bd = fx_del();
	assert_int_equal(fx_rmi(RMI_DATA_CREATE_UNKNOWN, W.b.rd, bd, 0x1000, 0, 0, NULL), RMI_SUCCESS);
	RUN(cases);
}

static void test_data_destroy(void **state)
{
	(void)state;
	const uint64_t rd = W.a.rd;
	const struct fcase cases[] = {
		RD_CASES(RMI_DATA_DESTROY, 0x1000),
		{ "ipa_align", RMI_DATA_DESTROY, { rd, 0x1010 }, IN, NULL, 0, NULL, 2, 0 },
		{ "ipa_bound: unprotected", RMI_DATA_DESTROY, { rd, NS_IPA + G }, IN },
		{ "ipa_bound: 2^40", RMI_DATA_DESTROY, { rd, 1UL << 40 }, IN },
		{ "rtt_walk: level 1", RMI_DATA_DESTROY, { rd, L1 }, RTT(1), NULL, 0, NULL, 2, NS_IPA },
		{ "rtt_walk: level 2", RMI_DATA_DESTROY, { rd, L2 }, RTT(2), NULL, 0, NULL, 2, L1 },
		{ "rtte_state: UNASSIGNED RAM",
		  RMI_DATA_DESTROY,
		  { rd, 0 },
		  RTT(3),
		  NULL,
		  0,
		  NULL,
		  2,
		  0x1000 },
		{ "rtte_state: UNASSIGNED EMPTY",
		  RMI_DATA_DESTROY,
		  { rd, 0x2000 },
		  RTT(3),
		  NULL,
		  0,
		  NULL,
		  2,
		  0x3000 },
		{ "rtte_state: UNASSIGNED DESTROYED",
		  RMI_DATA_DESTROY,
		  { rd, 0x4000 },
		  RTT(3),
		  NULL,
		  0,
		  NULL,
		  2,
		  L2 },
		{ "ipa_bound_before_rtte_state", RMI_DATA_DESTROY, { rd, NS_IPA }, IN },
	};
	RUN(cases);
}

/* ----------------------------------------------------------- hostile host */

static void test_granule_commands_on_granules_in_use(void **state)
{
	(void)state;
	/* Undelegating or re-delegating anything a realm holds. */
	const struct fcase cases[] = {
		{ "undelegate RD", RMI_GRANULE_UNDELEGATE, { W.a.rd }, IN },
		{ "undelegate root RTT", RMI_GRANULE_UNDELEGATE, { W.a.rtt_base + G }, IN },
		{ "undelegate RTT", RMI_GRANULE_UNDELEGATE, { W.a_l3 }, IN },
		{ "undelegate DATA", RMI_GRANULE_UNDELEGATE, { W.a_d1 }, IN },
		{ "undelegate REC", RMI_GRANULE_UNDELEGATE, { W.a_r[3] }, IN },
		{ "undelegate running REC", RMI_GRANULE_UNDELEGATE, { W.a_r[1] }, IN },
		{ "undelegate REC_AUX", RMI_GRANULE_UNDELEGATE, { W.a_aux0 }, IN },
		{ "delegate RD", RMI_GRANULE_DELEGATE, { W.a.rd }, IN },
		{ "delegate DATA", RMI_GRANULE_DELEGATE, { W.a_d2 }, IN },
	};
	RUN(cases);
}

static void test_hostile_sequences(void **state)
{
	uint64_t out[5];

	(void)state;
	/* RD used as data, DATA mapped twice, RTT destroyed while live, DATA outside the PAR. */
	fx_snap();
	assert_int_equal(fx_rmi(RMI_DATA_CREATE_UNKNOWN, W.a.rd, W.a.rd, 0x2000, 0, 0, NULL), IN);
	assert_int_equal(fx_rmi(RMI_DATA_CREATE_UNKNOWN, W.a.rd, W.a_d1, 0x2000, 0, 0, NULL), IN);
	assert_int_equal(fx_rmi(RMI_DATA_CREATE_UNKNOWN, W.b.rd, W.a_d1, 0x2000, 0, 0, NULL), IN);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, W.a.rd, 0, 3, 0, 0, NULL), RTT(3));
	assert_int_equal(fx_rmi(RMI_DATA_CREATE, W.a.rd, W.del, NS_IPA + 2 * G, W.src, 0, NULL), IN);
	assert_int_equal(fx_rmi(RMI_DATA_CREATE_UNKNOWN, W.a.rd, W.del, NS_IPA + 2 * G, 0, 0, NULL), IN);
	/* Realm A's RTT handed to realm B's RTT_CREATE, B's root to REALM_CREATE as RD. */
	assert_int_equal(fx_rmi(RMI_RTT_CREATE, W.b.rd, W.a_l3, L2, 3, 0, NULL), IN);
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.b.rtt_base, W.p_realm, 0, 0, 0, NULL), IN);
	/* REC of realm A destroyed while "running". */
	assert_int_equal(fx_rmi(RMI_REC_DESTROY, W.a_r[1], 0, 0, 0, 0, NULL), REC);
	fx_snap_check("hostile sequence");

	/* Mapping a realm's own DATA granule as unprotected memory is allowed: the GPT stops it. */
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, W.a.rd, NS_IPA + 2 * G, 3, W.a_d1 | WB_RW, 0, NULL),
			 RMI_SUCCESS);
	fx_read(W.a.rd, NS_IPA + 2 * G, 3, out);
	assert_int_equal(out[3], W.a_d1 | WB_RW);
	assert_int_equal(fx_state(W.a_d1), GRANULE_DATA);
	/* The same DATA granule cannot be created twice, even through another realm. */
	assert_int_equal(fx_rmi(RMI_DATA_CREATE, W.d.rd, W.a_d1, 0, W.src, 0, NULL), IN);

	/* The params granule delegated between two REALM_CREATEs is refused, not read. */
	assert_int_equal(fx_rmi(RMI_GRANULE_DELEGATE, W.p_realm, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.new_rd, W.p_realm, 0, 0, 0, NULL), IN);
	fx_snap_check("params delegated");
	fx_assert_unlocked();
}

static void test_vmid_freed_only_by_destroy(void **state)
{
	(void)state;
	/* A refused REALM_CREATE keeps no VMID; REALM_DESTROY frees it for the next realm. */
	struct rmi_realm_params *p = fx_ptr(W.p_realm);
	p->vmid = 2; /* realm B's */
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.new_rd, W.p_realm, 0, 0, 0, NULL), IN);
	assert_true(vmid_is_reserved(2));
	p->vmid = 10;
	p->hash_algo = 7;
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.new_rd, W.p_realm, 0, 0, 0, NULL), IN);
	assert_false(vmid_is_reserved(10));
	p->hash_algo = RMI_HASH_SHA_512;
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.new_rd, W.p_realm, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_true(vmid_is_reserved(10));
	assert_int_equal(((struct rd *)fx_ptr(W.new_rd))->hash_algo, RMI_HASH_SHA_512);
	/* Realm D: destroy its RTT, then the realm: VMID 4 is free again. */
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, W.d.rd, 0, 2, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_DESTROY, W.d.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_false(vmid_is_reserved(4));
	p->vmid = 4;
	assert_int_equal(fx_rmi(RMI_REALM_CREATE, W.d.rd, W.p_realm, 0, 0, 0, NULL), IN); /* roots in use */
	assert_false(vmid_is_reserved(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_realm_create, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_activate, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_destroy, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_aux_count, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_create, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_destroy, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_psci_complete, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_create, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_create_unknown, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_data_destroy, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_granule_commands_on_granules_in_use, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sequences, world, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vmid_freed_only_by_destroy, world, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_errors", tests, NULL, NULL);
}
