/* RMM-internal interfaces. */
#ifndef RMM_RMM_H
#define RMM_RMM_H
#include <stdint.h>
#include <lib/printf.h>

/* Delegable memory is also mapped at this offset with NS = 1 (host-owned view). */
#define RMM_NS_ALIAS_OFFSET 0x4000000000UL

#define RLOG(lvl, ...)                               \
	do {                                         \
		if ((lvl) <= CONFIG_RMM_LOG_LEVEL)   \
			printk("rmm: " __VA_ARGS__); \
	} while (0)

/* log2 of the RECs a realm may have (RMI_FEATURES MAX_RECS_ORDER). */
#define RMM_MAX_RECS_ORDER 10

/* Decoded RMI_FEATURES register 0, computed once at cold boot. */
extern uint64_t rmm_feature_reg0;

uint64_t rmm_cold_boot(uint64_t cpu, uint64_t version, uint64_t ncpus, uint64_t shared, uint64_t token);
uint64_t rmm_warm_boot(uint64_t cpu);
void rmi_dispatch(uint64_t regs[8]);
uint64_t rmm_compute_features(void);

/* mmu.c */
int rmm_mmu_setup(const uint64_t (*banks)[2], unsigned int n);
void rmm_mmu_enable(void);
#endif
