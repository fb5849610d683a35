/*
 * Virtual GICv3 distributor and redistributors of one partition: a register
 * model and an index over it (no hardware access). The hypervisor forwards
 * the guest's accesses to the GICD page and to the GICR region (vgic.c),
 * raises interrupts with vgic_set_pending()/vgic_sgi(), and keeps each
 * vCPU's list registers in step with the model (vgic_lr.c).
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
 * List registers (vgic_state.c): an interrupt a vCPU has in a list register
 * is "listed"; its pending and active state is then the list register's,
 * as last read back, plus what the model did to it since (kept as changes
 * the vCPU applies at its next synchronisation). Register reads show that
 * state, so a guest sees what its list registers hold.
 *
 * The index: per vCPU, which SPI words hold interrupts routed to it that are
 * ready (pending, enabled, not active, not listed), updated whenever state
 * changes; finding the next interrupt to list costs the words that have one,
 * not GIC_NR_SPIS. `notify` says which vCPUs have news for their list
 * registers.
 *
 * No locks: the caller serialises all calls on one struct vgic.
 */
#ifndef CORE_VGIC_H
#define CORE_VGIC_H
#include <stddef.h>
#include <stdint.h>
#include <rampart/partition.h>

#define VGIC_MAX_VCPUS RAMPART_VGIC_MAX_VCPUS
#define VGIC_MAX_SPIS RAMPART_VGIC_MAX_SPIS
#define VGIC_SPI_WORDS ((VGIC_MAX_SPIS + 31) / 32)
#define VGIC_NR_SGIS 16U
#define VGIC_NR_PRIVATE 32U /* SGIs and PPIs: INTIDs 0..31, per vCPU */
#define VGIC_SPI_BASE 32U   /* INTID of SPI 0 */
#define VGIC_DIST_SIZE RAMPART_GUEST_GICD_SIZE
#define VGIC_REDIST_STRIDE RAMPART_GUEST_GICR_STRIDE /* per vCPU: RD_base, then SGI_base */
#define VGIC_PPI_MAINTENANCE 25U /* the GIC's maintenance interrupt (physical, the hypervisor's) */
#define VGIC_PPI_VTIMER 27U	 /* EL1 virtual timer */
#define VGIC_PPI_PTIMER 30U	 /* EL1 physical timer */

/* A list register's State field (ICH_LR_EL2[63:62]). */
#define VGIC_LR_PENDING 1U
#define VGIC_LR_ACTIVE 2U

_Static_assert(VGIC_MAX_VCPUS <= 32, "vCPU masks are 32 bits");
_Static_assert(VGIC_SPI_WORDS <= 32, "spi_ready is 32 bits");

/* State of 32 interrupts, one bit each. */
struct vgic_bank {
	uint32_t enabled;
	uint32_t pending; /* latched, not listed */
	uint32_t active;  /* not listed */
	uint32_t edge;	  /* 1 = edge-triggered, 0 = level-sensitive */
	uint32_t listed;  /* in a list register: its state is lr_pend/lr_act */
	uint32_t lr_pend; /* listed: pending, as the list register last showed it, with changes since */
	uint32_t lr_act;
	/* Changes to listed interrupts their vCPU has yet to make in its list register. */
	uint32_t set_pend, clr_pend, set_act, clr_act;
};

struct vgic_cpu {
	struct vgic_bank priv; /* INTIDs 0..31 */
	uint8_t prio[VGIC_NR_PRIVATE];
	uint32_t waker;			 /* GICR_WAKER.ProcessorSleep */
	uint32_t spi_ready;		 /* bit w: SPI word w has interrupts ready for this vCPU */
	uint32_t routed[VGIC_SPI_WORDS]; /* SPIs whose IROUTER names this vCPU (SPI n: word n / 32) */
};

