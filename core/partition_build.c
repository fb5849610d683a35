/*
 * Partitions from the partition table that tools/partc generated at build
 * time: stage 2, vCPUs pinned to physical CPUs, emulated devices. The
 * table is trusted (validated at build time) but still bounds-checked: a
 * mismatch between table and build is a panic that names it, not memory
 * corruption.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/partition.h>
#include "hyp.h"
#include "partition.h"

/* In .noinit: the boot does not zero 16 table pages per partition it may not have. */
static struct partition partition_store[RAMPART_MAX_PARTITIONS] __attribute__((section(".noinit")));

static int vuart_mmio(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		      uint64_t *val)
{
	(void)v;
	spin_lock(&p->lock);
	int rc = vuart_access(&p->vuart, off, size, write, val);
	spin_unlock(&p->lock);
	return rc;
}

static void map_or_panic(struct partition *p, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs,
			 const char *what)
{
	int rc = mmu_map(&p->s2, ipa, pa, size, attrs);
	if (rc)
		hyp_panic("partition %s: cannot map %s IPA 0x%lx+0x%lx: error %d", p->name, what, ipa, size,
			  rc);
}

static uint64_t s2_attrs(uint32_t a)
{
	if (a & RAMPART_MEM_DEVICE)
		return S2_DEVICE;
	uint64_t s = S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | PTE_AF;
	s |= (a & RAMPART_MEM_READ) ? S2_AP_R : 0;
	s |= (a & RAMPART_MEM_WRITE) ? S2_AP_W : 0;
	s |= (a & RAMPART_MEM_EXEC) ? 0 : S2_XN;
	return s;
}

static void add_image(struct partition *p, const struct rampart_image *img)
{
	if (!img->size)
		return;
	if (p->nr_images == PART_MAX_IMAGES)
		hyp_panic("partition %s: more than %u images", p->name, PART_MAX_IMAGES);
	p->images[p->nr_images++] = (struct part_image){ img->pa, img->ipa, img->size };
}

/* A normal VM's stage 2: RAM, passthrough MMIO and SPIs, shared memory. */
static void map_stage2(struct partition *p, const struct rampart_partition *t,
		       const struct rampart_partition_table *pt)
{
	mmu_init_stage2(&p->s2, p->s2_pool, PART_S2_TABLE_PAGES);
	for (unsigned int i = 0; i < t->nr_mem; i++)
		map_or_panic(p, t->mem[i].ipa, t->mem[i].pa, t->mem[i].size, s2_attrs(t->mem[i].attrs),
			     "RAM");
	for (unsigned int i = 0; i < t->nr_mmio; i++)
		map_or_panic(p, t->mmio[i].ipa, t->mmio[i].pa, t->mmio[i].size, S2_DEVICE, "device");
	for (unsigned int i = 0; i < t->nr_spis && i < RAMPART_MAX_SPIS; i++) {
		uint32_t intid = t->spi_intid[i], n = intid - VGIC_SPI_BASE;
		if (intid < VGIC_SPI_BASE || n >= VGIC_MAX_SPIS)
			hyp_panic("partition %s: passthrough INTID %u is not an SPI", p->name, intid);
		p->hw_spis[n / 32] |= 1U << (n % 32);
		/* To vCPU 0's CPU, where the guest's IROUTER reset value (vCPU 0) points too. */
		hyp_route_spi(intid, t->pcpu[0]);
	}
	for (unsigned int i = 0; i < pt->nr_shm; i++) {
		const struct rampart_shm *s = &pt->shm[i];
		if (s->peer[0] == t->id || s->peer[1] == t->id)
			map_or_panic(p, s->ipa, s->pa, s->size, s2_attrs(s->attrs), "shared memory");
	}
}

