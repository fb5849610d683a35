/*
 * Building and destroying a realm partition through RMI. The build follows
 * the plan of lib/realm_plan.h step by step (the partition compiler predicted
 * the RIM from the same steps); RTTs are created only where the RMM answers
 * ERROR_RTT, which is what makes RTT_INIT_RIPAS measure the largest blocks
 * (the Realm-VM conventions). Every delegated granule comes from the
 * partition's RAM (its DATA granules, PA = the table's) or from its metadata
 * range (RD, RTTs, RECs and their auxiliary granules, bump-allocated).
 *
 * RAM is populated up front: measured DATA_CREATE of the images, then
 * DATA_CREATE_UNKNOWN of every other page, so the realm never waits for the
 * host on a first touch (docs/partitions.md, "Realm partitions").
 */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"
#include "realm.h"

/* The host's NS pages at the end of the metadata range (REALM_HOST_PAGES): RecRuns, params, bounce. */
static void *host_page(const struct partition *p, unsigned int i)
{
	const struct rampart_realm *rp = p->realm.params;

	return (void *)(rp->metadata_pa + rp->metadata_size -
			(REALM_HOST_PAGES(p->nr_vcpus) - i) * REALM_GRANULE);
}

struct rmi_rec_run *realm_run_page(const struct partition *p, unsigned int vcpu)
{
	return host_page(p, vcpu);
}

#define PARAMS_PAGE(p) host_page(p, (p)->nr_vcpus)
#define BOUNCE_PAGE(p) ((uint8_t *)host_page(p, (p)->nr_vcpus + 1))

/*
 * One realm is built or torn down at a time, machine-wide: every delegation
 * changes the GPT under the monitor's one lock and invalidates every CPU's
 * cached GPT entries, so concurrent builds only queue there, spinning. Here
 * the waiting CPUs sleep (WFI) until the holder kicks them.
 */
static spinlock_t lifecycle_lock = SPINLOCK_INIT;

void realm_lifecycle_lock(void)
{
	uint16_t ticket = __atomic_fetch_add(&lifecycle_lock.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lifecycle_lock.owner, __ATOMIC_ACQUIRE) != ticket)
		hyp_wait_irq();
}

void realm_lifecycle_unlock(void)
{
	spin_unlock(&lifecycle_lock);
	hyp_kick_others();
}

static int ok(struct rmi_ret r)
{
	return r.status == RMI_SUCCESS;
}

static int fail(struct partition *p, const char *what, uint64_t ipa, struct rmi_ret r)
{
	HLOG("partition %s: realm build failed: %s at 0x%lx: RMI status %lu index %lu\n", p->name, what, ipa,
	     RMI_RETURN_STATUS(r.status), RMI_RETURN_INDEX(r.status));
	return -1;
}

static int fail_meta(struct partition *p, const char *what)
{
	HLOG("partition %s: realm build failed: %s: the metadata range 0x%lx+0x%lx is used up or refused\n",
	     p->name, what, p->realm.params->metadata_pa, p->realm.params->metadata_size);
	return -1;
}

/* The RMM's RMI_FEATURES against what the table asks for: 0, or -1 after saying why. */
static int platform_offers(struct partition *p)
{
	const struct rampart_realm *rp = p->realm.params;
	struct rmi_ret v = rmi_call(RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0);
	struct rmi_ret f = rmi_call(RMI_FEATURES, 0, 0, 0, 0, 0);
	uint64_t feat = f.x1;
	const char *why = NULL;

	if (v.status != RMI_SUCCESS || f.status != RMI_SUCCESS)
		why = "no RMM answers RMI 1.0";
	else if (rp->ipa_bits > ((feat >> RMI_FEAT0_S2SZ_SHIFT) & RMI_FEAT0_S2SZ_MASK))
		why = "the RMM offers fewer IPA bits";
	else if (rp->num_bps > ((feat >> RMI_FEAT0_NUM_BPS_SHIFT) & RMI_FEAT0_NUM_BPS_MASK) ||
		 rp->num_wps > ((feat >> RMI_FEAT0_NUM_WPS_SHIFT) & RMI_FEAT0_NUM_WPS_MASK))
		why = "the RMM offers fewer breakpoints or watchpoints";
	else if (!(feat &
		   (rp->hash_algo == RMI_HASH_SHA_512 ? RMI_FEAT0_HASH_SHA_512 : RMI_FEAT0_HASH_SHA_256)))
		why = "the RMM does not offer its hash algorithm";
	else if (p->nr_vcpus >=
		 (1UL << ((feat >> RMI_FEAT0_MAX_RECS_ORDER_SHIFT) & RMI_FEAT0_MAX_RECS_ORDER_MASK)))
		why = "the RMM takes fewer RECs";
	if (!why)
		return 0;
	HLOG("partition %s: this realm cannot be built: %s (RMI_FEATURES 0x%lx)\n", p->name, why, feat);
	return -1;
}

