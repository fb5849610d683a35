/*
 * The vGIC's interrupt state and the index over it (vgic.h): every change to
 * pending, enabled, active, listed or routing goes through here, so that
 * each vCPU's summary of ready SPI words stays exact and the vCPUs that
 * gained something are noted in `notify`. Register decoding is vgic.c's;
 * list registers are vgic_lr.c's.
 */
#include <stddef.h>
#include "vgic.h"
#include "vgic_state.h"

static unsigned int ctz32(uint32_t x)
{
	return (unsigned int)__builtin_ctz(x);
}

struct vgic_bank *vgic_bank_of(struct vgic *v, unsigned int vcpu, unsigned int word)
{
	return word == 0 ? &v->cpu[vcpu].priv : &v->spi[word - 1];
}

/*
 * Word word of vcpu's view changed from `before` ready bits: bring the SPI
 * summaries up to date and note the vCPUs that gained ready interrupts.
 */
void vgic_ready_changed(struct vgic *v, unsigned int vcpu, unsigned int word, uint32_t before)
{
	if (word == 0) {
		if (vgic_ready_bits(&v->cpu[vcpu].priv) & ~before)
			vgic_notify(v, 1U << vcpu);
		return;
	}
	unsigned int w = word - 1;
	uint32_t now = vgic_ready_bits(&v->spi[w]), gained = now & ~before, bit = 1U << w;
	for (unsigned int c = 0; c < v->nr_vcpus; c++) {
		struct vgic_cpu *cpu = &v->cpu[c];
		if (now & cpu->routed[w])
			cpu->spi_ready |= bit;
		else
			cpu->spi_ready &= ~bit;
		if (gained & cpu->routed[w])
			vgic_notify(v, 1U << c);
	}
}

/* The vCPUs holding listed interrupts `bits` of a word have changes to make in their list registers. */
static void listed_changed(struct vgic *v, unsigned int vcpu, unsigned int word, uint32_t bits)
{
	if (!bits)
		return;
	if (word == 0) {
		vgic_notify(v, 1U << vcpu);
		return;
	}
	for (; bits; bits &= bits - 1)
		vgic_notify(v, 1U << v->spi_owner[32 * (word - 1) + ctz32(bits)]);
}

void vgic_bits_set(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f, uint32_t bits)
{
	struct vgic_bank *b = vgic_bank_of(v, vcpu, word);
	uint32_t before = vgic_ready_bits(b), l = bits & b->listed;

	switch (f) {
	case VGIC_ENABLED:
		b->enabled |= bits;
		break;
	case VGIC_PENDING:
		b->pending |= bits & ~l;
		b->lr_pend |= l;
		b->set_pend |= l;
		b->clr_pend &= ~l;
		listed_changed(v, vcpu, word, l);
		break;
	default:
		b->active |= bits & ~l;
		b->lr_act |= l;
		b->set_act |= l;
		b->clr_act &= ~l;
		listed_changed(v, vcpu, word, l);
		break;
	}
	vgic_ready_changed(v, vcpu, word, before);
}

void vgic_bits_clear(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f, uint32_t bits)
{
	struct vgic_bank *b = vgic_bank_of(v, vcpu, word);
	uint32_t before = vgic_ready_bits(b), l = bits & b->listed;

	switch (f) {
	case VGIC_ENABLED:
		b->enabled &= ~bits;
		break;
	case VGIC_PENDING:
		b->pending &= ~bits;
		b->lr_pend &= ~l;
		b->clr_pend |= l;
		b->set_pend &= ~l;
		listed_changed(v, vcpu, word, l);
		break;
	default:
		b->active &= ~bits;
		b->lr_act &= ~l;
		b->clr_act |= l;
		b->set_act &= ~l;
		listed_changed(v, vcpu, word, l);
		break;
	}
	vgic_ready_changed(v, vcpu, word, before);
}

uint32_t vgic_bits_read(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f)
{
	const struct vgic_bank *b = vgic_bank_of(v, vcpu, word);

	switch (f) {
	case VGIC_ENABLED:
		return b->enabled;
	case VGIC_PENDING:
		return b->pending | b->lr_pend;
	default:
		return b->active | b->lr_act;
	}
}

void vgic_prio_changed(struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	unsigned int word = intid / 32;
	const struct vgic_bank *b = vgic_bank_of(v, vcpu, word);
	uint32_t bit = 1U << (intid % 32);

	/* A ready interrupt may now outrank a listed one: its vCPU looks again. */
	if (!(vgic_ready_bits(b) & bit))
		return;
	if (word == 0) {
		vgic_notify(v, 1U << vcpu);
		return;
	}
	for (unsigned int c = 0; c < v->nr_vcpus; c++)
		if (v->cpu[c].routed[word - 1] & bit)
			vgic_notify(v, 1U << c);
}

