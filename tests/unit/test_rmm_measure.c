/*
 * The RMM's Realm Initial Measurement end to end: the real RMI commands
 * (rmi_dispatch() through rmm_fixture) with the real rmm/measure.c, which
 * computes with lib/measure over a host crypto_hash_ops (host_crypto.c:
 * libmbedcrypto through tools/refvalues/hash_host.c).
 *
 * Every expected RIM is a known answer: the §3.7 values, or values of the
 * independent Python model (python3 tests/host/measure_model.py
 * --rmm-measure), never lib/measure, the code under test.
 * - the §3.7 known answers step by step (REALM_CREATE, one 2 MiB
 *   RTT_INIT_RIPAS entry, a measured all-zero DATA_CREATE, a runnable
 *   REC_CREATE), and the same chain for a SHA-512 realm against
 *   test_measure.c's values (from the independent tests/host/measure_model.py);
 * - RIM0 ignores every unmeasured RmiRealmParams field (RPV, VMID, RTT
 *   geometry, reserved bytes);
 * - RTT_CREATE, DATA_CREATE_UNKNOWN, a non-runnable REC and REALM_ACTIVATE
 *   leave the RIM alone; DATA_CREATE without RMI_MEASURE_CONTENT measures
 *   the IPA only, reserved flag bits are recorded; RTT_INIT_RIPAS extends
 *   once per RTT entry processed (root, block and page entries);
 * - failed commands leave the RIM (and everything else) unchanged;
 * - a failing hash panics with the RIM untouched and the measure lock free;
 * - four realms measured from four threads at once get their exact RIMs.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/measure.h>
#include "rmm.h"
#include "fake_rmm_arch.h"
#include "host_crypto.h"
#include "rmm_fixture.h"

#define KAT_BASE 0x40000000UL
#define KAT_TOP 0x40200000UL

static const char *const kat_sha256[4] = {
	"cb284887b4e560003d56fa3ecf3eae2cc1d3d372588370a8301e07d28a5673d7",
	"8b74025228d7f2c20ef7deda9dd02e36458caf4690f9e4b0f942f8585a04de16",
	"173d0c90958411a6bae7df40ac4da0cc47a92e41e4750efb165df0356a330a7b",
	"5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf",
};

/* tests/unit/test_measure.c (python3 tests/host/measure_model.py). */
static const char *const kat_sha512[4] = {
	"9ea4ab205975557c3c0ca67cb865363f691691a98807c48ca4a501e4aaa14409"
	"64ac0d24029795ad9eefe1630d9906f1ec078bc3fe66721895ed9d5574c7c48e",
	"6a40b2bcda906e3200eef27268fdb4580195b2cdb2a2c6afc22c55d0087b540a"
	"1afa2ed2f2a1e260ff2080ddeeecbc81bc2297eb2f5dc115bc9d78ae3f1a8e82",
	"3520ff1c29273e50bf1120e03f2a7cbf5f1c48171b72338d88211714a17e1c04"
	"8a132d277811e96c89958d36b01cfe5f72c3177383d4b0179d8fc3758aa261a4",
	"ddee122caf034d48d6d1e796e4f463ea213f1af7dbf370d689e2b8a0ebff59b0"
	"c6d94778597d074055c879641e9efd80c6f955d8b27a08cd95420c6b1bdf3c20",
};

static const char *const *kat(uint8_t algo)
{
	return algo == RMI_HASH_SHA_512 ? kat_sha512 : kat_sha256;
}

/*
 * Known answers beyond §3.7, from the independent model, not from lib/measure
 * (python3 tests/host/measure_model.py --rmm-measure prints them).
 */
