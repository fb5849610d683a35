#ifndef RMM_ASM_H
#define RMM_ASM_H
#define RMM_STACK_SIZE 0x2000
#endif
