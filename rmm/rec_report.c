/*
 * What every REC exit reports of the realm's GIC and timer state
 * (RmiRecExit gicv3_* and cnt*), and which timers the next entry must mask
 * while their interrupt is still asserted. Plain memory: built for the host
 * too, so the unit tests and the fuzz targets report exits as the RMM does.
 */
#include <rampart/rmi.h>
#include "rec.h"
#include "rec_ctx.h"
#include "rec_run.h"

static int timer_asserted(uint64_t ctl)
{
	/* ENABLE, not IMASK, ISTATUS */
	return (ctl & 7UL) == 5UL;
}

void rec_exit_report_state(struct rec_run *run)
{
	struct rec *rec = run->rec;
	struct rmi_rec_exit *x = run->exit;

	for (unsigned int i = 0; i < rec_gic_num_lrs; i++)
		x->gicv3_lrs[i] = rec->gic.lrs[i];
	x->gicv3_hcr = rec->gic.hcr;
	x->gicv3_misr = rec->gic.misr;
	x->gicv3_vmcr = rec->gic.vmcr;
	/* CNTVOFF and CNTPOFF are zero for realms: the compare values are already physical. */
	x->cntv_ctl = rec->el1.cntv_ctl;
	x->cntv_cval = rec->el1.cntv_cval;
	x->cntp_ctl = rec->el1.cntp_ctl;
	x->cntp_cval = rec->el1.cntp_cval;
	rec->pend.timers = (uint8_t)((timer_asserted(rec->el1.cntv_ctl) ? REC_TIMER_V : 0) |
				     (timer_asserted(rec->el1.cntp_ctl) ? REC_TIMER_P : 0));
}