static const char kat_params_num_wps_1[] = "ae945b825ac8fe632cb8c4b78b465856d4ccc9c86128c8c0debf07584384abf0";
/* run_unmeasured_events(), per algorithm: after each measured event. */
static const char *const kat_events[2][5] = {
	{ "21c8115505b8eff640cbc61b6357637079f28fab5c95870c8fc3fe5613b213c2",
	  "06f8c6c3f1ade8733b7f045796ea9741d48d1616072531f3e15cbe9d266cc0e3",
	  "f290c02eec39d7913f627756f378e90f7af4a8532eae3039434799fed80aef03",
	  "dff0b3a65fa1c9a249b043ecdd4e7622a313ed1babc12644ef6e9c5adccb1af4",
	  "8f2ef4934baaf34777df279de83e2f2fc55d96203c45442329a7599da6cc194d" },
	{ "c2025471f166a9f4b1d22129912c52a7bb67ba448c2620ad72501a446e0403ff"
	  "eece0f3108a8bcb963040345d841fc7c38adf634fcbfc8b1f9acef0364a845f4",
	  "7fbac8f8c7a456ac279f14b8e74d736e50ae14faca9847337795716c27bcd0f5"
	  "d7d8a3718c74d6f588ed507aeef90569a01c114af15f2a679d9a21d107962606",
	  "cb20495cdcfe5182e53529adba94f3b7a49d00a990ca8d10e66e10b99ae27478"
	  "a0fd4a77dd559f77d3ddfe7816497a25a2c575b2ba0db7affccbce6b6049e1f0",
	  "bad49ee28197eafe9a6eed2b2311955245180b7063574a123f9a987d0c431bbb"
	  "07edf9736f3e24fb3f9520caf0968d2e5e5b110c730f51dd4ce531d0688f621a",
	  "82fff6fb4c87f8f7a9af6a1c9a0030c1e556eb30db18ba55bb9c33e0939cda0e"
	  "00a7b8782f4be020b8d4dd1dee7a6d6d37ad725ba333f53882d2ac6bd898f598" },
};
/* test_init_ripas_per_entry(): after the root entry, three blocks, eight pages, a page again. */
static const char *const kat_ripas[4] = {
	"45d49c22e311bf5bf508ddab59d7ae3e184af63a8a4a7daa302d068a7b664a93",
	"aad6e1e76fb1fdc1c4efe594f554f9b945bd9ed8982185c8c1d20ab3bd865561",
	"ef469f6f76f2610f346b32aece88e9039bd45a124d88965c9ed742f496c7fdbf",
	"6c634ce8736967710a763f20761d5e5e847b97875cf8ece90697877a795e0a65",
};
/* test_concurrent_realms(): realm t's RIM at the end. */
static const char *const kat_concurrent[4] = {
	"14c0846d7f3a8b00528c0c31de6e2491b56c398fa1da7d5f58999423f93811f4",
	"9a6a58ee9667230e6e1e75b9d73d247ce3a43f31daaa9fc79fe75316f6313f41"
	"6ec026a3a84a16e523832558ce3350a08163d7649c9515137c872154241a9755",
	"3b5650860ebbdd9e95816a90b46a66b3b9a3e47daffd554adc8ac238e7dee8f3",
	"c0ff5a07c7b5d4ca05749f2efc3651338142518f2d94305840748439a2e20c2e"
	"f34d5fe3efd594c569f0928eed628d20e2bf682630795ff6f885eb5fed2d47a3",
};

