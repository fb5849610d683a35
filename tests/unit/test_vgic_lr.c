/*
 * core/vgic_lr.h with core/vgic.c and core/vgic_state.c: a vCPU's list
 * registers kept in step with the vGIC model, against a fake GICv3 virtual
 * CPU interface that behaves like the real one (the guest acknowledges the
 * most urgent pending list register above its running priority, ends it
 * with an EOI; the hypervisor looks again when it has news or when the
 * maintenance interrupt says the registers ran low). Also the model's index
 * against a brute-force search, under random operations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vgic.h"
#include "vgic_lr.h"

#define NR_VCPUS 4U
#define NR_SPIS 256U
#define NR_LRS 4U	/* as QEMU's CPU interface */
#define PRIO_MASK 0xf8U /* 5 priority bits, as QEMU's */
#define STRIDE 0x20000ULL
#define SGI_BASE 0x10000ULL
#define GICD_CTLR 0x0000
#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ISPENDR0 (SGI_BASE + 0x0200)
#define GICR_ICPENDR0 (SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (SGI_BASE + 0x0380)
#define GICR_IPRIORITYR0 (SGI_BASE + 0x0400)
#define CTLR_G1 (1U << 1)
#define LR_STATE(lr) ((unsigned int)((lr) >> 62))
#define LR_VINTID(lr) ((uint32_t)(lr))
#define LR_PRIO(lr) ((unsigned int)((lr) >> 48) & 0xffU)
#define LR_PENDING 1U
#define LR_ACTIVE 2U
#define IDLE_PRIO 0x100U
#define MAX_DELIVERIES 1024U

/* The virtual CPU interface of one vCPU: its list registers, as the guest changes them. */
struct cpuif {
	uint64_t lr[VGIC_MAX_LRS];
};

static uint64_t f_read(void *ctx, unsigned int i)
{
	return ((struct cpuif *)ctx)->lr[i];
}

static void f_write(void *ctx, unsigned int i, uint64_t lr)
{
	assert_true(i < NR_LRS);
	((struct cpuif *)ctx)->lr[i] = lr;
}

static uint64_t f_extra(void *ctx, uint32_t intid)
{
	(void)ctx;
	(void)intid;
	return 0;
}

static const struct vgic_lr_ops ops = { f_read, f_write, f_extra };

struct world {
	struct vgic g;
	struct vgic_lrs l[NR_VCPUS];
	struct cpuif c[NR_VCPUS];
};

static void setup(struct world *w)
{
	memset(w, 0, sizeof(*w));
	assert_int_equal(vgic_init(&w->g, NR_VCPUS, NR_SPIS), 0);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		vgic_lrs_reset(&w->l[i], NR_LRS, PRIO_MASK);
	uint64_t v = CTLR_G1;
	assert_int_equal(vgic_dist_access(&w->g, GICD_CTLR, 4, 1, &v), 0);
	/* Every vCPU has looked at its (empty) list registers since. */
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(vgic_lr_sync(&w->g, i, &w->l[i], &ops, &w->c[i]), 0);
	assert_int_equal(w->g.notify, 0);
}

static void dwr(struct world *w, uint64_t off, unsigned int size, uint64_t val)
{
	assert_int_equal(vgic_dist_access(&w->g, off, size, 1, &val), 0);
}

static uint64_t drd(struct world *w, uint64_t off)
{
	uint64_t val = 0;
	assert_int_equal(vgic_dist_access(&w->g, off, 4, 0, &val), 0);
	return val;
}

static void rwr(struct world *w, unsigned int cpu, uint64_t off, unsigned int size, uint64_t val)
{
	assert_int_equal(vgic_redist_access(&w->g, cpu * STRIDE + off, size, 1, &val), 0);
}

static uint64_t rrd(struct world *w, unsigned int cpu, uint64_t off)
{
	uint64_t val = 0;
	assert_int_equal(vgic_redist_access(&w->g, cpu * STRIDE + off, 4, 0, &val), 0);
	return val;
}

