/* core/vgic.c: the virtual GICv3 distributor/redistributor register model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vgic.h"

/* Offsets and values from the GICv3 architecture, written out independently of vgic.c. */
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
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define GICD_PIDR2 0xffe8

#define STRIDE 0x20000ULL
#define SGI_BASE 0x10000ULL
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_IGROUPR0 (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_ISPENDR0 (SGI_BASE + 0x0200)
#define GICR_ICPENDR0 (SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (SGI_BASE + 0x0380)
#define GICR_IPRIORITYR0 (SGI_BASE + 0x0400)
#define GICR_ICFGR0 (SGI_BASE + 0x0c00)
#define GICR_ICFGR1 (SGI_BASE + 0x0c04)
#define GICR_IGRPMODR0 (SGI_BASE + 0x0d00)

#define CTLR_G1 (1U << 1)
#define CTLR_ARE (1U << 4)
#define CTLR_DS (1U << 6)
#define IIDR 0x5200043bU
#define PIDR2_V3 0x30U
#define WAKER_PS (1U << 1)
#define WAKER_CA (1U << 2)
#define TYPER_LAST (1ULL << 4)

#define SGI1R(intid, aff1, targets) (((uint64_t)(intid) << 24) | ((uint64_t)(aff1) << 16) | (targets))
#define SGI1R_IRM (1ULL << 40)

#define NR_VCPUS 4U
#define NR_SPIS 256U
#define LAST_SPI (32U + NR_SPIS - 1) /* INTID 287 */

static uint64_t drd(struct vgic *v, uint64_t off)
{
	uint64_t val = 0xdeadbeef;
	assert_int_equal(vgic_dist_access(v, off, 4, 0, &val), 0);
	return val;
}

static void dwr(struct vgic *v, uint64_t off, uint64_t val)
{
	assert_int_equal(vgic_dist_access(v, off, 4, 1, &val), 0);
}

static uint64_t rrd(struct vgic *v, unsigned int cpu, uint64_t off)
{
	uint64_t val = 0xdeadbeef;
	assert_int_equal(vgic_redist_access(v, cpu * STRIDE + off, 4, 0, &val), 0);
	return val;
}

static void rwr(struct vgic *v, unsigned int cpu, uint64_t off, uint64_t val)
{
	assert_int_equal(vgic_redist_access(v, cpu * STRIDE + off, 4, 1, &val), 0);
}

/* Word offset and bit of intid in a one-bit-per-interrupt distributor array. */
#define WORD_OF(base, intid) ((uint64_t)(base) + 4 * ((intid) / 32))

static uint64_t bit_of(unsigned int intid)
{
	return 1ULL << (intid % 32);
}

static void init(struct vgic *v, unsigned int nr_vcpus, unsigned int nr_spis)
{
	assert_int_equal(vgic_init(v, nr_vcpus, nr_spis), 0);
}

/* A write that must be ignored: accepted, and no state changes. */
static void dist_wi(struct vgic *v, uint64_t off, unsigned int size)
{
	struct vgic before;
	uint64_t val = ~0ULL;
	memcpy(&before, v, sizeof(before));
	assert_int_equal(vgic_dist_access(v, off, size, 1, &val), 0);
	assert_memory_equal(&before, v, sizeof(before));
}

static void redist_wi(struct vgic *v, uint64_t off, unsigned int size)
{
	struct vgic before;
	uint64_t val = ~0ULL;
	memcpy(&before, v, sizeof(before));
	assert_int_equal(vgic_redist_access(v, off, size, 1, &val), 0);
	assert_memory_equal(&before, v, sizeof(before));
}

static void test_init_limits(void **state)
{
	struct vgic v;
	uint64_t val = 0;
	(void)state;
	assert_int_equal(vgic_init(&v, 0, 32), -1);
	assert_int_equal(vgic_init(&v, VGIC_MAX_VCPUS + 1, 32), -1);
	assert_int_equal(vgic_init(&v, 1, VGIC_MAX_SPIS + 1), -1);
	/* A failed init leaves no redistributor and no SPI. */
	assert_int_equal(vgic_redist_access(&v, GICR_TYPER, 8, 0, &val), -1);
	assert_int_equal(drd(&v, WORD_OF(GICD_IGROUPR, 32)), 0);
	assert_int_equal(vgic_sgi(&v, 0, SGI1R(1, 0, 1), NULL), -1);
	assert_int_equal(vgic_init(&v, VGIC_MAX_VCPUS, VGIC_MAX_SPIS), 0);
	assert_int_equal(vgic_init(&v, 1, 0), 0);
}

static void test_dist_reset_values(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	assert_int_equal(drd(&v, GICD_CTLR), CTLR_ARE | CTLR_DS);
	/* ITLinesNumber 8 (INTIDs up to 287), CPUNumber 3, IDbits 9, No1N, no LPIs/MBIS/security. */
	assert_int_equal(drd(&v, GICD_TYPER), 8 | (3 << 5) | (9 << 19) | (1 << 25));
	assert_int_equal(drd(&v, GICD_IIDR), IIDR);
	assert_int_equal(drd(&v, GICD_TYPER2), 0);
	assert_int_equal(drd(&v, GICD_STATUSR), 0);
	assert_int_equal(drd(&v, GICD_PIDR2), PIDR2_V3);
	assert_int_equal(drd(&v, GICD_IGROUPR), 0); /* banked: RAZ with ARE */
	for (unsigned int w = 1; w <= NR_SPIS / 32; w++)
		assert_int_equal(drd(&v, GICD_IGROUPR + 4 * w), 0xffffffffU);
	assert_int_equal(drd(&v, GICD_IGROUPR + 4 * (NR_SPIS / 32 + 1)), 0);
	for (unsigned int w = 0; w < 32; w++) {
		assert_int_equal(drd(&v, GICD_ISENABLER + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_ICENABLER + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_ISPENDR + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_ICPENDR + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_ISACTIVER + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_ICACTIVER + 4 * w), 0);
		assert_int_equal(drd(&v, GICD_IGRPMODR + 4 * w), 0);
	}
	for (unsigned int w = 0; w < 64; w++)
		assert_int_equal(drd(&v, GICD_ICFGR + 4 * w), 0); /* SPIs level */
	for (unsigned int w = 0; w < 255; w++)
		assert_int_equal(drd(&v, GICD_IPRIORITYR + 4 * w), 0);
	for (unsigned int i = 32; i < 1020; i++) {
		uint64_t val = 1;
		assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(i), 8, 0, &val), 0);
		assert_int_equal(val, 0); /* vCPU 0 */
	}
}

