/*
 * The device tree the monitor hands the external NS-EL2 payload (docs/external-payload.md,
 * "Device tree"): QEMU's tree, copied out of the RMM carve-out and fixed up for a Normal
 * world that runs under this firmware. Pure buffer work over libfdt, no hardware: where the
 * trees live and how the kernel gets in is ns_payload.c; tests/unit/test_ns_dtb.c runs this
 * file on the host.
 */
#ifndef MONITOR_NS_DTB_H
#define MONITOR_NS_DTB_H
#include <stddef.h>
#include <stdint.h>

struct ns_dtb_range {
	uint64_t base, size;
};

struct ns_dtb_params {
	/* DRAM the payload must never touch: cut out of every /memory node. */
	const struct ns_dtb_range *carveouts;
	unsigned int nr_carveouts;
	/* Root-only MMIO and memory: a top-level node whose first reg range overlaps one goes. */
	const struct ns_dtb_range *root_only;
	unsigned int nr_root_only;
	unsigned int nr_cpus;		     /* cpu nodes whose MPIDR is not 0..nr_cpus-1 go */
	uint64_t initrd_start, initrd_end;   /* /chosen linux,initrd-*; end == start: no initrd */
	uint64_t reserve_base, reserve_size; /* a /memreserve/ entry for the tree's window; 0: none */
};

/* Ranges one /memory node may end up with (each carve-out can split one range in two). */
#define NS_DTB_MAX_MEM_RANGES 8

/*
 * Copies the tree at src (at most src_size bytes readable) into dst (dst_size bytes), fixes
 * it up and packs it: the size of the result, or a negative libfdt error (-FDT_ERR_BADMAGIC:
 * no tree at src, -FDT_ERR_NOSPACE: it does not fit dst_size, ...) with *step naming what
 * failed. On an error dst holds no tree (its header is zeroed), never a half-fixed one.
 */
int ns_dtb_prepare(const void *src, size_t src_size, void *dst, size_t dst_size,
		   const struct ns_dtb_params *p, const char **step);

/* What a negative result of ns_dtb_prepare() means (libfdt's words). */
const char *ns_dtb_strerror(int rc);

/*
 * [base, base + size) without every cut: the pieces in address order in out (up to max_out),
 * their number, or -1 if there are more than max_out.
 */
int ns_dtb_subtract(uint64_t base, uint64_t size, const struct ns_dtb_range *cuts, unsigned int nr_cuts,
		    struct ns_dtb_range *out, unsigned int max_out);
#endif
