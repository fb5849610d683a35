/*
 * partc parsing: the partition DTB -> struct pc_model (partc.h).
 *
 * Only structure is checked here: which nodes and properties exist, their
 * types and cell counts, the fixed limits of the model. Meaning (ranges,
 * overlaps, CPUs, interrupts, labels) is validate.c's. Image files are
 * looked up and sized here (images.c) so that validation stays free of I/O.
 *
 * Nodes are visited with libfdt's iterators (fdt_for_each_subnode,
 * fdt_supernode_atdepth_offset): no recursion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "partc.h"

#define COMPAT_CONTAINER "rampart,partitions"
#define COMPAT_VM "rampart,vm"
#define COMPAT_REALM "rampart,realm"
#define COMPAT_SHM "rampart,shared-memory"
#define EXPECTED_COMPAT "(expected \"" COMPAT_VM "\", \"" COMPAT_REALM "\" or \"" COMPAT_SHM "\")"

struct pctx {
	const void *fdt;
	struct pc_diag *d;
	const char *const *search;
	unsigned int nr_search;
	const char *container;
	const struct pc_types *types; /* how the source wrote each property; NULL = unknown */
};

static void node_path(const void *fdt, int off, char *buf)
{
	if (fdt_get_path(fdt, off, buf, PC_PATH_MAX) < 0)
		snprintf(buf, PC_PATH_MAX, "<node at offset %d>", off);
}

/* Bounded copy; longer strings are cut (validation then rejects them by their length). */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static uint32_t cell(const void *val, unsigned int i)
{
	return fdt32_ld((const fdt32_t *)val + i);
}

static uint64_t cells(const void *val, unsigned int i, unsigned int n)
{
	return n == 2 ? ((uint64_t)cell(val, i) << 32) | cell(val, i + 1) : cell(val, i);
}

/* A property holding exactly one non-empty string; reports and returns NULL otherwise. */
static const char *one_string(struct pctx *c, const char *path, const char *prop, const void *val, int len)
{
	const char *s = val;

	if (len < 2 || s[len - 1] != '\0' || strlen(s) != (size_t)len - 1) {
		pc_error(c->d, path, prop, "must be one non-empty string");
		return NULL;
	}
	return s;
}

static const char *notation(unsigned int widths)
{
	return (widths & PC_WIDTH_64)	? "/bits/ 64"
	       : (widths & PC_WIDTH_16) ? "/bits/ 16"
	       : (widths & PC_WIDTH_8)	? "/bits/ 8"
					: "bytes [..]";
}

/*
 * Cell count of a property; reports if the length is not whole cells, or if
 * the source wrote elements of another width than allowed (PC_WIDTH_*: 64
 * where a value is a 2-cell address or size): a DTB would store them as
 * cells of other values (types.c).
 */
static int cell_count(struct pctx *c, const char *path, const char *prop, int len, unsigned int allowed)
{
	unsigned int widths = pc_type_widths(c->types, path, prop) & ~allowed;

	if (widths) {
		pc_error(
			c->d, path, prop, "written with %s, but its values are 32-bit cells: %s; write <...>",
			notation(widths),
			(widths & PC_WIDTH_64) ? "in the DTB each 64-bit value is two of them (/bits/ 64 <1> "
						 "is <0 1>)"
					       : "in the DTB the elements pack into cells of other values");
		return -1;
	}
	if (len % 4) {
		pc_error(c->d, path, prop, "%d bytes is not a whole number of 32-bit cells", len);
		return -1;
	}
	return len / 4;
}

static bool is_common_prop(const char *name)
{
	return !strcmp(name, "phandle") || !strcmp(name, "linux,phandle");
}

/* ------------------------------------------------------------ passthrough devices */

