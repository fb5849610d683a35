/*
 * The vGIC's registers (vgic.h): offsets, sizes and access rules of the
 * GICv3 distributor and redistributor frames (GICv3 architecture, chapter
 * 12), decoded here and nowhere else. State changes go through
 * vgic_state.c, which keeps the index and the list-register view.
 */
#include <lib/string.h>
#include "vgic.h"
#include "vgic_state.h"

/* Distributor registers (offsets from GICD base). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_IROUTER 0x6000 /* + 8 * INTID, INTIDs 32..1019 */
#define GICD_PIDR2 0xffe8

/* Sizes of the register arrays, for INTIDs 0..1023 (1019 for IPRIORITYR/IROUTER). */
#define BITREG_SIZE 0x80      /* one bit per interrupt */
#define ICFGR_SIZE 0x100      /* two bits per interrupt */
#define IPRIORITYR_SIZE 0x3fc /* one byte per interrupt, INTIDs 0..1019 */
#define INTID_MAX_SPI 1019U

#define CTLR_ARE (1U << 4)
#define CTLR_DS (1U << 6)

#define TYPER_ITLINES_SHIFT 0
#define TYPER_CPUNUMBER_SHIFT 5
#define TYPER_IDBITS_SHIFT 19
#define TYPER_NO1N (1U << 25)
#define VGIC_IDBITS 10U /* INTIDs 0..1023 */

/* Arm as implementer (JEP106 0x43b), product 'R' (Rampart), revision 0. */
#define VGIC_IIDR 0x5200043bU
#define PIDR2_ARCHREV_GICV3 (3U << 4)

#define IROUTER_WRITABLE 0xff00ffffffULL /* Aff3, Aff2, Aff1, Aff0 (IRM is RES0 with No1N) */

/* Redistributor: RD_base frame, then SGI_base frame. */
#define GICR_SGI_BASE 0x10000
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR0 0x0400
#define GICR_IPRIORITYR_SIZE 0x20 /* IPRIORITYR0..7 */
#define GICR_BITREG_SIZE 4	  /* word 0 only */
#define GICR_ICFGR_SIZE 8	  /* ICFGR0 (SGIs), ICFGR1 (PPIs) */
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04
#define GICR_IGRPMODR0 0x0d00

#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_TYPER_PROCNUM_SHIFT 8
#define GICR_TYPER_AFF_SHIFT 32
#define WAKER_PROCESSOR_SLEEP (1U << 1)
#define WAKER_CHILDREN_ASLEEP (1U << 2)

#define ICFGR_SGI_EDGE 0xaaaaaaaaU /* Int_config[1] = 1 for each of the 16 SGIs */
#define ICFGR_EDGE_BIT 1U	   /* of each 2-bit field */

/* ICC_SGI1R_EL1 */
#define SGI1R_TARGETS_MASK 0xffffULL
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_INTID_SHIFT 24
#define SGI1R_INTID_MASK 0xfULL
#define SGI1R_AFF2_SHIFT 32
#define SGI1R_IRM (1ULL << 40)
#define SGI1R_RS_SHIFT 44
#define SGI1R_AFF3_SHIFT 48
#define SGI1R_AFF_MASK 0xffULL
#define SGI1R_RS_MASK 0xfULL

/* SGI_base repeats the distributor's layout for word 0: one decoder serves both. */
_Static_assert(GICR_IGROUPR0 == GICD_IGROUPR && GICR_ISENABLER0 == GICD_ISENABLER &&
		       GICR_ICENABLER0 == GICD_ICENABLER && GICR_ISPENDR0 == GICD_ISPENDR &&
		       GICR_ICPENDR0 == GICD_ICPENDR && GICR_ISACTIVER0 == GICD_ISACTIVER &&
		       GICR_ICACTIVER0 == GICD_ICACTIVER && GICR_IPRIORITYR0 == GICD_IPRIORITYR &&
		       GICR_ICFGR0 == GICD_ICFGR && GICR_ICFGR1 == GICD_ICFGR + 4 &&
		       GICR_IGRPMODR0 == GICD_IGRPMODR,
	       "GICR SGI_base layout");

/* The implemented interrupts of SPI bank b (INTIDs 32 * (b + 1) + 0..31). */
static uint32_t spi_mask(const struct vgic *v, unsigned int b)
{
	if (32 * b >= v->nr_spis)
		return 0;
	if (v->nr_spis - 32 * b >= 32)
		return 0xffffffffU;
	return (1U << (v->nr_spis - 32 * b)) - 1;
}