struct vgic {
	unsigned int nr_vcpus;
	unsigned int nr_spis;
	uint32_t ctlr;	 /* GICD_CTLR.EnableGrp1 (the stored bit) */
	uint32_t typer;	 /* GICD_TYPER: fixed by vgic_init() */
	uint32_t notify; /* bit i: vCPU i has news for its list registers since it last looked */
	uint32_t kicks;	 /* bits of notify set since vgic_take_kicks() */
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	struct vgic_bank spi[VGIC_SPI_WORDS]; /* SPI n: bank n / 32, bit n % 32 */
	uint8_t spi_prio[VGIC_MAX_SPIS];
	uint8_t spi_owner[VGIC_MAX_SPIS]; /* the vCPU whose list register holds a listed SPI */
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
/* Whether it is pending, as the guest would read it (listed: as its list register has it). */
int vgic_is_pending(const struct vgic *v, unsigned int vcpu, unsigned int intid);
/* Whether it is in a list register (of vcpu, or for an SPI of any vCPU). */
int vgic_is_listed(const struct vgic *v, unsigned int vcpu, unsigned int intid);

/*
 * A guest write of ICC_SGI1R_EL1 by from_vcpu: makes the SGI pending on
 * every target vCPU and returns the targets in *target_mask (bit i = vCPU i;
 * target_mask may be NULL). With IRM = 0, the targets are TargetList bits of
 * existing vCPUs when Aff1, Aff2, Aff3 and RS are 0 (else none); with
 * IRM = 1, every vCPU but from_vcpu. Returns 0, or -1 if from_vcpu does not
 * exist.
 */
int vgic_sgi(struct vgic *v, unsigned int from_vcpu, uint64_t icc_sgi1r, uint32_t *target_mask);

/*
 * The interrupt to list for vcpu next: the pending, enabled, not active and
 * not listed one with the highest priority (lowest value; ties: lowest
 * INTID) among its SGIs/PPIs and the SPIs routed to it, if the distributor
 * has Group 1 enabled. Returns 0 with *intid and *prio set, or -1 if there
 * is none. Costs the words of the index that hold a candidate.
 */
int vgic_next_pending(const struct vgic *v, unsigned int vcpu, uint32_t *intid, uint8_t *prio);

/*
 * vCPUs whose notify bit was set since the last call (the caller kicks them
 * out of their guests after unlocking); clears the record.
 */
static inline uint32_t vgic_take_kicks(struct vgic *v)
{
	uint32_t k = v->kicks;

	v->kicks = 0;
	return k;
}

/* vCPU vcpu looks at its news now: clears its notify bit. */
static inline void vgic_clear_notify(struct vgic *v, unsigned int vcpu)
{
	v->notify &= ~(1U << vcpu);
	v->kicks &= ~(1U << vcpu);
}

/* The vCPUs in cpus have news; those that had none yet are to be kicked. */
static inline void vgic_notify(struct vgic *v, uint32_t cpus)
{
	v->kicks |= cpus & ~v->notify;
	v->notify |= cpus;
}

/* For vgic_lr.h: the model's side of a list register. */
/* A listed interrupt leaves its list register with state (a more urgent one takes it). */
void vgic_unlist(struct vgic *v, unsigned int vcpu, uint32_t intid, unsigned int state);

/*
 * Inline: what a physical interrupt's exit needs (irq.c through
 * vgic_lr.h), without a call into the model for the common case.
 */
#define VGIC_CTLR_ENABLE_GRP1 (1U << 1)

static inline uint32_t vgic_ready_bits(const struct vgic_bank *b)
{
	return b->pending & b->enabled & ~b->active & ~b->listed;
}

/* After word `word` of vcpu's view changed from `before` ready bits: the index and the news. */
void vgic_ready_changed(struct vgic *v, unsigned int vcpu, unsigned int word, uint32_t before);

/* The word (0: private) and bit of intid for vcpu (SPIs: vcpu ignored); 0 if it does not exist. */
static inline int vgic_where(const struct vgic *v, unsigned int vcpu, unsigned int intid, unsigned int *word,
			     uint32_t *bit)
{
	if (intid < VGIC_NR_PRIVATE) {
		if (vcpu >= v->nr_vcpus)
			return 0;
		*bit = 1U << intid;
		*word = 0;
		return 1;
	}
	unsigned int spi = intid - VGIC_SPI_BASE;
	if (spi >= v->nr_spis)
		return 0;
	*bit = 1U << (spi % 32);
	*word = 1 + spi / 32;
	return 1;
}

/*
 * The bank holding intid for vcpu, and its word and bit; NULL if it does not exist. Two
 * versions, so that a reader's const view of the vGIC never yields a bank it could write.
 */
static inline struct vgic_bank *vgic_locate(struct vgic *v, unsigned int vcpu, unsigned int intid,
					    unsigned int *word, uint32_t *bit)
{
	if (!vgic_where(v, vcpu, intid, word, bit))
		return NULL;
	return *word ? &v->spi[*word - 1] : &v->cpu[vcpu].priv;
}

static inline const struct vgic_bank *vgic_locate_const(const struct vgic *v, unsigned int vcpu,
							unsigned int intid, unsigned int *word, uint32_t *bit)
{
	if (!vgic_where(v, vcpu, intid, word, bit))
		return NULL;
	return *word ? &v->spi[*word - 1] : &v->cpu[vcpu].priv;
}

/* Whether vcpu has an interrupt vgic_next_pending() would return (inline: cheaper than asking it). */
static inline int vgic_has_ready(const struct vgic *v, unsigned int vcpu)
{
	const struct vgic_cpu *c = &v->cpu[vcpu];

	return (v->ctlr & VGIC_CTLR_ENABLE_GRP1) && (vgic_ready_bits(&c->priv) || c->spi_ready);
}

/* intid (from vgic_next_pending) goes into a list register of vcpu as pending. */
static inline void vgic_list(struct vgic *v, unsigned int vcpu, uint32_t intid)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b)
		return;
	uint32_t before = vgic_ready_bits(b);
	b->pending &= ~bit;
	b->listed |= bit;
	b->lr_pend |= bit;
	b->lr_act &= ~bit;
	b->set_pend &= ~bit;
	b->clr_pend &= ~bit;
	b->set_act &= ~bit;
	b->clr_act &= ~bit;
	/* A private interrupt only leaves the ready set; an SPI's word may leave the summary. */
	if (word) {
		v->spi_owner[intid - VGIC_SPI_BASE] = (uint8_t)vcpu;
		vgic_ready_changed(v, vcpu, word, before);
	}
}

