#include "monitor_asm.h"
#include "measured_boot.h"

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(_reset)

SECTIONS
{
	. = CONFIG_SECURE_SRAM_BASE;
	__monitor_start = .;
	.text : {
		*(.text.reset)
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
	. = ALIGN(16);
	__monitor_load_end = .;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.pen (NOLOAD) : ALIGN(64) {
		cpu_pen = .;
		. += CONFIG_NR_CPUS * (1 << PEN_SLOT_SHIFT);
	}
	.stacks (NOLOAD) : ALIGN(4096) {
		cpu_stacks = .;
		. += CONFIG_NR_CPUS * MONITOR_STACK_SIZE;
	}
	.gpt (NOLOAD) : ALIGN(131072) { *(.gpt) }
	__monitor_end = .;
	/*
	 * What one cold boot leaves for the next (the GPT record, gpt_el3.c): at a
	 * fixed address, the last page of secure SRAM, in every build.
	 */
	.persist (CONFIG_SECURE_SRAM_BASE + CONFIG_SECURE_SRAM_SIZE - MONITOR_PERSIST_SIZE) (NOLOAD) : {
		*(.persist)
	}
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__monitor_end <= CONFIG_SECURE_SRAM_BASE + CONFIG_SECURE_SRAM_SIZE - MONITOR_PERSIST_SIZE, "monitor does not fit in secure SRAM")
ASSERT(SIZEOF(.persist) <= MONITOR_PERSIST_SIZE, "the persistent page overflows")
ASSERT(__monitor_load_end - __monitor_start <= CONFIG_SECBOOT_META_OFFSET, "monitor image overlaps the bank metadata")
#ifdef CONFIG_MONITOR_MEASURED_BOOT
ASSERT(__monitor_load_end - __rodata_end <= MB_DATA_SNAPSHOT_MAX, "monitor .data exceeds the measured-boot snapshot (MB_DATA_SNAPSHOT_MAX)")
#endif
