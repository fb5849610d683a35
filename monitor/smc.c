/*
 * SMC dispatch (SMCCC 1.2). Normal world: SMCCC, PSCI, the RMI range,
 * which is forwarded to the RMM, and the hypervisor's fatal stop (Rampart
 * SiP). Realm world (RMM at R-EL2 only): the
 * RMM-EL3 services. Everything else answers SMC_UNKNOWN. Misbehaving
 * lower ELs get an exception back, never a monitor log line.
 */
#include <rampart/smccc.h>
#include "attest.h"
#include "monitor.h"
#include "secure_boot.h"

#define SPSR_M_EL_SHIFT 2
#define SPSR_M_EL_MASK 0x3UL
#define SPSR_M_SP 1UL
#define SPSR_M_AARCH32 (1UL << 4)
#define ESR_EC_SMC32 0x13
#define VBAR_OFF_CUR_SPX 0x200
#define VBAR_OFF_CUR_SP0 0x000
#define VBAR_OFF_LOWER_A64 0x400

/* Counters instead of logs: a hostile caller cannot flood the console. */
static uint64_t undef_injected[NR_WORLDS];

static unsigned int spsr_el(uint64_t spsr)
{
	return (unsigned int)((spsr >> SPSR_M_EL_SHIFT) & SPSR_M_EL_MASK);
}