int realm_setup(struct partition *p, const struct rampart_partition *t, const char **why)
{
	struct realm *r = &p->realm;

	memset(r, 0, sizeof(*r));
	r->params = &t->realm;
	if (realm_plan_geometry(t, &r->geo) || !t->realm.metadata_size ||
	    t->realm.metadata_pa % ((uint64_t)r->geo.num_root * REALM_GRANULE)) {
		*why = "its realm parameters or metadata range do not fit this hypervisor build";
		return -1;
	}
	r->broken = platform_offers(p) != 0;
	return 0;
}

static const struct part_mem *ram_of(const struct partition *p, uint64_t ipa)
{
	for (unsigned int i = 0; i < p->nr_mem; i++)
		if (ipa >= p->mem[i].ipa && ipa - p->mem[i].ipa < p->mem[i].size)
			return &p->mem[i];
	return NULL;
}

static uint64_t ram_pa(const struct partition *p, uint64_t ipa)
{
	const struct part_mem *m = ram_of(p, ipa);

	return m ? m->pa + (ipa - m->ipa) : 0;
}

static int create(struct partition *p, const struct rampart_partition *t)
{
	struct realm *r = &p->realm;
	struct rmi_realm_params *params = PARAMS_PAGE(p);
	/* The start-level RTTs first: concatenated tables must be contiguous and aligned to their size. */
	uint64_t root = r->meta_next;

	for (unsigned int i = 0; i < r->geo.num_root; i++)
		if (realm_meta_delegated(p) != root + i * REALM_GRANULE)
			return fail_meta(p, "delegating the start-level RTTs");
	r->rd = realm_meta_delegated(p);
	if (!r->rd)
		return fail_meta(p, "delegating the RD");
	realm_plan_realm_params(t, &r->geo, params);
	params->vmid = p->vmid;
	params->rtt_base = root;
	struct rmi_ret ret = rmi_call(RMI_REALM_CREATE, r->rd, (uint64_t)params, 0, 0, 0);
	if (!ok(ret))
		return fail(p, "REALM_CREATE", 0, ret);
	ret = rmi_call(RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0);
	if (!ok(ret) || ret.x1 > RMI_REC_MAX_AUX)
		return fail(p, "REC_AUX_COUNT", 0, ret);
	r->aux_count = ret.x1;
	return 0;
}

static int init_ripas(struct partition *p, uint64_t base, uint64_t top)
{
	while (base < top) {
		struct rmi_ret ret = realm_rtt_op(p, RMI_RTT_INIT_RIPAS, p->realm.rd, base, top, 0, 0, base);
		if (!ok(ret) || ret.x1 <= base || ret.x1 > top)
			return fail(p, "RTT_INIT_RIPAS", base, ret);
		base = ret.x1;
	}
	return 0;
}

static int data(struct partition *p, const struct realm_step *s)
{
	uint64_t src = s->image->pa + s->offset;

	if (s->len < REALM_GRANULE) {
		/* The image's last page: its tail is measured as zeros, whatever follows it in staging. */
		uint8_t *b = BOUNCE_PAGE(p);
		memcpy(b, (const void *)src, s->len);
		memset(b + s->len, 0, REALM_GRANULE - s->len);
		src = (uint64_t)b;
	}
	struct rmi_ret ret = realm_rtt_op(p, RMI_DATA_CREATE, p->realm.rd, ram_pa(p, s->ipa), s->ipa, src,
					  RMI_MEASURE_CONTENT, s->ipa);
	return ok(ret) ? 0 : fail(p, "DATA_CREATE", s->ipa, ret);
}

