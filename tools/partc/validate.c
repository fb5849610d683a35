/*
 * partc validation: pure functions over the parsed model and the platform
 * facts. No libfdt, no files: tests/unit/test_partc.c builds models by
 * hand and checks every message.
 *
 * A check reports the first problem of each item (memory region, device
 * range, ...) and marks nothing else, so one mistake gives one message;
 * cross checks (overlaps between partitions) only compare items that were
 * themselves valid.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partc.h"

#define RAMPART_IPA_LIMIT (1ULL << RAMPART_GUEST_IPA_BITS)

void pc_error(struct pc_diag *d, const char *path, const char *prop, const char *fmt, ...)
{
	char msg[2048];
	int n;
	va_list ap;

	if (prop)
		n = snprintf(msg, sizeof(msg), "%s: property '%s': ", path, prop);
	else
		n = snprintf(msg, sizeof(msg), "%s: ", path);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	d->count++;
	if (d->count <= PC_MAX_ERRORS && d->emit)
		d->emit(d->ctx, msg);
}

/* ------------------------------------------------------------ helpers */

uint64_t pc_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t last_byte(uint64_t base, uint64_t size)
{
	if (size - 1 > UINT64_MAX - base)
		return UINT64_MAX;
	return base + (size - 1);
}

bool pc_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	if (!asize || !bsize)
		return false;
	return a <= last_byte(b, bsize) && b <= last_byte(a, asize);
}

static bool wraps(uint64_t base, uint64_t size)
{
	return size && size - 1 > UINT64_MAX - base;
}

static bool inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size)
{
	return base >= outer && last_byte(base, size) <= last_byte(outer, outer_size);
}

/* "[0xfirst-0xlast]", usable as a printf argument: pc_rng(b, s).s */
struct pc_rstr pc_rng(uint64_t base, uint64_t size)
{
	struct pc_rstr r;

	snprintf(r.s, sizeof(r.s), "[0x%llx-0x%llx]", (unsigned long long)base,
		 (unsigned long long)last_byte(base, size ? size : 1));
	return r;
}

int pc_console_kind(const char *s)
{
	if (!strcmp(s, "vuart"))
		return RAMPART_CONSOLE_VUART;
	if (!strcmp(s, "none"))
		return RAMPART_CONSOLE_NONE;
	return -1;
}

int pc_fault_policy(const char *s)
{
	if (!strcmp(s, "stop"))
		return RAMPART_FAULT_STOP;
	if (!strcmp(s, "restart"))
		return RAMPART_FAULT_RESTART;
	if (!strcmp(s, "reset-system"))
		return RAMPART_FAULT_RESET_SYSTEM;
	return -1;
}

int pc_image_load(const char *s)
{
	if (!strcmp(s, "flash"))
		return 0;
	if (!strcmp(s, "external"))
		return 1;
	return -1;
}

/* The guest's virtual devices at IPA; which ones depends on the partition. */
struct vdev {
	const char *what;
	uint64_t base;
	uint64_t size;
};

static unsigned int guest_vdevs(const struct pc_partition *pt, struct vdev v[3])
{
	unsigned int n = 0;

	v[n++] = (struct vdev){ "the virtual GIC distributor", RAMPART_GUEST_GICD_IPA,
				RAMPART_GUEST_GICD_SIZE };
	v[n++] = (struct vdev){ "the virtual GIC redistributors", RAMPART_GUEST_GICR_IPA,
				RAMPART_GUEST_GICR_STRIDE * (pt->nr_cpus ? pt->nr_cpus : 1) };
	if (pt->console_kind == RAMPART_CONSOLE_VUART)
		v[n++] = (struct vdev){ "the virtual UART", RAMPART_GUEST_VUART_IPA,
					RAMPART_GUEST_VUART_SIZE };
	return n;
}

/*
 * Common checks of one range: size, alignment, wrap-around, IPA space.
 * what: "region 0 IPA", "range 1", ...; returns false after reporting.
 */
bool pc_check_range(struct pc_diag *d, const char *path, const char *prop, const char *what, uint64_t base,
		    uint64_t size, uint64_t align, bool is_ipa)
{
	if (base % align) {
		pc_error(d, path, prop, "%s 0x%llx is not aligned to 0x%llx", what, (unsigned long long)base,
			 (unsigned long long)align);
		return false;
	}
	if (wraps(base, size)) {
		pc_error(d, path, prop, "%s 0x%llx + size 0x%llx wraps around", what,
			 (unsigned long long)base, (unsigned long long)size);
		return false;
	}
	if (is_ipa && (base >= RAMPART_IPA_LIMIT || size > RAMPART_IPA_LIMIT - base)) {
		pc_error(d, path, prop, "%s %s is beyond the %u-bit guest IPA space", what,
			 pc_rng(base, size).s, RAMPART_GUEST_IPA_BITS);
		return false;
	}
	return true;
}

