/*
 * The external payload's device tree: QEMU's tree copied and fixed up for a Normal world
 * under this firmware (ns_dtb.h; docs/external-payload.md, "Device tree"). QEMU builds its
 * tree for whatever boots first, here the monitor at EL3: it lists the DRAM the RMM carve-out
 * occupies, the Secure-only devices, and no PSCI. The payload must see none of the first two
 * and the monitor's PSCI through SMC.
 *
 * Each step removes or rewrites nodes while libfdt offsets move under it, so a step that
 * deletes something starts its walk again from the top; every rewrite is idempotent, which
 * makes the restart harmless, and every deletion shrinks the tree, which ends the loop.
 */
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include "ns_dtb.h"

#define CELL_BYTES 4
#define MAX_CELLS 2 /* #address-cells / #size-cells this file reads: 32 or 64 bits */
#define HEX_DIGITS_MAX 16
#define HEX_DIGIT_BITS 4
#define HEX_DIGIT_MASK 0xfU
#define FDT_VERSION_STRUCT_SIZE 17 /* the first header with size_dt_struct */
#define SECURE_BATCH 16		   /* nodes removed per walk (QEMU virt has 7) */

struct span {
	uint64_t start, end; /* end exclusive */
};

/* base + size, saturated: a range that would wrap ends at the top of the address space. */
static uint64_t range_end(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

int ns_dtb_subtract(uint64_t base, uint64_t size, const struct ns_dtb_range *cuts, unsigned int nr_cuts,
		    struct ns_dtb_range *out, unsigned int max_out)
{
	struct span cur[NS_DTB_MAX_MEM_RANGES], next[NS_DTB_MAX_MEM_RANGES];
	unsigned int n = 0;

	if (max_out > NS_DTB_MAX_MEM_RANGES)
		max_out = NS_DTB_MAX_MEM_RANGES;
	if (size) {
		if (!max_out)
			return -1;
		cur[n++] = (struct span){ base, range_end(base, size) };
	}
	/* Cutting keeps the pieces in address order: a piece becomes its left and right rest. */
	for (unsigned int k = 0; k < nr_cuts; k++) {
		uint64_t cs = cuts[k].base, ce = range_end(cuts[k].base, cuts[k].size);
		unsigned int m = 0;

		for (unsigned int i = 0; i < n; i++) {
			struct span keep[2];
			unsigned int nk = 0;

			if (ce <= cur[i].start || cs >= cur[i].end || cs == ce) {
				keep[nk++] = cur[i];
			} else {
				if (cs > cur[i].start)
					keep[nk++] = (struct span){ cur[i].start, cs };
				if (ce < cur[i].end)
					keep[nk++] = (struct span){ ce, cur[i].end };
			}
			for (unsigned int j = 0; j < nk; j++) {
				if (m == max_out)
					return -1;
				next[m++] = keep[j];
			}
		}
		memcpy(cur, next, m * sizeof(cur[0]));
		n = m;
	}
	for (unsigned int i = 0; i < n; i++)
		out[i] = (struct ns_dtb_range){ cur[i].start, cur[i].end - cur[i].start };
	return (int)n;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << (CELL_BYTES * 8)) | fdt32_to_cpu(p[i]);
	return v;
}

static void write_cells(fdt32_t *p, int cells, uint64_t v)
{
	for (int i = cells - 1; i >= 0; i--) {
		p[i] = cpu_to_fdt32((uint32_t)v);
		v >>= CELL_BYTES * 8;
	}
}

/* The #address-cells and #size-cells of node's children, if this file can read them. */
static int child_cells(const void *fdt, int node, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, node);
	*sc = fdt_size_cells(fdt, node);
	if (*ac < 0)
		return *ac;
	if (*sc < 0)
		return *sc;
	return *ac < 1 || *ac > MAX_CELLS || *sc < 1 || *sc > MAX_CELLS ? -FDT_ERR_BADNCELLS : 0;
}

static int prop_is(const void *fdt, int node, const char *name, const char *value)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	return v && (size_t)len == strlen(value) + 1 && memcmp(v, value, (size_t)len) == 0;
}

static int overlaps(uint64_t base, uint64_t size, const struct ns_dtb_range *r, unsigned int n)
{
	uint64_t end = range_end(base, size);

	for (unsigned int i = 0; i < n; i++) {
		if (base < range_end(r[i].base, r[i].size) && r[i].base < end)
			return 1;
	}
	return 0;
}

