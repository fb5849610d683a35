/*
 * tools/partc/validate.c: the partition compiler's semantic checks and
 * image layout, on models built by hand (no libfdt, no files). Every
 * rejection is checked by its exact message; a valid model gives none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "partc.h"

#define MAX_MSGS 8

struct capture {
	unsigned int n;
	char msg[MAX_MSGS][512];
};

static struct capture cap;
static struct pc_diag diag;
static struct pc_platform plat;
static struct pc_model *m;

static void capture_emit(void *ctx, const char *msg)
{
	struct capture *c = ctx;

	if (c->n < MAX_MSGS)
		snprintf(c->msg[c->n], sizeof(c->msg[0]), "%s", msg);
	c->n++;
}

static void reserve(const char *name, uint64_t base, uint64_t size)
{
	struct pc_reserved *r = &plat.reserved[plat.nr_reserved++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->base = base;
	r->size = size;
}

static void image(struct pc_image *im, const char *name, uint64_t size)
{
	im->given = true;
	im->found = true;
	snprintf(im->name, sizeof(im->name), "%s", name);
	snprintf(im->file, sizeof(im->file), "/img/%s", name);
	im->file_size = size;
	im->mem_size = size;
}

/* A valid VM: label, one CPU, one RAM region, a kernel. */
static struct pc_partition *add_partition(const char *label, uint32_t cpu, uint64_t ipa, uint64_t pa,
					  uint64_t size)
{
	struct pc_partition *pt = &m->partitions[m->nr_partitions];

	memset(pt, 0, sizeof(*pt));
	pt->id = m->nr_partitions;
	pt->has_unit_address = true;
	pt->unit_address = pt->id;
	snprintf(pt->name, sizeof(pt->name), "partition@%u", pt->id);
	snprintf(pt->path, sizeof(pt->path), "/partitions/partition@%u", pt->id);
	pt->kind = RAMPART_KIND_VM;
	pt->console_kind = RAMPART_CONSOLE_VUART; /* as pc_check_strings leaves it */
	pt->fault_kind = RAMPART_FAULT_STOP;
	snprintf(pt->label, sizeof(pt->label), "%s", label);
	pt->has_label = true;
	pt->nr_cpus = 1;
	pt->cpus[0] = cpu;
	pt->nr_mem = 1;
	pt->mem[0] = (struct pc_mem){ ipa, pa, size };
	image(&pt->kernel, "kernel.bin", 0x3000);
	m->nr_partitions++;
	return pt;
}

static struct pc_device *add_device(struct pc_partition *pt, const char *name, uint64_t base, uint64_t size,
				    uint32_t spi)
{
	struct pc_device *dev = &pt->devices[pt->nr_devices++];

	snprintf(dev->name, sizeof(dev->name), "%s", name);
	snprintf(dev->path, sizeof(dev->path), "/passthrough/%s", name);
	memcpy(dev->compatible, "vendor,dev", sizeof("vendor,dev"));
	dev->compatible_len = sizeof("vendor,dev");
	dev->nr_regs = 1;
	dev->regs[0] = (struct pc_range){ base, size };
	if (spi != UINT32_MAX) {
		dev->nr_irqs = 1;
		dev->irqs[0] = (struct pc_irq){ spi, 4 };
	}
	return dev;
}

static struct pc_shm *add_shm(const char *label, const char *a, const char *b, uint64_t ipa, uint64_t pa,
			      uint64_t size)
{
	struct pc_shm *sh = &m->shm[m->nr_shm++];

	memset(sh, 0, sizeof(*sh));
	snprintf(sh->name, sizeof(sh->name), "%s", label);
	snprintf(sh->path, sizeof(sh->path), "/partitions/%s", label);
	snprintf(sh->label, sizeof(sh->label), "%s", label);
	sh->nr_peers = 2;
	snprintf(sh->peers[0], sizeof(sh->peers[0]), "%s", a);
	snprintf(sh->peers[1], sizeof(sh->peers[1]), "%s", b);
	sh->has_memory = true;
	sh->mem = (struct pc_mem){ ipa, pa, size };
	return sh;
}

/* The QEMU virt defaults the build passes (tools/partc/build.mk). */
static int setup(void **state)
{
	(void)state;
	memset(&cap, 0, sizeof(cap));
	diag = (struct pc_diag){ 0, capture_emit, &cap };
	memset(&plat, 0, sizeof(plat));
	plat.dram_base = 0x40000000;
	plat.dram_size = 0x80000000;
	plat.nr_cpus = 4;
	plat.nr_spis = 256;
	plat.s2_table_pages = 16;
	reserve("flash", 0, 0x4000000);
	reserve("gicd", 0x08000000, 0x10000);
	reserve("gicr", 0x080a0000, 0x80000);
	reserve("hyp-console", 0x09000000, 0x1000);
	reserve("rmm", 0x40000000, 0x1000000);
	reserve("hyp", 0x41000000, 0x1000000);
	plat.reserved_spis[0] = (struct pc_reserved_spi){ "hyp-console", 1 };
	plat.nr_reserved_spis = 1;
	plat.flash_budget = 0x1eff000;
	plat.flash_budget_set = true;
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	snprintf(m->container, sizeof(m->container), "/partitions");
	m->has_staging = true;
	m->staging = (struct pc_range){ 0x58000000, 0x8000000 };
	snprintf(m->search_desc, sizeof(m->search_desc), "img");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(m);
	return 0;
}

/* Exactly one error, with this text. */
#define EXPECT_ONE(want)                                                            \
	do {                                                                        \
		if (cap.n != 1)                                                     \
			print_message("want: %s\ngot %u, first: %s\n", want, cap.n, \
				      cap.n ? cap.msg[0] : "");                     \
		assert_int_equal(cap.n, 1);                                         \
		assert_string_equal(cap.msg[0], want);                              \
	} while (0)

static unsigned int validate(void)
{
	return pc_validate(m, &plat, &diag);
}

/* Two partitions like the default example, and shared memory between them. */
static void example(void)
{
	struct pc_partition *a = add_partition("linux", 2, 0x40000000, 0x48000000, 0x10000000);
	struct pc_partition *b = add_partition("safety", 1, 0x40000000, 0x42000000, 0x1000000);
	struct pc_shm *sh;

	a->nr_cpus = 2;
	a->cpus[1] = 3;
	image(&a->initrd, "initrd", 0x1000);
	add_device(b, "pl031@9010000", 0x09010000, 0x1000, 2);
	sh = add_shm("ivc0", "linux", "safety", 0x20000000, 0x43000000, 0x10000);
	sh->has_doorbells = true;
	sh->doorbells[0] = 64;
	sh->doorbells[1] = 64;
}