static void unhex(const char *s, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(s), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static const uint8_t *rim_of(uint64_t rd)
{
	return ((const struct rd *)fx_ptr(rd))->rim;
}

/* The RD's RIM is the hex value, zero-extended to 64 bytes. */
static void assert_rim(uint64_t rd, const char *hex)
{
	uint8_t want[RIM_SIZE] = { 0 };

	unhex(hex, want, strlen(hex) / 2);
	assert_memory_equal(rim_of(rd), want, RIM_SIZE);
}

static void assert_rim_is(uint64_t rd, const uint8_t *want)
{
	assert_memory_equal(rim_of(rd), want, RIM_SIZE);
}

static unsigned int roots_for(unsigned int s2sz, int sl)
{
	unsigned int bits = (unsigned int)(3 - sl) * 9 + 12 + 9;

	return s2sz <= bits ? 1 : 1U << (s2sz - bits);
}

/* Granules for a realm, its params written (num_bps 2, num_wps 2, hash algo) but not created. */
static void realm_prep(struct fx_realm *r, unsigned int s2sz, int sl, uint16_t vmid, uint8_t algo)
{
	r->s2sz = s2sz;
	r->sl = sl;
	r->vmid = vmid;
	r->nroot = roots_for(s2sz, sl);
	r->rtt_base = fx_del_run(r->nroot, r->nroot * G);
	r->rd = fx_del();
	r->params = fx_ns();
	fx_realm_params(r->params, s2sz, sl, r->nroot, r->rtt_base, vmid);
	struct rmi_realm_params *p = fx_ptr(r->params);
	p->num_bps = 2;
	p->num_wps = 2;
	p->hash_algo = algo;
}

static uint64_t realm_create(const struct fx_realm *r)
{
	return fx_rmi(RMI_REALM_CREATE, r->rd, r->params, 0, 0, 0, NULL);
}

/* §3.7's realm: s2sz 41 (start level 1, four concatenated roots), 2 BPs, 2 WPs. */
static void kat_realm(struct fx_realm *r, uint8_t algo)
{
	realm_prep(r, 41, 1, 1, algo);
	assert_int_equal(realm_create(r), RMI_SUCCESS);
}

/* An NS source granule, every byte fill. */
static uint64_t ns_fill(unsigned char fill)
{
	uint64_t src = fx_ns();

	memset(fx_ptr(src), fill, G);
	return src;
}

/* RmiRecParams in a fresh NS granule with fresh aux granules: gprs x0 = x0, x1..x7 = 0. */
static uint64_t rec_params(uint64_t mpidr, uint64_t flags, uint64_t pc, uint64_t x0)
{
	uint64_t aux[RMI_REC_MAX_AUX], params = fx_ns();

	for (unsigned int i = 0; i < RMM_REC_AUX_COUNT; i++)
		aux[i] = fx_del();
	fx_rec_params(params, mpidr, flags, pc, RMM_REC_AUX_COUNT, aux);
	struct rmi_rec_params *p = fx_ptr(params);
	memset(p->gprs, 0, sizeof(p->gprs));
	p->gprs[0] = x0;
	return params;
}

static uint64_t rec_create(uint64_t rd, uint64_t params)
{
	return fx_rmi(RMI_REC_CREATE, rd, fx_del(), params, 0, 0, NULL);
}

static uint64_t data_create(uint64_t rd, uint64_t ipa, uint64_t src, uint64_t flags)
{
	return fx_rmi(RMI_DATA_CREATE, rd, fx_del(), ipa, src, flags, NULL);
}

/* Steps 2-4 of §3.7 on a created realm, checking the RIM after each RMI command. */
static void kat_steps(const struct fx_realm *r, uint8_t algo)
{
	const char *const *want = kat(algo);
	uint64_t out[5];

	/* RTT_CREATE is not measured. */
	fx_rtts(r->rd, KAT_BASE, r->sl + 1, 2);
	assert_rim(r->rd, want[0]);
	/* One 2 MiB level-2 entry: one RIPAS descriptor. */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r->rd, KAT_BASE, KAT_TOP, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], KAT_TOP);
	assert_rim(r->rd, want[1]);
	/* Unfolding the RAM block into pages is not measured either. */
	assert_int_equal(fx_rtt(r->rd, KAT_BASE, 3, NULL), RMI_SUCCESS);
	assert_rim(r->rd, want[1]);
	assert_int_equal(data_create(r->rd, KAT_BASE, ns_fill(0), RMI_MEASURE_CONTENT), RMI_SUCCESS);
	assert_rim(r->rd, want[2]);
	uint64_t params = rec_params(0, RMI_REC_FLAGS_RUNNABLE, KAT_BASE, KAT_TOP);
	assert_int_equal(rec_create(r->rd, params), RMI_SUCCESS);
	assert_rim(r->rd, want[3]);
	/* REALM_ACTIVATE seals it; the RD keeps it for RSI_MEASUREMENT_READ. */
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_rim(r->rd, want[3]);
}

