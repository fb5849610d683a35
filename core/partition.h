/* Run-time state of a partition, built once at boot from the partition table. */
#ifndef CORE_PARTITION_H
#define CORE_PARTITION_H
#include <stdint.h>
#include <arch/gicv3.h>
#include <arch/mmu.h>
#include <arch/spinlock.h>
#include <rampart/hvc.h>
#include <rampart/partition.h>
#include "realm.h"
#include "vcpu.h"
#include "vgic.h"
#include "vuart.h"

#define PART_MAX_VCPUS CONFIG_NR_CPUS
#define PART_S2_TABLE_PAGES CONFIG_HYP_S2_TABLE_PAGES /* partc checks every tree against it */
#define PART_MAX_MMIO 8
#define PART_MAX_MEM 4
#define PART_MAX_IMAGES 4

enum fault_policy {
	FAULT_STOP = 0,
	FAULT_RESTART,
	FAULT_RESET_SYSTEM,
};

enum part_state {
	PART_RUNNING = 0,
	PART_STOPPED,
};

/* An emulated device's register access at offset off; returns 0, or -1 to treat it as a fault. */
typedef int (*mmio_access_fn)(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
			      uint64_t *val);

/* An emulated device: accesses to [base, base+size) in the guest's IPA space. */
struct mmio_dev {
	uint64_t base;
	uint64_t size;
	mmio_access_fn access;
};

