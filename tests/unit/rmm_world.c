/* See rmm_world.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmm.h"
#include "vmid.h"
#include "fake_measure.h"
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"
#include "rmm_world.h"

struct world W;

int world(void **state)
{
	uint64_t out[5];

	if (fx_setup(state))
		return -1;
	memset(&W, 0, sizeof(W));
	assert_int_equal(fx_realm_new(&W.a, 40, 1, 1), RMI_SUCCESS);
	fx_rtts(W.a.rd, 0, 2, 3);
	fx_rtts(W.a.rd, NS_IPA, 2, 3);
	fx_read(W.a.rd, 0, 1, out);
	W.a_l2 = out[3];
	fx_read(W.a.rd, 0, 2, out);
	W.a_l3 = out[3];
	fx_read(W.a.rd, NS_IPA, 2, out);
	W.a_ns_l3 = out[3];
	assert_int_equal(fx_rmi(RMI_RTT_INIT_RIPAS, W.a.rd, 0, 0x2000, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_data(W.a.rd, 0x1000, 0x11, &W.a_d1), RMI_SUCCESS);
	assert_int_equal(fx_data_unknown(W.a.rd, 0x3000, &W.a_d2), RMI_SUCCESS);
	assert_int_equal(fx_data(W.a.rd, 0x4000, 0x22, NULL), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_DATA_DESTROY, W.a.rd, 0x4000, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(
		fx_rmi(RMI_RTT_MAP_UNPROTECTED, W.a.rd, NS_IPA + G, 3, 0x50000000UL | WB_RW, 0, NULL),
		RMI_SUCCESS);
	for (unsigned int i = 0; i < 5; i++)
		assert_int_equal(fx_rec(W.a.rd, i, i == 0, &W.a_r[i]), RMI_SUCCESS);
	W.a_aux0 = ((struct rec *)fx_ptr(W.a_r[0]))->aux[0];
	fx_g(W.a_r[1])->refcount = 1; /* as REC_ENTER holds it while the REC runs */
	struct rec *r2 = fx_ptr(W.a_r[2]);
	r2->psci = (struct rec_psci_req){ 1, PSCI_CPU_ON_64, 3, 0x1000, 0 };
	struct rec *r4 = fx_ptr(W.a_r[4]);
	r4->ripas = (struct rec_ripas_req){ .addr = 0x2000, .top = 0x3000, .value = RIPAS_RAM };

	assert_int_equal(fx_realm_new(&W.b, 39, 1, 2), RMI_SUCCESS);
	fx_rtts(W.b.rd, 0, 2, 3);
	fx_read(W.b.rd, 0, 2, out);
	W.b_l3 = out[3];
	assert_int_equal(fx_rec(W.b.rd, 0, 1, &W.b_r0), RMI_SUCCESS);
	assert_int_equal(fx_rmi(RMI_REALM_ACTIVATE, W.b.rd, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	assert_int_equal(fx_realm_new(&W.c, 39, 1, 3), RMI_SUCCESS);
	fx_rtts(W.c.rd, 0, 2, 3);
	((struct rd *)fx_ptr(W.c.rd))->state = REALM_SYSTEM_OFF;
	assert_int_equal(fx_realm_new(&W.d, 39, 1, 4), RMI_SUCCESS);
	fx_rtts(W.d.rd, 0, 2, 2);

	W.del = fx_del();
	W.del2 = fx_del();
	W.ns = fx_ns();
	W.src = fx_ns();
	memset(fx_ptr(W.src), 0x99, G);
	W.pair = fx_del_run(1, 2 * G);
	assert_int_equal(fx_ns(), W.pair + G);
	W.new_rtt = fx_del_run(3, 2 * G);
	W.new_rd = fx_del();
	W.p_realm = fx_ns();
	fx_realm_params(W.p_realm, 40, 1, 2, W.new_rtt, 10);
	W.new_rec = fx_del();
	for (unsigned int i = 0; i < RMI_REC_MAX_AUX; i++)
		W.new_aux[i] = fx_del();
	W.p_rec = fx_ns();
	fx_rec_params(W.p_rec, 5, RMI_REC_FLAGS_RUNNABLE, 0x1000, RMI_REC_MAX_AUX, W.new_aux);
	fake_measure_reset();
	return 0;
}

void fcase_run(const struct fcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t out[5];
		char what[160];

		snprintf(what, sizeof(what), "case %zu \"%s\"", i, c[i].what);
		if (c[i].prep)
			c[i].prep(c[i].arg);
		fx_snap();
		fake_measure_reset();
		uint64_t ret = fx_rmi(c[i].fid, c[i].a[0], c[i].a[1], c[i].a[2], c[i].a[3], c[i].a[4], out);
		if (ret != c[i].want)
			fail_msg("%s: x0 = 0x%lx (status %lu index %lu), want 0x%lx (status %lu index %lu)",
				 what, (unsigned long)ret, (unsigned long)RMI_RETURN_STATUS(ret),
				 (unsigned long)RMI_RETURN_INDEX(ret), (unsigned long)c[i].want,
				 (unsigned long)RMI_RETURN_STATUS(c[i].want),
				 (unsigned long)RMI_RETURN_INDEX(c[i].want));
		if (c[i].out && out[c[i].out] != c[i].out_val)
			fail_msg("%s: x%d = 0x%lx, want 0x%lx", what, c[i].out, (unsigned long)out[c[i].out],
				 (unsigned long)c[i].out_val);
		fx_snap_check(what);
		if (fake_measure_total())
			fail_msg("%s: a failed command extended the RIM", what);
		if (c[i].post)
			c[i].post();
	}
	fx_assert_unlocked();
	print_message("%zu failure cases\n", n);
}

/* "a < b" of the case or skip s: its first two names, followed by the end, ':' or ' '. */
static int names_pair(const char *s, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return !strncmp(s, a, la) && !strncmp(s + la, " < ", 3) && !strncmp(s + la + 3, b, lb) &&
	       (s[la + 3 + lb] == '\0' || s[la + 3 + lb] == ':' || s[la + 3 + lb] == ' ');
}

void order_run(const char *cmd, const char *const *conds, const char *const *skips, const struct fcase *c,
	       size_t n)
{
	unsigned int pairs = 0, skipped = 0;

	for (unsigned int i = 0; conds[i] && conds[i + 1]; i++) {
		int found = 0;
		for (size_t k = 0; k < n; k++)
			found += names_pair(c[k].what, conds[i], conds[i + 1]);
		for (unsigned int k = 0; skips[k]; k++) {
			found += names_pair(skips[k], conds[i], conds[i + 1]);
			skipped += names_pair(skips[k], conds[i], conds[i + 1]);
		}
		if (found != 1)
			fail_msg("%s: the pair %s < %s has %d cases or skips, want 1", cmd, conds[i],
				 conds[i + 1], found);
		pairs++;
	}
	print_message("%s: %u adjacent pairs, %u run, %u not constructible\n", cmd, pairs, pairs - skipped,
		      skipped);
	fcase_run(c, n);
}