/* "memory@<base in hex>": the unit address follows the node's new first range. */
static int rename_memory_node(void *fdt, int node, uint64_t base)
{
	static const char prefix[] = "memory@";
	char name[sizeof(prefix) + HEX_DIGITS_MAX];
	int digits = 1;

	while (digits < HEX_DIGITS_MAX && (base >> (HEX_DIGIT_BITS * digits)))
		digits++;
	memcpy(name, prefix, sizeof(prefix) - 1);
	for (int i = 0; i < digits; i++) {
		unsigned int d = (base >> (HEX_DIGIT_BITS * (digits - 1 - i))) & HEX_DIGIT_MASK;
		name[sizeof(prefix) - 1 + i] = "0123456789abcdef"[d];
	}
	name[sizeof(prefix) - 1 + digits] = '\0';
	return fdt_set_name(fdt, node, name);
}

#define NODE_DELETED 1

/* One /memory node without the carve-outs: 0, NODE_DELETED if nothing was left, or an error. */
static int fix_memory_node(void *fdt, int node, const struct ns_dtb_params *p)
{
	struct ns_dtb_range pieces[NS_DTB_MAX_MEM_RANGES];
	fdt32_t cells[NS_DTB_MAX_MEM_RANGES * 2 * MAX_CELLS];
	unsigned int total = 0;
	int ac, sc, len;
	int parent = fdt_parent_offset(fdt, node);
	int rc = parent < 0 ? parent : child_cells(fdt, parent, &ac, &sc);

	if (rc)
		return rc;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len;
	int entry = ac + sc;
	if (len % (entry * CELL_BYTES))
		return -FDT_ERR_BADVALUE;
	for (int i = 0; i < len / (entry * CELL_BYTES); i++) {
		const fdt32_t *e = reg + i * entry;
		int n = ns_dtb_subtract(read_cells(e, ac), read_cells(e + ac, sc), p->carveouts,
					p->nr_carveouts, pieces + total, NS_DTB_MAX_MEM_RANGES - total);
		if (n < 0)
			return -FDT_ERR_NOSPACE; /* more than NS_DTB_MAX_MEM_RANGES pieces */
		total += (unsigned int)n;
	}
	if (!total) {
		rc = fdt_del_node(fdt, node);
		return rc ? rc : NODE_DELETED;
	}
	/* Pieces are never larger than what they were cut from: they fit the same cells. */
	for (unsigned int i = 0; i < total; i++) {
		write_cells(cells + i * (unsigned int)entry, ac, pieces[i].base);
		write_cells(cells + i * (unsigned int)entry + ac, sc, pieces[i].size);
	}
	rc = fdt_setprop(fdt, node, "reg", cells, (int)total * entry * CELL_BYTES);
	const char *name = fdt_get_name(fdt, node, NULL);
	size_t plen = strlen("memory");
	if (!rc && name && strnlen(name, plen) == plen && memcmp(name, "memory", plen) == 0)
		rc = rename_memory_node(fdt, node, pieces[0].base);
	return rc;
}

static int fix_memory(void *fdt, const struct ns_dtb_params *p)
{
	int node = -1;

	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", sizeof("memory"));
		if (node == -FDT_ERR_NOTFOUND)
			return 0;
		if (node < 0)
			return node;
		int rc = fix_memory_node(fdt, node, p);
		if (rc < 0)
			return rc;
		if (rc == NODE_DELETED)
			node = -1; /* offsets moved; nodes already cut are cut again to the same ranges */
	}
}

/*
 * A node the Normal world must not see: QEMU marks Secure-only devices (secure UART, flash,
 * SRAM, the power GPIO and what uses it) with secure-status = "okay" and status = "disabled";
 * /secure-chosen is EL3's own /chosen. And, whatever the tree says, a top-level device whose
 * registers lie in Root-only memory.
 */
static int secure_only(const void *fdt, int node, int depth, const struct ns_dtb_params *p, int ac, int sc)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int len;

	if (depth == 1 && name && strcmp(name, "secure-chosen") == 0)
		return 1;
	/* No status means okay; "ok" is the older spelling. */
	if (fdt_getprop(fdt, node, "secure-status", NULL) && fdt_getprop(fdt, node, "status", NULL) &&
	    !prop_is(fdt, node, "status", "okay") && !prop_is(fdt, node, "status", "ok"))
		return 1;
	if (depth != 1)
		return 0;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (ac + sc) * CELL_BYTES)
		return 0;
	return overlaps(read_cells(reg, ac), read_cells(reg + ac, sc), p->root_only, p->nr_root_only);
}

