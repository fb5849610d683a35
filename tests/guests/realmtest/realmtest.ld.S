#include "realmtest.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(_start)

SECTIONS
{
	. = REALMTEST_IPA_BASE;
	__image_start = .;
	.text : { *(.text.entry) *(.text.vectors) *(.text*) }
	.rodata : { *(.rodata*) }
	.data : { *(.data*) }
	. = ALIGN(4096);
	__image_end = .;
	/* Not part of the image: pages the realm's first touch makes the host populate. */
	.bss (NOLOAD) : ALIGN(4096) {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.stacks (NOLOAD) : ALIGN(4096) {
		stacks = .;
		. += REALMTEST_MAX_RECS * REALMTEST_STACK_SIZE;
	}
	__ram_used_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__ram_used_end <= REALMTEST_IPA_BASE + REALMTEST_RAM_SIZE, "realmtest outgrows its RAM")