static void test_dist_typer_variants(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, 1, 0);
	assert_int_equal(drd(&v, GICD_TYPER) & 0xff, 0); /* 32 INTIDs, one CPU */
	init(&v, 8, 40);
	assert_int_equal(drd(&v, GICD_TYPER) & 0x1f, 2); /* INTIDs up to 95 */
	assert_int_equal((drd(&v, GICD_TYPER) >> 5) & 7, 7);
	/* A partial last bank: SPIs 0..39 (INTIDs 32..71) only. */
	assert_int_equal(drd(&v, WORD_OF(GICD_IGROUPR, 64)), 0xff);
	assert_int_equal(drd(&v, WORD_OF(GICD_IGROUPR, 96)), 0);
}

static void test_dist_ctlr(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	dwr(&v, GICD_CTLR, 0xffffffff); /* RWP, EnableGrp0, nASSGIreq...: only EnableGrp1 sticks */
	assert_int_equal(drd(&v, GICD_CTLR), CTLR_G1 | CTLR_ARE | CTLR_DS);
	dwr(&v, GICD_CTLR, 0); /* ARE and DS stay set */
	assert_int_equal(drd(&v, GICD_CTLR), CTLR_ARE | CTLR_DS);
	dwr(&v, GICD_CTLR, CTLR_G1 | CTLR_ARE);
	assert_int_equal(drd(&v, GICD_CTLR), CTLR_G1 | CTLR_ARE | CTLR_DS);
}

static void test_dist_read_only_and_raz_wi(void **state)
{
	static const uint64_t wi[] = {
		GICD_TYPER,
		GICD_IIDR,
		GICD_TYPER2,
		GICD_STATUSR,
		GICD_PIDR2,
		GICD_IGROUPR,
		GICD_IGROUPR + 4,
		GICD_IGROUPR + 0x7c,
		GICD_IGRPMODR,
		GICD_IGRPMODR + 4,
		GICD_IGRPMODR + 0x7c,
		/* banked SGI/PPI registers of the distributor */
		GICD_ISENABLER,
		GICD_ICENABLER,
		GICD_ISPENDR,
		GICD_ICPENDR,
		GICD_ISACTIVER,
		GICD_ICACTIVER,
		GICD_ICFGR,
		GICD_ICFGR + 4,
		GICD_IPRIORITYR,
		GICD_IPRIORITYR + 0x1c,
		/* interrupts beyond the last SPI */
		WORD_OF(GICD_ISENABLER, LAST_SPI + 1),
		WORD_OF(GICD_ISPENDR, 1023),
		WORD_OF(GICD_ISACTIVER, LAST_SPI + 1),
		GICD_ICFGR + 4 * ((LAST_SPI + 1) / 16),
		GICD_ICFGR + 0xfc,
		GICD_IPRIORITYR + LAST_SPI + 1,
		GICD_IPRIORITYR + 0x3f8,
	};
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	for (unsigned int i = 0; i < sizeof(wi) / sizeof(wi[0]); i++) {
		uint64_t before = drd(&v, wi[i]);
		dist_wi(&v, wi[i], 4);
		assert_int_equal(drd(&v, wi[i]), before);
	}
	dist_wi(&v, GICD_IPRIORITYR + 31, 1);
	dist_wi(&v, GICD_IPRIORITYR + LAST_SPI + 1, 1);
	dist_wi(&v, GICD_IROUTER(LAST_SPI + 1), 8);
	dist_wi(&v, GICD_IROUTER(1019), 4);
	assert_int_equal(drd(&v, GICD_IPRIORITYR), 0);
	/* Banked registers stay RAZ even when the redistributor has state. */
	rwr(&v, 0, GICR_ISENABLER0, 0xffffffff);
	rwr(&v, 0, GICR_ISPENDR0, 0xffffffff);
	rwr(&v, 0, GICR_IPRIORITYR0, 0xa0a0a0a0);
	assert_int_equal(drd(&v, GICD_ISENABLER), 0);
	assert_int_equal(drd(&v, GICD_ISPENDR), 0);
	assert_int_equal(drd(&v, GICD_IPRIORITYR), 0);
}

/* Set through ISx, clear through ICx, for one interrupt; neighbours unchanged. */
struct pair {
	uint64_t set, clear;
};

