/*
 * The partition table: what the partition compiler (tools/partc) produces
 * from the partition device tree at build time and what the hypervisor
 * links in. The hypervisor has no DT parser; everything it needs to build
 * and run the partitions is here, already validated (docs/partitions.md).
 *
 * partc emits the table as a C source file, partition_table.c, that
 * defines `rampart_partition_table` with designated initialisers against
 * this header. Every structure uses fixed-width fields with explicit
 * padding, so the layout is the same for the host and AArch64 (checked by
 * the _Static_asserts below); a change of layout bumps RAMPART_PT_VERSION.
 *
 * Conventions: "IPA" is the guest's address, "PA" the physical address.
 * INTIDs are GIC interrupt IDs (SPI n is INTID 32 + n). Partition ids are
 * 0..nr_partitions-1 and equal the index in partitions[].
 */
#ifndef RAMPART_PARTITION_H
#define RAMPART_PARTITION_H
#include <stdint.h>

#define RAMPART_PT_MAGIC 0x54504152U /* "RAPT" */
#define RAMPART_PT_VERSION 3U

/* Limits (the compiler rejects trees that exceed them). */
#define RAMPART_MAX_PARTITIONS 8U
#define RAMPART_MAX_VCPUS 16U	    /* vCPU slots of one partition in the table */
#define RAMPART_VGIC_MAX_VCPUS 8U   /* vCPUs of one partition: what the virtual GIC serves */
#define RAMPART_VGIC_MAX_SPIS 988U  /* SPIs the virtual GIC models (INTIDs 32..1019, all of GICv3's) */
#define RAMPART_MAX_PCPUS 16U	    /* physical CPU indices 0..15 (MPIDR Aff0) */
#define RAMPART_MAX_MEM_REGIONS 4U  /* RAM regions of one partition */
#define RAMPART_MAX_DEVICES 8U	    /* passthrough devices of one partition */
#define RAMPART_MAX_MMIO 16U	    /* passthrough MMIO ranges of one partition */
#define RAMPART_MAX_SPIS 32U	    /* passthrough SPIs of one partition */
#define RAMPART_MAX_SHM 8U	    /* shared-memory regions in the table */
#define RAMPART_SHM_PEERS 2U	    /* partitions per shared-memory region */
#define RAMPART_LABEL_MAX 16U	    /* label bytes including the NUL */
#define RAMPART_BOOTARGS_MAX 1024U  /* bootargs bytes including the NUL */
#define RAMPART_MEM_ALIGN 0x200000U /* partition RAM: IPA, PA and size */
#define RAMPART_PAGE_SIZE 0x1000U   /* MMIO ranges and shared memory */
#define RAMPART_DTB_MAX 0x200000U   /* generated guest DTB (its slot in RAM) */
/*
 * Every IPA + size <= 2^39 in what the hypervisor maps: its stage 2 walks 39
 * bits from level 1 (VTCR_EL2.T0SZ = 25, arch/mmu.h MMU_S2_IPA_BITS; core
 * asserts the two agree). Realm RAM is bounded by the realm's ipa-bits.
 */
#define RAMPART_GUEST_IPA_BITS 39U
#define RAMPART_RPV_SIZE 64U /* Realm Personalization Value bytes */

/*
 * The virtual platform every partition sees (IPA), laid out like QEMU virt
 * so that stock kernels and the Veraison realm conventions apply.
 */
#define RAMPART_GUEST_GICD_IPA 0x08000000ULL
#define RAMPART_GUEST_GICD_SIZE 0x10000ULL
#define RAMPART_GUEST_GICR_IPA 0x080a0000ULL
#define RAMPART_GUEST_GICR_STRIDE 0x20000ULL /* per vCPU: RD_base + SGI_base */
#define RAMPART_GUEST_VUART_IPA 0x09000000ULL
#define RAMPART_GUEST_VUART_SIZE 0x1000ULL
#define RAMPART_GUEST_VUART_SPI 1U /* INTID 33, level-high */
#define RAMPART_GUEST_VUART_CLOCK_HZ 24000000U
#define RAMPART_GUEST_TIMER_PPI_SEC 13U /* INTID 29 */
#define RAMPART_GUEST_TIMER_PPI_PHYS 14U
#define RAMPART_GUEST_TIMER_PPI_VIRT 11U
#define RAMPART_GUEST_TIMER_PPI_HYP 10U

/*
 * What a realm partition asks its host with RSI_HOST_CALL (imm): ring the
 * other peer of shared-memory region gprs[0] (its rampart,id); gprs[0]
 * returns 0 or -2 (the HVC doorbell's INVALID_PARAMETER). docs/partitions.md.
 */
