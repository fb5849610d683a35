/*
 * Boot self-checks of the RMI path, run until partitions exist: versions,
 * CPUs through PSCI, delegation from every CPU at once, the Granule
 * Protection Fault on an NS access to a delegated granule, scrubbing, and
 * the rejected inputs. Each check prints on failure; a summary line ends it.
 */
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <rampart/smccc.h>
#include "hyp.h"

#define POOL_BASE (CONFIG_HYP_BASE + CONFIG_HYP_SIZE)
#define GRANULE 0x1000UL
#define PER_CPU_GRANULES 8
#define STRESS_ROUNDS 16
#define RACE_PA (POOL_BASE + 0x100000UL)
#define GPF_PA (POOL_BASE + 0x200000UL)
#define ONLINE_TIMEOUT_S 10
#define PATTERN 0xa5a5a5a5a5a5a5a5UL

static uint32_t failures, checks, online_mask, done_count, race_go, race_wins, delegations, refused;
static uint32_t rmi_ok;		  /* set by CPU 0 before any secondary starts */
static uint32_t started_mask = 1; /* CPUs PSCI accepted to start, and CPU 0 */

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		__atomic_add_fetch(&checks, 1, __ATOMIC_RELAXED);           \
		if (!(cond)) {                                              \
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED); \
			HLOG("check failed: " __VA_ARGS__);                 \
		}                                                           \
	} while (0)

static struct smc_args call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smc_args a = { { fid, a1, a2, a3, 0, 0, 0, 0 } };
	smc_call(&a);
	return a;
}

static int wait_until(uint32_t *v, uint32_t want, unsigned int seconds)
{
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) * seconds;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) != want) {
		if (read_cntpct() > end)
			return -1;
	}
	return 0;
}

static void race_delegate(void)
{
	if (wait_until(&race_go, 1, ONLINE_TIMEOUT_S))
		return;
	if (call(RMI_GRANULE_DELEGATE, RACE_PA, 0, 0).x[0] == RMI_SUCCESS)
		__atomic_add_fetch(&race_wins, 1, __ATOMIC_RELAXED);
}

void hyp_selftest_secondary(unsigned int cpu)
{
	__atomic_or_fetch(&online_mask, 1U << cpu, __ATOMIC_RELEASE);
	if (!__atomic_load_n(&rmi_ok, __ATOMIC_ACQUIRE)) {
		__atomic_add_fetch(&done_count, 1, __ATOMIC_RELEASE);
		return;
	}
	for (unsigned int r = 0; r < STRESS_ROUNDS; r++) {
		for (unsigned int k = 0; k < PER_CPU_GRANULES; k++) {
			uint64_t pa = POOL_BASE + (cpu * PER_CPU_GRANULES + k) * GRANULE;
			uint64_t rc = call(RMI_GRANULE_DELEGATE, pa, 0, 0).x[0];
			CHECK(rc == RMI_SUCCESS, "cpu %u delegate 0x%lx\n", cpu, pa);
			if (rc == RMI_SUCCESS)
				__atomic_add_fetch(&delegations, 1, __ATOMIC_RELAXED);
		}
		for (unsigned int k = 0; k < PER_CPU_GRANULES; k++) {
			uint64_t pa = POOL_BASE + (cpu * PER_CPU_GRANULES + k) * GRANULE;
			CHECK(call(RMI_GRANULE_UNDELEGATE, pa, 0, 0).x[0] == RMI_SUCCESS,
			      "cpu %u undelegate 0x%lx\n", cpu, pa);
		}
	}
	race_delegate();
	__atomic_add_fetch(&done_count, 1, __ATOMIC_RELEASE);
}

