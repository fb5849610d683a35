#include <stddef.h>
#include <lib/string.h>
#include "gpt.h"

static int gpi_valid(unsigned int gpi)
{
	return gpi == GPI_NO_ACCESS || gpi == GPI_SECURE || gpi == GPI_NS || gpi == GPI_ROOT ||
	       gpi == GPI_REALM || gpi == GPI_ANY;
}

static uint64_t gpi_fill(unsigned int gpi)
{
	return (uint64_t)gpi * 0x1111111111111111UL;
}

/* n level-1 entries that all say gpi: every byte of them is gpi twice (memset's wide stores). */
static void fill_entries(uint64_t *e, uint64_t n, unsigned int gpi)
{
	memset(e, (int)(gpi * 0x11U), n * sizeof(*e));
}

/* The level-1 entry that holds pa's GPI, or NULL if pa has no L1 table. */
static uint64_t *l1_entry(const struct gpt *g, uint64_t pa)
{
	uint64_t region = pa >> GPT_L0GPTSZ_SHIFT;

	for (unsigned int i = 0; i < g->n_l1; i++) {
		if (g->l1_region[i] == region) {
			uint64_t idx = (pa & (GPT_L0_REGION_SIZE - 1)) / GPT_L1_ENTRY_SPAN;
			return &g->l1[i * GPT_L1_ENTRIES + idx];
		}
	}
	return 0;
}

static unsigned int gpi_shift(uint64_t pa)
{
	return (unsigned int)((pa >> GPT_PGS_SHIFT) & (GPT_GPIS_PER_L1 - 1)) * 4;
}

int gpt_init(struct gpt *g, uint64_t *l0, uint64_t *l1, uint64_t l1_pa, const uint32_t *regions,
	     unsigned int n_regions)
{
	if (n_regions > GPT_MAX_L1 || (l1_pa & (GPT_L1_TABLE_SIZE - 1)))
		return GPT_ERR_LAYOUT;
	/* Validate everything before writing anything. */
	for (unsigned int i = 0; i < n_regions; i++) {
		if (regions[i] >= GPT_L0_ENTRIES)
			return GPT_ERR_RANGE;
		for (unsigned int j = 0; j < i; j++) {
			if (regions[j] == regions[i])
				return GPT_ERR_LAYOUT;
		}
	}
	g->l0 = l0;
	g->l1 = l1;
	g->l1_pa = l1_pa;
	g->n_l1 = n_regions;
	for (uint64_t i = 0; i < GPT_L0_ENTRIES; i++)
		l0[i] = GPT_L0_TYPE_BLOCK | ((uint64_t)GPI_ANY << GPT_L0_BLOCK_GPI_SHIFT);
	for (unsigned int i = 0; i < n_regions; i++) {
		g->l1_region[i] = regions[i];
		fill_entries(&l1[(uint64_t)i * GPT_L1_ENTRIES], GPT_L1_ENTRIES, GPI_ANY);
		l0[regions[i]] = ((l1_pa + (uint64_t)i * GPT_L1_TABLE_SIZE) & GPT_L0_TABLE_ADDR_MASK) |
				 GPT_L0_TYPE_TABLE;
	}
	return GPT_OK;
}

int gpt_set_range(struct gpt *g, uint64_t base, uint64_t size, unsigned int gpi)
{
	if (!gpi_valid(gpi))
		return GPT_ERR_GPI;
	if ((base | size) & (GPT_GRANULE_SIZE - 1) || size == 0)
		return GPT_ERR_ALIGN;
	if (base + size < base)
		return GPT_ERR_RANGE;
	/* Check coverage first so a failed call changes nothing. */
	for (uint64_t pa = base; pa < base + size; pa = (pa | (GPT_L0_REGION_SIZE - 1)) + 1) {
		if (!l1_entry(g, pa))
			return GPT_ERR_RANGE;
	}
	uint64_t pa = base, end = base + size;
	while (pa < end) {
		uint64_t *e = l1_entry(g, pa);
		if ((pa & (GPT_L1_ENTRY_SPAN - 1)) == 0 && end - pa >= GPT_L1_ENTRY_SPAN) {
			/* Whole entries to the range's last one or the end of this L1 table, in one go. */
			uint64_t region_end = (pa | (GPT_L0_REGION_SIZE - 1)) + 1;
			uint64_t stop = (end & ~(GPT_L1_ENTRY_SPAN - 1)) < region_end
						? end & ~(GPT_L1_ENTRY_SPAN - 1)
						: region_end;
			fill_entries(e, (stop - pa) / GPT_L1_ENTRY_SPAN, gpi);
			pa = stop;
		} else {
			unsigned int sh = gpi_shift(pa);
			*e = (*e & ~(0xfUL << sh)) | ((uint64_t)gpi << sh);
			pa += GPT_GRANULE_SIZE;
		}
	}
	return GPT_OK;
}

int gpt_get(const struct gpt *g, uint64_t pa, unsigned int *gpi)
{
	if (pa >> GPT_PPS_BITS)
		return GPT_ERR_RANGE;
	uint64_t l0 = g->l0[pa >> GPT_L0GPTSZ_SHIFT];
	if ((l0 & GPT_L0_TYPE_MASK) == GPT_L0_TYPE_BLOCK) {
		*gpi = (unsigned int)(l0 >> GPT_L0_BLOCK_GPI_SHIFT) & 0xfU;
		return GPT_OK;
	}
	const uint64_t *e = l1_entry(g, pa);
	if (!e)
		return GPT_ERR_LAYOUT;
	*gpi = (unsigned int)(*e >> gpi_shift(pa)) & 0xfU;
	return GPT_OK;
}

