/*
 * Realm stage 2 through RMI: the RTT walk over concatenated start tables,
 * RTT_CREATE (inheriting unassigned entries, splitting blocks with
 * break-before-make), RTT_FOLD (uniform unassigned, contiguous assigned and
 * NS runs), RTT_DESTROY, RTT_READ_ENTRY, the exact descriptors written
 * (s2tt.h encoding), RTT_(UN)MAP_UNPROTECTED, RTT_INIT_RIPAS and
 * RTT_SET_RIPAS, the "top" outputs, and the measure_*() call points
 * (fake_measure.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmm.h"
#include "fake_rmm_arch.h"
#include "fake_measure.h"
#include "rmm_fixture.h"

#define NS_IPA (1UL << 39) /* first unprotected IPA of a 40-bit realm */
#define WB_RW 0xd8UL	   /* host descriptor attributes: MemAttr Normal WB, S2AP RW */

static struct fx_realm R;

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	fake_measure_reset();
	return fx_realm_new(&R, 40, 1, 3) == RMI_SUCCESS ? 0 : -1;
}

static uint64_t *tbl(uint64_t rtt)
{
	return fx_ptr(rtt);
}

/* The RTT (TABLE entry) at `level` - 1 above ipa. */
static uint64_t rtt_at(uint64_t ipa, int level)
{
	uint64_t out[5];

	ipa &= ~(rtt_level_size(level - 1) - 1);
	fx_read(R.rd, ipa, level - 1, out);
	assert_int_equal(out[1], level - 1);
	assert_int_equal(out[2], RMI_TABLE);
	return out[3];
}

static void read_expect(uint64_t ipa, int level, uint64_t walk, uint64_t st, uint64_t desc, uint64_t ripas)
{
	uint64_t out[5];

	fx_read(R.rd, ipa, level, out);
	if (out[1] != walk || out[2] != st || out[3] != desc || out[4] != ripas)
		fail_msg("READ_ENTRY(0x%lx, %d) = level %lu state %lu desc 0x%lx ripas %lu, want %lu %lu "
			 "0x%lx %lu",
			 (unsigned long)ipa, level, out[1], out[2], out[3], out[4], walk, st, desc, ripas);
}

/* 512 DATA pages at [ipa, ipa + 2 MiB) backed by a 2 MiB-aligned run; returns its PA. */
static uint64_t data_block(uint64_t ipa)
{
	uint64_t blk = fx_del_run(512, L2), src = fx_ns();

	memset(fx_ptr(src), 0x3c, G);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_DATA_CREATE, R.rd, blk + i * G, ipa + i * G, src, 0, NULL),
				 RMI_SUCCESS);
	return blk;
}

/* ------------------------------------------------------------------- create */

