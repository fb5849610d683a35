/*
 * The first check of partc's input: is it a DTB partc can read safely?
 * fdt_check_full() alone is not enough with the libfdt Debian ships
 * (1.6.1): on a blob whose header claims a format version between 2 and 15
 * (older DTB formats, which libfdt still accepts) over a version-17 body it
 * dereferences NULL (found by tests/fuzz/fuzz_partc.c). dtc writes version
 * 17 and partc reads nothing else, so older versions are refused before
 * libfdt walks the structure.
 */
#include <libfdt.h>
#include "partc.h"

/* The format dtc writes (and libfdt's fdt_ro.c expects of node names and the strings block). */
#define PC_DTB_VERSION 17U

int pc_check_blob(const void *fdt, size_t size)
{
	int rc;

	if (size < FDT_V17_SIZE)
		return -FDT_ERR_TRUNCATED;
	if ((rc = fdt_check_header(fdt)) != 0)
		return rc;
	if (fdt_version(fdt) < PC_DTB_VERSION)
		return -FDT_ERR_BADVERSION;
	return fdt_check_full(fdt, size);
}