/* Interrupt intid of vCPU cpu: priority, enabled, routed to cpu if an SPI. */
static void configure(struct world *w, unsigned int cpu, unsigned int intid, uint8_t prio)
{
	if (intid < 32) {
		rwr(w, cpu, GICR_IPRIORITYR0 + intid, 1, prio);
		rwr(w, cpu, GICR_ISENABLER0, 4, 1U << intid);
	} else {
		dwr(w, GICD_IPRIORITYR + intid, 1, prio);
		dwr(w, GICD_IROUTER(intid), 8, cpu);
		dwr(w, GICD_ISENABLER + 4 * (intid / 32), 4, 1U << (intid % 32));
	}
}

/* The hypervisor's look at cpu's list registers (an exit that finds news). */
static int sync_cpu(struct world *w, unsigned int cpu)
{
	return vgic_lr_sync(&w->g, cpu, &w->l[cpu], &ops, &w->c[cpu]);
}

static unsigned int valid_lrs(const struct cpuif *c)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < NR_LRS; i++)
		n += LR_STATE(c->lr[i]) != 0;
	return n;
}

/* The guest's running priority: its most urgent active interrupt's. */
static unsigned int running_prio(const struct cpuif *c)
{
	unsigned int p = IDLE_PRIO;
	for (unsigned int i = 0; i < NR_LRS; i++)
		if ((LR_STATE(c->lr[i]) & LR_ACTIVE) && LR_PRIO(c->lr[i]) < p)
			p = LR_PRIO(c->lr[i]);
	return p;
}

/* ICC_IAR1_EL1: the most urgent pending list register above the running priority (ties: lowest INTID). */
static int acknowledge(struct cpuif *c, uint32_t *intid)
{
	unsigned int best = NR_LRS, rp = running_prio(c);

	for (unsigned int i = 0; i < NR_LRS; i++) {
		uint64_t lr = c->lr[i];
		if (LR_STATE(lr) != LR_PENDING || LR_PRIO(lr) >= rp)
			continue;
		if (best == NR_LRS || LR_PRIO(lr) < LR_PRIO(c->lr[best]) ||
		    (LR_PRIO(lr) == LR_PRIO(c->lr[best]) && LR_VINTID(lr) < LR_VINTID(c->lr[best])))
			best = i;
	}
	if (best == NR_LRS)
		return -1;
	c->lr[best] = (c->lr[best] & ~(3ULL << 62)) | ((uint64_t)LR_ACTIVE << 62);
	*intid = LR_VINTID(c->lr[best]);
	return 0;
}

/* ICC_EOIR1_EL1 with EOImode 0: the interrupt is no longer active. */
static void end(struct cpuif *c, uint32_t intid)
{
	for (unsigned int i = 0; i < NR_LRS; i++) {
		if (LR_VINTID(c->lr[i]) == intid && (LR_STATE(c->lr[i]) & LR_ACTIVE)) {
			c->lr[i] &= ~((uint64_t)LR_ACTIVE << 62);
			return;
		}
	}
	fail_msg("EOI of INTID %u, which no list register has active", intid);
}

/* The hypervisor looks when it has news, or at the maintenance interrupt (UIE: at most one valid). */
static void exits(struct world *w, unsigned int cpu)
{
	if ((w->g.notify & (1U << cpu)) || (w->l[cpu].overflow && valid_lrs(&w->c[cpu]) <= 1))
		sync_cpu(w, cpu);
}

/* Model invariants: listed interrupts are never latched pending; the SPI summaries are exact. */
static void check_index(const struct vgic *g)
{
	for (unsigned int c = 0; c < g->nr_vcpus; c++) {
		const struct vgic_bank *p = &g->cpu[c].priv;
		assert_int_equal(p->pending & p->listed, 0);
		for (unsigned int wd = 0; wd < VGIC_SPI_WORDS; wd++) {
			const struct vgic_bank *b = &g->spi[wd];
			int ready = (vgic_ready_bits(b) & g->cpu[c].routed[wd]) != 0;
			assert_int_equal(ready, (g->cpu[c].spi_ready >> wd) & 1);
		}
	}
	for (unsigned int wd = 0; wd < VGIC_SPI_WORDS; wd++)
		assert_int_equal(g->spi[wd].pending & g->spi[wd].listed, 0);
	for (unsigned int s = 0; s < g->nr_spis; s++) {
		for (unsigned int c = 0; c < g->nr_vcpus; c++) {
			int routed = (g->cpu[c].routed[s / 32] >> (s % 32)) & 1;
			assert_int_equal(routed, g->irouter[s] == c);
		}
	}
}

