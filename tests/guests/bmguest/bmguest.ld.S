#include "bmguest.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(_start)

SECTIONS
{
	. = BMGUEST_IPA_BASE;
	.text : { *(.text.entry) *(.text*) }
	.rodata : { *(.rodata*) }
	.data : { *(.data*) }
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.stacks (NOLOAD) : ALIGN(4096) {
		stacks = .;
		. += BMGUEST_MAX_VCPUS * BMGUEST_STACK_SIZE;
	}
	__image_size = . - BMGUEST_IPA_BASE;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
