#ifndef RMM_ASM_H
#define RMM_ASM_H
#define RMM_STACK_SIZE 0x4000 /* RMI commands copy a 4 KiB parameter granule onto the stack */
#endif