/* Every ancestor below the root must map addresses 1:1 (an empty ranges). */
static bool identity_mapped(struct pctx *c, int off, const char *path)
{
	int depth = fdt_node_depth(c->fdt, off);

	for (int k = 1; k < depth; k++) {
		int anc = fdt_supernode_atdepth_offset(c->fdt, off, k, NULL);
		int len;
		char apath[PC_PATH_MAX];

		if (anc < 0)
			return false;
		if (fdt_getprop(c->fdt, anc, "ranges", &len) && len == 0)
			continue;
		node_path(c->fdt, anc, apath);
		pc_error(c->d, path, "reg",
			 "ancestor %s has no empty 'ranges' (only identity-mapped buses are supported)",
			 apath);
		return false;
	}
	return true;
}

static bool parse_device_reg(struct pctx *c, int off, struct pc_device *dev)
{
	int parent = fdt_parent_offset(c->fdt, off);
	int ac = fdt_address_cells(c->fdt, parent), sc = fdt_size_cells(c->fdt, parent);
	char ppath[PC_PATH_MAX];
	const void *val;
	int len, n;

	node_path(c->fdt, parent, ppath);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		pc_error(c->d, dev->path, "reg",
			 "%s has #address-cells = <%d>, #size-cells = <%d>; passthrough needs 1 or 2 of each",
			 ppath, ac, sc);
		return false;
	}
	val = fdt_getprop(c->fdt, off, "reg", &len);
	if (!val) {
		pc_error(c->d, dev->path, "reg", "missing (a passthrough device needs its MMIO range)");
		return false;
	}
	/* /bits/ 64 <base size> is the same as 2 + 2 cells, and only that. */
	if ((n = cell_count(c, dev->path, "reg", len, ac == 2 && sc == 2 ? PC_WIDTH_64 : 0)) < 0)
		return false;
	if (n == 0 || n % (ac + sc)) {
		pc_error(c->d, dev->path, "reg",
			 "%d cell%s, not a multiple of %d (#address-cells = <%d> + #size-cells = <%d> of %s)",
			 n, n == 1 ? "" : "s", ac + sc, ac, sc, ppath);
		return false;
	}
	if (n / (ac + sc) > PC_MAX_DEV_REGS) {
		pc_error(c->d, dev->path, "reg", "%d ranges, more than %d", n / (ac + sc), PC_MAX_DEV_REGS);
		return false;
	}
	dev->nr_regs = (unsigned int)(n / (ac + sc));
	for (unsigned int i = 0; i < dev->nr_regs; i++) {
		dev->regs[i].base = cells(val, i * (unsigned int)(ac + sc), (unsigned int)ac);
		dev->regs[i].size =
			cells(val, i * (unsigned int)(ac + sc) + (unsigned int)ac, (unsigned int)sc);
	}
	return identity_mapped(c, off, dev->path);
}

static bool parse_device_irqs(struct pctx *c, int off, struct pc_device *dev)
{
	const void *val;
	int len, n;

	if (fdt_getprop(c->fdt, off, "interrupts-extended", &len)) {
		pc_error(c->d, dev->path, "interrupts-extended",
			 "not supported; use interrupts = <0 spi flags>");
		return false;
	}
	val = fdt_getprop(c->fdt, off, "interrupts", &len);
	if (!val)
		return true;
	if ((n = cell_count(c, dev->path, "interrupts", len, 0)) < 0)
		return false;
	if (n % 3) {
		pc_error(c->d, dev->path, "interrupts",
			 "%d cell%s, not a multiple of 3 (<type number flags> per interrupt, GICv3)", n,
			 n == 1 ? "" : "s");
		return false;
	}
	if (n / 3 > PC_MAX_DEV_IRQS) {
		pc_error(c->d, dev->path, "interrupts", "%d interrupts, more than %d", n / 3,
			 PC_MAX_DEV_IRQS);
		return false;
	}
	dev->nr_irqs = (unsigned int)(n / 3);
	for (unsigned int i = 0; i < dev->nr_irqs; i++) {
		uint32_t type = cell(val, i * 3);
		if (type != 0) {
			pc_error(c->d, dev->path, "interrupts",
				 "interrupt %u has type %u; only SPIs (type 0) can be passed through", i,
				 type);
			return false;
		}
		dev->irqs[i].spi = cell(val, i * 3 + 1);
		dev->irqs[i].flags = cell(val, i * 3 + 2);
	}
	return true;
}

