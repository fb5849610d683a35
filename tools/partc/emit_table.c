/*
 * partc table emitter: the partition table (table.c) as C source,
 * partition_table.c, with designated initialisers against
 * lib/include/rampart/partition.h, so that the target compiler checks every
 * field and the layout asserts of the header apply. The hypervisor links
 * it; nothing parses it at run time. Comments name the tree's nodes.
 */
#include <stdio.h>
#include <string.h>
#include "partc.h"

#define ULL(v) ((unsigned long long)(v))

static const char *kind_name(uint32_t k)
{
	return k == RAMPART_KIND_REALM ? "RAMPART_KIND_REALM" : "RAMPART_KIND_VM";
}

static const char *fault_name(uint32_t f)
{
	switch (f) {
	case RAMPART_FAULT_RESTART:
		return "RAMPART_FAULT_RESTART";
	case RAMPART_FAULT_RESET_SYSTEM:
		return "RAMPART_FAULT_RESET_SYSTEM";
	default:
		return "RAMPART_FAULT_STOP";
	}
}

static void image(FILE *f, const char *field, const struct rampart_image *im, const char *what)
{
	fprintf(f, "\t\t\t.%s = { .ipa = 0x%llxULL, .pa = 0x%llxULL, .size = 0x%llxULL }, /* %s */\n", field,
		ULL(im->ipa), ULL(im->pa), ULL(im->size), what);
}

static void region(FILE *f, const struct rampart_region *r, const char *attrs)
{
	fprintf(f, "\t\t\t\t{ .ipa = 0x%llxULL, .pa = 0x%llxULL, .size = 0x%llxULL, .attrs = %s },\n",
		ULL(r->ipa), ULL(r->pa), ULL(r->size), attrs);
}

static void realm(FILE *f, const struct rampart_realm *r)
{
	fprintf(f, "\t\t\t.realm = {\n\t\t\t\t.rpv = {");
	for (unsigned int i = 0; i < RAMPART_RPV_SIZE; i++)
		fprintf(f, "%s0x%02x", i ? (i % 16 ? ", " : ",\n\t\t\t\t\t") : " ", r->rpv[i]);
	fprintf(f, " },\n\t\t\t\t.hash_algo = %s,\n",
		r->hash_algo == RMI_HASH_SHA_512 ? "RMI_HASH_SHA_512" : "RMI_HASH_SHA_256");
	fprintf(f, "\t\t\t\t.ipa_bits = %u,\n\t\t\t\t.num_bps = %u,\n\t\t\t\t.num_wps = %u,\n", r->ipa_bits,
		r->num_bps, r->num_wps);
	fprintf(f, "\t\t\t\t.metadata_pa = 0x%llxULL,\n\t\t\t\t.metadata_size = 0x%llxULL,\n\t\t\t},\n",
		ULL(r->metadata_pa), ULL(r->metadata_size));
}

static void containment(FILE *f, const struct rampart_containment *c)
{
	fprintf(f, "\t\t\t.containment = {\n");
	if (c->watchdog_ms)
		fprintf(f, "\t\t\t\t.watchdog_ms = %u,\n\t\t\t\t.watchdog_action = %s,\n", c->watchdog_ms,
			fault_name(c->watchdog_action));
	fprintf(f, "\t\t\t\t.restart_limit = %u,\n\t\t\t\t.restart_backoff_ms = %u,\n", c->restart_limit,
		c->restart_backoff_ms);
	fprintf(f, "\t\t\t\t.irq_budget = %u,\n\t\t\t\t.irq_window_ms = %u,\n\t\t\t},\n", c->irq_budget,
		c->irq_window_ms);
}

