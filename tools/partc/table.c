/*
 * partc: the validated model as the partition table itself (struct
 * rampart_partition_table, lib/include/rampart/partition.h). The C emitter
 * prints this structure and the reference-value pass measures realms from
 * it, so both see exactly what the hypervisor will link.
 */
#include <string.h>
#include "partc.h"

static void fill_partition(const struct pc_partition *pt, struct rampart_partition *e)
{
	memset(e, 0, sizeof(*e));
	e->id = pt->id;
	e->kind = pt->kind;
	memcpy(e->label, pt->label, strnlen(pt->label, RAMPART_LABEL_MAX - 1));
	e->fault_policy = pt->fault_kind;
	e->console = pt->console_kind;
	e->flags = (pt->images_external ? RAMPART_PART_IMAGES_EXTERNAL : 0) |
		   (pt->update_authority ? RAMPART_PART_UPDATE_AUTHORITY : 0);
	e->nr_vcpus = pt->nr_cpus;
	for (unsigned int c = 0; c < pt->nr_cpus && c < RAMPART_MAX_VCPUS; c++)
		e->pcpu[c] = (uint8_t)pt->cpus[c];
	e->entry_ipa = pt->kernel_ipa;
	e->kernel = (struct rampart_image){ pt->kernel_ipa, pt->kernel_pa, pt->kernel.file_size };
	if (pt->initrd.given)
		e->initrd = (struct rampart_image){ pt->initrd_ipa, pt->initrd_pa, pt->initrd.file_size };
	e->dtb = (struct rampart_image){ pt->dtb_ipa, pt->dtb_pa, pt->dtb_size };
	e->vgic_dist_ipa = RAMPART_GUEST_GICD_IPA;
	e->vgic_redist_ipa = RAMPART_GUEST_GICR_IPA;
	if (pt->console_kind == RAMPART_CONSOLE_VUART) {
		e->console_ipa = RAMPART_GUEST_VUART_IPA;
		e->console_intid = RAMPART_SPI_INTID(RAMPART_GUEST_VUART_SPI);
	}
	e->nr_mem = pt->nr_mem;
	for (unsigned int k = 0; k < pt->nr_mem; k++)
		e->mem[k] = (struct rampart_region){ pt->mem[k].ipa, pt->mem[k].pa, pt->mem[k].size,
						     RAMPART_MEM_RAM, 0 };
	for (unsigned int j = 0; j < pt->nr_devices; j++) {
		const struct pc_device *dev = &pt->devices[j];
		for (unsigned int r = 0; r < dev->nr_regs && e->nr_mmio < RAMPART_MAX_MMIO; r++)
			e->mmio[e->nr_mmio++] =
				(struct rampart_region){ dev->regs[r].base, dev->regs[r].base,
							 dev->regs[r].size, RAMPART_MEM_MMIO, 0 };
		for (unsigned int q = 0; q < dev->nr_irqs && e->nr_spis < RAMPART_MAX_SPIS; q++)
			e->spi_intid[e->nr_spis++] = RAMPART_SPI_INTID(dev->irqs[q].spi);
	}
	const struct pc_containment *c = &pt->contain;
	e->containment = (struct rampart_containment){
		.watchdog_ms = c->has_watchdog ? c->timeout_ms : 0,
		.watchdog_action = c->has_watchdog ? c->action_kind : 0,
		.restart_limit = c->restart_limit,
		.restart_backoff_ms = c->backoff_ms,
		.irq_budget = c->has_irq_budget ? c->irq_budget : RAMPART_IRQ_BUDGET_DEFAULT,
		.irq_window_ms = c->has_irq_budget ? c->irq_window_ms : RAMPART_IRQ_WINDOW_MS_DEFAULT,
	};
	if (pt->kind == RAMPART_KIND_REALM) {
		const struct pc_realm *r = &pt->realm;
		memcpy(e->realm.rpv, r->rpv, r->rpv_len < RAMPART_RPV_SIZE ? r->rpv_len : RAMPART_RPV_SIZE);
		e->realm.hash_algo = r->hash_kind;
		e->realm.ipa_bits = r->ipa_bits;
		e->realm.num_bps = r->num_bps;
		e->realm.num_wps = r->num_wps;
		e->realm.metadata_pa = r->metadata_pa;
		e->realm.metadata_size = r->metadata_size;
	}
}

void pc_fill_table(const struct pc_model *m, const struct pc_platform *p, struct rampart_partition_table *t)
{
	memset(t, 0, sizeof(*t));
	t->magic = RAMPART_PT_MAGIC;
	t->version = RAMPART_PT_VERSION;
	t->size = sizeof(*t);
	t->nr_partitions = m->nr_partitions;
	t->nr_shm = m->nr_shm;
	t->gic_nr_spis = p->nr_spis;
	t->staging_pa = m->staging.base;
	t->staging_size = m->staging.size;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		for (unsigned int c = 0; c < pt->nr_cpus; c++)
			t->pcpu_mask |= 1ULL << pt->cpus[c];
		if (pt->id < RAMPART_MAX_PARTITIONS)
			fill_partition(pt, &t->partitions[pt->id]);
	}
	for (unsigned int s = 0; s < m->nr_shm && s < RAMPART_MAX_SHM; s++) {
		const struct pc_shm *sh = &m->shm[s];
		struct rampart_shm *e = &t->shm[s];
		memcpy(e->label, sh->label, strnlen(sh->label, RAMPART_LABEL_MAX - 1));
		e->ipa = sh->mem.ipa;
		e->pa = sh->mem.pa;
		e->size = sh->mem.size;
		e->attrs = RAMPART_MEM_READ | RAMPART_MEM_WRITE | RAMPART_MEM_SHARED;
		for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++) {
			e->peer[k] = m->partitions[sh->peer_index[k]].id;
			e->doorbell_intid[k] = sh->has_doorbells ? RAMPART_SPI_INTID(sh->doorbells[k]) : 0;
		}
	}
}
