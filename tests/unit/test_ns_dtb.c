/*
 * monitor/ns_dtb.c: the external payload's device tree, fixed up from a QEMU-like tree built
 * here with libfdt's sequential writer (the nodes QEMU 10 puts in its virt tree with
 * secure=on and -bios: docs/external-payload.md). /memory without the carve-outs, /psci,
 * enable-method, Secure and Root-only nodes removed with their aliases, /chosen and the
 * initrd, /memreserve/; errors leave no tree behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>
#include "ns_dtb.h"

#define BUF_SIZE 0x4000
#define DRAM_BASE 0x40000000ULL
#define DRAM_SIZE 0x80000000ULL
#define RMM_SIZE 0x01000000ULL
#define INITRD_START 0x63000000ULL
#define INITRD_END 0x630f8000ULL
#define DTB_WINDOW 0x5ffe0000ULL
#define DTB_WINDOW_SIZE 0x20000ULL

static uint8_t src[BUF_SIZE], dst[BUF_SIZE];

static const struct ns_dtb_range carveouts[] = { { DRAM_BASE, RMM_SIZE } };
static const struct ns_dtb_range root_only[] = {
	{ 0, 0x04000000 },	    /* secure flash */
	{ 0x0e000000, 0x01000000 }, /* secure SRAM */
	{ 0x09040000, 0x1000 },	    /* secure UART */
	{ 0x090b0000, 0x1000 },	    /* secure GPIO */
};

struct tree_opts {
	unsigned int cpus; /* cpu nodes, MPIDR 0..cpus-1 */
	int psci_hvc;	   /* an existing /psci with method "hvc" */
	int no_chosen;	   /* no /chosen at all */
	int stale_initrd;  /* /chosen with linux,initrd-* already */
	uint64_t mem_base, mem_size;
};