static void run_kat(uint8_t algo)
{
	struct fx_realm r;

	kat_realm(&r, algo);
	assert_int_equal(((const struct rd *)fx_ptr(r.rd))->hash_algo, algo);
	assert_rim(r.rd, kat(algo)[0]);
	kat_steps(&r, algo);
}

static void test_kat_sha256(void **state)
{
	(void)state;
	run_kat(RMI_HASH_SHA_256);
}

static void test_kat_sha512(void **state)
{
	(void)state;
	run_kat(RMI_HASH_SHA_512);
}

/* ------------------------------------------------------------------ what is not measured */

static void test_realm_params_unmeasured(void **state)
{
	struct fx_realm a, b;

	(void)state;
	/* Start level 0 with one root instead of 1 with four, another VMID, RPV and reserved bytes. */
	realm_prep(&a, 41, 0, 9, RMI_HASH_SHA_256);
	struct rmi_realm_params *p = fx_ptr(a.params);
	memset(p->rpv, 0x99, sizeof(p->rpv));
	memset(p->res008, 0xff, sizeof(p->res008));
	memset(p->res014, 0xff, sizeof(p->res014));
	memset(p->res01c, 0xff, sizeof(p->res01c));
	memset(p->res024, 0xff, sizeof(p->res024));
	memset(p->res02c, 0xff, sizeof(p->res02c));
	memset(p->res031, 0xff, sizeof(p->res031));
	memset(p->res440, 0xff, sizeof(p->res440));
	memset(p->res81c, 0xff, sizeof(p->res81c));
	assert_int_equal(realm_create(&a), RMI_SUCCESS);
	assert_rim(a.rd, kat_sha256[0]);
	kat_steps(&a, RMI_HASH_SHA_256);

	/* A measured field does change it: num_wps 1. */
	realm_prep(&b, 41, 1, 10, RMI_HASH_SHA_256);
	((struct rmi_realm_params *)fx_ptr(b.params))->num_wps = 1;
	assert_int_equal(realm_create(&b), RMI_SUCCESS);
	assert_rim(b.rd, kat_params_num_wps_1);
	assert_memory_not_equal(rim_of(b.rd), rim_of(a.rd), 32);
}

static void run_unmeasured_events(uint8_t algo)
{
	const char *const *want = kat(algo), *const *ev = kat_events[algo == RMI_HASH_SHA_512];
	struct fx_realm r;

	kat_realm(&r, algo);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 2, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, KAT_BASE, KAT_TOP, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 3, NULL), RMI_SUCCESS);
	assert_rim(r.rd, want[1]);

	/* DATA_CREATE_UNKNOWN and a non-runnable REC: no change. */
	assert_int_equal(fx_data_unknown(r.rd, KAT_BASE + G, NULL), RMI_SUCCESS);
	assert_rim(r.rd, want[1]);
	assert_int_equal(rec_create(r.rd, rec_params(0, 0, KAT_BASE, KAT_TOP)), RMI_SUCCESS);
	assert_rim(r.rd, want[1]);

	/* Without RMI_MEASURE_CONTENT: the IPA and flags only (content hash field zero). */
	assert_int_equal(data_create(r.rd, KAT_BASE + 2 * G, ns_fill(0x5a), RMI_NO_MEASURE_CONTENT),
			 RMI_SUCCESS);
	assert_rim(r.rd, ev[0]);
	/* With it: the content too. */
	assert_int_equal(data_create(r.rd, KAT_BASE + 3 * G, ns_fill(0x5a), RMI_MEASURE_CONTENT),
			 RMI_SUCCESS);
	assert_rim(r.rd, ev[1]);
	/*
	 * Reserved flag bits (RmiDataFlags 63:1, SBZ) are no failure: bit 0 alone
	 * measures the content, and the descriptor records the flags as given.
	 */
	assert_int_equal(data_create(r.rd, KAT_BASE + 5 * G, ns_fill(0x5a), 0x8000000000000003UL),
			 RMI_SUCCESS);
	assert_rim(r.rd, ev[2]);
	assert_int_equal(data_create(r.rd, KAT_BASE + 6 * G, ns_fill(0x5a), 2), RMI_SUCCESS);
	assert_rim(r.rd, ev[3]);

	/* A runnable REC 1: flags, pc and x0..x7 measured, MPIDR and aux not. */
	uint64_t params = rec_params(1, RMI_REC_FLAGS_RUNNABLE, 0x40001234, 0);
	struct rmi_rec_params *p = fx_ptr(params);
	for (unsigned int i = 0; i < 8; i++)
		p->gprs[i] = 0x1111111111111111UL * (i + 1);
	assert_int_equal(rec_create(r.rd, params), RMI_SUCCESS);
	assert_rim(r.rd, ev[4]);

	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_rim(r.rd, ev[4]);
	/* After activation: unmeasured DATA_CREATE_UNKNOWN still works and changes nothing. */
	assert_int_equal(fx_data_unknown(r.rd, KAT_BASE + 4 * G, NULL), RMI_SUCCESS);
	assert_rim(r.rd, ev[4]);
}

