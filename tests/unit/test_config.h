/*
 * CONFIG_* values for the host unit tests, force-included (-include) into
 * every object like the target build's generated autoconf.h. They are the
 * Kconfig defaults of configs/qemu_virt_rme_defconfig; keep them in step
 * with the Kconfig files if a default changes.
 */
#ifndef RAMPART_TEST_CONFIG_H
#define RAMPART_TEST_CONFIG_H

/* arch/arm64/Kconfig */
#define CONFIG_NR_CPUS 4
#define CONFIG_DRAM_BASE 0x40000000
#define CONFIG_DRAM_SIZE 0x80000000
#define CONFIG_SECURE_SRAM_BASE 0x0e000000
#define CONFIG_SECURE_SRAM_SIZE 0x01000000
#define CONFIG_FLASH_SIZE 0x04000000
#define CONFIG_SECBOOT_META_OFFSET 0x00100000
#define CONFIG_FLASH_BLOCK_SIZE 0x00040000
#define CONFIG_PKG_OFFSET 0x00200000
#define CONFIG_PKG_BANK_SIZE 0x01f00000
#define CONFIG_RMM_BASE 0x40000000
#define CONFIG_RMM_SIZE 0x01000000
#define CONFIG_UART_NS_BASE 0x09000000
#define CONFIG_UART_SECURE_BASE 0x09040000
#define CONFIG_GICD_BASE 0x08000000
#define CONFIG_GICR_BASE 0x080a0000
#define CONFIG_SECURE_GPIO_BASE 0x090b0000

/* monitor/Kconfig */
#define CONFIG_NS_PAYLOAD_BUILTIN 1
#define CONFIG_MONITOR_LOG_LEVEL 1
#define CONFIG_TEST_RMM_IFC_VERSION 0x00000001

/* rmm/Kconfig (a suite may build at another log level with -DCONFIG_RMM_LOG_LEVEL=n) */
#ifndef CONFIG_RMM_LOG_LEVEL
#define CONFIG_RMM_LOG_LEVEL 1
#endif
/* Not the defconfig's value: the unit tests check the granule invariants (rmm/granule.h). */
#define CONFIG_RMM_DEBUG_ASSERTS 1

/* core/Kconfig */
#define CONFIG_HYP_BASE 0x41000000
#define CONFIG_HYP_SIZE 0x01000000
#define CONFIG_HYP_SELFTEST 1
#define CONFIG_HYP_S2_TABLE_PAGES 16

#endif
