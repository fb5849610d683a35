/*
 * RIM prediction (lib/include/lib/realm_rim.h): the plan's measured steps,
 * in the plan's order, each measured exactly as the RMM measures it. The
 * only thing modelled rather than shared is how RTT_INIT_RIPAS splits a
 * region into RTT entries: the largest block the start level allows that
 * the position is aligned to and that fits (measure_ripas_entry_size), which
 * is what the RMM does when the host creates RTTs only where it answers
 * ERROR_RTT, as core/realm_build.c does.
 */
#include <lib/realm_plan.h>
#include <lib/realm_rim.h>
#include <lib/string.h>

int realm_rim(const struct rampart_partition *p, const struct hash_ops *h, realm_read_fn read, void *ctx,
	      uint8_t rim[MEASURE_SIZE])
{
	static uint8_t scratch[MEASURE_GRANULE_SIZE], page[MEASURE_GRANULE_SIZE];
	static struct rmi_realm_params params;
	static struct rmi_rec_params rec;
	enum hash_algo alg = (enum hash_algo)p->realm.hash_algo;
	struct realm_geometry g;
	struct realm_plan it;
	struct realm_step s;
	int rc = 0;

	if (realm_plan_geometry(p, &g))
		return REALM_RIM_ERR_GEOMETRY;
	memset(rim, 0, MEASURE_SIZE);
	realm_plan_init(&it, p);
	while (rc == 0 && realm_plan_next(&it, &s)) {
		switch (s.kind) {
		case REALM_STEP_CREATE: {
			struct measure_realm_params m;
			realm_plan_realm_params(p, &g, &params);
			measure_realm_params_from_rmi(&m, &params);
			rc = measure_rim_init(h, &m, scratch, rim);
			break;
		}
		case REALM_STEP_INIT_RIPAS:
			for (uint64_t base = s.base; rc == 0 && base < s.top;) {
				uint64_t size = measure_ripas_entry_size(base, s.top, g.start_level);
				if (!size)
					return MEASURE_ERR_ARG;
				rc = measure_rim_ripas(h, alg, rim, base, base + size);
				base += size;
			}
			break;
		case REALM_STEP_DATA:
			if (read(ctx, s.image, s.offset, s.len, page))
				return REALM_RIM_ERR_READ;
			rc = measure_rim_data(h, alg, rim, s.ipa, MEASURE_DATA_CONTENT, page);
			break;
		case REALM_STEP_REC: {
			struct measure_rec_params m;
			realm_plan_rec_params(p, s.rec, &rec);
			if (!(rec.flags & RMI_REC_FLAGS_RUNNABLE))
				break; /* the RMM measures runnable RECs only */
			measure_rec_params_from_rmi(&m, &rec);
			rc = measure_rim_rec(h, alg, rim, &m, scratch);
			break;
		}
		case REALM_STEP_POPULATE: /* DATA_CREATE_UNKNOWN: not measured */
		case REALM_STEP_ACTIVATE:
			break;
		}
	}
	return rc;
}