/*
 * 64 interrupts pending at once on vCPU 1 (its 16 SGIs, its 16 PPIs and 32
 * SPIs routed to it), with priorities that tie across kinds: the guest takes
 * them in priority order (ties: lowest INTID), each exactly once.
 */
static void test_64_pending_delivered_in_priority_order(void **state)
{
	struct world w;
	uint32_t order[MAX_DELIVERIES];
	unsigned int n = 0, seen[1024] = { 0 };
	(void)state;
	setup(&w);
	for (unsigned int i = 0; i < 64; i++) {
		unsigned int intid = i < 32 ? i : 32 + 7 * (i - 32);
		uint8_t prio = (uint8_t)(((i * 37) % 16) << 3); /* 16 levels, four interrupts on each */
		configure(&w, 1, intid, prio);
	}
	rwr(&w, 1, GICR_ISPENDR0, 4, 0xffffffff);
	for (unsigned int i = 32; i < 64; i++) {
		unsigned int intid = 32 + 7 * (i - 32);
		dwr(&w, GICD_ISPENDR + 4 * (intid / 32), 4, 1U << (intid % 32));
	}
	check_index(&w.g);
	assert_int_equal(w.g.notify, 1U << 1); /* only vCPU 1 has news */
	for (;;) {
		uint32_t intid;
		exits(&w, 1);
		check_index(&w.g);
		if (acknowledge(&w.c[1], &intid))
			break;
		assert_true(n < MAX_DELIVERIES);
		order[n++] = intid;
		seen[intid]++;
		end(&w.c[1], intid);
	}
	assert_int_equal(n, 64);
	for (unsigned int i = 0; i < 64; i++) {
		unsigned int intid = i < 32 ? i : 32 + 7 * (i - 32);
		assert_int_equal(seen[intid], 1);
	}
	for (unsigned int i = 1; i < n; i++) {
		uint8_t pa, pb;
		pa = order[i - 1] < 32 ? w.g.cpu[1].prio[order[i - 1]] : w.g.spi_prio[order[i - 1] - 32];
		pb = order[i] < 32 ? w.g.cpu[1].prio[order[i]] : w.g.spi_prio[order[i] - 32];
		assert_true(pa < pb || (pa == pb && order[i - 1] < order[i]));
	}
	/* Nothing left anywhere: not pending, not active, and the registers free once looked at. */
	sync_cpu(&w, 1);
	assert_int_equal(w.l[1].used, 0);
	assert_int_equal(rrd(&w, 1, GICR_ISPENDR0) | rrd(&w, 1, GICR_ISACTIVER0), 0);
	for (unsigned int wd = 1; wd <= NR_SPIS / 32; wd++)
		assert_int_equal(drd(&w, GICD_ISPENDR + 4 * wd) | drd(&w, GICD_ISACTIVER + 4 * wd), 0);
	assert_int_equal(vgic_has_ready(&w.g, 1), 0);
}

static int lr_of(const struct cpuif *c, uint32_t intid)
{
	for (unsigned int i = 0; i < NR_LRS; i++)
		if (LR_STATE(c->lr[i]) && LR_VINTID(c->lr[i]) == intid)
			return (int)i;
	return -1;
}

/*
 * All list registers full: a more urgent arrival takes the register of the
 * least urgent interrupt that is only pending, which goes back to the model
 * (still pending to the guest's reads); an active one keeps its register,
 * and an arrival no more urgent than any evictable one waits (overflow).
 */
