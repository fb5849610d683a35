#ifndef RMM_ASM_H
#define RMM_ASM_H
#define RMM_STACK_SIZE 0x4000 /* RMI commands copy a 4 KiB parameter granule onto the stack */

/* What brought a realm back to R-EL2 (the lower-EL vector taken). */
#define REALM_EXC_SYNC 0
#define REALM_EXC_IRQ 1
#define REALM_EXC_FIQ 2
#define REALM_EXC_SERROR 3
#endif
