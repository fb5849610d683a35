/*
 * The build plan of a realm partition: the one description of the RMI
 * sequence that creates a realm from its partition-table entry. The
 * hypervisor (core/realm_build.c) performs it through RMI; the partition
 * compiler (tools/partc) replays it through lib/measure to predict the Realm
 * Initial Measurement (lib/realm_rim.c). Both walk the same steps from the
 * same iterator, so the prediction cannot drift from what is done.
 *
 * The sequence follows the Realm-VM conventions a verifier can recompute
 * (reference cca-interfaces.md §3.4, Veraison's realm-vm.md):
 *   1. REALM_CREATE with the partition's parameters; the stage-2 start level
 *      is the lowest the IPA width allows with concatenated start tables;
 *   2. RTT_INIT_RIPAS over every RAM region in ascending IPA order, before
 *      any RTT below the start level exists in RAM, so that the RMM measures
 *      the largest block entries the geometry allows;
 *   3. measured DATA_CREATE of every page of every image (kernel, initrd,
 *      DTB) in ascending IPA order; the last page of an image is zero-padded;
 *   4. REC_CREATE of every vCPU in index order, MPIDR Aff0 = index, only
 *      REC 0 runnable: pc = entry, x0 = DTB IPA, x1..x7 = 0;
 *   5. unmeasured DATA_CREATE_UNKNOWN of every other RAM page (does not
 *      change the RIM);
 *   6. REALM_ACTIVATE.
 */
#ifndef LIB_REALM_PLAN_H
#define LIB_REALM_PLAN_H
#include <stdint.h>
#include <rampart/partition.h>
#include <rampart/rmi.h>

#define REALM_GRANULE 4096ULL
#define REALM_RTT_PAGE_LEVEL 3

enum realm_step_kind {
	REALM_STEP_CREATE,     /* REALM_CREATE (realm_plan_realm_params) */
	REALM_STEP_INIT_RIPAS, /* RTT_INIT_RIPAS over [base, top): one RAM region */
	REALM_STEP_DATA,       /* measured DATA_CREATE of the page at ipa */
	REALM_STEP_REC,	       /* REC_CREATE of vCPU rec (realm_plan_rec_params) */
	REALM_STEP_POPULATE,   /* DATA_CREATE_UNKNOWN of the pages of [base, top) not created yet */
	REALM_STEP_ACTIVATE,   /* REALM_ACTIVATE */
};

struct realm_step {
	enum realm_step_kind kind;
	uint64_t base, top;		   /* INIT_RIPAS, POPULATE */
	uint64_t ipa;			   /* DATA */
	const struct rampart_image *image; /* DATA: the image the page holds */
	uint64_t offset;		   /* DATA: of the page's first byte in the image */
	uint64_t len;			   /* DATA: image bytes in the page (the rest is zero) */
	unsigned int rec;		   /* REC */
};

struct realm_plan {
	const struct rampart_partition *p;
	unsigned int phase; /* the next step kind */
	unsigned int index; /* region, image or REC within the phase */
	uint64_t offset;    /* DATA: within the current image */
	const struct rampart_image *images[3];
	unsigned int nr_images;
	unsigned int regions[RAMPART_MAX_MEM_REGIONS]; /* RAM regions by ascending IPA */
};

/* The realm's stage-2 geometry. */
struct realm_geometry {
	int start_level;
	unsigned int num_root; /* concatenated start-level RTTs */
	uint64_t unprotected;  /* 2^(ipa_bits - 1): the first unprotected IPA, the alias bit */
};

/* 0, or -1 if the IPA width is outside what RMM 1.0 allows with 4 KiB granules (32..48). */
int realm_plan_geometry(const struct rampart_partition *p, struct realm_geometry *g);

/*
 * RmiRealmParams of the partition: the measured fields, the RPV and the RTT
 * geometry. The caller adds vmid and rtt_base. params is zeroed first.
 */
void realm_plan_realm_params(const struct rampart_partition *p, const struct realm_geometry *g,
			     struct rmi_realm_params *params);

/* RmiRecParams of vCPU rec, without the auxiliary granules. params is zeroed first. */
void realm_plan_rec_params(const struct rampart_partition *p, unsigned int rec,
			   struct rmi_rec_params *params);

/* Walk the sequence: realm_plan_next() fills *s and returns 1, then 0 after ACTIVATE. */
void realm_plan_init(struct realm_plan *it, const struct rampart_partition *p);
int realm_plan_next(struct realm_plan *it, struct realm_step *s);

/*
 * The NS pages at the end of a realm's metadata range that the host hands
 * the RMM and never delegates: one RecRun page per vCPU, then the
 * RmiRealmParams/RmiRecParams page and a bounce page for the build. (The
 * RMM tracks only delegable NS DRAM, so they cannot live in the hypervisor.)
 */
#define REALM_HOST_PAGES(nr_vcpus) ((uint64_t)(nr_vcpus) + 2U)

/*
 * Granules the realm's metadata range must hold in the worst case: the RD,
 * the start-level RTTs, every RTT below them over the RAM regions and over
 * their unprotected aliases (the realm may share all of its RAM), every RTT
 * over the unprotected aliases of the shared-memory regions it is a peer of,
 * each REC with RMI_REC_MAX_AUX auxiliary granules, and the host pages
 * (REALM_HOST_PAGES). shm may be NULL.
 */
uint64_t realm_plan_metadata_granules(const struct rampart_partition *p, const struct realm_geometry *g,
				      const struct rampart_shm *shm, unsigned int nr_shm);
#endif