/* ------------------------------------------------------------ helpers */

static void test_helpers(void **state)
{
	(void)state;
	assert_true(pc_overlap(0x1000, 0x1000, 0x1fff, 1));
	assert_false(pc_overlap(0x1000, 0x1000, 0x2000, 0x1000)); /* adjacent */
	assert_false(pc_overlap(0x1000, 0, 0x1000, 0x1000));	  /* empty */
	assert_true(pc_overlap(UINT64_MAX - 0xfff, 0x1000, UINT64_MAX, 1));
	assert_true(pc_overlap(0, UINT64_MAX, UINT64_MAX - 1, 1));
	assert_int_equal(pc_align_up(0x200001, 0x200000), 0x400000);
	assert_int_equal(pc_align_up(0x200000, 0x200000), 0x200000);
	assert_int_equal(pc_console_kind("vuart"), RAMPART_CONSOLE_VUART);
	assert_int_equal(pc_console_kind("none"), RAMPART_CONSOLE_NONE);
	assert_int_equal(pc_console_kind("VUART"), -1);
	assert_int_equal(pc_fault_policy("stop"), RAMPART_FAULT_STOP);
	assert_int_equal(pc_fault_policy("restart"), RAMPART_FAULT_RESTART);
	assert_int_equal(pc_fault_policy("reset-system"), RAMPART_FAULT_RESET_SYSTEM);
	assert_int_equal(pc_fault_policy("reset"), -1);
	assert_int_equal(pc_image_load("flash"), 0);
	assert_int_equal(pc_image_load("external"), 1);
	assert_int_equal(pc_image_load(""), -1);
}

static void test_error_format(void **state)
{
	(void)state;
	pc_error(&diag, "/a", "b", "x %d", 1);
	pc_error(&diag, "/a", NULL, "y");
	assert_int_equal(diag.count, 2);
	assert_string_equal(cap.msg[0], "/a: property 'b': x 1");
	assert_string_equal(cap.msg[1], "/a: y");
	for (unsigned int i = 0; i < PC_MAX_ERRORS + 5; i++)
		pc_error(&diag, "/a", NULL, "z");
	assert_int_equal(diag.count, PC_MAX_ERRORS + 7);
	assert_int_equal(cap.n, PC_MAX_ERRORS); /* reporting stops, counting does not */
}

/* ------------------------------------------------------------ valid models and layout */

static void test_valid_example(void **state)
{
	const struct pc_partition *a, *b;

	(void)state;
	example();
	assert_int_equal(validate(), 0);
	assert_int_equal(cap.n, 0);
	a = &m->partitions[0];
	b = &m->partitions[1];
	assert_int_equal(a->console_kind, RAMPART_CONSOLE_VUART);
	assert_int_equal(a->fault_kind, RAMPART_FAULT_STOP);
	assert_false(a->images_external);
	/* kernel at the base, initrd and DTB on the next 2 MiB boundaries */
	assert_int_equal(a->kernel_ipa, 0x40000000);
	assert_int_equal(a->initrd_ipa, 0x40200000);
	assert_int_equal(a->dtb_ipa, 0x40400000);
	assert_int_equal(b->kernel_ipa, 0x40000000);
	assert_int_equal(b->initrd_ipa, 0);
	assert_int_equal(b->dtb_ipa, 0x40200000);
	assert_int_equal(m->shm[0].peer_index[0], 0);
	assert_int_equal(m->shm[0].peer_index[1], 1);
}

static void test_layout_linux_image(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("linux", 0, 0x80000000, 0x48000000, 0x8000000);
	pt->kernel.file_size = 0x2800000; /* 40 MiB file, */
	pt->kernel.mem_size = 0x2c10000;  /* header image_size with BSS */
	pt->kernel.text_offset = 0;
	image(&pt->initrd, "initrd", 0x300001);
	assert_int_equal(validate(), 0);
	assert_int_equal(pt->kernel_ipa, 0x80000000);
	assert_int_equal(pt->initrd_ipa, 0x82e00000);
	assert_int_equal(pt->dtb_ipa, 0x83200000);
}

static void test_layout_text_offset(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("old", 0, 0x40000000, 0x48000000, 0x400000);
	pt->kernel.text_offset = 0x80000;
	assert_int_equal(validate(), 0);
	assert_int_equal(pt->kernel_ipa, 0x40080000);
	assert_int_equal(pt->dtb_ipa, 0x40200000);
}

static void test_layout_too_small(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("tiny", 0, 0x40000000, 0x48000000, 0x200000);
	assert_int_equal(validate(), 1);
	EXPECT_ONE(
		"/partitions/partition@0: property 'memory': region 0 (0x200000 bytes) is too small for the "
		"images: kernel 0x200000, initrd 0x0 and the device tree 0x200000 need 0x400000 bytes");
	(void)pt;
}

static void test_strings(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	snprintf(pt->console, sizeof(pt->console), "none");
	snprintf(pt->fault_policy, sizeof(pt->fault_policy), "reset-system");
	snprintf(pt->image_load, sizeof(pt->image_load), "external");
	assert_int_equal(validate(), 0);
	assert_int_equal(pt->console_kind, RAMPART_CONSOLE_NONE);
	assert_int_equal(pt->fault_kind, RAMPART_FAULT_RESET_SYSTEM);
	assert_true(pt->images_external);
}

/* ------------------------------------------------------------ structure, labels, strings */

static void test_no_partitions(void **state)
{
	(void)state;
	assert_int_equal(validate(), 1);
	EXPECT_ONE("/partitions: no partitions (need a child node with compatible = \"rampart,vm\" or "
		   "\"rampart,realm\")");
}

static void test_ids(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000)->unit_address = 7;
	pc_check_partition_ids(m, &diag);
	EXPECT_ONE("/partitions/partition@1: property 'reg': <1> does not match the unit address @7");
}

