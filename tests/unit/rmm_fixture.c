/* See rmm_fixture.h. */
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
#include "fake_rmm_arch.h"
#include "rmm_fixture.h"

static struct granule *storage;
static unsigned char *mem;
static uint64_t next_idx; /* bump allocator: granules handed out so far */

static struct granule *snap_g;
static unsigned char *snap_mem;
static uint64_t snap_hwm;
static unsigned char snap_vmid[256];

int fx_setup(void **state)
{
	static const uint64_t bank[1][2] = { { FX_BASE, FX_SIZE } };

	(void)state;
	fake_reset();
	storage = calloc(FX_GRANULES, sizeof(*storage));
	snap_g = calloc(FX_GRANULES, sizeof(*snap_g));
	mem = aligned_alloc(G, FX_SIZE);
	snap_mem = malloc(FX_SIZE);
	if (!storage || !mem || !snap_g || !snap_mem)
		return -1;
	/* NS memory holds whatever the host left there. */
	memset(mem, 0xa5, FX_SIZE);
	next_idx = 0;
	fake_mem_set(FX_BASE, FX_SIZE, mem);
	rmm_feature_reg0 = FX_FEAT0;
	rmm_vmid_bits = 16;
	vmid_reset();
	return granules_init(bank, 1, storage, FX_GRANULES) == GRANULE_OK ? 0 : -1;
}

int fx_teardown(void **state)
{
	(void)state;
	free(storage);
	free(mem);
	free(snap_g);
	free(snap_mem);
	storage = snap_g = NULL;
	mem = snap_mem = NULL;
	fake_reset();
	vmid_reset();
	return 0;
}

struct granule *fx_g(uint64_t pa)
{
	struct granule *g = granule_find(pa);

	assert_non_null(g);
	return g;
}

void *fx_ptr(uint64_t pa)
{
	assert_true(pa >= FX_BASE && pa < FX_BASE + FX_SIZE);
	return mem + (pa - FX_BASE);
}

unsigned int fx_state(uint64_t pa)
{
	return fx_g(pa)->state;
}

unsigned int fx_ref(uint64_t pa)
{
	return fx_g(pa)->refcount;
}

int fx_is_zero(uint64_t pa)
{
	const unsigned char *p = fx_ptr(pa);

	for (size_t i = 0; i < G; i++)
		if (p[i])
			return 0;
	return 1;
}

uint64_t fx_ns(void)
{
	assert_true(next_idx < FX_GRANULES);
	return FX_BASE + next_idx++ * G;
}

uint64_t fx_del(void)
{
	uint64_t pa = fx_ns();

	assert_int_equal(fx_rmi(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL), RMI_SUCCESS);
	return pa;
}

uint64_t fx_del_run(unsigned int n, uint64_t align)
{
	uint64_t pa = (FX_BASE + next_idx * G + align - 1) & ~(align - 1);

	next_idx = (pa - FX_BASE) / G;
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(fx_del(), pa + i * G);
	return pa;
}

uint64_t fx_rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		uint64_t out[5])
{
	uint64_t r[8] = { fid, a1, a2, a3, a4, a5, 0x6666666666666666UL, 0x7777777777777777UL };

	rmi_dispatch(r);
	/* x6, x7 are never results. */
	assert_int_equal(r[6], 0x6666666666666666UL);
	assert_int_equal(r[7], 0x7777777777777777UL);
	if (out)
		memcpy(out, r, 5 * sizeof(uint64_t));
	return r[0];
}

void fx_realm_params(uint64_t params, unsigned int s2sz, int sl, unsigned int nroot, uint64_t rtt_base,
		     uint16_t vmid)
{
	struct rmi_realm_params *p = fx_ptr(params);

	memset(p, 0, sizeof(*p));
	p->s2sz = s2sz;
	p->num_bps = 1;
	p->num_wps = 1;
	p->hash_algo = RMI_HASH_SHA_256;
	memset(p->rpv, 0x42, sizeof(p->rpv));
	p->vmid = vmid;
	p->rtt_base = rtt_base;
	p->rtt_level_start = sl;
	p->rtt_num_start = nroot;
}

static unsigned int roots_for(unsigned int s2sz, int sl)
{
	unsigned int bits = (unsigned int)(3 - sl) * 9 + 12 + 9;

	return s2sz <= bits ? 1 : 1U << (s2sz - bits);
}

uint64_t fx_realm_new(struct fx_realm *r, unsigned int s2sz, int sl, uint16_t vmid)
{
	r->s2sz = s2sz;
	r->sl = sl;
	r->vmid = vmid;
	r->nroot = roots_for(s2sz, sl);
	r->rtt_base = fx_del_run(r->nroot, r->nroot * G);
	r->rd = fx_del();
	r->params = fx_ns();
	fx_realm_params(r->params, s2sz, sl, r->nroot, r->rtt_base, vmid);
	return fx_rmi(RMI_REALM_CREATE, r->rd, r->params, 0, 0, 0, NULL);
}

uint64_t fx_rtt(uint64_t rd, uint64_t ipa, int level, uint64_t *rtt)
{
	uint64_t pa = fx_del();

	if (rtt)
		*rtt = pa;
	return fx_rmi(RMI_RTT_CREATE, rd, pa, ipa, (uint64_t)level, 0, NULL);
}

