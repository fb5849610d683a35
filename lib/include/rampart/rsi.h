/*
 * Realm Services Interface 1.0 (reference §2): function IDs, status codes
 * and the layouts a realm shares with the RMM. Used by the RMM and by the
 * test realms in tests/guests.
 */
#ifndef RAMPART_RSI_H
#define RAMPART_RSI_H
#include <rampart/smccc.h>

#define RSI_FID(n) (_U(0xc4000190) + (n))
#define RSI_VERSION RSI_FID(0x0)
#define RSI_FEATURES RSI_FID(0x1)
#define RSI_MEASUREMENT_READ RSI_FID(0x2)
#define RSI_MEASUREMENT_EXTEND RSI_FID(0x3)
#define RSI_ATTESTATION_TOKEN_INIT RSI_FID(0x4)
#define RSI_ATTESTATION_TOKEN_CONTINUE RSI_FID(0x5)
#define RSI_REALM_CONFIG RSI_FID(0x6)
#define RSI_IPA_STATE_SET RSI_FID(0x7)
#define RSI_IPA_STATE_GET RSI_FID(0x8)
#define RSI_HOST_CALL RSI_FID(0x9)
#define RSI_FID_LAST RSI_HOST_CALL

#define RSI_ABI_VERSION _UL(0x10000) /* 1.0 */

/* RsiCommandReturnCode */
#define RSI_SUCCESS 0UL
#define RSI_ERROR_INPUT 1UL
#define RSI_ERROR_STATE 2UL
#define RSI_INCOMPLETE 3UL
#define RSI_ERROR_UNKNOWN 4UL

/* RsiRipas, RsiRipasChangeFlags, RsiResponse */
#define RSI_RIPAS_EMPTY 0UL
#define RSI_RIPAS_RAM 1UL
#define RSI_RIPAS_DESTROYED 2UL
#define RSI_CHANGE_DESTROYED 1UL
#define RSI_ACCEPT 0UL
#define RSI_REJECT 1UL

/* Measurement slots: 0 is the RIM, 1..4 the REMs. */
#define RSI_MEASUREMENT_SLOTS 5
#define RSI_MEASUREMENT_MAX_SIZE 64

/* The SMCCC hint bit the RMM ignores in an RSI FID (SVE state not live). */
#define SMCCC_SVE_HINT (_U(1) << 16)

#define RSI_HOST_CALL_GPRS 31

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/* RsiRealmConfig: one 4 KiB granule written by RSI_REALM_CONFIG. */
struct rsi_realm_config {
	uint64_t ipa_width;    /* 0x000 */
	uint64_t hash_algo;    /* 0x008: RMI_HASH_SHA_256 / _512, upper bytes zero */
	uint8_t res010[0x1f0]; /* 0x010 */
	uint8_t rpv[64];       /* 0x200 */
	uint8_t res240[0xdc0]; /* 0x240 */
};
_Static_assert(sizeof(struct rsi_realm_config) == 4096, "RsiRealmConfig is one granule");
_Static_assert(offsetof(struct rsi_realm_config, rpv) == 0x200, "rpv");

/* RsiHostCall: 256 bytes, 256-byte aligned, inside one granule. */
struct rsi_host_call {
	uint16_t imm;
	uint8_t res002[6];
	uint64_t gprs[RSI_HOST_CALL_GPRS];
};
#define RSI_HOST_CALL_SIZE 256
_Static_assert(sizeof(struct rsi_host_call) <= RSI_HOST_CALL_SIZE, "RsiHostCall fits 256 bytes");
#endif
#endif
