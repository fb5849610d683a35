/* Constants shared by the monitor's C and assembly. */
#ifndef MONITOR_ASM_H
#define MONITOR_ASM_H

#define MONITOR_STACK_SIZE 0x2000
#define PEN_SLOT_SHIFT 4	  /* 16-byte slots */
#define PEN_GO 0x52414d50474f2121 /* "RAMPGO!!" */
/*
 * A CPU in the holding pen sleeps in WFI (under QEMU's TCG a WFE loop only
 * yields, so it would run all the time) with only Group 0 enabled; CPU_ON
 * wakes it with this Group 0 SGI (monitor/platform.c).
 */
#define PEN_SGI 14
/* Leave the reset pen in flash for the one in SRAM (cpu_park): the monitor will write flash. */
#define PEN_SRAM 0x52414d505352414d /* "RAMPSRAM" */
/* The last page of secure SRAM: what a cold boot leaves for the next one (gpt_el3.c). */
#define MONITOR_PERSIST_SIZE 0x1000

#endif
