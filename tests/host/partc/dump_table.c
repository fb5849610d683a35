/*
 * Prints the partition table partc generated (partition_table.c, linked in)
 * as JSON, so that tests/host/test_partc.py can compare it with the tree.
 * Built by the test with the host compiler against lib/include.
 */
#include <stdio.h>
#include <rampart/partition.h>

static void region(const struct rampart_region *r, int last)
{
	printf("{\"ipa\": %llu, \"pa\": %llu, \"size\": %llu, \"attrs\": %u}%s", (unsigned long long)r->ipa,
	       (unsigned long long)r->pa, (unsigned long long)r->size, r->attrs, last ? "" : ", ");
}

static void image(const char *name, const struct rampart_image *im)
{
	printf("\"%s\": {\"ipa\": %llu, \"pa\": %llu, \"size\": %llu}, ", name, (unsigned long long)im->ipa,
	       (unsigned long long)im->pa, (unsigned long long)im->size);
}

static void partition(const struct rampart_partition *p, int last)
{
	printf("{\"id\": %u, \"kind\": %u, \"label\": \"%s\", \"fault_policy\": %u, \"console\": %u, "
	       "\"flags\": %u, ",
	       p->id, p->kind, p->label, p->fault_policy, p->console, p->flags);
	const struct rampart_containment *c = &p->containment;
	printf("\"containment\": {\"watchdog_ms\": %u, \"watchdog_action\": %u, \"restart_limit\": %u, "
	       "\"restart_backoff_ms\": %u, \"irq_budget\": %u, \"irq_window_ms\": %u}, ",
	       c->watchdog_ms, c->watchdog_action, c->restart_limit, c->restart_backoff_ms, c->irq_budget,
	       c->irq_window_ms);
	printf("\"pcpu\": [");
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		printf("%u%s", p->pcpu[i], i + 1 < p->nr_vcpus ? ", " : "");
	printf("], \"entry_ipa\": %llu, ", (unsigned long long)p->entry_ipa);
	image("kernel", &p->kernel);
	image("initrd", &p->initrd);
	image("dtb", &p->dtb);
	printf("\"vgic_dist_ipa\": %llu, \"vgic_redist_ipa\": %llu, \"console_ipa\": %llu, "
	       "\"console_intid\": %u, ",
	       (unsigned long long)p->vgic_dist_ipa, (unsigned long long)p->vgic_redist_ipa,
	       (unsigned long long)p->console_ipa, p->console_intid);
	printf("\"mem\": [");
	for (unsigned int i = 0; i < p->nr_mem; i++)
		region(&p->mem[i], i + 1 == p->nr_mem);
	printf("], \"mmio\": [");
	for (unsigned int i = 0; i < p->nr_mmio; i++)
		region(&p->mmio[i], i + 1 == p->nr_mmio);
	printf("], \"spi_intid\": [");
	for (unsigned int i = 0; i < p->nr_spis; i++)
		printf("%u%s", p->spi_intid[i], i + 1 < p->nr_spis ? ", " : "");
	printf("], \"realm\": {\"hash_algo\": %u, \"ipa_bits\": %u, \"num_bps\": %u, \"num_wps\": %u, "
	       "\"metadata_pa\": %llu, \"metadata_size\": %llu, \"rpv\": \"",
	       p->realm.hash_algo, p->realm.ipa_bits, p->realm.num_bps, p->realm.num_wps,
	       (unsigned long long)p->realm.metadata_pa, (unsigned long long)p->realm.metadata_size);
	for (unsigned int i = 0; i < RAMPART_RPV_SIZE; i++)
		printf("%02x", p->realm.rpv[i]);
	printf("\"}}%s\n", last ? "" : ",");
}

int main(void)
{
	const struct rampart_partition_table *t = &rampart_partition_table;

	printf("{\"magic\": %u, \"version\": %u, \"size\": %u, \"sizeof\": %zu, \"nr_partitions\": %u, "
	       "\"nr_shm\": %u, \"gic_nr_spis\": %u, \"pcpu_mask\": %llu, \"staging_pa\": %llu, "
	       "\"staging_size\": %llu,\n\"partitions\": [\n",
	       t->magic, t->version, t->size, sizeof(*t), t->nr_partitions, t->nr_shm, t->gic_nr_spis,
	       (unsigned long long)t->pcpu_mask, (unsigned long long)t->staging_pa,
	       (unsigned long long)t->staging_size);
	for (unsigned int i = 0; i < t->nr_partitions && i < RAMPART_MAX_PARTITIONS; i++)
		partition(&t->partitions[i], i + 1 == t->nr_partitions);
	printf("],\n\"shm\": [");
	for (unsigned int i = 0; i < t->nr_shm && i < RAMPART_MAX_SHM; i++) {
		const struct rampart_shm *s = &t->shm[i];
		printf("{\"label\": \"%s\", \"ipa\": %llu, \"pa\": %llu, \"size\": %llu, \"attrs\": %u, "
		       "\"peer\": [%u, %u], \"doorbell_intid\": [%u, %u]}%s",
		       s->label, (unsigned long long)s->ipa, (unsigned long long)s->pa,
		       (unsigned long long)s->size, s->attrs, s->peer[0], s->peer[1], s->doorbell_intid[0],
		       s->doorbell_intid[1], i + 1 < t->nr_shm ? ", " : "");
	}
	printf("]}\n");
	return 0;
}
