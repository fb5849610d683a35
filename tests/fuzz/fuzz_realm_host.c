/*
 * Fuzz target for the hypervisor's realm host (issue 16): core/realm_run.c
 * (REC_ENTER loop, exit handling), core/realm_mem.c (shared and unpopulated
 * memory, RIPAS policy) and core/realm_rtt.c, compiled for the host, their
 * RMI calls answered by the real RMM on the simulated granule pool
 * (rmm_sim.c; every call checked by rmm_check.c as in the RMI target), and
 * the realm inside REC_ENTER the hostile one of fuzz_realm.c. The input
 * decides what the realm does; the hypervisor must serve or refuse each exit
 * and never hand the RMM a granule outside its partition (the RAM and
 * metadata ranges it was given) or name another realm's RD or RECs.
 *
 * The realm is built by this file with the steps core/realm_build.c takes
 * (which reads the CPU's counter and cleans caches, so it cannot run here),
 * and the hypervisor's collaborators that need hardware or the whole
 * partition set are small stand-ins: the vGIC's list-register sync (copied
 * through, as vgic_sync_realm() does for used registers; the vGIC model has
 * its own suites), one emulated device window, SGI writes, doorbells,
 * kicks, and the fault policy (counted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/rmi.h>
#include <rampart/smccc.h>
#include "partition.h"
#include "fuzz_input.h"
#include "fuzz_rmi.h"
#include "rmm_check.h"
#include "rmm_sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NR_VCPUS 2U
#define RAM_PAGES 16U  /* the realm's RAM, at IPA 0 */
#define META_PAGES 80U /* RD, RTTs, RECs and their aux granules */
#define RAM_IDX 64U    /* where they sit in the pool, */
#define META_IDX (RAM_IDX + RAM_PAGES)
#define HOST_IDX (META_IDX + META_PAGES) /* then the RecRun pages and a params page (NS) */
#define IPA_BITS 32U
#define START_LEVEL 1
#define UART_IPA FUZZ_DEVICE_IPA /* the one emulated device: a 4 KiB window */
#define DEVICE_SIZE 0x1000UL
#define VMID 1U
#define MAX_RUNS_PER_INPUT 64U
#define LEAVE_KINDS 8U
#define RTTE_OA_PAGE_MASK 0x0000fffffffff000UL /* an RTT entry's output address, [47:12] */

static struct partition part;
static unsigned long host_inputs, host_runs, host_faults, restarts, leaves[LEAVE_KINDS];

static void host_summary(void)
{
	fprintf(stderr,
		"fuzz_realm_host: %lu inputs, %lu realm_vcpu_run() calls, %lu fault-policy exits, %lu "
		"restarts; leave reasons 0..%u:",
		host_inputs, host_runs, host_faults, restarts, LEAVE_KINDS - 1);
	for (unsigned int i = 0; i < LEAVE_KINDS; i++)
		fprintf(stderr, " %lu", leaves[i]);
	fprintf(stderr, "\n");
}

/* ---- the hypervisor's collaborators ---- */

void partition_fault(struct partition *p, struct vcpu *v, const char *what, uint64_t esr, uint64_t addr)
{
	(void)v;
	(void)esr;
	(void)addr;
	if (!what || !what[0])
		sim_fail("partition_fault without a reason");
	p->faults++;
	host_faults++;
}

static int device_access(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
			 uint64_t *val)
{
	(void)p;
	(void)v;
	if (off >= DEVICE_SIZE || (size != 4 && size != 1))
		return -1;
	if (!write)
		*val = in_u8();
	return 0;
}

mmio_access_fn partition_mmio_find(const struct partition *p, uint64_t ipa, uint64_t *off)
{
	(void)p;
	if (ipa < UART_IPA || ipa - UART_IPA >= DEVICE_SIZE)
		return NULL;
	*off = ipa - UART_IPA;
	return device_access;
}

int partition_mmio(struct partition *p, struct vcpu *v, uint64_t ipa, unsigned int size, int write,
		   uint64_t *val)
{
	uint64_t off;
	mmio_access_fn fn = partition_mmio_find(p, ipa, &off);

	return fn ? fn(p, v, off, size, write, val) : -1;
}

int partition_sgi_write(struct partition *p, struct vcpu *v, uint64_t esr, uint64_t val)
{
	(void)p;
	(void)v;
	(void)esr;
	(void)val;
	return in_chance(128) ? 0 : -1;
}

long doorbell_ring(struct partition *p, uint64_t shm_id)
{
	(void)p;
	return shm_id < 2 ? 0 : -1;
}

void hyp_kick(unsigned int cpu)
{
	(void)cpu;
}

void hyp_irq_vcpu_reset(void) {}