static void test_more_urgent_displaces_less_urgent(void **state)
{
	struct world w;
	uint32_t intid;
	(void)state;
	setup(&w);
	/* SPIs 40..43 at 0x80, 0x90, 0xa0, 0xb0: the four registers. */
	for (unsigned int i = 0; i < 4; i++) {
		configure(&w, 0, 40 + i, (uint8_t)(0x80 + 0x10 * i));
		vgic_set_pending(&w.g, 0, 40 + i);
	}
	assert_int_equal(sync_cpu(&w, 0), 0);
	assert_int_equal(w.l[0].used, 0xf);
	/* The guest takes SPI 40 (now active: never displaced). */
	assert_int_equal(acknowledge(&w.c[0], &intid), 0);
	assert_int_equal(intid, 40);
	/* A more urgent PPI arrives: SPI 43 (0xb0, the least urgent pending) makes room. */
	configure(&w, 0, 20, 0x70);
	vgic_set_pending(&w.g, 0, 20);
	assert_int_equal(sync_cpu(&w, 0), 1); /* SPI 43 now waits: overflow */
	assert_true(lr_of(&w.c[0], 20) >= 0);
	assert_int_equal(lr_of(&w.c[0], 43), -1);
	assert_int_equal(vgic_is_listed(&w.g, 0, 43), 0);
	/* 40 is active, not pending; 41 and 42 pending in their registers, 43 pending in the model. */
	assert_int_equal(drd(&w, GICD_ISPENDR + 4), 0xeU << 8);
	assert_int_equal(drd(&w, GICD_ISACTIVER + 4), 1U << 8);
	check_index(&w.g);
	/* Equal urgency does not displace: another 0xa0 one waits too. */
	configure(&w, 0, 50, 0xa0);
	vgic_set_pending(&w.g, 0, 50);
	assert_int_equal(sync_cpu(&w, 0), 1);
	assert_int_equal(lr_of(&w.c[0], 50), -1);
	assert_true(lr_of(&w.c[0], 42) >= 0);
	/* SPI 40 stays in its register although it is the least urgent of all but one. */
	assert_true(lr_of(&w.c[0], 40) >= 0);
	/* The guest ends 40, takes PPI 20 (0x70 < running 0x100), then 41, 42: the waiting ones follow. */
	end(&w.c[0], 40);
	uint32_t got[8];
	unsigned int n = 0;
	for (;;) {
		exits(&w, 0);
		if (acknowledge(&w.c[0], &intid))
			break;
		got[n++] = intid;
		end(&w.c[0], intid);
	}
	assert_int_equal(n, 5);
	assert_int_equal(got[0], 20);
	assert_int_equal(got[1], 41);
	assert_int_equal(got[2], 42);
	assert_int_equal(got[3], 50); /* 0xa0 like 42; 43 (0xb0) last */
	assert_int_equal(got[4], 43);
	check_index(&w.g);

	/* The least urgent listed interrupt is active: the least urgent pending one makes room instead. */
	sync_cpu(&w, 0);
	configure(&w, 0, 60, 0xb0);
	vgic_set_pending(&w.g, 0, 60);
	sync_cpu(&w, 0);
	assert_int_equal(acknowledge(&w.c[0], &intid), 0);
	assert_int_equal(intid, 60);
	for (unsigned int i = 0; i < 3; i++) {
		configure(&w, 0, 61 + i, (uint8_t)(0x90 - 0x10 * i));
		vgic_set_pending(&w.g, 0, 61 + i);
	}
	sync_cpu(&w, 0);
	assert_int_equal(w.l[0].used, 0xf);
	configure(&w, 0, 64, 0x60);
	vgic_set_pending(&w.g, 0, 64);
	assert_int_equal(sync_cpu(&w, 0), 1);
	assert_true(lr_of(&w.c[0], 60) >= 0);	  /* active, 0xb0: kept */
	assert_int_equal(lr_of(&w.c[0], 61), -1); /* pending, 0x90: back to the model */
	assert_true(lr_of(&w.c[0], 64) >= 0);
	check_index(&w.g);
}

