/*
 * Stage-2 table pages a set of mappings takes (lib/include/lib/s2_tables.h):
 * the sets of 1 GiB and 2 MiB input slots that need a table, each collected
 * as intervals and counted as their union (sorted, then merged).
 */
#include <lib/s2_tables.h>

#define L2_SHIFT 30U /* a level-2 table covers 1 GiB */
#define L3_SHIFT 21U /* a level-3 table covers 2 MiB (one level-2 block) */
#define BLOCK_MASK ((1ULL << L3_SHIFT) - 1)
#define ROOT_PAGES 1U
/* Level-3 intervals per map: the unaligned head and tail, or the whole map. */
#define L3_PER_MAP 2U

struct slots {
	uint64_t first;
	uint64_t last;
};

/* Slots of v..v+size-1 at shift. */
static struct slots slots_of(uint64_t v, uint64_t size, unsigned int shift)
{
	return (struct slots){ v >> shift, (v + size - 1) >> shift };
}

/* The number of slots in the union of iv[0..n-1]; sorts iv (insertion sort: n is small). */
static uint64_t union_count(struct slots *iv, unsigned int n)
{
	uint64_t count = 0, end = 0;
	int open = 0;

	for (unsigned int i = 1; i < n; i++) {
		struct slots key = iv[i];
		unsigned int j = i;
		for (; j > 0 && iv[j - 1].first > key.first; j--)
			iv[j] = iv[j - 1];
		iv[j] = key;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t first = iv[i].first;
		if (open && first <= end)
			first = end + 1; /* the part already counted */
		if (first <= iv[i].last)
			count += iv[i].last - first + 1;
		if (!open || iv[i].last > end)
			end = iv[i].last;
		open = 1;
	}
	return count;
}

unsigned int s2_tables_needed(const struct s2_map *maps, unsigned int n)
{
	struct slots l2[S2_TABLES_MAX_MAPS], l3[S2_TABLES_MAX_MAPS * L3_PER_MAP];
	unsigned int n2 = 0, n3 = 0;

	if (n > S2_TABLES_MAX_MAPS)
		return 0;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t ipa = maps[i].ipa, size = maps[i].size, end = ipa + size;

		if (!size)
			continue;
		l2[n2++] = slots_of(ipa, size, L2_SHIFT);
		if ((ipa ^ maps[i].pa) & BLOCK_MASK) {
			/* IPA and PA never 2 MiB aligned together: pages throughout. */
			l3[n3++] = slots_of(ipa, size, L3_SHIFT);
			continue;
		}
		/* Pages up to the first 2 MiB boundary and after the last one; blocks between. */
		if (ipa & BLOCK_MASK)
			l3[n3++] = slots_of(ipa, 1, L3_SHIFT);
		if (end & BLOCK_MASK)
			l3[n3++] = slots_of(end - 1, 1, L3_SHIFT);
	}
	return ROOT_PAGES + (unsigned int)union_count(l2, n2) + (unsigned int)union_count(l3, n3);
}
