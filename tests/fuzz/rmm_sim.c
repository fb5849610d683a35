/* See rmm_sim.h. Implements rmm/rmm_arch.h, rmm/measure.h and the attestation hooks for the host. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/rmi.h>
#include <rampart/rsi.h>
#include "measure.h"
#include "realm.h"
#include "rec_ctx.h"
#include "rec_run.h"
#include "rmm_arch.h"
#include "vmid.h"
#include "rmm_sim.h"

/* What NS memory holds before the host writes it: anything but zeros. */
#define HOST_GARBAGE 0xa5
#define TOUCHED_WORDS (SIM_GRANULES / 64U)

struct granule sim_granules[SIM_GRANULES];
unsigned char *sim_mem;
uint8_t sim_realm[SIM_GRANULES];
unsigned long sim_events[SIM_EV_NR];
uint64_t sim_cur_regs[8];

static unsigned char *snap_mem; /* a granule's bytes before its first access in this call */
static struct granule snap_granules[SIM_GRANULES];
static uint64_t touched[TOUCHED_WORDS];
static uint8_t snap_vmid[SIM_VMID_WINDOW];

/* QEMU's GICv3 CPU interface, as tests/unit/fake_rec_run.c: 4 LRs, 5 priority bits, 16-bit INTIDs. */
unsigned int rec_gic_num_lrs = 4, rec_gic_num_aprs = 1, rec_gic_pri_bits = 5;
uint64_t rec_gic_max_intid = (1UL << 16) - 1;

void sim_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_rmi: INVARIANT VIOLATION: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nfuzz_rmi: during FID 0x%lx (0x%lx 0x%lx 0x%lx 0x%lx 0x%lx)\n",
		(unsigned long)sim_cur_regs[0], (unsigned long)sim_cur_regs[1],
		(unsigned long)sim_cur_regs[2], (unsigned long)sim_cur_regs[3],
		(unsigned long)sim_cur_regs[4], (unsigned long)sim_cur_regs[5]);
	abort();
}

void sim_reset(void)
{
	static const uint64_t bank[1][2] = { { SIM_BASE, SIM_SIZE } };

	if (!sim_mem) {
		sim_mem = aligned_alloc(GRANULE_SIZE, SIM_SIZE);
		snap_mem = malloc(SIM_SIZE);
		if (!sim_mem || !snap_mem)
			abort();
	}
	memset(sim_granules, 0, sizeof(sim_granules));
	memset(sim_realm, 0, sizeof(sim_realm));
	memset(sim_mem, HOST_GARBAGE, SIM_SIZE);
	vmid_reset();
	if (granules_init(bank, 1, sim_granules, SIM_GRANULES) != GRANULE_OK)
		abort();
}

/* The first access of this call to granule idx: keep what it held. */
static void touch(unsigned int idx)
{
	uint64_t bit = 1UL << (idx % 64U);

	if (touched[idx / 64U] & bit)
		return;
	touched[idx / 64U] |= bit;
	memcpy(snap_mem + (uint64_t)idx * GRANULE_SIZE, sim_mem + (uint64_t)idx * GRANULE_SIZE, GRANULE_SIZE);
}

int sim_touched(unsigned int idx)
{
	return (touched[idx / 64U] >> (idx % 64U)) & 1U;
}

void sim_call_begin(void)
{
	memcpy(snap_granules, sim_granules, sizeof(snap_granules));
	memset(touched, 0, sizeof(touched));
	memset(sim_events, 0, sizeof(sim_events));
	for (unsigned int v = 0; v < SIM_VMID_WINDOW; v++)
		snap_vmid[v] = (uint8_t)vmid_is_reserved(v);
}

const char *sim_call_unchanged(void)
{
	if (memcmp(snap_granules, sim_granules, sizeof(snap_granules)))
		return "the granule array changed";
	for (unsigned int i = 0; i < SIM_GRANULES; i++) {
		uint64_t off = (uint64_t)i * GRANULE_SIZE;
		if (sim_touched(i) && memcmp(snap_mem + off, sim_mem + off, GRANULE_SIZE))
			return "a granule's contents changed";
	}
	for (unsigned int v = 0; v < SIM_VMID_WINDOW; v++) {
		if (snap_vmid[v] != (uint8_t)vmid_is_reserved(v))
			return "a VMID reservation changed";
	}
	if (sim_events[SIM_EV_DELEGATE] || sim_events[SIM_EV_UNDELEGATE])
		return "it called EL3 to change a granule's PAS";
	if (sim_events[SIM_EV_SCRUB])
		return "it scrubbed a granule";
	if (sim_events[SIM_EV_TLBI])
		return "it invalidated stage-2 TLB entries";
	if (sim_events[SIM_EV_MEASURE])
		return "it extended a measurement";
	return NULL;
}

/* ---- rmm_arch.h ---- */

static unsigned int idx_of(uint64_t pa, const char *what)
{
	unsigned int idx;

	if (!sim_idx(pa, &idx))
		sim_fail("%s of PA 0x%lx outside the granule pool", what, (unsigned long)pa);
	return idx;
}