static int rec(struct partition *p, const struct rampart_partition *t, unsigned int i)
{
	struct realm *r = &p->realm;
	struct rmi_rec_params *params = PARAMS_PAGE(p);
	uint64_t g = realm_meta_delegated(p);

	if (!g)
		return fail_meta(p, "delegating a REC");
	realm_plan_rec_params(t, i, params);
	params->num_aux = r->aux_count;
	for (uint64_t k = 0; k < r->aux_count; k++) {
		params->aux[k] = realm_meta_delegated(p);
		if (!params->aux[k])
			return fail_meta(p, "delegating REC auxiliary granules");
	}
	struct rmi_ret ret = rmi_call(RMI_REC_CREATE, r->rd, g, (uint64_t)params, 0, 0);
	if (!ok(ret))
		return fail(p, "REC_CREATE", i, ret);
	r->rec[i] = g;
	p->vcpus[i].rec = g;
	return 0;
}

/* Inside one of the images (created measured already)? */
static int in_image(const struct rampart_partition *t, uint64_t ipa)
{
	const struct rampart_image *im[3] = { &t->kernel, &t->initrd, &t->dtb };

	for (unsigned int i = 0; i < 3; i++)
		if (im[i]->size && ipa >= im[i]->ipa && ipa - im[i]->ipa < im[i]->size)
			return 1;
	return 0;
}

static int populate(struct partition *p, const struct rampart_partition *t, uint64_t base, uint64_t top)
{
	for (uint64_t ipa = base; ipa < top; ipa += REALM_GRANULE) {
		if (in_image(t, ipa))
			continue;
		struct rmi_ret ret =
			realm_rtt_op(p, RMI_DATA_CREATE_UNKNOWN, p->realm.rd, ram_pa(p, ipa), ipa, 0, 0, ipa);
		if (!ok(ret))
			return fail(p, "DATA_CREATE_UNKNOWN", ipa, ret);
		p->realm.unmeasured_pages++;
	}
	return 0;
}

/* Shared memory with a normal partition: mapped in the unprotected half, at IPA + 2^(ipa_bits - 1). */
static int map_shared(struct partition *p)
{
	const struct rampart_partition_table *pt = partition_table;

	for (unsigned int s = 0; s < pt->nr_shm; s++) {
		const struct rampart_shm *sh = &pt->shm[s];
		if (sh->peer[0] != p->id && sh->peer[1] != p->id)
			continue;
		for (uint64_t off = 0; off < sh->size; off += REALM_GRANULE) {
			uint64_t ipa = (sh->ipa + off) | p->realm.geo.unprotected;
			struct rmi_ret ret = realm_rtt_op(p, RMI_RTT_MAP_UNPROTECTED, p->realm.rd, ipa,
							  REALM_RTT_PAGE_LEVEL,
							  (sh->pa + off) | REALM_NS_DESC_ATTRS, 0, ipa);
			if (!ok(ret))
				return fail(p, "RTT_MAP_UNPROTECTED", ipa, ret);
		}
	}
	return 0;
}

static int delegate_ram(struct partition *p)
{
	for (unsigned int i = 0; i < p->nr_mem; i++) {
		for (uint64_t off = 0; off < p->mem[i].size; off += REALM_GRANULE) {
			struct rmi_ret ret = rmi_call(RMI_GRANULE_DELEGATE, p->mem[i].pa + off, 0, 0, 0, 0);
			if (!ok(ret))
				return fail(p, "GRANULE_DELEGATE of RAM", p->mem[i].ipa + off, ret);
		}
	}
	return 0;
}