/* PA checks shared by partition RAM and shared memory: inside DRAM, off the carve-outs. */
bool pc_check_ram_pa(struct pc_diag *d, const struct pc_platform *p, const char *path, const char *prop,
		     const char *what, uint64_t pa, uint64_t size)
{
	if (!inside(pa, size, p->dram_base, p->dram_size)) {
		pc_error(d, path, prop, "%s %s is outside DRAM %s", what, pc_rng(pa, size).s,
			 pc_rng(p->dram_base, p->dram_size).s);
		return false;
	}
	for (unsigned int r = 0; r < p->nr_reserved; r++) {
		const struct pc_reserved *rs = &p->reserved[r];
		if (pc_overlap(pa, size, rs->base, rs->size)) {
			pc_error(d, path, prop, "%s %s overlaps firmware carve-out '%s' %s", what,
				 pc_rng(pa, size).s, rs->name, pc_rng(rs->base, rs->size).s);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------ container, ids, kinds */

void pc_check_container(const struct pc_model *m, struct pc_diag *d)
{
	if (!m->nr_partitions)
		pc_error(d, m->container, NULL,
			 "no partitions (need a child node with compatible = \"rampart,vm\" or "
			 "\"rampart,realm\")");
}

void pc_check_partition_ids(const struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->has_unit_address && pt->unit_address != pt->id) {
			pc_error(d, pt->path, "reg", "<%u> does not match the unit address @%x", pt->id,
				 pt->unit_address);
			continue;
		}
		if (pt->id >= m->nr_partitions) {
			pc_error(d, pt->path, "reg",
				 "partition id %u out of range: ids are 0..%u, one per partition", pt->id,
				 m->nr_partitions - 1);
			continue;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (m->partitions[j].id == pt->id) {
				pc_error(d, pt->path, "reg", "id %u is already %s's", pt->id,
					 m->partitions[j].name);
				break;
			}
		}
	}
}

void pc_check_kinds(const struct pc_model *m, struct pc_diag *d)
{
	const char *authority = NULL;

	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->kind != RAMPART_KIND_VM && pt->kind != RAMPART_KIND_REALM)
			pc_error(d, pt->path, "compatible", "unknown partition kind %u", pt->kind);
		/* The update authority writes secure flash through the hypervisor: a VM, and one only. */
		if (!pt->update_authority)
			continue;
		if (pt->kind == RAMPART_KIND_REALM)
			pc_error(d, pt->path, "update-authority",
				 "a realm cannot be the update authority (docs/secure-boot.md)");
		else if (authority)
			pc_error(d, pt->path, "update-authority", "%s is the update authority already",
				 authority);
		else
			authority = pt->path;
	}
}

/* ------------------------------------------------------------ labels and strings */

static bool label_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= RAMPART_LABEL_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

void pc_check_labels(const struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!pt->has_label) {
			pc_error(d, pt->path, "label", "missing");
			continue;
		}
		if (!label_ok(pt->label)) {
			pc_error(d, pt->path, "label",
				 "\"%s\" is not a valid label (1 to %u characters a-z 0-9 _ -, starting with "
				 "a "
				 "letter)",
				 pt->label, RAMPART_LABEL_MAX - 1);
			continue;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (!strcmp(m->partitions[j].label, pt->label)) {
				pc_error(d, pt->path, "label", "\"%s\" is already the label of %s", pt->label,
					 m->partitions[j].name);
				break;
			}
		}
	}
	for (unsigned int i = 0; i < m->nr_shm; i++) {
		const struct pc_shm *s = &m->shm[i];

		if (!label_ok(s->label)) {
			pc_error(d, s->path, "label",
				 "\"%s\" is not a valid label (1 to %u characters a-z 0-9 _ -, starting with "
				 "a "
				 "letter; the node name is the default)",
				 s->label, RAMPART_LABEL_MAX - 1);
			continue;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (!strcmp(m->shm[j].label, s->label)) {
				pc_error(d, s->path, "label", "\"%s\" is already the label of %s", s->label,
					 m->shm[j].path);
				break;
			}
		}
	}
}

void pc_check_strings(struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		int v;

		pt->console_kind = RAMPART_CONSOLE_VUART;
		if (pt->console[0]) {
			v = pc_console_kind(pt->console);
			if (v < 0)
				pc_error(d, pt->path, "console", "\"%s\" is not one of \"vuart\", \"none\"",
					 pt->console);
			else
				pt->console_kind = (uint32_t)v;
		}
		pt->fault_kind = RAMPART_FAULT_STOP;
		if (pt->fault_policy[0]) {
			v = pc_fault_policy(pt->fault_policy);
			if (v < 0)
				pc_error(d, pt->path, "fault-policy",
					 "\"%s\" is not one of \"stop\", \"restart\", \"reset-system\"",
					 pt->fault_policy);
			else
				pt->fault_kind = (uint32_t)v;
		}
		pt->images_external = false;
		if (pt->image_load[0]) {
			v = pc_image_load(pt->image_load);
			if (v < 0)
				pc_error(d, pt->path, "image-load",
					 "\"%s\" is not one of \"flash\", \"external\"", pt->image_load);
			else
				pt->images_external = v == 1;
		}
		if (pt->has_bootargs && pt->bootargs_len >= RAMPART_BOOTARGS_MAX)
			pc_error(d, pt->path, "bootargs",
				 "%zu characters, more than %u (RAMPART_BOOTARGS_MAX - 1)", pt->bootargs_len,
				 RAMPART_BOOTARGS_MAX - 1);
	}
}