/*
 * A guest's reads of the pending and active registers show what the list
 * registers hold (as of the last look), and its writes to them reach the
 * list registers at the next look.
 */
static void test_pending_and_active_read_back_from_lrs(void **state)
{
	struct world w;
	uint32_t intid;
	(void)state;
	setup(&w);
	configure(&w, 2, 5, 0x40);  /* SGI 5 */
	configure(&w, 2, 27, 0x20); /* PPI 27 */
	configure(&w, 2, 70, 0x60); /* SPI 70 */
	vgic_set_pending(&w.g, 2, 5);
	vgic_set_pending(&w.g, 2, 27);
	vgic_set_pending(&w.g, 2, 70);
	sync_cpu(&w, 2);
	assert_int_equal(w.l[2].used, 0x7);
	assert_int_equal(rrd(&w, 2, GICR_ISPENDR0), (1U << 5) | (1U << 27));
	assert_int_equal(rrd(&w, 2, GICR_ISACTIVER0), 0);
	assert_int_equal(drd(&w, GICD_ISPENDR + 8), 1U << 6);
	/* The guest takes PPI 27: after the look, it reads active, not pending. */
	assert_int_equal(acknowledge(&w.c[2], &intid), 0);
	assert_int_equal(intid, 27);
	sync_cpu(&w, 2);
	assert_int_equal(rrd(&w, 2, GICR_ISPENDR0), 1U << 5);
	assert_int_equal(rrd(&w, 2, GICR_ISACTIVER0), 1U << 27);
	assert_int_equal(rrd(&w, 2, GICR_ICACTIVER0), 1U << 27);
	/* It becomes pending again while active: pending and active, in the register after the look. */
	rwr(&w, 2, GICR_ISPENDR0, 4, 1U << 27);
	assert_int_equal(rrd(&w, 2, GICR_ISPENDR0), (1U << 5) | (1U << 27));
	assert_int_equal(w.g.notify & (1U << 2), 1U << 2);
	sync_cpu(&w, 2);
	assert_int_equal(LR_STATE(w.c[2].lr[lr_of(&w.c[2], 27)]), LR_PENDING | LR_ACTIVE);
	/* ICPENDR of listed SGI 5 takes it out of its register; ICACTIVER ends 27's active state. */
	rwr(&w, 2, GICR_ICPENDR0, 4, 1U << 5);
	rwr(&w, 2, GICR_ICACTIVER0, 4, 1U << 27);
	assert_int_equal(rrd(&w, 2, GICR_ISPENDR0), 1U << 27);
	assert_int_equal(rrd(&w, 2, GICR_ISACTIVER0), 0);
	sync_cpu(&w, 2);
	assert_int_equal(lr_of(&w.c[2], 5), -1);
	assert_int_equal(vgic_is_listed(&w.g, 2, 5), 0);
	assert_int_equal(LR_STATE(w.c[2].lr[lr_of(&w.c[2], 27)]), LR_PENDING);
	/* ISACTIVER of listed SPI 70 (pending): pending and active; the guest cannot take it now. */
	dwr(&w, GICD_ISACTIVER + 8, 4, 1U << 6);
	assert_int_equal(drd(&w, GICD_ISACTIVER + 8), 1U << 6);
	sync_cpu(&w, 2);
	assert_int_equal(LR_STATE(w.c[2].lr[lr_of(&w.c[2], 70)]), LR_PENDING | LR_ACTIVE);
	/* The guest ends everything: nothing pending, nothing active after the look. */
	assert_int_equal(acknowledge(&w.c[2], &intid), 0);
	assert_int_equal(intid, 27);
	end(&w.c[2], 27);
	end(&w.c[2], 70);
	assert_int_equal(acknowledge(&w.c[2], &intid), 0);
	assert_int_equal(intid, 70);
	end(&w.c[2], 70);
	sync_cpu(&w, 2);
	assert_int_equal(w.l[2].used, 0);
	assert_int_equal(rrd(&w, 2, GICR_ISPENDR0) | rrd(&w, 2, GICR_ISACTIVER0), 0);
	assert_int_equal(drd(&w, GICD_ISPENDR + 8) | drd(&w, GICD_ISACTIVER + 8), 0);
	check_index(&w.g);
}

