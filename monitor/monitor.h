/* Monitor-internal interfaces. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H
#include <stdint.h>
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <lib/printf.h>
#include "context.h"
#include "gpt.h"

enum psci_cpu_state {
	CPU_STATE_OFF = 0,
	CPU_STATE_ON_PENDING,
	CPU_STATE_ON,
};

struct cpu_state {
	struct world_ctx ctx[NR_WORLDS];
	uint64_t sync_sp;      /* monitor stack while a world boots synchronously */
	unsigned int world;    /* world last entered */
	unsigned int rmi_busy; /* an RMI call is with the RMM */
	uint32_t psci_state;   /* enum psci_cpu_state, under psci_lock */
	uint64_t ns_entry;     /* CPU_ON entry point and context id */
	uint64_t ns_ctx_id;
} __attribute__((aligned(64)));

extern struct cpu_state cpu_state[CONFIG_NR_CPUS];
extern int rmm_ready;	 /* the RMM booted on every CPU so far */
extern int el2_ext_regs; /* the CPU has FGT/HCRX registers to switch */

/* NS DRAM the RMM may track and delegate: after the carve-out (and the hypervisor's image). */
#ifdef CONFIG_NS_PAYLOAD_BUILTIN
#define MONITOR_NS_POOL_BASE (CONFIG_HYP_BASE + CONFIG_HYP_SIZE)
#else
#define MONITOR_NS_POOL_BASE (CONFIG_RMM_BASE + CONFIG_RMM_SIZE)
#endif

/* The RMM-EL3 shared buffer: the last page of the RMM carve-out (boot manifest, key, token). */
#define RMM_SHARED_BUF_SIZE 0x1000UL
#define RMM_SHARED_BUF (CONFIG_RMM_BASE + CONFIG_RMM_SIZE - RMM_SHARED_BUF_SIZE)

#define MLOG(lvl, ...)                                   \
	do {                                             \
		if ((lvl) <= CONFIG_MONITOR_LOG_LEVEL)   \
			printk("monitor: " __VA_ARGS__); \
	} while (0)

void __attribute__((noreturn)) monitor_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int this_cpu(void);

/* flash.c: secure flash writes (offsets from the start of flash); 0 or -1 */
#define FLASH_CMD_VA 0x6000000000UL /* Device alias of the flash for commands (platform.c maps it) */
int flash_erase_block(uint64_t off);
int flash_program(uint64_t off, const void *src, uint64_t len);

/* platform.c */
extern unsigned int plat_cpus_present; /* CPUs the machine has, <= CONFIG_NR_CPUS */
void plat_console_init(void);
void plat_mmu_setup(void);
void plat_mmu_enable(void);
void plat_gic_init(void);
void plat_gic_cpu_init(unsigned int cpu);
/* Wake a CPU that sleeps in the holding pen (its slot says go): PEN_SGI. */
void plat_cpu_wake(unsigned int cpu);
void __attribute__((noreturn)) plat_system_off(void);
void __attribute__((noreturn)) plat_system_reset(void);
int plat_is_ns_dram(uint64_t pa, uint64_t size);
/* A fatal error stopped the machine: tell the platform (QEMU: pvpanic, a failure exit status). */
void plat_fatal_exit(void);

/* fatal.c (docs/boot-flow.md, "Fatal errors") */
#define FATAL_SGI 15 /* Group 0: a FIQ that SCR_EL3.FIQ routes to EL3 */
/* Become the CPU that stops the machine: 1, or 0 if another CPU already is. */
int fatal_claim(void);
int fatal_owner_is_me(void);
int fatal_in_progress(void);
/* Stop every CPU and the machine after a fatal error in `who`; the caller has logged why. */
void __attribute__((noreturn)) monitor_fatal_stop(const char *who);
void monitor_spin_wait(void);
struct world_ctx *monitor_lower_fiq(struct world_ctx *ctx);

/* gpt_el3.c */
void gpt_setup(void);
void gpt_enable_this_cpu(void);
long monitor_gtsi_delegate(uint64_t pa);
long monitor_gtsi_undelegate(uint64_t pa);
/* Copies size bytes from NS DRAM at pa if every granule is NS, with delegation held off: 0 or -1. */
int monitor_copy_from_ns(void *dst, uint64_t pa, uint64_t size);

/* world.c */
void world_init_ctx(struct world_ctx *c, unsigned int world, uint64_t entry);
struct world_ctx *world_switch(struct cpu_state *c, unsigned int to);
void __attribute__((noreturn)) world_enter_ns(unsigned int cpu, uint64_t entry, uint64_t arg);
long rmm_boot_this_cpu(unsigned int cpu, int cold);
void rmm_write_manifest(void);

/* ns_payload.c: the external payload's kernel, initrd and device tree; x0 of its first entry. */
uint64_t ns_payload_prepare(void);

/* psci.c */
void psci_handle(struct world_ctx *ctx, unsigned int cpu);
int psci_is_psci_fid(uint32_t fid);
void psci_mark_on(unsigned int cpu);

/* smc.c */
struct world_ctx *monitor_lower_sync(struct world_ctx *ctx, uint64_t esr);
struct world_ctx *monitor_lower_unexpected(struct world_ctx *ctx, uint64_t esr);

/* entry.S */
void __attribute__((noreturn)) cpu_park(unsigned int cpu);
extern volatile uint64_t cpu_pen[CONFIG_NR_CPUS][2];
#endif
