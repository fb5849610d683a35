#ifndef HYP_ASM_H
#define HYP_ASM_H
#define HYP_STACK_SIZE 0x4000
/* PSCI CPU_ON context id of a secondary: CPU index, and what it should do. */
#define HYP_CPU_INDEX_MASK 0xff
#define HYP_CPU_RUN_PARTITIONS 0x10000
#endif
