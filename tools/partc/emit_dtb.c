/*
 * partc guest DTBs: one device tree per partition, written with libfdt's
 * sequential-write API. The layout mimics QEMU virt (reference
 * cca-interfaces.md §6.2): /memory, /cpus with PSCI enable-method, /psci
 * (method "smc"), a GICv3, the architected timer, a PL011 (the virtual
 * UART), /chosen; then the shared-memory regions, the passthrough devices
 * and the nodes of the partition's dtb-fragment.
 *
 * Every libfdt call's result is checked: the first error sticks in
 * struct dtb and fails the build with its name, and a node name that is
 * already at the root is reported with what holds it (FDT_ERR_EXISTS).
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partc.h"

#define MAX_TOP_NODES 64
#define OWNER_MAX (PC_PATH_MAX + 32) /* "shared memory /partitions/ivc0" */

struct dtb {
	void *fdt;
	int err;
	unsigned int nr_top;
	char top[MAX_TOP_NODES][PC_NAME_MAX]; /* names of the root's children so far */
	char owner[MAX_TOP_NODES][OWNER_MAX]; /* what each one is, for a clash's message */
	const char *clash;		      /* set by begin_top: what already has the name */
};

static void chk(struct dtb *t, int rc)
{
	if (t->err == 0 && rc < 0)
		t->err = rc;
}

static void begin(struct dtb *t, const char *name)
{
	if (t->err == 0)
		chk(t, fdt_begin_node(t->fdt, name));
}

static void end(struct dtb *t)
{
	if (t->err == 0)
		chk(t, fdt_end_node(t->fdt));
}

/*
 * A child of the root, owned by owner: remember its name so that nothing
 * else reuses it. A second node of the same name fails the DTB
 * (FDT_ERR_EXISTS); t->clash then says what has it, for the caller's message.
 */
static bool begin_top_of(struct dtb *t, const char *name, const char *owner)
{
	for (unsigned int i = 0; i < t->nr_top; i++) {
		if (!strcmp(t->top[i], name)) {
			t->clash = t->owner[i];
			chk(t, -FDT_ERR_EXISTS);
			return false;
		}
	}
	if (t->nr_top == MAX_TOP_NODES) {
		chk(t, -FDT_ERR_INTERNAL); /* names could no longer be checked */
		return false;
	}
	snprintf(t->top[t->nr_top], PC_NAME_MAX, "%s", name);
	snprintf(t->owner[t->nr_top++], OWNER_MAX, "%s", owner);
	begin(t, name);
	return true;
}

/* The nodes partc generates for every guest (they come first: never a clash). */
static void begin_top(struct dtb *t, const char *name)
{
	begin_top_of(t, name, "a node partc generates");
}

static void prop(struct dtb *t, const char *name, const void *val, size_t len)
{
	if (t->err == 0)
		chk(t, fdt_property(t->fdt, name, val, (int)len));
}

static void prop_str(struct dtb *t, const char *name, const char *s)
{
	prop(t, name, s, strlen(s) + 1);
}

static void prop_u32(struct dtb *t, const char *name, uint32_t v)
{
	if (t->err == 0)
		chk(t, fdt_property_u32(t->fdt, name, v));
}

static void prop_u64(struct dtb *t, const char *name, uint64_t v)
{
	if (t->err == 0)
		chk(t, fdt_property_u64(t->fdt, name, v));
}

#define MAX_CELLS (3 * PC_MAX_DEV_IRQS) /* the longest property built here */