static void test_id_range_and_duplicate(void **state)
{
	struct pc_partition *b;

	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	b->id = b->unit_address = 2;
	snprintf(b->name, sizeof(b->name), "partition@2");
	snprintf(b->path, sizeof(b->path), "/partitions/partition@2");
	pc_check_partition_ids(m, &diag);
	EXPECT_ONE(
		"/partitions/partition@2: property 'reg': partition id 2 out of range: ids are 0..1, one per "
		"partition");
	/* Behind the name check (a tree cannot have two partition@0 nodes): still one message. */
	cap.n = 0;
	b->id = b->unit_address = 0;
	snprintf(b->name, sizeof(b->name), "partition@0");
	pc_check_partition_ids(m, &diag);
	EXPECT_ONE("/partitions/partition@2: property 'reg': id 0 is already partition@0's");
}

static void test_partition_node_names(void **state)
{
	struct pc_partition *b;

	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	const struct {
		const char *name;
		bool unit;
		const char *want;
	} cases[] = {
		{ "partition@1", true, NULL },
		{ "safety", false,
		  "node name 'safety' is not partition@<id> (the id of reg, in hex: partition@1)" },
		{ "partition@01", true,
		  "node name 'partition@01' is not partition@<id> (the id of reg, in hex: partition@1)" },
		{ "vm@1", true,
		  "node name 'vm@1' is not partition@<id> (the id of reg, in hex: partition@1)" },
	};
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[PC_PATH_MAX + 128];
		cap.n = 0;
		snprintf(b->name, sizeof(b->name), "%s", cases[i].name);
		snprintf(b->path, sizeof(b->path), "/partitions/%s", cases[i].name);
		b->has_unit_address = cases[i].unit;
		pc_check_partition_ids(m, &diag);
		if (!cases[i].want) {
			assert_int_equal(cap.n, 0);
			continue;
		}
		snprintf(want, sizeof(want), "%s: %s", b->path, cases[i].want);
		EXPECT_ONE(want);
	}
	/* Without a reg there is no id to suggest. */
	cap.n = 0;
	b->id = UINT32_MAX;
	pc_check_partition_ids(m, &diag);
	EXPECT_ONE("/partitions/vm@1: node name 'vm@1' is not partition@<id> (the id of reg, in hex)");
}

/* A realm is checked against the platform's realm limits, which the build must pass. */
static void test_realm_needs_platform_limits(void **state)
{
	(void)state;
	add_partition("r", 0, 0x40000000, 0x48000000, 0x400000)->kind = RAMPART_KIND_REALM;
	pc_check_realms(m, &plat, &diag);
	EXPECT_ONE("/partitions: realm partitions need the platform's realm limits (partc --realm-limits; "
		   "the build passes them from CONFIG_PLAT_REALM_*)");
}

static void test_labels(void **state)
{
	struct pc_partition *b, *c;

	(void)state;
	add_partition("linux", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("linux", 1, 0x40000000, 0x50000000, 0x400000);
	c = add_partition("Bad!", 2, 0x40000000, 0x58000000, 0x400000);
	pc_check_labels(m, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@1: property 'label': \"linux\" is already the label "
			    "of partition@0");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@2: property 'label': \"Bad!\" is not a valid label "
			    "(1 to 15 characters a-z 0-9 _ -, starting with a letter)");
	cap.n = 0;
	b->has_label = false;
	snprintf(c->label, sizeof(c->label), "abcdefghijklmnop"); /* 16 */
	pc_check_labels(m, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.msg[0], "/partitions/partition@1: property 'label': missing");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@2: property 'label': \"abcdefghijklmnop\" is not a "
			    "valid label (1 to 15 characters a-z 0-9 _ -, starting with a letter)");
	cap.n = 0;
	snprintf(c->label, sizeof(c->label), "abcdefghijklmno"); /* 15 */
	b->has_label = true;
	snprintf(b->label, sizeof(b->label), "a_b-9");
	pc_check_labels(m, &diag);
	assert_int_equal(cap.n, 0);
}

static void test_shm_labels(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_shm("x", "a", "b", 0x20000000, 0x43000000, 0x1000);
	add_shm("x", "a", "b", 0x20001000, 0x43001000, 0x1000);
	pc_check_labels(m, &diag);
	EXPECT_ONE("/partitions/x: property 'label': \"x\" is already the label of /partitions/x");
}

static void test_bad_strings(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	snprintf(pt->console, sizeof(pt->console), "serial");
	snprintf(pt->fault_policy, sizeof(pt->fault_policy), "reboot");
	snprintf(pt->image_load, sizeof(pt->image_load), "dram");
	pt->has_bootargs = true;
	pt->bootargs_len = RAMPART_BOOTARGS_MAX;
	pc_check_strings(m, &diag);
	assert_int_equal(cap.n, 4);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@0: property 'console': \"serial\" is not one of "
			    "\"vuart\", \"none\"");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'fault-policy': \"reboot\" is not one "
			    "of \"stop\", \"restart\", \"reset-system\"");
	assert_string_equal(cap.msg[2],
			    "/partitions/partition@0: property 'image-load': \"dram\" is not one of "
			    "\"flash\", \"external\"");
	assert_string_equal(cap.msg[3],
			    "/partitions/partition@0: property 'bootargs': 1024 characters, more than "
			    "1023 (RAMPART_BOOTARGS_MAX - 1)");
	/* Defaults survive a bad value: no cascade through the console. */
	assert_int_equal(pt->console_kind, RAMPART_CONSOLE_VUART);
	cap.n = 0;
	pt->bootargs_len = RAMPART_BOOTARGS_MAX - 1;
	pt->console[0] = pt->fault_policy[0] = pt->image_load[0] = '\0';
	pc_check_strings(m, &diag);
	assert_int_equal(cap.n, 0);
}

/* ------------------------------------------------------------ CPUs */

static void test_cpus(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	b->nr_cpus = 0;
	pc_check_cpus(m, &plat, &diag);
	EXPECT_ONE("/partitions/partition@1: property 'cpus': empty or missing (need 1 to 8 physical CPU "
		   "indices)");
	cap.n = 0;
	/* More vCPUs than the virtual GIC serves: one message, whatever the CPUs are. */
	b->nr_cpus = RAMPART_VGIC_MAX_VCPUS + 1;
	for (unsigned int i = 0; i < b->nr_cpus; i++)
		b->cpus[i] = i;
	pc_check_cpus(m, &plat, &diag);
	EXPECT_ONE("/partitions/partition@1: property 'cpus': 9 CPUs, more than the 8 the virtual GIC serves "
		   "(RAMPART_VGIC_MAX_VCPUS)");
	cap.n = 0;
	b->nr_cpus = 3;
	b->cpus[0] = 4;
	b->cpus[1] = 0;
	b->cpus[2] = 1;
	a->nr_cpus = 2;
	a->cpus[1] = 0;
	pc_check_cpus(m, &plat, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0], "/partitions/partition@0: property 'cpus': CPU 0 is listed twice");
	assert_string_equal(cap.msg[1], "/partitions/partition@1: property 'cpus': CPU 4 does not exist (the "
					"platform has CPUs 0..3)");
	assert_string_equal(cap.msg[2],
			    "/partitions/partition@1: property 'cpus': CPU 0 is already assigned to "
			    "partition@0");
}