/* ------------------------------------------------------------ CPUs */

void pc_check_cpus(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!pt->nr_cpus) {
			pc_error(d, pt->path, "cpus", "empty or missing (need 1 to %u physical CPU indices)",
				 RAMPART_VGIC_MAX_VCPUS);
			continue;
		}
		if (pt->nr_cpus > RAMPART_VGIC_MAX_VCPUS) {
			pc_error(d, pt->path, "cpus", "%u CPUs, more than the %u the virtual GIC serves",
				 pt->nr_cpus, RAMPART_VGIC_MAX_VCPUS);
			continue;
		}
		for (unsigned int c = 0; c < pt->nr_cpus; c++) {
			uint32_t cpu = pt->cpus[c];
			bool bad = false;

			if (cpu >= p->nr_cpus) {
				pc_error(d, pt->path, "cpus",
					 "CPU %u does not exist (the platform has CPUs 0..%u)", cpu,
					 p->nr_cpus - 1);
				continue;
			}
			for (unsigned int k = 0; k < c && !bad; k++) {
				if (pt->cpus[k] == cpu) {
					pc_error(d, pt->path, "cpus", "CPU %u is listed twice", cpu);
					bad = true;
				}
			}
			for (unsigned int j = 0; j < i && !bad; j++) {
				const struct pc_partition *o = &m->partitions[j];
				for (unsigned int k = 0; k < o->nr_cpus && !bad; k++) {
					if (o->cpus[k] == cpu) {
						pc_error(d, pt->path, "cpus",
							 "CPU %u is already assigned to %s", cpu, o->name);
						bad = true;
					}
				}
			}
		}
	}
}

/* ------------------------------------------------------------ memory */

/* One partition RAM region on its own (no cross checks). */
static bool mem_region_ok(const struct pc_partition *pt, unsigned int k, const struct pc_platform *p,
			  struct pc_diag *d)
{
	const struct pc_mem *r = &pt->mem[k];
	char what[48];
	struct vdev v[3];
	unsigned int nv;

	if (!r->size) {
		pc_error(d, pt->path, "memory", "region %u has size 0", k);
		return false;
	}
	snprintf(what, sizeof(what), "region %u IPA", k);
	if (!pc_check_range(d, pt->path, "memory", what, r->ipa, r->size, RAMPART_MEM_ALIGN, true))
		return false;
	snprintf(what, sizeof(what), "region %u PA", k);
	if (!pc_check_range(d, pt->path, "memory", what, r->pa, r->size, RAMPART_MEM_ALIGN, false))
		return false;
	if (r->size % RAMPART_MEM_ALIGN) {
		pc_error(d, pt->path, "memory", "region %u size 0x%llx is not a multiple of 0x%x", k,
			 (unsigned long long)r->size, RAMPART_MEM_ALIGN);
		return false;
	}
	if (!pc_check_ram_pa(d, p, pt->path, "memory", what, r->pa, r->size))
		return false;
	nv = guest_vdevs(pt, v);
	for (unsigned int i = 0; i < nv; i++) {
		if (pc_overlap(r->ipa, r->size, v[i].base, v[i].size)) {
			pc_error(d, pt->path, "memory", "region %u IPA %s overlaps %s %s", k,
				 pc_rng(r->ipa, r->size).s, v[i].what, pc_rng(v[i].base, v[i].size).s);
			return false;
		}
	}
	return true;
}

void pc_check_memory(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	bool ok[RAMPART_MAX_PARTITIONS][RAMPART_MAX_MEM_REGIONS];

	memset(ok, 0, sizeof(ok));
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!pt->nr_mem) {
			pc_error(d, pt->path, "memory",
				 "empty or missing (need 1 to %u regions <ipa pa size>)",
				 RAMPART_MAX_MEM_REGIONS);
			continue;
		}
		for (unsigned int k = 0; k < pt->nr_mem; k++) {
			const struct pc_mem *r = &pt->mem[k];
			bool bad = !mem_region_ok(pt, k, p, d);

			for (unsigned int l = 0; l < k && !bad; l++) {
				const struct pc_mem *o = &pt->mem[l];
				if (!ok[i][l])
					continue;
				if (pc_overlap(r->ipa, r->size, o->ipa, o->size)) {
					pc_error(d, pt->path, "memory",
						 "region %u IPA %s overlaps region %u IPA %s", k,
						 pc_rng(r->ipa, r->size).s, l, pc_rng(o->ipa, o->size).s);
					bad = true;
				} else if (pc_overlap(r->pa, r->size, o->pa, o->size)) {
					pc_error(d, pt->path, "memory",
						 "region %u PA %s overlaps region %u PA %s", k,
						 pc_rng(r->pa, r->size).s, l, pc_rng(o->pa, o->size).s);
					bad = true;
				}
			}
			for (unsigned int j = 0; j < i && !bad; j++) {
				const struct pc_partition *op = &m->partitions[j];
				for (unsigned int l = 0; l < op->nr_mem && !bad; l++) {
					const struct pc_mem *o = &op->mem[l];
					if (ok[j][l] && pc_overlap(r->pa, r->size, o->pa, o->size)) {
						pc_error(d, pt->path, "memory",
							 "region %u PA %s overlaps %s region %u PA %s", k,
							 pc_rng(r->pa, r->size).s, op->name, l,
							 pc_rng(o->pa, o->size).s);
						bad = true;
					}
				}
			}
			ok[i][k] = !bad;
		}
	}
}

