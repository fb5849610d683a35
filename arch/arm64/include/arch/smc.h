/* Issue an SMC with x0..x7 from args and return x0..x7 in args (arch/arm64/smc.S). */
#ifndef ARCH_SMC_H
#define ARCH_SMC_H
#include <stdint.h>

struct smc_args {
	uint64_t x[8];
};

void smc_call(struct smc_args *args);

static inline uint64_t smc1(uint64_t fid, uint64_t a1)
{
	struct smc_args a = { { fid, a1, 0, 0, 0, 0, 0, 0 } };
	smc_call(&a);
	return a.x[0];
}
#endif
