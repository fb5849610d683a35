#ifndef RMM_ASM_H
#define RMM_ASM_H
#define RMM_STACK_SIZE 0x4000 /* RMI commands copy a 4 KiB parameter granule onto the stack */
/* Below each CPU's stack an unmapped page: an overflow faults instead of writing another's stack. */
#define RMM_STACK_GUARD 0x1000
#define RMM_STACK_STRIDE (RMM_STACK_SIZE + RMM_STACK_GUARD)
/* What rmm_exception_panic() runs on: the stack that faulted may be the problem. */
#define RMM_PANIC_STACK_SIZE 0x1000

/* What brought a realm back to R-EL2 (the lower-EL vector taken). */
#define REALM_EXC_SYNC 0
#define REALM_EXC_IRQ 1
#define REALM_EXC_FIQ 2
#define REALM_EXC_SERROR 3

/*
 * FP/SIMD/SVE register file save area (fpu.S): FPSR and FPCR, then Z0-Z31
 * and P0-P15 + FFR at up to the architectural maximum vector length (2048
 * bits), or V0-V31 without SVE.
 */
#define RMM_FPU_ZREG_MAX 256
#define RMM_FPU_PREG_MAX (RMM_FPU_ZREG_MAX / 8)
#define RMM_FPU_REGS_OFF 16
#define RMM_FPU_AREA_SIZE (RMM_FPU_REGS_OFF + 32 * RMM_FPU_ZREG_MAX + 17 * RMM_FPU_PREG_MAX)
#endif
