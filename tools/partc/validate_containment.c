/*
 * partc: what a partition's fault-containment properties mean
 * (docs/partitions.md, "Fault containment"): the watchdog's timeout and
 * action within bounds, restart properties that a policy can use, a budget
 * with interrupts to count. Pure functions over the model
 * (parse_containment.c reads the tree).
 */
#include <string.h>
#include "partc.h"

static void check_watchdog(struct pc_partition *pt, struct pc_diag *d)
{
	struct pc_containment *c = &pt->contain;

	c->action_kind = pt->fault_kind;
	if (!c->has_watchdog)
		return;
	if (!c->has_timeout)
		pc_error(d, c->wd_path, "timeout-ms",
			 "missing (how often the guest must kick it: %u to %u ms)", RAMPART_WATCHDOG_MIN_MS,
			 RAMPART_WATCHDOG_MAX_MS);
	else if (c->timeout_ms < RAMPART_WATCHDOG_MIN_MS || c->timeout_ms > RAMPART_WATCHDOG_MAX_MS)
		pc_error(d, c->wd_path, "timeout-ms", "%u ms is outside %u to %u ms", c->timeout_ms,
			 RAMPART_WATCHDOG_MIN_MS, RAMPART_WATCHDOG_MAX_MS);
	if (c->action[0]) {
		int v = pc_fault_policy(c->action);
		if (v < 0)
			pc_error(d, c->wd_path, "action",
				 "\"%s\" is not one of \"stop\", \"restart\", \"reset-system\"", c->action);
		else
			c->action_kind = (uint32_t)v;
	}
}

static bool has_interrupts(const struct pc_partition *pt)
{
	for (unsigned int j = 0; j < pt->nr_devices; j++)
		if (pt->devices[j].nr_irqs)
			return true;
	return false;
}

void pc_check_containment(struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		struct pc_containment *c = &pt->contain;

		check_watchdog(pt, d);
		bool restarts = pt->fault_kind == RAMPART_FAULT_RESTART ||
				(c->has_watchdog && c->action_kind == RAMPART_FAULT_RESTART);
		if (c->has_restart_limit && c->restart_limit > RAMPART_RESTART_LIMIT_MAX)
			pc_error(d, pt->path, "restart-limit",
				 "%u is more than %u (RAMPART_RESTART_LIMIT_MAX)", c->restart_limit,
				 RAMPART_RESTART_LIMIT_MAX);
		if (c->has_backoff && c->backoff_ms > RAMPART_RESTART_BACKOFF_MAX_MS)
			pc_error(d, pt->path, "restart-backoff-ms",
				 "%u ms is more than %u (RAMPART_RESTART_BACKOFF_MAX_MS)", c->backoff_ms,
				 RAMPART_RESTART_BACKOFF_MAX_MS);
		/* Given where nothing restarts the partition, it would silently do nothing. */
		if ((c->has_restart_limit || c->has_backoff) && !restarts)
			pc_error(d, pt->path, c->has_restart_limit ? "restart-limit" : "restart-backoff-ms",
				 "nothing restarts this partition (its fault-policy and watchdog action are "
				 "not "
				 "\"restart\")");
		if (!c->has_irq_budget)
			continue;
		if (!has_interrupts(pt))
			pc_error(d, pt->path, "irq-budget",
				 "the partition has no passthrough interrupt to budget");
		else if (c->irq_budget == 0 || c->irq_window_ms == 0 ||
			 c->irq_window_ms > RAMPART_IRQ_WINDOW_MS_MAX)
			pc_error(d, pt->path, "irq-budget",
				 "<%u %u>: the count must be at least 1 and the window 1 to %u ms",
				 c->irq_budget, c->irq_window_ms, RAMPART_IRQ_WINDOW_MS_MAX);
	}
}