static bool parse_device(struct pctx *c, const char *ppath, uint32_t phandle, struct pc_device *dev)
{
	int off = fdt_node_offset_by_phandle(c->fdt, phandle);
	size_t clen = strlen(c->container);
	const void *val;
	int len;

	if (off < 0) {
		pc_error(c->d, ppath, "devices", "phandle 0x%x does not refer to a node", phandle);
		return false;
	}
	node_path(c->fdt, off, dev->path);
	if (off == 0 ||
	    (!strncmp(dev->path, c->container, clen) && (dev->path[clen] == '/' || !dev->path[clen]))) {
		pc_error(c->d, ppath, "devices", "phandle 0x%x refers to %s, not a device node", phandle,
			 dev->path);
		return false;
	}
	copy_str(dev->name, sizeof(dev->name), fdt_get_name(c->fdt, off, NULL));
	val = fdt_getprop(c->fdt, off, "compatible", &len);
	if (!val || len < 2 || ((const char *)val)[len - 1] != '\0') {
		pc_error(c->d, dev->path, "compatible", "missing (the guest device tree needs it)");
		return false;
	}
	if ((size_t)len > sizeof(dev->compatible)) {
		pc_error(c->d, dev->path, "compatible", "%d bytes, more than %d", len, PC_COMPAT_MAX);
		return false;
	}
	memcpy(dev->compatible, val, (size_t)len);
	dev->compatible_len = (size_t)len;
	return parse_device_reg(c, off, dev) && parse_device_irqs(c, off, dev);
}

/* ------------------------------------------------------------ partitions */

static bool parse_memory(struct pctx *c, const char *path, const void *val, int len, struct pc_mem *mem,
			 unsigned int max, unsigned int *nr)
{
	int n = cell_count(c, path, "memory", len, PC_WIDTH_64); /* <ipa pa size>: 64-bit values */

	if (n < 0)
		return false;
	if (max == 1 && n != 6) {
		pc_error(c->d, path, "memory",
			 "%d cell%s; must be 6 (<ipa-hi ipa-lo pa-hi pa-lo size-hi size-lo>)", n,
			 n == 1 ? "" : "s");
		return false;
	}
	if (n % 6) {
		pc_error(c->d, path, "memory",
			 "%d cell%s, not a multiple of 6 (<ipa-hi ipa-lo pa-hi pa-lo size-hi size-lo> per "
			 "region)",
			 n, n == 1 ? "" : "s");
		return false;
	}
	if ((unsigned int)n / 6 > max) {
		pc_error(c->d, path, "memory", "%d regions, more than %u (RAMPART_MAX_MEM_REGIONS)", n / 6,
			 max);
		return false;
	}
	*nr = (unsigned int)n / 6;
	for (unsigned int i = 0; i < *nr; i++) {
		mem[i].ipa = cells(val, i * 6, 2);
		mem[i].pa = cells(val, i * 6 + 2, 2);
		mem[i].size = cells(val, i * 6 + 4, 2);
	}
	return true;
}

static void short_string(struct pctx *c, const char *path, const char *prop, const void *val, int len,
			 char *dst, size_t size)
{
	const char *s = one_string(c, path, prop, val, len);

	if (s)
		copy_str(dst, size, s);
}

