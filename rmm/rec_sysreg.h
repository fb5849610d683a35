/* System register accesses a realm traps to the RMM (rec_sysreg.c). */
#ifndef RMM_REC_SYSREG_H
#define RMM_REC_SYSREG_H
#include <stdint.h>
#include "rec_run.h"

/* Cold boot: the sanitised ID register values every realm sees (reference §6.7). */
void rec_sysreg_init(void);
/* An MSR/MRS trap (ESR.EC 0x18): answered here, or forwarded to the host (GIC SGIs). */
enum rec_action rec_sysreg_trap(struct rec_run *run, uint64_t esr);
/* The value a realm reads from the ID register with this ISS key (Op0, Op1, CRn, CRm, Op2). */
uint64_t rec_id_reg_value(const struct rec_run *run, uint32_t key);
#endif