/*
 * One walk collects the nodes to remove; deleting them from the last back keeps the offsets
 * of the earlier ones valid (a node's children come after it). A tree with more than fit in
 * one batch takes another walk.
 */
static int remove_secure_nodes(void *fdt, const struct ns_dtb_params *p)
{
	int ac, sc;
	int rc = child_cells(fdt, 0, &ac, &sc);

	while (!rc) {
		int victims[SECURE_BATCH], n = 0, depth = 0, node = 0;

		for (;;) {
			node = fdt_next_node(fdt, node, &depth);
			if (node < 0 || depth <= 0 || n == SECURE_BATCH)
				break;
			if (secure_only(fdt, node, depth, p, ac, sc))
				victims[n++] = node;
		}
		if (node < 0 && node != -FDT_ERR_NOTFOUND)
			return node;
		for (int i = n - 1; !rc && i >= 0; i--)
			rc = fdt_del_node(fdt, victims[i]);
		if (n < SECURE_BATCH)
			break;
	}
	return rc;
}

/* An alias of a removed node (serial1 = the secure UART) would name nothing. */
static int remove_dangling_aliases(void *fdt, const struct ns_dtb_params *p)
{
	(void)p;
	int aliases = fdt_path_offset(fdt, "/aliases");

	if (aliases < 0)
		return aliases == -FDT_ERR_NOTFOUND ? 0 : aliases;
	for (;;) {
		const char *victim = NULL;
		int prop;

		fdt_for_each_property_offset(prop, fdt, aliases)
		{
			const char *name;
			int len;
			const char *path = fdt_getprop_by_offset(fdt, prop, &name, &len);

			if (path && len > 1 && path[0] == '/' && path[len - 1] == '\0' &&
			    fdt_path_offset(fdt, path) < 0) {
				victim = name;
				break;
			}
		}
		if (!victim)
			return prop == -FDT_ERR_NOTFOUND ? 0 : prop;
		/* fdt_delprop reads the name (in the strings block) before it moves anything. */
		int rc = fdt_delprop(fdt, aliases, victim);
		if (rc)
			return rc;
	}
}

/*
 * enable-method = "psci" on every CPU the firmware runs (MPIDR Aff0 = 0..nr_cpus-1); other
 * cpu nodes go, and with them /cpus/cpu-map, whose phandles would name them.
 */
static int fix_cpus(void *fdt, const struct ns_dtb_params *p)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), removed = 0;
	int ac = cpus < 0 ? cpus : fdt_address_cells(fdt, cpus); /* reg is the MPIDR; no size */
	int rc = ac < 0 ? ac : (ac < 1 || ac > MAX_CELLS ? -FDT_ERR_BADNCELLS : 0);

	while (!rc) {
		int node, victim = -1;

		fdt_for_each_subnode(node, fdt, cpus)
		{
			int len;

			if (!prop_is(fdt, node, "device_type", "cpu"))
				continue;
			const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
			if (!reg || len < ac * CELL_BYTES)
				return -FDT_ERR_BADVALUE;
			if (read_cells(reg, ac) >= p->nr_cpus) {
				victim = node;
				break;
			}
			rc = fdt_setprop_string(fdt, node, "enable-method", "psci");
			if (rc)
				return rc;
		}
		if (victim < 0) {
			if (node != -FDT_ERR_NOTFOUND)
				return node;
			break;
		}
		rc = fdt_del_node(fdt, victim);
		removed = 1;
	}
	if (rc || !removed)
		return rc;
	int map = fdt_subnode_offset(fdt, cpus, "cpu-map");
	if (map == -FDT_ERR_NOTFOUND)
		return 0;
	return map < 0 ? map : fdt_del_node(fdt, map);
}

static int subnode_or_add(void *fdt, const char *name)
{
	int node = fdt_subnode_offset(fdt, 0, name);

	return node == -FDT_ERR_NOTFOUND ? fdt_add_subnode(fdt, 0, name) : node;
}

/* The monitor's PSCI 1.1 (monitor/psci.c): 0.2 function ids, through SMC. */
static int add_psci(void *fdt, const struct ns_dtb_params *p)
{
	static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2";
	(void)p;
	int node = subnode_or_add(fdt, "psci");
	int rc = node < 0 ? node : fdt_setprop(fdt, node, "compatible", compatible, sizeof(compatible));

	return rc ? rc : fdt_setprop_string(fdt, node, "method", "smc");
}

