/*
 * partc: the partition compiler (docs/partitions.md).
 *
 *   images.c      the image files: found where, what they are, their sizes
 *   parse.c       partition DTB (libfdt) -> struct pc_model; structural
 *                 errors only (unknown properties and nodes, cell counts,
 *                 property types, limits of the fixed-size model)
 *   validate.c    pure functions over the model and the platform facts:
 *                 partitions, CPUs, memory; pc_validate runs every check
 *   validate_dev.c  passthrough devices and shared memory
 *   validate_images.c  the staging area, the image files, their layout
 *   validate_realm.c  the checks only realm partitions have, and the
 *                 realm metadata layout
 *   validate_s2.c the stage-2 table pages each normal VM needs
 *   table.c       the model -> struct rampart_partition_table
 *   refvalues.c   the expected RIM of every realm (lib/realm_rim.c), as the
 *                 reference-value file tools/verify/rampart-verify reads
 *   emit_table.c  the partition table as C source (rampart/partition.h)
 *   emit_dtb.c    one guest DTB per partition (libfdt sequential write)
 *   emit_images.c the image list for the packer and the QEMU runner
 *   types.c       how the source wrote each property (/bits/, [..]): what a
 *                 DTB does not record
 *   main.c        options, files, the order of the passes
 *
 * Every diagnostic names the node path and, where one is at fault, the
 * property: "<path>: property '<prop>': <what>"; main prefixes
 * "partc: <source file>: ".
 */
#ifndef PARTC_H
#define PARTC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <rampart/partition.h>
#include <rampart/rmi.h>

#define PC_PATH_MAX 256		/* DT node paths */
#define PC_NAME_MAX 64		/* DT node names */
#define PC_FILE_MAX 1024	/* image file names */
#define PC_STR_MAX 32		/* short enumerated strings (console, fault-policy, ...) */
#define PC_COMPAT_MAX 256	/* a passthrough device's compatible list */
#define PC_MAX_RESERVED 32	/* platform carve-outs */
#define PC_MAX_RESERVED_SPIS 16 /* platform SPIs not assignable */
#define PC_MAX_DEV_REGS 4	/* reg entries of one passthrough device */
#define PC_MAX_DEV_IRQS 8	/* interrupts of one passthrough device */
#define PC_MAX_SEARCH 8		/* --image-path directories */
#define PC_MAX_ERRORS 50	/* stop reporting after this many */

/* ------------------------------------------------------------ diagnostics */

struct pc_diag {
	unsigned int count;
	void (*emit)(void *ctx, const char *msg); /* one message, no newline */
	void *ctx;
};