static void test_rtt_create_walk(void **state)
{
	uint64_t l2, l3, l2ns;

	(void)state;
	/* Level-1 start, 2 concatenated root RTTs: the PAR in the first, the NS half in the second. */
	assert_int_equal(fx_rtt(R.rd, 0, 2, &l2), RMI_SUCCESS);
	assert_int_equal(fx_rtt(R.rd, 0, 3, &l3), RMI_SUCCESS);
	assert_int_equal(fx_rtt(R.rd, NS_IPA, 2, &l2ns), RMI_SUCCESS);
	assert_int_equal(tbl(R.rtt_base)[0], l2 | 3);
	assert_int_equal(tbl(l2)[0], l3 | 3);
	assert_int_equal(tbl(R.rtt_base + G)[0], l2ns | 3);
	assert_int_equal(fx_ref(R.rtt_base), 1);
	assert_int_equal(fx_ref(R.rtt_base + G), 1);
	assert_int_equal(fx_ref(l2), 1);
	assert_int_equal(fx_ref(l3), 0);
	assert_int_equal(fx_state(l3), GRANULE_RTT);
	read_expect(0, 1, 1, RMI_TABLE, l2, RMI_EMPTY);
	read_expect(0, 2, 2, RMI_TABLE, l3, RMI_EMPTY);
	read_expect(0x5000, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* The walk stops early where there is no table. */
	read_expect(L1 + 0x5000, 3, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	read_expect(L2 + 0x5000, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	read_expect(NS_IPA + 0x1000, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	for (unsigned int i = 0; i < 512; i++) {
		assert_int_equal(tbl(l3)[i], 0);	 /* UNASSIGNED EMPTY */
		assert_int_equal(tbl(l2ns)[i], RTTE_NS); /* UNASSIGNED_NS */
	}
	/* The parent level is already a table. */
	assert_int_equal(fx_rtt(R.rd, 0, 3, NULL), RET(RMI_ERROR_RTT, 2));
	assert_int_equal(fx_rtt(R.rd, 0, 2, NULL), RET(RMI_ERROR_RTT, 1));
	/* The walk ends above level - 1: the level it reached. */
	assert_int_equal(fx_rtt(R.rd, L1, 3, NULL), RET(RMI_ERROR_RTT, 1));
	fx_assert_unlocked();
}

static void test_rtt_create_inherits_unassigned(void **state)
{
	uint64_t l3, out[5];

	(void)state;
	fx_rtts(R.rd, 0, 2, 2);
	/* RIPAS RAM on the 2 MiB entry at 0, DESTROYED on the one at 2 MiB. */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 0, L2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], L2);
	assert_int_equal(fx_rtt(R.rd, L2, 3, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, L2, 3, 0, 0, NULL), RMI_SUCCESS);
	read_expect(L2, 2, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);

	assert_int_equal(fx_rtt(R.rd, 0, 3, &l3), RMI_SUCCESS);
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(tbl(l3)[i], rtte_unassigned(RIPAS_RAM));
	assert_int_equal(fx_rtt(R.rd, L2, 3, &l3), RMI_SUCCESS);
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(tbl(l3)[i], rtte_unassigned(RIPAS_DESTROYED));
	read_expect(L2 + 0x3000, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	fx_assert_unlocked();
}

static void test_rtt_block_split_and_fold(void **state)
{
	uint64_t l3, out[5];

	(void)state;
	fx_rtts(R.rd, 0, 2, 3);
	l3 = rtt_at(0, 3);
	uint64_t blk = data_block(0);
	assert_int_equal(fx_ref(l3), 512);
	uint64_t l2 = rtt_at(0, 2);
	assert_int_equal(fx_ref(l2), 1);

	/* Fold: 512 contiguous ASSIGNED RAM pages -> one level-2 block; break-before-make. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, 0, 3, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], l3);
	assert_int_equal(fake_count(EV_TLBI_VMID), 1);
	assert_int_equal(fx_state(l3), GRANULE_DELEGATED);
	assert_true(fx_is_zero(l3));
	assert_int_equal(fx_ref(l3), 0);
	assert_int_equal(fx_ref(l2), 1); /* the table entry became one assigned entry */
	assert_int_equal(tbl(l2)[0], blk | RTTE_RAM_ATTRS | RTTE_TYPE_BLOCK);
	read_expect(0, 3, 2, RMI_ASSIGNED, blk, RMI_RAM);
	/* DATA commands need level 3. */
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 0x1000, 0, 0, 0, NULL), RET(RMI_ERROR_RTT, 2));
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_state(blk + i * G), GRANULE_DATA);

	/* Split it again: RTT_CREATE under a valid block invalidates it first. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_CREATE, R.rd, l3, 0, 3, 0, NULL), RMI_SUCCESS);
	const struct fake_event *ev;
	assert_int_equal(fake_events(&ev), 1);
	assert_int_equal(ev[0].kind, EV_TLBI_IPA);
	assert_int_equal(ev[0].pa, 0);
	assert_int_equal(ev[0].level, 2);
	assert_int_equal(ev[0].vmid, 3);
	assert_int_equal(fx_ref(l3), 512);
	assert_int_equal(fx_ref(l2), 1);
	for (unsigned int i = 0; i < 512; i++)
		assert_int_equal(tbl(l3)[i], (blk + i * G) | RTTE_RAM_ATTRS | RTTE_TYPE_PAGE);
	read_expect(0x7000, 3, 3, RMI_ASSIGNED, blk + 0x7000, RMI_RAM);

	/* Not foldable: one page EMPTY (RIPAS differs), then one missing, then a hole in the PAs. */
	struct rec *rec;
	uint64_t r0;
	assert_int_equal(fx_rec(R.rd, 0, 1, &r0), RMI_SUCCESS);
	rec = fx_ptr(r0);
	rec->ripas = (struct rec_ripas_req){ .addr = 0x5000, .top = 0x6000, .value = RIPAS_EMPTY };
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x5000, 0x6000, 0, out), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, 0, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	fx_snap_check("fold of mixed RIPAS");
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 0x5000, 0, 0, 0, NULL), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, 0, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	fx_snap_check("fold with 511 entries");
	/* Refill 0x5000 (RAM again) with a granule outside the run: contiguity breaks. */
	assert_int_equal(fx_data(R.rd, 0x5000, 0x3c, NULL), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, 0, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	fx_snap_check("fold of a discontiguous run");
	fx_assert_unlocked();
}

