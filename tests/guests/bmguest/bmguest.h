/* A bare-metal EL1 guest for partition tests (see README in tests/guests). */
#ifndef BMGUEST_H
#define BMGUEST_H

#define BMGUEST_RAM_BASE 0x40000000 /* every test tree and QEMU virt put RAM there */
/*
 * Its arm64 Image header's text_offset: one page, where both partc and QEMU's
 * -kernel load it (QEMU moves an image asking for less than 4 KiB to 2 MiB).
 */
#define BMGUEST_TEXT_OFFSET 0x1000
#define BMGUEST_IPA_BASE (BMGUEST_RAM_BASE + BMGUEST_TEXT_OFFSET)
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
extern volatile uint64_t irq_seen_at[BMGUEST_MAX_VCPUS];
void gic_enable_spi(unsigned int intid);
/*
 * The RTC's handler leaves the alarm asserted for this many more interrupts
 * (RTC_HOLD_FOREVER: always, an interrupt storm), then clears it; and counts
 * the interrupts each vCPU took.
 */
#define RTC_HOLD_FOREVER 0xffffffffU
extern volatile uint32_t rtc_hold;
extern volatile uint32_t rtc_taken_on[BMGUEST_MAX_VCPUS];
/* contain.c: the fault-containment modes (main.c lists them). */
void test_contain(const void *dtb, const char *mode, unsigned int mode_len);
void contain_secondary(void);
uint64_t bm_arg_num(const void *dtb, const char *key, uint64_t dflt);
/* Sleep (WFI) until *count differs from before: 0, or -1 after ms milliseconds. */
int wait_count(volatile uint32_t *count, uint32_t before, uint64_t ms);

/* main.c: PSCI through the conduit the DTB names (fdt.c). */
struct smc_args;
void psci_call(struct smc_args *a);
uint64_t psci1(uint64_t fid, uint64_t a1);
int psci_uses_hvc(const void *dtb);
/* Bare metal: QEMU's own PSCI answers HVCs (no hypervisor). */
int psci_uses_hvc_conduit(void);
/* What a secondary vCPU does when PSCI CPU_ON starts it. */
enum secondary_job { JOB_ANNOUNCE = 0, JOB_WAIT_SGI, JOB_BENCH_SGI, JOB_BUSY, JOB_IROUTER };
extern volatile uint32_t secondary_job;
extern char secondary_entry[];
/* A host call no hypervisor knows (answered SMC_UNKNOWN): the bench's and busyoff's exit. */
#define BENCH_HOST_CALL_IMM 0xffffU

/* bench.c */
void test_bench(uint64_t rtc, uint64_t sgi);
void bench_secondary(unsigned int id);

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
