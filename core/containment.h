/*
 * Fault containment on the interrupt exit path (irq.c): the budget of a
 * vCPU's passthrough interrupts, inline because every one of them pays it.
 * The rest of containment (the watchdog, restart back-off and limit, the
 * throttling itself) is containment.c's; partition.h declares it.
 */
#ifndef CORE_CONTAINMENT_H
#define CORE_CONTAINMENT_H
#include <arch/sysreg.h>
#include "partition.h"

long containment_throttle(struct partition *p, struct vcpu *v, uint32_t intid);
/*
 * A passthrough interrupt arrived for v: counted against the budget of the
 * current window. 0: deliver it; else what hyp_irq() returns (a storm).
 */
static inline long containment_irq(struct partition *p, struct vcpu *v, uint32_t intid)
{
	uint64_t now = read_cntpct();

	if (now - v->irq_win_start >= p->irq_window_ticks) {
		/* A window that stayed within the budget ends a run of throttled ones. */
		if (!v->win_throttled)
			v->storm_run = 0;
		v->win_throttled = 0;
		v->irq_win_start = now;
		v->irq_count = 0;
	}
	v->hw_irqs++;
	if (++v->irq_count <= p->irq_budget)
		return 0;
	return containment_throttle(p, v, intid);
}
#endif
