#include "nstest_asm.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(nstest_entry)

SECTIONS
{
	. = CONFIG_NS_PAYLOAD_ADDR;
	__image_start = .;
	.text : {
		*(.text.entry)
		*(.text.vectors)
		*(.text*)
	}
	.rodata : ALIGN(16) { *(.rodata*) }
	.data : ALIGN(16) { *(.data*) }
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.stacks (NOLOAD) : ALIGN(16) {
		nstest_stacks = .;
		. += CONFIG_NR_CPUS * NSTEST_STACK_SIZE;
	}
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__image_end <= CONFIG_NS_PAYLOAD_ADDR + NSTEST_IMAGE_SIZE, "nstest does not fit its region")
