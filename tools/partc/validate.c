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

unsigned int pc_guest_vdevs(const struct pc_partition *pt, struct pc_vdev v[PC_MAX_VDEVS])
{
	unsigned int n = 0;

	v[n++] = (struct pc_vdev){ "the virtual GIC distributor", RAMPART_GUEST_GICD_IPA,
				   RAMPART_GUEST_GICD_SIZE };
	v[n++] = (struct pc_vdev){ "the virtual GIC redistributors", RAMPART_GUEST_GICR_IPA,
				   RAMPART_GUEST_GICR_STRIDE * (pt->nr_cpus ? pt->nr_cpus : 1) };
	if (pt->console_kind == RAMPART_CONSOLE_VUART)
		v[n++] = (struct pc_vdev){ "the virtual UART", RAMPART_GUEST_VUART_IPA,
					   RAMPART_GUEST_VUART_SIZE };
	return n;
}

/*
 * Common checks of one range: size, alignment, wrap-around, and for what the
 * hypervisor maps in a stage 2 (is_ipa) its IPA space. A realm's RAM is in
 * the RMM's stage 2 instead, bounded by its own ipa-bits (validate_realm.c).
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
		pc_error(d, path, prop,
			 "%s %s is beyond the %u-bit guest IPA space (the hypervisor's stage 2, "
			 "RAMPART_GUEST_IPA_BITS)",
			 what, pc_rng(base, size).s, RAMPART_GUEST_IPA_BITS);
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

#define PARTITION_NODE "partition@"

/*
 * The node name is partition@<id>, the id in hex as the DT spec writes unit
 * addresses: tools and people find a partition by it, and the hypervisor's
 * messages use it.
 */
static bool partition_name_ok(const struct pc_partition *pt, struct pc_diag *d)
{
	char want[PC_NAME_MAX];

	if (!strncmp(pt->name, PARTITION_NODE, strlen(PARTITION_NODE)) && pt->has_unit_address &&
	    pt->unit_address != pt->id)
		return true; /* the reg check below names the mismatch */
	snprintf(want, sizeof(want), PARTITION_NODE "%x", pt->id);
	if (pt->id != UINT32_MAX && !strcmp(pt->name, want))
		return true;
	if (pt->id == UINT32_MAX)
		pc_error(d, pt->path, NULL,
			 "node name '%s' is not " PARTITION_NODE "<id> (the id of reg, in hex)", pt->name);
	else
		pc_error(d, pt->path, NULL,
			 "node name '%s' is not " PARTITION_NODE "<id> (the id of reg, in hex: %s)", pt->name,
			 want);
	return false;
}

void pc_check_partition_ids(const struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!partition_name_ok(pt, d))
			continue;
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

bool pc_label_ok(const char *s)
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
		if (!pc_label_ok(pt->label)) {
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

		if (!pc_label_ok(s->label)) {
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
			pc_error(d, pt->path, "cpus",
				 "%u CPUs, more than the %u the virtual GIC serves (RAMPART_VGIC_MAX_VCPUS)",
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
	struct pc_vdev v[PC_MAX_VDEVS];
	unsigned int nv;

	if (!r->size) {
		pc_error(d, pt->path, "memory", "region %u has size 0", k);
		return false;
	}
	snprintf(what, sizeof(what), "region %u IPA", k);
	if (!pc_check_range(d, pt->path, "memory", what, r->ipa, r->size, RAMPART_MEM_ALIGN,
			    pt->kind != RAMPART_KIND_REALM))
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
	nv = pc_guest_vdevs(pt, v);
	for (unsigned int i = 0; i < nv; i++) {
		if (pc_overlap(r->ipa, r->size, v[i].base, v[i].size)) {
			pc_error(d, pt->path, "memory", "region %u IPA %s overlaps %s %s", k,
				 pc_rng(r->ipa, r->size).s, v[i].what, pc_rng(v[i].base, v[i].size).s);
			return false;
		}
	}
	return true;
}

void pc_check_memory(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];

		if (!pt->nr_mem) {
			pc_error(d, pt->path, "memory",
				 "empty or missing (need 1 to %u regions <ipa pa size>)",
				 RAMPART_MAX_MEM_REGIONS);
			continue;
		}
		for (unsigned int k = 0; k < pt->nr_mem; k++) {
			struct pc_mem *r = &pt->mem[k];
			bool bad = !mem_region_ok(pt, k, p, d);

			for (unsigned int l = 0; l < k && !bad; l++) {
				const struct pc_mem *o = &pt->mem[l];
				if (pt->mem_rejected[l])
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
					if (!op->mem_rejected[l] &&
					    pc_overlap(r->pa, r->size, o->pa, o->size)) {
						pc_error(d, pt->path, "memory",
							 "region %u PA %s overlaps %s region %u PA %s", k,
							 pc_rng(r->pa, r->size).s, op->name, l,
							 pc_rng(o->pa, o->size).s);
						bad = true;
					}
				}
			}
			pt->mem_rejected[k] = bad;
		}
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
	pc_check_containment(m, d);
	pc_check_shm(m, p, d);
	pc_check_staging(m, p, d);
	pc_check_realms(m, p, d);
	pc_check_images(m, d);
	if (d->count == before)
		pc_check_stage2(m, p, d);
	if (d->count == before)
		pc_layout(m, d);
	if (d->count == before)
		pc_realm_layout(m, p, d);
	return d->count - before;
}