/* ------------------------------------------------------------ passthrough devices */

/* Is device (i, j) the first occurrence of its node? Reports duplicates. */
static bool device_unique(const struct pc_model *m, unsigned int i, unsigned int j, struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	const struct pc_device *dev = &pt->devices[j];

	for (unsigned int k = 0; k < j; k++) {
		if (!strcmp(pt->devices[k].path, dev->path)) {
			pc_error(d, pt->path, "devices", "%s is listed twice", dev->path);
			return false;
		}
	}
	for (unsigned int o = 0; o < i; o++) {
		const struct pc_partition *op = &m->partitions[o];
		for (unsigned int k = 0; k < op->nr_devices; k++) {
			if (!strcmp(op->devices[k].path, dev->path)) {
				pc_error(d, pt->path, "devices", "%s is already assigned to %s", dev->path,
					 op->name);
				return false;
			}
		}
	}
	return true;
}

/* Device (i, j) range r against everything before it. */
static bool device_range_ok(const struct pc_model *m, const struct pc_platform *p, unsigned int i,
			    unsigned int j, unsigned int r, struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	const struct pc_device *dev = &pt->devices[j];
	uint64_t base = dev->regs[r].base, size = dev->regs[r].size;
	char what[32];
	struct vdev v[3];
	unsigned int nv;

	if (!size) {
		pc_error(d, dev->path, "reg", "range %u has size 0", r);
		return false;
	}
	snprintf(what, sizeof(what), "range %u", r);
	if (!pc_check_range(d, dev->path, "reg", what, base, size, RAMPART_PAGE_SIZE, true))
		return false;
	if (size % RAMPART_PAGE_SIZE) {
		pc_error(d, dev->path, "reg",
			 "range %u size 0x%llx is not a multiple of 0x%x (MMIO is mapped in pages)", r,
			 (unsigned long long)size, RAMPART_PAGE_SIZE);
		return false;
	}
	if (pc_overlap(base, size, p->dram_base, p->dram_size)) {
		pc_error(d, dev->path, "reg", "range %u %s is in DRAM %s; passthrough is for MMIO", r,
			 pc_rng(base, size).s, pc_rng(p->dram_base, p->dram_size).s);
		return false;
	}
	for (unsigned int k = 0; k < p->nr_reserved; k++) {
		const struct pc_reserved *rs = &p->reserved[k];
		if (pc_overlap(base, size, rs->base, rs->size)) {
			pc_error(d, dev->path, "reg", "range %u %s overlaps firmware carve-out '%s' %s", r,
				 pc_rng(base, size).s, rs->name, pc_rng(rs->base, rs->size).s);
			return false;
		}
	}
	nv = guest_vdevs(pt, v);
	for (unsigned int k = 0; k < nv; k++) {
		if (pc_overlap(base, size, v[k].base, v[k].size)) {
			pc_error(d, dev->path, "reg", "range %u %s overlaps %s %s of %s", r,
				 pc_rng(base, size).s, v[k].what, pc_rng(v[k].base, v[k].size).s, pt->name);
			return false;
		}
	}
	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		const struct pc_mem *mr = &pt->mem[k];
		if (pc_overlap(base, size, mr->ipa, mr->size)) {
			pc_error(d, dev->path, "reg", "range %u %s overlaps %s memory region %u IPA %s", r,
				 pc_rng(base, size).s, pt->name, k, pc_rng(mr->ipa, mr->size).s);
			return false;
		}
	}
	/* Every earlier range of every device: (o, k, l) < (i, j, r). */
	for (unsigned int o = 0; o <= i; o++) {
		const struct pc_partition *op = &m->partitions[o];
		unsigned int nd = o == i ? j + 1 : op->nr_devices;
		for (unsigned int k = 0; k < nd; k++) {
			const struct pc_device *od = &op->devices[k];
			unsigned int nr = (o == i && k == j) ? r : od->nr_regs;
			for (unsigned int l = 0; l < nr; l++) {
				if (pc_overlap(base, size, od->regs[l].base, od->regs[l].size)) {
					pc_error(d, dev->path, "reg",
						 "range %u %s overlaps %s range %u %s (%s)", r,
						 pc_rng(base, size).s, od->path, l,
						 pc_rng(od->regs[l].base, od->regs[l].size).s, op->name);
					return false;
				}
			}
		}
	}
	return true;
}

