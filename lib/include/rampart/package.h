/*
 * The flash package: a table at CONFIG_PKG_OFFSET in the flash image that
 * names each image the monitor loads (the RMM, the hypervisor). Written by
 * tools/pack, validated by the monitor before anything is copied.
 */
#ifndef RAMPART_PACKAGE_H
#define RAMPART_PACKAGE_H
#include <stdint.h>

#define PKG_MAGIC 0x474b5052U /* "RPKG" */
#define PKG_VERSION 1U
#define PKG_MAX_ENTRIES 8U

enum pkg_image_id {
	PKG_ID_RMM = 1,
	PKG_ID_HYP = 2,
	PKG_ID_BLOB = 3, /* a guest image or DTB for the image staging area (NS DRAM) */
};

struct pkg_entry {
	uint32_t id;
	uint32_t reserved;
	uint64_t offset;    /* from the start of flash, 4 KiB aligned */
	uint64_t size;	    /* bytes */
	uint64_t load_addr; /* where the monitor copies it */
};

struct pkg_header {
	uint32_t magic;
	uint32_t version;
	uint32_t count;
	uint32_t header_size; /* sizeof(struct pkg_header) */
	struct pkg_entry entries[PKG_MAX_ENTRIES];
};
#endif