int gpt_set_granule(struct gpt *g, uint64_t pa, unsigned int gpi)
{
	if (!gpi_valid(gpi))
		return GPT_ERR_GPI;
	if (pa & (GPT_GRANULE_SIZE - 1))
		return GPT_ERR_ALIGN;
	uint64_t *e = l1_entry(g, pa);
	if (!e)
		return GPT_ERR_RANGE;
	unsigned int sh = gpi_shift(pa);
	*e = (*e & ~(0xfUL << sh)) | ((uint64_t)gpi << sh);
	return GPT_OK;
}

int gpt_check_transition(const struct gpt *g, uint64_t pa, unsigned int from, struct gpt_slot *slot)
{
	if (pa & (GPT_GRANULE_SIZE - 1))
		return GPT_ERR_ALIGN;
	uint64_t *e = l1_entry(g, pa);
	if (!e)
		return GPT_ERR_RANGE;
	unsigned int sh = gpi_shift(pa);
	if (((*e >> sh) & 0xfU) != from)
		return GPT_ERR_PAS;
	if (slot) {
		slot->entry = e;
		slot->shift = sh;
	}
	return GPT_OK;
}

uint64_t gpt_gpccr_value(void)
{
	return GPCCR_PPS_1TB | GPCCR_IRGN_WBRAWA | GPCCR_ORGN_WBRAWA | GPCCR_SH_IS | GPCCR_PGS_4K;
}

int gpt_next_not_ns(const struct gpt *g, uint64_t pa, uint64_t end, uint64_t *found)
{
	const uint64_t ns_fill = gpi_fill(GPI_NS);

	pa &= ~(GPT_GRANULE_SIZE - 1);
	while (pa < end) {
		const uint64_t *e = l1_entry(g, pa);
		uint64_t region_end = (pa | (GPT_L0_REGION_SIZE - 1)) + 1;
		if (!e) { /* no table for this GiB: nothing was ever delegated in it */
			pa = region_end;
			continue;
		}
		/* Through this GiB's table directly: 16 NS granules per word, the common case. */
		uint64_t stop = end < region_end ? end : region_end;
		for (; pa < stop; e++) {
			if (*e == ns_fill) {
				pa = (pa | (GPT_L1_ENTRY_SPAN - 1)) + 1;
				continue;
			}
			for (uint64_t span_end = (pa | (GPT_L1_ENTRY_SPAN - 1)) + 1;
			     pa < span_end && pa < stop; pa += GPT_GRANULE_SIZE) {
				if (((*e >> gpi_shift(pa)) & 0xfU) != GPI_NS) {
					*found = pa;
					return 1;
				}
			}
		}
	}
	return 0;
}

/* FNV-1a over the record's words before the check. */
static uint64_t record_check(const struct gpt_record *r)
{
	const uint64_t *w = (const uint64_t *)r;
	uint64_t h = 0xcbf29ce484222325UL;

	for (size_t i = 0; i < offsetof(struct gpt_record, check) / sizeof(uint64_t); i++) {
		h ^= w[i];
		h *= 0x100000001b3UL;
	}
	return h;
}

void gpt_record_seal(struct gpt_record *r, const struct gpt *g)
{
	r->magic = GPT_RECORD_MAGIC;
	r->version = GPT_RECORD_VERSION;
	r->l0_pa = (uint64_t)(uintptr_t)g->l0;
	r->l1_pa = g->l1_pa;
	r->n_l1 = g->n_l1;
	for (unsigned int i = 0; i < GPT_MAX_L1; i++)
		r->l1_region[i] = i < g->n_l1 ? g->l1_region[i] : 0;
	r->check = record_check(r);
}

enum gpt_record_state gpt_record_open(const struct gpt_record *r, struct gpt *old, uint64_t *l0, uint64_t *l1,
				      uint64_t l1_pa, unsigned int max_l1)
{
	if (r->magic != GPT_RECORD_MAGIC)
		return GPT_RECORD_NONE;
	if (r->version != GPT_RECORD_VERSION || r->check != record_check(r) ||
	    r->l0_pa != (uint64_t)(uintptr_t)l0 || r->l1_pa != l1_pa || r->n_l1 > max_l1 ||
	    max_l1 > GPT_MAX_L1)
		return GPT_RECORD_FOREIGN;
	for (unsigned int i = 0; i < r->n_l1; i++) {
		if (r->l1_region[i] >= GPT_L0_ENTRIES)
			return GPT_RECORD_FOREIGN;
		for (unsigned int j = 0; j < i; j++) {
			if (r->l1_region[j] == r->l1_region[i])
				return GPT_RECORD_FOREIGN;
		}
	}
	old->l0 = l0;
	old->l1 = l1;
	old->l1_pa = l1_pa;
	old->n_l1 = (unsigned int)r->n_l1;
	for (unsigned int i = 0; i < GPT_MAX_L1; i++)
		old->l1_region[i] = i < r->n_l1 ? (uint32_t)r->l1_region[i] : 0;
	return GPT_RECORD_VALID;
}