static bool device_irq_ok(const struct pc_model *m, const struct pc_platform *p, unsigned int i,
			  unsigned int j, unsigned int q, struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	const struct pc_device *dev = &pt->devices[j];
	const struct pc_irq *irq = &dev->irqs[q];

	if (irq->spi >= p->nr_spis) {
		pc_error(d, dev->path, "interrupts", "SPI %u does not exist (the platform has SPIs 0..%u)",
			 irq->spi, p->nr_spis - 1);
		return false;
	}
	if (irq->flags != 1 && irq->flags != 4) {
		pc_error(d, dev->path, "interrupts",
			 "SPI %u has trigger flags 0x%x; a passthrough SPI is edge-rising (1) or level-high "
			 "(4)",
			 irq->spi, irq->flags);
		return false;
	}
	for (unsigned int k = 0; k < p->nr_reserved_spis; k++) {
		if (p->reserved_spis[k].spi == irq->spi) {
			pc_error(d, dev->path, "interrupts", "SPI %u is reserved for '%s'", irq->spi,
				 p->reserved_spis[k].name);
			return false;
		}
	}
	if (pt->console_kind == RAMPART_CONSOLE_VUART && irq->spi == RAMPART_GUEST_VUART_SPI) {
		pc_error(d, dev->path, "interrupts", "SPI %u is the virtual UART's in %s", irq->spi,
			 pt->name);
		return false;
	}
	for (unsigned int o = 0; o <= i; o++) {
		const struct pc_partition *op = &m->partitions[o];
		unsigned int nd = o == i ? j + 1 : op->nr_devices;
		for (unsigned int k = 0; k < nd; k++) {
			const struct pc_device *od = &op->devices[k];
			unsigned int nq = (o == i && k == j) ? q : od->nr_irqs;
			for (unsigned int l = 0; l < nq; l++) {
				if (od->irqs[l].spi != irq->spi)
					continue;
				if (od == dev)
					pc_error(d, dev->path, "interrupts", "SPI %u is listed twice",
						 irq->spi);
				else
					pc_error(d, dev->path, "interrupts",
						 "SPI %u is already used by %s (%s)", irq->spi, od->path,
						 op->name);
				return false;
			}
		}
	}
	return true;
}

void pc_check_devices(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		unsigned int nr_mmio = 0, nr_spis = 0;

		for (unsigned int j = 0; j < pt->nr_devices; j++) {
			const struct pc_device *dev = &pt->devices[j];

			if (!device_unique(m, i, j, d))
				continue;
			for (unsigned int r = 0; r < dev->nr_regs; r++)
				if (!device_range_ok(m, p, i, j, r, d))
					break;
			for (unsigned int q = 0; q < dev->nr_irqs; q++)
				if (!device_irq_ok(m, p, i, j, q, d))
					break;
			nr_mmio += dev->nr_regs;
			nr_spis += dev->nr_irqs;
		}
		if (nr_mmio > RAMPART_MAX_MMIO)
			pc_error(d, pt->path, "devices", "%u MMIO ranges, more than %u (RAMPART_MAX_MMIO)",
				 nr_mmio, RAMPART_MAX_MMIO);
		if (nr_spis > RAMPART_MAX_SPIS)
			pc_error(d, pt->path, "devices", "%u interrupts, more than %u (RAMPART_MAX_SPIS)",
				 nr_spis, RAMPART_MAX_SPIS);
	}
}

/* ------------------------------------------------------------ shared memory */

static int partition_by_label(const struct pc_model *m, const char *label)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++)
		if (m->partitions[i].has_label && !strcmp(m->partitions[i].label, label))
			return (int)i;
	return -1;
}

/* Shared-memory IPA against everything peer pt maps. */
static bool shm_ipa_ok(const struct pc_model *m, unsigned int s, const struct pc_partition *pt,
		       struct pc_diag *d)
{
	const struct pc_shm *sh = &m->shm[s];
	uint64_t ipa = sh->mem.ipa, size = sh->mem.size;
	struct vdev v[3];
	unsigned int nv = guest_vdevs(pt, v);

	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		if (pc_overlap(ipa, size, pt->mem[k].ipa, pt->mem[k].size)) {
			pc_error(d, sh->path, "memory", "IPA %s overlaps %s region %u IPA %s",
				 pc_rng(ipa, size).s, pt->name, k, pc_rng(pt->mem[k].ipa, pt->mem[k].size).s);
			return false;
		}
	}
	for (unsigned int k = 0; k < nv; k++) {
		if (pc_overlap(ipa, size, v[k].base, v[k].size)) {
			pc_error(d, sh->path, "memory", "IPA %s overlaps %s %s of %s", pc_rng(ipa, size).s,
				 v[k].what, pc_rng(v[k].base, v[k].size).s, pt->name);
			return false;
		}
	}
	for (unsigned int k = 0; k < pt->nr_devices; k++) {
		const struct pc_device *dev = &pt->devices[k];
		for (unsigned int r = 0; r < dev->nr_regs; r++) {
			if (pc_overlap(ipa, size, dev->regs[r].base, dev->regs[r].size)) {
				pc_error(d, sh->path, "memory", "IPA %s overlaps %s range %u %s in %s",
					 pc_rng(ipa, size).s, dev->path, r,
					 pc_rng(dev->regs[r].base, dev->regs[r].size).s, pt->name);
				return false;
			}
		}
	}
	return true;
}

