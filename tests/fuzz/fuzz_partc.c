/*
 * Fuzz target for the partition compiler (tools/partc) on device-tree
 * blobs: the path main.c takes for one tree, called as functions (no exec,
 * no output files): pc_check_blob, pc_parse, pc_validate with the QEMU
 * virt platform the build passes (tools/partc/build.mk), each partition's
 * guest DTB (pc_build_dtb), pc_check_final and the partition table
 * (pc_fill_table). Whatever the blob, partc must end in diagnostics or a
 * model, never a crash, an out-of-bounds access or undefined behaviour
 * (ASan, UBSan); and a pass that reports success must have said nothing.
 * Seeds: tests/host/partc/ compiled with dtc at build time (Makefile).
 * Images the trees name are created once in a scratch directory, as
 * tests/host/test_partc.py's make_images() does (a few of them).
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "partc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIB (1024UL * 1024UL)
#define IMAGE_FILE_SIZE (64UL * 1024UL)
#define IMAGE_MEM_SIZE (20UL * MIB)
#define ARM64_IMAGE_BRANCH 0x14000010U /* b +0x40: the first instruction of an arm64 Image */
#define ARM64_IMAGE_FLAGS 0xaU	       /* little-endian, 4 KiB pages, anywhere */
#define ARM64_MAGIC_OFF 0x38

static char dir[] = "/tmp/fuzz_partc.XXXXXX";
static char linux_dir[sizeof(dir) + 8];
static const char *search[1] = { dir };
static struct pc_platform plat;

static void emit(void *ctx, const char *msg)
{
	(void)ctx;
	if (!msg || !msg[0])
		abort(); /* every diagnostic says something */
}

static void put(const char *d, const char *name, const void *buf, size_t n)
{
	char path[PC_FILE_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f))
		abort();
}

static void cleanup(void)
{
	static const char *const files[] = { "Image", "initrd.cpio.gz", "safety.bin", "linux/Image",
					     "linux/initrd.cpio.gz" };
	char path[PC_FILE_MAX];

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(linux_dir);
	rmdir(dir);
}

/* The image files the seed trees name: an arm64 Image header, an initrd, a raw binary. */
static void make_images(void)
{
	static uint8_t image[IMAGE_FILE_SIZE], initrd[4096], raw[4096];
	uint32_t branch = ARM64_IMAGE_BRANCH;
	uint64_t mem = IMAGE_MEM_SIZE, flags = ARM64_IMAGE_FLAGS;

	if (!mkdtemp(dir))
		abort();
	snprintf(linux_dir, sizeof(linux_dir), "%s/linux", dir);
	if (mkdir(linux_dir, 0700))
		abort();
	atexit(cleanup);
	memcpy(image, &branch, sizeof(branch));
	memcpy(image + 16, &mem, sizeof(mem));
	memcpy(image + 24, &flags, sizeof(flags));
	memcpy(image + ARM64_MAGIC_OFF, "ARM\x64", 4);
	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)i;
	memset(raw, 0x14, sizeof(raw));
	put(dir, "Image", image, sizeof(image));
	put(dir, "initrd.cpio.gz", initrd, sizeof(initrd));
	put(dir, "safety.bin", raw, sizeof(raw));
	put(linux_dir, "Image", image, sizeof(image));
	put(linux_dir, "initrd.cpio.gz", initrd, sizeof(initrd));
}

static void reserve(const char *name, uint64_t base, uint64_t size)
{
	struct pc_reserved *r = &plat.reserved[plat.nr_reserved++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->base = base;
	r->size = size;
}

/* tests/host/test_partc.py's PLATFORM: the defconfig's values. */
static void platform(void)
{
	plat.dram_base = 0x40000000;
	plat.dram_size = 0x80000000;
	plat.nr_cpus = 4;
	plat.nr_spis = 256;
	plat.s2_table_pages = 16;
	reserve("flash", 0, 0x04000000);
	reserve("secure-sram", 0x0e000000, 0x01000000);
	reserve("gicd", 0x08000000, 0x10000);
	reserve("gicr", 0x080a0000, 0x80000);
	reserve("hyp-console", 0x09000000, 0x1000);
	reserve("secure-uart", 0x09040000, 0x1000);
	reserve("secure-gpio", 0x090b0000, 0x1000);
	reserve("rmm", 0x40000000, 0x01000000);
	reserve("hyp", 0x41000000, 0x01000000);
	plat.reserved_spis[0] = (struct pc_reserved_spi){ "hyp-console", 1 };
	plat.reserved_spis[1] = (struct pc_reserved_spi){ "secure-uart", 8 };
	plat.nr_reserved_spis = 2;
	plat.flash_budget = 0x1eff000;
	plat.flash_budget_set = true;
	plat.realm_limits_set = true;
	plat.realm_ipa_bits_max = 48;
	plat.realm_bps_max = 5;
	plat.realm_wps_max = 3;
}

static void compile(const void *fdt)
{
	static struct pc_model model;
	static struct rampart_partition_table table;
	struct pc_diag diag = { 0, emit, NULL };

	memset(&model, 0, sizeof(model));
	if (pc_parse(fdt, &model, search, 1, NULL, &diag) != 0) {
		if (!diag.count)
			abort(); /* "-1 after reporting errors" */
		return;
	}
	if (pc_validate(&model, &plat, &diag) != 0)
		return;
	if (diag.count)
		abort();
	for (unsigned int i = 0; i < model.nr_partitions; i++) {
		static uint8_t dtb[RAMPART_DTB_MAX];
		/* No fragment files: what a tree names is looked up, not read, here. */
		int n = pc_build_dtb(&model, i, NULL, dtb, sizeof(dtb), &diag);
		if (n < 0)
			return;
		if (fdt_check_full(dtb, (size_t)n) != 0)
			abort(); /* partc's own DTB must be valid */
		model.partitions[i].dtb_size = (uint64_t)n;
	}
	if (pc_check_final(&model, &plat, &diag) != 0)
		return;
	memset(&table, 0, sizeof(table));
	pc_fill_table(&model, &plat, &table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once) {
		once = 1;
		make_images();
		platform();
	}
	/* A private copy of exactly size bytes: ASan catches any read past it. */
	void *fdt = malloc(size ? size : 1);
	if (!fdt)
		return 0;
	memcpy(fdt, data, size);
	if (pc_check_blob(fdt, size) == 0)
		compile(fdt);
	free(fdt);
	return 0;
}