static void reg2(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t v[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	assert_int_equal(fdt_property(fdt, "reg", v, sizeof(v)), 0);
}

static void secure_node(void *fdt, const char *name, uint64_t base, int with_reg)
{
	assert_int_equal(fdt_begin_node(fdt, name), 0);
	assert_int_equal(fdt_property_string(fdt, "secure-status", "okay"), 0);
	assert_int_equal(fdt_property_string(fdt, "status", "disabled"), 0);
	if (with_reg)
		reg2(fdt, base, 0x1000);
	assert_int_equal(fdt_end_node(fdt), 0);
}

static void build_tree(const struct tree_opts *o)
{
	void *fdt = src;

	assert_int_equal(fdt_create(fdt, BUF_SIZE), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_property_u32(fdt, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(fdt, "#size-cells", 2), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "linux,dummy-virt"), 0);

	assert_int_equal(fdt_begin_node(fdt, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	reg2(fdt, o->mem_size ? o->mem_base : DRAM_BASE, o->mem_size ? o->mem_size : DRAM_SIZE);
	assert_int_equal(fdt_end_node(fdt), 0);

	assert_int_equal(fdt_begin_node(fdt, "fw-cfg@9020000"), 0);
	reg2(fdt, 0x09020000, 0x18);
	assert_int_equal(fdt_end_node(fdt), 0);
	secure_node(fdt, "gpio-poweroff", 0, 0);
	secure_node(fdt, "pl061@90b0000", 0x090b0000, 1);
	secure_node(fdt, "secram@e000000", 0x0e000000, 1);
	secure_node(fdt, "pl011@9040000", 0x09040000, 1);
	assert_int_equal(fdt_begin_node(fdt, "pl011@9000000"), 0);
	reg2(fdt, 0x09000000, 0x1000);
	assert_int_equal(fdt_end_node(fdt), 0);
	/* Normal world only: secure-status disabled, status okay. */
	assert_int_equal(fdt_begin_node(fdt, "nsonly@a000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "secure-status", "disabled"), 0);
	assert_int_equal(fdt_property_string(fdt, "status", "okay"), 0);
	reg2(fdt, 0x0a000000, 0x200);
	assert_int_equal(fdt_end_node(fdt), 0);
	/* Unmarked, but in Root-only memory (the secure flash). */
	assert_int_equal(fdt_begin_node(fdt, "secflash@0"), 0);
	reg2(fdt, 0, 0x04000000);
	assert_int_equal(fdt_end_node(fdt), 0);
	/* The Normal world's flash right after it stays. */
	assert_int_equal(fdt_begin_node(fdt, "flash@4000000"), 0);
	reg2(fdt, 0x04000000, 0x04000000);
	assert_int_equal(fdt_end_node(fdt), 0);

	assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
	assert_int_equal(fdt_property_u32(fdt, "#address-cells", 1), 0);
	assert_int_equal(fdt_property_u32(fdt, "#size-cells", 0), 0);
	assert_int_equal(fdt_begin_node(fdt, "cpu-map"), 0);
	assert_int_equal(fdt_begin_node(fdt, "core0"), 0);
	assert_int_equal(fdt_property_u32(fdt, "cpu", 0x8001), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	for (unsigned int i = 0; i < o->cpus; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%x", i);
		assert_int_equal(fdt_begin_node(fdt, name), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
		assert_int_equal(fdt_property_u32(fdt, "reg", i), 0);
		assert_int_equal(fdt_property_u32(fdt, "phandle", 0x8001 + i), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);

	if (o->psci_hvc) {
		assert_int_equal(fdt_begin_node(fdt, "psci"), 0);
		assert_int_equal(fdt_property_string(fdt, "compatible", "arm,psci-0.2"), 0);
		assert_int_equal(fdt_property_string(fdt, "method", "hvc"), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_begin_node(fdt, "aliases"), 0);
	assert_int_equal(fdt_property_string(fdt, "serial1", "/pl011@9040000"), 0);
	assert_int_equal(fdt_property_string(fdt, "serial0", "/pl011@9000000"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "secure-chosen"), 0);
	assert_int_equal(fdt_property_string(fdt, "stdout-path", "/pl011@9040000"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	if (!o->no_chosen) {
		assert_int_equal(fdt_begin_node(fdt, "chosen"), 0);
		assert_int_equal(fdt_property_string(fdt, "bootargs", "console=ttyAMA0 rdinit=/init"), 0);
		if (o->stale_initrd) {
			assert_int_equal(fdt_property_u64(fdt, "linux,initrd-start", 0x48000000), 0);
			assert_int_equal(fdt_property_u64(fdt, "linux,initrd-end", 0x48100000), 0);
		}
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
}

static struct ns_dtb_params params(void)
{
	return (struct ns_dtb_params){
		.carveouts = carveouts,
		.nr_carveouts = 1,
		.root_only = root_only,
		.nr_root_only = sizeof(root_only) / sizeof(root_only[0]),
		.nr_cpus = 4,
		.initrd_start = INITRD_START,
		.initrd_end = INITRD_END,
		.reserve_base = DTB_WINDOW,
		.reserve_size = DTB_WINDOW_SIZE,
	};
}

/* The default parameters, for calls that take a pointer. */
static const struct ns_dtb_params *dp(void)
{
	static struct ns_dtb_params p;

	p = params();
	return &p;
}

/* Builds, fixes up and checks the whole result with libfdt's full checker. */
static void prepare_ok(const struct tree_opts *o, const struct ns_dtb_params *p)
{
	const char *step = NULL;

	build_tree(o);
	memset(dst, 0xa5, sizeof(dst));
	int rc = ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), p, &step);
	if (rc < 0)
		fail_msg("%s: %s", step, ns_dtb_strerror(rc));
	assert_int_equal(rc, fdt_totalsize(dst));
	assert_int_equal(fdt_check_full(dst, sizeof(dst)), 0);
	assert_true(fdt_totalsize(dst) < fdt_totalsize(src) + 0x200); /* packed */
}

static void assert_reg(const char *path, const uint64_t *want, int n)
{
	int node = fdt_path_offset(dst, path), len;

	assert_true(node >= 0);
	const fdt64_t *reg = fdt_getprop(dst, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, n * 2 * (int)sizeof(fdt64_t));
	for (int i = 0; i < 2 * n; i++)
		assert_int_equal(fdt64_ld(&reg[i]), want[i]);
}

static void assert_string(const char *path, const char *prop, const char *want)
{
	int node = fdt_path_offset(dst, path);

	assert_true(node >= 0);
	const char *v = fdt_getprop(dst, node, prop, NULL);
	assert_non_null(v);
	assert_string_equal(v, want);
}

static void assert_no_tree(void)
{
	assert_int_not_equal(fdt_magic(dst), FDT_MAGIC);
	assert_int_not_equal(fdt_check_header(dst), 0);
}

static void assert_gone(const char *path)
{
	assert_int_equal(fdt_path_offset(dst, path), -FDT_ERR_NOTFOUND);
}

/* ---------------------------------------------------------------- ranges */

static void test_subtract(void **state)
{
	(void)state;
	struct ns_dtb_range out[NS_DTB_MAX_MEM_RANGES];
	const struct ns_dtb_range mid[] = { { 0x2000, 0x1000 }, { 0x6000, 0x1000 } };
	const struct ns_dtb_range all[] = { { 0x0, 0x10000 } };
	const struct ns_dtb_range edges[] = { { 0x0, 0x1000 }, { 0x7000, 0x5000 } };

	/* Two holes: three pieces in order. */
	assert_int_equal(ns_dtb_subtract(0x1000, 0x7000, mid, 2, out, NS_DTB_MAX_MEM_RANGES), 3);
	assert_int_equal(out[0].base, 0x1000);
	assert_int_equal(out[0].size, 0x1000);
	assert_int_equal(out[1].base, 0x3000);
	assert_int_equal(out[1].size, 0x3000);
	assert_int_equal(out[2].base, 0x7000);
	assert_int_equal(out[2].size, 0x1000);
	/* Covered whole: nothing; cuts over both ends: the middle. */
	assert_int_equal(ns_dtb_subtract(0x1000, 0x7000, all, 1, out, NS_DTB_MAX_MEM_RANGES), 0);
	assert_int_equal(ns_dtb_subtract(0x0, 0x8000, edges, 2, out, NS_DTB_MAX_MEM_RANGES), 1);
	assert_int_equal(out[0].base, 0x1000);
	assert_int_equal(out[0].size, 0x6000);
	/* No cut, a cut elsewhere, an empty cut, an empty range. */
	assert_int_equal(ns_dtb_subtract(0x1000, 0x1000, NULL, 0, out, 1), 1);
	assert_int_equal(ns_dtb_subtract(0x1000, 0x1000, mid, 2, out, 1), 1);
	const struct ns_dtb_range empty[] = { { 0x1800, 0 } };
	assert_int_equal(ns_dtb_subtract(0x1000, 0x1000, empty, 1, out, 1), 1);
	assert_int_equal(out[0].size, 0x1000);
	assert_int_equal(ns_dtb_subtract(0x1000, 0, mid, 2, out, 1), 0);
	/* More pieces than room. */
	assert_int_equal(ns_dtb_subtract(0x1000, 0x7000, mid, 2, out, 2), -1);
	assert_int_equal(ns_dtb_subtract(0x1000, 0x1000, NULL, 0, out, 0), -1);
	/* A range that would wrap ends at the top of the address space. */
	const struct ns_dtb_range low[] = { { 0, 0x1000 } };
	assert_int_equal(ns_dtb_subtract(UINT64_MAX - 0xfff, 0x2000, low, 1, out, 1), 1);
	assert_int_equal(out[0].base, UINT64_MAX - 0xfff);
	assert_int_equal(out[0].size, 0xfff);
}

/* ---------------------------------------------------------------- the fix-ups */

static void test_memory_without_carveout(void **state)
{
	(void)state;
	struct ns_dtb_params p = params();
	prepare_ok(&(struct tree_opts){ .cpus = 4 }, &p);
	const uint64_t want[] = { DRAM_BASE + RMM_SIZE, DRAM_SIZE - RMM_SIZE };
	assert_reg("/memory@41000000", want, 1);
	assert_gone("/memory@40000000");
	assert_string("/memory@41000000", "device_type", "memory");
}

static void test_memory_split_and_removed(void **state)
{
	(void)state;
	const struct ns_dtb_range two[] = { { DRAM_BASE, RMM_SIZE }, { 0x60000000, 0x100000 } };
	struct ns_dtb_params p = params();
	p.carveouts = two;
	p.nr_carveouts = 2;
	prepare_ok(&(struct tree_opts){ .cpus = 4 }, &p);
	const uint64_t want[] = { 0x41000000, 0x1f000000, 0x60100000, 0x5ff00000 };
	assert_reg("/memory@41000000", want, 2);

	/* A memory node entirely in a carve-out goes. */
	prepare_ok(&(struct tree_opts){ .cpus = 4, .mem_base = DRAM_BASE, .mem_size = RMM_SIZE }, dp());
	assert_int_equal(fdt_node_offset_by_prop_value(dst, -1, "device_type", "memory", sizeof("memory")),
			 -FDT_ERR_NOTFOUND);
}

static void test_psci(void **state)
{
	(void)state;
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int len;

	for (int hvc = 0; hvc < 2; hvc++) {
		prepare_ok(&(struct tree_opts){ .cpus = 4, .psci_hvc = hvc }, dp());
		int node = fdt_path_offset(dst, "/psci");
		assert_true(node >= 0);
		const char *c = fdt_getprop(dst, node, "compatible", &len);
		assert_int_equal(len, sizeof(compat));
		assert_memory_equal(c, compat, sizeof(compat));
		assert_string("/psci", "method", "smc");
	}
}

static void test_cpus(void **state)
{
	(void)state;
	prepare_ok(&(struct tree_opts){ .cpus = 4 }, dp());
	for (unsigned int i = 0; i < 4; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		assert_string(path, "enable-method", "psci");
	}
	assert_true(fdt_path_offset(dst, "/cpus/cpu-map") >= 0); /* nothing removed: kept */

	/* Six CPUs in the tree, four in the firmware: two go, and the cpu-map naming them. */
	prepare_ok(&(struct tree_opts){ .cpus = 6 }, dp());
	assert_string("/cpus/cpu@3", "enable-method", "psci");
	assert_gone("/cpus/cpu@4");
	assert_gone("/cpus/cpu@5");
	assert_gone("/cpus/cpu-map");
}

static void test_secure_nodes_removed(void **state)
{
	(void)state;
	prepare_ok(&(struct tree_opts){ .cpus = 4 }, dp());
	assert_gone("/pl011@9040000");
	assert_gone("/pl061@90b0000");
	assert_gone("/gpio-poweroff");
	assert_gone("/secram@e000000");
	assert_gone("/secflash@0");
	assert_gone("/secure-chosen");
	assert_true(fdt_path_offset(dst, "/pl011@9000000") >= 0);
	assert_true(fdt_path_offset(dst, "/nsonly@a000000") >= 0);
	assert_true(fdt_path_offset(dst, "/flash@4000000") >= 0);
	assert_true(fdt_path_offset(dst, "/fw-cfg@9020000") >= 0);
	/* The alias of the secure UART went with it. */
	assert_string("/aliases", "serial0", "/pl011@9000000");
	assert_null(fdt_getprop(dst, fdt_path_offset(dst, "/aliases"), "serial1", NULL));
}

static void test_chosen(void **state)
{
	(void)state;
	int len;

	prepare_ok(&(struct tree_opts){ .cpus = 4 }, dp());
	assert_string("/chosen", "bootargs", "console=ttyAMA0 rdinit=/init");
	int node = fdt_path_offset(dst, "/chosen");
	const fdt64_t *v = fdt_getprop(dst, node, "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt64_ld(v), INITRD_START);
	v = fdt_getprop(dst, node, "linux,initrd-end", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt64_ld(v), INITRD_END);

	/* No /chosen at all: made, with the initrd. */
	prepare_ok(&(struct tree_opts){ .cpus = 4, .no_chosen = 1 }, dp());
	assert_non_null(fdt_getprop(dst, fdt_path_offset(dst, "/chosen"), "linux,initrd-start", NULL));

	/* No initrd loaded: none that the tree had before either. */
	struct ns_dtb_params p = params();
	p.initrd_start = p.initrd_end = 0;
	prepare_ok(&(struct tree_opts){ .cpus = 4, .stale_initrd = 1 }, &p);
	node = fdt_path_offset(dst, "/chosen");
	assert_null(fdt_getprop(dst, node, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dst, node, "linux,initrd-end", NULL));
	assert_string("/chosen", "bootargs", "console=ttyAMA0 rdinit=/init");
}

static void test_memreserve(void **state)
{
	(void)state;
	uint64_t base, size;

	prepare_ok(&(struct tree_opts){ .cpus = 4 }, dp());
	assert_int_equal(fdt_num_mem_rsv(dst), 1);
	assert_int_equal(fdt_get_mem_rsv(dst, 0, &base, &size), 0);
	assert_int_equal(base, DTB_WINDOW);
	assert_int_equal(size, DTB_WINDOW_SIZE);

	struct ns_dtb_params p = params();
	p.reserve_size = 0;
	prepare_ok(&(struct tree_opts){ .cpus = 4 }, &p);
	assert_int_equal(fdt_num_mem_rsv(dst), 0);
}

/*
 * QEMU's tree claims 1 MiB (its totalsize), nearly all free space: it must fit a window that
 * holds what its blocks use. Here the source claims the whole buffer, the window is half.
 */
static void test_source_free_space(void **state)
{
	(void)state;
	const char *step;

	build_tree(&(struct tree_opts){ .cpus = 4 });
	assert_int_equal(fdt_open_into(src, src, sizeof(src)), 0);
	assert_int_equal(fdt_totalsize(src), sizeof(src));
	int rc = ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst) / 2, dp(), &step);
	if (rc < 0)
		fail_msg("%s: %s", step, ns_dtb_strerror(rc));
	assert_int_equal(fdt_check_full(dst, sizeof(dst) / 2), 0);
	assert_string("/psci", "method", "smc");

	/* A version 16 tree (no struct size in its header) that claims more than the window. */
	fdt_set_version(src, 16);
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst) / 2, dp(), &step),
			 -FDT_ERR_BADVERSION);
	assert_no_tree();
}

/* Running the fix-up on its own output changes nothing: a reset hands the payload the same tree. */
static void test_idempotent(void **state)
{
	(void)state;
	static uint8_t again[BUF_SIZE];
	const char *step;
	struct ns_dtb_params p = params();

	prepare_ok(&(struct tree_opts){ .cpus = 6 }, &p);
	p.reserve_size = 0; /* the entry is there already */
	assert_int_equal(ns_dtb_prepare(dst, sizeof(dst), again, sizeof(again), &p, &step),
			 fdt_totalsize(dst));
	assert_int_equal(fdt_totalsize(again), fdt_totalsize(dst));
	assert_memory_equal(again, dst, fdt_totalsize(dst));
}

/* ---------------------------------------------------------------- errors */

static void test_error_bad_magic(void **state)
{
	(void)state;
	const char *step;

	memset(src, 0, sizeof(src)); /* what the base of RAM holds without QEMU's tree */
	build_tree(&(struct tree_opts){ .cpus = 4 });
	memcpy(dst, src, sizeof(dst));
	memset(src, 0, 4);
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), dp(), &step), -FDT_ERR_BADMAGIC);
	assert_string_equal(step, "reading QEMU's tree");
	assert_no_tree();
	/* Too little source to hold even a header. */
	assert_int_equal(ns_dtb_prepare(src, 8, dst, sizeof(dst), dp(), &step), -FDT_ERR_BADMAGIC);
}

static void test_error_bad_header(void **state)
{
	(void)state;
	const char *step;

	build_tree(&(struct tree_opts){ .cpus = 4 });
	fdt_set_version(src, 1); /* no libfdt can read it */
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), dp(), &step),
			 -FDT_ERR_BADVERSION);
	assert_no_tree();

	build_tree(&(struct tree_opts){ .cpus = 4 });
	fdt_set_off_dt_struct(src, fdt_totalsize(src) + 0x100); /* blocks outside the tree */
	assert_true(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), dp(), &step) < 0);
	assert_no_tree();
}

