/*
 * The RMI events that extend a realm's RIM (reference §3), one call each,
 * made by the RMI commands at the point the specification measures them,
 * with the RD locked. rd->hash_algo (the RMI value: 0 SHA-256, 1 SHA-512)
 * selects the hash, rd->rim holds the value (the first 32/64 bytes, zeros
 * after), frozen by REALM_ACTIVATE and kept in the RD for
 * RSI_MEASUREMENT_READ.
 *
 * measure.c computes each step with lib/measure over lib/crypto under one
 * leaf lock; a failure is a broken invariant and panics (see measure.c).
 */
#ifndef RMM_MEASURE_H
#define RMM_MEASURE_H
#include <stddef.h>
#include <stdint.h>

struct rd;

/* REALM_CREATE: RIM0 from the host's RmiRealmParams (the 4 KiB copy the RMM validated). */
void measure_realm_create(struct rd *rd, const void *params_4k);
/*
 * DATA_CREATE (not DATA_CREATE_UNKNOWN): ipa, flags as passed
 * (RMI_MEASURE_CONTENT or not) and the 4 KiB now in the DATA granule.
 */
void measure_data_create(struct rd *rd, uint64_t ipa, uint64_t flags, const void *content_4k);
/* REC_CREATE of a RUNNABLE REC only: the host's RmiRecParams (4 KiB copy). */
void measure_rec_create(struct rd *rd, const void *rec_params_4k);
/* RTT_INIT_RIPAS: once per RTT entry processed, [base, top) of that entry, in order. */
void measure_init_ripas(struct rd *rd, uint64_t base, uint64_t top);
/* RSI_MEASUREMENT_EXTEND of REM `slot` (0..3), RD locked; size <= 64. */
void measure_rem_extend_rd(struct rd *rd, unsigned int slot, const void *data, size_t size);
#endif
