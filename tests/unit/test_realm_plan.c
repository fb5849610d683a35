/*
 * lib/realm_plan.c and lib/realm_rim.c: the realm build sequence (the steps,
 * their order, the RMI parameters, the metadata bound) and the RIM partc
 * predicts from it. The oracle for the RIM is the reference's §3.7 known
 * answers (computed independently of lib/measure.c), reached through a
 * partition-table entry, not through lib/measure's own step functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/realm_plan.h>
#include <lib/realm_rim.h>
#include "../../tools/refvalues/hash_host.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int b;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

/* Zero pages: every image of these tests is all zeros. */
static unsigned int reads;
static int read_zero(void *ctx, const struct rampart_image *img, uint64_t offset, uint64_t len, uint8_t *page)
{
	(void)ctx;
	(void)img;
	(void)offset;
	assert_true(len > 0 && len <= REALM_GRANULE);
	memset(page, 0, REALM_GRANULE);
	reads++;
	return 0;
}

static int read_fail(void *ctx, const struct rampart_image *img, uint64_t offset, uint64_t len, uint8_t *page)
{
	(void)ctx;
	(void)img;
	(void)offset;
	(void)len;
	(void)page;
	return -1;
}

/*
 * The §3.7 realm as a partition: s2sz 41, 2/2 debug registers, RAM one 2 MiB
 * block at 0x40000000, one zero page at its base as the "kernel", REC 0 at
 * pc 0x40000000 with x0 = 0x40200000 (the DTB's IPA; the DTB itself absent).
 */
static struct rampart_partition kat_partition(uint32_t hash)
{
	struct rampart_partition p;

	memset(&p, 0, sizeof(p));
	p.kind = RAMPART_KIND_REALM;
	p.nr_vcpus = 1;
	p.nr_mem = 1;
	p.mem[0] = (struct rampart_region){ 0x40000000, 0x60000000, 2 * MiB, RAMPART_MEM_RAM, 0 };
	p.entry_ipa = 0x40000000;
	p.kernel = (struct rampart_image){ 0x40000000, 0x58000000, REALM_GRANULE };
	p.dtb = (struct rampart_image){ 0x40200000, 0, 0 };
	p.realm.hash_algo = hash;
	p.realm.ipa_bits = 41;
	p.realm.num_bps = 2;
	p.realm.num_wps = 2;
	return p;
}

static void test_rim_known_answer_sha256(void **state)
{
	struct rampart_partition p = kat_partition(RMI_HASH_SHA_256);
	uint8_t rim[MEASURE_SIZE], want[32];

	(void)state;
	reads = 0;
	assert_int_equal(realm_rim(&p, &hash_host_ops, read_zero, NULL, rim), 0);
	unhex("5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf", want, sizeof(want));
	assert_memory_equal(rim, want, sizeof(want));
	for (unsigned int i = 32; i < MEASURE_SIZE; i++)
		assert_int_equal(rim[i], 0);
	assert_int_equal(reads, 1);
}

/* The same chain with SHA-512 (tests/host/measure_model.py, also in test_measure.c). */
static void test_rim_known_answer_sha512(void **state)
{
	struct rampart_partition p = kat_partition(RMI_HASH_SHA_512);
	uint8_t rim[MEASURE_SIZE], want[64];

	(void)state;
	assert_int_equal(realm_rim(&p, &hash_host_ops, read_zero, NULL, rim), 0);
	unhex("ddee122caf034d48d6d1e796e4f463ea213f1af7dbf370d689e2b8a0ebff59b0"
	      "c6d94778597d074055c879641e9efd80c6f955d8b27a08cd95420c6b1bdf3c20",
	      want, sizeof(want));
	assert_memory_equal(rim, want, sizeof(want));
}

static void test_rim_errors(void **state)
{
	struct rampart_partition p = kat_partition(RMI_HASH_SHA_256);
	uint8_t rim[MEASURE_SIZE];

	(void)state;
	assert_int_equal(realm_rim(&p, &hash_host_ops, read_fail, NULL, rim), REALM_RIM_ERR_READ);
	p.realm.ipa_bits = 49;
	assert_int_equal(realm_rim(&p, &hash_host_ops, read_zero, NULL, rim), REALM_RIM_ERR_GEOMETRY);
	p.realm.ipa_bits = 41;
	p.realm.hash_algo = 7;
	assert_int_equal(realm_rim(&p, &hash_host_ops, read_zero, NULL, rim), MEASURE_ERR_ALGO);
}

