/*
 * bmguest in a realm partition: the same tests, with what a realm does
 * differently. It finds out with RSI_VERSION (a normal partition's hypervisor
 * answers SMC_UNKNOWN), learns its IPA width from RSI_REALM_CONFIG, and then
 * reaches every device and shared region through the unprotected alias
 * (IPA + 2^(width - 1)); it rings doorbells with RSI_HOST_CALL instead of the
 * HVC, and can fetch its attestation token.
 */
#include <arch/smc.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <rampart/partition.h>
#include <rampart/rsi.h>
#include "bmguest.h"

uint64_t bm_alias;
int bm_in_realm;

static struct rsi_realm_config config __attribute__((aligned(4096)));
static struct rsi_host_call host_call __attribute__((aligned(RSI_HOST_CALL_SIZE)));
static uint8_t token_page[4096] __attribute__((aligned(4096)));

void realm_detect(void)
{
	struct smc_args a = { { RSI_VERSION, RSI_ABI_VERSION, 0, 0, 0, 0, 0, 0 } };

	smc_call(&a);
	if (a.x[0] != RSI_SUCCESS)
		return;
	struct smc_args c = { { RSI_REALM_CONFIG, (uint64_t)&config, 0, 0, 0, 0, 0, 0 } };
	smc_call(&c);
	if (c.x[0] != RSI_SUCCESS)
		return;
	bm_in_realm = 1;
	bm_alias = 1UL << (config.ipa_width - 1);
}

/* RSI_HOST_CALL with imm and gprs[0] = arg: the host's gprs[0], or the RSI status if it failed. */
static uint64_t host_call_arg(uint16_t imm, uint64_t arg)
{
	host_call.imm = imm;
	host_call.gprs[0] = arg;
	struct smc_args a = { { RSI_HOST_CALL, (uint64_t)&host_call, 0, 0, 0, 0, 0, 0 } };
	smc_call(&a);
	return a.x[0] == RSI_SUCCESS ? host_call.gprs[0] : a.x[0];
}

uint64_t realm_doorbell(uint64_t shm_id)
{
	return host_call_arg(RAMPART_HOST_CALL_DOORBELL, shm_id);
}

uint64_t realm_host_call(uint16_t imm)
{
	return host_call_arg(imm, 0);
}

#define TOKEN_LINE_BYTES 32
#define CHALLENGE_WORDS 8

/* RSI_ATTESTATION_TOKEN_INIT takes the 64-byte challenge in x1..x8. */
static uint64_t token_init(const uint64_t challenge[CHALLENGE_WORDS])
{
	register uint64_t x0 __asm__("x0") = RSI_ATTESTATION_TOKEN_INIT;
	register uint64_t x1 __asm__("x1") = challenge[0], x2 __asm__("x2") = challenge[1];
	register uint64_t x3 __asm__("x3") = challenge[2], x4 __asm__("x4") = challenge[3];
	register uint64_t x5 __asm__("x5") = challenge[4], x6 __asm__("x6") = challenge[5];
	register uint64_t x7 __asm__("x7") = challenge[6], x8 __asm__("x8") = challenge[7];

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7),
			   "+r"(x8)
			 :
			 : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/*
 * The CCA token for the challenge whose little-endian words are seed + 0 ..
 * seed + 7, printed as hex lines between markers (tests/qemu verifies it).
 */
void realm_token(uint64_t seed)
{
	uint64_t challenge[CHALLENGE_WORDS], len = 0, rc;

	for (unsigned int i = 0; i < CHALLENGE_WORDS; i++)
		challenge[i] = seed + i;
	rc = token_init(challenge);
	if (rc != RSI_SUCCESS) {
		printk("token: INIT failed 0x%lx\n", rc);
		return;
	}
	printk("RAMPART-TOKEN-BEGIN seed=%lx\n", seed);
	for (;;) {
		struct smc_args c = { { RSI_ATTESTATION_TOKEN_CONTINUE, (uint64_t)token_page, 0,
					sizeof(token_page), 0, 0, 0, 0 } };
		smc_call(&c);
		if (c.x[0] != RSI_SUCCESS && c.x[0] != RSI_INCOMPLETE) {
			printk("token: CONTINUE failed 0x%lx\n", c.x[0]);
			return;
		}
		for (uint64_t off = 0; off < c.x[1]; off += TOKEN_LINE_BYTES) {
			char line[2 * TOKEN_LINE_BYTES + 1];
			unsigned int n = 0;
			for (uint64_t k = off; k < c.x[1] && k < off + TOKEN_LINE_BYTES; k++)
				n += (unsigned int)snprintf(line + n, sizeof(line) - n, "%02x",
							    token_page[k]);
			printk("%s\n", line);
		}
		len += c.x[1];
		if (c.x[0] == RSI_SUCCESS)
			break;
	}
	printk("RAMPART-TOKEN-END %lu bytes\n", len);
}
