/*
 * partc validation of realm partitions ("rampart,realm"): the realm
 * parameters against what the platform's RMM offers (RMI_FEATURES, given as
 * --realm-limits), the protected IPA half, what a realm may not have, and
 * the realm metadata range (RD, RTTs, RECs) every realm is given a piece of.
 * Pure functions over the model, like validate.c.
 */
#include <stdio.h>
#include <string.h>
#include <lib/realm_plan.h>
#include "partc.h"

/* RMM 1.0 with 4 KiB granules and no LPA2: the stage-2 input size a realm may ask for. */
#define REALM_IPA_BITS_MIN 32U
#define REALM_IPA_BITS_DEFAULT 40U
/* RmiRealmParams breakpoints/watchpoints when the tree says nothing (the §3.7 examples use 2). */
#define REALM_DEBUG_DEFAULT 2U

int pc_hash_algo(const char *s)
{
	if (!strcmp(s, "sha256"))
		return RMI_HASH_SHA_256;
	if (!strcmp(s, "sha512"))
		return RMI_HASH_SHA_512;
	return -1;
}

static bool any_realm(const struct pc_model *m)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++)
		if (m->partitions[i].kind == RAMPART_KIND_REALM)
			return true;
	return false;
}

/* Debug resources: 1 up to what RMI_FEATURES offers. */
static void check_debug(struct pc_diag *d, const struct pc_realm *r, const char *prop, bool given,
			uint32_t *v, uint32_t max)
{
	if (!given)
		*v = REALM_DEBUG_DEFAULT <= max ? REALM_DEBUG_DEFAULT : max;
	else if (*v < 1 || *v > max)
		pc_error(d, r->path, prop, "<%u> is outside 1..%u (what this platform's RMM offers)", *v,
			 max);
}

/* Everything the realm reaches must lie in its protected IPA half [0, 2^(ipa_bits - 1)). */
static void check_protected_half(const struct pc_model *m, unsigned int i, struct pc_diag *d)
{
	const struct pc_partition *pt = &m->partitions[i];
	uint64_t top = 1ULL << (pt->realm.ipa_bits - 1);
	const struct {
		const char *what;
		uint64_t base, size;
	} vdev[3] = {
		{ "the virtual GIC distributor", RAMPART_GUEST_GICD_IPA, RAMPART_GUEST_GICD_SIZE },
		{ "the virtual GIC redistributors", RAMPART_GUEST_GICR_IPA,
		  RAMPART_GUEST_GICR_STRIDE * (pt->nr_cpus ? pt->nr_cpus : 1) },
		{ "the virtual UART", RAMPART_GUEST_VUART_IPA, RAMPART_GUEST_VUART_SIZE },
	};

	for (unsigned int k = 0; k < pt->nr_mem; k++) {
		const struct pc_mem *r = &pt->mem[k];
		if (!pt->mem_rejected[k] && r->size && (r->ipa >= top || r->size > top - r->ipa))
			pc_error(d, pt->path, "memory",
				 "region %u IPA %s is above the realm's protected half %s (ipa-bits = <%u>)",
				 k, pc_rng(r->ipa, r->size).s, pc_rng(0, top).s, pt->realm.ipa_bits);
	}
	for (unsigned int k = 0; k < 3; k++) {
		if (k == 2 && pt->console_kind != RAMPART_CONSOLE_VUART)
			continue;
		if (vdev[k].base + vdev[k].size > top)
			pc_error(d, pt->realm.path, "ipa-bits",
				 "<%u> leaves %s %s above the protected half %s", pt->realm.ipa_bits,
				 vdev[k].what, pc_rng(vdev[k].base, vdev[k].size).s, pc_rng(0, top).s);
	}
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		if ((sh->peer_index[0] != i && sh->peer_index[1] != i) || !sh->has_memory || sh->mem_rejected)
			continue;
		if (sh->mem.ipa >= top || sh->mem.size > top - sh->mem.ipa)
			pc_error(d, sh->path, "memory",
				 "IPA %s is above %s's protected half %s: a realm reaches shared memory at "
				 "IPA + 0x%llx (the unprotected alias)",
				 pc_rng(sh->mem.ipa, sh->mem.size).s, pt->label, pc_rng(0, top).s,
				 (unsigned long long)top);
	}
}

static void check_realm(struct pc_model *m, unsigned int i, const struct pc_platform *p, struct pc_diag *d)
{
	struct pc_partition *pt = &m->partitions[i];
	struct pc_realm *r = &pt->realm;
	int v;

	if (!r->has_node) {
		/* Messages about defaults name the node the properties would go in. */
		static const char node[] = "/realm";
		size_t n = strnlen(pt->path, sizeof(r->path) - sizeof(node));
		memcpy(r->path, pt->path, n);
		memcpy(r->path + n, node, sizeof(node));
	}
	r->hash_kind = RMI_HASH_SHA_256;
	if (r->hash_algo[0]) {
		v = pc_hash_algo(r->hash_algo);
		if (v < 0)
			pc_error(d, r->path, "hash-algo", "\"%s\" is not one of \"sha256\", \"sha512\"",
				 r->hash_algo);
		else
			r->hash_kind = (uint32_t)v;
	}
	if (!r->has_ipa_bits)
		r->ipa_bits = REALM_IPA_BITS_DEFAULT <= p->realm_ipa_bits_max ? REALM_IPA_BITS_DEFAULT
									      : p->realm_ipa_bits_max;
	if (r->ipa_bits < REALM_IPA_BITS_MIN || r->ipa_bits > p->realm_ipa_bits_max)
		pc_error(d, r->path, "ipa-bits",
			 "<%u> is outside %u..%u (what this platform's RMM offers, RMI_FEATURES S2SZ)",
			 r->ipa_bits, REALM_IPA_BITS_MIN, p->realm_ipa_bits_max);
	else
		check_protected_half(m, i, d);
	if (r->has_rpv && r->rpv_len > RAMPART_RPV_SIZE)
		pc_error(d, r->path, "personalization",
			 "%zu bytes, more than %u (the Realm Personalization Value)", r->rpv_len,
			 RAMPART_RPV_SIZE);
	check_debug(d, r, "breakpoints", r->has_bps, &r->num_bps, p->realm_bps_max);
	check_debug(d, r, "watchpoints", r->has_wps, &r->num_wps, p->realm_wps_max);
	if (pt->nr_devices)
		pc_error(d, pt->path, "devices",
			 "a realm cannot own passthrough devices (the host would control their DMA and "
			 "registers); give the device to a \"rampart,vm\" partition and share memory");
}