static void test_rtt_fold_unassigned(void **state)
{
	static const struct {
		uint64_t base;
		int ripas; /* -1: NS */
	} cases[] = { { 0, RIPAS_EMPTY }, { L2, RIPAS_RAM }, { 2 * L2, RIPAS_DESTROYED }, { NS_IPA, -1 } };
	uint64_t out[5];

	(void)state;
	fx_rtts(R.rd, 0, 2, 2);
	fx_rtts(R.rd, NS_IPA, 2, 2);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, L2, 2 * L2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(fx_rtt(R.rd, 2 * L2, 3, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 2 * L2, 3, 0, 0, NULL), RMI_SUCCESS);
	for (unsigned int c = 0; c < 4; c++) {
		uint64_t l3, l2 = rtt_at(cases[c].base, 2);
		unsigned int ref = fx_ref(l2);
		assert_int_equal(fx_rtt(R.rd, cases[c].base, 3, &l3), RMI_SUCCESS);
		assert_int_equal(fx_ref(l2), ref + 1);
		fake_clear_events();
		assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, cases[c].base, 3, 0, 0, out), RMI_SUCCESS);
		assert_int_equal(out[1], l3);
		assert_int_equal(fake_count(EV_TLBI_IPA), 1); /* the table entry's walk cache */
		assert_int_equal(fx_ref(l2), ref);
		assert_int_equal(fx_state(l3), GRANULE_DELEGATED);
		read_expect(cases[c].base, 3, 2, RMI_UNASSIGNED, 0, cases[c].ripas < 0 ? 0 : cases[c].ripas);
	}
	/* Mixed unassigned RIPAS: refused at the RTT's level. */
	assert_int_equal(fx_rtt(R.rd, 0, 3, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 0, G, 0, 0, out), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, 0, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	fx_snap_check("fold of mixed RIPAS");
	fx_assert_unlocked();
}

