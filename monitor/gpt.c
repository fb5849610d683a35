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
		uint64_t *t = &l1[(uint64_t)i * GPT_L1_ENTRIES];
		for (uint64_t k = 0; k < GPT_L1_ENTRIES; k++)
			t[k] = gpi_fill(GPI_ANY);
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
			*e = gpi_fill(gpi);
			pa += GPT_L1_ENTRY_SPAN;
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
