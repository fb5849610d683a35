/*
 * The GPIs gpt_setup() (gpt_el3.c) gives the platform's memory map, in the
 * order it applies them (later entries override earlier ones). Shared with
 * tests/unit/test_gpt.c so that the test checks this table, not a copy.
 * Everything not listed is GPI_ANY: MMIO that Normal world and Realm
 * drivers use (the GIC, the NS UART, the PCIe windows).
 */
#ifndef MONITOR_GPT_LAYOUT_H
#define MONITOR_GPT_LAYOUT_H
#include <stdint.h>
#include "gpt.h"

struct gpt_layout_range {
	uint64_t base, size;
	unsigned int gpi;
};

static const struct gpt_layout_range gpt_platform_layout[] = {
	{ 0, CONFIG_FLASH_SIZE, GPI_ROOT },
	{ CONFIG_SECURE_SRAM_BASE, CONFIG_SECURE_SRAM_SIZE, GPI_ROOT },
	/*
	 * EL3's own devices: only the monitor drives the secure UART (the RMM's
	 * log goes through RMM_CONSOLE_WRITE) and the power/reset GPIO.
	 */
	{ CONFIG_UART_SECURE_BASE, GPT_GRANULE_SIZE, GPI_ROOT },
	{ CONFIG_SECURE_GPIO_BASE, GPT_GRANULE_SIZE, GPI_ROOT },
	{ CONFIG_DRAM_BASE, CONFIG_DRAM_SIZE, GPI_NS },
	{ CONFIG_RMM_BASE, CONFIG_RMM_SIZE, GPI_REALM },
};
#endif