static void test_rtt_ns_map_fold_unmap(void **state)
{
	uint64_t out[5];
	const uint64_t host = 0x0000123440000000UL; /* 1 GiB aligned, any NS PA */

	(void)state;
	fx_rtts(R.rd, NS_IPA, 2, 3);
	uint64_t l2 = rtt_at(NS_IPA, 2), l3 = rtt_at(NS_IPA, 3);
	/* A page: the exact descriptor, not counted in the refcount, no TLBI. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + G, 3, host | WB_RW, 0, NULL),
			 RMI_SUCCESS);
	assert_int_equal(fake_count(EV_TLBI_IPA) + fake_count(EV_TLBI_VMID), 0);
	assert_int_equal(tbl(l3)[1], (host | WB_RW) | RTTE_SH_IS | RTTE_AF | RTTE_XN | RTTE_NS | 3);
	assert_int_equal(fx_ref(l3), 0);
	read_expect(NS_IPA + G, 3, 3, RMI_ASSIGNED, host | WB_RW, RMI_EMPTY);
	/*
	 * A5.5.11: Inner Shareable only if cacheable (FWB MemAttr 0b110, or 0b111: stage 1's);
	 * Non-cacheable (0b101) and Device (0b0xx) mappings are Outer Shareable.
	 */
	static const struct {
		uint64_t memattr, sh;
	} sh[] = { { 0x7UL << 2, RTTE_SH_IS },
		   { 0x5UL << 2, RTTE_SH_OS },
		   { 0x1UL << 2, RTTE_SH_OS },
		   { 0x0UL << 2, RTTE_SH_OS } };
	for (unsigned int i = 0; i < sizeof(sh) / sizeof(sh[0]); i++) {
		uint64_t d = host | RTTE_S2AP_RW | sh[i].memattr;
		assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + (2 + i) * G, 3, d, 0, NULL),
				 RMI_SUCCESS);
		assert_int_equal(tbl(l3)[2 + i], d | sh[i].sh | RTTE_AF | RTTE_XN | RTTE_NS | 3);
		read_expect(NS_IPA + (2 + i) * G, 3, 3, RMI_ASSIGNED, d, RMI_EMPTY);
		assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA + (2 + i) * G, 3, 0, 0, NULL),
				 RMI_SUCCESS);
	}
	/* Mapped already. */
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + G, 3, host | WB_RW, 0, NULL),
			 RET(RMI_ERROR_RTT, 3));
	/* Unmap: TLBI of that page, x1 = next live IPA (none left: end of the RTT). */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA + G, 3, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], NS_IPA + L2);
	const struct fake_event *ev;
	assert_int_equal(fake_events(&ev), 1);
	assert_int_equal(ev[0].kind, EV_TLBI_IPA);
	assert_int_equal(ev[0].pa, NS_IPA + G);
	assert_int_equal(ev[0].level, 3);
	assert_int_equal(tbl(l3)[1], RTTE_NS);
	/* Unmapping again: ERROR_RTT at the level, top still reported. */
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA + G, 3, 0, 0, out),
			 RET(RMI_ERROR_RTT, 3));
	assert_int_equal(out[1], NS_IPA + L2);

	/* 512 contiguous pages with one set of attributes fold into a 2 MiB NS block. */
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + i * G, 3,
					(host + i * G) | WB_RW, 0, NULL),
				 RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA + 0x3000, 3, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], NS_IPA + 0x4000);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, NS_IPA, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	assert_int_equal(
		fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + 0x3000, 3, (host + 0x3000) | 0xc8, 0, NULL),
		RMI_SUCCESS); /* other MemAttr */
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, NS_IPA, 3, 0, 0, NULL), RET(RMI_ERROR_RTT, 3));
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA + 0x3000, 3, 0, 0, NULL),
			 RMI_SUCCESS);
	assert_int_equal(
		fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + 0x3000, 3, (host + 0x3000) | WB_RW, 0, NULL),
		RMI_SUCCESS);
	assert_int_equal(fx_ref(l2), 1);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, NS_IPA, 3, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], l3);
	assert_int_equal(fx_ref(l2), 0); /* NS blocks are not counted */
	assert_int_equal(tbl(l2)[0], (host | WB_RW) | RTTE_SH_IS | RTTE_AF | RTTE_XN | RTTE_NS | 1);
	read_expect(NS_IPA, 3, 2, RMI_ASSIGNED, host | WB_RW, RMI_EMPTY);
	/* Split the NS block again (break-before-make), then unmap it as a block instead. */
	fake_clear_events();
	assert_int_equal(fx_rtt(R.rd, NS_IPA, 3, &l3), RMI_SUCCESS);
	assert_int_equal(fake_count(EV_TLBI_IPA), 1);
	assert_int_equal(fx_ref(l2), 1);
	assert_int_equal(tbl(l3)[511],
			 ((host + 511 * G) | WB_RW) | RTTE_SH_IS | RTTE_AF | RTTE_XN | RTTE_NS | 3);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, NS_IPA, 3, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA, 3, 0, 0, NULL),
			 RET(RMI_ERROR_RTT, 2));
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA, 2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(tbl(l2)[0], RTTE_NS);

	/* 512 NS 2 MiB blocks fold into a 1 GiB block at level 1 (allowed), not beyond. */
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, R.rd, NS_IPA + i * L2, 2,
					(host + i * L2) | WB_RW, 0, NULL),
				 RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, R.rd, NS_IPA, 2, 0, 0, out), RMI_SUCCESS);
	read_expect(NS_IPA, 3, 1, RMI_ASSIGNED, host | WB_RW, RMI_EMPTY);
	assert_int_equal(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, R.rd, NS_IPA, 1, 0, 0, NULL), RMI_SUCCESS);
	fx_assert_unlocked();
}