static bool shm_memory_ok(const struct pc_model *m, const struct pc_platform *p, unsigned int s,
			  const bool *shm_ok, struct pc_diag *d)
{
	const struct pc_shm *sh = &m->shm[s];
	uint64_t ipa = sh->mem.ipa, pa = sh->mem.pa, size = sh->mem.size;

	if (!sh->has_memory) {
		pc_error(d, sh->path, "memory", "missing (need <ipa pa size>)");
		return false;
	}
	if (!size) {
		pc_error(d, sh->path, "memory", "size 0");
		return false;
	}
	if (!pc_check_range(d, sh->path, "memory", "IPA", ipa, size, RAMPART_PAGE_SIZE, true) ||
	    !pc_check_range(d, sh->path, "memory", "PA", pa, size, RAMPART_PAGE_SIZE, false))
		return false;
	if (size % RAMPART_PAGE_SIZE) {
		pc_error(d, sh->path, "memory", "size 0x%llx is not a multiple of 0x%x",
			 (unsigned long long)size, RAMPART_PAGE_SIZE);
		return false;
	}
	if (!pc_check_ram_pa(d, p, sh->path, "memory", "PA", pa, size))
		return false;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		for (unsigned int k = 0; k < pt->nr_mem; k++) {
			if (pc_overlap(pa, size, pt->mem[k].pa, pt->mem[k].size)) {
				pc_error(d, sh->path, "memory", "PA %s overlaps %s region %u PA %s",
					 pc_rng(pa, size).s, pt->name, k,
					 pc_rng(pt->mem[k].pa, pt->mem[k].size).s);
				return false;
			}
		}
	}
	for (unsigned int o = 0; o < s; o++) {
		const struct pc_shm *os = &m->shm[o];
		if (shm_ok[o] && pc_overlap(pa, size, os->mem.pa, os->mem.size)) {
			pc_error(d, sh->path, "memory", "PA %s overlaps %s PA %s", pc_rng(pa, size).s,
				 os->path, pc_rng(os->mem.pa, os->mem.size).s);
			return false;
		}
	}
	for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++) {
		uint32_t pi = sh->peer_index[k];
		if (pi == RAMPART_NO_PARTITION)
			continue;
		if (!shm_ipa_ok(m, s, &m->partitions[pi], d))
			return false;
		for (unsigned int o = 0; o < s; o++) {
			const struct pc_shm *os = &m->shm[o];
			if (!shm_ok[o] || (os->peer_index[0] != pi && os->peer_index[1] != pi))
				continue;
			if (pc_overlap(ipa, size, os->mem.ipa, os->mem.size)) {
				pc_error(d, sh->path, "memory", "IPA %s overlaps %s IPA %s in %s",
					 pc_rng(ipa, size).s, os->path, pc_rng(os->mem.ipa, os->mem.size).s,
					 m->partitions[pi].name);
				return false;
			}
		}
	}
	return true;
}

/* Doorbell k of shm s: a virtual SPI in peer k that nothing else there uses. */
static void shm_doorbell_check(const struct pc_model *m, const struct pc_platform *p, unsigned int s,
			       unsigned int k, struct pc_diag *d)
{
	const struct pc_shm *sh = &m->shm[s];
	uint32_t spi = sh->doorbells[k];
	const struct pc_partition *pt = &m->partitions[sh->peer_index[k]];

	if (spi >= p->nr_spis) {
		pc_error(d, sh->path, "doorbells", "SPI %u does not exist (the platform has SPIs 0..%u)", spi,
			 p->nr_spis - 1);
		return;
	}
	if (pt->console_kind == RAMPART_CONSOLE_VUART && spi == RAMPART_GUEST_VUART_SPI) {
		pc_error(d, sh->path, "doorbells", "SPI %u for \"%s\" is the virtual UART's", spi, pt->label);
		return;
	}
	for (unsigned int j = 0; j < pt->nr_devices; j++) {
		const struct pc_device *dev = &pt->devices[j];
		for (unsigned int q = 0; q < dev->nr_irqs; q++) {
			if (dev->irqs[q].spi == spi) {
				pc_error(d, sh->path, "doorbells", "SPI %u for \"%s\" is already used by %s",
					 spi, pt->label, dev->path);
				return;
			}
		}
	}
	for (unsigned int o = 0; o <= s; o++) {
		const struct pc_shm *os = &m->shm[o];
		unsigned int nk = o == s ? k : RAMPART_SHM_PEERS;
		if (!os->has_doorbells)
			continue;
		for (unsigned int l = 0; l < nk; l++) {
			if (os->peer_index[l] == sh->peer_index[k] && os->doorbells[l] == spi) {
				pc_error(d, sh->path, "doorbells",
					 "SPI %u for \"%s\" is already the doorbell of %s", spi, pt->label,
					 os->path);
				return;
			}
		}
	}
}

/* Every partition has a valid, unique label (else pc_check_labels has reported it). */
static bool partition_labels_ok(const struct pc_model *m)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		if (!m->partitions[i].has_label || !label_ok(m->partitions[i].label))
			return false;
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(m->partitions[j].label, m->partitions[i].label))
				return false;
	}
	return true;
}