/* A kick now and then; at the end of the input every vCPU is told to stop. */
int hyp_irq_drain(void)
{
	if (fin.done) {
		for (unsigned int i = 0; i < NR_VCPUS; i++)
			part.vcpus[i].state = VCPU_STOPPED;
		return 1;
	}
	if (in_chance(16)) {
		part.vcpus[in_below(NR_VCPUS)].state = VCPU_OFF;
		return 1;
	}
	return 0;
}

void vgic_sync_realm(struct partition *p, struct vcpu *v, int after_exit)
{
	(void)p;
	if (after_exit)
		memcpy(v->run->enter.gicv3_lrs, v->run->exit.gicv3_lrs, sizeof(v->run->enter.gicv3_lrs));
	v->run->enter.gicv3_hcr = 0;
}

void vgic_realm_vcpu_reset(struct vcpu *v)
{
	memset(&v->run->enter, 0, sizeof(v->run->enter));
}

struct rmi_rec_run *realm_run_page(const struct partition *p, unsigned int vcpu)
{
	return p->vcpus[vcpu].run;
}

/* ---- RMI: the hypervisor's calls go to the simulated RMM, checked ---- */

static int in_range(uint64_t pa, unsigned int first, unsigned int n)
{
	return pa >= sim_pa(first) && pa < sim_pa(first + n);
}

static int partition_granule(uint64_t pa)
{
	return in_range(pa, RAM_IDX, RAM_PAGES) || in_range(pa, META_IDX, META_PAGES);
}

static int partition_rec(uint64_t pa)
{
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		if (part.vcpus[i].rec == pa)
			return 1;
	return 0;
}

/* What the hypervisor may name: its own RD, RECs and granules, nothing else (rmi_host.c's caller). */
static void check_call(uint64_t fid, const uint64_t a[5])
{
	uint64_t granule = 0;
	int has_granule = 1;

	switch (fid) {
	case RMI_GRANULE_DELEGATE:
	case RMI_GRANULE_UNDELEGATE:
		granule = a[0];
		break;
	case RMI_DATA_CREATE_UNKNOWN:
	case RMI_RTT_CREATE:
		granule = a[1];
		break;
	case RMI_RTT_MAP_UNPROTECTED:
		granule = a[3] & RTTE_OA_PAGE_MASK;
		break;
	default:
		has_granule = 0;
		break;
	}
	if (has_granule && !partition_granule(granule))
		sim_fail("the hypervisor passed granule 0x%lx, outside its partition",
			 (unsigned long)granule);
	switch (fid) {
	case RMI_REC_ENTER:
		if (!partition_rec(a[0]))
			sim_fail("the hypervisor entered REC 0x%lx, not one of its own", (unsigned long)a[0]);
		break;
	case RMI_PSCI_COMPLETE:
		if (!partition_rec(a[0]) || !partition_rec(a[1]))
			sim_fail("PSCI_COMPLETE with RECs 0x%lx 0x%lx", (unsigned long)a[0],
				 (unsigned long)a[1]);
		break;
	case RMI_GRANULE_DELEGATE:
	case RMI_GRANULE_UNDELEGATE:
		break;
	default:
		if (a[0] != part.realm.rd)
			sim_fail("the hypervisor named RD 0x%lx, not its realm's", (unsigned long)a[0]);
		break;
	}
}

struct rmi_ret rmi_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t a[5] = { a1, a2, a3, a4, a5 }, out[5];

	check_call(fid, a);
	/* The RecRun page is a pointer in the hypervisor (identity mapped on the target): its PA here. */
	if (fid == RMI_REC_ENTER)
		a[1] = SIM_BASE + (uint64_t)((unsigned char *)(uintptr_t)a2 - sim_mem);
	rmi(fid, a[0], a[1], a[2], a[3], a[4], out);
	return (struct rmi_ret){ out[0], out[1], out[2], out[3], out[4] };
}

static int runnable(void)
{
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		if (part.vcpus[i].state == VCPU_RUNNING || part.vcpus[i].state == VCPU_ON_PENDING)
			return 1;
	return 0;
}

/* ---- the realm, built as core/realm_build.c would ---- */

static uint64_t meta(void)
{
	uint64_t pa = realm_meta_delegated(&part);

	if (!pa)
		sim_fail("the metadata range ran out while building");
	return pa;
}

