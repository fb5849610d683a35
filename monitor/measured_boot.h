/*
 * The monitor's measured boot (docs/attestation.md, "Measured boot"): the
 * SHA-256 of every image the monitor loads, recorded as a software component
 * (reference §4.5) for the platform token. Also included by monitor.ld.S.
 */
#ifndef MONITOR_MEASURED_BOOT_H
#define MONITOR_MEASURED_BOOT_H

#define MB_TYPE_MAX 16	 /* measurement type, NUL-terminated */
#define MB_VALUE_SIZE 32 /* SHA-256 */
/* The monitor and every image of a package. */
#define MB_MAX_COMPONENTS (1 + MF_MAX_IMAGES)
/* The monitor's .data (and padding to __monitor_load_end) as copied, kept until it is measured. */
#define MB_DATA_SNAPSHOT_MAX 256

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <arch/spinlock.h>
#include <rampart/manifest.h>

struct mb_component {
	char type[MB_TYPE_MAX];	      /* "BL31", "RMM", "HYP", "BLOB<n>" */
	uint8_t value[MB_VALUE_SIZE]; /* SHA-256 of the image at its load address */
	uint64_t load_addr;
	uint64_t size; /* bytes measured */
	/* From the signed manifest (secure boot); has_signer 0: not signed (the monitor itself). */
	int has_signer;
	uint32_t version; /* the package's security version */
	uint8_t signer_id[MF_SIGNER_ID_SIZE];
};

#ifdef CONFIG_MONITOR_MEASURED_BOOT
/* Cold boot only, CPU 0, before any other CPU or world runs. */
void mb_snapshot_data(void); /* first thing in monitor_cold_main: before any C code writes .data */
void mb_init(void);	     /* MMU on: crypto_init, then measures the monitor itself */
void mb_measure(const char *type, uint64_t base, uint64_t size);
/* An image secure boot verified in flash and copied to base: its digest, version and signer. */
void mb_record(const char *type, uint64_t base, uint64_t size, const uint8_t digest[MB_VALUE_SIZE],
	       uint32_t version, const uint8_t signer_id[MF_SIGNER_ID_SIZE]);
/* Serialises the crypto arena's users after boot (attestation, update checks). */
extern spinlock_t mb_arena_lock;
/* The table for the platform token: *count entries, in measurement order. */
const struct mb_component *mb_components(unsigned int *count);
#else
static inline void mb_snapshot_data(void) {}
static inline void mb_init(void) {}
static inline void mb_measure(const char *type, uint64_t base, uint64_t size)
{
	(void)type;
	(void)base;
	(void)size;
}
#endif
#endif
#endif
