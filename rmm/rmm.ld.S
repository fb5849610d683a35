#include "rmm_asm.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(rmm_entry)

SECTIONS
{
	. = CONFIG_RMM_BASE;
	__rmm_start = .;
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
	.stacks (NOLOAD) : ALIGN(4096) {
		rmm_stacks = .;
		. += CONFIG_NR_CPUS * RMM_STACK_STRIDE; /* per CPU: guard page, stack (rmm/mmu.c) */
		rmm_stacks_end = .;
	}
	/* Granule array: zeroed with the MMU on (DC ZVA), not by the bss loop. */
	. = ALIGN(4096);
	__granules_start = .;
	rmm_granules = .;
	/* Up to the shared buffer, the carve-out's last page. */
	__granules_end = CONFIG_RMM_BASE + CONFIG_RMM_SIZE - 4096;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__bss_end < __granules_start, "RMM image overlaps its granule array")
