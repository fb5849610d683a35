#include "hyp_asm.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(hyp_entry)

SECTIONS
{
	. = CONFIG_HYP_BASE;
	__hyp_start = .;
	.text : {
		*(.text.entry)
		*(.text.vectors)
		*(.text*)
	}
	. = ALIGN(4096);
	__text_end = .;
	.rodata : { *(.rodata*) }
	. = ALIGN(4096);
	__rodata_end = .;
	.data : { *(.data*) }
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.noinit (NOLOAD) : ALIGN(4096) { *(.noinit) }
	.stacks (NOLOAD) : ALIGN(4096) {
		hyp_stacks = .;
		. += CONFIG_NR_CPUS * HYP_STACK_SIZE;
	}
	__hyp_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__hyp_end <= CONFIG_HYP_BASE + CONFIG_HYP_SIZE, "hypervisor does not fit its region")