/* The realm-metadata range on its own and against every other user of DRAM. */
static bool metadata_range_ok(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	const char *prop = "realm-metadata";
	uint64_t pa = m->realm_metadata.base, size = m->realm_metadata.size;

	if (!pc_check_container_dram(m, p, d, prop,
				     "NS DRAM the hypervisor delegates for the realms' RDs, RTTs and RECs",
				     m->has_realm_metadata, pa, size))
		return false;
	if (m->has_staging && !m->staging_rejected &&
	    pc_overlap(pa, size, m->staging.base, m->staging.size)) {
		pc_error(d, m->container, prop, "PA %s overlaps image-staging %s", pc_rng(pa, size).s,
			 pc_rng(m->staging.base, m->staging.size).s);
		return false;
	}
	return true;
}

void pc_check_realms(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	if (!any_realm(m)) {
		if (m->has_realm_metadata)
			pc_error(d, m->container, "realm-metadata", "given, but there is no realm partition");
		return;
	}
	if (!p->realm_limits_set) {
		pc_error(d, m->container, NULL,
			 "realm partitions need the platform's realm limits (partc --realm-limits; the build "
			 "passes them from CONFIG_PLAT_REALM_*)");
		return;
	}
	for (unsigned int i = 0; i < m->nr_partitions; i++)
		if (m->partitions[i].kind == RAMPART_KIND_REALM)
			check_realm(m, i, p, d);
	metadata_range_ok(m, p, d);
}

/* The fields of the table entry realm_plan_metadata_granules() reads. */
static void plan_view(const struct pc_model *m, const struct pc_partition *pt, struct rampart_partition *e,
		      struct rampart_shm *shm)
{
	memset(e, 0, sizeof(*e));
	e->id = pt->id;
	e->kind = pt->kind;
	e->nr_vcpus = pt->nr_cpus;
	e->nr_mem = pt->nr_mem;
	for (unsigned int k = 0; k < pt->nr_mem; k++)
		e->mem[k] = (struct rampart_region){ .ipa = pt->mem[k].ipa,
						     .pa = pt->mem[k].pa,
						     .size = pt->mem[k].size };
	e->realm.ipa_bits = pt->realm.ipa_bits;
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		shm[s] = (struct rampart_shm){ .ipa = sh->mem.ipa, .pa = sh->mem.pa, .size = sh->mem.size };
		for (unsigned int k = 0; k < RAMPART_SHM_PEERS; k++)
			shm[s].peer[k] = sh->peer_index[k] == RAMPART_NO_PARTITION
						 ? RAMPART_NO_PARTITION
						 : m->partitions[sh->peer_index[k]].id;
	}
}

/* Each realm, by id, gets the next piece of realm-metadata: its worst case, whole granules. */
void pc_realm_layout(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	static struct rampart_partition e;
	struct rampart_shm shm[RAMPART_MAX_SHM];
	struct realm_geometry g;
	uint64_t used = 0;

	(void)p;
	for (unsigned int id = 0; id < m->nr_partitions; id++) {
		for (unsigned int i = 0; i < m->nr_partitions; i++) {
			struct pc_partition *pt = &m->partitions[i];
			if (pt->id != id || pt->kind != RAMPART_KIND_REALM)
				continue;
			plan_view(m, pt, &e, shm);
			if (realm_plan_geometry(&e, &g))
				continue; /* ipa-bits was reported */
			uint64_t need =
				realm_plan_metadata_granules(&e, &g, shm, m->nr_shm) * RAMPART_PAGE_SIZE;
			/* Concatenated start-level RTTs come first and must be aligned to their size. */
			uint64_t start = pc_align_up(m->realm_metadata.base + used,
						     (uint64_t)g.num_root * RAMPART_PAGE_SIZE);
			pt->realm.metadata_pa = start;
			pt->realm.metadata_size = need;
			used = start + need - m->realm_metadata.base;
			if (used > m->realm_metadata.size) {
				pc_error(
					d, m->container, "realm-metadata",
					"0x%llx bytes, too small: the realms up to %s need 0x%llx bytes (RD, "
					"RTTs for RAM and its unprotected alias, RECs, RecRun pages; "
					"docs/partitions.md)",
					(unsigned long long)m->realm_metadata.size, pt->name,
					(unsigned long long)used);
				return;
			}
		}
	}
}