/* ------------------------------------------------------------ memory */

static void mem_case(uint64_t ipa, uint64_t pa, uint64_t size, const char *want)
{
	m->nr_partitions = 0;
	add_partition("a", 0, ipa, pa, size);
	cap.n = 0;
	diag.count = 0;
	pc_check_memory(m, &plat, &diag);
	if (!want) {
		assert_int_equal(cap.n, 0);
		return;
	}
	EXPECT_ONE(want);
}

static void test_memory_single(void **state)
{
	(void)state;
	mem_case(0x40000000, 0x48000000, 0x200000, NULL);
	mem_case(0x40000000, 0x48000000, 0,
		 "/partitions/partition@0: property 'memory': region 0 has size 0");
	mem_case(0x40001000, 0x48000000, 0x200000,
		 "/partitions/partition@0: property 'memory': region 0 IPA 0x40001000 is not aligned to "
		 "0x200000");
	mem_case(0x40000000, 0x48100000, 0x200000,
		 "/partitions/partition@0: property 'memory': region 0 PA 0x48100000 is not aligned to "
		 "0x200000");
	mem_case(0x40000000, 0x48000000, 0x201000,
		 "/partitions/partition@0: property 'memory': region 0 size 0x201000 is not a multiple of "
		 "0x200000");
	mem_case(0x40000000, 0xffffffffffe00000ULL, 0x400000,
		 "/partitions/partition@0: property 'memory': region 0 PA 0xffffffffffe00000 + size 0x400000 "
		 "wraps "
		 "around");
	mem_case(0x7fffe00000ULL, 0x48000000, 0x400000,
		 "/partitions/partition@0: property 'memory': region 0 IPA [0x7fffe00000-0x80001fffff] is "
		 "beyond the 39-bit guest IPA space (the hypervisor's stage 2, RAMPART_GUEST_IPA_BITS)");
	mem_case(0x7fffe00000ULL, 0x48000000, 0x200000, NULL); /* the last 2 MiB of the IPA space */
	mem_case(0x40000000, 0xbfe00000, 0x400000,
		 "/partitions/partition@0: property 'memory': region 0 PA [0xbfe00000-0xc01fffff] is outside "
		 "DRAM "
		 "[0x40000000-0xbfffffff]");
	mem_case(0x40000000, 0x3fe00000, 0x200000,
		 "/partitions/partition@0: property 'memory': region 0 PA [0x3fe00000-0x3fffffff] is outside "
		 "DRAM "
		 "[0x40000000-0xbfffffff]");
	mem_case(0x40000000, 0xbfe00000, 0x200000, NULL); /* the last 2 MiB of DRAM */
	mem_case(0x40000000, 0x40e00000, 0x400000,
		 "/partitions/partition@0: property 'memory': region 0 PA [0x40e00000-0x411fffff] overlaps "
		 "firmware "
		 "carve-out 'rmm' [0x40000000-0x40ffffff]");
	mem_case(0x40000000, 0x41e00000, 0x200000,
		 "/partitions/partition@0: property 'memory': region 0 PA [0x41e00000-0x41ffffff] overlaps "
		 "firmware "
		 "carve-out 'hyp' [0x41000000-0x41ffffff]");
	mem_case(0x40000000, 0x42000000, 0x200000, NULL); /* right after the hypervisor */
	mem_case(
		0x08000000, 0x48000000, 0x200000,
		"/partitions/partition@0: property 'memory': region 0 IPA [0x8000000-0x81fffff] overlaps the "
		"virtual GIC distributor [0x8000000-0x800ffff]");
	mem_case(
		0x08e00000, 0x48000000, 0x400000,
		"/partitions/partition@0: property 'memory': region 0 IPA [0x8e00000-0x91fffff] overlaps the "
		"virtual UART [0x9000000-0x9000fff]");
}

static void test_memory_vdevs_follow_partition(void **state)
{
	struct pc_partition *pt;

	(void)state;
	/* No virtual UART with console "none"; redistributors scale with the vCPUs. */
	pt = add_partition("a", 0, 0x09000000, 0x48000000, 0x200000);
	snprintf(pt->console, sizeof(pt->console), "none");
	pc_check_strings(m, &diag);
	pc_check_memory(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
	m->nr_partitions = 0;
	pt = add_partition("a", 0, 0x08200000, 0x48000000, 0x200000); /* GICR 0x080a0000 + 16 * 128 KiB */
	pt->nr_cpus = 16;
	pc_check_memory(m, &plat, &diag);
	EXPECT_ONE(
		"/partitions/partition@0: property 'memory': region 0 IPA [0x8200000-0x83fffff] overlaps the "
		"virtual GIC redistributors [0x80a0000-0x829ffff]");
}

static void test_memory_overlaps(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	a->mem[1] = (struct pc_mem){ 0x40200000, 0x50000000, 0x200000 };
	a->mem[2] = (struct pc_mem){ 0x80000000, 0x48200000, 0x200000 };
	a->mem[3] = (struct pc_mem){ 0x90000000, 0x52000000, 0x200000 };
	a->nr_mem = 4;
	b = add_partition("b", 1, 0x40000000, 0x51000000, 0x2000000);
	pc_check_memory(m, &plat, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@0: property 'memory': region 1 IPA "
			    "[0x40200000-0x403fffff] overlaps region 0 IPA [0x40000000-0x403fffff]");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'memory': region 2 PA "
			    "[0x48200000-0x483fffff] overlaps region 0 PA [0x48000000-0x483fffff]");
	assert_string_equal(cap.msg[2], "/partitions/partition@1: property 'memory': region 0 PA "
					"[0x51000000-0x52ffffff] overlaps partition@0 region 3 PA "
					"[0x52000000-0x521fffff]");
	(void)b;
}

static void test_memory_missing(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000)->nr_mem = 0;
	pc_check_memory(m, &plat, &diag);
	EXPECT_ONE(
		"/partitions/partition@0: property 'memory': empty or missing (need 1 to 4 regions <ipa pa "
		"size>)");
}

