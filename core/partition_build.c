/*
 * Partitions from the partition table that tools/partc generated at build
 * time: stage 2, vCPUs pinned to physical CPUs, emulated devices. The
 * table is validated at build time, and partc refuses what this code cannot
 * set up; the checks here remain because a table from another build, or a
 * compiler bug, must not corrupt memory. A table entry that fails them, or
 * whose stage 2 cannot be mapped, stops only that partition: it is never
 * started, whatever its fault policy (a restart or a system reset would
 * fail the same way), and the others run. Only a bad table header stops
 * the hypervisor.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/partition.h>
#include "hyp.h"
#include "partition.h"

_Static_assert(RAMPART_GUEST_IPA_BITS == MMU_S2_IPA_BITS,
	       "partc bounds guest IPAs by RAMPART_GUEST_IPA_BITS: it must be what stage 2 walks");
/* Kconfig's range says the same; this catches a .config edited past it. */
_Static_assert(CONFIG_GIC_NR_SPIS <= VGIC_MAX_SPIS, "CONFIG_GIC_NR_SPIS is above what the vGIC models");

/* In .noinit: the boot does not zero 16 table pages per partition it may not have. */
static struct partition partition_store[RAMPART_MAX_PARTITIONS] __attribute__((section(".noinit")));

static int vuart_mmio(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		      uint64_t *val)
{
	spin_lock(&p->lock);
	int rc = vuart_access(&p->vuart, off, size, write, val);
	/*
	 * The PL011's interrupt is a level: unmasking with a byte waiting raises
	 * it (Linux masks receive while it throttles), draining the FIFO lowers it.
	 */
	uint32_t kicks = partition_spi_level(p, p->console_intid, vuart_irq_pending(&p->vuart));
	spin_unlock(&p->lock);
	partition_kick(p, v, kicks);
	return rc;
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
	if (img->size)
		p->images[p->nr_images++] = (struct part_image){ img->pa, img->ipa, img->size };
}

_Static_assert(PART_MAX_IMAGES >= 3, "kernel, initrd, DTB");
/* The virtual UART and the vGIC's distributor and redistributors. */
_Static_assert(PART_MAX_MMIO >= 3, "the emulated devices");

/* A table entry this build cannot serve: why, or NULL. Nothing is set up yet. */
static const char *entry_problem(const struct rampart_partition *t, const struct rampart_partition_table *pt)
{
	uint64_t cpus = 0;

	if (t->kind != RAMPART_KIND_VM && t->kind != RAMPART_KIND_REALM)
		return "unknown partition kind";
	if (t->nr_vcpus == 0 || t->nr_vcpus > PART_MAX_VCPUS || t->nr_vcpus > VGIC_MAX_VCPUS)
		return "more vCPUs than this build and its vGIC serve";
	if (pt->gic_nr_spis > VGIC_MAX_SPIS)
		return "more SPIs than the vGIC models";
	if (t->nr_mem == 0 || t->nr_mem > PART_MAX_MEM || t->nr_mmio > RAMPART_MAX_MMIO ||
	    t->nr_spis > RAMPART_MAX_SPIS)
		return "more RAM regions, MMIO ranges or SPIs than this build takes";
	if (t->kind == RAMPART_KIND_REALM && (t->nr_mmio || t->nr_spis))
		return "passthrough devices in a realm";
	for (unsigned int i = 0; i < t->nr_vcpus; i++) {
		unsigned int cpu = t->pcpu[i];
		if (cpu >= CONFIG_NR_CPUS || pcpu_vcpu[cpu] || (cpus & (1UL << cpu)))
			return "a vCPU on a physical CPU that is absent or taken";
		cpus |= 1UL << cpu;
	}
	for (unsigned int i = 0; i < t->nr_spis; i++)
		if (t->spi_intid[i] < VGIC_SPI_BASE || t->spi_intid[i] - VGIC_SPI_BASE >= pt->gic_nr_spis)
			return "a passthrough INTID that is not one of the platform's SPIs";
	return NULL;
}

static const char *mmu_error(int rc)
{
	switch (rc) {
	case MMU_ERR_ALIGN:
		return "not page aligned";
	case MMU_ERR_RANGE:
		return "beyond the stage 2's IPA space";
	case MMU_ERR_NOMEM:
		return "no stage-2 table page left (CONFIG_HYP_S2_TABLE_PAGES)";
	case MMU_ERR_OVERLAP:
		return "overlaps another mapping";
	default:
		return "bad attributes";
	}
}