long rmm_el3_gtsi_delegate(uint64_t pa)
{
	unsigned int idx = idx_of(pa, "GTSI_DELEGATE");

	sim_events[SIM_EV_DELEGATE]++;
	if (sim_realm[idx])
		return E_RMM_BAD_PAS;
	sim_realm[idx] = 1;
	return E_RMM_OK;
}

long rmm_el3_gtsi_undelegate(uint64_t pa)
{
	unsigned int idx = idx_of(pa, "GTSI_UNDELEGATE");

	sim_events[SIM_EV_UNDELEGATE]++;
	if (!sim_realm[idx])
		return E_RMM_BAD_PAS;
	sim_realm[idx] = 0;
	return E_RMM_OK;
}

void rmm_granule_scrub(uint64_t pa)
{
	unsigned int idx = idx_of(pa, "scrub");

	if (!sim_realm[idx])
		sim_fail("scrub of 0x%lx, which is NS: a GPF at R-EL2", (unsigned long)pa);
	touch(idx);
	sim_events[SIM_EV_SCRUB]++;
	memset(sim_ptr(pa), 0, GRANULE_SIZE);
}

void rmm_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_fail("rmm_panic: %s", msg);
}

unsigned int rmm_cpu_index(void)
{
	return 0;
}

void rmm_cpu_relax(void)
{
	/* One thread: a lock found held can never be released. */
	sim_fail("a granule or VMID lock was found held (self-deadlock)");
}

void *granule_map(uint64_t pa)
{
	unsigned int idx = idx_of(pa, "granule_map");

	/* Through the Realm PAS: an NS granule there would be a Granule Protection Fault. */
	if (!sim_realm[idx])
		sim_fail("granule_map(0x%lx) of an NS granule (state %u)", (unsigned long)pa,
			 (unsigned int)sim_granules[idx].state);
	touch(idx);
	return sim_ptr(pa);
}

const void *ns_granule_map(uint64_t pa)
{
	unsigned int idx = idx_of(pa, "ns_granule_map");

	if (sim_realm[idx])
		sim_fail("ns_granule_map(0x%lx) of a Realm granule", (unsigned long)pa);
	if (sim_granules[idx].state != GRANULE_UNDELEGATED || !sim_granules[idx].lock)
		sim_fail("ns_granule_map(0x%lx) without the granule locked UNDELEGATED", (unsigned long)pa);
	touch(idx); /* the RecRun exit is written through it */
	return sim_ptr(pa);
}

void s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, int level)
{
	(void)vmid;
	(void)ipa;
	(void)level;
	sim_events[SIM_EV_TLBI]++;
}

void s2_tlbi_vmid(unsigned int vmid)
{
	(void)vmid;
	sim_events[SIM_EV_TLBI]++;
}

/* ---- measure.h: counted, and a cheap stand-in for the hash (the RIM's value is not checked here) ---- */

static void fold(uint8_t *m, const void *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		m[i % RIM_SIZE] ^= ((const uint8_t *)data)[i];
}

void measure_realm_create(struct rd *rd, const void *params_4k)
{
	sim_events[SIM_EV_MEASURE]++;
	fold(rd->rim, params_4k, RIM_SIZE);
}

void measure_data_create(struct rd *rd, uint64_t ipa, uint64_t flags, const void *content_4k)
{
	sim_events[SIM_EV_MEASURE]++;
	fold(rd->rim, &ipa, sizeof(ipa));
	if (flags == RMI_MEASURE_CONTENT)
		fold(rd->rim, content_4k, GRANULE_SIZE);
}

void measure_rec_create(struct rd *rd, const void *rec_params_4k)
{
	sim_events[SIM_EV_MEASURE]++;
	fold(rd->rim, rec_params_4k, RIM_SIZE);
}

void measure_init_ripas(struct rd *rd, uint64_t base, uint64_t top)
{
	sim_events[SIM_EV_MEASURE]++;
	fold(rd->rim, &base, sizeof(base));
	fold(rd->rim, &top, sizeof(top));
}

void measure_rem_extend_rd(struct rd *rd, unsigned int slot, const void *data, size_t size)
{
	if (slot >= REM_COUNT || size > RSI_MEASUREMENT_MAX_SIZE)
		sim_fail("REM extend of slot %u with %zu bytes", slot, size);
	fold(rd->rem[slot], data, size);
}

/* ---- attestation (rmm/attest.c, rsi_attest.c need the target's crypto; tested on QEMU) ---- */

int rmm_attest_prepare(void)
{
	return 0;
}

void rsi_attest_abandon(struct rec *rec)
{
	rec->attest_state = 0;
}

/* Token requests fail as they would on a platform without a Realm Attestation Key. */
enum rec_action rsi_attest_init(struct rec_run *run)
{
	rec_rsi_result(run->rec, RSI_ERROR_STATE, 0);
	return REC_RESUME;
}

enum rec_action rsi_attest_continue(struct rec_run *run)
{
	rec_rsi_result(run->rec, RSI_ERROR_STATE, 0);
	return REC_RESUME;
}