#define RAMPART_HOST_CALL_DOORBELL 0x0001U

#define RAMPART_SPI_INTID(n) (32U + (n))
#define RAMPART_NO_PARTITION 0xffffffffU

enum rampart_partition_kind {
	RAMPART_KIND_VM = 1,	/* "rampart,vm": stage-2 map, NS vCPUs */
	RAMPART_KIND_REALM = 2, /* "rampart,realm": built through RMI, vCPUs are RECs */
};

enum rampart_fault_policy {
	RAMPART_FAULT_STOP = 1,		/* stop the partition, others go on */
	RAMPART_FAULT_RESTART = 2,	/* reload its images and restart it */
	RAMPART_FAULT_RESET_SYSTEM = 3, /* PSCI SYSTEM_RESET */
};

enum rampart_console {
	RAMPART_CONSOLE_NONE = 0,
	RAMPART_CONSOLE_VUART = 1, /* virtual PL011, multiplexed on the hypervisor's UART */
};

/* rampart_partition.flags */
#define RAMPART_PART_IMAGES_EXTERNAL 0x1U  /* images put in DRAM before boot (not in flash) */
#define RAMPART_PART_UPDATE_AUTHORITY 0x2U /* may use the update hypervisor calls (docs/secure-boot.md) */

/* rampart_region.attrs */
#define RAMPART_MEM_READ 0x1U
#define RAMPART_MEM_WRITE 0x2U
#define RAMPART_MEM_EXEC 0x4U
#define RAMPART_MEM_DEVICE 0x100U /* Device-nGnRE (passthrough MMIO), else Normal WB */
#define RAMPART_MEM_SHARED 0x200U /* shared-memory region (also mapped in a peer) */
#define RAMPART_MEM_RAM (RAMPART_MEM_READ | RAMPART_MEM_WRITE | RAMPART_MEM_EXEC)
#define RAMPART_MEM_MMIO (RAMPART_MEM_READ | RAMPART_MEM_WRITE | RAMPART_MEM_DEVICE)

/* One stage-2 mapping: IPA -> PA, size bytes. */
struct rampart_region {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
	uint32_t attrs;
	uint32_t reserved;
};

/*
 * A guest image; size 0 = absent. Before the hypervisor starts, the image is
 * at pa, in the image staging area (NS DRAM outside every partition, never
 * mapped into a guest): copied there from the flash package by the monitor,
 * or loaded there by the QEMU runner / a bootloader. The hypervisor copies
 * size bytes from pa to ipa at every (re)start of the partition.
 */