/* ------------------------------------------------------------ passthrough devices */

static void test_device_twice(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_device(a, "rtc", 0x09010000, 0x1000, 2);
	add_device(b, "rtc", 0x09010000, 0x1000, 2);
	add_device(a, "rtc", 0x09010000, 0x1000, 2);
	pc_check_devices(m, &plat, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@0: property 'devices': /passthrough/rtc is listed "
			    "twice");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@1: property 'devices': /passthrough/rtc is already "
			    "assigned to partition@0");
}

static void dev_case(uint64_t base, uint64_t size, uint32_t spi, const char *want)
{
	m->nr_partitions = 0;
	add_device(add_partition("a", 0, 0x40000000, 0x48000000, 0x400000), "dev", base, size, spi);
	cap.n = 0;
	pc_check_devices(m, &plat, &diag);
	if (!want) {
		assert_int_equal(cap.n, 0);
		return;
	}
	EXPECT_ONE(want);
}

static void test_device_ranges(void **state)
{
	(void)state;
	dev_case(0x09010000, 0x1000, 2, NULL);
	dev_case(0x09010000, 0, 2, "/passthrough/dev: property 'reg': range 0 has size 0");
	dev_case(0x09010800, 0x1000, 2,
		 "/passthrough/dev: property 'reg': range 0 0x9010800 is not aligned to 0x1000");
	dev_case(0x09010000, 0x800, 2,
		 "/passthrough/dev: property 'reg': range 0 size 0x800 is not a multiple of 0x1000 (MMIO is "
		 "mapped "
		 "in pages)");
	dev_case(0x50000000, 0x1000, 2,
		 "/passthrough/dev: property 'reg': range 0 [0x50000000-0x50000fff] is in DRAM "
		 "[0x40000000-0xbfffffff]; passthrough is for MMIO");
	dev_case(
		0x08000000, 0x1000, 2,
		"/passthrough/dev: property 'reg': range 0 [0x8000000-0x8000fff] overlaps firmware carve-out "
		"'gicd' [0x8000000-0x800ffff]");
	dev_case(0x8000000000ULL, 0x1000, 2,
		 "/passthrough/dev: property 'reg': range 0 [0x8000000000-0x8000000fff] is beyond the 39-bit "
		 "guest IPA space (the hypervisor's stage 2, RAMPART_GUEST_IPA_BITS)");
	/* The virtual UART's IPA, on a platform whose physical UART is elsewhere. */
	plat.nr_reserved = 0;
	dev_case(0x09000000, 0x1000, 2,
		 "/passthrough/dev: property 'reg': range 0 [0x9000000-0x9000fff] overlaps the virtual UART "
		 "[0x9000000-0x9000fff] of partition@0");
}

static void test_device_vs_memory_and_devices(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	plat.dram_base = 0x80000000;
	plat.dram_size = 0x40000000;
	plat.nr_reserved = 0;
	a = add_partition("a", 0, 0x40000000, 0x80000000, 0x400000);
	add_device(a, "low", 0x40100000, 0x1000, UINT32_MAX);
	b = add_partition("b", 1, 0x40000000, 0x90000000, 0x400000);
	add_device(b, "x", 0x0a000000, 0x2000, UINT32_MAX);
	add_device(b, "y", 0x0a001000, 0x1000, UINT32_MAX);
	pc_check_devices(m, &plat, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.msg[0],
			    "/passthrough/low: property 'reg': range 0 [0x40100000-0x40100fff] overlaps "
			    "partition@0 memory region 0 IPA [0x40000000-0x403fffff]");
	assert_string_equal(cap.msg[1],
			    "/passthrough/y: property 'reg': range 0 [0xa001000-0xa001fff] overlaps "
			    "/passthrough/x range 0 [0xa000000-0xa001fff] (partition@1)");
}

static void test_device_irqs(void **state)
{
	struct pc_partition *a, *b;
	struct pc_device *dev;

	(void)state;
	dev_case(0x09010000, 0x1000, 256,
		 "/passthrough/dev: property 'interrupts': SPI 256 does not exist (the platform has SPIs "
		 "0..255)");
	dev_case(0x09010000, 0x1000, 1,
		 "/passthrough/dev: property 'interrupts': SPI 1 is reserved for "
		 "'hyp-console'");
	m->nr_partitions = 0;
	dev = add_device(add_partition("a", 0, 0x40000000, 0x48000000, 0x400000), "dev", 0x09010000, 0x1000,
			 2);
	dev->irqs[0].flags = 8;
	cap.n = 0;
	pc_check_devices(m, &plat, &diag);
	EXPECT_ONE(
		"/passthrough/dev: property 'interrupts': SPI 2 has trigger flags 0x8; a passthrough SPI is "
		"edge-rising (1) or level-high (4)");
	dev->irqs[0].flags = 1;
	dev->irqs[1] = (struct pc_irq){ 2, 4 };
	dev->nr_irqs = 2;
	cap.n = 0;
	pc_check_devices(m, &plat, &diag);
	EXPECT_ONE("/passthrough/dev: property 'interrupts': SPI 2 is listed twice");

	m->nr_partitions = 0;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_device(a, "rtc", 0x09010000, 0x1000, 2);
	add_device(b, "gpio", 0x09030000, 0x1000, 2);
	cap.n = 0;
	pc_check_devices(m, &plat, &diag);
	EXPECT_ONE("/passthrough/gpio: property 'interrupts': SPI 2 is already used by /passthrough/rtc "
		   "(partition@0)");
}

static void test_device_vuart_spi(void **state)
{
	(void)state;
	plat.nr_reserved_spis = 0;
	dev_case(0x09010000, 0x1000, 1,
		 "/passthrough/dev: property 'interrupts': SPI 1 is the virtual UART's in partition@0");
	snprintf(m->partitions[0].console, sizeof(m->partitions[0].console), "none");
	pc_check_strings(m, &diag);
	cap.n = 0;
	pc_check_devices(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
}

static void test_device_limits(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	for (unsigned int i = 0; i < RAMPART_MAX_DEVICES; i++) {
		char name[16];
		struct pc_device *dev;
		snprintf(name, sizeof(name), "d%u", i);
		dev = add_device(pt, name, 0x0a000000 + i * 0x10000, 0x1000, 16 + i * 8);
		dev->nr_regs = 3;
		dev->regs[1] = (struct pc_range){ 0x0a000000 + i * 0x10000 + 0x2000, 0x1000 };
		dev->regs[2] = (struct pc_range){ 0x0a000000 + i * 0x10000 + 0x4000, 0x1000 };
		dev->nr_irqs = 5;
		for (unsigned int q = 1; q < 5; q++)
			dev->irqs[q] = (struct pc_irq){ 16 + i * 8 + q, 1 };
	}
	pc_check_devices(m, &plat, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@0: property 'devices': 24 MMIO ranges, more than 16 "
			    "(RAMPART_MAX_MMIO)");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'devices': 40 interrupts, more than 32 "
			    "(RAMPART_MAX_SPIS)");
}