static void test_error_truncated(void **state)
{
	(void)state;
	const char *step;

	build_tree(&(struct tree_opts){ .cpus = 4 });
	/* The header claims more than the readable source (the carve-out) holds. */
	assert_int_equal(ns_dtb_prepare(src, fdt_totalsize(src) - 1, dst, sizeof(dst), dp(), &step),
			 -FDT_ERR_TRUNCATED);
	assert_no_tree();
}

static void test_error_no_space(void **state)
{
	(void)state;
	const char *step;

	build_tree(&(struct tree_opts){ .cpus = 4 });
	fdt_pack(src);
	/* Every window smaller than the fixed-up tree fails whole, at the copy or a later step. */
	for (size_t size = 64; size < fdt_totalsize(src) + 0x100; size += 64) {
		memset(dst, 0xa5, sizeof(dst));
		int rc = ns_dtb_prepare(src, sizeof(src), dst, size, dp(), &step);
		if (rc > 0) {
			assert_int_equal(fdt_check_full(dst, size), 0);
			continue;
		}
		assert_int_equal(rc, -FDT_ERR_NOSPACE);
		assert_no_tree();
		for (size_t i = size; i < sizeof(dst); i++)
			assert_int_equal(dst[i], 0xa5); /* nothing written past the window */
	}
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, 64, dp(), &step), -FDT_ERR_NOSPACE);
	assert_string_equal(step, "copying it");
}