static int build(void)
{
	struct realm *r = &part.realm;
	uint64_t params = sim_pa(HOST_IDX + NR_VCPUS), out[5];

	memset(&part, 0, sizeof(part));
	part.nr_vcpus = NR_VCPUS;
	part.nr_mem = 1;
	part.mem[0] = (struct part_mem){ .ipa = 0, .pa = sim_pa(RAM_IDX), .size = RAM_PAGES * GRANULE_SIZE };
	r->geo = (struct realm_geometry){ START_LEVEL, 1, 1UL << (IPA_BITS - 1) };
	r->meta_next = sim_pa(META_IDX);
	r->meta_end = sim_pa(META_IDX + META_PAGES);
	uint64_t root = meta();
	r->rd = meta();
	struct rmi_realm_params *p = sim_ptr(params);
	memset(p, 0, sizeof(*p));
	p->s2sz = IPA_BITS;
	p->num_bps = p->num_wps = 1;
	p->hash_algo = RMI_HASH_SHA_256;
	p->vmid = VMID;
	p->rtt_base = root;
	p->rtt_level_start = START_LEVEL;
	p->rtt_num_start = 1;
	if (rmi(RMI_REALM_CREATE, r->rd, params, 0, 0, 0, NULL) != RMI_SUCCESS)
		sim_fail("REALM_CREATE of the fuzzed partition failed");
	/* RIPAS RAM over the RAM (creating its RTTs), then every page populated, as realm_build.c. */
	for (uint64_t base = 0; base < RAM_PAGES * GRANULE_SIZE;) {
		struct rmi_ret ret = realm_rtt_op(&part, RMI_RTT_INIT_RIPAS, r->rd, base,
						  RAM_PAGES * GRANULE_SIZE, 0, 0, base);
		if (ret.status != RMI_SUCCESS || ret.x1 <= base)
			sim_fail("RTT_INIT_RIPAS of the fuzzed partition failed");
		base = ret.x1;
	}
	for (unsigned int i = 0; i < RAM_PAGES; i++) {
		uint64_t pa = sim_pa(RAM_IDX + i);
		rmi(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL);
		if (rmi(RMI_DATA_CREATE_UNKNOWN, r->rd, pa, i * GRANULE_SIZE, 0, 0, NULL) != RMI_SUCCESS)
			sim_fail("DATA_CREATE_UNKNOWN of the fuzzed partition failed");
	}
	rmi(RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0, out);
	for (unsigned int v = 0; v < NR_VCPUS; v++) {
		struct vcpu *vc = &part.vcpus[v];
		struct rmi_rec_params *rp = sim_ptr(params);
		uint64_t rec = meta();
		memset(rp, 0, sizeof(*rp));
		rp->flags = v == 0 ? RMI_REC_FLAGS_RUNNABLE : 0;
		rp->mpidr = v;
		rp->num_aux = out[1];
		for (unsigned int i = 0; i < out[1] && i < RMI_REC_MAX_AUX; i++)
			rp->aux[i] = meta();
		if (rmi(RMI_REC_CREATE, r->rd, rec, params, 0, 0, NULL) != RMI_SUCCESS)
			sim_fail("REC_CREATE of the fuzzed partition failed");
		*vc = (struct vcpu){ .part = &part, .id = v, .pcpu = v, .rec = rec };
		vc->run = sim_ptr(sim_pa(HOST_IDX + v));
		r->rec[v] = rec;
		vgic_realm_vcpu_reset(vc);
	}
	if (rmi(RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, NULL) != RMI_SUCCESS)
		sim_fail("REALM_ACTIVATE of the fuzzed partition failed");
	part.vcpus[0].state = VCPU_RUNNING;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once) {
		once = 1;
		rmi_fuzz_init();
		atexit(host_summary);
	}
	host_inputs++;
	rmi_fuzz_begin(data, size);
	build();
	for (unsigned int n = 0; n < MAX_RUNS_PER_INPUT && !fin.done; n++) {
		struct vcpu *v = &part.vcpus[in_below(NR_VCPUS)];
		/*
		 * A vCPU its CPU would run: RUNNING, or ON_PENDING after a CPU_ON; now and then one
		 * the host runs anyway (a restart, or a host that is wrong about it).
		 */
		if (v->state == VCPU_ON_PENDING || in_chance(4))
			v->state = VCPU_RUNNING;
		/* Every vCPU stopped: the partition restarts, on a new realm (a fresh pool here). */
		if (!runnable()) {
			sim_reset();
			rmm_check_all();
			build();
			restarts++;
		}
		if (v->state != VCPU_RUNNING)
			continue;
		long why = realm_vcpu_run(&part, v);
		host_runs++;
		if (why <= 0 || why >= (long)LEAVE_KINDS)
			sim_fail("realm_vcpu_run returned %ld", why);
		leaves[why]++;
		/* What the vCPU's CPU does next (core/vcpu.c, pcpu.c): a fault or CPU_OFF stops it. */
		if (why == VCPU_LEAVE_FAULT || why == VCPU_LEAVE_OFF)
			v->state = why == VCPU_LEAVE_OFF ? VCPU_OFF : VCPU_STOPPED;
	}
	return 0;
}
