/*
 * The boot contract between the monitor and the RMM: entry registers and
 * the boot manifest the monitor writes at the start of the shared buffer.
 * Layout follows the TF-A RMM-EL3 manifest 0.x field order for the parts
 * Rampart uses (plat_dram, plat_console); the version is our own.
 */
#ifndef RAMPART_RMM_EL3_H
#define RAMPART_RMM_EL3_H
#include <stdint.h>

/* (major << 16) | minor, bit 31 RES0 */
#define RMM_EL3_IFC_VERSION 0x00000001U /* 0.1 */
#define RMM_EL3_MANIFEST_VERSION 0x00000001U
#define RMM_EL3_MAX_DRAM_BANKS 4
#define RMM_EL3_MAX_CONSOLES 1

struct rmm_mem_bank {
	uint64_t base;
	uint64_t size;
};

struct rmm_mem_info {
	uint64_t num_banks;
	uint64_t banks; /* PA of struct rmm_mem_bank[num_banks] */
	uint64_t checksum;
};

/* The console is owned by the monitor: RMM writes via RMM_CONSOLE_WRITE. */
#define RMM_CONSOLE_FLAG_EL3_RELAY 1U

struct rmm_console_info {
	uint64_t base;
	uint64_t map_pages;
	char name[8];
	uint64_t clk_in_hz;
	uint64_t baud_rate;
	uint64_t flags;
};

struct rmm_console_list {
	uint64_t num_consoles;
	uint64_t consoles; /* PA of struct rmm_console_info[] */
	uint64_t checksum;
};

struct rmm_boot_manifest {
	uint32_t version;
	uint32_t padding;
	uint64_t plat_data;
	struct rmm_mem_info plat_dram;
	struct rmm_console_list plat_console;
};

/*
 * Each list's checksum makes the 64-bit wrapping sum of num, pointer, all
 * array words and the checksum itself zero.
 */
static inline uint64_t rmm_el3_list_sum(uint64_t num, uint64_t ptr, const uint64_t *words, uint64_t nwords)
{
	uint64_t sum = num + ptr;
	for (uint64_t i = 0; i < nwords; i++)
		sum += words[i];
	return sum;
}
#endif
