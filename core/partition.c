/* Partition life cycle: start, stop, restart; shared by every physical CPU. */
#include <arch/cache.h>
#include <arch/smc.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"

#define LEAVE_WAIT_S 1	    /* how long a restart waits for kicked vCPUs to leave */
#define EVENT_REPORTS_MAX 4 /* per partition; a guest in a reset loop must not flood the console */

struct partition *partitions;
const struct rampart_partition_table *partition_table;
unsigned int nr_partitions;

static const struct part_mem *mem_of(const struct partition *p, uint64_t ipa)
{
	for (unsigned int i = 0; i < p->nr_mem; i++) {
		const struct part_mem *m = &p->mem[i];
		if (ipa >= m->ipa && ipa - m->ipa < m->size)
			return m;
	}
	return NULL;
}

int partition_ipa_is_ram(const struct partition *p, uint64_t ipa)
{
	return mem_of(p, ipa) != NULL;
}

int partition_ram_pa(const struct partition *p, uint64_t ipa, uint64_t size, uint64_t *pa)
{
	const struct part_mem *m = mem_of(p, ipa);

	/* The whole range in one RAM region: contiguous in PA as well. */
	if (!m || size == 0 || size > m->size - (ipa - m->ipa))
		return -1;
	*pa = m->pa + (ipa - m->ipa);
	return 0;
}

uint32_t partition_pend_spi(struct partition *p, uint32_t intid)
{
	vgic_set_pending(&p->vgic, 0, intid);
	return vgic_take_kicks(&p->vgic);
}

uint32_t partition_spi_level(struct partition *p, uint32_t intid, int asserted)
{
	if (vgic_is_pending(&p->vgic, 0, intid) == !!asserted)
		return 0;
	if (asserted)
		return partition_pend_spi(p, intid);
	vgic_clear_pending(&p->vgic, 0, intid);
	return vgic_take_kicks(&p->vgic);
}

static void kick_others(struct partition *p, const struct vcpu *self)
{
	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *o = &p->vcpus[i];
		if (o != self && __atomic_load_n(&o->in_guest, __ATOMIC_ACQUIRE))
			hyp_kick(o->pcpu);
	}
}

/*
 * Images, and on a restart fresh RAM: nothing of the previous run survives
 * it. The first start skips the zeroing (most of the boot's cost: the RAM
 * must also be cleaned to the PoC for a guest that starts with its MMU off);
 * what RAM holds then is the platform's power-on or reset state.
 */
static void load_images(struct partition *p, int zero_ram)
{
	for (unsigned int i = 0; zero_ram && i < p->nr_mem; i++) {
		zero_blocks((uintptr_t)p->mem[i].pa, p->mem[i].size);
		dcache_clean_range((uintptr_t)p->mem[i].pa, p->mem[i].size);
	}
	for (unsigned int i = 0; i < p->nr_images; i++) {
		const struct part_image *img = &p->images[i];
		const struct part_mem *m = mem_of(p, img->ipa);
		uint64_t dst = m->pa + (img->ipa - m->ipa);
		memcpy((void *)dst, (const void *)img->src_pa, img->size);
		dcache_clean_range((uintptr_t)dst, img->size);
	}
	/* Its other vCPUs run on other CPUs. */
	icache_inval_all_is();
}

void partition_load(struct partition *p)
{
	uint32_t what = p->load_pending;

	if (what == PART_LOAD_NONE)
		return;
	load_images(p, what == PART_LOAD_ZEROED);
	p->load_pending = PART_LOAD_NONE;
	containment_start(p); /* the watchdog counts from the guest's start, not the copy's */
}

/*
 * vCPU 0's CPU loads the images (partition_load()), not the caller: at boot
 * every partition's CPU copies its own, so a small partition does not wait
 * for a large one's kernel to be copied, and a restart costs only the
 * partition's own CPU. A realm's images reach its RAM through DATA_CREATE
 * when vCPU 0's CPU builds it (pcpu.c).
 */