static void parse_partition_prop(struct pctx *c, struct pc_partition *pt, const char *name, const void *val,
				 int len)
{
	const char *s;
	int n;

	if (!strcmp(name, "compatible") || is_common_prop(name)) {
		return;
	} else if (!strcmp(name, "reg")) {
		if ((n = cell_count(c, pt->path, name, len, 0)) < 0)
			return;
		if (n != 1)
			pc_error(c->d, pt->path, name, "%d cell%s; must be <id> (1 cell)", n,
				 n == 1 ? "" : "s");
		else
			pt->id = cell(val, 0);
	} else if (!strcmp(name, "label")) {
		if ((s = one_string(c, pt->path, name, val, len))) {
			copy_str(pt->label, sizeof(pt->label), s);
			pt->has_label = true;
		}
	} else if (!strcmp(name, "cpus")) {
		if ((n = cell_count(c, pt->path, name, len, 0)) < 0)
			return;
		if ((unsigned int)n > RAMPART_MAX_VCPUS) {
			pc_error(c->d, pt->path, name, "%d CPUs, more than %u (RAMPART_MAX_VCPUS)", n,
				 RAMPART_MAX_VCPUS);
			return;
		}
		pt->nr_cpus = (unsigned int)n;
		for (int i = 0; i < n; i++)
			pt->cpus[i] = cell(val, (unsigned int)i);
	} else if (!strcmp(name, "memory")) {
		parse_memory(c, pt->path, val, len, pt->mem, RAMPART_MAX_MEM_REGIONS, &pt->nr_mem);
	} else if (!strcmp(name, "kernel") || !strcmp(name, "initrd") || !strcmp(name, "dtb-fragment")) {
		struct pc_image *im = name[0] == 'k'   ? &pt->kernel
				      : name[0] == 'i' ? &pt->initrd
						       : &pt->fragment;
		if ((s = one_string(c, pt->path, name, val, len)))
			pc_find_image(c->search, c->nr_search, im, s, im == &pt->fragment);
	} else if (!strcmp(name, "bootargs")) {
		if ((s = one_string(c, pt->path, name, val, len))) {
			pt->has_bootargs = true;
			pt->bootargs_len = strlen(s);
			copy_str(pt->bootargs, sizeof(pt->bootargs), s);
		}
	} else if (!strcmp(name, "console")) {
		short_string(c, pt->path, name, val, len, pt->console, sizeof(pt->console));
	} else if (!strcmp(name, "fault-policy")) {
		short_string(c, pt->path, name, val, len, pt->fault_policy, sizeof(pt->fault_policy));
	} else if (!strcmp(name, "image-load")) {
		short_string(c, pt->path, name, val, len, pt->image_load, sizeof(pt->image_load));
	} else if (!strcmp(name, "update-authority")) {
		if (len)
			pc_error(c->d, pt->path, name, "a boolean property takes no value");
		else
			pt->update_authority = true;
	} else if (pc_parse_containment_prop(c->types, c->d, pt, name, val, len)) {
		return;
	} else if (!strcmp(name, "devices")) {
		if ((n = cell_count(c, pt->path, name, len, 0)) < 0)
			return;
		if ((unsigned int)n > RAMPART_MAX_DEVICES) {
			pc_error(c->d, pt->path, name, "%d devices, more than %u (RAMPART_MAX_DEVICES)", n,
				 RAMPART_MAX_DEVICES);
			return;
		}
		for (int i = 0; i < n; i++)
			if (parse_device(c, pt->path, cell(val, (unsigned int)i),
					 &pt->devices[pt->nr_devices]))
				pt->nr_devices++;
	} else {
		pc_error(c->d, pt->path, name, "unknown property");
	}
}

/* One cell holding a small count: reports and returns false otherwise. */
static bool one_cell(struct pctx *c, const char *path, const char *prop, const void *val, int len,
		     uint32_t *v)
{
	int n = cell_count(c, path, prop, len, 0);

	if (n < 0)
		return false;
	if (n != 1) {
		pc_error(c->d, path, prop, "%d cell%s; must be one cell", n, n == 1 ? "" : "s");
		return false;
	}
	*v = cell(val, 0);
	return true;
}

