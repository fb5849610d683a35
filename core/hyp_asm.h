#ifndef HYP_ASM_H
#define HYP_ASM_H
#define HYP_STACK_SIZE 0x4000
#endif
