/* Realm VMIDs: a bitmap of the ones in use by live realms, with its own lock. */
#ifndef RMM_VMID_H
#define RMM_VMID_H
#include <stdint.h>

/* VMID width of this CPU (8 or 16), set at cold boot; host tests set it directly. */
extern unsigned int rmm_vmid_bits;

/* Claim vmid for a new realm: 0 if it is below 2^rmm_vmid_bits and was free. */
int vmid_reserve(unsigned int vmid);
void vmid_free(unsigned int vmid);
int vmid_is_reserved(unsigned int vmid);
/* Forget every reservation (cold boot, tests). */
void vmid_reset(void);
#endif