static void test_rtt_fold_never_level0(void **state)
{
	struct fx_realm r0;
	uint64_t out[5];
	const uint64_t ns = 1UL << 47, host = 0x0000100000000000UL;

	(void)state;
	/*
	 * Start level 0 (s2sz 48): a level-1 RTT of NS 1 GiB blocks cannot become a level-0 block:
	 * not homogeneous (A5.5.6: "Level is 2 or 3"), so rtt_homo, ERROR_RTT at the RTT's level.
	 */
	assert_int_equal(fx_realm_new(&r0, 48, 0, 4), RMI_SUCCESS);
	uint64_t l1;
	assert_int_equal(fx_rtt(r0.rd, ns, 1, &l1), RMI_SUCCESS);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, r0.rd, ns + i * L1, 1,
					(host + i * L1) | WB_RW, 0, NULL),
				 RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, r0.rd, ns, 1, 0, 0, out), RET(RMI_ERROR_RTT, 1));
	fx_snap_check("NS fold into level 0");
	/* Map commands never take level 0. */
	assert_int_equal(fx_rmi(RMI_RTT_MAP_UNPROTECTED, r0.rd, ns, 0, host | WB_RW, 0, NULL),
			 RMI_ERROR_INPUT);
	/* An unassigned level-1 RTT does fold into level 0. */
	assert_int_equal(fx_rtt(r0.rd, 0, 1, &l1), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_FOLD, r0.rd, 0, 1, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], l1);
	fx_assert_unlocked();
}

/* ------------------------------------------------------------------ destroy */