static const struct pair dist_pairs[] = {
	{ GICD_ISENABLER, GICD_ICENABLER },
	{ GICD_ISPENDR, GICD_ICPENDR },
	{ GICD_ISACTIVER, GICD_ICACTIVER },
};

static void test_spi_set_clear_boundaries(void **state)
{
	static const unsigned int intids[] = { 32, 33, 63, 64, LAST_SPI - 1, LAST_SPI };
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	for (unsigned int p = 0; p < 3; p++) {
		for (unsigned int i = 0; i < sizeof(intids) / sizeof(intids[0]); i++) {
			unsigned int id = intids[i];
			uint64_t s = WORD_OF(dist_pairs[p].set, id), c = WORD_OF(dist_pairs[p].clear, id);
			dwr(&v, s, bit_of(id));
			assert_int_equal(drd(&v, s), bit_of(id));
			assert_int_equal(drd(&v, c), bit_of(id)); /* both read the state */
			dwr(&v, s, 0);				  /* writing 0 does nothing */
			assert_int_equal(drd(&v, s), bit_of(id));
			dwr(&v, c, ~bit_of(id) & 0xffffffff); /* clears only the others */
			assert_int_equal(drd(&v, s), bit_of(id));
			dwr(&v, c, bit_of(id));
			assert_int_equal(drd(&v, s), 0);
		}
		/* Whole banks at once; the rest of the state is untouched. */
		dwr(&v, WORD_OF(dist_pairs[p].set, LAST_SPI), 0xffffffff);
		assert_int_equal(drd(&v, WORD_OF(dist_pairs[p].set, LAST_SPI)), 0xffffffff);
		for (unsigned int q = 0; q < 3; q++)
			if (q != p)
				assert_int_equal(drd(&v, WORD_OF(dist_pairs[q].set, LAST_SPI)), 0);
		dwr(&v, WORD_OF(dist_pairs[p].clear, LAST_SPI), 0xffffffff);
		assert_int_equal(drd(&v, WORD_OF(dist_pairs[p].set, LAST_SPI)), 0);
	}
}

static void test_spi_one_past_last_is_raz_wi(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, 40); /* last SPI: INTID 71, mid-bank */
	for (unsigned int p = 0; p < 3; p++) {
		uint64_t s = WORD_OF(dist_pairs[p].set, 71), c = WORD_OF(dist_pairs[p].clear, 71);
		dwr(&v, s, 0xffffffff);
		assert_int_equal(drd(&v, s), 0xff); /* INTIDs 64..71 */
		dwr(&v, c, bit_of(71));
		assert_int_equal(drd(&v, s), 0x7f);
		dwr(&v, c, 0xffffffff);
		assert_int_equal(drd(&v, s), 0);
	}
	dwr(&v, GICD_IPRIORITYR + 68, 0xffffffff);
	assert_int_equal(drd(&v, GICD_IPRIORITYR + 68), 0xffffffff);
	dwr(&v, GICD_IPRIORITYR + 72, 0xffffffff);
	assert_int_equal(drd(&v, GICD_IPRIORITYR + 72), 0);
	dwr(&v, GICD_ICFGR + 4 * 4, 0xffffffff); /* INTIDs 64..79 */
	assert_int_equal(drd(&v, GICD_ICFGR + 4 * 4), 0xaaaa);
	uint64_t val = 3;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(72), 8, 1, &val), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(72), 8, 0, &val), 0);
	assert_int_equal(val, 0);
	/* vgic_set_pending ignores it too. */
	vgic_set_pending(&v, 0, 72);
	assert_int_equal(drd(&v, WORD_OF(GICD_ISPENDR, 72)), 0);
}

static const struct pair redist_pairs[] = {
	{ GICR_ISENABLER0, GICR_ICENABLER0 },
	{ GICR_ISPENDR0, GICR_ICPENDR0 },
	{ GICR_ISACTIVER0, GICR_ICACTIVER0 },
};

static void test_private_set_clear_boundaries(void **state)
{
	static const unsigned int intids[] = { 0, 15, 16, 31 };
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	for (unsigned int p = 0; p < 3; p++) {
		for (unsigned int i = 0; i < sizeof(intids) / sizeof(intids[0]); i++) {
			unsigned int id = intids[i];
			rwr(&v, 1, redist_pairs[p].set, bit_of(id));
			assert_int_equal(rrd(&v, 1, redist_pairs[p].set), bit_of(id));
			assert_int_equal(rrd(&v, 1, redist_pairs[p].clear), bit_of(id));
			/* banked: other vCPUs and the SPIs see nothing */
			assert_int_equal(rrd(&v, 0, redist_pairs[p].set), 0);
			assert_int_equal(rrd(&v, NR_VCPUS - 1, redist_pairs[p].set), 0);
			assert_int_equal(drd(&v, dist_pairs[p].set + 4), 0);
			rwr(&v, 1, redist_pairs[p].set, 0);
			rwr(&v, 1, redist_pairs[p].clear, ~bit_of(id) & 0xffffffff);
			assert_int_equal(rrd(&v, 1, redist_pairs[p].set), bit_of(id));
			rwr(&v, 1, redist_pairs[p].clear, bit_of(id));
			assert_int_equal(rrd(&v, 1, redist_pairs[p].set), 0);
		}
	}
	/* The last frame works like the others. */
	rwr(&v, NR_VCPUS - 1, GICR_ISENABLER0, 0xffffffff);
	assert_int_equal(rrd(&v, NR_VCPUS - 1, GICR_ISENABLER0), 0xffffffff);
	assert_int_equal(rrd(&v, NR_VCPUS - 2, GICR_ISENABLER0), 0);
}