void fx_rtts(uint64_t rd, uint64_t ipa, int from, int to)
{
	for (int l = from; l <= to; l++) {
		uint64_t ret = fx_rtt(rd, ipa & ~(rtt_level_size(l - 1) - 1), l, NULL);
		if (ret != RMI_SUCCESS)
			fail_msg("RTT_CREATE(0x%lx, level %d) = 0x%lx", (unsigned long)ipa, l,
				 (unsigned long)ret);
	}
}

uint64_t fx_data(uint64_t rd, uint64_t ipa, unsigned char fill, uint64_t *data)
{
	uint64_t src = fx_ns(), pa = fx_del();

	memset(fx_ptr(src), fill, G);
	if (data)
		*data = pa;
	return fx_rmi(RMI_DATA_CREATE, rd, pa, ipa, src, RMI_MEASURE_CONTENT, NULL);
}

uint64_t fx_data_unknown(uint64_t rd, uint64_t ipa, uint64_t *data)
{
	uint64_t pa = fx_del();

	if (data)
		*data = pa;
	return fx_rmi(RMI_DATA_CREATE_UNKNOWN, rd, pa, ipa, 0, 0, NULL);
}

void fx_rec_params(uint64_t params, uint64_t mpidr, uint64_t flags, uint64_t pc, unsigned int naux,
		   const uint64_t *aux)
{
	struct rmi_rec_params *p = fx_ptr(params);

	memset(p, 0, sizeof(*p));
	p->flags = flags;
	p->mpidr = mpidr;
	p->pc = pc;
	for (unsigned int i = 0; i < 8; i++)
		p->gprs[i] = 0x100 + i;
	p->num_aux = naux;
	for (unsigned int i = 0; i < naux && i < RMI_REC_MAX_AUX; i++)
		p->aux[i] = aux[i];
}

uint64_t fx_rec(uint64_t rd, uint64_t mpidr, int runnable, uint64_t *rec)
{
	uint64_t aux[RMI_REC_MAX_AUX], params = fx_ns(), pa = fx_del();

	for (unsigned int i = 0; i < RMM_REC_AUX_COUNT; i++)
		aux[i] = fx_del();
	fx_rec_params(params, mpidr, runnable ? RMI_REC_FLAGS_RUNNABLE : 0, 0x80000, RMM_REC_AUX_COUNT, aux);
	if (rec)
		*rec = pa;
	return fx_rmi(RMI_REC_CREATE, rd, pa, params, 0, 0, NULL);
}

void fx_read(uint64_t rd, uint64_t ipa, int level, uint64_t out[5])
{
	uint64_t ret = fx_rmi(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)level, 0, 0, out);

	if (ret != RMI_SUCCESS)
		fail_msg("RTT_READ_ENTRY(0x%lx, %d) = 0x%lx", (unsigned long)ipa, level, (unsigned long)ret);
}

void fx_snap(void)
{
	memcpy(snap_g, storage, FX_GRANULES * sizeof(*storage));
	snap_hwm = next_idx;
	memcpy(snap_mem, mem, snap_hwm * G);
	for (unsigned int v = 0; v < 256; v++)
		snap_vmid[v] = (unsigned char)vmid_is_reserved(v);
	fake_clear_events();
}

void fx_snap_check(const char *what)
{
	for (uint64_t i = 0; i < FX_GRANULES; i++) {
		if (memcmp(&storage[i], &snap_g[i], sizeof(storage[i])))
			fail_msg("%s: granule 0x%lx changed: state %u->%u refcount %u->%u lock %u", what,
				 (unsigned long)(FX_BASE + i * G), snap_g[i].state, storage[i].state,
				 snap_g[i].refcount, storage[i].refcount, storage[i].lock);
	}
	for (uint64_t i = 0; i < snap_hwm; i++) {
		if (memcmp(mem + i * G, snap_mem + i * G, G))
			fail_msg("%s: contents of granule 0x%lx changed", what,
				 (unsigned long)(FX_BASE + i * G));
	}
	for (unsigned int v = 0; v < 256; v++) {
		if (snap_vmid[v] != vmid_is_reserved(v))
			fail_msg("%s: VMID %u reservation changed", what, v);
	}
	if (fake_count(EV_EL3_DELEGATE) || fake_count(EV_EL3_UNDELEGATE) || fake_count(EV_SCRUB) ||
	    fake_count(EV_TLBI_IPA) || fake_count(EV_TLBI_VMID))
		fail_msg("%s: EL3 %lu/%lu scrub %lu TLBI %lu/%lu", what, fake_count(EV_EL3_DELEGATE),
			 fake_count(EV_EL3_UNDELEGATE), fake_count(EV_SCRUB), fake_count(EV_TLBI_IPA),
			 fake_count(EV_TLBI_VMID));
	if (fake_gpf_count())
		fail_msg("%s: %lu accesses through the wrong PAS", what, fake_gpf_count());
}

void fx_assert_unlocked(void)
{
	for (uint64_t i = 0; i < FX_GRANULES; i++) {
		if (storage[i].lock)
			fail_msg("granule 0x%lx left locked", (unsigned long)(FX_BASE + i * G));
	}
}
