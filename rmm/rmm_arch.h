/*
 * What the RMM's portable logic needs from the machine. The target build
 * implements these in el3_ifc.c, mmu.c and arch_s2.c; unit tests provide
 * fakes (tests/unit/fake_rmm_arch.c).
 */
#ifndef RMM_ARCH_H
#define RMM_ARCH_H
#include <stdint.h>

/* RMM_GTSI_DELEGATE / UNDELEGATE: 0 on success, an E_RMM_* code otherwise. */
long rmm_el3_gtsi_delegate(uint64_t pa);
long rmm_el3_gtsi_undelegate(uint64_t pa);
/* Zero a granule through the Realm PAS view. */
void rmm_granule_scrub(uint64_t pa);
void __attribute__((noreturn)) rmm_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* This CPU's index (0 .. CONFIG_NR_CPUS - 1), for per-CPU state. */
unsigned int rmm_cpu_index(void);
/* Called in every spin-wait loop (granule and VMID locks): a YIELD hint on the target. */
void rmm_cpu_relax(void);

/*
 * The RMM's view of a tracked granule at PA pa (granule aligned):
 * granule_map() through the Realm PAS, for granules the RMM holds as
 * DELEGATED or in a realm state; ns_granule_map() through the Non-secure
 * PAS, for granules in state UNDELEGATED, read only with the granule's lock
 * held (so the host cannot delegate it meanwhile: a GPF at R-EL2 is fatal).
 * On the target both are fixed offsets of the identity-mapped DRAM banks
 * (rmm/mmu.c); nothing needs unmapping.
 */
void *granule_map(uint64_t pa);
const void *ns_granule_map(uint64_t pa);

/*
 * Stage-2 TLB maintenance for the realm with VMID vmid (Realm security
 * state, EL1&0 regime), each complete (DSB) on return:
 * s2_tlbi_ipa:  after a stage-2 entry at `level` that translated ipa (a page,
 *               a block, or a table descriptor whose subtree held no valid
 *               leaf) was invalidated or replaced; also drops the combined
 *               stage 1+2 entries of the VMID.
 * s2_tlbi_vmid: everything cached for the VMID (after removing a table whose
 *               subtree held valid leaves, and when a VMID is freed).
 * The caller has already written the new descriptor (break-before-make: the
 * invalid one first, then TLBI, then the new valid one).
 */
void s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, int level);
void s2_tlbi_vmid(unsigned int vmid);
#endif