void partition_start(struct partition *p, int restart)
{
	if (p->kind == RAMPART_KIND_VM)
		p->load_pending = restart ? PART_LOAD_ZEROED : PART_LOAD_IMAGES;
	containment_start(p);
	spin_lock(&p->lock);
	/* At boot the builder initialised it: another partition may already have rung a doorbell. */
	if (restart)
		vgic_init(&p->vgic, p->nr_vcpus, p->nr_spis);
	p->state = PART_RUNNING;
	struct vcpu *v0 = &p->vcpus[0];
	v0->entry = p->boot_entry;
	v0->ctx_id = p->boot_x0;
	__atomic_store_n(&v0->state, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	spin_unlock(&p->lock);
	/* After the vGIC's reset: a level the last run left asserted is latched in the new model. */
	if (restart)
		partition_spis_reset(p);
	vcpu_wake(v0);
}

/* Every partition stopped, and every realm among them torn down (another CPU may still be at it). */
static int all_stopped(void)
{
	for (unsigned int i = 0; i < nr_partitions; i++) {
		const struct partition *p = &partitions[i];
		if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PART_STOPPED ||
		    (p->kind == RAMPART_KIND_REALM && __atomic_load_n(&p->realm.rd, __ATOMIC_ACQUIRE)))
			return 0;
	}
	return 1;
}

void partition_event(struct partition *p, const char *what)
{
	uint64_t n = __atomic_add_fetch(&p->events, 1, __ATOMIC_RELAXED);

	if (n <= EVENT_REPORTS_MAX)
		HLOG("partition %s: %s\n", p->name, what);
	else if (n == EVENT_REPORTS_MAX + 1)
		HLOG("partition %s: further power events are counted, not reported\n", p->name);
}

/* Every vCPU of p but self out of its guest (they were kicked), or a panic: memory is about to change. */
static void wait_vcpus_out(struct partition *p, const struct vcpu *self, const char *why)
{
	uint64_t end = read_cntpct() + read_sysreg(cntfrq_el0) * LEAVE_WAIT_S;

	for (unsigned int i = 0; i < p->nr_vcpus; i++) {
		if (&p->vcpus[i] == self)
			continue;
		while (__atomic_load_n(&p->vcpus[i].in_guest, __ATOMIC_ACQUIRE)) {
			if (read_cntpct() > end)
				hyp_panic("partition %s: vcpu %u did not leave its guest for a %s", p->name,
					  i, why);
		}
	}
}

/*
 * A realm leaves nothing behind: every granule goes back to NS, scrubbed.
 * One CPU does it; a second vCPU stopping the same realm meanwhile finds it
 * claimed and leaves it to the first.
 */
static void realm_down(struct partition *p, struct vcpu *self, const char *why)
{
	if (__atomic_exchange_n(&p->realm.transition, 1, __ATOMIC_ACQ_REL))
		return;
	wait_vcpus_out(p, self, why);
	realm_lifecycle_lock();
	uint64_t n = realm_teardown(p);
	realm_lifecycle_unlock();
	HLOG("partition %s: realm torn down, %lu granules returned to the Normal world\n", p->name, n);
	const struct realm_counts *c = &p->realm.counts;
	HLOG("partition %s: the realm's run: %lu REC exits: %lu emulated MMIO, %lu interrupts, %lu PSCI, "
	     "%lu host calls (%lu unknown), %lu RIPAS changes (%lu refused), %lu memory, %lu shared pages\n",
	     p->name, c->exits, c->mmio_exits, c->irq_exits, c->psci_exits, c->host_calls,
	     c->unknown_host_calls, c->ripas_changes, c->rejected_ripas, c->memory_exits, c->shared_pages);
	realm_scrub_check(p);
	__atomic_store_n(&p->realm.transition, 0, __ATOMIC_RELEASE);
}

void partition_stop(struct partition *p, struct vcpu *self)
{
	spin_lock(&p->lock);
	p->state = PART_STOPPED;
	vuart_flush_partial(&p->vuart);
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		__atomic_store_n(&p->vcpus[i].state, VCPU_STOPPED, __ATOMIC_RELEASE);
	spin_unlock(&p->lock);
	partition_spis_quiesce(p);
	console_partition_stopped(p);
	kick_others(p, self);
	if (p->kind == RAMPART_KIND_REALM)
		realm_down(p, self, "stop");
	if (all_stopped()) {
		HLOG("all partitions stopped: powering off\n");
		smc1(PSCI_SYSTEM_OFF, 0);
	}
}

void partition_restart(struct partition *p, struct vcpu *self)
{
	spin_lock(&p->lock);
	p->restarts++;
	vuart_flush_partial(&p->vuart);
	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		__atomic_store_n(&p->vcpus[i].state, VCPU_OFF, __ATOMIC_RELEASE);
	spin_unlock(&p->lock);
	kick_others(p, self);
	/* Its memory is rewritten below: every vCPU must be out of the guest first. */
	wait_vcpus_out(p, self, "restart");
	if (p->kind == RAMPART_KIND_REALM)
		realm_down(p, self, "restart"); /* vCPU 0's CPU builds it again from the same images */
	partition_start(p, 1);
}