static int check_versions(void)
{
	struct smc_args r = call(SMCCC_VERSION, 0, 0, 0);
	uint64_t psci = call(PSCI_VERSION, 0, 0, 0).x[0];

	HLOG("SMCCC version 0x%lx, PSCI version 0x%lx\n", r.x[0], psci);
	CHECK(r.x[0] == SMCCC_VERSION_1_2 && psci == PSCI_VERSION_1_1, "SMCCC/PSCI versions\n");

	r = call(RMI_VERSION, RMI_ABI_VERSION, 0, 0);
	if (r.x[0] == (uint64_t)SMC_UNKNOWN) {
		HLOG("RMI unavailable: the RMM did not boot\n");
		CHECK(0, "RMI_VERSION answered SMC_UNKNOWN\n");
		return -1;
	}
	HLOG("RMI version %lu.%lu (RMM implements 0x%lx..0x%lx)\n", r.x[1] >> 16, r.x[1] & 0xffff, r.x[1],
	     r.x[2]);
	CHECK(r.x[0] == RMI_SUCCESS && r.x[1] == RMI_ABI_VERSION && r.x[2] == RMI_ABI_VERSION,
	      "RMI_VERSION(1.0) -> 0x%lx 0x%lx 0x%lx\n", r.x[0], r.x[1], r.x[2]);
	r = call(RMI_VERSION, 0x20000, 0, 0);
	CHECK(r.x[0] == RMI_ERROR_INPUT && r.x[1] == RMI_ABI_VERSION, "RMI_VERSION(2.0) must be refused\n");
	r = call(RMI_FEATURES, 0, 0, 0);
	HLOG("RMI features[0] 0x%lx\n", r.x[1]);
	CHECK(r.x[0] == RMI_SUCCESS && (r.x[1] & 0xff) >= 32, "RMI_FEATURES(0)\n");
	CHECK(call(RMI_FEATURES, 1, 0, 0).x[1] == 0, "RMI_FEATURES(1) must be 0\n");
	return 0;
}

static unsigned int count_cpus(uint32_t mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

/* CPUs the machine lacks are refused by PSCI (INVALID_PARAMS) and skipped. */
static void check_cpus_on(void)
{
	__atomic_or_fetch(&online_mask, 1U, __ATOMIC_RELEASE);
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		uint64_t rc = call(PSCI_CPU_ON_64, cpu, (uintptr_t)secondary_entry, cpu).x[0];
		if (rc == PSCI_SUCCESS)
			started_mask |= 1U << cpu;
		else
			CHECK(rc == (uint64_t)PSCI_INVALID_PARAMS, "CPU_ON(%u) -> %ld\n", cpu, (long)rc);
	}
	CHECK(call(PSCI_CPU_ON_64, 0, (uintptr_t)secondary_entry, 0).x[0] == (uint64_t)PSCI_ALREADY_ON,
	      "CPU_ON(self) must be ALREADY_ON\n");
	CHECK(call(PSCI_CPU_ON_64, CONFIG_NR_CPUS, (uintptr_t)secondary_entry, 0).x[0] ==
		      (uint64_t)PSCI_INVALID_PARAMS,
	      "CPU_ON(no such cpu) must be INVALID_PARAMS\n");
	int rc = wait_until(&online_mask, started_mask, ONLINE_TIMEOUT_S);
	CHECK(rc == 0, "CPUs online mask 0x%x, started 0x%x\n", online_mask, started_mask);
	if (rc == 0)
		HLOG("%u CPUs online\n", count_cpus(started_mask));
}

/* NS access to a delegated granule must fault; the RMM must scrub it. */
static void check_isolation(void)
{
	volatile uint64_t *p = (volatile uint64_t *)GPF_PA;
	struct fault_record rec;

	for (unsigned int i = 0; i < GRANULE / 8; i++)
		p[i] = PATTERN;
	CHECK(call(RMI_GRANULE_DELEGATE, GPF_PA, 0, 0).x[0] == RMI_SUCCESS, "delegate 0x%lx\n", GPF_PA);
	probe_read64(GPF_PA, &rec);
	CHECK(rec.taken && esr_ec(rec.esr) == ESR_EC_DABT_CUR && (rec.esr & ESR_FSC_MASK) == ESR_FSC_GPF,
	      "NS read of a delegated granule did not take a GPF\n");
	if (rec.taken)
		HLOG("granule protection fault on NS read of delegated granule: PA 0x%lx ESR 0x%lx\n",
		     rec.far, rec.esr);
	CHECK(call(RMI_GRANULE_UNDELEGATE, GPF_PA, 0, 0).x[0] == RMI_SUCCESS, "undelegate 0x%lx\n", GPF_PA);
	uint64_t v = probe_read64(GPF_PA, &rec);
	unsigned int nonzero = 0;
	for (unsigned int i = 0; i < GRANULE / 8; i++)
		nonzero += p[i] != 0;
	CHECK(!rec.taken && v == 0 && nonzero == 0, "undelegated granule not scrubbed (%u words)\n", nonzero);
	if (!rec.taken && nonzero == 0)
		HLOG("undelegated granule reads back as zeros\n");
}