static void test_geometry(void **state)
{
	struct rampart_partition p = kat_partition(RMI_HASH_SHA_256);
	struct realm_geometry g;
	static const struct {
		uint32_t bits;
		int sl;
		unsigned int root;
	} cases[] = { { 32, 2, 4 }, { 33, 2, 8 },  { 34, 2, 16 }, { 35, 1, 1 }, { 39, 1, 1 },
		      { 40, 1, 2 }, { 43, 1, 16 }, { 44, 0, 1 },  { 48, 0, 1 } };

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.realm.ipa_bits = cases[i].bits;
		assert_int_equal(realm_plan_geometry(&p, &g), 0);
		assert_int_equal(g.start_level, cases[i].sl);
		assert_int_equal(g.num_root, cases[i].root);
		assert_true(g.unprotected == 1ULL << (cases[i].bits - 1));
	}
	p.realm.ipa_bits = 31;
	assert_int_equal(realm_plan_geometry(&p, &g), -1);
}

/* Two RAM regions listed out of order, three images listed out of order, two vCPUs. */
static struct rampart_partition two_regions(void)
{
	struct rampart_partition p;

	memset(&p, 0, sizeof(p));
	p.kind = RAMPART_KIND_REALM;
	p.id = 3;
	p.nr_vcpus = 2;
	p.nr_mem = 2;
	p.mem[0] = (struct rampart_region){ 0x80000000, 0x70000000, 4 * MiB, RAMPART_MEM_RAM, 0 };
	p.mem[1] = (struct rampart_region){ 0x40000000, 0x60000000, 8 * MiB, RAMPART_MEM_RAM, 0 };
	p.entry_ipa = 0x40000000;
	p.kernel = (struct rampart_image){ 0x40000000, 0x58000000, 5000 };
	p.dtb = (struct rampart_image){ 0x40600000, 0x58010000, 100 };
	p.initrd = (struct rampart_image){ 0x40200000, 0x58004000, 2 * REALM_GRANULE };
	p.realm.ipa_bits = 40;
	p.realm.num_bps = 2;
	p.realm.num_wps = 3;
	p.realm.hash_algo = RMI_HASH_SHA_512;
	p.realm.rpv[0] = 0xab;
	p.realm.rpv[63] = 0xcd;
	return p;
}

static void test_sequence_order(void **state)
{
	struct rampart_partition p = two_regions();
	struct realm_plan it;
	struct realm_step s;
	/* kind, base/ipa, top/len, image */
	static const struct {
		enum realm_step_kind kind;
		uint64_t a, b;
		int image; /* 0 kernel, 1 initrd, 2 dtb, -1 none */
		uint64_t offset;
	} want[] = {
		{ REALM_STEP_CREATE, 0, 0, -1, 0 },
		{ REALM_STEP_INIT_RIPAS, 0x40000000, 0x40800000, -1, 0 },
		{ REALM_STEP_INIT_RIPAS, 0x80000000, 0x80400000, -1, 0 },
		{ REALM_STEP_DATA, 0x40000000, REALM_GRANULE, 0, 0 },
		{ REALM_STEP_DATA, 0x40001000, 5000 - REALM_GRANULE, 0, REALM_GRANULE },
		{ REALM_STEP_DATA, 0x40200000, REALM_GRANULE, 1, 0 },
		{ REALM_STEP_DATA, 0x40201000, REALM_GRANULE, 1, REALM_GRANULE },
		{ REALM_STEP_DATA, 0x40600000, 100, 2, 0 },
		{ REALM_STEP_REC, 0, 0, -1, 0 },
		{ REALM_STEP_REC, 1, 0, -1, 0 },
		{ REALM_STEP_POPULATE, 0x40000000, 0x40800000, -1, 0 },
		{ REALM_STEP_POPULATE, 0x80000000, 0x80400000, -1, 0 },
		{ REALM_STEP_ACTIVATE, 0, 0, -1, 0 },
	};
	const struct rampart_image *images[3] = { &p.kernel, &p.initrd, &p.dtb };

	(void)state;
	realm_plan_init(&it, &p);
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(realm_plan_next(&it, &s), 1);
		assert_int_equal(s.kind, want[i].kind);
		switch (s.kind) {
		case REALM_STEP_INIT_RIPAS:
		case REALM_STEP_POPULATE:
			assert_true(s.base == want[i].a && s.top == want[i].b);
			break;
		case REALM_STEP_DATA:
			assert_true(s.ipa == want[i].a && s.len == want[i].b && s.offset == want[i].offset);
			assert_ptr_equal(s.image, images[want[i].image]);
			break;
		case REALM_STEP_REC:
			assert_int_equal(s.rec, want[i].a);
			break;
		default:
			break;
		}
	}
	assert_int_equal(realm_plan_next(&it, &s), 0);
	assert_int_equal(realm_plan_next(&it, &s), 0);
}

