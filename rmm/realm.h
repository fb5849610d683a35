/*
 * Realm Descriptor (the RD granule's contents) and the helpers the RMI
 * commands share. The RD lives in its own DELEGATED-then-RD granule, read
 * and written only with that granule locked (struct s2_ctx is immutable
 * after REALM_CREATE, so a command may copy it and release the RD lock).
 */
#ifndef RMM_REALM_H
#define RMM_REALM_H
#include <stdint.h>
#include "granule.h"
#include "s2tt.h"

enum realm_state {
	REALM_NEW = 0,
	REALM_ACTIVE,
	REALM_SYSTEM_OFF,
};

#define RIM_SIZE 64
#define RPV_SIZE 64
#define REM_COUNT 4

struct rd {
	uint32_t state;	    /* enum realm_state */
	uint32_t hash_algo; /* RMI_HASH_SHA_256 / RMI_HASH_SHA_512, fixed at REALM_CREATE */
	struct s2_ctx s2;
	uint64_t rec_count; /* RECs created so far: the index the next one must have */
	uint32_t num_rec_aux;
	uint32_t num_bps;
	uint32_t num_wps;
	uint32_t res0;
	uint8_t rpv[RPV_SIZE];
	/* Realm Initial Measurement (measure.c), frozen by REALM_ACTIVATE. */
	uint8_t rim[RIM_SIZE];
	/* Realm Extensible Measurements 1..4 (RSI_MEASUREMENT_EXTEND), zero at creation. */
	uint8_t rem[REM_COUNT][RIM_SIZE];
};
_Static_assert(sizeof(struct rd) <= GRANULE_SIZE, "the RD fits its granule");

/* Lock the granule at rd_pa in state RD and map it; NULL if it is not an RD. */
struct granule *rd_lock(uint64_t rd_pa, struct rd **rd);

/* RMI handlers: regs[1..] in, regs[0] = status, regs[1..4] outputs. */
void rmi_realm_create(uint64_t regs[8]);
void rmi_realm_activate(uint64_t regs[8]);
void rmi_realm_destroy(uint64_t regs[8]);
void rmi_rec_create(uint64_t regs[8]);
void rmi_rec_destroy(uint64_t regs[8]);
void rmi_rec_aux_count(uint64_t regs[8]);
void rmi_psci_complete(uint64_t regs[8]);
void rmi_rec_enter(uint64_t regs[8]);
void rmi_rtt_create(uint64_t regs[8]);
void rmi_rtt_destroy(uint64_t regs[8]);
void rmi_rtt_fold(uint64_t regs[8]);
void rmi_rtt_read_entry(uint64_t regs[8]);
void rmi_rtt_map_unprotected(uint64_t regs[8]);
void rmi_rtt_unmap_unprotected(uint64_t regs[8]);
void rmi_rtt_init_ripas(uint64_t regs[8]);
void rmi_rtt_set_ripas(uint64_t regs[8]);
void rmi_data_create(uint64_t regs[8]);
void rmi_data_create_unknown(uint64_t regs[8]);
void rmi_data_destroy(uint64_t regs[8]);
#endif