int realm_build(struct partition *p)
{
	const struct rampart_partition *t = p->entry;
	struct realm *r = &p->realm;
	struct realm_plan it;
	struct realm_step s;
	int rc = 0;

	if (r->broken)
		return -1;
	r->meta_next = r->params->metadata_pa;
	r->meta_end = (uint64_t)host_page(p, 0);
	r->measured_pages = r->measured_ticks = r->unmeasured_pages = r->unmeasured_ticks = 0;
	memset(&r->counts, 0, sizeof(r->counts));
	uint64_t start = read_cntpct();
	if (delegate_ram(p))
		return -1;
	r->delegate_ticks = read_cntpct() - start;
	realm_plan_init(&it, t);
	while (rc == 0 && realm_plan_next(&it, &s)) {
		switch (s.kind) {
		case REALM_STEP_CREATE:
			rc = create(p, t);
			break;
		case REALM_STEP_INIT_RIPAS:
			rc = init_ripas(p, s.base, s.top);
			break;
		case REALM_STEP_DATA: {
			uint64_t t0 = read_cntpct();
			rc = data(p, &s);
			r->measured_ticks += read_cntpct() - t0;
			r->measured_pages++;
			break;
		}
		case REALM_STEP_REC:
			rc = rec(p, t, s.rec);
			break;
		case REALM_STEP_POPULATE: {
			uint64_t t0 = read_cntpct();
			rc = populate(p, t, s.base, s.top);
			r->unmeasured_ticks += read_cntpct() - t0;
			break;
		}
		case REALM_STEP_ACTIVATE: {
			rc = map_shared(p);
			struct rmi_ret ret = rmi_call(RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0);
			if (rc == 0 && !ok(ret))
				rc = fail(p, "REALM_ACTIVATE", 0, ret);
			break;
		}
		}
	}
	if (rc)
		return rc;
	r->built = 1;
	return 0;
}

/* ------------------------------------------------------------ teardown */

/* [base, top) of every range the realm may have RTTs or mappings under. */
struct range {
	uint64_t base, top;
};

static unsigned int realm_ranges(const struct partition *p, struct range *out, int alias_only)
{
	const struct rampart_partition_table *pt = partition_table;
	uint64_t u = p->realm.geo.unprotected;
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->nr_mem; i++) {
		if (!alias_only)
			out[n++] = (struct range){ p->mem[i].ipa, p->mem[i].ipa + p->mem[i].size };
		out[n++] = (struct range){ p->mem[i].ipa | u, (p->mem[i].ipa | u) + p->mem[i].size };
	}
	for (unsigned int s = 0; s < pt->nr_shm; s++)
		if (pt->shm[s].peer[0] == p->id || pt->shm[s].peer[1] == p->id)
			out[n++] =
				(struct range){ pt->shm[s].ipa | u, (pt->shm[s].ipa | u) + pt->shm[s].size };
	return n;
}

#define MAX_RANGES (2 * PART_MAX_MEM + RAMPART_MAX_SHM)

/* Every unprotected mapping: shared RAM pages and shared memory. Tables are found by walking. */
static void unmap_unprotected(struct partition *p)
{
	struct range rg[MAX_RANGES];
	unsigned int n = realm_ranges(p, rg, 1);
	const uint64_t block = RTT_ENTRY_SIZE(REALM_RTT_PAGE_LEVEL - 1);

	for (unsigned int i = 0; i < n; i++) {
		for (uint64_t ipa = rg[i].base; ipa < rg[i].top;) {
			struct rmi_ret e =
				rmi_call(RMI_RTT_READ_ENTRY, p->realm.rd, ipa, REALM_RTT_PAGE_LEVEL, 0, 0);
			if (ok(e) && e.x1 < REALM_RTT_PAGE_LEVEL) {
				ipa = (ipa & ~(block - 1)) + block; /* no page table here: nothing mapped */
				continue;
			}
			if (ok(e) && e.x2 == RMI_ASSIGNED)
				(void)rmi_call(RMI_RTT_UNMAP_UNPROTECTED, p->realm.rd, ipa,
					       REALM_RTT_PAGE_LEVEL, 0, 0);
			ipa += REALM_GRANULE;
		}
	}
}

/* Every RTT below the start level, deepest first (REALM_DESTROY takes the start level's). */
static void destroy_rtts(struct partition *p)
{
	struct range rg[MAX_RANGES];
	unsigned int n = realm_ranges(p, rg, 0);

	for (int level = REALM_RTT_PAGE_LEVEL; level > p->realm.geo.start_level; level--) {
		uint64_t span = RTT_ENTRY_SIZE(level - 1);
		for (unsigned int i = 0; i < n; i++)
			for (uint64_t ipa = rg[i].base & ~(span - 1); ipa < rg[i].top; ipa += span)
				(void)rmi_call(RMI_RTT_DESTROY, p->realm.rd, ipa, (uint64_t)level, 0, 0);
	}
}