/* ------------------------------------------------------------ shared memory */

static void test_shm_peers(void **state)
{
	struct pc_shm *sh;

	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	sh = add_shm("s", "a", "nobody", 0x20000000, 0x43000000, 0x1000);
	pc_check_shm(m, &plat, &diag);
	EXPECT_ONE("/partitions/s: property 'peers': no partition is labelled \"nobody\"");
	assert_int_equal(sh->peer_index[0], RAMPART_NO_PARTITION);
	cap.n = 0;
	snprintf(sh->peers[1], sizeof(sh->peers[1]), "a");
	pc_check_shm(m, &plat, &diag);
	EXPECT_ONE("/partitions/s: property 'peers': \"a\" is listed twice");
	cap.n = 0;
	sh->nr_peers = 3;
	pc_check_shm(m, &plat, &diag);
	EXPECT_ONE("/partitions/s: property 'peers': 3 labels; need exactly 2 partition labels");
	cap.n = 0;
	sh->nr_peers = 2;
	snprintf(sh->peers[1], sizeof(sh->peers[1]), "b");
	pc_check_shm(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
	assert_int_equal(sh->peer_index[0], 0);
	assert_int_equal(sh->peer_index[1], 1);
}

static void shm_case(uint64_t ipa, uint64_t pa, uint64_t size, const char *want)
{
	m->nr_partitions = 0;
	m->nr_shm = 0;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_device(add_partition("b", 1, 0x40000000, 0x50000000, 0x400000), "rtc", 0x09010000, 0x1000, 2);
	add_shm("s", "a", "b", ipa, pa, size);
	cap.n = 0;
	pc_check_strings(m, &diag);
	pc_check_shm(m, &plat, &diag);
	if (!want) {
		assert_int_equal(cap.n, 0);
		return;
	}
	EXPECT_ONE(want);
}

static void test_shm_memory(void **state)
{
	(void)state;
	shm_case(0x20000000, 0x43000000, 0x1000, NULL);
	shm_case(0x20000000, 0x43000000, 0, "/partitions/s: property 'memory': size 0");
	shm_case(0x20000800, 0x43000000, 0x1000,
		 "/partitions/s: property 'memory': IPA 0x20000800 is not "
		 "aligned to 0x1000");
	shm_case(0x20000000, 0x43000800, 0x1000,
		 "/partitions/s: property 'memory': PA 0x43000800 is not aligned "
		 "to 0x1000");
	shm_case(0x20000000, 0x43000000, 0x1800,
		 "/partitions/s: property 'memory': size 0x1800 is not a multiple "
		 "of 0x1000");
	shm_case(0x20000000, 0x3ffff000, 0x1000,
		 "/partitions/s: property 'memory': PA [0x3ffff000-0x3fffffff] "
		 "is outside DRAM [0x40000000-0xbfffffff]");
	shm_case(0x20000000, 0x40fff000, 0x1000,
		 "/partitions/s: property 'memory': PA [0x40fff000-0x40ffffff] "
		 "overlaps firmware carve-out 'rmm' [0x40000000-0x40ffffff]");
	shm_case(0x20000000, 0x50001000, 0x1000,
		 "/partitions/s: property 'memory': PA [0x50001000-0x50001fff] "
		 "overlaps partition@1 region 0 PA [0x50000000-0x503fffff]");
	shm_case(0x40000000, 0x43000000, 0x1000,
		 "/partitions/s: property 'memory': IPA [0x40000000-0x40000fff] "
		 "overlaps partition@0 region 0 IPA [0x40000000-0x403fffff]");
	shm_case(0x09000000, 0x43000000, 0x1000,
		 "/partitions/s: property 'memory': IPA [0x9000000-0x9000fff] "
		 "overlaps the virtual UART [0x9000000-0x9000fff] of partition@0");
	shm_case(0x09010000, 0x43000000, 0x1000,
		 "/partitions/s: property 'memory': IPA [0x9010000-0x9010fff] "
		 "overlaps /passthrough/rtc range 0 [0x9010000-0x9010fff] in "
		 "partition@1");
}

static void test_shm_vs_shm(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_partition("c", 2, 0x40000000, 0x58000000, 0x400000);
	add_shm("s", "a", "b", 0x20000000, 0x43000000, 0x2000);
	add_shm("t", "c", "b", 0x30000000, 0x43001000, 0x1000);
	add_shm("u", "c", "b", 0x20001000, 0x44000000, 0x1000);
	add_shm("v", "a", "c", 0x20000000, 0x45000000, 0x1000);
	pc_check_shm(m, &plat, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0],
			    "/partitions/t: property 'memory': PA [0x43001000-0x43001fff] overlaps "
			    "/partitions/s PA [0x43000000-0x43001fff]");
	assert_string_equal(cap.msg[1],
			    "/partitions/u: property 'memory': IPA [0x20001000-0x20001fff] overlaps "
			    "/partitions/s IPA [0x20000000-0x20001fff] in partition@1");
	assert_string_equal(cap.msg[2],
			    "/partitions/v: property 'memory': IPA [0x20000000-0x20000fff] overlaps "
			    "/partitions/s IPA [0x20000000-0x20001fff] in partition@0");
}