/* bootargs (QEMU's -append) stay; the initrd is what the monitor loaded, or none. */
static int fix_chosen(void *fdt, const struct ns_dtb_params *p)
{
	int node = subnode_or_add(fdt, "chosen");
	int rc = node < 0 ? node : 0;

	if (!rc && p->initrd_end > p->initrd_start) {
		rc = fdt_setprop_u64(fdt, node, "linux,initrd-start", p->initrd_start);
		if (!rc)
			rc = fdt_setprop_u64(fdt, node, "linux,initrd-end", p->initrd_end);
		return rc;
	}
	for (int i = 0; !rc && i < 2; i++) {
		rc = fdt_delprop(fdt, node, i ? "linux,initrd-end" : "linux,initrd-start");
		if (rc == -FDT_ERR_NOTFOUND)
			rc = 0;
	}
	return rc;
}

static int add_reserve(void *fdt, const struct ns_dtb_params *p)
{
	return p->reserve_size ? fdt_add_mem_rsv(fdt, p->reserve_base, p->reserve_size) : 0;
}

static int pack(void *fdt, const struct ns_dtb_params *p)
{
	(void)p;
	return fdt_pack(fdt);
}

/* Secure nodes before aliases (which may name them); pack last. */
static const struct {
	const char *step;
	int (*fn)(void *fdt, const struct ns_dtb_params *p);
} fixups[] = {
	{ "removing the Secure devices", remove_secure_nodes },
	{ "/aliases", remove_dangling_aliases },
	{ "/memory", fix_memory },
	{ "/cpus", fix_cpus },
	{ "/psci", add_psci },
	{ "/chosen", fix_chosen },
	{ "/memreserve/", add_reserve },
	{ "packing", pack },
};

/*
 * fdt_open_into() wants room for the source's whole totalsize when its blocks are in order,
 * and QEMU's tree claims 1 MiB, almost all of it free space. So copy what the blocks use
 * (checked against totalsize by fdt_check_header()), shrink the header to that, then open it
 * in place with the window's free space.
 */
static int copy_tree(const void *src, void *dst, size_t dst_size)
{
	int bufsize = dst_size > INT32_MAX ? INT32_MAX : (int)dst_size;
	int nrsv = fdt_num_mem_rsv(src);

	if (fdt_totalsize(src) <= (size_t)bufsize)
		return fdt_open_into(src, dst, bufsize);
	if (nrsv < 0)
		return nrsv;
	if (fdt_version(src) < FDT_VERSION_STRUCT_SIZE)
		return -FDT_ERR_BADVERSION; /* no size_dt_struct to measure the tree by */
	size_t used = fdt_off_mem_rsvmap(src) + (size_t)(nrsv + 1) * sizeof(struct fdt_reserve_entry);
	size_t dt_struct_end = (size_t)fdt_off_dt_struct(src) + fdt_size_dt_struct(src);
	size_t dt_strings_end = (size_t)fdt_off_dt_strings(src) + fdt_size_dt_strings(src);
	if (dt_struct_end > used)
		used = dt_struct_end;
	if (dt_strings_end > used)
		used = dt_strings_end;
	if (used > (size_t)bufsize)
		return -FDT_ERR_NOSPACE;
	memcpy(dst, src, used);
	fdt_set_totalsize(dst, (uint32_t)used);
	return fdt_open_into(dst, dst, bufsize);
}

int ns_dtb_prepare(const void *src, size_t src_size, void *dst, size_t dst_size,
		   const struct ns_dtb_params *p, const char **step)
{
	int rc = 0;

	*step = "reading QEMU's tree";
	if (src_size < sizeof(struct fdt_header) || fdt_magic(src) != FDT_MAGIC)
		rc = -FDT_ERR_BADMAGIC;
	else if ((rc = fdt_check_header(src)) == 0 && fdt_totalsize(src) > src_size)
		rc = -FDT_ERR_TRUNCATED;
	if (!rc) {
		*step = "copying it";
		rc = copy_tree(src, dst, dst_size);
	}
	for (size_t i = 0; !rc && i < sizeof(fixups) / sizeof(fixups[0]); i++) {
		*step = fixups[i].step;
		rc = fixups[i].fn(dst, p);
	}
	if (!rc)
		return (int)fdt_totalsize(dst);
	if (dst_size >= sizeof(struct fdt_header))
		memset(dst, 0, sizeof(struct fdt_header));
	return rc;
}

const char *ns_dtb_strerror(int rc)
{
	return fdt_strerror(rc);
}
