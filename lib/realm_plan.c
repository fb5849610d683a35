/*
 * The build plan of a realm partition (lib/include/lib/realm_plan.h): one
 * iterator over the RMI sequence that the hypervisor performs and the
 * partition compiler measures. Pure functions of the partition-table entry.
 */
#include <lib/measure.h>
#include <lib/realm_plan.h>
#include <lib/string.h>

#define RTT_STRIDE 9
#define GRANULE_SHIFT 12

enum { PHASE_CREATE, PHASE_RIPAS, PHASE_DATA, PHASE_REC, PHASE_POPULATE, PHASE_ACTIVATE, PHASE_DONE };

int realm_plan_geometry(const struct rampart_partition *p, struct realm_geometry *g)
{
	int sl = measure_rtt_start_level(p->realm.ipa_bits);

	if (sl < 0)
		return -1;
	/* Bits one start-level table resolves; the rest is the number of tables concatenated. */
	unsigned int bits = (unsigned int)(REALM_RTT_PAGE_LEVEL - sl + 1) * RTT_STRIDE + GRANULE_SHIFT;
	g->start_level = sl;
	g->num_root = p->realm.ipa_bits <= bits ? 1U : 1U << (p->realm.ipa_bits - bits);
	g->unprotected = 1ULL << (p->realm.ipa_bits - 1);
	return 0;
}

void realm_plan_realm_params(const struct rampart_partition *p, const struct realm_geometry *g,
			     struct rmi_realm_params *params)
{
	memset(params, 0, sizeof(*params));
	params->s2sz = p->realm.ipa_bits;
	params->num_bps = p->realm.num_bps;
	params->num_wps = p->realm.num_wps;
	params->hash_algo = (uint8_t)p->realm.hash_algo;
	memcpy(params->rpv, p->realm.rpv, sizeof(params->rpv));
	params->rtt_level_start = g->start_level;
	params->rtt_num_start = g->num_root;
}

void realm_plan_rec_params(const struct rampart_partition *p, unsigned int rec, struct rmi_rec_params *params)
{
	memset(params, 0, sizeof(*params));
	params->mpidr = rec; /* Aff0 = vCPU index, as the guest DTB's cpu@<index> reg */
	if (rec == 0) {
		params->flags = RMI_REC_FLAGS_RUNNABLE;
		params->pc = p->entry_ipa;
		params->gprs[0] = p->dtb.ipa;
	}
}

void realm_plan_init(struct realm_plan *it, const struct rampart_partition *p)
{
	const struct rampart_image *all[3] = { &p->kernel, &p->initrd, &p->dtb };
	unsigned int n = p->nr_mem < RAMPART_MAX_MEM_REGIONS ? p->nr_mem : RAMPART_MAX_MEM_REGIONS;

	memset(it, 0, sizeof(*it));
	it->p = p;
	/* Images by ascending IPA (insertion sort of at most three). */
	for (unsigned int i = 0; i < 3; i++) {
		unsigned int k = it->nr_images;
		if (!all[i]->size)
			continue;
		while (k > 0 && it->images[k - 1]->ipa > all[i]->ipa) {
			it->images[k] = it->images[k - 1];
			k--;
		}
		it->images[k] = all[i];
		it->nr_images++;
	}
	/* RAM regions by ascending IPA. */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int k = i;
		while (k > 0 && p->mem[it->regions[k - 1]].ipa > p->mem[i].ipa) {
			it->regions[k] = it->regions[k - 1];
			k--;
		}
		it->regions[k] = i;
	}
}

static const struct rampart_region *region(const struct realm_plan *it, unsigned int i)
{
	return &it->p->mem[it->regions[i]];
}

int realm_plan_next(struct realm_plan *it, struct realm_step *s)
{
	const struct rampart_partition *p = it->p;
	unsigned int nr_mem = p->nr_mem < RAMPART_MAX_MEM_REGIONS ? p->nr_mem : RAMPART_MAX_MEM_REGIONS;

	memset(s, 0, sizeof(*s));
	for (;;) {
		switch (it->phase) {
		case PHASE_CREATE:
			it->phase = PHASE_RIPAS;
			s->kind = REALM_STEP_CREATE;
			return 1;
		case PHASE_RIPAS:
		case PHASE_POPULATE:
			if (it->index < nr_mem) {
				const struct rampart_region *r = region(it, it->index++);
				s->kind = it->phase == PHASE_RIPAS ? REALM_STEP_INIT_RIPAS
								   : REALM_STEP_POPULATE;
				s->base = r->ipa;
				s->top = r->ipa + r->size;
				return 1;
			}
			it->phase = it->phase == PHASE_RIPAS ? PHASE_DATA : PHASE_ACTIVATE;
			it->index = 0;
			break;
		case PHASE_DATA:
			if (it->index < it->nr_images) {
				const struct rampart_image *im = it->images[it->index];
				uint64_t left = im->size - it->offset;
				s->kind = REALM_STEP_DATA;
				s->ipa = im->ipa + it->offset;
				s->image = im;
				s->offset = it->offset;
				s->len = left < REALM_GRANULE ? left : REALM_GRANULE;
				it->offset += REALM_GRANULE;
				if (it->offset >= im->size) {
					it->offset = 0;
					it->index++;
				}
				return 1;
			}
			it->phase = PHASE_REC;
			it->index = 0;
			break;
		case PHASE_REC:
			if (it->index < p->nr_vcpus && it->index < RAMPART_MAX_VCPUS) {
				s->kind = REALM_STEP_REC;
				s->rec = it->index++;
				return 1;
			}
			it->phase = PHASE_POPULATE;
			it->index = 0;
			break;
		case PHASE_ACTIVATE:
			it->phase = PHASE_DONE;
			s->kind = REALM_STEP_ACTIVATE;
			return 1;
		default:
			return 0;
		}
	}
}

/* RTTs at levels start+1..3 under [base, base + size): one per block of the level above touched. */
static uint64_t tables_over(uint64_t base, uint64_t size, int start_level)
{
	uint64_t n = 0;

	if (!size)
		return 0;
	for (int level = start_level + 1; level <= REALM_RTT_PAGE_LEVEL; level++) {
		/* A level-L table maps one entry of level L - 1. */
		unsigned int shift =
			GRANULE_SHIFT + RTT_STRIDE * (unsigned int)(REALM_RTT_PAGE_LEVEL - level + 1);
		n += ((base + size - 1) >> shift) - (base >> shift) + 1;
	}
	return n;
}

uint64_t realm_plan_metadata_granules(const struct rampart_partition *p, const struct realm_geometry *g,
				      const struct rampart_shm *shm, unsigned int nr_shm)
{
	uint64_t n = 1 + g->num_root; /* RD, start-level RTTs */

	for (unsigned int i = 0; i < p->nr_mem && i < RAMPART_MAX_MEM_REGIONS; i++) {
		n += tables_over(p->mem[i].ipa, p->mem[i].size, g->start_level);
		n += tables_over(p->mem[i].ipa | g->unprotected, p->mem[i].size, g->start_level);
	}
	for (unsigned int i = 0; shm && i < nr_shm; i++) {
		if (shm[i].peer[0] == p->id || shm[i].peer[1] == p->id)
			n += tables_over(shm[i].ipa | g->unprotected, shm[i].size, g->start_level);
	}
	return n + (uint64_t)p->nr_vcpus * (1 + RMI_REC_MAX_AUX) + REALM_HOST_PAGES(p->nr_vcpus);
}