/* The `realm` child of a "rampart,realm" partition: the RMI_REALM_CREATE parameters. */
static void parse_realm(struct pctx *c, int off, struct pc_realm *r)
{
	int poff, sub;

	r->has_node = true;
	node_path(c->fdt, off, r->path);
	fdt_for_each_property_offset(poff, c->fdt, off)
	{
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(c->fdt, poff, &name, &len);

		if (!val || is_common_prop(name))
			continue;
		if (!strcmp(name, "hash-algo")) {
			short_string(c, r->path, name, val, len, r->hash_algo, sizeof(r->hash_algo));
		} else if (!strcmp(name, "ipa-bits")) {
			r->has_ipa_bits = one_cell(c, r->path, name, val, len, &r->ipa_bits);
		} else if (!strcmp(name, "breakpoints")) {
			r->has_bps = one_cell(c, r->path, name, val, len, &r->num_bps);
		} else if (!strcmp(name, "watchpoints")) {
			r->has_wps = one_cell(c, r->path, name, val, len, &r->num_wps);
		} else if (!strcmp(name, "personalization")) {
			/*
			 * Bytes as written (a [..] byte string, or a string): zero-padded to 64, so
			 * trailing zeros, like a string's NUL, are padding and do not count.
			 */
			size_t n = (size_t)len;
			while (n > 0 && ((const uint8_t *)val)[n - 1] == 0)
				n--;
			r->has_rpv = true;
			r->rpv_len = n;
			memcpy(r->rpv, val, n < sizeof(r->rpv) ? n : sizeof(r->rpv));
		} else {
			pc_error(c->d, r->path, name, "unknown property");
		}
	}
	fdt_for_each_subnode(sub, c->fdt, off)
	{
		char spath[PC_PATH_MAX];
		node_path(c->fdt, sub, spath);
		pc_error(c->d, spath, NULL, "unknown node (the realm node has no child nodes)");
	}
}

static void parse_partition(struct pctx *c, int off, uint32_t kind, struct pc_partition *pt)
{
	const char *name = fdt_get_name(c->fdt, off, NULL), *at;
	int poff, sub;

	memset(pt, 0, sizeof(*pt));
	pt->kind = kind;
	pt->id = UINT32_MAX;
	node_path(c->fdt, off, pt->path);
	copy_str(pt->name, sizeof(pt->name), name);
	if ((at = strchr(name, '@')) && at[1]) {
		char *end;
		unsigned long v = strtoul(at + 1, &end, 16);
		pt->has_unit_address = !*end;
		pt->unit_address = (uint32_t)v;
	}
	fdt_for_each_property_offset(poff, c->fdt, off)
	{
		const char *pname;
		int len;
		const void *val = fdt_getprop_by_offset(c->fdt, poff, &pname, &len);
		if (val)
			parse_partition_prop(c, pt, pname, val, len);
	}
	if (!fdt_getprop(c->fdt, off, "reg", NULL))
		pc_error(c->d, pt->path, "reg", "missing (the partition id, <0> to <%u>)",
			 RAMPART_MAX_PARTITIONS - 1);
	fdt_for_each_subnode(sub, c->fdt, off)
	{
		char spath[PC_PATH_MAX];
		if (kind == RAMPART_KIND_REALM && !strcmp(fdt_get_name(c->fdt, sub, NULL), "realm")) {
			parse_realm(c, sub, &pt->realm);
			continue;
		}
		if (kind == RAMPART_KIND_VM && !strcmp(fdt_get_name(c->fdt, sub, NULL), "watchdog")) {
			pc_parse_watchdog(c->fdt, sub, c->types, c->d, pt);
			continue;
		}
		node_path(c->fdt, sub, spath);
		pc_error(c->d, spath, NULL,
			 kind == RAMPART_KIND_REALM
				 ? "unknown node (a \"rampart,realm\" partition has one child node, realm)"
				 : "unknown node (a \"rampart,vm\" partition has one child node, watchdog)");
	}
}

/* ------------------------------------------------------------ shared memory */