static void check_rejects(void)
{
	static const struct {
		const char *what;
		uint64_t fid, pa;
	} cases[] = {
		{ "unaligned", RMI_GRANULE_DELEGATE, POOL_BASE + 8 },
		{ "outside DRAM", RMI_GRANULE_DELEGATE, CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE },
		{ "MMIO", RMI_GRANULE_DELEGATE, CONFIG_UART_NS_BASE },
		{ "secure SRAM", RMI_GRANULE_DELEGATE, CONFIG_SECURE_SRAM_BASE },
		{ "RMM carve-out", RMI_GRANULE_DELEGATE, CONFIG_RMM_BASE },
		{ "hypervisor image", RMI_GRANULE_DELEGATE, CONFIG_HYP_BASE },
		{ "not delegated", RMI_GRANULE_UNDELEGATE, POOL_BASE },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t rc = call(cases[i].fid, cases[i].pa, 0, 0).x[0];
		CHECK(rc == RMI_ERROR_INPUT, "%s (0x%lx) -> %lu, want ERROR_INPUT\n", cases[i].what,
		      cases[i].pa, rc);
		refused += rc == RMI_ERROR_INPUT;
	}
	CHECK(call(RMI_GRANULE_DELEGATE, POOL_BASE, 0, 0).x[0] == RMI_SUCCESS, "delegate\n");
	CHECK(call(RMI_GRANULE_DELEGATE, POOL_BASE, 0, 0).x[0] == RMI_ERROR_INPUT, "already delegated\n");
	CHECK(call(RMI_GRANULE_UNDELEGATE, POOL_BASE, 0, 0).x[0] == RMI_SUCCESS, "undelegate\n");
	CHECK(call(RMI_FID(0x3e), 0, 0, 0).x[0] == (uint64_t)SMC_UNKNOWN, "unused RMI FID\n");
	CHECK(call(0xc2000000U, 0, 0, 0).x[0] == (uint64_t)SMC_UNKNOWN, "unknown SMC\n");
	HLOG("rejected inputs: %u of %u refused with ERROR_INPUT\n", refused,
	     (unsigned int)(sizeof(cases) / sizeof(cases[0])));
}

int hyp_selftest(void)
{
	__atomic_store_n(&rmi_ok, check_versions() == 0, __ATOMIC_RELEASE);
	check_cpus_on();
	if (rmi_ok) {
		check_isolation();
		check_rejects();
	}
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	if (rmi_ok)
		race_delegate();
	uint32_t secondaries = count_cpus(started_mask) - 1;
	int rc = wait_until(&done_count, secondaries, ONLINE_TIMEOUT_S);
	CHECK(rc == 0, "secondaries finished: %u\n", done_count);
	if (rmi_ok) {
		CHECK(race_wins == 1, "concurrent delegate of one granule: %u winners\n", race_wins);
		CHECK(call(RMI_GRANULE_UNDELEGATE, RACE_PA, 0, 0).x[0] == RMI_SUCCESS,
		      "undelegate race granule\n");
		/* Measured, not the expected values: the test compares them. */
		HLOG("RMI from %u CPUs at once: %u delegations, %u race winner(s)\n", secondaries + 1,
		     __atomic_load_n(&delegations, __ATOMIC_RELAXED),
		     __atomic_load_n(&race_wins, __ATOMIC_RELAXED));
	}
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!(started_mask & (1U << cpu)))
			continue;
		uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) * ONLINE_TIMEOUT_S, st;
		while ((st = call(PSCI_AFFINITY_INFO_64, cpu, 0, 0).x[0]) != PSCI_AFF_OFF &&
		       read_cntpct() < end)
			;
		CHECK(st == PSCI_AFF_OFF, "cpu %u did not turn off (%lu)\n", cpu, st);
	}
	HLOG("%u checks, %u failed\n", checks, failures);
	return (int)failures;
}