static void test_priority_byte_and_word(void **state)
{
	struct vgic v;
	uint64_t val;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	/* SPIs 32..35 by word, read back by byte and word. */
	dwr(&v, GICD_IPRIORITYR + 32, 0x44332211);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(vgic_dist_access(&v, GICD_IPRIORITYR + 32 + i, 1, 0, &val), 0);
		assert_int_equal(val, 0x11 * (i + 1));
	}
	/* Byte write of one SPI leaves its neighbours alone; only the low byte is taken. */
	val = 0x1a0;
	assert_int_equal(vgic_dist_access(&v, GICD_IPRIORITYR + 34, 1, 1, &val), 0);
	assert_int_equal(drd(&v, GICD_IPRIORITYR + 32), 0x44a02211);
	/* Full 8 bits, last SPI. */
	val = 0xff;
	assert_int_equal(vgic_dist_access(&v, GICD_IPRIORITYR + LAST_SPI, 1, 1, &val), 0);
	assert_int_equal(drd(&v, GICD_IPRIORITYR + LAST_SPI - 3), 0xff000000);
	/* Redistributor IPRIORITYR0..7: SGI 0, PPI 16, INTID 31, per vCPU. */
	rwr(&v, 2, GICR_IPRIORITYR0, 0x80706050);
	val = 0x90;
	assert_int_equal(vgic_redist_access(&v, 2 * STRIDE + GICR_IPRIORITYR0 + 16, 1, 1, &val), 0);
	val = 0xf8;
	assert_int_equal(vgic_redist_access(&v, 2 * STRIDE + GICR_IPRIORITYR0 + 31, 1, 1, &val), 0);
	assert_int_equal(rrd(&v, 2, GICR_IPRIORITYR0), 0x80706050);
	assert_int_equal(rrd(&v, 2, GICR_IPRIORITYR0 + 16), 0x90);
	assert_int_equal(rrd(&v, 2, GICR_IPRIORITYR0 + 28), 0xf8000000);
	assert_int_equal(vgic_redist_access(&v, 2 * STRIDE + GICR_IPRIORITYR0 + 1, 1, 0, &val), 0);
	assert_int_equal(val, 0x60);
	assert_int_equal(rrd(&v, 1, GICR_IPRIORITYR0), 0);
}

static void test_icfgr(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	/* SPIs: Int_config[1] RW, Int_config[0] RAZ. */
	dwr(&v, GICD_ICFGR + 8, 0xffffffff);
	assert_int_equal(drd(&v, GICD_ICFGR + 8), 0xaaaaaaaa);
	dwr(&v, GICD_ICFGR + 8, 0x55555558); /* INTID 33 edge (bit 3), the rest level */
	assert_int_equal(drd(&v, GICD_ICFGR + 8), 0x8);
	dwr(&v, GICD_ICFGR + 4 * (LAST_SPI / 16), 0x80000000);
	assert_int_equal(drd(&v, GICD_ICFGR + 4 * (LAST_SPI / 16)), 0x80000000);
	assert_int_equal(drd(&v, GICD_ICFGR + 8), 0x8);
	/* SGIs: always edge; PPIs: RW, level at reset. */
	for (unsigned int c = 0; c < NR_VCPUS; c++) {
		assert_int_equal(rrd(&v, c, GICR_ICFGR0), 0xaaaaaaaa);
		assert_int_equal(rrd(&v, c, GICR_ICFGR1), 0);
	}
	redist_wi(&v, GICR_ICFGR0, 4);
	rwr(&v, 0, GICR_ICFGR0, 0);
	assert_int_equal(rrd(&v, 0, GICR_ICFGR0), 0xaaaaaaaa);
	rwr(&v, 3, GICR_ICFGR1, 0xffffffff);
	assert_int_equal(rrd(&v, 3, GICR_ICFGR1), 0xaaaaaaaa);
	rwr(&v, 3, GICR_ICFGR1, 1U << 31); /* INTID 31 edge */
	assert_int_equal(rrd(&v, 3, GICR_ICFGR1), 1U << 31);
	assert_int_equal(rrd(&v, 2, GICR_ICFGR1), 0);
	assert_int_equal(rrd(&v, 3, GICR_ICFGR0), 0xaaaaaaaa);
}