static void test_unmeasured_events_sha256(void **state)
{
	(void)state;
	run_unmeasured_events(RMI_HASH_SHA_256);
}

static void test_unmeasured_events_sha512(void **state)
{
	(void)state;
	run_unmeasured_events(RMI_HASH_SHA_512);
}

/* ------------------------------------------------------------------ RTT_INIT_RIPAS */

static void test_init_ripas_per_entry(void **state)
{
	struct fx_realm r;
	uint64_t out[5];

	(void)state;
	kat_realm(&r, RMI_HASH_SHA_256);

	/* A root (level 1) entry: [0, 1 GiB) is one descriptor. */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, 0, L1, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], L1);
	assert_rim(r.rd, kat_ripas[0]);

	/* Three 2 MiB entries: three descriptors, in ascending order. */
	assert_int_equal(fx_rtt(r.rd, L1, 2, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, L1, L1 + 3 * L2, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], L1 + 3 * L2);
	assert_rim(r.rd, kat_ripas[1]);

	/*
	 * Pages: only a TABLE entry ends the range (B4.3.18 walk_top,
	 * RttSkipEntriesWithRipas(..., FALSE)), so a DATA_CREATE_UNKNOWN page
	 * inside it becomes RAM too, and all eight entries are measured.
	 */
	uint64_t base = 2 * L1;
	fx_rtts(r.rd, base, 2, 3);
	assert_int_equal(fx_data_unknown(r.rd, base + 2 * G, NULL), RMI_SUCCESS);
	assert_rim(r.rd, kat_ripas[1]);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, base, base + 8 * G, 0, 0, out), RMI_SUCCESS);
	assert_int_equal(out[1], base + 8 * G);
	assert_rim(r.rd, kat_ripas[2]);

	/* Entries already RAM are processed, so measured, again (B4.3.18: every entry in [base, walk_top)).
	 */
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, base, base + G, 0, 0, out), RMI_SUCCESS);
	assert_rim(r.rd, kat_ripas[3]);
}

/* ------------------------------------------------------------------ failures */

