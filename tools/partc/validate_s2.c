/*
 * partc: what a normal VM's stage 2 costs the hypervisor. It builds each
 * one at boot from a fixed pool of table pages (CONFIG_HYP_S2_TABLE_PAGES,
 * --s2-table-pages); the pages a tree needs depend on where its regions lie
 * (lib/s2_tables.h), so the compiler counts them, in the order the
 * hypervisor maps them (RAM, passthrough MMIO, shared memory:
 * core/partition_build.c), and names the region that does not fit. Realms are mapped by the RMM from their
 * realm-metadata budget instead (validate_realm.c).
 */
#include <stdio.h>
#include <lib/s2_tables.h>
#include "partc.h"

struct s2_list {
	struct s2_map maps[S2_TABLES_MAX_MAPS];
	unsigned int n;
};

_Static_assert(RAMPART_MAX_MEM_REGIONS + RAMPART_MAX_MMIO + RAMPART_MAX_SHM <= S2_TABLES_MAX_MAPS,
	       "every mapping of a partition fits the count");

/*
 * Add one mapping; true if the stage 2 still fits. Else reported at
 * path/prop, unless *reported says that was done for the other peer of the
 * same shared region (one mistake, one message).
 */
static bool add(struct s2_list *l, const struct pc_partition *pt, const struct pc_platform *p,
		const struct pc_mem *r, const char *path, const char *prop, const char *what, bool *reported,
		struct pc_diag *d)
{
	unsigned int pages;

	l->maps[l->n++] = (struct s2_map){ r->ipa, r->pa, r->size };
	pages = s2_tables_needed(l->maps, l->n);
	if (pages <= p->s2_table_pages)
		return true;
	if (!*reported)
		pc_error(d, path, prop,
			 "%s %s takes %s's stage 2 to %u table pages, more than the %u the hypervisor has "
			 "per partition (CONFIG_HYP_S2_TABLE_PAGES: a page for the root, one per GiB of IPA "
			 "used, one per 2 MiB not mapped as a whole block); raise it, or put the regions in "
			 "fewer GiBs of IPA, 2 MiB aligned",
			 what, pc_rng(r->ipa, r->size).s, pt->name, pages, p->s2_table_pages);
	*reported = true;
	return false;
}

static void check_one(const struct pc_model *m, const struct pc_platform *p, unsigned int i,
		      bool *shm_reported, struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	struct s2_list l = { .n = 0 };
	bool reported = false;
	char what[48];

	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		snprintf(what, sizeof(what), "region %u IPA", k);
		if (!add(&l, pt, p, &pt->mem[k], pt->path, "memory", what, &reported, d))
			return;
	}
	for (unsigned int j = 0; j < pt->nr_devices; j++) {
		const struct pc_device *dev = &pt->devices[j];
		for (unsigned int r = 0; r < dev->nr_regs; r++) {
			const struct pc_mem mmio = { dev->regs[r].base, dev->regs[r].base,
						     dev->regs[r].size };
			snprintf(what, sizeof(what), "range %u", r);
			if (!add(&l, pt, p, &mmio, dev->path, "reg", what, &reported, d))
				return;
		}
	}
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		if (sh->peer_index[0] != i && sh->peer_index[1] != i)
			continue;
		if (!add(&l, pt, p, &sh->mem, sh->path, "memory", "IPA", &shm_reported[s], d))
			return;
	}
}

void pc_check_stage2(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	bool shm_reported[RAMPART_MAX_SHM] = { false };

	for (unsigned int i = 0; i < m->nr_partitions; i++)
		if (m->partitions[i].kind == RAMPART_KIND_VM)
			check_one(m, p, i, shm_reported, d);
}