static void test_irouter(void **state)
{
	struct vgic v;
	uint64_t val;
	uint32_t intid;
	uint8_t prio;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	/* Aff3..Aff0 stored, IRM and reserved bits dropped. */
	val = 0xffffffffffffffffULL;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 8, 1, &val), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 8, 0, &val), 0);
	assert_int_equal(val, 0xff00ffffffULL);
	/* 32-bit halves. */
	val = 2;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 4, 1, &val), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 8, 0, &val), 0);
	assert_int_equal(val, 0xff00000002ULL);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40) + 4, 4, 0, &val), 0);
	assert_int_equal(val, 0xff);
	val = 0;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40) + 4, 4, 1, &val), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 4, 0, &val), 0);
	assert_int_equal(val, 2);
	/* First and last SPI. */
	val = 3;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(32), 8, 1, &val), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(LAST_SPI), 8, 1, &val), 0);
	val = 0;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(LAST_SPI), 8, 0, &val), 0);
	assert_int_equal(val, 3);

	/* Routing: SPI 40 goes to vCPU 2 only. */
	dwr(&v, GICD_CTLR, CTLR_G1);
	dwr(&v, WORD_OF(GICD_ISENABLER, 40), bit_of(40));
	vgic_set_pending(&v, 0, 40);
	assert_int_equal(vgic_next_pending(&v, 0, &intid, &prio), -1);
	assert_int_equal(vgic_next_pending(&v, 2, &intid, &prio), 0);
	assert_int_equal(intid, 40);
	/* Aff1 != 0, or Aff0 naming no vCPU: nobody. */
	static const uint64_t nowhere[] = { 0x102, 0x10002, 0x100000002ULL, NR_VCPUS, 0xff };
	for (unsigned int i = 0; i < sizeof(nowhere) / sizeof(nowhere[0]); i++) {
		val = nowhere[i];
		assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 8, 1, &val), 0);
		for (unsigned int c = 0; c < NR_VCPUS; c++)
			assert_int_equal(vgic_next_pending(&v, c, &intid, &prio), -1);
	}
	val = 1;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(40), 4, 1, &val), 0);
	assert_int_equal(vgic_next_pending(&v, 1, &intid, &prio), 0);
	assert_int_equal(intid, 40);
}

static void test_gicr_rd_frame(void **state)
{
	struct vgic v;
	uint64_t val;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	for (unsigned int c = 0; c < NR_VCPUS; c++) {
		uint64_t typer = ((uint64_t)c << 32) | (c << 8) | (c == NR_VCPUS - 1 ? TYPER_LAST : 0);
		assert_int_equal(vgic_redist_access(&v, c * STRIDE + GICR_TYPER, 8, 0, &val), 0);
		assert_int_equal(val, typer);
		assert_int_equal(rrd(&v, c, GICR_TYPER), typer & 0xffffffff);
		assert_int_equal(rrd(&v, c, GICR_TYPER + 4), c);
		assert_int_equal(rrd(&v, c, GICR_CTLR), 0);
		assert_int_equal(rrd(&v, c, GICR_IIDR), IIDR);
		assert_int_equal(rrd(&v, c, GICR_STATUSR), 0);
		assert_int_equal(rrd(&v, c, GICR_PIDR2), PIDR2_V3);
		assert_int_equal(rrd(&v, c, GICR_WAKER), WAKER_PS | WAKER_CA);
		redist_wi(&v, c * STRIDE + GICR_CTLR, 4);
		redist_wi(&v, c * STRIDE + GICR_IIDR, 4);
		redist_wi(&v, c * STRIDE + GICR_TYPER, 8);
		redist_wi(&v, c * STRIDE + GICR_TYPER + 4, 4);
		redist_wi(&v, c * STRIDE + GICR_STATUSR, 4);
		redist_wi(&v, c * STRIDE + GICR_PIDR2, 4);
	}
	/* A single vCPU is the last. */
	init(&v, 1, 0);
	assert_int_equal(vgic_redist_access(&v, GICR_TYPER, 8, 0, &val), 0);
	assert_int_equal(val, TYPER_LAST);
}

static void test_gicr_waker(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	rwr(&v, 1, GICR_WAKER, 0); /* Linux: clear ProcessorSleep, poll ChildrenAsleep */
	assert_int_equal(rrd(&v, 1, GICR_WAKER), 0);
	assert_int_equal(rrd(&v, 0, GICR_WAKER), WAKER_PS | WAKER_CA);
	rwr(&v, 1, GICR_WAKER, WAKER_CA | 1 | (1U << 31)); /* ChildrenAsleep is read-only */
	assert_int_equal(rrd(&v, 1, GICR_WAKER), 0);
	rwr(&v, 1, GICR_WAKER, WAKER_PS);
	assert_int_equal(rrd(&v, 1, GICR_WAKER), WAKER_PS | WAKER_CA);
}

static void test_gicr_sgi_frame_reset_and_wi(void **state)
{
	struct vgic v;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	for (unsigned int c = 0; c < NR_VCPUS; c++) {
		assert_int_equal(rrd(&v, c, GICR_IGROUPR0), 0xffffffff);
		assert_int_equal(rrd(&v, c, GICR_IGRPMODR0), 0);
		for (unsigned int p = 0; p < 3; p++) {
			assert_int_equal(rrd(&v, c, redist_pairs[p].set), 0);
			assert_int_equal(rrd(&v, c, redist_pairs[p].clear), 0);
		}
		for (unsigned int w = 0; w < 8; w++)
			assert_int_equal(rrd(&v, c, GICR_IPRIORITYR0 + 4 * w), 0);
		redist_wi(&v, c * STRIDE + GICR_IGROUPR0, 4);
		redist_wi(&v, c * STRIDE + GICR_IGRPMODR0, 4);
		rwr(&v, c, GICR_IGROUPR0, 0);
		assert_int_equal(rrd(&v, c, GICR_IGROUPR0), 0xffffffff);
	}
}