static uint32_t gicd_typer(const struct vgic *v)
{
	unsigned int cpus = v->nr_vcpus ? v->nr_vcpus - 1 : 0;

	return ((v->nr_spis + 31) / 32) << TYPER_ITLINES_SHIFT | cpus << TYPER_CPUNUMBER_SHIFT |
	       (VGIC_IDBITS - 1) << TYPER_IDBITS_SHIFT | TYPER_NO1N;
}

int vgic_init(struct vgic *v, unsigned int nr_vcpus, unsigned int nr_spis)
{
	memset(v, 0, sizeof(*v));
	if (nr_vcpus == 0 || nr_vcpus > VGIC_MAX_VCPUS || nr_spis > VGIC_MAX_SPIS)
		return -1;
	v->nr_vcpus = nr_vcpus;
	v->nr_spis = nr_spis;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		v->cpu[i].priv.edge = (1U << VGIC_NR_SGIS) - 1;
		v->cpu[i].waker = WAKER_PROCESSOR_SLEEP;
	}
	for (unsigned int w = 0; w < VGIC_SPI_WORDS; w++)
		v->cpu[0].routed[w] = spi_mask(v, w); /* IROUTER 0 */
	v->typer = gicd_typer(v);
	return 0;
}

/*
 * The bank holding INTIDs 32 * word + 0..31 as seen by vcpu (word 0: its
 * private bank), and its implemented bits; NULL if none is implemented.
 */
static struct vgic_bank *bank_of(struct vgic *v, unsigned int vcpu, unsigned int word, uint32_t *mask)
{
	if (word == 0) {
		*mask = 0xffffffffU;
		return &v->cpu[vcpu].priv;
	}
	*mask = spi_mask(v, word - 1);
	return *mask ? &v->spi[word - 1] : NULL;
}

/* One ISx/ICx pair word: set (write 1 to set) or clear (write 1 to clear). */
static void bitreg(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f, int set,
		   int write, uint64_t *val)
{
	uint32_t mask;

	if (!bank_of(v, vcpu, word, &mask)) {
		if (!write)
			*val = 0;
		return;
	}
	uint32_t bits = (uint32_t)*val & mask;
	if (!write)
		*val = vgic_bits_read(v, vcpu, word, f) & mask;
	else if (set && bits)
		vgic_bits_set(v, vcpu, word, f, bits);
	else if (bits)
		vgic_bits_clear(v, vcpu, word, f, bits);
}

/* Priority byte of intid as seen by vcpu; NULL if not implemented. */
static uint8_t *prio_of(struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &v->cpu[vcpu].prio[intid];
	if (intid - VGIC_SPI_BASE < v->nr_spis)
		return &v->spi_prio[intid - VGIC_SPI_BASE];
	return NULL;
}

/* IPRIORITYR bytes for INTIDs first..first+size-1. */
static void prioreg(struct vgic *v, unsigned int vcpu, unsigned int first, unsigned int size, int write,
		    uint64_t *val)
{
	uint64_t r = 0;

	for (unsigned int i = 0; i < size; i++) {
		uint8_t *p = prio_of(v, vcpu, first + i);
		if (!p)
			continue;
		if (write) {
			*p = (uint8_t)(*val >> (8 * i));
			vgic_prio_changed(v, vcpu, first + i);
		} else
			r |= (uint64_t)*p << (8 * i);
	}
	if (!write)
		*val = r;
}

/* ICFGR word n (INTIDs 16n..16n+15): Int_config[1] of each field is the edge bit. */
static void cfgreg(struct vgic *v, unsigned int vcpu, unsigned int n, int write, uint64_t *val)
{
	uint32_t mask;
	struct vgic_bank *b = bank_of(v, vcpu, n / 2, &mask);
	unsigned int shift = (n % 2) * 16;
	uint32_t r = 0;

	if (!b) {
		if (!write)
			*val = 0;
		return;
	}
	for (unsigned int i = 0; i < 16; i++) {
		uint32_t bit = 1U << (shift + i);
		if (!(mask & bit))
			continue;
		if (write) {
			if ((*val >> (2 * i + ICFGR_EDGE_BIT)) & 1)
				b->edge |= bit;
			else
				b->edge &= ~bit;
		} else if (b->edge & bit) {
			r |= 1U << (2 * i + ICFGR_EDGE_BIT);
		}
	}
	if (!write)
		*val = r;
}

static int aligned(uint64_t off, unsigned int size)
{
	return (size == 1 || size == 4 || size == 8) && !(off & (size - 1));
}

static int in(uint64_t off, uint64_t base, uint64_t size)
{
	return off >= base && off < base + size;
}