/* The vCPU an IROUTER value delivers to, or VGIC_MAX_VCPUS for none (Aff1..Aff3 must be 0). */
static unsigned int target_of(const struct vgic *v, uint64_t irouter)
{
	return irouter < v->nr_vcpus ? (unsigned int)irouter : VGIC_MAX_VCPUS;
}

void vgic_route(struct vgic *v, unsigned int spi, uint64_t irouter)
{
	unsigned int from = target_of(v, v->irouter[spi]), to = target_of(v, irouter), w = spi / 32;
	uint32_t bit = 1U << (spi % 32), ready = vgic_ready_bits(&v->spi[w]);

	v->irouter[spi] = irouter;
	if (from == to)
		return;
	if (from < VGIC_MAX_VCPUS)
		v->cpu[from].routed[w] &= ~bit;
	if (to < VGIC_MAX_VCPUS)
		v->cpu[to].routed[w] |= bit;
	/* As if this SPI had not been ready: the vCPU it now goes to gains it if it is. */
	vgic_ready_changed(v, 0, 1 + w, ready & ~bit);
}

void vgic_set_ctlr(struct vgic *v, uint32_t enable_grp1)
{
	uint32_t was = v->ctlr;

	v->ctlr = enable_grp1;
	if (enable_grp1 && !was)
		vgic_notify(v, (1U << v->nr_vcpus) - 1);
}

void vgic_set_pending(struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	unsigned int word;
	uint32_t bit;

	if (vgic_where(v, vcpu, intid, &word, &bit))
		vgic_bits_set(v, word ? 0 : vcpu, word, VGIC_PENDING, bit);
}

void vgic_clear_pending(struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	unsigned int word;
	uint32_t bit;

	if (vgic_where(v, vcpu, intid, &word, &bit))
		vgic_bits_clear(v, word ? 0 : vcpu, word, VGIC_PENDING, bit);
}

int vgic_is_pending(const struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	unsigned int word;
	uint32_t bit;
	const struct vgic_bank *b = vgic_locate_const(v, vcpu, intid, &word, &bit);

	return b && ((b->pending | b->lr_pend) & bit);
}

int vgic_is_listed(const struct vgic *v, unsigned int vcpu, unsigned int intid)
{
	unsigned int word;
	uint32_t bit;
	const struct vgic_bank *b = vgic_locate_const(v, vcpu, intid, &word, &bit);

	return b && (b->listed & bit);
}

/* Keeps the most urgent of `ready` (INTIDs first..first+31) in *best / *best_prio. */
static void pick(uint32_t ready, const uint8_t *prio, unsigned int first, uint32_t *best,
		 unsigned int *best_prio)
{
	for (; ready; ready &= ready - 1) {
		unsigned int i = ctz32(ready);
		if (prio[i] < *best_prio) {
			*best_prio = prio[i];
			*best = first + i;
		}
	}
}

int vgic_next_pending(const struct vgic *v, unsigned int vcpu, uint32_t *intid, uint8_t *prio)
{
	unsigned int best_prio = 0x100; /* above every priority */
	uint32_t best = 0;

	if (vcpu >= v->nr_vcpus || !(v->ctlr & VGIC_CTLR_ENABLE_GRP1))
		return -1;
	const struct vgic_cpu *c = &v->cpu[vcpu];
	pick(vgic_ready_bits(&c->priv), c->prio, 0, &best, &best_prio);
	for (uint32_t words = c->spi_ready; words; words &= words - 1) {
		unsigned int w = ctz32(words);
		pick(vgic_ready_bits(&v->spi[w]) & c->routed[w], &v->spi_prio[32 * w], VGIC_SPI_BASE + 32 * w,
		     &best, &best_prio);
	}
	if (best_prio > 0xff)
		return -1;
	*intid = best;
	*prio = (uint8_t)best_prio;
	return 0;
}

void vgic_unlist(struct vgic *v, unsigned int vcpu, uint32_t intid, unsigned int state)
{
	unsigned int word;
	uint32_t bit;
	struct vgic_bank *b = vgic_locate(v, vcpu, intid, &word, &bit);

	if (!b || !(b->listed & bit))
		return;
	uint32_t before = vgic_ready_bits(b);
	state = vgic_apply_changes(b, bit, state);
	b->listed &= ~bit;
	b->lr_pend &= ~bit;
	b->lr_act &= ~bit;
	if (state & VGIC_LR_PENDING)
		b->pending |= bit;
	if (state & VGIC_LR_ACTIVE)
		b->active |= bit;
	vgic_ready_changed(v, vcpu, word, before);
}
