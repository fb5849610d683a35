/*
 * realmtest: a bare-metal realm (EL1, MMU off) driven by its host through
 * RSI_HOST_CALL. Each host call reports the result of the previous command
 * (imm = that command, gprs = its results) and returns the next command
 * (gprs[0]) with its arguments (gprs[1..]). The NS test host (nstest,
 * realm.c) and tests/qemu/test_realm*.py share these numbers.
 */
#ifndef REALMTEST_H
#define REALMTEST_H

#define REALMTEST_IPA_BASE 0x40000000
#define REALMTEST_RAM_SIZE 0x200000
#define REALMTEST_STACK_SIZE 0x2000
#define REALMTEST_MAX_RECS 4
#define REALMTEST_TOKEN_PAGES 4

/* Commands (host -> realm, in gprs[0]) */
#define RT_CMD_READY 0	   /* first report after boot: gprs[1] = scratch IPA, [2] = token buffer IPA */
#define RT_CMD_SMC 1	   /* x0..x7 = args[1..8]; reports x0..x7 */
#define RT_CMD_READ 2	   /* [1] = address, [2] = size 1/2/4/8; reports the value */
#define RT_CMD_WRITE 3	   /* [1] = address, [2] = value, [3] = size */
#define RT_CMD_READ_PAIR 4 /* LDP at [1]: an access the host cannot emulate */
#define RT_CMD_WAIT_IRQ 5  /* unmask IRQs, WFI until one is taken; reports its INTID */
#define RT_CMD_VTIMER 6	   /* CNTV_CVAL = [1], CNTV_CTL = [2] */
#define RT_CMD_SPIN_FLAG 7 /* set the word after [1], spin until the word at [1] is non-zero */
#define RT_CMD_WFI 8
#define RT_CMD_HVC 9
/* reports ID_AA64PFR0, ID_AA64DFR0, ID_AA64MMFR2, PMCR_EL0, ID_AA64ZFR0, ID_AA64PFR1, ACTLR_EL1, ERRIDR_EL1
 */
#define RT_CMD_SYSREGS 10
#define RT_CMD_FP 11 /* V0 = [1]; host call in between; reports V0 after it */
/* challenge words [1..8], chunk size [9], max calls [10], resume [11]; see get_token() in main.c */
#define RT_CMD_TOKEN 12
#define RT_CMD_TOKEN_READ 13 /* reports 240 token bytes from offset [1] in gprs[1..30] */
#define RT_CMD_TOUCH 14	     /* write [2] to protected RAM at [1] and read it back */
#define RT_CMD_HOST_CALLS 15 /* [1] host calls in a row, nothing in between (benchmark) */
/* Debug exceptions unmasked: store to [1], run realm_dbg_probe; reports its address */
#define RT_CMD_DEBUG_PROBE 16
#define RT_CMD_LOOP 17 /* [1] iterations of an empty loop: work the host must not see */
/* Own values in every EL1/EL0 register, a host call, then: [0] = mask of those lost, [1] = DISR seen */
#define RT_CMD_DIRTY 18
#define RT_CMD_ACK_IRQ 19  /* acknowledge a virtual IRQ, no EOI: [0] INTID, [1] ICC_AP1R0_EL1 */
#define RT_CMD_EOI 20	   /* EOI INTID [1]: [0] ICC_AP1R0_EL1 before, [1] after */
#define RT_CMD_EL1_LEFT 21 /* [0] mask of RT_CMD_DIRTY's registers not 0 (SCTLR, CPACR aside), [1] SCTLR */
#define RT_CMD_S1PTW 22	   /* MMU on, stage-1 table for VA 0 at IPA [1]; load from VA 0x1000 */
#define RT_S1PTW_VA 0x1000

/* Every report also carries the exception state: how many were taken, and the last one. */
#define RT_REPORT_EXC_COUNT 26
#define RT_REPORT_EXC_ESR 27
#define RT_REPORT_EXC_FAR 28
#define RT_REPORT_EXC_ELR 29
#define RT_REPORT_REC 30 /* the reporting vCPU's MPIDR */
#define RT_TOKEN_READ_WORDS 25

#ifndef __ASSEMBLY__
void realm_main(unsigned long cpu, unsigned long arg);
void realm_sync_exception(void);
void realm_irq(void);
unsigned long realm_dirty_el1(void (*between)(void), unsigned long *disr_seen);
unsigned long realm_el1_left(void);
void realm_s1ptw(unsigned long table_ipa);
#endif
#endif