void pc_check_shm(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	bool shm_ok[RAMPART_MAX_SHM];
	bool labels_ok = partition_labels_ok(m);

	memset(shm_ok, 0, sizeof(shm_ok));
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		struct pc_shm *sh = &m->shm[s];
		bool peers_ok = true;

		for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++)
			sh->peer_index[k] = RAMPART_NO_PARTITION;
		if (sh->nr_peers != RAMPART_SHM_PEERS) {
			pc_error(d, sh->path, "peers", "%u label%s; need exactly %u partition labels",
				 sh->nr_peers, sh->nr_peers == 1 ? "" : "s", RAMPART_SHM_PEERS);
			peers_ok = false;
		}
		for (unsigned int k = 0; k < sh->nr_peers && k < RAMPART_SHM_PEERS && peers_ok; k++) {
			int pi = partition_by_label(m, sh->peers[k]);
			if (pi < 0) {
				/* A broken partition label is reported once, at the partition. */
				if (labels_ok)
					pc_error(d, sh->path, "peers", "no partition is labelled \"%s\"",
						 sh->peers[k]);
				peers_ok = false;
			} else if (k && sh->peer_index[0] == (uint32_t)pi) {
				pc_error(d, sh->path, "peers", "\"%s\" is listed twice", sh->peers[k]);
				peers_ok = false;
			} else {
				sh->peer_index[k] = (uint32_t)pi;
			}
		}
		if (!peers_ok) {
			for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++)
				sh->peer_index[k] = RAMPART_NO_PARTITION;
		}
		shm_ok[s] = shm_memory_ok(m, p, s, shm_ok, d) && peers_ok;
		if (peers_ok && sh->has_doorbells)
			for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++)
				shm_doorbell_check(m, p, s, k, d);
	}
}

/* ------------------------------------------------------------ image staging area */

void pc_check_staging(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	uint64_t pa = m->staging.base, size = m->staging.size;
	const char *prop = "image-staging";

	if (!m->has_staging) {
		pc_error(d, m->container, prop,
			 "missing (<pa size>: NS DRAM where guest images wait for the hypervisor)");
		return;
	}
	if (!size) {
		pc_error(d, m->container, prop, "size 0");
		return;
	}
	if (!pc_check_range(d, m->container, prop, "PA", pa, size, RAMPART_PAGE_SIZE, false))
		return;
	if (size % RAMPART_PAGE_SIZE) {
		pc_error(d, m->container, prop, "size 0x%llx is not a multiple of 0x%x",
			 (unsigned long long)size, RAMPART_PAGE_SIZE);
		return;
	}
	if (!pc_check_ram_pa(d, p, m->container, prop, "PA", pa, size))
		return;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		for (unsigned int k = 0; k < pt->nr_mem; k++) {
			if (pc_overlap(pa, size, pt->mem[k].pa, pt->mem[k].size)) {
				pc_error(d, m->container, prop, "PA %s overlaps %s region %u PA %s",
					 pc_rng(pa, size).s, pt->name, k,
					 pc_rng(pt->mem[k].pa, pt->mem[k].size).s);
				return;
			}
		}
	}
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		if (sh->has_memory && pc_overlap(pa, size, sh->mem.pa, sh->mem.size)) {
			pc_error(d, m->container, prop, "PA %s overlaps %s PA %s", pc_rng(pa, size).s,
				 sh->path, pc_rng(sh->mem.pa, sh->mem.size).s);
			return;
		}
	}
}

/* ------------------------------------------------------------ images */

static void check_image(const struct pc_partition *pt, const char *prop, const struct pc_image *im,
			const char *search, struct pc_diag *d)
{
	if (!im->given)
		return;
	if (!im->found) {
		pc_error(d, pt->path, prop, "image \"%s\" not found (searched: %s)", im->name, search);
		return;
	}
	if (!im->file_size) {
		pc_error(d, pt->path, prop, "image %s is empty", im->file);
		return;
	}
	if (strpbrk(im->file, " \t\n")) {
		pc_error(d, pt->path, prop,
			 "file name \"%s\" contains white space (the image list is "
			 "white-space separated)",
			 im->file);
		return;
	}
}

void pc_check_images(const struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!pt->kernel.given)
			pc_error(d, pt->path, "kernel", "missing");
		check_image(pt, "kernel", &pt->kernel, m->search_desc, d);
		if (pt->kernel.text_offset >= RAMPART_MEM_ALIGN || pt->kernel.text_offset % RAMPART_PAGE_SIZE)
			pc_error(
				d, pt->path, "kernel",
				"%s: arm64 Image header text_offset 0x%llx is not a page multiple below 0x%x",
				pt->kernel.file, (unsigned long long)pt->kernel.text_offset,
				RAMPART_MEM_ALIGN);
		check_image(pt, "initrd", &pt->initrd, m->search_desc, d);
		check_image(pt, "dtb-fragment", &pt->fragment, m->search_desc, d);
		if (pt->fragment.found && pt->fragment.file_size && !pt->fragment.valid_dtb)
			pc_error(d, pt->path, "dtb-fragment", "%s is not a valid DTB", pt->fragment.file);
	}
}

