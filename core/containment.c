/*
 * Fault containment of a partition (docs/partitions.md, "Fault
 * containment"): its virtual watchdog, the back-off and limit of restarts by
 * its fault policy, and the budget of its passthrough interrupts.
 *
 * No CPU is dedicated to any of it. Each physical CPU that runs a normal
 * VM's vCPU uses its own EL2 physical timer (CNTHP, the "hypervisor timer")
 * for that vCPU's deadlines: the watchdog on vCPU 0's CPU, the end of an
 * interrupt window on the CPU that throttled an SPI. Physical interrupts go
 * to EL2 whatever the guest's PSTATE.I (HCR_EL2.IMO), so a guest that hangs
 * with its interrupts masked is still preempted when its deadline passes.
 *
 * Nothing here logs on a guest's behaviour except the one line of the action
 * it leads to (a restart, a stop): the rest is counted, and the counters go
 * out with the partition's stop (containment_report()).
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <lib/printf.h>
#include "containment.h"
#include "hyp.h"

#define MS_PER_S 1000U
#define CNTHP_CTL_ENABLE 1UL
#define NO_DEADLINE UINT64_MAX
/* Windows in a row over the budget before the partition's policy applies (one is a burst). */
#define IRQ_STORM_WINDOWS 3U
#define DETAIL_MAX 160

static uint64_t ms_to_ticks(uint64_t ms)
{
	return read_sysreg(cntfrq_el0) * ms / MS_PER_S;
}

static enum fault_policy policy_of(uint32_t table_policy)
{
	switch (table_policy) {
	case RAMPART_FAULT_RESTART:
		return FAULT_RESTART;
	case RAMPART_FAULT_RESET_SYSTEM:
		return FAULT_RESET_SYSTEM;
	default:
		return FAULT_STOP;
	}
}

void containment_init(struct partition *p)
{
	const struct rampart_containment *c = &p->entry->containment;

	p->wd_ticks = c->watchdog_ms ? ms_to_ticks(c->watchdog_ms) : 0;
	p->wd_action = policy_of(c->watchdog_action);
	p->restart_limit = c->restart_limit;
	p->restart_backoff_ms = c->restart_backoff_ms;
	/* A table without a budget (zeros) gets the defaults: no partition is unbounded. */
	p->irq_budget = c->irq_budget ? c->irq_budget : RAMPART_IRQ_BUDGET_DEFAULT;
	p->irq_window_ticks =
		ms_to_ticks(c->irq_window_ms ? c->irq_window_ms : RAMPART_IRQ_WINDOW_MS_DEFAULT);
}

void containment_start(struct partition *p)
{
	if (p->wd_ticks)
		__atomic_store_n(&p->wd_deadline, read_cntpct() + p->wd_ticks, __ATOMIC_RELEASE);
}

long containment_kick(struct partition *p)
{
	if (!p->wd_ticks)
		return RAMPART_HVC_NOT_SUPPORTED;
	__atomic_store_n(&p->wd_deadline, read_cntpct() + p->wd_ticks, __ATOMIC_RELEASE);
	__atomic_add_fetch(&p->wd_kicks, 1, __ATOMIC_RELAXED);
	return 0;
}

void containment_arm(struct partition *p, struct vcpu *v)
{
	uint64_t next = NO_DEADLINE;

	/* A kick from another vCPU only moves the deadline later: the timer then fires early and re-arms. */
	if (v->id == 0 && p->wd_ticks)
		next = __atomic_load_n(&p->wd_deadline, __ATOMIC_ACQUIRE);
	if (v->nr_throttled && v->irq_win_start + p->irq_window_ticks < next)
		next = v->irq_win_start + p->irq_window_ticks;
	if (next == NO_DEADLINE) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, next);
		write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	}
	isb();
}

void containment_timer_idle(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

/* The window that throttled v's SPIs is over: they reach the guest again. */
static void unthrottle(struct vcpu *v)
{
	for (unsigned int i = 0; i < v->nr_throttled; i++)
		hyp_spi_enable(v->throttled[i]);
	v->nr_throttled = 0;
}

long containment_timer(struct partition *p, struct vcpu *v)
{
	uint64_t now = read_cntpct();

	if (v->nr_throttled && now - v->irq_win_start >= p->irq_window_ticks)
		unthrottle(v);
	if (v->id == 0 && p->wd_ticks && now >= __atomic_load_n(&p->wd_deadline, __ATOMIC_ACQUIRE)) {
		char detail[DETAIL_MAX];
		containment_timer_idle();
		p->wd_expiries++;
		snprintf(detail, sizeof(detail), "watchdog expired (no kick for %u ms, %lu kicks so far)",
			 p->entry->containment.watchdog_ms, p->wd_kicks);
		v->elr = read_sysreg(elr_el2);
		partition_fault_as(p, v, p->wd_action, detail, 0);
		return VCPU_LEAVE_FAULT;
	}
	containment_arm(p, v);
	return vcpu_resume(p, v);
}

long containment_throttle(struct partition *p, struct vcpu *v, uint32_t intid)
{
	if (!v->win_throttled) {
		v->win_throttled = 1;
		v->storm_run++;
		__atomic_add_fetch(&p->irq_throttles, 1, __ATOMIC_RELAXED);
	}
	if (v->storm_run >= IRQ_STORM_WINDOWS) {
		char detail[DETAIL_MAX];
		snprintf(detail, sizeof(detail),
			 "interrupt storm (INTID %u over the budget of %u per window in %u windows in a row)",
			 intid, p->irq_budget, IRQ_STORM_WINDOWS);
		v->elr = read_sysreg(elr_el2);
		partition_fault_as(p, v, p->policy, detail, 0);
		return VCPU_LEAVE_FAULT;
	}
	/* Masked until the window ends; this one is still delivered (a level stays asserted anyway). */
	hyp_spi_disable(intid);
	if (v->nr_throttled < VCPU_MAX_THROTTLED)
		v->throttled[v->nr_throttled++] = (uint16_t)intid;
	containment_arm(p, v);
	return 0;
}

void containment_backoff(struct vcpu *v)
{
	if (!v->backoff_ms)
		return;
	uint64_t end = read_cntpct() + ms_to_ticks(v->backoff_ms);
	write_sysreg(cnthp_cval_el2, end);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
	/* The timer's interrupt (or a kick) ends each sleep; hyp_irq_drain() silences the timer. */
	while (read_cntpct() < end)
		hyp_wait_irq();
	containment_timer_idle();
}

void containment_report(const struct partition *p)
{
	uint64_t irqs = 0;

	for (unsigned int i = 0; i < p->nr_vcpus; i++)
		irqs += p->vcpus[i].hw_irqs;
	HLOG("partition %s: stopped: %lu faults, %u restarts by its policy, watchdog %lu kicks and %lu "
	     "expiries, %lu passthrough interrupts (%lu windows throttled), %lu bad MMIO, %lu unknown "
	     "calls\n",
	     p->name, p->faults, p->fault_restarts, p->wd_kicks, p->wd_expiries, irqs, p->irq_throttles,
	     p->bad_mmio, p->unknown_smc);
}