static void test_rtt_destroy(void **state)
{
	uint64_t l2, l3, out[5], d;

	(void)state;
	fx_rtts(R.rd, 0, 2, 3);
	l2 = rtt_at(0, 2);
	l3 = rtt_at(0, 3);
	assert_int_equal(fx_data(R.rd, 0x8000, 1, &d), RMI_SUCCESS);
	/* Live: refused with the RTT's own level, top = the IPA. */
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 3, 0, 0, out), RET(RMI_ERROR_RTT, 3));
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0);
	fx_snap_check("RTT_DESTROY of a live RTT");
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 2, 0, 0, out), RET(RMI_ERROR_RTT, 2));
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 0x8000, 0, 0, 0, NULL), RMI_SUCCESS);

	/* Empty: parent entry DESTROYED (PAR), RTT scrubbed, TLBI of the walk entry. */
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 3, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], l3);
	assert_int_equal(out[2], L1); /* nothing else live in the level-2 RTT */
	assert_int_equal(fake_count(EV_TLBI_IPA), 1);
	assert_int_equal(fx_state(l3), GRANULE_DELEGATED);
	assert_true(fx_is_zero(l3));
	assert_int_equal(fx_ref(l2), 0);
	read_expect(0, 3, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	/* Gone: ERROR_RTT where the walk stopped, top past the non-live entries. */
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 3, 0, 0, out), RET(RMI_ERROR_RTT, 2));
	assert_int_equal(out[2], L1);
	/* From root entry 1 on (entry 0 is before the IPA): nothing live to the end of that root RTT. */
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, L1, 3, 0, 0, out), RET(RMI_ERROR_RTT, 1));
	assert_int_equal(out[2], NS_IPA);
	/* A live entry after the IPA bounds top. */
	assert_int_equal(fx_rtt(R.rd, 5 * L2, 3, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 3, 0, 0, out), RET(RMI_ERROR_RTT, 2));
	assert_int_equal(out[2], 5 * L2);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 5 * L2, 3, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_DESTROY, R.rd, 0, 2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], l2);
	read_expect(0, 2, 1, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	fx_assert_unlocked();
}

/* ------------------------------------------------------------------- RIPAS */

static void test_init_ripas(void **state)
{
	uint64_t out[5];
	unsigned long n;

	(void)state;
	/* Root entries are 1 GiB: [0, 1 GiB) is one entry, measured once. */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 0, L1, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], L1);
	read_expect(0x1000, 3, 1, RMI_UNASSIGNED, 0, RMI_RAM);
	const struct fake_measure_call *m = fake_measure_calls(&n);
	assert_int_equal(n, 2); /* REALM_CREATE, then the one entry */
	assert_int_equal(m[0].kind, FM_REALM);
	assert_int_equal(m[0].a, 40);
	assert_int_equal(m[1].kind, FM_RIPAS);
	assert_int_equal(m[1].rd, (uint64_t)(uintptr_t)fx_ptr(R.rd));
	assert_int_equal(m[1].a, 0);
	assert_int_equal(m[1].b, L1);
	/* Already RAM: processed (and measured) again. */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 0, L1, 0, 0, out), RMI_SUCCESS);
	/* A range not covering whole root entries needs a deeper RTT: ERROR_RTT(1). */
	fake_measure_reset();
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, L1, L1 + L2, 0, 0, NULL), RET(RMI_ERROR_RTT, 1));
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, L1 + L2, 2 * L1, 0, 0, NULL),
			 RET(RMI_ERROR_RTT, 1));
	fx_snap_check("INIT_RIPAS below a root entry");
	assert_int_equal(fake_measure_total(), 0);
	/* With a level-2 RTT: 2 MiB entries up to top, within that RTT only. */
	fx_rtts(R.rd, L1, 2, 2);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, L1, L1 + 3 * L2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], L1 + 3 * L2);
	assert_int_equal(fake_measure_count(FM_RIPAS), 3);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, L1 + 510 * L2, 3 * L1, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 2 * L1);
	/*
	 * A page range inside an RTT-3: only a TABLE entry ends it (B4.3.18
	 * walk_top), so an ASSIGNED EMPTY page inside becomes ASSIGNED RAM (a
	 * valid mapping); one at base is rtte_state, ERROR_RTT(3).
	 */
	uint64_t d;
	fx_rtts(R.rd, 2 * L1, 2, 3);
	assert_int_equal(fx_data_unknown(R.rd, 2 * L1 + 0x3000, &d), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 2 * L1 + 0x3000, 2 * L1 + L2, 0, 0, NULL),
			 RET(RMI_ERROR_RTT, 3));
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 2 * L1, 2 * L1 + L2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 2 * L1 + L2);
	read_expect(2 * L1 + 0x3000, 3, 3, RMI_ASSIGNED, d, RMI_RAM);
	assert_int_equal(((uint64_t *)fx_ptr(rtt_at(2 * L1, 3)))[3], d | RTTE_RAM_ATTRS | 3);
	assert_int_equal(fake_count(EV_TLBI_IPA) + fake_count(EV_TLBI_VMID), 0); /* invalid -> valid */
	/* UNASSIGNED DESTROYED at base is UNASSIGNED: allowed, and becomes RAM. */
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 2 * L1 + 0x3000, 0, 0, 0, NULL), RMI_SUCCESS);
	read_expect(2 * L1 + 0x3000, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 2 * L1 + 0x3000, 2 * L1 + 0x4000, 0, 0, out),
			 RMI_SUCCESS);
	read_expect(2 * L1 + 0x3000, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	/* A base not aligned to a granule is base_align at the walk's level (not ERROR_INPUT). */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 2 * L1 + 0x800, 2 * L1 + 0x2000, 0, 0, NULL),
			 RET(RMI_ERROR_RTT, 3));
	/* After REALM_ACTIVATE: ERROR_REALM. */
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, R.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 3 * L1, 4 * L1, 0, 0, NULL), RMI_ERROR_REALM);
	fx_assert_unlocked();
}