static void test_failed_commands_leave_rim(void **state)
{
	uint8_t rim[RIM_SIZE];
	struct fx_realm r, bad;
	uint64_t out[5];

	(void)state;
	kat_realm(&r, RMI_HASH_SHA_256);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 2, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, KAT_BASE, KAT_TOP, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 3, NULL), RMI_SUCCESS);
	assert_int_equal(data_create(r.rd, KAT_BASE, ns_fill(0), RMI_MEASURE_CONTENT), RMI_SUCCESS);
	assert_rim(r.rd, kat_sha256[2]);
	memcpy(rim, rim_of(r.rd), RIM_SIZE);

	/* Everything a command needs is handed out before the snapshot. */
	uint64_t data = fx_del(), src = ns_fill(0x11), rec = fx_del();
	uint64_t bad_mpidr = rec_params(1, RMI_REC_FLAGS_RUNNABLE, KAT_BASE, KAT_TOP);
	uint64_t rec0 = rec_params(0, RMI_REC_FLAGS_RUNNABLE, KAT_BASE, KAT_TOP);
	realm_prep(&bad, 41, 1, 5, 2); /* hash_algo 2: invalid */
	const struct {
		const char *what;
		uint64_t fid, a1, a2, a3, a4, a5, ret;
	} cases[] = {
		{ "DATA_CREATE over an assigned page", RMI_DATA_CREATE, r.rd, data, KAT_BASE, src,
		  RMI_MEASURE_CONTENT, RET(RMI_ERROR_RTT, 3) },
		{ "DATA_CREATE flags 3 over an assigned page", RMI_DATA_CREATE, r.rd, data, KAT_BASE, src, 3,
		  RET(RMI_ERROR_RTT, 3) },
		{ "DATA_CREATE outside the PAR", RMI_DATA_CREATE, r.rd, data, 1UL << 40, src, 0,
		  RMI_ERROR_INPUT },
		{ "DATA_CREATE without a level-3 RTT", RMI_DATA_CREATE, r.rd, data, KAT_TOP, src, 1,
		  RET(RMI_ERROR_RTT, 2) },
		{ "INIT_RIPAS without the RTT", RMI_RTT_INIT_RIPAS, r.rd, 2 * L1, 2 * L1 + L2, 0, 0,
		  RET(RMI_ERROR_RTT, 1) },
		{ "INIT_RIPAS over an assigned page", RMI_RTT_INIT_RIPAS, r.rd, KAT_BASE, KAT_TOP, 0, 0,
		  RET(RMI_ERROR_RTT, 3) },
		{ "INIT_RIPAS empty range", RMI_RTT_INIT_RIPAS, r.rd, KAT_TOP, KAT_TOP, 0, 0,
		  RMI_ERROR_INPUT },
		{ "REC_CREATE with the wrong MPIDR", RMI_REC_CREATE, r.rd, rec, bad_mpidr, 0, 0,
		  RMI_ERROR_INPUT },
		{ "REALM_CREATE with hash_algo 2", RMI_REALM_CREATE, bad.rd, bad.params, 0, 0, 0,
		  RMI_ERROR_INPUT },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_snap();
		if (fx_rmi(cases[i].fid, cases[i].a1, cases[i].a2, cases[i].a3, cases[i].a4, cases[i].a5,
			   NULL) != cases[i].ret)
			fail_msg("%s: unexpected status", cases[i].what);
		fx_snap_check(cases[i].what);
		assert_rim_is(r.rd, rim);
	}
	assert_true(fx_is_zero(bad.rd)); /* no RIM written into a refused RD */

	/* Sealed: every measured command is refused and the RIM stays. */
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	fx_snap();
	assert_int_equal(fx_rmi(RMI_DATA_CREATE, r.rd, data, KAT_BASE + G, src, 1, NULL), RMI_ERROR_REALM);
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, r.rd, KAT_BASE, KAT_TOP, 0, 0, out), RMI_ERROR_REALM);
	assert_int_equal(fx_rmi(RMI_REC_CREATE, r.rd, rec, rec0, 0, 0, NULL), RMI_ERROR_REALM);
	fx_snap_check("measured commands after REALM_ACTIVATE");
	assert_rim_is(r.rd, rim);
}