/* "<path>: property '<prop>': <fmt...>", or "<path>: <fmt...>" if prop is NULL. */
void pc_error(struct pc_diag *d, const char *path, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ------------------------------------------------------------ platform facts */

struct pc_reserved {
	char name[PC_NAME_MAX];
	uint64_t base;
	uint64_t size;
};

struct pc_reserved_spi {
	char name[PC_NAME_MAX];
	uint32_t spi;
};

/* From the command line (the build passes CONFIG_* values); nothing is assumed. */
struct pc_platform {
	uint64_t dram_base;
	uint64_t dram_size;
	uint32_t nr_cpus;
	uint32_t nr_spis; /* SPI numbers 0..nr_spis-1 (INTID 32..) */
	unsigned int nr_reserved;
	struct pc_reserved reserved[PC_MAX_RESERVED]; /* firmware RAM and MMIO */
	unsigned int nr_reserved_spis;
	struct pc_reserved_spi reserved_spis[PC_MAX_RESERVED_SPIS];
	uint32_t s2_table_pages; /* the hypervisor's stage-2 table pool per normal VM */
	uint64_t flash_budget;	 /* bytes for guest images in the flash package; 0 = no flash */
	bool flash_budget_set;
	/* What the platform's RMM reports in RMI_FEATURES (--realm-limits); realms need it. */
	bool realm_limits_set;
	uint32_t realm_ipa_bits_max;
	uint32_t realm_bps_max;
	uint32_t realm_wps_max;
};

/* ------------------------------------------------------------ the model */

struct pc_mem {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

struct pc_range {
	uint64_t base;
	uint64_t size;
};

struct pc_irq {
	uint32_t spi;	/* SPI number (INTID - 32) */
	uint32_t flags; /* DT trigger flags: 1 edge-rising, 4 level-high */
};

/* A passthrough device: a node elsewhere in the tree, referenced by phandle. */
struct pc_device {
	char path[PC_PATH_MAX];
	char name[PC_NAME_MAX]; /* node name, reused in the guest DTB */
	char compatible[PC_COMPAT_MAX];
	size_t compatible_len; /* the stringlist including its NULs */
	unsigned int nr_regs;
	struct pc_range regs[PC_MAX_DEV_REGS];
	bool reg_rejected[PC_MAX_DEV_REGS]; /* see pc_partition.mem_rejected */
	unsigned int nr_irqs;
	struct pc_irq irqs[PC_MAX_DEV_IRQS];
};

struct pc_image {
	bool given;		/* the property is present */
	char name[PC_FILE_MAX]; /* as written in the tree */
	bool found;		/* parse found the file */
	char file[PC_FILE_MAX]; /* the file found, or the non-file (not_file) */
	const char *not_file;	/* not found, but this is there: "a directory", "a character device", ... */
	int read_errno;		/* found, but reading it failed with this errno (0: read) */
	uint64_t file_size;
	uint64_t mem_size;     /* footprint in RAM: arm64 Image header image_size, else file size */
	uint64_t text_offset;  /* arm64 Image header text_offset, else 0 */
	bool valid_dtb;	       /* dtb-fragment only: the file is a well-formed DTB */
	const char *dtb_error; /* dtb-fragment only: libfdt's reason when it is not (else NULL) */
};

/* The `realm` child node of a "rampart,realm" partition. */
struct pc_realm {
	bool has_node;
	char path[PC_PATH_MAX];
	char hash_algo[PC_STR_MAX]; /* "" = default */
	bool has_ipa_bits;
	uint32_t ipa_bits;
	bool has_rpv;
	size_t rpv_len; /* may exceed the stored copy */
	uint8_t rpv[RAMPART_RPV_SIZE];
	bool has_bps, has_wps;
	uint32_t num_bps, num_wps;

	/* Set by pc_check_realms / pc_realm_layout. */
	uint32_t hash_kind; /* RMI_HASH_SHA_256 / _512 */
	uint64_t metadata_pa;
	uint64_t metadata_size;
};

/* Fault containment: the watchdog child node and the restart and interrupt properties. */
struct pc_containment {
	bool has_watchdog;
	char wd_path[PC_PATH_MAX];
	bool has_timeout;
	uint32_t timeout_ms;
	char action[PC_STR_MAX]; /* "" = the partition's fault-policy */
	bool has_restart_limit;
	uint32_t restart_limit;
	bool has_backoff;
	uint32_t backoff_ms;
	bool has_irq_budget;
	uint32_t irq_budget;
	uint32_t irq_window_ms;

	/* Set by pc_check_containment. */
	uint32_t action_kind; /* enum rampart_fault_policy */
};

struct pc_partition {
	char path[PC_PATH_MAX];
	char name[PC_NAME_MAX]; /* node name, e.g. partition@0 */
	uint32_t kind;		/* enum rampart_partition_kind */
	uint32_t id;
	bool has_unit_address;
	uint32_t unit_address;
	char label[PC_NAME_MAX];
	bool has_label;
	unsigned int nr_cpus;
	uint32_t cpus[RAMPART_MAX_VCPUS];
	unsigned int nr_mem;
	struct pc_mem mem[RAMPART_MAX_MEM_REGIONS];
	/*
	 * Set by the check that owns a region once it has reported it: other
	 * checks do not compare against it (one mistake, one message).
	 */
	bool mem_rejected[RAMPART_MAX_MEM_REGIONS];
	struct pc_image kernel;
	struct pc_image initrd;
	struct pc_image fragment;
	bool has_bootargs;
	size_t bootargs_len; /* strlen, may exceed the stored copy */
	char bootargs[RAMPART_BOOTARGS_MAX];
	char console[PC_STR_MAX];      /* "" = default */
	char fault_policy[PC_STR_MAX]; /* "" = default */
	char image_load[PC_STR_MAX];   /* "" = default */
	unsigned int nr_devices;
	struct pc_device devices[RAMPART_MAX_DEVICES];
	struct pc_realm realm; /* kind RAMPART_KIND_REALM only */
	struct pc_containment contain;

	/* Set by pc_validate. */
	uint32_t console_kind; /* enum rampart_console */
	uint32_t fault_kind;   /* enum rampart_fault_policy */
	bool images_external;  /* image-load = "external" */
	bool update_authority; /* update-authority: may write the inactive bank (docs/secure-boot.md) */
	uint64_t kernel_ipa;   /* entry point */
	uint64_t initrd_ipa;   /* 0 if no initrd */
	uint64_t dtb_ipa;
	uint64_t dtb_size; /* set by main after the guest DTB is built */
	/* Set by pc_stage: where each image waits in the staging area. */
	uint64_t kernel_pa;
	uint64_t initrd_pa;
	uint64_t dtb_pa;
};

struct pc_shm {
	char path[PC_PATH_MAX];
	char name[PC_NAME_MAX];
	char label[PC_NAME_MAX]; /* label property, else the node name */
	unsigned int nr_peers;
	char peers[RAMPART_SHM_PEERS][PC_NAME_MAX]; /* partition labels */
	bool has_memory;
	struct pc_mem mem;
	bool mem_rejected; /* see pc_partition.mem_rejected */
	bool has_doorbells;
	uint32_t doorbells[RAMPART_SHM_PEERS]; /* SPI numbers, one per peer */

	/* Set by pc_validate: partition index of each peer. */
	uint32_t peer_index[RAMPART_SHM_PEERS];
};

struct pc_model {
	char container[PC_PATH_MAX]; /* e.g. /partitions */
	bool has_staging;
	struct pc_range staging; /* image-staging = <pa size> */
	bool staging_rejected;	 /* see pc_partition.mem_rejected */
	bool has_realm_metadata;
	struct pc_range realm_metadata; /* realm-metadata = <pa size> */
	unsigned int nr_partitions;
	struct pc_partition partitions[RAMPART_MAX_PARTITIONS];
	unsigned int nr_shm;
	struct pc_shm shm[RAMPART_MAX_SHM];
	char search_desc[PC_FILE_MAX]; /* "dir1, dir2": for "not found" messages */
};

/* ------------------------------------------------------------ source notation (types.c) */

#define PC_MAX_TYPES 256 /* recorded properties; more are not checked (t->overflow) */
/* Element widths other than 32-bit cells a property was written with. */
#define PC_WIDTH_BYTES 0x1U /* [..] */
#define PC_WIDTH_8 0x2U	    /* /bits/ 8 <..> */
#define PC_WIDTH_16 0x4U    /* /bits/ 16 <..> */
#define PC_WIDTH_64 0x8U    /* /bits/ 64 <..> */

struct pc_type {
	char path[PC_PATH_MAX];
	char prop[PC_NAME_MAX];
	unsigned int widths; /* PC_WIDTH_* */
};

struct pc_types {
	unsigned int n;
	bool overflow;
	struct pc_type e[PC_MAX_TYPES];
};

/* Read `dtc -I dts -O dts` output. Returns 0, or -1 if the text is not in that form. */
int pc_read_types(const char *text, struct pc_types *t);
/* The PC_WIDTH_* bits of path's property prop; 0 (32-bit cells, or unknown) if none. */
unsigned int pc_type_widths(const struct pc_types *t, const char *path, const char *prop);

/* images.c: look name up in search (an absolute name as is) and inspect what is found. */
void pc_find_image(const char *const *search, unsigned int nr_search, struct pc_image *im, const char *name,
		   bool want_dtb);

/* ------------------------------------------------------------ passes */

/*
 * blob.c: 0 if the size bytes at fdt are a DTB partc can read (version 17,
 * structure intact: fdt_check_full), else a negative libfdt error code
 * (fdt_strerror).
 */
int pc_check_blob(const void *fdt, size_t size);

/*
 * parse.c: dtb -> model. types: how the source wrote its properties (NULL:
 * unknown, not checked). Returns 0, or -1 after reporting errors.
 */
int pc_parse(const void *fdt, struct pc_model *m, const char *const *search, unsigned int nr_search,
	     const struct pc_types *types, struct pc_diag *d);

/*
 * validate.c: all semantic checks; on success the derived fields (kinds,
 * peer indices, image layout) are set. Returns the number of errors.
 */
unsigned int pc_validate(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);

/*
 * The individual checks (pc_validate runs them in this order). Memory,
 * devices, shared memory and staging mark what they rejected (rejected),
 * and the later ones skip it.
 */
void pc_check_platform(const struct pc_platform *p, struct pc_diag *d);
void pc_check_container(const struct pc_model *m, struct pc_diag *d);
void pc_check_partition_ids(const struct pc_model *m, struct pc_diag *d);
void pc_check_kinds(const struct pc_model *m, struct pc_diag *d);
void pc_check_labels(const struct pc_model *m, struct pc_diag *d);
void pc_check_strings(struct pc_model *m, struct pc_diag *d);
void pc_check_cpus(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_check_memory(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_check_devices(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_check_shm(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_check_staging(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_check_images(const struct pc_model *m, struct pc_diag *d);
void pc_layout(struct pc_model *m, struct pc_diag *d);
/* validate_s2.c: the stage-2 table pages of every normal VM (after the regions are valid). */
void pc_check_stage2(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
/* validate_realm.c: realm properties, then (after pc_layout) the metadata ranges. */
void pc_check_realms(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_realm_layout(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
/*
 * After the guest DTBs exist (dtb_size set): DTB size, the images' places in
 * the staging area (pc_stage: flash images first, then external ones, by
 * partition id, each 4 KiB aligned) and the flash budget. Returns the number
 * of errors.
 */
unsigned int pc_check_final(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d);
void pc_stage(struct pc_model *m, struct pc_diag *d);

/*
 * parse_containment.c, validate_containment.c: a partition property it owns (restart-limit,
 * restart-backoff-ms, irq-budget): true when name is one (it was parsed);
 * the watchdog child node of a normal VM; the checks (after pc_check_strings
 * and pc_check_devices).
 */
bool pc_parse_containment_prop(const struct pc_types *types, struct pc_diag *d, struct pc_partition *pt,
			       const char *name, const void *val, int len);
void pc_parse_watchdog(const void *fdt, int off, const struct pc_types *types, struct pc_diag *d,
		       struct pc_partition *pt);
void pc_check_containment(struct pc_model *m, struct pc_diag *d);

/* String -> enum; -1 if unknown. */
int pc_hash_algo(const char *s); /* RMI_HASH_SHA_256 / _512 */
int pc_console_kind(const char *s);
int pc_fault_policy(const char *s);
int pc_image_load(const char *s); /* 0 flash, 1 external */

/* The guest's virtual devices at IPA; which ones depends on the partition (validate.c). */
#define PC_MAX_VDEVS 3
struct pc_vdev {
	const char *what;
	uint64_t base;
	uint64_t size;
};
unsigned int pc_guest_vdevs(const struct pc_partition *pt, struct pc_vdev v[PC_MAX_VDEVS]);
/* 1 to 15 of a-z 0-9 _ -, starting with a letter (validate.c). */
bool pc_label_ok(const char *s);

/* Helpers shared with the emitters. */
uint64_t pc_align_up(uint64_t v, uint64_t a);
bool pc_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize);
/* Shared by validate.c and validate_realm.c. */
/* validate_images.c: a container's range of NS DRAM (image-staging, realm-metadata). */
bool pc_check_container_dram(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d,
			     const char *prop, const char *what, bool given, uint64_t pa, uint64_t size);
bool pc_check_ram_pa(struct pc_diag *d, const struct pc_platform *p, const char *path, const char *prop,
		     const char *what, uint64_t pa, uint64_t size);
bool pc_check_range(struct pc_diag *d, const char *path, const char *prop, const char *what, uint64_t base,
		    uint64_t size, uint64_t align, bool is_ipa);
/* "[0xfirst-0xlast]" */
struct pc_rstr {
	char s[48];
};
struct pc_rstr pc_rng(uint64_t base, uint64_t size);

/* table.c: the partition table the model describes (validated, with dtb sizes and staging set). */
void pc_fill_table(const struct pc_model *m, const struct pc_platform *p, struct rampart_partition_table *t);

/* emit_*.c: return 0, or -1 with a message on stderr. */
int pc_emit_table(const struct pc_model *m, const struct rampart_partition_table *t, const char *source,
		  const char *out);
/*
 * refvalues.c: reference values of every realm (rampart-reference-values/1 per
 * realm, keyed by label), RIMs predicted from the images. dtbs[i] is partition
 * i's generated DTB. Returns 0, or -1 with a message on stderr.
 */
int pc_emit_refvalues(const struct pc_model *m, const struct rampart_partition_table *t,
		      const void *const *dtbs, const char *out);
/* Build partition i's DTB into buf (size bytes). Returns its size, or -1 with an error reported. */
int pc_build_dtb(const struct pc_model *m, unsigned int i, const void *fragment, void *buf, size_t size,
		 struct pc_diag *d);
int pc_emit_images(const struct pc_model *m, const char *const *dtb_files, const char *out);
/* The flash images as one block: flash-images.bin and flash-images.list in dir (emit_images.c). */
int pc_emit_flash_block(const struct pc_model *m, const char *const *dtb_files, const char *dir);
#endif