/* GICD_IROUTER<n>: 64-bit, or 32-bit halves. */
static int irouter(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val)
{
	unsigned int intid = (unsigned int)((off - GICD_IROUTER) / 8);
	unsigned int half = (off % 8) ? 32 : 0;
	uint64_t *r = intid - VGIC_SPI_BASE < v->nr_spis ? &v->irouter[intid - VGIC_SPI_BASE] : NULL;
	uint64_t lanes = size == 8 ? ~0ULL : 0xffffffffULL << half;

	if (size != 8 && size != 4)
		return -1;
	if (!write) {
		*val = r ? (*r & lanes) >> half : 0;
		return 0;
	}
	if (r)
		vgic_route(v, intid - VGIC_SPI_BASE,
			   (*r & ~lanes) | ((*val << half) & lanes & IROUTER_WRITABLE));
	return 0;
}

/* Registers of one interrupt per bit, per 2 bits or per byte, shared by GICD and GICR SGI_base. */
static int irqreg(struct vgic *v, unsigned int vcpu, uint64_t off, unsigned int size, int write,
		  uint64_t *val, int dist)
{
	static const struct {
		uint32_t base;
		enum vgic_field f;
		int set;
	} pairs[] = {
		{ GICD_ISENABLER, VGIC_ENABLED, 1 }, { GICD_ICENABLER, VGIC_ENABLED, 0 },
		{ GICD_ISPENDR, VGIC_PENDING, 1 },   { GICD_ICPENDR, VGIC_PENDING, 0 },
		{ GICD_ISACTIVER, VGIC_ACTIVE, 1 },  { GICD_ICACTIVER, VGIC_ACTIVE, 0 },
	};
	/* The redistributor has word 0 of each array only (1 for ICFGR, 8 for IPRIORITYR). */
	uint64_t bitsize = dist ? BITREG_SIZE : GICR_BITREG_SIZE;

	if (in(off, GICD_IPRIORITYR, dist ? IPRIORITYR_SIZE : GICR_IPRIORITYR_SIZE) &&
	    (size == 1 || size == 4)) {
		unsigned int first = (unsigned int)(off - GICD_IPRIORITYR);
		if (dist && first < VGIC_NR_PRIVATE) {
			if (!write)
				*val = 0; /* banked, RAZ/WI with ARE */
			return 0;
		}
		prioreg(v, vcpu, first, size, write, val);
		return 0;
	}
	if (size != 4)
		return -1;
	for (unsigned int i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (!in(off, pairs[i].base, bitsize))
			continue;
		unsigned int word = (unsigned int)(off - pairs[i].base) / 4;
		if (dist && word == 0) {
			if (!write)
				*val = 0;
			return 0;
		}
		bitreg(v, vcpu, word, pairs[i].f, pairs[i].set, write, val);
		return 0;
	}
	if (in(off, GICD_IGROUPR, bitsize)) {
		unsigned int word = (unsigned int)(off - GICD_IGROUPR) / 4;
		uint32_t mask = 0;
		if (!(dist && word == 0))
			bank_of(v, vcpu, word, &mask);
		if (!write)
			*val = mask; /* Group 1: RAO/WI for implemented interrupts */
		return 0;
	}
	if (in(off, GICD_ICFGR, dist ? ICFGR_SIZE : GICR_ICFGR_SIZE)) {
		unsigned int n = (unsigned int)(off - GICD_ICFGR) / 4;
		if (dist && n < 2) {
			if (!write)
				*val = 0;
		} else if (!dist && n == 0) {
			if (!write)
				*val = ICFGR_SGI_EDGE; /* SGIs: always edge, WI */
		} else {
			cfgreg(v, vcpu, n, write, val);
		}
		return 0;
	}
	if (in(off, GICD_IGRPMODR, bitsize)) {
		if (!write)
			*val = 0;
		return 0;
	}
	return -1;
}

/* The control and identification words below IGROUPR: 32-bit only. */
static int dist_ctl(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val)
{
	uint32_t r;

	if (size != 4 || (off & 3))
		return -1;
	switch (off) {
	case GICD_CTLR:
		if (write)
			vgic_set_ctlr(v, (uint32_t)*val & VGIC_CTLR_ENABLE_GRP1);
		r = v->ctlr | CTLR_ARE | CTLR_DS;
		break;
	case GICD_TYPER:
		r = v->typer;
		break;
	case GICD_IIDR:
		r = VGIC_IIDR;
		break;
	case GICD_TYPER2:
	case GICD_STATUSR:
		r = 0;
		break;
	default:
		return -1;
	}
	if (!write)
		*val = r;
	return 0;
}

