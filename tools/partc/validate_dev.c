/*
 * partc validation of what partitions reach besides their RAM: passthrough
 * devices (their MMIO ranges and SPIs) and shared-memory regions (peers,
 * PA and IPA, doorbells). Pure functions over the model, like validate.c;
 * what a check rejects it marks, and later checks skip it.
 */
#include <stdio.h>
#include <string.h>
#include "partc.h"

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
	struct pc_vdev v[PC_MAX_VDEVS];
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
	nv = pc_guest_vdevs(pt, v);
	for (unsigned int k = 0; k < nv; k++) {
		if (pc_overlap(base, size, v[k].base, v[k].size)) {
			pc_error(d, dev->path, "reg", "range %u %s overlaps %s %s of %s", r,
				 pc_rng(base, size).s, v[k].what, pc_rng(v[k].base, v[k].size).s, pt->name);
			return false;
		}
	}
	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		const struct pc_mem *mr = &pt->mem[k];
		if (!pt->mem_rejected[k] && pc_overlap(base, size, mr->ipa, mr->size)) {
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
				if (!od->reg_rejected[l] &&
				    pc_overlap(base, size, od->regs[l].base, od->regs[l].size)) {
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

void pc_check_devices(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		unsigned int nr_mmio = 0, nr_spis = 0;

		for (unsigned int j = 0; j < pt->nr_devices; j++) {
			struct pc_device *dev = &pt->devices[j];
			bool unique = device_unique(m, i, j, d), bad = !unique;

			/* After a device's first bad range the others are not checked: not compared either.
			 */
			for (unsigned int r = 0; r < dev->nr_regs; r++) {
				bad = bad || !device_range_ok(m, p, i, j, r, d);
				dev->reg_rejected[r] = bad;
			}
			if (!unique)
				continue;
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
	struct pc_vdev v[PC_MAX_VDEVS];
	unsigned int nv = pc_guest_vdevs(pt, v);

	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		if (!pt->mem_rejected[k] && pc_overlap(ipa, size, pt->mem[k].ipa, pt->mem[k].size)) {
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
			if (!dev->reg_rejected[r] &&
			    pc_overlap(ipa, size, dev->regs[r].base, dev->regs[r].size)) {
				pc_error(d, sh->path, "memory", "IPA %s overlaps %s range %u %s in %s",
					 pc_rng(ipa, size).s, dev->path, r,
					 pc_rng(dev->regs[r].base, dev->regs[r].size).s, pt->name);
				return false;
			}
		}
	}
	return true;
}

/* Mapped by the hypervisor in a normal VM peer (or the peers are unknown: assume so). */
static bool shm_in_hyp_stage2(const struct pc_model *m, const struct pc_shm *sh)
{
	for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++) {
		uint32_t pi = sh->peer_index[k];
		if (pi == RAMPART_NO_PARTITION || m->partitions[pi].kind != RAMPART_KIND_REALM)
			return true;
	}
	return false;
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
	if (!pc_check_range(d, sh->path, "memory", "IPA", ipa, size, RAMPART_PAGE_SIZE,
			    shm_in_hyp_stage2(m, sh)) ||
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
			if (!pt->mem_rejected[k] && pc_overlap(pa, size, pt->mem[k].pa, pt->mem[k].size)) {
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
		if (!m->partitions[i].has_label || !pc_label_ok(m->partitions[i].label))
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
		sh->mem_rejected = !shm_memory_ok(m, p, s, shm_ok, d);
		shm_ok[s] = !sh->mem_rejected && peers_ok;
		if (peers_ok && sh->has_doorbells)
			for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++)
				shm_doorbell_check(m, p, s, k, d);
	}
}