static void test_set_ripas(void **state)
{
	uint64_t r0, out[5], d[4];

	(void)state;
	fx_rtts(R.rd, 0, 2, 3);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 0, 0x4000, 0, 0, out), RMI_SUCCESS);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(fx_data(R.rd, (i + 4) * G, 1, &d[i]), RMI_SUCCESS);
	assert_int_equal(fx_rec(R.rd, 0, 1, &r0), RMI_SUCCESS);
	struct rec *rec = fx_ptr(r0);

	/* No request pending (addr == top == 0): any range is beyond it. */
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0, G, 0, NULL), RMI_ERROR_INPUT);
	fx_snap_check("SET_RIPAS with nothing pending");

	/* Realm asked for [0, 0x8000) -> EMPTY. */
	rec->ripas = (struct rec_ripas_req){ .addr = 0, .top = 0x8000, .value = RIPAS_EMPTY };
	fake_clear_events();
	fake_measure_reset();
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0, 0x6000, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 0x6000);
	assert_int_equal(rec->ripas.addr, 0x6000);
	assert_int_equal(fake_count(EV_TLBI_IPA), 2); /* two valid pages became invalid */
	read_expect(0x1000, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	read_expect(0x5000, 3, 3, RMI_ASSIGNED, d[1], RMI_EMPTY);
	assert_int_equal(fake_measure_count(FM_RIPAS), 0); /* not measured */
	/* Must continue where it stopped. */
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x5000, 0x8000, 0, NULL), RMI_ERROR_INPUT);
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x6000, 0x9000, 0, NULL), RMI_ERROR_INPUT);
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x6000, 0x8000, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 0x8000);

	/* Back to RAM; DESTROYED entries stop it unless the realm allowed CHANGE_DESTROYED. */
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 0x4000, 0, 0, 0, NULL), RMI_SUCCESS);
	read_expect(0x4000, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_int_equal(fx_data(R.rd, 0x9000, 1, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, R.rd, 0x9000, 0, 0, 0, NULL), RMI_SUCCESS);
	read_expect(0x9000, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	rec->ripas = (struct rec_ripas_req){ .addr = 0x4000, .top = 0xa000, .value = RIPAS_RAM };
	fake_clear_events();
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x4000, 0xa000, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 0x9000);
	assert_int_equal(fake_count(EV_TLBI_IPA), 0); /* invalid -> valid */
	read_expect(0x5000, 3, 3, RMI_ASSIGNED, d[1], RMI_RAM);
	assert_int_equal(((uint64_t *)fx_ptr(rtt_at(0, 3)))[5], d[1] | RTTE_RAM_ATTRS | 3);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x9000, 0xa000, 0, NULL), RET(RMI_ERROR_RTT, 3));
	fx_snap_check("SET_RIPAS on DESTROYED");
	rec->ripas.change_destroyed = 1;
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 0x9000, 0xa000, 0, out), RMI_SUCCESS);
	read_expect(0x9000, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	/* A base not aligned to the walk level: ERROR_RTT there. */
	rec->ripas = (struct rec_ripas_req){ .addr = L1 + G, .top = L1 + 2 * G, .value = RIPAS_RAM };
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, L1 + G, L1 + 2 * G, 0, NULL),
			 RET(RMI_ERROR_RTT, 1));
	/*
	 * B4.3.21 base_align and no_progress hold only if "ripas !=
	 * rec.ripas_value": a root entry that is EMPTY already needs no
	 * alignment; the next one (RAM) changes, up to top.
	 */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, R.rd, 2 * L1, 3 * L1, 0, 0, NULL), RMI_SUCCESS);
	rec->ripas = (struct rec_ripas_req){ .addr = L1 + G, .top = 3 * L1, .value = RIPAS_EMPTY };
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, L1 + G, 3 * L1, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 3 * L1);
	assert_int_equal(rec->ripas.addr, 3 * L1);
	read_expect(2 * L1, 1, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/*
	 * top inside an entry that has the RIPAS already: walk_top == base but
	 * no no_progress failure; the command succeeds with out_top = base.
	 */
	rec->ripas = (struct rec_ripas_req){ .addr = 3 * L1, .top = 3 * L1 + G, .value = RIPAS_EMPTY };
	fx_snap();
	assert_int_equal(fx_rmi(RMI_RTT_SET_RIPAS, R.rd, r0, 3 * L1, 3 * L1 + G, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], 3 * L1);
	fx_snap_check("SET_RIPAS with nothing to change");
	fx_assert_unlocked();
}