static void parse_shm(struct pctx *c, int off, struct pc_shm *sh)
{
	const char *name = fdt_get_name(c->fdt, off, NULL);
	int poff, sub;

	memset(sh, 0, sizeof(*sh));
	node_path(c->fdt, off, sh->path);
	copy_str(sh->name, sizeof(sh->name), name);
	copy_str(sh->label, sizeof(sh->label), name);
	if (strchr(sh->label, '@'))
		*strchr(sh->label, '@') = '\0';
	fdt_for_each_property_offset(poff, c->fdt, off)
	{
		const char *pname, *s;
		int len, n;
		unsigned int nr = 1;
		const void *val = fdt_getprop_by_offset(c->fdt, poff, &pname, &len);

		if (!val || !strcmp(pname, "compatible") || is_common_prop(pname))
			continue;
		if (!strcmp(pname, "label")) {
			if ((s = one_string(c, sh->path, pname, val, len)))
				copy_str(sh->label, sizeof(sh->label), s);
		} else if (!strcmp(pname, "peers")) {
			const char *p = val, *end = p + len;
			if (len == 0 || p[len - 1] != '\0') {
				pc_error(c->d, sh->path, pname, "must be a list of partition labels");
				continue;
			}
			sh->nr_peers = 0;
			for (; p < end; p += strlen(p) + 1) {
				if (sh->nr_peers < RAMPART_SHM_PEERS)
					copy_str(sh->peers[sh->nr_peers], sizeof(sh->peers[0]), p);
				sh->nr_peers++;
			}
		} else if (!strcmp(pname, "memory")) {
			sh->has_memory = parse_memory(c, sh->path, val, len, &sh->mem, 1, &nr);
		} else if (!strcmp(pname, "doorbells")) {
			if ((n = cell_count(c, sh->path, pname, len, 0)) < 0)
				continue;
			if (n != RAMPART_SHM_PEERS) {
				pc_error(c->d, sh->path, pname,
					 "%d cell%s; must be one SPI number per peer (%u)", n,
					 n == 1 ? "" : "s", RAMPART_SHM_PEERS);
				continue;
			}
			sh->has_doorbells = true;
			for (unsigned int i = 0; i < RAMPART_SHM_PEERS; i++)
				sh->doorbells[i] = cell(val, i);
		} else {
			pc_error(c->d, sh->path, pname, "unknown property");
		}
	}
	if (!fdt_getprop(c->fdt, off, "peers", NULL))
		pc_error(c->d, sh->path, "peers", "missing (the labels of the two partitions that share it)");
	fdt_for_each_subnode(sub, c->fdt, off)
	{
		char spath[PC_PATH_MAX];
		node_path(c->fdt, sub, spath);
		pc_error(c->d, spath, NULL, "unknown node (shared memory has no child nodes)");
	}
}

/* ------------------------------------------------------------ the container */

static int find_container(struct pctx *c, struct pc_model *m)
{
	int off = fdt_node_offset_by_compatible(c->fdt, -1, COMPAT_CONTAINER), next;

	if (off < 0) {
		pc_error(c->d, "/", NULL,
			 "no node with compatible = \"" COMPAT_CONTAINER "\" (conventionally /partitions)");
		return -1;
	}
	node_path(c->fdt, off, m->container);
	if (fdt_node_depth(c->fdt, off) != 1) {
		pc_error(c->d, m->container, "compatible",
			 "the partitions container must be a child of the root");
		return -1;
	}
	next = fdt_node_offset_by_compatible(c->fdt, off, COMPAT_CONTAINER);
	if (next >= 0) {
		char path[PC_PATH_MAX];
		node_path(c->fdt, next, path);
		pc_error(c->d, path, "compatible",
			 "a second \"" COMPAT_CONTAINER "\" container (the first is %s)", m->container);
		return -1;
	}
	return off;
}

/* A container property <pa-hi pa-lo size-hi size-lo>; false if absent or reported. */
static bool parse_pa_range(struct pctx *c, int off, const char *prop, struct pc_range *out)
{
	int len, n;
	const void *val = fdt_getprop(c->fdt, off, prop, &len);

	if (!val || (n = cell_count(c, c->container, prop, len, PC_WIDTH_64)) < 0)
		return false;
	if (n != 4) {
		pc_error(c->d, c->container, prop, "%d cell%s; must be 4 (<pa-hi pa-lo size-hi size-lo>)", n,
			 n == 1 ? "" : "s");
		return false;
	}
	out->base = cells(val, 0, 2);
	out->size = cells(val, 2, 2);
	return true;
}

