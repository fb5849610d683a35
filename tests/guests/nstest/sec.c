/*
 * Shell commands for the security tests (tests/qemu/test_security.py): the
 * host's own state around world switches it does not control.
 */
#include <rampart/smccc.h>
#include "nstest.h"

/* lowerel.S */
uint64_t nstest_a32_smc(uint64_t x0);

/* a32smc FID: SMC #0 from AArch32 EL1 with r0 = FID; the monitor must answer, not stop. */
void cmd_a32smc(const uint64_t *args, unsigned int n)
{
	(void)n;
	printk("a32smc r0=%lx\n", nstest_a32_smc(args[0]));
}
