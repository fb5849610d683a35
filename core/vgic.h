/*
 * Virtual GICv3 distributor and redistributors of one partition: a register
 * model only (no hardware access, no list registers). The hypervisor
 * forwards the guest's accesses to the GICD page and to the GICR region,
 * raises interrupts with vgic_set_pending()/vgic_sgi() and asks
 * vgic_next_pending() what to put in a list register.
 *
 * Model (Linux runs it with GICD_CTLR.DS = 1 semantics, one security state):
 * - every interrupt is Group 1 (IGROUPR RAO/WI, IGRPMODR RAZ/WI);
 * - affinity routing is always on (GICD_CTLR.ARE RAO/WI), so the
 *   distributor's banked SGI/PPI registers (index 0) are RAZ/WI and SGIs and
 *   PPIs are programmed through each vCPU's redistributor;
 * - vCPU i has affinity 0.0.0.i; an SPI is delivered to the vCPU whose index
 *   is in IROUTER.Aff0 with Aff1..Aff3 = 0 (IRM = 1, 1-of-N, is not
 *   supported: GICD_TYPER.No1N = 1, IRM RAZ/WI);
 * - pending is a latch (set by vgic_set_pending, ISPENDR or SGI generation,
 *   cleared by vgic_clear_pending or ICPENDR);
 * - no LPIs, no ITS, no MBIS, no extended SPI/PPI ranges.
 *
 * No locks: the caller serialises all calls on one struct vgic.
 */
#ifndef CORE_VGIC_H
#define CORE_VGIC_H
#include <stdint.h>
#include <rampart/partition.h>

#define VGIC_MAX_VCPUS RAMPART_VGIC_MAX_VCPUS
#define VGIC_MAX_SPIS RAMPART_VGIC_MAX_SPIS
#define VGIC_NR_SGIS 16U
#define VGIC_NR_PRIVATE 32U /* SGIs and PPIs: INTIDs 0..31, per vCPU */
#define VGIC_SPI_BASE 32U   /* INTID of SPI 0 */
#define VGIC_DIST_SIZE RAMPART_GUEST_GICD_SIZE
#define VGIC_REDIST_STRIDE RAMPART_GUEST_GICR_STRIDE /* per vCPU: RD_base, then SGI_base */
#define VGIC_PPI_MAINTENANCE 25U /* the GIC's maintenance interrupt (physical, the hypervisor's) */
#define VGIC_PPI_VTIMER 27U	 /* EL1 virtual timer */
#define VGIC_PPI_PTIMER 30U	 /* EL1 physical timer */

/* State of 32 interrupts, one bit each. */
struct vgic_bank {
	uint32_t enabled;
	uint32_t pending;
	uint32_t active;
	uint32_t edge; /* 1 = edge-triggered, 0 = level-sensitive */
};

struct vgic_cpu {
	struct vgic_bank priv; /* INTIDs 0..31 */
	uint8_t prio[VGIC_NR_PRIVATE];
	uint32_t waker; /* GICR_WAKER.ProcessorSleep */
};

struct vgic {
	unsigned int nr_vcpus;
	unsigned int nr_spis;
	uint32_t ctlr; /* GICD_CTLR.EnableGrp1 (the stored bit) */
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	struct vgic_bank spi[VGIC_MAX_SPIS / 32]; /* SPI n: bank n / 32, bit n % 32 */
	uint8_t spi_prio[VGIC_MAX_SPIS];
	uint64_t irouter[VGIC_MAX_SPIS];
};

/*
 * Reset state: everything disabled, not pending, not active, priority 0,
 * SPIs and PPIs level-sensitive (SGIs always edge), SPIs routed to vCPU 0,
 * distributor disabled, every redistributor asleep (WAKER.ProcessorSleep).
 * Returns 0, or -1 (with no vCPU and no SPI) if nr_vcpus is 0 or above
 * VGIC_MAX_VCPUS or nr_spis is above VGIC_MAX_SPIS.
 */
int vgic_init(struct vgic *v, unsigned int nr_vcpus, unsigned int nr_spis);

/*
 * Register accesses: off from the GICD base (VGIC_DIST_SIZE bytes), or from
 * the first redistributor frame (nr_vcpus frames of VGIC_REDIST_STRIDE).
 * size in bytes; *val is the value to write or receives the value read.
 * Returns 0, or -1 for an access the device does not have (unknown offset,
 * bad size or alignment, beyond the region): state and *val are unchanged.
 */
int vgic_dist_access(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val);
int vgic_redist_access(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val);

/*
 * Latch / clear the pending state of an interrupt: an SGI or PPI of vCPU
 * vcpu, or an SPI (vcpu is then ignored). Out-of-range arguments are ignored.
 */
void vgic_set_pending(struct vgic *v, unsigned int vcpu, unsigned int intid);
void vgic_clear_pending(struct vgic *v, unsigned int vcpu, unsigned int intid);

/*
 * A guest write of ICC_SGI1R_EL1 by from_vcpu: makes the SGI pending on
 * every target vCPU and returns the targets in *target_mask (bit i = vCPU i;
 * target_mask may be NULL) so that the caller can kick them. With IRM = 0,
 * the targets are TargetList bits of existing vCPUs when Aff1, Aff2, Aff3
 * and RS are 0 (else none); with IRM = 1, every vCPU but from_vcpu.
 * Returns 0, or -1 if from_vcpu does not exist.
 */
int vgic_sgi(struct vgic *v, unsigned int from_vcpu, uint64_t icc_sgi1r, uint32_t *target_mask);

/*
 * The interrupt to present to vcpu next: the pending, enabled and not active
 * one with the highest priority (lowest value; ties: lowest INTID) among
 * its SGIs/PPIs and the SPIs routed to it, if the distributor has Group 1
 * enabled. Returns 0 with *intid and *prio set, or -1 if there is none.
 */
int vgic_next_pending(struct vgic *v, unsigned int vcpu, uint32_t *intid, uint8_t *prio);
#endif
