/* Constants shared by the monitor's C and assembly. */
#ifndef MONITOR_ASM_H
#define MONITOR_ASM_H

#define MONITOR_STACK_SIZE 0x2000
#define PEN_SLOT_SHIFT 4	  /* 16-byte slots */
#define PEN_GO 0x52414d50474f2121 /* "RAMPGO!!" */

#endif
