/*
 * Recording stand-in for rmm/measure.c (which does nothing until the
 * attestation issue): the suites check that each RMI command makes its
 * measure_*() call at the right point, with the right arguments, and that
 * failed commands make none. Thread safe.
 */
#ifndef FAKE_MEASURE_H
#define FAKE_MEASURE_H
#include <stdint.h>

enum fake_measure_kind { FM_REALM, FM_DATA, FM_REC, FM_RIPAS, FM_MAX };

struct fake_measure_call {
	enum fake_measure_kind kind;
	uint64_t rd;   /* the RD pointer the RMM passed (compare with fx_ptr(rd PA)) */
	uint64_t a, b; /* DATA: ipa, flags; RIPAS: base, top; REALM: s2sz; REC: mpidr */
	uint8_t first; /* DATA: first content byte; REC: gprs[0] low byte */
};

#define FAKE_MEASURE_MAX 1024
void fake_measure_reset(void);
unsigned long fake_measure_count(enum fake_measure_kind kind);
unsigned long fake_measure_total(void);
/* The first FAKE_MEASURE_MAX calls, in order. */
const struct fake_measure_call *fake_measure_calls(unsigned long *n);
#endif
