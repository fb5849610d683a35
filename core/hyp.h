/* Hypervisor-internal interfaces. */
#ifndef CORE_HYP_H
#define CORE_HYP_H
#include <stdint.h>
#include <lib/printf.h>

#define HLOG(...) printk("hyp: " __VA_ARGS__)

extern uint64_t hyp_entry_count;

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

/* selftest.c */
int hyp_selftest(void);
void hyp_selftest_secondary(unsigned int cpu);
#endif