static void test_sgi_generation(void **state)
{
	struct vgic v;
	uint32_t mask = 0xdead;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	/* Target list: vCPUs 0 and 2; bits of absent vCPUs are dropped. */
	assert_int_equal(vgic_sgi(&v, 1, SGI1R(5, 0, 0x8005), &mask), 0);
	assert_int_equal(mask, 0x5);
	assert_int_equal(rrd(&v, 0, GICR_ISPENDR0), 1U << 5);
	assert_int_equal(rrd(&v, 1, GICR_ISPENDR0), 0);
	assert_int_equal(rrd(&v, 2, GICR_ISPENDR0), 1U << 5);
	assert_int_equal(rrd(&v, 3, GICR_ISPENDR0), 0);
	/* To self, INTID 15. */
	assert_int_equal(vgic_sgi(&v, 1, SGI1R(15, 0, 0x2), &mask), 0);
	assert_int_equal(mask, 0x2);
	assert_int_equal(rrd(&v, 1, GICR_ISPENDR0), 1U << 15);
	/* IRM: everybody but the sender; TargetList and Aff1 ignored. */
	assert_int_equal(vgic_sgi(&v, 2, SGI1R_IRM | SGI1R(0, 3, 0x1), &mask), 0);
	assert_int_equal(mask, 0xb);
	assert_int_equal(rrd(&v, 0, GICR_ISPENDR0), (1U << 5) | 1);
	assert_int_equal(rrd(&v, 1, GICR_ISPENDR0), (1U << 15) | 1);
	assert_int_equal(rrd(&v, 2, GICR_ISPENDR0), 1U << 5);
	assert_int_equal(rrd(&v, 3, GICR_ISPENDR0), 1);
	/* Aff1, Aff2, Aff3 or RS != 0: no target. */
	struct vgic before;
	memcpy(&before, &v, sizeof(before));
	static const uint64_t none[] = { SGI1R(7, 1, 0xf), SGI1R(7, 0, 0xf) | (1ULL << 32),
					 SGI1R(7, 0, 0xf) | (1ULL << 48), SGI1R(7, 0, 0xf) | (1ULL << 44) };
	for (unsigned int i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		mask = 0xdead;
		assert_int_equal(vgic_sgi(&v, 0, none[i], &mask), 0);
		assert_int_equal(mask, 0);
		assert_memory_equal(&before, &v, sizeof(before));
	}
	/* No sender: rejected; NULL mask allowed. */
	assert_int_equal(vgic_sgi(&v, NR_VCPUS, SGI1R(7, 0, 1), &mask), -1);
	assert_memory_equal(&before, &v, sizeof(before));
	assert_int_equal(vgic_sgi(&v, 0, SGI1R(7, 0, 0x8), NULL), 0);
	assert_int_equal(rrd(&v, 3, GICR_ISPENDR0), (1U << 7) | 1);
	/* Single vCPU with IRM: nobody. */
	init(&v, 1, 0);
	assert_int_equal(vgic_sgi(&v, 0, SGI1R_IRM, &mask), 0);
	assert_int_equal(mask, 0);
	assert_int_equal(rrd(&v, 0, GICR_ISPENDR0), 0);
}

static void test_set_clear_pending_api(void **state)
{
	struct vgic v, before;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	vgic_set_pending(&v, 3, 0);
	vgic_set_pending(&v, 3, 31);
	vgic_set_pending(&v, 1, 16);
	assert_int_equal(rrd(&v, 3, GICR_ISPENDR0), 0x80000001);
	assert_int_equal(rrd(&v, 1, GICR_ISPENDR0), 1U << 16);
	vgic_set_pending(&v, 7, 32); /* SPI: vCPU ignored */
	vgic_set_pending(&v, 0, LAST_SPI);
	assert_int_equal(drd(&v, WORD_OF(GICD_ISPENDR, 32)), 1);
	assert_int_equal(drd(&v, WORD_OF(GICD_ISPENDR, LAST_SPI)), 0x80000000);
	memcpy(&before, &v, sizeof(before));
	vgic_set_pending(&v, NR_VCPUS, 5); /* no such vCPU */
	vgic_set_pending(&v, 0, LAST_SPI + 1);
	vgic_set_pending(&v, 0, 1023);
	vgic_set_pending(&v, 0, 0xffffffff);
	vgic_clear_pending(&v, NR_VCPUS, 0);
	vgic_clear_pending(&v, 0, LAST_SPI + 1);
	assert_memory_equal(&before, &v, sizeof(before));
	vgic_clear_pending(&v, 3, 31);
	vgic_clear_pending(&v, 5, LAST_SPI);
	assert_int_equal(rrd(&v, 3, GICR_ISPENDR0), 1);
	assert_int_equal(drd(&v, WORD_OF(GICD_ISPENDR, LAST_SPI)), 0);
}

static void expect_next(struct vgic *v, unsigned int cpu, uint32_t want_intid, uint8_t want_prio)
{
	uint32_t intid = 0;
	uint8_t prio = 0;
	assert_int_equal(vgic_next_pending(v, cpu, &intid, &prio), 0);
	assert_int_equal(intid, want_intid);
	assert_int_equal(prio, want_prio);
}

static void set_prio(struct vgic *v, unsigned int cpu, unsigned int intid, uint8_t prio)
{
	uint64_t val = prio;
	if (intid < 32)
		assert_int_equal(vgic_redist_access(v, cpu * STRIDE + GICR_IPRIORITYR0 + intid, 1, 1, &val),
				 0);
	else
		assert_int_equal(vgic_dist_access(v, GICD_IPRIORITYR + intid, 1, 1, &val), 0);
}