static void test_hash_failure_panics(void **state)
{
	uint8_t rim[RIM_SIZE];
	struct fx_realm r, r2;

	(void)state;
	kat_realm(&r, RMI_HASH_SHA_256);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 2, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rtt(r.rd, KAT_BASE, 3, NULL), RMI_SUCCESS);
	memcpy(rim, rim_of(r.rd), RIM_SIZE);
	uint64_t data = fx_del(), src = ns_fill(0);
	realm_prep(&r2, 41, 1, 2, RMI_HASH_SHA_512);

	host_crypto_fail(1);
	unsigned long before = host_crypto_inits();
	EXPECT_PANIC(fx_rmi(RMI_DATA_CREATE, r.rd, data, KAT_BASE, src, RMI_MEASURE_CONTENT, NULL));
	host_crypto_fail(0);
	assert_true(host_crypto_inits() > before);
	assert_non_null(strstr(fake_panic_msg, "DATA_CREATE"));
	assert_rim_is(r.rd, rim);
	/* The measure lock was released before the panic: another realm is measured. */
	assert_int_equal(realm_create(&r2), RMI_SUCCESS);
	assert_rim(r2.rd, kat_sha512[0]);
}

/* ------------------------------------------------------------------ concurrency */

#define NREALMS 4
#define NPAGES 8

struct job {
	struct fx_realm r;
	uint8_t algo;
	uint64_t rtt2, rtt3, data[NPAGES], src[NPAGES], rec, rec_params;
	uint64_t fails;
};

static void call(struct job *j, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t r[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };

	rmi_dispatch(r);
	if (r[0] != RMI_SUCCESS)
		j->fails++;
}

static void *worker(void *arg)
{
	struct job *j = arg;

	call(j, RMI_REALM_CREATE, j->r.rd, j->r.params, 0, 0, 0);
	call(j, RMI_RTT_CREATE, j->r.rd, j->rtt2, KAT_BASE, 2, 0);
	call(j, RMI_RTT_INIT_RIPAS, j->r.rd, KAT_BASE, KAT_TOP, 0, 0);
	call(j, RMI_RTT_CREATE, j->r.rd, j->rtt3, KAT_BASE, 3, 0);
	for (unsigned int i = 0; i < NPAGES; i++)
		call(j, RMI_DATA_CREATE, j->r.rd, j->data[i], KAT_BASE + i * G, j->src[i],
		     RMI_MEASURE_CONTENT);
	call(j, RMI_REC_CREATE, j->r.rd, j->rec, j->rec_params, 0, 0);
	return NULL;
}

static void test_concurrent_realms(void **state)
{
	static struct job jobs[NREALMS];
	pthread_t th[NREALMS];

	(void)state;
	for (unsigned int t = 0; t < NREALMS; t++) {
		struct job *j = &jobs[t];

		memset(j, 0, sizeof(*j));
		j->algo = t & 1 ? RMI_HASH_SHA_512 : RMI_HASH_SHA_256;
		realm_prep(&j->r, 41, 1, (uint16_t)(t + 1), j->algo);
		j->rtt2 = fx_del();
		j->rtt3 = fx_del();
		for (unsigned int i = 0; i < NPAGES; i++) {
			j->data[i] = fx_del();
			j->src[i] = ns_fill(i ? (unsigned char)(t * 16 + i) : 0);
		}
		j->rec = fx_del();
		j->rec_params = rec_params(0, RMI_REC_FLAGS_RUNNABLE, KAT_BASE, KAT_TOP);
	}
	fake_mem_yield(1);
	for (unsigned int t = 0; t < NREALMS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, worker, &jobs[t]), 0);
	for (unsigned int t = 0; t < NREALMS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	fake_mem_yield(0);
	fx_assert_unlocked();

	for (unsigned int t = 0; t < NREALMS; t++) {
		const struct job *j = &jobs[t];
		assert_int_equal(j->fails, 0);
		assert_rim(j->r.rd, kat_concurrent[t]);
	}
}

/* The fixture, with the host hash working (a failed test may have left it failing). */
static int setup(void **state)
{
	host_crypto_fail(0);
	return fx_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kat_sha256, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_kat_sha512, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_params_unmeasured, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmeasured_events_sha256, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmeasured_events_sha512, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_init_ripas_per_entry, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_failed_commands_leave_rim, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hash_failure_panics, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_realms, setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