static int map(struct partition *p, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs,
	       const char *what)
{
	int rc = mmu_map(&p->s2, ipa, pa, size, attrs);

	if (rc)
		HLOG("partition %s: cannot map %s IPA 0x%lx+0x%lx: %s (error %d)\n", p->name, what, ipa, size,
		     mmu_error(rc), rc);
	return rc;
}

/* A normal VM's stage 2: RAM, passthrough MMIO, shared memory; then its SPIs. 0 or -1 (reported). */
static int map_stage2(struct partition *p, const struct rampart_partition *t,
		      const struct rampart_partition_table *pt)
{
	mmu_init_stage2(&p->s2, p->s2_pool, testhook_s2_table_pages(p->name, PART_S2_TABLE_PAGES));
	for (unsigned int i = 0; i < t->nr_mem; i++)
		if (map(p, t->mem[i].ipa, t->mem[i].pa, t->mem[i].size, s2_attrs(t->mem[i].attrs), "RAM"))
			return -1;
	for (unsigned int i = 0; i < t->nr_mmio; i++)
		if (map(p, t->mmio[i].ipa, t->mmio[i].pa, t->mmio[i].size, S2_DEVICE, "device"))
			return -1;
	for (unsigned int i = 0; i < pt->nr_shm; i++) {
		const struct rampart_shm *s = &pt->shm[i];
		if ((s->peer[0] == t->id || s->peer[1] == t->id) &&
		    map(p, s->ipa, s->pa, s->size, s2_attrs(s->attrs), "shared memory"))
			return -1;
	}
	/* Only once nothing can fail: routing changes the physical GIC. */
	for (unsigned int i = 0; i < t->nr_spis; i++) {
		uint32_t n = t->spi_intid[i] - VGIC_SPI_BASE;
		p->hw_spis[n / 32] |= 1U << (n % 32);
		/* To vCPU 0's CPU, where the guest's IROUTER reset value (vCPU 0) points too. */
		hyp_route_spi(t->spi_intid[i], t->pcpu[0]);
	}
	return 0;
}

/* Set up p from entry t: 0, or -1 with *why (p stays stopped, no CPU is given to it). */
static int build_one(struct partition *p, const struct rampart_partition *t,
		     const struct rampart_partition_table *pt, const char **why)
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
	containment_init(p);
	if ((*why = entry_problem(t, pt)) != NULL)
		return -1;
	p->nr_vcpus = t->nr_vcpus;
	p->nr_mem = t->nr_mem;
	for (unsigned int i = 0; i < t->nr_mem; i++)
		p->mem[i] = (struct part_mem){ t->mem[i].ipa, t->mem[i].pa, t->mem[i].size };
	if (t->kind == RAMPART_KIND_REALM) {
		/* Its stage 2 is the RMM's, built from the plan at start. */
		if (realm_setup(p, t, why))
			return -1;
	} else if (map_stage2(p, t, pt)) {
		*why = "its stage 2 cannot be mapped";
		return -1;
	}
	for (unsigned int i = 0; i < t->nr_vcpus; i++) {
		unsigned int cpu = t->pcpu[i];
		p->vcpus[i] = (struct vcpu){ .part = p, .id = i, .pcpu = cpu, .state = VCPU_OFF };
		pcpu_vcpu[cpu] = &p->vcpus[i];
	}
	if (t->console == RAMPART_CONSOLE_VUART) {
		vuart_init(&p->vuart, p->name);
		p->has_console = 1;
		p->console_intid = t->console_intid;
		p->mmio[p->nr_mmio++] =
			(struct mmio_dev){ t->console_ipa, RAMPART_GUEST_VUART_SIZE, vuart_mmio };
	}
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
	/*
	 * Running from here on, before CPU 0 has started it: a partition that
	 * stops while CPU 0 is still starting the others must not find them
	 * stopped, or the machine would power off with them never run.
	 */
	p->state = PART_RUNNING;
	return 0;
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
		struct partition *p = &partition_store[i];
		const char *why = NULL;

		if (build_one(p, &pt->partitions[i], pt, &why)) {
			p->unbuilt = 1;
			HLOG("partition %s: cannot be built (%s): stopped, whatever its fault policy (a "
			     "restart "
			     "or a system reset would fail the same way)\n",
			     p->name, why);
			continue;
		}
		HLOG("partition %s: %s, %u vCPU(s), %u RAM region(s), entry 0x%lx\n", p->name,
		     p->kind == RAMPART_KIND_REALM ? "realm" : "normal VM", p->nr_vcpus, p->nr_mem,
		     p->boot_entry);
	}
	partitions = partition_store;
	partition_table = pt;
	nr_partitions = pt->nr_partitions;
	testhook_expose_realm();
	return nr_partitions;
}
