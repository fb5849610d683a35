/* Issue an SMC with x0..x7 from args and return x0..x7 in args (arch/arm64/smc.S). */
#ifndef ARCH_SMC_H
#define ARCH_SMC_H
#include <stdint.h>

struct smc_args {
	uint64_t x[8];
};

void smc_call(struct smc_args *args);
/* The same with HVC. */
void hvc_call(struct smc_args *args);

#ifdef __aarch64__
/*
 * One-argument SMC returning x0; x1..x7 may come back changed (SMCCC 1.2 results).
 * AArch64 only: host builds of code that includes this header (tests/fuzz) have no x0..x7.
 */
static inline uint64_t smc1(uint64_t fid, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "x4", "x5", "x6", "x7", "memory");
	return x0;
}
#endif
#endif
