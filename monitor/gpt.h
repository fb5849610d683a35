/*
 * Granule Protection Table encoding and building (FEAT_RME), 4 KiB
 * granules, one level-0 entry per 1 GiB (GPCCR_EL3.L0GPTSZ = 30) and a
 * 1 TiB protected space (PPS = 40 bits). Pure table logic: no system
 * registers, so the host unit tests build it as is.
 */
#ifndef MONITOR_GPT_H
#define MONITOR_GPT_H
#include <stdint.h>

#define GPI_NO_ACCESS 0x0U
#define GPI_SECURE 0x8U
#define GPI_NS 0x9U
#define GPI_ROOT 0xaU
#define GPI_REALM 0xbU
#define GPI_ANY 0xfU

#define GPT_PGS_SHIFT 12 /* 4 KiB granules */
#define GPT_GRANULE_SIZE (1UL << GPT_PGS_SHIFT)
#define GPT_L0GPTSZ_SHIFT 30
#define GPT_L0_REGION_SIZE (1UL << GPT_L0GPTSZ_SHIFT)
#define GPT_PPS_BITS 40
#define GPT_L0_ENTRIES (1UL << (GPT_PPS_BITS - GPT_L0GPTSZ_SHIFT))
#define GPT_GPIS_PER_L1 16U
#define GPT_L1_ENTRY_SPAN (GPT_GRANULE_SIZE * GPT_GPIS_PER_L1)	/* 64 KiB */
#define GPT_L1_ENTRIES (GPT_L0_REGION_SIZE / GPT_L1_ENTRY_SPAN) /* 16384 */
#define GPT_L1_TABLE_SIZE (GPT_L1_ENTRIES * 8UL)		/* 128 KiB */
#define GPT_MAX_L1 8U

/* Descriptor encodings */
#define GPT_L0_TYPE_BLOCK 0x1UL
#define GPT_L0_TYPE_TABLE 0x3UL
#define GPT_L0_TYPE_MASK 0xfUL
#define GPT_L0_BLOCK_GPI_SHIFT 4
#define GPT_L0_TABLE_ADDR_MASK 0x000ffffffffff000UL

/* GPCCR_EL3 fields */
#define GPCCR_PPS_1TB 2UL
#define GPCCR_IRGN_WBRAWA (1UL << 8)
#define GPCCR_ORGN_WBRAWA (1UL << 10)
#define GPCCR_SH_IS (3UL << 12)
#define GPCCR_PGS_4K (0UL << 14)
#define GPCCR_GPC (1UL << 16)
#define GPCCR_L0GPTSZ(v) (((v) >> 20) & 0xfUL)

enum gpt_err {
	GPT_OK = 0,
	GPT_ERR_ALIGN = -1,  /* address or size not granule aligned */
	GPT_ERR_RANGE = -2,  /* not covered by a level-1 table or beyond PPS */
	GPT_ERR_GPI = -3,    /* not a GPI value this implementation accepts */
	GPT_ERR_PAS = -4,    /* granule is not in the PAS the transition needs */
	GPT_ERR_LAYOUT = -5, /* bad table set-up */
};

struct gpt {
	uint64_t *l0;	/* GPT_L0_ENTRIES */
	uint64_t *l1;	/* n_l1 tables of GPT_L1_ENTRIES, contiguous */
	uint64_t l1_pa; /* physical address of l1 (for descriptors) */
	unsigned int n_l1;
	uint32_t l1_region[GPT_MAX_L1]; /* 1 GiB region index each table covers */
};

/*
 * Every level-0 entry becomes a block of GPI_ANY, except the listed 1 GiB
 * regions, which get level-1 tables of GPI_ANY granules.
 */
int gpt_init(struct gpt *g, uint64_t *l0, uint64_t *l1, uint64_t l1_pa, const uint32_t *regions,
	     unsigned int n_regions);
int gpt_set_range(struct gpt *g, uint64_t base, uint64_t size, unsigned int gpi);
int gpt_get(const struct gpt *g, uint64_t pa, unsigned int *gpi);
/* Granule-level read-modify-write; the caller does the TLB and cache work. */
int gpt_set_granule(struct gpt *g, uint64_t pa, unsigned int gpi);
/* Where one granule's GPI lives: a level-1 entry and the nibble's shift. */
struct gpt_slot {
	uint64_t *entry;
	unsigned int shift;
};

/*
 * Validate a delegation-style transition: pa must be a granule-aligned
 * address covered by a level-1 table and currently hold `from`. On
 * success, *slot (if not NULL) locates the GPI for gpt_slot_set().
 */
int gpt_check_transition(const struct gpt *g, uint64_t pa, unsigned int from, struct gpt_slot *slot);

static inline void gpt_slot_set(const struct gpt_slot *s, unsigned int gpi)
{
	*s->entry = (*s->entry & ~(0xfUL << s->shift)) | ((uint64_t)gpi << s->shift);
}
uint64_t gpt_gpccr_value(void);

/*
 * The first granule in [pa, end) whose GPI is not NS, into *found: 1, or 0
 * if there is none. Granules without a level-1 table are skipped.
 */
int gpt_next_not_ns(const struct gpt *g, uint64_t pa, uint64_t end, uint64_t *found);

/*
 * What a cold boot leaves for the next one: where its tables are and which
 * 1 GiB regions they cover, so that the next cold boot can find every
 * granule that was not NS before a reset (RAM survives it) and zero it
 * before making DRAM NS again. Written only by EL3 in Root memory.
 */
#define GPT_RECORD_MAGIC 0x4454504774726152UL /* "RartGPTD" */
#define GPT_RECORD_VERSION 1U
struct gpt_record {
	uint64_t magic;
	uint64_t version;
	uint64_t l0_pa, l1_pa;
	uint64_t n_l1;
	uint64_t l1_region[GPT_MAX_L1];
	uint64_t check; /* over every field above */
};

enum gpt_record_state {
	GPT_RECORD_NONE,    /* no magic: no earlier boot since power-on left tables here */
	GPT_RECORD_VALID,   /* *old describes the previous boot's tables, readable in place */
	GPT_RECORD_FOREIGN, /* the magic, but a bad check or tables this build cannot read */
};

/* Describe g (built with gpt_init) in *r. */
void gpt_record_seal(struct gpt_record *r, const struct gpt *g);
/*
 * Open the record of the previous boot. Its tables are readable only where
 * this build keeps its own: l0 and l1 (room for max_l1 tables, at l1_pa).
 */
enum gpt_record_state gpt_record_open(const struct gpt_record *r, struct gpt *old, uint64_t *l0, uint64_t *l1,
				      uint64_t l1_pa, unsigned int max_l1);
#endif