static void build_one(struct partition *p, const struct rampart_partition *t,
		      const struct rampart_partition_table *pt)
{
	memset(p, 0, __builtin_offsetof(struct partition, s2_pool));
	p->name = t->label;
	p->id = t->id;
	p->kind = t->kind;
	p->entry = t;
	p->vmid = (uint16_t)(t->id + 1); /* VMID 0 stays unused */
	p->policy = t->fault_policy == RAMPART_FAULT_RESTART	    ? FAULT_RESTART
		    : t->fault_policy == RAMPART_FAULT_RESET_SYSTEM ? FAULT_RESET_SYSTEM
								    : FAULT_STOP;
	p->state = PART_STOPPED;
	if ((t->kind != RAMPART_KIND_VM && t->kind != RAMPART_KIND_REALM) || t->nr_vcpus == 0 ||
	    t->nr_vcpus > PART_MAX_VCPUS || t->nr_mem > PART_MAX_MEM || t->nr_mmio > RAMPART_MAX_MMIO ||
	    (t->kind == RAMPART_KIND_REALM && (t->nr_mmio || t->nr_spis)))
		hyp_panic("partition table entry %u (%s) does not fit this hypervisor build", t->id,
			  t->label);
	p->nr_vcpus = t->nr_vcpus;
	for (unsigned int i = 0; i < t->nr_vcpus; i++) {
		unsigned int cpu = t->pcpu[i];
		if (cpu >= CONFIG_NR_CPUS || pcpu_vcpu[cpu])
			hyp_panic("partition %s: vcpu %u on physical cpu %u, which is absent or taken",
				  p->name, i, cpu);
		p->vcpus[i] = (struct vcpu){ .part = p, .id = i, .pcpu = cpu, .state = VCPU_OFF };
		pcpu_vcpu[cpu] = &p->vcpus[i];
	}
	p->nr_mem = t->nr_mem;
	for (unsigned int i = 0; i < t->nr_mem; i++)
		p->mem[i] = (struct part_mem){ t->mem[i].ipa, t->mem[i].pa, t->mem[i].size };
	if (t->kind == RAMPART_KIND_REALM)
		realm_setup(p, t); /* its stage 2 is the RMM's, built from the plan at start */
	else
		map_stage2(p, t, pt);
	if (t->console == RAMPART_CONSOLE_VUART) {
		vuart_init(&p->vuart, p->name);
		p->has_console = 1;
		p->console_intid = t->console_intid;
		p->mmio[p->nr_mmio++] =
			(struct mmio_dev){ t->console_ipa, RAMPART_GUEST_VUART_SIZE, vuart_mmio };
	}
	if (t->nr_vcpus > VGIC_MAX_VCPUS || pt->gic_nr_spis > VGIC_MAX_SPIS)
		hyp_panic("partition %s: %u vCPUs / %u SPIs exceed the vGIC's %u / %u", p->name, t->nr_vcpus,
			  pt->gic_nr_spis, VGIC_MAX_VCPUS, VGIC_MAX_SPIS);
	p->nr_spis = pt->gic_nr_spis;
	vgic_init(&p->vgic, p->nr_vcpus, p->nr_spis);
	p->mmio[p->nr_mmio++] = (struct mmio_dev){ t->vgic_dist_ipa, VGIC_DIST_SIZE, vgic_mmio_dist };
	p->mmio[p->nr_mmio++] =
		(struct mmio_dev){ t->vgic_redist_ipa, (uint64_t)t->nr_vcpus * VGIC_REDIST_STRIDE,
				   vgic_mmio_redist };
	if (t->kind == RAMPART_KIND_VM) {
		add_image(p, &t->kernel);
		add_image(p, &t->initrd);
		add_image(p, &t->dtb);
	}
	p->boot_entry = t->entry_ipa;
	p->boot_x0 = t->dtb.ipa;
}

/* Returns the number of partitions; 0 if the table is empty. */
unsigned int partitions_build(void)
{
	const struct rampart_partition_table *pt = &rampart_partition_table;

	if (pt->magic != RAMPART_PT_MAGIC || pt->version != RAMPART_PT_VERSION || pt->size != sizeof(*pt) ||
	    pt->nr_partitions > RAMPART_MAX_PARTITIONS || pt->nr_shm > RAMPART_MAX_SHM)
		hyp_panic("partition table: bad header (magic 0x%x version %u size %u)", pt->magic,
			  pt->version, pt->size);
	for (unsigned int i = 0; i < pt->nr_partitions; i++) {
		build_one(&partition_store[i], &pt->partitions[i], pt);
		HLOG("partition %s: %s, %u vCPU(s), %u RAM region(s), entry 0x%lx\n", partition_store[i].name,
		     partition_store[i].kind == RAMPART_KIND_REALM ? "realm" : "normal VM",
		     partition_store[i].nr_vcpus, partition_store[i].nr_mem, partition_store[i].boot_entry);
	}
	partitions = partition_store;
	partition_table = pt;
	nr_partitions = pt->nr_partitions;
	testhook_expose_realm();
	return nr_partitions;
}