static void test_next_pending_ordering(void **state)
{
	struct vgic v;
	uint32_t intid = 77;
	uint8_t prio = 77;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	assert_int_equal(vgic_next_pending(&v, 0, &intid, &prio), -1);
	/* vCPU 1: SGI 3 (0xa0), PPI 27 (0x80), SPI 100 (0x80), SPI LAST (0x20, disabled). */
	set_prio(&v, 1, 3, 0xa0);
	set_prio(&v, 1, 27, 0x80);
	set_prio(&v, 0, 100, 0x80);
	set_prio(&v, 0, LAST_SPI, 0x20);
	uint64_t route = 1;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(100), 8, 1, &route), 0);
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(LAST_SPI), 8, 1, &route), 0);
	rwr(&v, 1, GICR_ISENABLER0, (1U << 3) | (1U << 27));
	dwr(&v, WORD_OF(GICD_ISENABLER, 100), bit_of(100));
	vgic_set_pending(&v, 1, 3);
	vgic_set_pending(&v, 1, 27);
	vgic_set_pending(&v, 1, 100);
	vgic_set_pending(&v, 1, LAST_SPI);
	/* Group 1 disabled in the distributor: nothing. */
	assert_int_equal(vgic_next_pending(&v, 1, &intid, &prio), -1);
	assert_int_equal(intid, 77);
	assert_int_equal(prio, 77);
	dwr(&v, GICD_CTLR, CTLR_G1);
	expect_next(&v, 1, 27, 0x80);				       /* tie with SPI 100: lowest INTID */
	assert_int_equal(vgic_next_pending(&v, 0, &intid, &prio), -1); /* nothing routed to vCPU 0 */
	dwr(&v, WORD_OF(GICD_ISENABLER, LAST_SPI), bit_of(LAST_SPI));
	expect_next(&v, 1, LAST_SPI, 0x20); /* enabled now: highest priority */
	dwr(&v, WORD_OF(GICD_ISACTIVER, LAST_SPI), bit_of(LAST_SPI));
	expect_next(&v, 1, 27, 0x80); /* active: excluded */
	rwr(&v, 1, GICR_ICENABLER0, 1U << 27);
	expect_next(&v, 1, 100, 0x80); /* disabled: excluded */
	route = 2;
	assert_int_equal(vgic_dist_access(&v, GICD_IROUTER(100), 8, 1, &route), 0);
	expect_next(&v, 1, 3, 0xa0); /* routed elsewhere */
	expect_next(&v, 2, 100, 0x80);
	vgic_clear_pending(&v, 1, 3);
	assert_int_equal(vgic_next_pending(&v, 1, &intid, &prio), -1);
	/* Priority 0 wins, 0xff is still a candidate; SGIs of other vCPUs stay theirs. */
	set_prio(&v, 3, 0, 0xff);
	rwr(&v, 3, GICR_ISENABLER0, 1);
	assert_int_equal(vgic_sgi(&v, 0, SGI1R(0, 0, 0x8), NULL), 0);
	expect_next(&v, 3, 0, 0xff);
	set_prio(&v, 3, 31, 0);
	rwr(&v, 3, GICR_ISENABLER0, 1U << 31);
	vgic_set_pending(&v, 3, 31);
	expect_next(&v, 3, 31, 0);
	assert_int_equal(vgic_next_pending(&v, NR_VCPUS, &intid, &prio), -1);
	dwr(&v, GICD_CTLR, 0);
	assert_int_equal(vgic_next_pending(&v, 3, &intid, &prio), -1);
}

struct bad {
	int redist;
	uint64_t off;
	unsigned int size;
};