/* state with the model's changes to listed interrupt `bit` applied; the changes are consumed. */
static inline unsigned int vgic_apply_changes(struct vgic_bank *b, uint32_t bit, unsigned int state)
{
	if (b->clr_pend & bit)
		state &= ~VGIC_LR_PENDING;
	if (b->set_pend & bit)
		state |= VGIC_LR_PENDING;
	if (b->clr_act & bit)
		state &= ~VGIC_LR_ACTIVE;
	if (b->set_act & bit)
		state |= VGIC_LR_ACTIVE;
	b->set_pend &= ~bit;
	b->clr_pend &= ~bit;
	b->set_act &= ~bit;
	b->clr_act &= ~bit;
	return state;
}

/*
 * A listed interrupt's list register shows state (VGIC_LR_*): applies the
 * model's changes since, records and returns the state the register must
 * now hold. 0: the interrupt is done and no longer listed (never latched
 * while listed, see vgic_lr_done(): it is not ready now either).
 */
static inline unsigned int vgic_lr_update(struct vgic *v, unsigned int vcpu, uint32_t intid,
					  unsigned int state)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b || !(b->listed & bit))
		return 0;
	if ((b->set_pend | b->clr_pend | b->set_act | b->clr_act) & bit)
		state = vgic_apply_changes(b, bit, state);
	b->lr_pend = (state & VGIC_LR_PENDING) ? b->lr_pend | bit : b->lr_pend & ~bit;
	b->lr_act = (state & VGIC_LR_ACTIVE) ? b->lr_act | bit : b->lr_act & ~bit;
	if (!state)
		b->listed &= ~bit;
	return state;
}

/*
 * intid, which was idle (not pending, active or listed), arrives for vcpu
 * and is ready: it goes straight into a list register as pending, *prio is
 * its priority. Returns 0, or -1 (nothing changed) if it cannot be listed
 * at once: the caller latches it with vgic_set_pending() instead.
 */
static inline int vgic_arrive(struct vgic *v, unsigned int vcpu, uint32_t intid, uint8_t *prio)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b || !(v->ctlr & VGIC_CTLR_ENABLE_GRP1) || !(b->enabled & bit) ||
	    ((b->pending | b->active | b->listed) & bit))
		return -1;
	if (word) {
		unsigned int spi = intid - VGIC_SPI_BASE;
		if (!(v->cpu[vcpu].routed[spi / 32] & bit))
			return -1;
		v->spi_owner[spi] = (uint8_t)vcpu;
		*prio = v->spi_prio[spi];
	} else {
		*prio = v->cpu[vcpu].prio[intid];
	}
	/* Not pending before, so not ready: the index does not change. */
	b->listed |= bit;
	b->lr_pend |= bit;
	return 0;
}

/*
 * intid, listed but done with (its list register reads as empty, no change
 * waits for it), arrives again for vcpu: it takes the same register, pending.
 * Returns 0 with *prio set, or -1 (nothing changed) if it is not ready.
 */
static inline int vgic_rearrive(struct vgic *v, unsigned int vcpu, uint32_t intid, uint8_t *prio)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b || !(v->ctlr & VGIC_CTLR_ENABLE_GRP1) || !(b->enabled & bit) || (b->active & bit))
		return -1;
	if (word) {
		unsigned int spi = intid - VGIC_SPI_BASE;
		if (!(v->cpu[vcpu].routed[spi / 32] & bit))
			return -1;
		*prio = v->spi_prio[spi];
	} else {
		*prio = v->cpu[vcpu].prio[intid];
	}
	b->lr_pend |= bit;
	b->lr_act &= ~bit;
	return 0;
}

/*
 * vgic_lr_update() with state 0 when no change waits for intid (its vCPU has
 * no news). A listed interrupt is never latched pending in the model (what
 * makes it pending again is a change its list register takes), so leaving
 * the register does not make it ready: the index stays as it is.
 */
static inline void vgic_lr_done(struct vgic *v, unsigned int vcpu, uint32_t intid)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b)
		return;
	b->listed &= ~bit;
	b->lr_pend &= ~bit;
	b->lr_act &= ~bit;
}
#endif