static void test_rmi_params(void **state)
{
	struct rampart_partition p = two_regions();
	static struct rmi_realm_params rp;
	static struct rmi_rec_params rec;
	struct realm_geometry g;

	(void)state;
	assert_int_equal(realm_plan_geometry(&p, &g), 0);
	memset(&rp, 0x5a, sizeof(rp));
	realm_plan_realm_params(&p, &g, &rp);
	assert_int_equal(rp.flags, 0);
	assert_int_equal(rp.s2sz, 40);
	assert_int_equal(rp.num_bps, 2);
	assert_int_equal(rp.num_wps, 3);
	assert_int_equal(rp.hash_algo, RMI_HASH_SHA_512);
	assert_int_equal(rp.rpv[0], 0xab);
	assert_int_equal(rp.rpv[63], 0xcd);
	assert_int_equal(rp.rtt_level_start, 1);
	assert_int_equal(rp.rtt_num_start, 2);
	assert_int_equal(rp.vmid, 0);
	assert_int_equal(rp.rtt_base, 0);
	assert_int_equal(rp.sve_vl, 0);
	assert_int_equal(rp.res440[0], 0);
	memset(&rec, 0x5a, sizeof(rec));
	realm_plan_rec_params(&p, 0, &rec);
	assert_int_equal(rec.flags, RMI_REC_FLAGS_RUNNABLE);
	assert_int_equal(rec.mpidr, 0);
	assert_true(rec.pc == 0x40000000 && rec.gprs[0] == 0x40600000);
	for (unsigned int i = 1; i < 8; i++)
		assert_int_equal(rec.gprs[i], 0);
	assert_int_equal(rec.num_aux, 0);
	realm_plan_rec_params(&p, 1, &rec);
	assert_true(rec.flags == 0 && rec.mpidr == 1 && rec.pc == 0 && rec.gprs[0] == 0);
}

static void test_metadata_bound(void **state)
{
	struct rampart_partition p = two_regions();
	struct rampart_shm shm[2];
	struct realm_geometry g;

	(void)state;
	assert_int_equal(realm_plan_geometry(&p, &g), 0);
	/*
	 * RD 1, root 2. RAM 8 MiB at 1 GiB: one L2, four L3; 4 MiB at 2 GiB: one L2, two L3.
	 * The same again for the unprotected aliases. Two RECs with 16 aux each. Host pages: two
	 * RecRun pages, the parameter page and the bounce page.
	 */
	uint64_t ram = (1 + 4) + (1 + 2);
	assert_true(realm_plan_metadata_granules(&p, &g, NULL, 0) == 1 + 2 + 2 * ram + 2 * 17 + 4);
	memset(shm, 0, sizeof(shm));
	shm[0] = (struct rampart_shm){ .ipa = 0x20000000, .size = 3 * MiB, .peer = { 0, 3 } };
	shm[1] = (struct rampart_shm){ .ipa = 0x30000000, .size = 64 * 1024, .peer = { 1, 2 } };
	/* Only the region this realm (id 3) is a peer of: one L2, two L3 over 3 MiB at 512 MiB. */
	assert_true(realm_plan_metadata_granules(&p, &g, shm, 2) == 1 + 2 + 2 * ram + 3 + 2 * 17 + 4);
	/* A region straddling a 1 GiB boundary needs a second L2. */
	p.nr_mem = 1;
	p.mem[0] = (struct rampart_region){ 0x7fe00000, 0x70000000, 4 * MiB, RAMPART_MEM_RAM, 0 };
	assert_true(realm_plan_metadata_granules(&p, &g, NULL, 0) == 1 + 2 + 2 * (2 + 2) + 2 * 17 + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rim_known_answer_sha256),
		cmocka_unit_test(test_rim_known_answer_sha512),
		cmocka_unit_test(test_rim_errors),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_sequence_order),
		cmocka_unit_test(test_rmi_params),
		cmocka_unit_test(test_metadata_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