static void prop_cells(struct dtb *t, const char *name, const uint32_t *c, unsigned int n)
{
	fdt32_t be[MAX_CELLS];

	if (n > MAX_CELLS) {
		if (t->err == 0)
			t->err = -FDT_ERR_INTERNAL;
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(c[i]);
	prop(t, name, be, n * sizeof(fdt32_t));
}

_Static_assert(4 * PC_MAX_DEV_REGS <= MAX_CELLS, "reg cells");

/* reg = <addr-hi addr-lo size-hi size-lo> ... (the guest root is 2/2 cells). */
static void prop_reg(struct dtb *t, const struct pc_range *r, unsigned int n)
{
	uint32_t c[4 * PC_MAX_DEV_REGS];
	unsigned int k = 0;

	for (unsigned int i = 0; i < n && i < PC_MAX_DEV_REGS; i++) {
		c[k++] = (uint32_t)(r[i].base >> 32);
		c[k++] = (uint32_t)r[i].base;
		c[k++] = (uint32_t)(r[i].size >> 32);
		c[k++] = (uint32_t)r[i].size;
	}
	prop_cells(t, "reg", c, k);
}

static void node_name(char *buf, const char *base, uint64_t addr)
{
	snprintf(buf, PC_NAME_MAX, "%s@%llx", base, (unsigned long long)addr);
}

static void emit_chosen(struct dtb *t, const struct pc_partition *pt, const char *uart)
{
	begin_top(t, "chosen");
	if (pt->has_bootargs)
		prop_str(t, "bootargs", pt->bootargs);
	if (pt->console_kind == RAMPART_CONSOLE_VUART)
		prop_str(t, "stdout-path", uart);
	if (pt->initrd.given) {
		prop_u64(t, "linux,initrd-start", pt->initrd_ipa);
		prop_u64(t, "linux,initrd-end", pt->initrd_ipa + pt->initrd.file_size);
	}
	end(t);
	if (pt->console_kind == RAMPART_CONSOLE_VUART) {
		begin_top(t, "aliases");
		prop_str(t, "serial0", uart);
		end(t);
	}
}

static void emit_cpus(struct dtb *t, const struct pc_partition *pt)
{
	char name[PC_NAME_MAX];

	begin_top(t, "cpus");
	prop_u32(t, "#address-cells", 1);
	prop_u32(t, "#size-cells", 0);
	for (unsigned int i = 0; i < pt->nr_cpus; i++) {
		node_name(name, "cpu", i);
		begin(t, name);
		prop_str(t, "device_type", "cpu");
		prop_str(t, "compatible", "arm,armv8");
		prop_u32(t, "reg", i); /* MPIDR Aff0 of vCPU i */
		prop_str(t, "enable-method", "psci");
		end(t);
	}
	end(t);
	begin_top(t, "psci");
	prop(t, "compatible", "arm,psci-1.0\0arm,psci-0.2", sizeof("arm,psci-1.0\0arm,psci-0.2"));
	prop_str(t, "method", "smc");
	end(t);
}

static void emit_gic_timer(struct dtb *t, const struct pc_partition *pt, uint32_t gic)
{
	char name[PC_NAME_MAX];
	struct pc_range reg[2] = { { RAMPART_GUEST_GICD_IPA, RAMPART_GUEST_GICD_SIZE },
				   { RAMPART_GUEST_GICR_IPA, RAMPART_GUEST_GICR_STRIDE * pt->nr_cpus } };
	/* <PPI n IRQ_TYPE_LEVEL_HIGH> for the secure, non-secure, virtual and hypervisor timers */
	const uint32_t timer[12] = { 1, RAMPART_GUEST_TIMER_PPI_SEC,  4, 1, RAMPART_GUEST_TIMER_PPI_PHYS, 4,
				     1, RAMPART_GUEST_TIMER_PPI_VIRT, 4, 1, RAMPART_GUEST_TIMER_PPI_HYP,  4 };

	node_name(name, "intc", RAMPART_GUEST_GICD_IPA);
	begin_top(t, name);
	prop_str(t, "compatible", "arm,gic-v3");
	prop_u32(t, "#interrupt-cells", 3);
	prop_u32(t, "#address-cells", 2);
	prop_u32(t, "#size-cells", 2);
	prop(t, "ranges", NULL, 0);
	prop(t, "interrupt-controller", NULL, 0);
	prop_reg(t, reg, 2);
	prop_u32(t, "phandle", gic);
	end(t);
	begin_top(t, "timer");
	prop_str(t, "compatible", "arm,armv8-timer");
	prop_cells(t, "interrupts", timer, 12);
	prop(t, "always-on", NULL, 0);
	end(t);
}

static void emit_uart(struct dtb *t, const char *uart, uint32_t clk)
{
	struct pc_range reg = { RAMPART_GUEST_VUART_IPA, RAMPART_GUEST_VUART_SIZE };
	uint32_t irq[3] = { 0, RAMPART_GUEST_VUART_SPI, 4 }, clocks[2] = { clk, clk };

	begin_top(t, "apb-pclk");
	prop_str(t, "compatible", "fixed-clock");
	prop_u32(t, "#clock-cells", 0);
	prop_u32(t, "clock-frequency", RAMPART_GUEST_VUART_CLOCK_HZ);
	prop_str(t, "clock-output-names", "clk24mhz");
	prop_u32(t, "phandle", clk);
	end(t);
	begin_top(t, uart + 1);
	prop(t, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell"));
	prop_reg(t, &reg, 1);
	prop_cells(t, "interrupts", irq, 3);
	prop_cells(t, "clocks", clocks, 2);
	prop(t, "clock-names", "uartclk\0apb_pclk", sizeof("uartclk\0apb_pclk"));
	end(t);
}

static bool emit_devices(struct dtb *t, const struct pc_partition *pt, struct pc_diag *d)
{
	char owner[OWNER_MAX];

	for (unsigned int i = 0; i < pt->nr_devices; i++) {
		const struct pc_device *dev = &pt->devices[i];
		uint32_t irq[3 * PC_MAX_DEV_IRQS];

		snprintf(owner, sizeof(owner), "passthrough device %s", dev->path);
		if (!begin_top_of(t, dev->name, owner)) {
			if (t->err != -FDT_ERR_EXISTS)
				return true; /* reported with its libfdt error at the end */
			pc_error(d, pt->path, "devices",
				 "%s: the guest device tree already has a node named %s (%s); rename the "
				 "device's node",
				 dev->path, dev->name, t->clash);
			return false;
		}
		prop(t, "compatible", dev->compatible, dev->compatible_len);
		prop_reg(t, dev->regs, dev->nr_regs);
		for (unsigned int q = 0; q < dev->nr_irqs; q++) {
			irq[q * 3] = 0;
			irq[q * 3 + 1] = dev->irqs[q].spi;
			irq[q * 3 + 2] = dev->irqs[q].flags;
		}
		if (dev->nr_irqs)
			prop_cells(t, "interrupts", irq, dev->nr_irqs * 3);
		end(t);
	}
	return true;
}

static void emit_shm(struct dtb *t, const struct pc_model *m, unsigned int pi)
{
	char name[PC_NAME_MAX], owner[OWNER_MAX];

	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		struct pc_range reg = { sh->mem.ipa, sh->mem.size };
		unsigned int k = sh->peer_index[0] == pi ? 0 : 1;
		uint32_t irq[3] = { 0, sh->doorbells[k], 1 }; /* edge-rising */

		if (sh->peer_index[k] != pi)
			continue;
		node_name(name, "shm", sh->mem.ipa);
		snprintf(owner, sizeof(owner), "shared memory %s", sh->path);
		if (!begin_top_of(t, name, owner))
			return; /* IPAs do not overlap: only the node limit gets here */
		prop_str(t, "compatible", "rampart,shared-memory");
		prop_reg(t, &reg, 1);
		prop_str(t, "label", sh->label);
		prop_u32(t, "rampart,id", s);
		prop_str(t, "rampart,peer", m->partitions[sh->peer_index[1 - k]].label);
		if (sh->has_doorbells)
			prop_cells(t, "interrupts", irq, 3);
		end(t);
	}
}

/* Copy the fragment root's child nodes, depth by depth (no recursion). */
static bool emit_fragment(struct dtb *t, const struct pc_partition *pt, const void *frag, struct pc_diag *d)
{
	int depth = 0, open = 0, off, poff;

	fdt_for_each_property_offset(poff, frag, 0)
	{
		const char *pname;
		if (fdt_getprop_by_offset(frag, poff, &pname, NULL) && strcmp(pname, "#address-cells") &&
		    strcmp(pname, "#size-cells")) {
			pc_error(d, pt->path, "dtb-fragment",
				 "%s: root property '%s': only child nodes are merged", pt->fragment.file,
				 pname);
			return false;
		}
	}
	for (off = fdt_next_node(frag, 0, &depth); off >= 0 && depth > 0;
	     off = fdt_next_node(frag, off, &depth)) {
		const char *name = fdt_get_name(frag, off, NULL);

		while (open >= depth) {
			end(t);
			open--;
		}
		if (!name) {
			chk(t, -FDT_ERR_BADSTRUCTURE);
			return true; /* reported with its libfdt error at the end */
		}
		if (depth == 1) {
			if (!begin_top_of(t, name, "a node partc generates")) {
				if (t->err != -FDT_ERR_EXISTS)
					return true;
				pc_error(d, pt->path, "dtb-fragment",
					 "%s: node /%s is already in the generated device tree (%s)",
					 pt->fragment.file, name, t->clash);
				return false;
			}
		} else {
			begin(t, name);
		}
		open++;
		fdt_for_each_property_offset(poff, frag, off)
		{
			const char *pname;
			int len;
			const void *val = fdt_getprop_by_offset(frag, poff, &pname, &len);
			chk(t, val ? 0 : len);
			if (val)
				prop(t, pname, val, (size_t)len);
		}
		if (poff != -FDT_ERR_NOTFOUND)
			chk(t, poff);
	}
	if (off < 0 && off != -FDT_ERR_NOTFOUND)
		chk(t, off);
	while (open > 0) {
		end(t);
		open--;
	}
	return true;
}

int pc_build_dtb(const struct pc_model *m, unsigned int i, const void *fragment, void *buf, size_t size,
		 struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	struct dtb t;
	char name[PC_NAME_MAX], uart[PC_NAME_MAX + 1], model[PC_NAME_MAX + 32];
	uint32_t gic = 1, clk = 2, max = 0;

	memset(&t, 0, sizeof(t));
	t.fdt = buf;
	if (fragment) {
		/* Generated phandles go above the fragment's: without its maximum they could clash. */
		chk(&t, fdt_find_max_phandle(fragment, &max));
		gic = max + 1;
		clk = max + 2;
	}
	uart[0] = '/';
	node_name(uart + 1, "pl011", RAMPART_GUEST_VUART_IPA);
	chk(&t, fdt_create(buf, (int)size));
	chk(&t, fdt_finish_reservemap(buf));
	begin(&t, "");
	prop_u32(&t, "#address-cells", 2);
	prop_u32(&t, "#size-cells", 2);
	prop_str(&t, "compatible", "rampart,guest");
	snprintf(model, sizeof(model), "Rampart partition %s", pt->label);
	prop_str(&t, "model", model);
	prop_u32(&t, "interrupt-parent", gic);

	emit_chosen(&t, pt, uart);
	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		struct pc_range r = { pt->mem[k].ipa, pt->mem[k].size };
		node_name(name, "memory", r.base);
		begin_top(&t, name);
		prop_str(&t, "device_type", "memory");
		prop_reg(&t, &r, 1);
		end(&t);
	}
	emit_cpus(&t, pt);
	emit_gic_timer(&t, pt, gic);
	if (pt->console_kind == RAMPART_CONSOLE_VUART)
		emit_uart(&t, uart, clk);
	emit_shm(&t, m, i);
	if (!emit_devices(&t, pt, d))
		return -1;
	if (fragment && !emit_fragment(&t, pt, fragment, d))
		return -1;
	end(&t);
	chk(&t, fdt_finish(buf));
	if (t.err == -FDT_ERR_NOSPACE) {
		pc_error(d, pt->path, pt->fragment.given ? "dtb-fragment" : NULL,
			 "the generated device tree is larger than 0x%zx bytes (RAMPART_DTB_MAX)", size);
		return -1;
	}
	if (t.err == 0)
		t.err = fdt_check_full(buf, size);
	if (t.err) {
		pc_error(d, pt->path, NULL, "building the guest device tree failed: %s", fdt_strerror(t.err));
		return -1;
	}
	return (int)fdt_totalsize(buf);
}
