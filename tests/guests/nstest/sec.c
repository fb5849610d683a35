/*
 * Shell commands for the security tests (tests/qemu/test_security.py): the
 * host's own state around world switches it does not control.
 */
#include <rampart/smccc.h>
#include "nstest.h"

/* lowerel.S */
uint64_t nstest_a32_smc(uint64_t x0);
void nstest_smstart(void);

#define ID_AA64PFR1_SME_SHIFT 24

/* a32smc FID: SMC #0 from AArch32 EL1 with r0 = FID; the monitor must answer, not stop. */
void cmd_a32smc(const uint64_t *args, unsigned int n)
{
	(void)n;
	printk("a32smc r0=%lx\n", nstest_a32_smc(args[0]));
}

/* smstart: leave streaming SVE mode on (PSTATE.SM = 1), e.g. across the next RMI calls. */
void cmd_smstart(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	if (!((read_sysreg(id_aa64pfr1_el1) >> ID_AA64PFR1_SME_SHIFT) & 0xf)) {
		printk("error: no SME\n");
		return;
	}
	nstest_smstart();
	printk("smstart ok\n");
}