static void test_shm_doorbells(void **state)
{
	struct pc_shm *s, *t;

	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_device(add_partition("b", 1, 0x40000000, 0x50000000, 0x400000), "rtc", 0x09010000, 0x1000, 2);
	pc_check_strings(m, &diag);
	s = add_shm("s", "a", "b", 0x20000000, 0x43000000, 0x1000);
	s->has_doorbells = true;
	s->doorbells[0] = 1;
	s->doorbells[1] = 2;
	t = add_shm("t", "b", "a", 0x20001000, 0x43001000, 0x1000);
	t->has_doorbells = true;
	t->doorbells[0] = 256;
	t->doorbells[1] = 40;
	pc_check_shm(m, &plat, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0], "/partitions/s: property 'doorbells': SPI 1 for \"a\" is the virtual "
					"UART's");
	assert_string_equal(cap.msg[1],
			    "/partitions/s: property 'doorbells': SPI 2 for \"b\" is already used by "
			    "/passthrough/rtc");
	assert_string_equal(cap.msg[2],
			    "/partitions/t: property 'doorbells': SPI 256 does not exist (the platform "
			    "has SPIs 0..255)");
	cap.n = 0;
	s->doorbells[0] = 40;
	s->doorbells[1] = 41;
	t->doorbells[0] = 42;
	pc_check_shm(m, &plat, &diag);
	EXPECT_ONE("/partitions/t: property 'doorbells': SPI 40 for \"a\" is already the doorbell of "
		   "/partitions/s");
	cap.n = 0;
	t->doorbells[1] = 41; /* the same number in another partition is fine */
	pc_check_shm(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
}

static void test_shm_missing_memory(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_shm("s", "a", "b", 0x20000000, 0x43000000, 0x1000)->has_memory = false;
	pc_check_shm(m, &plat, &diag);
	EXPECT_ONE("/partitions/s: property 'memory': missing (need <ipa pa size>)");
}

/* ------------------------------------------------------------ image staging area */

static void staging_case(uint64_t pa, uint64_t size, const char *want)
{
	m->staging = (struct pc_range){ pa, size };
	cap.n = 0;
	pc_check_staging(m, &plat, &diag);
	if (!want) {
		assert_int_equal(cap.n, 0);
		return;
	}
	EXPECT_ONE(want);
}

static void test_staging(void **state)
{
	(void)state;
	add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	add_shm("s", "a", "b", 0x20000000, 0x43000000, 0x1000);
	staging_case(0x58000000, 0x8000000, NULL);
	staging_case(0x58000000, 0, "/partitions: property 'image-staging': size 0");
	staging_case(0x58000800, 0x1000,
		     "/partitions: property 'image-staging': PA 0x58000800 is not aligned to "
		     "0x1000");
	staging_case(0x58000000, 0x1800,
		     "/partitions: property 'image-staging': size 0x1800 is not a multiple of "
		     "0x1000");
	staging_case(0xbffff000, 0x2000,
		     "/partitions: property 'image-staging': PA [0xbffff000-0xc0000fff] is "
		     "outside DRAM [0x40000000-0xbfffffff]");
	staging_case(0x41000000, 0x1000,
		     "/partitions: property 'image-staging': PA [0x41000000-0x41000fff] "
		     "overlaps firmware carve-out 'hyp' [0x41000000-0x41ffffff]");
	staging_case(0x4ff00000, 0x200000,
		     "/partitions: property 'image-staging': PA [0x4ff00000-0x500fffff] "
		     "overlaps partition@1 region 0 PA [0x50000000-0x503fffff]");
	staging_case(0x43000000, 0x1000,
		     "/partitions: property 'image-staging': PA [0x43000000-0x43000fff] "
		     "overlaps /partitions/s PA [0x43000000-0x43000fff]");
	m->has_staging = false;
	cap.n = 0;
	pc_check_staging(m, &plat, &diag);
	EXPECT_ONE("/partitions: property 'image-staging': missing (<pa size>: NS DRAM where guest images "
		   "wait for "
		   "the hypervisor)");
}

static void test_stage(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	/* Tree order b, a; staging order by id: a (id 0) first. */
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x400000);
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x4000000);
	b->id = 1;
	a->id = 0;
	snprintf(b->name, sizeof(b->name), "partition@1");
	snprintf(a->name, sizeof(a->name), "partition@0");
	image(&a->initrd, "initrd", 0x1001);
	a->kernel.file_size = 0x2345;
	a->dtb_size = 0x800;
	b->dtb_size = 0x1000;
	m->staging.size = 0xa000;
	pc_stage(m, &diag);
	assert_int_equal(cap.n, 0);
	assert_int_equal(a->kernel_pa, 0x58000000);
	assert_int_equal(a->initrd_pa, 0x58003000);
	assert_int_equal(a->dtb_pa, 0x58005000);
	assert_int_equal(b->kernel_pa, 0x58006000);
	assert_int_equal(b->initrd_pa, 0);
	assert_int_equal(b->dtb_pa, 0x58009000);
	/* External images go after every flash image: b (flash) moves first. */
	a->images_external = true;
	pc_stage(m, &diag);
	assert_int_equal(cap.n, 0);
	assert_int_equal(b->kernel_pa, 0x58000000);
	assert_int_equal(b->dtb_pa, 0x58003000);
	assert_int_equal(a->kernel_pa, 0x58004000);
	assert_int_equal(a->initrd_pa, 0x58007000);
	assert_int_equal(a->dtb_pa, 0x58009000);
	a->images_external = false;
	m->staging.size = 0x9fff; /* one byte short for b's DTB page */
	pc_stage(m, &diag);
	EXPECT_ONE(
		"/partitions: property 'image-staging': 0x9fff bytes, too small for the guest images (0xa000 "
		"bytes up to partition@1's)");
}

/* ------------------------------------------------------------ images and the final checks */

static void test_images(void **state)
{
	struct pc_partition *pt;

	(void)state;
	pt = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	pt->kernel.given = false;
	image(&pt->initrd, "initrd", 0);
	pt->initrd.found = false;
	image(&pt->fragment, "frag.dtb", 0x100);
	pc_check_images(m, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0], "/partitions/partition@0: property 'kernel': missing");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'initrd': image \"initrd\" not found "
			    "(searched: img)");
	assert_string_equal(cap.msg[2],
			    "/partitions/partition@0: property 'dtb-fragment': /img/frag.dtb is not a "
			    "valid DTB");
	cap.n = 0;
	image(&pt->kernel, "k", 0);
	pt->initrd.found = true;
	pt->initrd.file_size = 1;
	snprintf(pt->initrd.file, sizeof(pt->initrd.file), "my dir/initrd");
	pt->fragment.valid_dtb = true;
	pt->kernel.text_offset = 0x200000;
	pc_check_images(m, &diag);
	assert_int_equal(cap.n, 3);
	assert_string_equal(cap.msg[0], "/partitions/partition@0: property 'kernel': image /img/k is empty");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'kernel': /img/k: arm64 Image header "
			    "text_offset 0x200000 is not a page multiple below 0x200000");
	assert_string_equal(cap.msg[2],
			    "/partitions/partition@0: property 'initrd': file name \"my dir/initrd\" "
			    "contains white space (the image list is white-space separated)");
	/* Found but unreadable; found as something other than a file. */
	cap.n = 0;
	image(&pt->kernel, "k", 0x1000);
	pt->kernel.read_errno = EACCES;
	pt->kernel.text_offset = 0;
	snprintf(pt->initrd.file, sizeof(pt->initrd.file), "/img/initrd");
	pt->initrd.found = false;
	pt->initrd.not_file = "a directory";
	pc_check_images(m, &diag);
	assert_int_equal(cap.n, 2);
	assert_string_equal(
		cap.msg[0],
		"/partitions/partition@0: property 'kernel': image /img/k cannot be read (Permission "
		"denied)");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@0: property 'initrd': image \"initrd\": /img/initrd is "
			    "a directory, not a file");
}