static void partition(FILE *f, const struct pc_partition *pt, const struct rampart_partition *e)
{
	fprintf(f, "\t\t[%u] = { /* %s */\n", e->id, pt->path);
	fprintf(f, "\t\t\t.id = %u,\n\t\t\t.kind = %s,\n\t\t\t.label = \"%s\",\n", e->id, kind_name(e->kind),
		e->label);
	fprintf(f, "\t\t\t.fault_policy = %s,\n", fault_name(e->fault_policy));
	fprintf(f, "\t\t\t.console = %s,\n",
		e->console == RAMPART_CONSOLE_VUART ? "RAMPART_CONSOLE_VUART" : "RAMPART_CONSOLE_NONE");
	fprintf(f, "\t\t\t.flags = %s%s%s,\n",
		e->flags & RAMPART_PART_IMAGES_EXTERNAL ? "RAMPART_PART_IMAGES_EXTERNAL" : "",
		(e->flags & RAMPART_PART_IMAGES_EXTERNAL) && (e->flags & RAMPART_PART_UPDATE_AUTHORITY)
			? " | "
			: "",
		e->flags & RAMPART_PART_UPDATE_AUTHORITY ? "RAMPART_PART_UPDATE_AUTHORITY"
		: e->flags				 ? ""
							 : "0");
	fprintf(f, "\t\t\t.nr_vcpus = %u,\n\t\t\t.pcpu = {", e->nr_vcpus);
	for (unsigned int c = 0; c < e->nr_vcpus; c++)
		fprintf(f, "%s%u", c ? ", " : " ", e->pcpu[c]);
	fprintf(f, " },\n");
	fprintf(f, "\t\t\t.entry_ipa = 0x%llxULL,\n", ULL(e->entry_ipa));
	image(f, "kernel", &e->kernel, pt->kernel.name);
	if (e->initrd.size)
		image(f, "initrd", &e->initrd, pt->initrd.name);
	image(f, "dtb", &e->dtb, "generated");
	fprintf(f, "\t\t\t.vgic_dist_ipa = 0x%llxULL,\n\t\t\t.vgic_redist_ipa = 0x%llxULL,\n",
		ULL(e->vgic_dist_ipa), ULL(e->vgic_redist_ipa));
	if (e->console == RAMPART_CONSOLE_VUART)
		fprintf(f, "\t\t\t.console_ipa = 0x%llxULL,\n\t\t\t.console_intid = %u,\n",
			ULL(e->console_ipa), e->console_intid);
	fprintf(f, "\t\t\t.nr_mem = %u,\n\t\t\t.mem = {\n", e->nr_mem);
	for (unsigned int k = 0; k < e->nr_mem; k++)
		region(f, &e->mem[k], "RAMPART_MEM_RAM");
	fprintf(f, "\t\t\t},\n");
	fprintf(f, "\t\t\t.nr_mmio = %u,\n\t\t\t.nr_spis = %u,\n", e->nr_mmio, e->nr_spis);
	if (e->nr_mmio) {
		unsigned int k = 0;
		fprintf(f, "\t\t\t.mmio = {\n");
		for (unsigned int j = 0; j < pt->nr_devices; j++) {
			fprintf(f, "\t\t\t\t/* %s */\n", pt->devices[j].path);
			for (unsigned int r = 0; r < pt->devices[j].nr_regs && k < e->nr_mmio; r++)
				region(f, &e->mmio[k++], "RAMPART_MEM_MMIO");
		}
		fprintf(f, "\t\t\t},\n");
	}
	if (e->nr_spis) {
		fprintf(f, "\t\t\t.spi_intid = {");
		for (unsigned int q = 0; q < e->nr_spis; q++)
			fprintf(f, "%s%u", q ? ", " : " ", e->spi_intid[q]);
		fprintf(f, " },\n");
	}
	if (e->kind == RAMPART_KIND_REALM)
		realm(f, &e->realm);
	containment(f, &e->containment);
	fprintf(f, "\t\t},\n");
}

static void shm(FILE *f, const struct pc_shm *sh, unsigned int s, const struct rampart_shm *e)
{
	fprintf(f, "\t\t[%u] = { /* %s */\n", s, sh->path);
	fprintf(f, "\t\t\t.label = \"%s\",\n", e->label);
	fprintf(f, "\t\t\t.ipa = 0x%llxULL,\n\t\t\t.pa = 0x%llxULL,\n\t\t\t.size = 0x%llxULL,\n", ULL(e->ipa),
		ULL(e->pa), ULL(e->size));
	fprintf(f, "\t\t\t.attrs = RAMPART_MEM_READ | RAMPART_MEM_WRITE | RAMPART_MEM_SHARED,\n");
	fprintf(f, "\t\t\t.peer = { %u, %u },\n\t\t\t.doorbell_intid = { %u, %u },\n", e->peer[0], e->peer[1],
		e->doorbell_intid[0], e->doorbell_intid[1]);
	fprintf(f, "\t\t},\n");
}

int pc_emit_table(const struct pc_model *m, const struct rampart_partition_table *t, const char *source,
		  const char *out)
{
	FILE *f = fopen(out, "w");

	if (!f) {
		fprintf(stderr, "partc: cannot create %s\n", out);
		return -1;
	}
	fprintf(f,
		"/*\n * Generated by partc from %s; do not edit.\n * The format is "
		"lib/include/rampart/partition.h, "
		"the bindings docs/partitions.md.\n */\n",
		strstr(source, "*/") ? "(a file)" : source);
	fprintf(f, "#include <rampart/partition.h>\n#include <rampart/rmi.h>\n\n");
	fprintf(f, "const struct rampart_partition_table rampart_partition_table = {\n");
	fprintf(f, "\t.magic = RAMPART_PT_MAGIC,\n\t.version = RAMPART_PT_VERSION,\n");
	fprintf(f, "\t.size = sizeof(struct rampart_partition_table),\n");
	fprintf(f, "\t.nr_partitions = %u,\n\t.nr_shm = %u,\n\t.gic_nr_spis = %u,\n", t->nr_partitions,
		t->nr_shm, t->gic_nr_spis);
	fprintf(f, "\t.pcpu_mask = 0x%llxULL,\n", ULL(t->pcpu_mask));
	fprintf(f, "\t.staging_pa = 0x%llxULL,\n\t.staging_size = 0x%llxULL,\n", ULL(t->staging_pa),
		ULL(t->staging_size));
	fprintf(f, "\t.partitions = {\n");
	for (unsigned int id = 0; id < m->nr_partitions; id++)
		for (unsigned int i = 0; i < m->nr_partitions; i++)
			if (m->partitions[i].id == id)
				partition(f, &m->partitions[i], &t->partitions[id]);
	fprintf(f, "\t},\n");
	if (m->nr_shm) {
		fprintf(f, "\t.shm = {\n");
		for (unsigned int s = 0; s < m->nr_shm; s++)
			shm(f, &m->shm[s], s, &t->shm[s]);
		fprintf(f, "\t},\n");
	}
	fprintf(f, "};\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "partc: cannot write %s\n", out);
		return -1;
	}
	return 0;
}