static void test_measure_points(void **state)
{
	uint64_t d, src = fx_ns();
	unsigned long n;

	(void)state;
	fx_rtts(R.rd, 0, 2, 3);
	fake_measure_reset();
	memset(fx_ptr(src), 0xab, G);
	d = fx_del();
	assert_int_equal(fx_rmi(RMI_DATA_CREATE, R.rd, d, 0x2000, src, RMI_NO_MEASURE_CONTENT, NULL),
			 RMI_SUCCESS);
	assert_int_equal(fx_data(R.rd, 0x3000, 0xcd, NULL), RMI_SUCCESS);
	assert_int_equal(fx_data_unknown(R.rd, 0x4000, NULL), RMI_SUCCESS); /* not measured */
	assert_int_equal(fx_rec(R.rd, 0, 1, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rec(R.rd, 1, 0, NULL), RMI_SUCCESS); /* not runnable: not measured */
	const struct fake_measure_call *m = fake_measure_calls(&n);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].kind, FM_DATA);
	assert_int_equal(m[0].a, 0x2000);
	assert_int_equal(m[0].b, RMI_NO_MEASURE_CONTENT); /* flags as passed, measured all the same */
	assert_int_equal(m[0].first, 0xab);		  /* the content already in the DATA granule */
	assert_int_equal(m[1].kind, FM_DATA);
	assert_int_equal(m[1].b, RMI_MEASURE_CONTENT);
	assert_int_equal(m[1].first, 0xcd);
	assert_int_equal(m[2].kind, FM_REC);
	assert_int_equal(m[2].a, 0);
	assert_int_equal(m[2].b, 0x80000);
	assert_int_equal(m[2].first, 0x00);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(m[i].rd, (uint64_t)(uintptr_t)fx_ptr(R.rd));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rtt_create_walk, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_create_inherits_unassigned, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_block_split_and_fold, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_fold_unassigned, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_ns_map_fold_unmap, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_fold_never_level0, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_destroy, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_init_ripas, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set_ripas, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_measure_points, setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("rmm_rtt", tests, NULL, NULL);
}