/* Make the trapping EL (or EL1 for EL0) take an Undefined Instruction exception. */
static void inject_undef(struct world_ctx *ctx)
{
	unsigned int el = spsr_el(ctx->spsr);
	uint64_t esr = ((uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL;
	uint64_t vbar, off;

	if (el == 2) {
		write_sysreg(esr_el2, esr);
		write_sysreg(elr_el2, ctx->elr);
		write_sysreg(spsr_el2, ctx->spsr);
		vbar = read_sysreg(vbar_el2);
		off = (ctx->spsr & SPSR_M_SP) ? VBAR_OFF_CUR_SPX : VBAR_OFF_CUR_SP0;
		ctx->spsr = SPSR_EL2H_DAIF;
	} else {
		write_sysreg(esr_el1, esr);
		write_sysreg(elr_el1, ctx->elr);
		write_sysreg(spsr_el1, ctx->spsr);
		vbar = read_sysreg(vbar_el1);
		off = el == 0			? VBAR_OFF_LOWER_A64
		      : (ctx->spsr & SPSR_M_SP) ? VBAR_OFF_CUR_SPX
						: VBAR_OFF_CUR_SP0;
		ctx->spsr = SPSR_EL1H_DAIF;
	}
	ctx->elr = vbar + off;
}

static struct world_ctx *ns_smc(struct cpu_state *c, struct world_ctx *ctx, unsigned int cpu)
{
	uint32_t fid = (uint32_t)ctx->x[0];

	if (fid >= RMI_FID_FIRST && fid < RMI_FID_LAST) {
		if (!rmm_ready) {
			ctx->x[0] = (uint64_t)SMC_UNKNOWN;
			return ctx;
		}
		struct world_ctx *r = &c->ctx[WORLD_REALM];
		for (int i = 0; i < 8; i++)
			r->x[i] = ctx->x[i];
		c->rmi_busy = 1;
		return world_switch(c, WORLD_REALM);
	}
	if (fid == SMCCC_VERSION) {
		ctx->x[0] = SMCCC_VERSION_1_2;
	} else if (fid == SMCCC_ARCH_FEATURES) {
		uint32_t q = (uint32_t)ctx->x[1];
		ctx->x[0] =
			(q == SMCCC_VERSION || q == SMCCC_ARCH_FEATURES) ? 0 : (uint64_t)SMCCC_NOT_SUPPORTED;
	} else if (psci_is_psci_fid(fid)) {
		psci_handle(ctx, cpu);
	} else if (fid == RAMPART_SIP_HYP_FATAL && spsr_el(ctx->spsr) == 2) {
		/* NS-EL2 may already stop the machine (SYSTEM_OFF); this says it failed. */
		monitor_fatal_stop("hypervisor");
	} else if (update_is_fid(fid) && spsr_el(ctx->spsr) == 2) {
		update_smc(ctx); /* NS-EL2 only: the hypervisor, which checks the update authority */
	} else {
		ctx->x[0] = (uint64_t)SMC_UNKNOWN;
	}
	return ctx;
}

static void rmm_console(const struct world_ctx *ctx)
{
	uint64_t len = ctx->x[1];
	char buf[RMM_CONSOLE_CHUNK];

	if (len > RMM_CONSOLE_CHUNK)
		len = RMM_CONSOLE_CHUNK;
	for (uint64_t i = 0; i < len; i++)
		buf[i] = (char)(ctx->x[2 + i / 8] >> (8 * (i % 8)));
	console_write(buf, len);
}

static struct world_ctx *realm_smc(struct cpu_state *c, struct world_ctx *ctx)
{
	uint32_t fid = (uint32_t)ctx->x[0];

	/* Only the RMM itself (R-EL2) may use the RMM-EL3 interface. */
	if (spsr_el(ctx->spsr) != 2) {
		ctx->x[0] = (uint64_t)SMC_UNKNOWN;
		return ctx;
	}
	switch (fid) {
	case RMM_RMI_REQ_COMPLETE:
		if (!c->rmi_busy)
			break;
		c->rmi_busy = 0;
		struct world_ctx *ns = &c->ctx[WORLD_NS];
		for (int i = 0; i < 5; i++)
			ns->x[i] = ctx->x[i + 1];
		return world_switch(c, WORLD_NS);
	case RMM_GTSI_DELEGATE:
		ctx->x[0] = (uint64_t)monitor_gtsi_delegate(ctx->x[1]);
		return ctx;
	case RMM_GTSI_UNDELEGATE:
		ctx->x[0] = (uint64_t)monitor_gtsi_undelegate(ctx->x[1]);
		return ctx;
#ifdef CONFIG_MONITOR_ATTESTATION
	case RMM_ATTEST_GET_REALM_KEY:
		ctx->x[0] = (uint64_t)attest_get_realm_key(ctx->x[1], ctx->x[2], ctx->x[3], &ctx->x[1]);
		return ctx;
	case RMM_ATTEST_GET_PLAT_TOKEN:
		ctx->x[0] = (uint64_t)attest_get_plat_token(ctx->x[1], ctx->x[2], ctx->x[3], &ctx->x[1],
							    &ctx->x[2]);
		return ctx;
#endif
	case RMM_CONSOLE_WRITE:
		rmm_console(ctx);
		ctx->x[0] = E_RMM_OK;
		return ctx;
	case RMM_FATAL:
		monitor_fatal_stop("RMM");
	case RMM_BOOT_COMPLETE:
		if (c->sync_sp) {
			uint64_t sp = c->sync_sp;
			c->sync_sp = 0;
			world_sync_exit(sp, (long)ctx->x[1]);
		}
		break;
	default:
		break;
	}
	ctx->x[0] = (uint64_t)SMC_UNKNOWN;
	return ctx;
}

/*
 * An exception from AArch32 state (EL1 or EL0 under an AArch64 EL2): the
 * monitor serves AArch64 callers only, so an SMC answers SMC_UNKNOWN in r0
 * (ELR_EL3 is already past it). Nothing else traps from AArch32 to EL3 with
 * this SCR/CPTR/MDCR set-up; should it, the instruction is skipped: an
 * AArch64 Undefined Instruction cannot be injected into AArch32 state.
 */
static struct world_ctx *aarch32_sync(struct world_ctx *ctx, unsigned int world, uint64_t esr)
{
	if (esr_ec(esr) == ESR_EC_SMC32) {
		ctx->x[0] = (uint64_t)SMC_UNKNOWN;
	} else {
		undef_injected[world]++;
		ctx->elr += (esr & ESR_IL) ? 4 : 2;
	}
	return ctx;
}

struct world_ctx *monitor_lower_sync(struct world_ctx *ctx, uint64_t esr)
{
	unsigned int cpu = this_cpu();
	struct cpu_state *c = &cpu_state[cpu];

	/* The vector says only that EL2 is AArch64; SPSR.M[4] says the caller's state. */
	if (ctx->spsr & SPSR_M_AARCH32)
		return aarch32_sync(ctx, c->world, esr);
	if (esr_ec(esr) != ESR_EC_SMC64) {
		undef_injected[c->world]++;
		inject_undef(ctx);
		return ctx;
	}
	if (c->world == WORLD_NS)
		return ns_smc(c, ctx, cpu);
	return realm_smc(c, ctx);
}

struct world_ctx *monitor_lower_unexpected(struct world_ctx *ctx, uint64_t esr)
{
	monitor_panic("unexpected exception from a lower EL: ESR_EL3 0x%lx ELR 0x%lx", esr, ctx->elr);
}
