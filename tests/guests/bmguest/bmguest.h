/* A bare-metal EL1 guest for partition tests (see README in tests/guests). */
#ifndef BMGUEST_H
#define BMGUEST_H

#define BMGUEST_IPA_BASE 0x40000000
#define BMGUEST_STACK_SIZE 0x1000
#define BMGUEST_MAX_VCPUS 4
#define BMGUEST_MAX_INTID 32 /* interrupts counted: SGIs and PPIs */
#define BMGUEST_PPI_VTIMER 27
#define BMGUEST_MAX_SPIS 256
/* A passthrough PL031 RTC (QEMU virt's, SPI 2) when the partition owns it. */
#define BMGUEST_RTC 0x09010000UL
#define BMGUEST_RTC_INTID 34
#define BMGUEST_RTC_DR 0x000
#define BMGUEST_RTC_MR 0x004
#define BMGUEST_RTC_IMSC 0x010
#define BMGUEST_RTC_ICR 0x01c

#ifndef __ASSEMBLY__
#include <stdint.h>
extern volatile uint32_t irq_count[BMGUEST_MAX_VCPUS][BMGUEST_MAX_INTID];
/* gic.c: this vCPU's GIC set-up, enabling the SGIs/PPIs in enable_mask; IRQs unmasked. */
void gic_init_vcpu(uint32_t enable_mask);
void send_sgi(unsigned int intid, unsigned int target_vcpu);
extern volatile uint32_t spi_count[BMGUEST_MAX_SPIS];
extern volatile uint64_t vtimer_seen_at;
void gic_enable_spi(unsigned int intid);

/* realm.c: in a realm partition, devices and shared memory are reached at IPA + bm_alias. */
extern uint64_t bm_alias;
extern int bm_in_realm;
#define BM_DEV(ipa) ((uintptr_t)(ipa) | bm_alias)
void realm_detect(void);
uint64_t realm_doorbell(uint64_t shm_id);
uint64_t realm_host_call(uint16_t imm);
void realm_token(uint64_t seed);
/* update.c: test=update (the update authority) and test=update-denied. */
void test_update(uint64_t pkg, int not_authority);

/* The first value of `key=` in the DTB's /chosen/bootargs, or NULL. */
const char *bootarg(const void *dtb, const char *key, unsigned int *len);
#endif
#endif