/*
 * Image layout in memory region 0 (docs/partitions.md): the kernel at its
 * base (+ text_offset), the initrd on the next 2 MiB boundary after the
 * kernel's footprint, the device tree slot on the 2 MiB boundary after that.
 */
void pc_layout(struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		const struct pc_mem *r0 = &pt->mem[0];
		uint64_t ksize = pc_align_up(pt->kernel.text_offset + pt->kernel.mem_size, RAMPART_MEM_ALIGN);
		uint64_t isize = pt->initrd.given ? pc_align_up(pt->initrd.file_size, RAMPART_MEM_ALIGN) : 0;
		uint64_t need = ksize + isize + RAMPART_DTB_MAX;

		if (need > r0->size || ksize < pt->kernel.mem_size) {
			pc_error(d, pt->path, "memory",
				 "region 0 (0x%llx bytes) is too small for the images: kernel 0x%llx, initrd "
				 "0x%llx "
				 "and the device tree 0x%x need 0x%llx bytes",
				 (unsigned long long)r0->size, (unsigned long long)ksize,
				 (unsigned long long)isize, RAMPART_DTB_MAX, (unsigned long long)need);
			continue;
		}
		pt->kernel_ipa = r0->ipa + pt->kernel.text_offset;
		pt->initrd_ipa = pt->initrd.given ? r0->ipa + ksize : 0;
		pt->dtb_ipa = r0->ipa + ksize + isize;
	}
}

unsigned int pc_validate(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	unsigned int before = d->count;

	pc_check_container(m, d);
	pc_check_partition_ids(m, d);
	pc_check_kinds(m, d);
	pc_check_labels(m, d);
	pc_check_strings(m, d);
	pc_check_cpus(m, p, d);
	pc_check_memory(m, p, d);
	pc_check_devices(m, p, d);
	pc_check_shm(m, p, d);
	pc_check_realms(m, p, d);
	pc_check_staging(m, p, d);
	pc_check_images(m, d);
	if (d->count == before)
		pc_layout(m, d);
	if (d->count == before)
		pc_realm_layout(m, p, d);
	return d->count - before;
}

static uint64_t flash_bytes(const struct pc_partition *pt)
{
	uint64_t n = pc_align_up(pt->kernel.file_size, RAMPART_PAGE_SIZE) +
		     pc_align_up(pt->dtb_size, RAMPART_PAGE_SIZE);

	if (pt->initrd.given)
		n += pc_align_up(pt->initrd.file_size, RAMPART_PAGE_SIZE);
	return n;
}

/*
 * Pack the images into the staging area: first those of the partitions
 * loaded from flash, then the external ones, each group in partition-id
 * order. The flash images thus form one block at the start of the area,
 * which the packer can ship as one package entry.
 */
void pc_stage(struct pc_model *m, struct pc_diag *d)
{
	uint64_t used = 0;

	for (unsigned int pass = 0; pass < 2; pass++) {
		for (unsigned int id = 0; id < m->nr_partitions; id++) {
			for (unsigned int i = 0; i < m->nr_partitions; i++) {
				struct pc_partition *pt = &m->partitions[i];
				if (pt->id != id || pt->images_external != (pass == 1))
					continue;
				pt->kernel_pa = m->staging.base + used;
				used += pc_align_up(pt->kernel.file_size, RAMPART_PAGE_SIZE);
				pt->initrd_pa = pt->initrd.given ? m->staging.base + used : 0;
				if (pt->initrd.given)
					used += pc_align_up(pt->initrd.file_size, RAMPART_PAGE_SIZE);
				pt->dtb_pa = m->staging.base + used;
				used += pc_align_up(pt->dtb_size, RAMPART_PAGE_SIZE);
				if (used > m->staging.size) {
					pc_error(d, m->container, "image-staging",
						 "0x%llx bytes, too small for the guest images (0x%llx bytes "
						 "up to "
						 "%s's)",
						 (unsigned long long)m->staging.size,
						 (unsigned long long)used, pt->name);
					return;
				}
			}
		}
	}
}

unsigned int pc_check_final(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	unsigned int before = d->count;
	uint64_t used = 0;

	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->dtb_size > RAMPART_DTB_MAX)
			pc_error(
				d, pt->path, pt->fragment.given ? "dtb-fragment" : NULL,
				"the generated device tree is 0x%llx bytes, more than 0x%x (RAMPART_DTB_MAX)",
				(unsigned long long)pt->dtb_size, RAMPART_DTB_MAX);
	}
	if (d->count != before)
		return d->count - before;
	pc_stage(m, d);
	for (unsigned int i = 0; i < m->nr_partitions && p->flash_budget_set; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->images_external)
			continue;
		used += flash_bytes(pt);
		if (used > p->flash_budget) {
			pc_error(d, pt->path, "image-load",
				 "the images in the flash package need 0x%llx bytes so far, more than the "
				 "0x%llx "
				 "available; use image-load = \"external\" for large images",
				 (unsigned long long)used, (unsigned long long)p->flash_budget);
			break;
		}
	}
	return d->count - before;
}
