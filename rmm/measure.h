/*
 * The RMI events that extend a realm's RIM (reference §3), one call each,
 * made by the RMI commands at the point the specification measures them,
 * with the RD locked. rd->hash_algo selects SHA-256/512, rd->rim holds the
 * value.
 *
 * RIM extension lands with the attestation issue; until then RIM stays zero.
 * measure.c implements these as placeholders that do nothing: no realm
 * created by this RMM has a meaningful RIM yet, and nothing may present its
 * rd->rim as a measurement.
 */
#ifndef RMM_MEASURE_H
#define RMM_MEASURE_H
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
#endif