static void check_container_props(struct pctx *c, int off, struct pc_model *m)
{
	const char *path = m->container;
	static const struct {
		const char *name;
		uint32_t value;
		const char *why;
	} need[] = { { "#address-cells", 1, "a partition's reg is its id" },
		     { "#size-cells", 0, "ids have no size" } };
	const void *val;
	int poff, len;

	for (unsigned int i = 0; i < 2; i++) {
		val = fdt_getprop(c->fdt, off, need[i].name, &len);
		if (!val)
			pc_error(c->d, path, need[i].name, "missing; must be <%u> (%s)", need[i].value,
				 need[i].why);
		else if (len != 4 || cell(val, 0) != need[i].value)
			pc_error(c->d, path, need[i].name, "must be <%u> (%s)", need[i].value, need[i].why);
	}
	fdt_for_each_property_offset(poff, c->fdt, off)
	{
		const char *pname;
		if (!fdt_getprop_by_offset(c->fdt, poff, &pname, NULL))
			continue;
		if (strcmp(pname, "compatible") && strcmp(pname, "#address-cells") &&
		    strcmp(pname, "#size-cells") && strcmp(pname, "image-staging") &&
		    strcmp(pname, "realm-metadata") && !is_common_prop(pname))
			pc_error(c->d, path, pname, "unknown property");
	}
	m->has_staging = parse_pa_range(c, off, "image-staging", &m->staging);
	m->has_realm_metadata = parse_pa_range(c, off, "realm-metadata", &m->realm_metadata);
}

int pc_parse(const void *fdt, struct pc_model *m, const char *const *search, unsigned int nr_search,
	     const struct pc_types *types, struct pc_diag *d)
{
	struct pctx c = { fdt, d, search, nr_search, m->container, types };
	unsigned int before = d->count;
	size_t pos = 0;
	int off, child;

	memset(m, 0, sizeof(*m));
	for (unsigned int i = 0; i < nr_search && pos < sizeof(m->search_desc); i++)
		pos += (size_t)snprintf(m->search_desc + pos, sizeof(m->search_desc) - pos, "%s%s",
					i ? ", " : "", search[i]);
	if (!nr_search)
		copy_str(m->search_desc, sizeof(m->search_desc), "no --image-path");
	off = find_container(&c, m);
	if (off < 0)
		return -1;
	check_container_props(&c, off, m);
	fdt_for_each_subnode(child, fdt, off)
	{
		char path[PC_PATH_MAX];
		int len;
		const char *compat = fdt_getprop(fdt, child, "compatible", &len);

		node_path(fdt, child, path);
		if (!compat) {
			pc_error(d, path, "compatible", "missing " EXPECTED_COMPAT);
			continue;
		}
		if (!(compat = one_string(&c, path, "compatible", compat, len)))
			continue;
		if (!strcmp(compat, COMPAT_VM) || !strcmp(compat, COMPAT_REALM)) {
			if (m->nr_partitions == RAMPART_MAX_PARTITIONS) {
				pc_error(d, path, "compatible",
					 "more than %u partitions (RAMPART_MAX_PARTITIONS)",
					 RAMPART_MAX_PARTITIONS);
				break;
			}
			parse_partition(&c, child,
					!strcmp(compat, COMPAT_VM) ? RAMPART_KIND_VM : RAMPART_KIND_REALM,
					&m->partitions[m->nr_partitions++]);
		} else if (!strcmp(compat, COMPAT_SHM)) {
			if (m->nr_shm == RAMPART_MAX_SHM) {
				pc_error(d, path, "compatible",
					 "more than %u shared-memory regions (RAMPART_MAX_SHM)",
					 RAMPART_MAX_SHM);
				break;
			}
			parse_shm(&c, child, &m->shm[m->nr_shm++]);
		} else {
			pc_error(d, path, "compatible", "unknown \"%s\" " EXPECTED_COMPAT, compat);
		}
	}
	return d->count == before ? 0 : -1;
}
