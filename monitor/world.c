/* World contexts, world switches and the RMM boot protocol. */
#include <arch/cache.h>
#include <arch/mmu.h>
#include <lib/string.h>
#include <rampart/rmm_el3.h>
#include <rampart/smccc.h>
#include "monitor.h"

#define RMM_END (CONFIG_RMM_BASE + CONFIG_RMM_SIZE)
#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)
#define ICC_SRE_EL2_VALUE 0xfUL	     /* SRE | DFB | DIB | Enable: EL2 owns its CPU interface */
#define CNTHCTL_EL2_EL1_ACCESS 0x3UL /* EL1PCTEN | EL1PCEN */
/* FIQ: Group 0 interrupts (only the fatal-stop SGI) reach EL3 from any lower EL, masked or not. */
#define SCR_WORLD_BASE (SCR_RES1 | SCR_NS | SCR_FIQ | SCR_HCE | SCR_RW | SCR_SIF | SCR_APK | SCR_API)

#ifdef CONFIG_NS_PAYLOAD_BUILTIN
/* The hypervisor's own image is not delegable (MONITOR_NS_POOL_BASE). */
_Static_assert(CONFIG_HYP_BASE == RMM_END, "the hypervisor follows the RMM carve-out");
#endif
#define NS_POOL_BASE MONITOR_NS_POOL_BASE

struct cpu_state cpu_state[CONFIG_NR_CPUS];
int rmm_ready;
int el2_ext_regs;
static uint64_t scr_features;

void world_init_ctx(struct world_ctx *c, unsigned int world, uint64_t entry)
{
	static int features_read;

	if (!features_read) {
		uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1), mmfr1 = read_sysreg(id_aa64mmfr1_el1);
		if (ID_AA64MMFR0_FGT(mmfr0))
			scr_features |= SCR_FGTEN;
		if (ID_AA64MMFR1_HCX(mmfr1))
			scr_features |= SCR_HXEN;
		if (ID_AA64PFR1_SME(read_sysreg(id_aa64pfr1_el1)))
			scr_features |= SCR_ENTP2;
		el2_ext_regs = ID_AA64MMFR0_FGT(mmfr0) && ID_AA64MMFR1_HCX(mmfr1);
		features_read = 1;
	}
	memset(c, 0, sizeof(*c));
	c->elr = entry;
	c->spsr = SPSR_EL2H_DAIF;
	c->scr = SCR_WORLD_BASE | scr_features | (world == WORLD_REALM ? SCR_NSE : 0);
	/* Defined reset values for the EL2 registers a world may rely on. */
	c->el2[EL2_SCTLR] = SCTLR_EL2_RES1;
	c->el2[EL2_CPTR] = CPTR_EL2_RES1;
	c->el2[EL2_CNTHCTL] = CNTHCTL_EL2_EL1_ACCESS;
	c->el2[EL2_MDCR] = (read_sysreg(pmcr_el0) >> 11) & 0x1f; /* HPMN = PMCR_EL0.N */
	c->el2[EL2_VMPIDR] = read_sysreg(mpidr_el1);
	c->el2[EL2_VPIDR] = read_sysreg(midr_el1);
	c->el2[EL2_ICC_SRE] = ICC_SRE_EL2_VALUE;
}

struct world_ctx *world_switch(struct cpu_state *c, unsigned int to)
{
	struct world_ctx *next = &c->ctx[to];

	el2_core_save(&c->ctx[c->world]);
	el2_core_restore(next);
	c->world = to;
	return next;
}

/* A world's first entry on this CPU: all of its EL2 state. */
static void load_world(struct cpu_state *c, unsigned int world)
{
	el2_core_restore(&c->ctx[world]);
	el2_guest_restore(&c->ctx[world], el2_ext_regs);
	c->world = world;
}

void rmm_write_manifest(void)
{
	struct rmm_boot_manifest *m = (void *)RMM_SHARED_BUF;
	struct rmm_mem_bank *bank = (void *)(m + 1);
	struct rmm_console_info *con = (void *)(bank + 1);

	memset(m, 0, RMM_SHARED_BUF_SIZE);
	m->version = RMM_EL3_MANIFEST_VERSION;
	bank->base = NS_POOL_BASE;
	bank->size = DRAM_END - NS_POOL_BASE;
	m->plat_dram.num_banks = 1;
	m->plat_dram.banks = (uintptr_t)bank;
	m->plat_dram.checksum =
		-rmm_el3_list_sum(1, (uintptr_t)bank, (const uint64_t *)bank, sizeof(*bank) / 8);
	con->base = CONFIG_UART_SECURE_BASE;
	con->map_pages = 1;
	memcpy(con->name, "pl011", 6);
	con->flags = RMM_CONSOLE_FLAG_EL3_RELAY;
	m->plat_console.num_consoles = 1;
	m->plat_console.consoles = (uintptr_t)con;
	m->plat_console.checksum =
		-rmm_el3_list_sum(1, (uintptr_t)con, (const uint64_t *)con, sizeof(*con) / 8);
	dcache_clean_range(RMM_SHARED_BUF, RMM_SHARED_BUF_SIZE);
}

long rmm_boot_this_cpu(unsigned int cpu, int cold)
{
	struct cpu_state *c = &cpu_state[cpu];
	struct world_ctx *r = &c->ctx[WORLD_REALM];

	world_init_ctx(r, WORLD_REALM, CONFIG_RMM_BASE);
	r->x[0] = cpu;
	if (cold) {
		r->x[1] = CONFIG_TEST_RMM_IFC_VERSION;
		r->x[2] = CONFIG_NR_CPUS;
		r->x[3] = RMM_SHARED_BUF;
		r->x[4] = 0;
	}
	load_world(c, WORLD_REALM);
	long status = world_sync_enter(r, &c->sync_sp);
	el2_core_save(r);
	return status;
}

void world_enter_ns(unsigned int cpu, uint64_t entry, uint64_t arg)
{
	struct cpu_state *c = &cpu_state[cpu];
	struct world_ctx *ns = &c->ctx[WORLD_NS];

	world_init_ctx(ns, WORLD_NS, entry);
	ns->x[0] = arg;
	load_world(c, WORLD_NS);
	ctx_eret(ns);
}