static void test_error_too_many_ranges(void **state)
{
	(void)state;
	struct ns_dtb_range holes[NS_DTB_MAX_MEM_RANGES];
	const char *step;

	for (unsigned int i = 0; i < NS_DTB_MAX_MEM_RANGES; i++)
		holes[i] = (struct ns_dtb_range){ 0x50000000 + i * 0x200000ULL, 0x100000 };
	struct ns_dtb_params p = params();
	p.carveouts = holes;
	p.nr_carveouts = NS_DTB_MAX_MEM_RANGES;
	build_tree(&(struct tree_opts){ .cpus = 4 });
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), &p, &step), -FDT_ERR_NOSPACE);
	assert_string_equal(step, "/memory");
	assert_no_tree();
}

static void test_error_bad_cells(void **state)
{
	(void)state;
	const char *step;

	build_tree(&(struct tree_opts){ .cpus = 4 });
	assert_int_equal(fdt_open_into(src, src, sizeof(src)), 0);
	assert_int_equal(fdt_setprop_u32(src, 0, "#address-cells", 3), 0);
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), dp(), &step), -FDT_ERR_BADNCELLS);
	assert_no_tree();

	/* A /cpus without its cells, or with a cpu lacking reg. */
	build_tree(&(struct tree_opts){ .cpus = 4 });
	assert_int_equal(fdt_open_into(src, src, sizeof(src)), 0);
	assert_int_equal(fdt_delprop(src, fdt_path_offset(src, "/cpus/cpu@1"), "reg"), 0);
	assert_int_equal(ns_dtb_prepare(src, sizeof(src), dst, sizeof(dst), dp(), &step), -FDT_ERR_BADVALUE);
	assert_string_equal(step, "/cpus");
	assert_no_tree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subtract),
		cmocka_unit_test(test_memory_without_carveout),
		cmocka_unit_test(test_memory_split_and_removed),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_secure_nodes_removed),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_memreserve),
		cmocka_unit_test(test_source_free_space),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_error_bad_magic),
		cmocka_unit_test(test_error_bad_header),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_error_no_space),
		cmocka_unit_test(test_error_too_many_ranges),
		cmocka_unit_test(test_error_bad_cells),
	};
	return cmocka_run_group_tests_name("ns_dtb", tests, NULL, NULL);
}