int vgic_dist_access(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val)
{
	if (off < GICD_IGROUPR)
		return dist_ctl(v, off, size, write, val);
	if (off >= VGIC_DIST_SIZE || !aligned(off, size))
		return -1;
	if (in(off, GICD_IROUTER + 8 * VGIC_SPI_BASE, 8 * (INTID_MAX_SPI + 1 - VGIC_SPI_BASE)))
		return irouter(v, off, size, write, val);
	if (off == GICD_PIDR2) {
		if (size != 4)
			return -1;
		if (!write)
			*val = PIDR2_ARCHREV_GICV3;
		return 0;
	}
	/* vCPU 0 is irrelevant here: the private bank (word 0) is never reached from the distributor. */
	return irqreg(v, 0, off, size, write, val, 1);
}

static uint64_t gicr_typer(const struct vgic *v, unsigned int vcpu)
{
	return (uint64_t)vcpu << GICR_TYPER_AFF_SHIFT | (uint64_t)vcpu << GICR_TYPER_PROCNUM_SHIFT |
	       (vcpu == v->nr_vcpus - 1 ? GICR_TYPER_LAST : 0);
}

static int rd_access(struct vgic *v, unsigned int vcpu, uint64_t off, unsigned int size, int write,
		     uint64_t *val)
{
	struct vgic_cpu *c = &v->cpu[vcpu];
	uint64_t r;

	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		if (size != 8 && size != 4)
			return -1;
		r = gicr_typer(v, vcpu);
		if (!write)
			*val = size == 8 ? r : (uint32_t)(r >> (off == GICR_TYPER ? 0 : 32));
		return 0;
	}
	if (size != 4)
		return -1;
	switch (off) {
	case GICR_CTLR:
	case GICR_STATUSR:
		r = 0;
		break;
	case GICR_IIDR:
		r = VGIC_IIDR;
		break;
	case GICR_WAKER:
		if (write)
			c->waker = (uint32_t)*val & WAKER_PROCESSOR_SLEEP;
		r = c->waker ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
		break;
	case GICR_PIDR2:
		r = PIDR2_ARCHREV_GICV3;
		break;
	default:
		return -1;
	}
	if (!write)
		*val = r;
	return 0;
}

int vgic_redist_access(struct vgic *v, uint64_t off, unsigned int size, int write, uint64_t *val)
{
	uint64_t frame = off / VGIC_REDIST_STRIDE;
	uint64_t in_frame = off % VGIC_REDIST_STRIDE;

	if (frame >= v->nr_vcpus || !aligned(off, size))
		return -1;
	if (in_frame < GICR_SGI_BASE)
		return rd_access(v, (unsigned int)frame, in_frame, size, write, val);
	return irqreg(v, (unsigned int)frame, in_frame - GICR_SGI_BASE, size, write, val, 0);
}

int vgic_sgi(struct vgic *v, unsigned int from_vcpu, uint64_t icc_sgi1r, uint32_t *target_mask)
{
	unsigned int intid = (unsigned int)((icc_sgi1r >> SGI1R_INTID_SHIFT) & SGI1R_INTID_MASK);
	uint32_t all = (1U << v->nr_vcpus) - 1;
	uint32_t targets = 0;

	if (from_vcpu >= v->nr_vcpus)
		return -1;
	if (icc_sgi1r & SGI1R_IRM) {
		targets = all & ~(1U << from_vcpu);
	} else if (!((icc_sgi1r >> SGI1R_AFF1_SHIFT) & SGI1R_AFF_MASK) &&
		   !((icc_sgi1r >> SGI1R_AFF2_SHIFT) & SGI1R_AFF_MASK) &&
		   !((icc_sgi1r >> SGI1R_AFF3_SHIFT) & SGI1R_AFF_MASK) &&
		   !((icc_sgi1r >> SGI1R_RS_SHIFT) & SGI1R_RS_MASK)) {
		targets = (uint32_t)(icc_sgi1r & SGI1R_TARGETS_MASK) & all;
	}
	uint32_t bit = 1U << intid;
	for (uint32_t t = targets; t; t &= t - 1) {
		unsigned int i = (unsigned int)__builtin_ctz(t);
		struct vgic_bank *b = &v->cpu[i].priv;
		if (b->listed & bit) { /* a change its list register takes at its next look */
			b->lr_pend |= bit;
			b->set_pend |= bit;
			b->clr_pend &= ~bit;
			vgic_notify(v, 1U << i);
			continue;
		}
		uint32_t before = vgic_ready_bits(b);
		b->pending |= bit;
		if (vgic_ready_bits(b) & ~before)
			vgic_notify(v, 1U << i);
	}
	if (target_mask)
		*target_mask = targets;
	return 0;
}
