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

/* The RMM-EL3 shared buffer (boot manifest at cold boot, then attestation): the carve-out's last page. */
#define RMM_EL3_SHARED_BUF_SIZE 0x1000UL
#define RMM_EL3_SHARED_BUF (CONFIG_RMM_BASE + CONFIG_RMM_SIZE - RMM_EL3_SHARED_BUF_SIZE)

/* log2 of the RECs a realm may have (RMI_FEATURES MAX_RECS_ORDER). */
#define RMM_MAX_RECS_ORDER 10

/* Decoded RMI_FEATURES register 0, computed once at cold boot. */
extern uint64_t rmm_feature_reg0;

uint64_t rmm_cold_boot(uint64_t cpu, uint64_t version, uint64_t ncpus, uint64_t shared, uint64_t token);
uint64_t rmm_warm_boot(uint64_t cpu);
void rmi_dispatch(uint64_t regs[8]);
uint64_t rmm_compute_features(void);

/*
 * el3_ifc.c: the RMM-EL3 attestation calls (reference §5.2), buffers in the
 * shared buffer; each returns the monitor's E_RMM_* status. rmm/attest.c is
 * their user and serialises them (one shared buffer).
 */
long rmm_el3_get_realm_key(uint64_t buf_pa, uint64_t size, uint64_t curve, uint64_t *key_size);
long rmm_el3_get_plat_token(uint64_t buf_pa, uint64_t size, uint64_t challenge_size, uint64_t *hunk,
			    uint64_t *remaining);

/* mmu.c */
int rmm_mmu_setup(const uint64_t (*banks)[2], unsigned int n);
/* The carve-out's parts (linker symbols), each page aligned; stacks: RMM_STACK_STRIDE per CPU. */
struct rmm_image_layout {
	uint64_t start, text_end, ro_end, stacks, stacks_end, end;
};
struct mmu_tables;
int rmm_mmu_map_image(struct mmu_tables *t, const struct rmm_image_layout *l);
void rmm_mmu_enable(void);
#endif