static void test_rejected_accesses(void **state)
{
	static const struct bad bad[] = {
		/* distributor: bad sizes */
		{ 0, GICD_CTLR, 1 },
		{ 0, GICD_CTLR, 2 },
		{ 0, GICD_CTLR, 8 },
		{ 0, GICD_TYPER, 8 },
		{ 0, GICD_PIDR2, 1 },
		{ 0, GICD_ISENABLER + 4, 1 },
		{ 0, GICD_ISENABLER + 8, 8 },
		{ 0, GICD_ICFGR + 8, 2 },
		{ 0, GICD_IPRIORITYR + 32, 2 },
		{ 0, GICD_IPRIORITYR + 32, 8 },
		{ 0, GICD_IROUTER(32), 1 },
		{ 0, GICD_IROUTER(32), 2 },
		{ 0, GICD_IROUTER(32), 3 },
		{ 0, GICD_IROUTER(32), 0 },
		{ 0, GICD_IROUTER(32), 16 },
		/* misaligned */
		{ 0, GICD_CTLR + 2, 4 },
		{ 0, GICD_ISENABLER + 5, 4 },
		{ 0, GICD_IPRIORITYR + 33, 4 },
		{ 0, GICD_IROUTER(32) + 4, 8 },
		{ 0, GICD_IROUTER(32) + 2, 4 },
		/* unknown offsets */
		{ 0, 0x0014, 4 },	   /* reserved */
		{ 0, 0x0040, 4 },	   /* SETSPI_NSR: no MBIS */
		{ 0, 0x0048, 4 },	   /* CLRSPI_NSR */
		{ 0, 0x007c, 4 },	   /* reserved, just below IGROUPR */
		{ 0, 0x07fc, 4 },	   /* past IPRIORITYR254 */
		{ 0, 0x07fc, 1 },	   /* INTID 1020's priority byte */
		{ 0, 0x0800, 4 },	   /* ITARGETSR: ARE */
		{ 0, 0x0d80, 4 },	   /* past IGRPMODR */
		{ 0, 0x0e00, 4 },	   /* NSACR */
		{ 0, 0x0f00, 4 },	   /* SGIR: ARE */
		{ 0, 0x1000, 4 },	   /* extended SPI ranges */
		{ 0, GICD_IROUTER(0), 8 }, /* IROUTER of SGIs/PPIs */
		{ 0, GICD_IROUTER(31), 8 },
		{ 0, GICD_IROUTER(1020), 8 },
		{ 0, 0x8000, 4 },
		{ 0, 0xffe4, 4 }, /* PIDR1 */
		{ 0, 0xffe0, 4 }, /* PIDR0 */
		{ 0, 0xfffc, 4 },
		/* beyond the page */
		{ 0, 0x10000, 4 },
		{ 0, ~0ULL & ~7ULL, 4 },
		/* redistributor: bad sizes */
		{ 1, GICR_CTLR, 8 },
		{ 1, GICR_WAKER, 1 },
		{ 1, GICR_WAKER, 2 },
		{ 1, GICR_TYPER, 2 },
		{ 1, GICR_TYPER, 1 },
		{ 1, GICR_ISENABLER0, 1 },
		{ 1, GICR_ISENABLER0, 8 },
		{ 1, GICR_IPRIORITYR0, 2 },
		{ 1, GICR_IPRIORITYR0, 8 },
		{ 1, GICR_ICFGR1, 8 },
		/* misaligned */
		{ 1, GICR_TYPER + 4, 8 },
		{ 1, GICR_WAKER + 1, 4 },
		{ 1, GICR_ISENABLER0 + 2, 4 },
		{ 1, GICR_IPRIORITYR0 + 1, 4 },
		/* unknown offsets */
		{ 1, 0x0018, 4 },	     /* reserved */
		{ 1, 0x0040, 4 },	     /* SETLPIR */
		{ 1, 0x0070, 8 },	     /* PROPBASER */
		{ 1, 0x0078, 8 },	     /* PENDBASER */
		{ 1, 0x8000, 4 },	     /* reserved in RD_base */
		{ 1, SGI_BASE + 0x0000, 4 }, /* reserved in SGI_base */
		{ 1, SGI_BASE + 0x0084, 4 }, /* IGROUPR1E: no extended PPIs */
		{ 1, SGI_BASE + 0x0104, 4 },
		{ 1, SGI_BASE + 0x0204, 4 },
		{ 1, SGI_BASE + 0x0304, 4 },
		{ 1, SGI_BASE + 0x0420, 4 }, /* past IPRIORITYR7 */
		{ 1, SGI_BASE + 0x0420, 1 },
		{ 1, SGI_BASE + 0x0c08, 4 }, /* past ICFGR1 */
		{ 1, SGI_BASE + 0x0d04, 4 },
		{ 1, SGI_BASE + 0x0e00, 4 }, /* NSACR */
		{ 1, SGI_BASE + 0xffe8, 4 }, /* no ID registers in SGI_base */
		/* beyond the frames */
		{ 1, NR_VCPUS * STRIDE, 4 },
		{ 1, NR_VCPUS * STRIDE + GICR_TYPER, 8 },
		{ 1, NR_VCPUS * STRIDE + GICR_ISENABLER0, 4 },
		{ 1, VGIC_MAX_VCPUS * STRIDE, 4 },
		{ 1, ~0ULL & ~7ULL, 4 },
	};
	struct vgic v, before;
	(void)state;
	init(&v, NR_VCPUS, NR_SPIS);
	/* Non-reset state, so that a stray write would show. */
	dwr(&v, GICD_CTLR, CTLR_G1);
	rwr(&v, 1, GICR_WAKER, 0);
	memcpy(&before, &v, sizeof(before));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int write = 0; write < 2; write++) {
			uint64_t val = 0x5a5a5a5a5a5a5a5aULL;
			uint64_t off = bad[i].redist ? STRIDE + bad[i].off : bad[i].off;
			int rc = bad[i].redist ? vgic_redist_access(&v, off, bad[i].size, write, &val)
					       : vgic_dist_access(&v, off, bad[i].size, write, &val);
			if (rc != -1)
				fail_msg("%s offset %#llx size %u %s: accepted",
					 bad[i].redist ? "GICR" : "GICD", (unsigned long long)off,
					 bad[i].size, write ? "write" : "read");
			assert_int_equal(val, 0x5a5a5a5a5a5a5a5aULL);
			assert_memory_equal(&before, &v, sizeof(before));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_limits),
		cmocka_unit_test(test_dist_reset_values),
		cmocka_unit_test(test_dist_typer_variants),
		cmocka_unit_test(test_dist_ctlr),
		cmocka_unit_test(test_dist_read_only_and_raz_wi),
		cmocka_unit_test(test_spi_set_clear_boundaries),
		cmocka_unit_test(test_spi_one_past_last_is_raz_wi),
		cmocka_unit_test(test_private_set_clear_boundaries),
		cmocka_unit_test(test_priority_byte_and_word),
		cmocka_unit_test(test_icfgr),
		cmocka_unit_test(test_irouter),
		cmocka_unit_test(test_gicr_rd_frame),
		cmocka_unit_test(test_gicr_waker),
		cmocka_unit_test(test_gicr_sgi_frame_reset_and_wi),
		cmocka_unit_test(test_sgi_generation),
		cmocka_unit_test(test_set_clear_pending_api),
		cmocka_unit_test(test_next_pending_ordering),
		cmocka_unit_test(test_rejected_accesses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