/* Guest RAM: IPA range backed by PA range (stage 2 maps it; nothing else is RAM). */
struct part_mem {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/* An image copied into guest RAM at every (re)start from its pristine copy. */
struct part_image {
	uint64_t src_pa; /* hypervisor-owned copy, outside every partition */
	uint64_t ipa;
	uint64_t size;
};

struct partition {
	const char *name;
	unsigned int id;
	uint32_t kind;			       /* enum rampart_partition_kind */
	const struct rampart_partition *entry; /* in the partition table */
	uint16_t vmid;
	enum fault_policy policy;
	uint32_t state;	  /* enum part_state, under lock */
	uint32_t unbuilt; /* its table entry could not be set up: stays stopped, has no CPU */
	spinlock_t lock;
	unsigned int nr_vcpus;
	struct vcpu vcpus[PART_MAX_VCPUS];
	struct mmu_tables s2;
	struct mmio_dev mmio[PART_MAX_MMIO];
	unsigned int nr_mmio;
	unsigned int nr_spis; /* of its vGIC */
	struct vuart vuart;
	int has_console;
	uint32_t console_intid;		  /* the virtual UART's SPI INTID in its vGIC */
	uint32_t hw_spis[VGIC_SPI_WORDS]; /* passthrough SPIs (bit n: SPI n), vINTID == pINTID */
	struct vgic vgic;		  /* under lock */
	struct part_mem mem[PART_MAX_MEM];
	unsigned int nr_mem;
	struct part_image images[PART_MAX_IMAGES];
	unsigned int nr_images;
	uint64_t boot_entry; /* vCPU 0's PC and x0 (the guest DTB's IPA) */
	uint64_t boot_x0;
	uint64_t restarts;
	uint32_t first_entry_logged;
	/* A normal VM's images (and on a restart fresh RAM) wait for vCPU 0's CPU: PART_LOAD_*. */
	uint32_t load_pending;
	uint64_t events; /* PSCI SYSTEM_OFF/RESET of the partition, reported a few times */
	/* Counters, not logs: a misbehaving guest cannot flood the console. */
	uint64_t faults;
	uint64_t bad_mmio;
	uint64_t unknown_smc;
	/* Fault containment (containment.c), from the table's containment entry. */
	uint64_t wd_ticks;	     /* watchdog timeout in counter ticks; 0: none */
	enum fault_policy wd_action; /* what its expiry does */
	uint64_t wd_deadline;	     /* counter value by which the next kick is due (atomic) */
	uint64_t wd_kicks;
	uint64_t wd_expiries;
	uint32_t restart_limit;	     /* 0: none */
	uint32_t restart_backoff_ms; /* 0: none */
	uint32_t fault_restarts;     /* restarts by a fault or the watchdog so far */
	uint32_t irq_budget;	     /* passthrough interrupts per vCPU per window */
	uint64_t irq_window_ticks;
	uint64_t irq_throttles; /* windows in which a vCPU went over the budget */
	struct realm realm;	/* kind RAMPART_KIND_REALM */
	/* Last: not cleared at boot (tables are zeroed as the builder takes them). */
	mmu_table_t s2_pool[PART_S2_TABLE_PAGES] __attribute__((aligned(4096)));
};

/*
 * console.c: CPU 0 takes the console's input (console_input_init() once,
 * then console_rx() at each of the UART's interrupts); when it runs no vCPU
 * it waits for them in console_input_loop() (never returns).
 */
void console_input_init(void);
void console_rx(void);
void __attribute__((noreturn)) console_input_loop(void);
/* A partition stopped: if it had the console's focus, the next running one gets it. */
void console_partition_stopped(const struct partition *p);
/* irq.c: the physical UART's receive interrupt, routed to this CPU */
void hyp_console_irq_init(void);
/* A passthrough SPI: to physical CPU cpu, enabled, not active. */
void hyp_route_spi(uint32_t intid, unsigned int cpu);

static inline int partition_owns_spi(const struct partition *p, uint32_t intid)
{
	uint32_t n = intid - 32U;
	return intid >= 32U && n < VGIC_MAX_SPIS && (p->hw_spis[n / 32] & (1U << (n % 32)));
}
void hyp_console_irq_ack(void);

/* partition.c */
extern struct partition *partitions;
/* The table the partitions were built from (NULL before partitions_build()). */
extern const struct rampart_partition_table *partition_table;
extern unsigned int nr_partitions;
int partition_ipa_is_ram(const struct partition *p, uint64_t ipa);
/* [ipa, ipa + size) inside one of p's RAM regions: its PA in *pa, 0; else -1. */
int partition_ram_pa(const struct partition *p, uint64_t ipa, uint64_t size, uint64_t *pa);
/*
 * Start vCPU 0; its CPU loads a normal VM's images first (partition_load()),
 * and on a restart zeroes the partition's RAM before.
 */
void partition_start(struct partition *p, int restart);
enum part_load { PART_LOAD_NONE, PART_LOAD_IMAGES, PART_LOAD_ZEROED };
/* On vCPU 0's CPU, before its first entry after partition_start(). */
void partition_load(struct partition *p);
/* Called by a vCPU of p that left its guest; kicks the others. */
void partition_stop(struct partition *p, struct vcpu *self);
/*
 * An SPI becomes pending in p's vGIC (caller holds p->lock); returns the
 * vCPUs to kick with partition_kick() after unlocking.
 */
uint32_t partition_pend_spi(struct partition *p, uint32_t intid);
/*
 * A level-sensitive emulated device's line (caller holds p->lock): asserted,
 * the SPI is made pending unless it is already; deasserted, its pending state
 * is withdrawn. Returns the vCPUs to kick with partition_kick() after unlocking.
 */
uint32_t partition_spi_level(struct partition *p, uint32_t intid, int asserted);
/* Make the vCPUs in mask (bit i: vCPU i) but self leave their guests to see new vGIC state. */
static inline void partition_kick(struct partition *p, const struct vcpu *self, uint32_t mask);
/* A power event of the partition: logged the first few times only. */
void partition_event(struct partition *p, const char *what);
void partition_restart(struct partition *p, struct vcpu *self);
/* testhooks.c: test-only misbehaviour (core/Kconfig "Test only"); nothing unless configured. */
void testhook_expose_realm(void);
void testhook_probe_realm(void);
/* The stage-2 table pages partition label gets: pages, or 1 for HYP_TEST_S2_POOL_SHORT's. */
unsigned int testhook_s2_table_pages(const char *label, unsigned int pages);
/* HYP_TEST_PANIC: a hypervisor panic once the partitions run. */
void testhook_panic(void);
/* pcpu.c */
extern struct vcpu *pcpu_vcpu[CONFIG_NR_CPUS];
void __attribute__((noreturn)) pcpu_run(unsigned int cpu);
/* irq.c */
void hyp_irq_cpu_init(unsigned int cpu);
void hyp_irq_vcpu_reset(void);
void hyp_kick(unsigned int cpu);
void hyp_kick_others(void);
/* Sleep (WFI) until an interrupt, and acknowledge it: a hypervisor CPU's wait for a kick. */
void hyp_wait_irq(void);
/* vCPU t was made ON_PENDING: wake its physical CPU, which sleeps in hyp_wait_irq(). */
static inline void vcpu_wake(const struct vcpu *t)
{
	hyp_kick(t->pcpu);
}

static inline void partition_kick(struct partition *p, const struct vcpu *self, uint32_t mask)
{
	for (; mask; mask &= mask - 1) {
		const struct vcpu *o = &p->vcpus[__builtin_ctz(mask)];
		if (o != self && __atomic_load_n(&o->in_guest, __ATOMIC_ACQUIRE))
			hyp_kick(o->pcpu);
	}
}

/* irq.c: a physical interrupt while v ran; vcpu_resume() or a VCPU_LEAVE_* value. */
long hyp_irq(struct partition *p, struct vcpu *v);
/* irq.c: acknowledge everything pending on this CPU (a realm's IRQ exit); 1 if a kick was among it. */
int hyp_irq_drain(void);

/* vgic_hw.c: list registers of the calling CPU's vCPU */
void vgic_hw_cpu_init(void);
void vgic_vcpu_reset(struct vcpu *v);
/*
 * Before every guest entry, if vgic_sync_needed(): read back what the guest
 * did with its listed interrupts, list what the model has for it.
 */
void vgic_sync(struct partition *p, struct vcpu *v);
/*
 * The model has news for v (inline: the common exit). A relaxed look is
 * enough: whoever sets v's notify bit kicks v's CPU afterwards, and the kick
 * is an exit of its own. Interrupts the guest is done with stay listed until
 * then (or until the maintenance interrupt, or the next arrival of one of
 * v's physical interrupts, or v's own read of the vGIC): their registers are
 * free to the CPU interface already, only the model's record waits.
 */
static inline int vgic_sync_needed(const struct partition *p, const struct vcpu *v)
{
	return (__atomic_load_n(&p->vgic.notify, __ATOMIC_RELAXED) & (1U << v->id)) != 0;
}
/* vgic_sync(), then 0: what an exit handler returns to resume the guest. */
long vgic_sync_resume(struct partition *p, struct vcpu *v);
/*
 * On v's CPU, at an IRQ exit: a physical interrupt v's partition owns
 * arrived; into a list register at once if it can, else latched and
 * synchronised. Returns 0 (the guest resumes).
 */
long vgic_hw_irq(struct partition *p, struct vcpu *v, uint32_t intid);
/* v is off (PSCI CPU_OFF), on its CPU: its list registers emptied into the model. */
void vgic_vcpu_off(struct partition *p, struct vcpu *v);
/* With p->lock held, unconditionally (before v reads the vGIC's registers); returns the vCPUs to kick. */
uint32_t vgic_refresh_locked(struct partition *p, struct vcpu *v);
/*
 * The same for a realm vCPU, in its RecRun page: after every REC exit
 * (after_exit: take back the list registers the exit reports) and again
 * before the next entry (for what serving the exit changed).
 */
void vgic_sync_realm(struct partition *p, struct vcpu *v, int after_exit);
void vgic_realm_vcpu_reset(struct vcpu *v);

/* mmio.c: the emulated device at guest IPA ipa (*off: the offset in it), or NULL. */
mmio_access_fn partition_mmio_find(const struct partition *p, uint64_t ipa, uint64_t *off);
/* An access to the emulated device at guest IPA ipa; 0, or -1 if there is none or it refuses. */
int partition_mmio(struct partition *p, struct vcpu *v, uint64_t ipa, unsigned int size, int write,
		   uint64_t *val);
/* The vGIC's distributor and redistributor frames as emulated devices (offsets from their bases). */
int vgic_mmio_dist(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		   uint64_t *val);
int vgic_mmio_redist(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		     uint64_t *val);

/* doorbell.c: HVC/SMC from a guest (SMCCC vendor-specific hypervisor service) */
#define DOORBELL_INVALID RAMPART_HVC_INVALID
long doorbell_ring(struct partition *p, uint64_t shm_id);

/* update.c: the update hypervisor calls (lib/include/rampart/update.h), 0 = resume */
int update_is_hvc(uint32_t fid);
long update_hvc(struct partition *p, struct vcpu *v);

/* vcpu.c */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);
/* mmio.c: the emulated device of p's table at guest IPA ipa, or NULL. */
const struct mmio_dev *partition_mmio_dev(const struct partition *p, uint64_t ipa);
/* A guest's write of ICC_SGI1R/ASGI1R (syndrome esr, value val): 0, or -1 for another register. */
int partition_sgi_write(struct partition *p, struct vcpu *v, uint64_t esr, uint64_t val);
void partition_fault(struct partition *p, struct vcpu *v, const char *what, uint64_t esr, uint64_t addr);
/*
 * The same with the policy given (the watchdog's action) and the report's
 * detail written by the caller: one line "partition X: <detail>: <action>".
 * Both leave the action to take in v->leave_policy (a restart past the
 * partition's restart-limit becomes a stop) and the back-off in v->backoff_ms.
 */
