/*
 * Placeholders for the RIM extension events (measure.h).
 * RIM extension lands with the attestation issue; until then RIM stays zero.
 * These do nothing on purpose and are NOT a measurement: rd->rim is left as
 * REALM_CREATE zeroed it.
 */
#include "measure.h"

void measure_realm_create(struct rd *rd, const void *params_4k)
{
	(void)rd;
	(void)params_4k;
}

void measure_data_create(struct rd *rd, uint64_t ipa, uint64_t flags, const void *content_4k)
{
	(void)rd;
	(void)ipa;
	(void)flags;
	(void)content_4k;
}

void measure_rec_create(struct rd *rd, const void *rec_params_4k)
{
	(void)rd;
	(void)rec_params_4k;
}

void measure_init_ripas(struct rd *rd, uint64_t base, uint64_t top)
{
	(void)rd;
	(void)base;
	(void)top;
}