/* A physical interrupt's arrival: straight into a register, or refused (the caller then latches it). */
static void test_arrival_lists_at_once(void **state)
{
	struct world w;
	uint32_t intid;
	(void)state;
	setup(&w);
	configure(&w, 3, 27, 0x20);
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 27, 0), 0);
	int i = lr_of(&w.c[3], 27);
	assert_true(i >= 0);
	assert_int_equal(vgic_is_listed(&w.g, 3, 27), 1);
	assert_int_equal(w.g.notify, 0);
	/* Again while still listed: refused. */
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 27, 0), -1);
	/* The guest takes and ends it; the next arrival takes the same register, found empty. */
	assert_int_equal(acknowledge(&w.c[3], &intid), 0);
	end(&w.c[3], 27);
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 27, 1U << i), 0);
	assert_int_equal(lr_of(&w.c[3], 27), i);
	assert_int_equal(rrd(&w, 3, GICR_ISPENDR0), 1U << 27);
	/* Disabled, or with news pending for the vCPU: refused, nothing changed. */
	assert_int_equal(acknowledge(&w.c[3], &intid), 0);
	end(&w.c[3], 27);
	rwr(&w, 3, SGI_BASE + 0x180, 4, 1U << 27); /* ICENABLER0 */
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 27, 1U << i), -1);
	rwr(&w, 3, GICR_ISENABLER0, 4, 1U << 27);
	configure(&w, 3, 3, 0x10);
	vgic_set_pending(&w.g, 3, 3);
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 27, 1U << i), -1);
	/* An SPI routed elsewhere is not this vCPU's to list. */
	sync_cpu(&w, 3);
	configure(&w, 0, 99, 0x10);
	assert_int_equal(vgic_lr_arrive(&w.g, 3, &w.l[3], &ops, &w.c[3], 99, 0), -1);
	check_index(&w.g);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245U + 12345U;
	return rnd_state >> 8;
}

/* What vgic_next_pending() must return, found the slow way from the state. */
static int brute_next(const struct vgic *g, unsigned int cpu, uint32_t *intid, uint8_t *prio)
{
	unsigned int best = IDLE_PRIO;

	if (!(g->ctlr & CTLR_G1))
		return -1;
	for (unsigned int i = 0; i < 32 + g->nr_spis; i++) {
		const struct vgic_bank *b = i < 32 ? &g->cpu[cpu].priv : &g->spi[(i - 32) / 32];
		uint32_t bit = 1U << (i % 32);
		if (i >= 32 && g->irouter[i - 32] != cpu)
			continue;
		if (!(b->pending & b->enabled & bit) || ((b->active | b->listed) & bit))
			continue;
		unsigned int p = i < 32 ? g->cpu[cpu].prio[i] : g->spi_prio[i - 32];
		if (p < best) {
			best = p;
			*intid = i;
		}
	}
	if (best == IDLE_PRIO)
		return -1;
	*prio = (uint8_t)best;
	return 0;
}

/* Random register writes, arrivals and list-register traffic: the index always agrees with a full search. */
/* A realm's timer is listed with an EOI maintenance request (core/vgic_hw.c run_extra()). */
static uint64_t f_extra_eoi(void *ctx, uint32_t intid)
{
	(void)ctx;
	return intid == VGIC_PPI_VTIMER ? ICH_LR_EOI : 0;
}

static const struct vgic_lr_ops ops_eoi = { f_read, f_write, f_extra_eoi };

/*
 * The guest deactivates a timer listed with EOI = 1: the register is empty
 * but still requests the maintenance interrupt (ICH_EISR_EL2) until the
 * hypervisor clears it; left as it was, every entry exited at once.
 */