struct rampart_image {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/*
 * The parameters of a realm partition (kind RAMPART_KIND_REALM; all zero for
 * a normal VM). hash_algo, ipa_bits, num_bps and num_wps go into
 * RmiRealmParams as they are (and into the RIM); the RPV is not measured but
 * is reported in every realm token. The RTT geometry is the one the Realm-VM
 * conventions use (lib/realm_plan.h). The metadata range is delegated for the
 * realm's RD, RTTs, RECs and their auxiliary granules, which the compiler
 * sized for the worst case of this realm (realm_plan_metadata_granules()).
 */
struct rampart_realm {
	uint8_t rpv[RAMPART_RPV_SIZE];
	uint32_t hash_algo; /* RMI_HASH_SHA_256 or RMI_HASH_SHA_512 */
	uint32_t ipa_bits;  /* RmiRealmParams.s2sz; the unprotected half starts at 2^(ipa_bits - 1) */
	uint32_t num_bps;
	uint32_t num_wps;
	uint64_t metadata_pa;
	uint64_t metadata_size;
};

/*
 * Fault containment (docs/partitions.md, "Fault containment"): the virtual
 * watchdog, how often and how soon a faulting partition is restarted, and
 * the budget of its passthrough interrupts. Zero means "none" except where
 * the compiler writes a default.
 */
struct rampart_containment {
	uint32_t watchdog_ms;	     /* 0: no watchdog; else kicked at least this often */
	uint32_t watchdog_action;    /* enum rampart_fault_policy, when it expires */
	uint32_t restart_limit;	     /* restarts by a fault or the watchdog; 0: no limit */
	uint32_t restart_backoff_ms; /* delay before the first such restart, doubled each time; 0: none */
	uint32_t irq_budget;	     /* passthrough interrupts one vCPU takes per window, then throttled */
	uint32_t irq_window_ms;
};

/* Defaults and bounds of the containment properties (partc enforces them). */
#define RAMPART_WATCHDOG_MIN_MS 10U
#define RAMPART_WATCHDOG_MAX_MS 3600000U /* an hour */
#define RAMPART_RESTART_LIMIT_MAX 1000000U
#define RAMPART_RESTART_BACKOFF_MAX_MS 60000U /* also the cap of the doubled delay */
#define RAMPART_IRQ_BUDGET_DEFAULT 2000U      /* per window: 200k interrupts/s */
#define RAMPART_IRQ_WINDOW_MS_DEFAULT 10U
#define RAMPART_IRQ_WINDOW_MS_MAX 10000U

struct rampart_partition {
	uint32_t id;
	uint32_t kind; /* enum rampart_partition_kind */
	char label[RAMPART_LABEL_MAX];
	uint32_t fault_policy; /* enum rampart_fault_policy */
	uint32_t console;      /* enum rampart_console */
	uint32_t flags;	       /* RAMPART_PART_* */
	uint32_t nr_vcpus;
	uint8_t pcpu[RAMPART_MAX_VCPUS]; /* vCPU i (MPIDR Aff0 = i) runs on physical CPU pcpu[i] */
	/* Boot: PC = entry_ipa, x0 = dtb.ipa, x1..x3 = 0, EL1h, MMU off, on vCPU 0 only. */
	uint64_t entry_ipa;
	struct rampart_image kernel;
	struct rampart_image initrd;
	struct rampart_image dtb;
	/* Virtual devices (also described in the guest DTB). */
	uint64_t vgic_dist_ipa;
	uint64_t vgic_redist_ipa; /* nr_vcpus frames of RAMPART_GUEST_GICR_STRIDE */
	uint64_t console_ipa;	  /* 0 when console == NONE */
	uint32_t console_intid;	  /* 0 when console == NONE */
	uint32_t nr_mem;
	struct rampart_region mem[RAMPART_MAX_MEM_REGIONS]; /* RAM, attrs RAMPART_MEM_RAM */
	/* Passthrough: MMIO identity-mapped (ipa == pa), SPIs routed 1:1 (vINTID == pINTID). */
	uint32_t nr_mmio;
	uint32_t nr_spis;
	struct rampart_region mmio[RAMPART_MAX_MMIO]; /* attrs RAMPART_MEM_MMIO */
	uint32_t spi_intid[RAMPART_MAX_SPIS];
	struct rampart_realm realm;
	struct rampart_containment containment;
};

/*
 * Shared memory between two partitions, mapped at the same IPA in both.
 * Doorbell i is a virtual SPI (INTID) raised in peer[i] when the other
 * peer rings; 0 = no doorbell for that peer.
 */
struct rampart_shm {
	char label[RAMPART_LABEL_MAX];
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
	uint32_t attrs; /* RAMPART_MEM_READ | WRITE | SHARED */
	uint32_t peer[RAMPART_SHM_PEERS];
	uint32_t doorbell_intid[RAMPART_SHM_PEERS];
	uint32_t reserved;
};

struct rampart_partition_table {
	uint32_t magic;	  /* RAMPART_PT_MAGIC */
	uint32_t version; /* RAMPART_PT_VERSION */
	uint32_t size;	  /* sizeof(struct rampart_partition_table) */
	uint32_t nr_partitions;
	uint32_t nr_shm;
	uint32_t gic_nr_spis; /* SPIs of the platform (and of every vGIC) */
	uint64_t pcpu_mask;   /* bit n: physical CPU n runs a vCPU */
	uint64_t staging_pa;  /* the image staging area: the hypervisor's, no guest maps it */
	uint64_t staging_size;
	struct rampart_partition partitions[RAMPART_MAX_PARTITIONS];
	struct rampart_shm shm[RAMPART_MAX_SHM];
};

_Static_assert(sizeof(struct rampart_region) == 32, "rampart_region layout");
_Static_assert(sizeof(struct rampart_image) == 24, "rampart_image layout");
_Static_assert(sizeof(struct rampart_shm) == 64, "rampart_shm layout");
_Static_assert(sizeof(struct rampart_realm) == 96, "rampart_realm layout");
_Static_assert(sizeof(struct rampart_containment) == 24, "rampart_containment layout");
_Static_assert(sizeof(struct rampart_partition) == 1064, "rampart_partition layout");
_Static_assert(sizeof(struct rampart_partition_table) == 9072, "rampart_partition_table layout");
_Static_assert(RAMPART_MAX_PCPUS <= 64, "pcpu_mask");

/* Defined by the generated partition_table.c. */
extern const struct rampart_partition_table rampart_partition_table;
#endif
