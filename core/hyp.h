/* Hypervisor-internal interfaces. */
#ifndef CORE_HYP_H
#define CORE_HYP_H
#include <stdint.h>
#include <arch/smc.h>
#include <lib/printf.h>
#include <rampart/smccc.h>
#include "hyp_asm.h"

#define HLOG(...) printk("hyp: " __VA_ARGS__)

extern uint64_t hyp_entry_count;
extern char secondary_entry[];

void __attribute__((noreturn)) hyp_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int hyp_this_cpu(void);
void hyp_mmu_setup(void);
void hyp_mmu_enable(void);

/*
 * Fault probe: run a load that may take a Granule Protection Fault. The
 * handler records the fault and skips the load instead of panicking.
 */
struct fault_record {
	uint64_t esr;
	uint64_t far;
	int taken;
};
uint64_t probe_read64(uint64_t va, struct fault_record *rec);

/* partition_build.c */
unsigned int partitions_build(void);

static inline uint64_t smc_cpu_on(uint64_t cpu, uint64_t entry, uint64_t ctx)
{
	struct smc_args a = { { PSCI_CPU_ON_64, cpu, entry, ctx, 0, 0, 0, 0 } };
	smc_call(&a);
	return a.x[0];
}

/* selftest.c */
int hyp_selftest(void);
void hyp_selftest_secondary(unsigned int cpu);
#endif