static void test_emptied_eoi_register_is_cleared(void **state)
{
	(void)state;
	struct world w;
	uint32_t intid;

	setup(&w);
	configure(&w, 0, VGIC_PPI_VTIMER, 0xa0);
	vgic_set_pending(&w.g, 0, VGIC_PPI_VTIMER);
	assert_int_equal(vgic_lr_sync(&w.g, 0, &w.l[0], &ops_eoi, &w.c[0]), 0);
	assert_true(w.c[0].lr[0] & ICH_LR_EOI);
	assert_int_equal(acknowledge(&w.c[0], &intid), 0);
	assert_int_equal(intid, VGIC_PPI_VTIMER);
	end(&w.c[0], intid);
	assert_int_equal(LR_STATE(w.c[0].lr[0]), 0);
	assert_int_equal(vgic_lr_sync(&w.g, 0, &w.l[0], &ops_eoi, &w.c[0]), 0);
	assert_int_equal(w.c[0].lr[0], 0);
	assert_int_equal(w.l[0].used, 0);
}

static void test_index_agrees_with_full_search(void **state)
{
	static struct world w;
	(void)state;
	setup(&w);
	assert_int_equal(vgic_init(&w.g, NR_VCPUS, VGIC_MAX_SPIS), 0); /* every SPI a GIC can have */
	dwr(&w, GICD_CTLR, 4, CTLR_G1);
	for (unsigned int step = 0; step < 20000; step++) {
		unsigned int cpu = rnd() % NR_VCPUS, intid = rnd() % (32 + VGIC_MAX_SPIS);
		switch (rnd() % 9) {
		case 0:
			vgic_set_pending(&w.g, cpu, intid);
			break;
		case 1:
			vgic_clear_pending(&w.g, cpu, intid);
			break;
		case 2:
			if (intid < 32)
				rwr(&w, cpu, GICR_ISENABLER0 + ((rnd() & 1) ? 0x80 : 0), 4, 1U << intid);
			else
				dwr(&w, GICD_ISENABLER + ((rnd() & 1) ? 0x80 : 0) + 4 * (intid / 32), 4,
				    1U << (intid % 32));
			break;
		case 3:
			if (intid >= 32)
				dwr(&w, GICD_IROUTER(intid), 8, rnd() % (NR_VCPUS + 1));
			break;
		case 4:
			if (intid < 32)
				rwr(&w, cpu, GICR_IPRIORITYR0 + intid, 1, rnd() & 0xff);
			else
				dwr(&w, GICD_IPRIORITYR + intid, 1, rnd() & 0xff);
			break;
		case 5:
			if (intid < 32)
				rwr(&w, cpu, ((rnd() & 1) ? GICR_ISACTIVER0 : GICR_ICACTIVER0), 4,
				    1U << intid);
			else
				dwr(&w, ((rnd() & 1) ? GICD_ISACTIVER : GICD_ICACTIVER) + 4 * (intid / 32), 4,
				    1U << (intid % 32));
			break;
		case 6: {
			uint32_t got;
			if (acknowledge(&w.c[cpu], &got) == 0)
				end(&w.c[cpu], got);
			break;
		}
		case 7:
			dwr(&w, GICD_CTLR, 4, (rnd() % 8) ? CTLR_G1 : 0);
			break;
		default:
			sync_cpu(&w, cpu);
			break;
		}
		check_index(&w.g);
		for (unsigned int c = 0; c < NR_VCPUS; c++) {
			uint32_t a = 0, b = 0;
			uint8_t pa = 0, pb = 0;
			int ra = vgic_next_pending(&w.g, c, &a, &pa), rb = brute_next(&w.g, c, &b, &pb);
			assert_int_equal(ra, rb);
			assert_int_equal(vgic_has_ready(&w.g, c), ra == 0);
			if (ra == 0) {
				assert_int_equal(pa, pb);
				assert_int_equal(a, b);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_64_pending_delivered_in_priority_order),
		cmocka_unit_test(test_more_urgent_displaces_less_urgent),
		cmocka_unit_test(test_pending_and_active_read_back_from_lrs),
		cmocka_unit_test(test_arrival_lists_at_once),
		cmocka_unit_test(test_emptied_eoi_register_is_cleared),
		cmocka_unit_test(test_index_agrees_with_full_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
