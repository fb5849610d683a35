/*
 * The Realm Initial Measurement a realm partition will have, predicted by
 * replaying its build plan (lib/realm_plan.h) through the RMM's own
 * measurement code (lib/measure.h). Used by the partition compiler for the
 * reference values, and by the unit tests against known answers.
 */
#ifndef LIB_REALM_RIM_H
#define LIB_REALM_RIM_H
#include <stdint.h>
#include <lib/hash.h>
#include <lib/measure.h>
#include <rampart/partition.h>

/*
 * Fills page (4 KiB) with len bytes of img from offset and zeros after;
 * returns 0, or non-zero if the image cannot be read.
 */
typedef int (*realm_read_fn)(void *ctx, const struct rampart_image *img, uint64_t offset, uint64_t len,
			     uint8_t *page);

/*
 * rim receives the RIM (MEASURE_SIZE bytes: the hash, then zeros). Returns
 * 0, a MEASURE_ERR_* code, or REALM_RIM_ERR_READ / REALM_RIM_ERR_GEOMETRY.
 */
#define REALM_RIM_ERR_READ (-10)
#define REALM_RIM_ERR_GEOMETRY (-11)
int realm_rim(const struct rampart_partition *p, const struct hash_ops *h, realm_read_fn read, void *ctx,
	      uint8_t rim[MEASURE_SIZE]);
#endif