static void test_final(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x4000000);
	b = add_partition("b", 1, 0x40000000, 0x50000000, 0x4000000);
	assert_int_equal(validate(), 0);
	a->dtb_size = 0x1800;
	b->dtb_size = 0x1000;
	assert_int_equal(pc_check_final(m, &plat, &diag), 0);
	/* 0x1eff000 bytes of flash: a takes 0x1e01000 (kernel) + 0x2000 (DTB), b 0xfb000 + 0x1000 fits... */
	a->kernel.file_size = 0x1e00001;
	b->kernel.file_size = 0xfb000;
	assert_int_equal(pc_check_final(m, &plat, &diag), 0);
	/* ...one more page does not. */
	b->kernel.file_size = 0xfb001;
	assert_int_equal(pc_check_final(m, &plat, &diag), 1);
	EXPECT_ONE("/partitions/partition@1: property 'image-load': the images in the flash package need "
		   "0x1f00000 "
		   "bytes so far, more than the 0x1eff000 available; use image-load = \"external\" for large "
		   "images");
	cap.n = 0;
	b->images_external = true;
	assert_int_equal(pc_check_final(m, &plat, &diag), 0);
	plat.flash_budget_set = false;
	b->images_external = false;
	assert_int_equal(pc_check_final(m, &plat, &diag), 0);
	a->dtb_size = RAMPART_DTB_MAX + 1;
	assert_int_equal(pc_check_final(m, &plat, &diag), 1);
	EXPECT_ONE("/partitions/partition@0: the generated device tree is 0x200001 bytes, more than 0x200000 "
		   "(RAMPART_DTB_MAX)");
}

/* The stage-2 pool: counted in the hypervisor's order, the item that overflows it named. */
static void test_stage2_tables(void **state)
{
	(void)state;
	struct pc_partition *a = add_partition("linux", 1, 0x40000000, 0x48000000, 0x200000);
	/* Root, GiB 1 (RAM), GiB 0 (MMIO): 3 pages, then one level-3 table per 2 MiB of MMIO. */
	plat.s2_table_pages = 5;
	add_device(a, "a", 0x09000000 + 0 * 0x200000 + 0x10000, 0x1000, UINT32_MAX);
	add_device(a, "b", 0x09000000 + 1 * 0x200000 + 0x10000, 0x1000, UINT32_MAX);
	plat.nr_reserved = 0;
	pc_check_stage2(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
	add_device(a, "c", 0x09000000 + 2 * 0x200000 + 0x10000, 0x1000, UINT32_MAX);
	pc_check_stage2(m, &plat, &diag);
	EXPECT_ONE(
		"/passthrough/c: property 'reg': range 0 [0x9410000-0x9410fff] takes partition@0's stage 2 "
		"to 6 "
		"table pages, more than the 5 the hypervisor has per partition (CONFIG_HYP_S2_TABLE_PAGES: a "
		"page for the root, one per GiB of IPA used, one per 2 MiB not mapped as a whole block); "
		"raise "
		"it, or put the regions in fewer GiBs of IPA, 2 MiB aligned");
	/* A realm's tables are the RMM's (realm-metadata): not counted. */
	cap.n = 0;
	a->kind = RAMPART_KIND_REALM;
	pc_check_stage2(m, &plat, &diag);
	assert_int_equal(cap.n, 0);
}

static void test_validate_reports_all_independent_errors(void **state)
{
	struct pc_partition *a, *b;

	(void)state;
	a = add_partition("a", 0, 0x40000000, 0x48000000, 0x400000);
	b = add_partition("b", 0, 0x40000000, 0x48000000, 0x400000);
	snprintf(a->fault_policy, sizeof(a->fault_policy), "panic");
	assert_int_equal(validate(), 3);
	assert_string_equal(cap.msg[0],
			    "/partitions/partition@0: property 'fault-policy': \"panic\" is not one of "
			    "\"stop\", \"restart\", \"reset-system\"");
	assert_string_equal(cap.msg[1],
			    "/partitions/partition@1: property 'cpus': CPU 0 is already assigned to "
			    "partition@0");
	assert_string_equal(cap.msg[2], "/partitions/partition@1: property 'memory': region 0 PA "
					"[0x48000000-0x483fffff] overlaps partition@0 region 0 PA "
					"[0x48000000-0x483fffff]");
	/* No layout after errors. */
	assert_int_equal(b->dtb_ipa, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_helpers),
		T(test_error_format),
		T(test_valid_example),
		T(test_layout_linux_image),
		T(test_layout_text_offset),
		T(test_layout_too_small),
		T(test_strings),
		T(test_no_partitions),
		T(test_ids),
		T(test_id_range_and_duplicate),
		T(test_partition_node_names),
		T(test_realm_needs_platform_limits),
		T(test_labels),
		T(test_shm_labels),
		T(test_bad_strings),
		T(test_cpus),
		T(test_memory_single),
		T(test_memory_vdevs_follow_partition),
		T(test_memory_overlaps),
		T(test_memory_missing),
		T(test_device_twice),
		T(test_device_ranges),
		T(test_device_vs_memory_and_devices),
		T(test_device_irqs),
		T(test_device_vuart_spi),
		T(test_device_limits),
		T(test_shm_peers),
		T(test_shm_memory),
		T(test_shm_vs_shm),
		T(test_shm_doorbells),
		T(test_shm_missing_memory),
		T(test_staging),
		T(test_stage),
		T(test_images),
		T(test_final),
		T(test_stage2_tables),
		T(test_validate_reports_all_independent_errors),
	};

	return cmocka_run_group_tests_name("partc", tests, NULL, NULL);
}
