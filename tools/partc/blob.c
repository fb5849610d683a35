/*
 * The first check of partc's input: is it a DTB partc can read safely?
 * fdt_check_full() alone is not enough with the libfdt Debian ships
 * (1.6.1), as tests/fuzz/fuzz_partc.c found:
 *  - on a blob whose header claims a format version between 2 and 15
 *    (older DTB formats, which libfdt still accepts) over a version-17 body
 *    it dereferences NULL. dtc writes version 17 and partc reads nothing
 *    else, so older versions are refused;
 *  - a property whose length wraps the structure offset (0xfffffff4 steps
 *    back onto its own tag) makes fdt_next_tag() loop for ever. So the
 *    structure block is walked here first, every tag strictly after the
 *    last and inside the block, before libfdt walks it.
 */
#include <libfdt.h>
#include <string.h>
#include "partc.h"

/* The format dtc writes (and libfdt's fdt_ro.c expects of node names and the strings block). */
#define PC_DTB_VERSION 17U

/* The property header after FDT_PROP: value length, name offset. Tags are 4-byte aligned. */
#define PROP_HEADER_SIZE 8U
#define TAG_ALIGN(x) (((x) + FDT_TAGSIZE - 1U) & ~(FDT_TAGSIZE - 1U))

/* The structure block's tags, in order, each inside the block: 0, or a libfdt error. */
static int walk_tags(const void *fdt)
{
	const uint8_t *blk = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), off = 0;

	while (size - off >= FDT_TAGSIZE) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(const void *)(blk + off));
		const uint8_t *nul;

		off += FDT_TAGSIZE;
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(blk + off, '\0', size - off);
			if (!nul)
				return -FDT_ERR_TRUNCATED;
			off = TAG_ALIGN((uint32_t)(nul - blk) + 1U);
			break;
		case FDT_PROP: {
			if (size - off < PROP_HEADER_SIZE)
				return -FDT_ERR_TRUNCATED;
			uint32_t len = fdt32_ld((const fdt32_t *)(const void *)(blk + off));
			if (len > size - off - PROP_HEADER_SIZE)
				return -FDT_ERR_BADSTRUCTURE;
			off = TAG_ALIGN(off + PROP_HEADER_SIZE + len);
			break;
		}
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		if (off > size)
			return -FDT_ERR_TRUNCATED;
	}
	return -FDT_ERR_TRUNCATED;
}

int pc_check_blob(const void *fdt, size_t size)
{
	int rc;

	if (size < FDT_V17_SIZE)
		return -FDT_ERR_TRUNCATED;
	if ((rc = fdt_check_header(fdt)) != 0)
		return rc;
	if (fdt_version(fdt) < PC_DTB_VERSION)
		return -FDT_ERR_BADVERSION;
	/* fdt_check_header() keeps the blocks inside totalsize; totalsize must be inside the buffer. */
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	if ((rc = walk_tags(fdt)) != 0)
		return rc;
	return fdt_check_full(fdt, size);
}