/*
 * A RAM granule back to NS: scrubbed by the RMM if it was delegated; zeroed
 * here if the realm had shared it (it is NS already). One still Realm (a
 * destroy failed) would fault here: the probe finds out first and leaves it.
 * Returns 1 if the granule is NS and zero now.
 */
static uint64_t ram_back(uint64_t pa, uint64_t *stuck)
{
	struct fault_record f;

	if (ok(rmi_call(RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0)))
		return 1;
	(void)probe_read64(pa, &f);
	if (f.taken) {
		(*stuck)++;
		return 0;
	}
	zero_blocks((uintptr_t)pa, REALM_GRANULE);
	return 1;
}

uint64_t realm_teardown(struct partition *p)
{
	struct realm *r = &p->realm;
	uint64_t returned = 0, stuck = 0;

	/* A build that failed half way has created less: every step below tolerates what is missing. */
	if (r->rd) {
		for (unsigned int i = 0; i < p->nr_vcpus; i++)
			if (r->rec[i])
				(void)rmi_call(RMI_REC_DESTROY, r->rec[i], 0, 0, 0, 0);
		for (unsigned int i = 0; i < p->nr_mem; i++) {
			for (uint64_t ipa = p->mem[i].ipa; ipa < p->mem[i].ipa + p->mem[i].size;) {
				struct rmi_ret ret = rmi_call(RMI_DATA_DESTROY, r->rd, ipa, 0, 0, 0);
				/* top: the next IPA that may hold data, where the RMM says so. */
				ipa = ret.x2 > ipa ? ret.x2 : ipa + REALM_GRANULE;
			}
		}
		unmap_unprotected(p);
		destroy_rtts(p);
		(void)rmi_call(RMI_REALM_DESTROY, r->rd, 0, 0, 0, 0);
	}
	for (unsigned int i = 0; i < p->nr_mem; i++)
		for (uint64_t off = 0; off < p->mem[i].size; off += REALM_GRANULE)
			returned += ram_back(p->mem[i].pa + off, &stuck);
	for (uint64_t pa = r->params->metadata_pa; pa < r->meta_next; pa += REALM_GRANULE) {
		if (ok(rmi_call(RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0)))
			returned++;
		else
			stuck++;
	}
	/* The host pages carried what the realm told its host (exit registers): zero them too. */
	zero_blocks((uintptr_t)host_page(p, 0), REALM_HOST_PAGES(p->nr_vcpus) * REALM_GRANULE);
	dsb_sy();
	if (stuck)
		HLOG("partition %s: realm teardown left %lu granules in the Realm world\n", p->name, stuck);
	__atomic_store_n(&r->rd, 0, __ATOMIC_RELEASE);
	r->built = 0;
	memset(r->rec, 0, sizeof(r->rec));
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		p->vcpus[i].rec = 0;
	return returned;
}

void realm_scrub_check(struct partition *p)
{
#ifdef CONFIG_HYP_REALM_SCRUB_CHECK
	uint64_t granules = 0, nonzero = 0;
	const struct realm *r = &p->realm;
	struct range rg[PART_MAX_MEM + 1];
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->nr_mem; i++)
		rg[n++] = (struct range){ p->mem[i].pa, p->mem[i].pa + p->mem[i].size };
	rg[n++] = (struct range){ r->params->metadata_pa, r->params->metadata_pa + r->params->metadata_size };
	for (unsigned int i = 0; i < n; i++) {
		for (uint64_t pa = rg[i].base; pa < rg[i].top; pa += REALM_GRANULE, granules++) {
			const volatile uint64_t *w = (const volatile uint64_t *)pa;
			for (unsigned int k = 0; k < REALM_GRANULE / sizeof(uint64_t); k++) {
				if (w[k]) {
					nonzero++;
					break;
				}
			}
		}
	}
	HLOG("partition %s: scrub check: %lu granules of RAM and metadata read from NS, %lu not zero\n",
	     p->name, granules, nonzero);
#else
	(void)p;
#endif
}