void partition_fault_as(struct partition *p, struct vcpu *v, enum fault_policy policy, const char *detail,
			int always_report);

/* containment.c: the watchdog, restart back-off, interrupt budgets (docs/partitions.md) */
void containment_init(struct partition *p);
/* The partition starts (again): its watchdog is due timeout-ms from now. */
void containment_start(struct partition *p);
/* Before v enters its guest: this CPU's hypervisor timer set for v's next deadline. */
void containment_arm(struct partition *p, struct vcpu *v);
/* The hypervisor timer's PPI while v ran: vcpu_resume() or VCPU_LEAVE_FAULT. */
long containment_timer(struct partition *p, struct vcpu *v);
/* The hypervisor timer fired while no vCPU ran here: silence it (the next entry re-arms it). */
void containment_timer_idle(void);
/* RAMPART_HVC_WATCHDOG_KICK */
long containment_kick(struct partition *p);
/* Before a restart by the fault policy: wait v->backoff_ms (the CPU sleeps). */
void containment_backoff(struct vcpu *v);
/* The partition's stop by its policy: one line with its counters. */
void containment_report(const struct partition *p);
/* irq.c: the partition's passthrough SPIs at the physical distributor. */
void hyp_spi_disable(uint32_t intid);
void hyp_spi_enable(uint32_t intid);
/* A stopped partition's SPIs: disabled and not active (a storming device costs nothing). */
void partition_spis_quiesce(struct partition *p);
/* At a restart: every SPI routed to vCPU 0's CPU again, not active, enabled. */
void partition_spis_reset(struct partition *p);
/* The guest wrote GICD_IROUTER at off: an SPI it owns follows it to the named vCPU's CPU. */
void partition_spi_rerouted(struct partition *p, uint64_t off);

/* An exit was served and v goes back into its guest (0): its list registers first, if needed. */
static inline long vcpu_resume(struct partition *p, struct vcpu *v)
{
	return vgic_sync_needed(p, v) ? vgic_sync_resume(p, v) : 0;
}

/* vpsci.c: a PSCI, SMCCC or hypervisor call; returns vcpu_resume() or a VCPU_LEAVE_* value. */
long vpsci_call(struct partition *p, struct vcpu *v);
#endif
