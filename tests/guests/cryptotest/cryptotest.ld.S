#include "cryptotest_asm.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(cryptotest_entry)

/* Text, read-only data and writable data on their own pages: the MMU maps them RX, R and RW. */
SECTIONS
{
	. = CONFIG_NS_PAYLOAD_ADDR;
	__image_start = .;
	.text : {
		*(.text.entry)
		*(.text.vectors)
		*(.text*)
	}
	. = ALIGN(CRYPTOTEST_PAGE);
	__text_end = .;
	.rodata : { *(.rodata*) }
	. = ALIGN(CRYPTOTEST_PAGE);
	__rodata_end = .;
	.data : { *(.data*) }
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.stack (NOLOAD) : ALIGN(CRYPTOTEST_PAGE) {
		. += CRYPTOTEST_STACK_SIZE;
		__stack_top = .;
	}
	. = ALIGN(CRYPTOTEST_PAGE);
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__image_end <= CONFIG_NS_PAYLOAD_ADDR + CRYPTOTEST_IMAGE_SIZE, "cryptotest does not fit its region")
