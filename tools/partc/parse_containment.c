/*
 * partc: parsing a partition's fault-containment properties (the `watchdog`
 * child node of a normal VM, restart-limit, restart-backoff-ms, irq-budget):
 * structure only (cells, strings, unknown names). validate_containment.c
 * checks what they mean (docs/partitions.md, "Fault containment").
 */
#include <string.h>
#include <libfdt.h>
#include "partc.h"

#define IRQ_BUDGET_CELLS 2 /* <count window-ms> */

static uint32_t cell_at(const void *val, unsigned int i)
{
	return fdt32_ld((const fdt32_t *)val + i);
}

/* n 32-bit cells written as <...>: reports and returns false otherwise. */
static bool cells_ok(const struct pc_types *types, struct pc_diag *d, const char *path, const char *prop,
		     int len, int n, const char *form)
{
	if (pc_type_widths(types, path, prop)) {
		pc_error(d, path, prop, "must be written %s (32-bit cells)", form);
		return false;
	}
	if (len != n * 4) {
		pc_error(d, path, prop, "%d bytes; must be %s (%d cell%s)", len, form, n, n == 1 ? "" : "s");
		return false;
	}
	return true;
}

bool pc_parse_containment_prop(const struct pc_types *types, struct pc_diag *d, struct pc_partition *pt,
			       const char *name, const void *val, int len)
{
	struct pc_containment *c = &pt->contain;

	if (!strcmp(name, "restart-limit")) {
		if ((c->has_restart_limit = cells_ok(types, d, pt->path, name, len, 1, "<count>")))
			c->restart_limit = cell_at(val, 0);
	} else if (!strcmp(name, "restart-backoff-ms")) {
		if ((c->has_backoff = cells_ok(types, d, pt->path, name, len, 1, "<ms>")))
			c->backoff_ms = cell_at(val, 0);
	} else if (!strcmp(name, "irq-budget")) {
		if ((c->has_irq_budget = cells_ok(types, d, pt->path, name, len, IRQ_BUDGET_CELLS,
						  "<count window-ms>"))) {
			c->irq_budget = cell_at(val, 0);
			c->irq_window_ms = cell_at(val, 1);
		}
	} else {
		return false;
	}
	return true;
}

void pc_parse_watchdog(const void *fdt, int off, const struct pc_types *types, struct pc_diag *d,
		       struct pc_partition *pt)
{
	struct pc_containment *c = &pt->contain;
	int poff, sub;

	c->has_watchdog = true;
	if (fdt_get_path(fdt, off, c->wd_path, sizeof(c->wd_path)) < 0)
		strcpy(c->wd_path, "watchdog");
	fdt_for_each_property_offset(poff, fdt, off)
	{
		const char *name;
		int len;
		const char *val = fdt_getprop_by_offset(fdt, poff, &name, &len);

		if (!val || !strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))
			continue;
		if (!strcmp(name, "timeout-ms")) {
			if ((c->has_timeout = cells_ok(types, d, c->wd_path, name, len, 1, "<ms>")))
				c->timeout_ms = cell_at(val, 0);
		} else if (!strcmp(name, "action")) {
			if (len < 2 || val[len - 1] || strlen(val) != (size_t)len - 1 ||
			    (size_t)len > sizeof(c->action))
				pc_error(d, c->wd_path, name,
					 "must be one of \"stop\", \"restart\", "
					 "\"reset-system\"");
			else
				memcpy(c->action, val, (size_t)len);
		} else {
			pc_error(d, c->wd_path, name, "unknown property");
		}
	}
	fdt_for_each_subnode(sub, fdt, off)
	{
		char spath[PC_PATH_MAX];
		if (fdt_get_path(fdt, sub, spath, sizeof(spath)) < 0)
			strcpy(spath, c->wd_path);
		pc_error(d, spath, NULL, "unknown node (the watchdog node has no child nodes)");
	}
}
