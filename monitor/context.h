/*
 * Per-CPU, per-world context kept by the monitor (layout shared with the
 * assembly in vectors.S and el2_context.S). EL3 switches x0..x30, the
 * return state, SCR_EL3 and every EL2 system register; EL1/EL0 state,
 * FP/SIMD and the EL1 timers belong to the RMM (reference §5.4).
 */
#ifndef MONITOR_CONTEXT_H
#define MONITOR_CONTEXT_H

#define CTX_GPR(n) ((n)*8)
#define CTX_ELR 0xf8
#define CTX_SPSR 0x100
#define CTX_SCR 0x108
#define CTX_EL2 0x110
#define EL2_NREGS 33	/* core and guest groups, see el2_context.S */
#define EL2_EXT_NREGS 6 /* FGT and HCRX, when the CPU has them */
#define CTX_EL2_EXT (CTX_EL2 + EL2_NREGS * 8)
#define CTX_SIZE (CTX_EL2_EXT + EL2_EXT_NREGS * 8)

/* Indices into world_ctx.el2[] of the registers the monitor initialises. */
#define EL2_SCTLR 0
#define EL2_CPTR 11
#define EL2_MDCR 12
#define EL2_ICC_SRE 13
#define EL2_CNTHCTL 23
#define EL2_VMPIDR 26
#define EL2_VPIDR 27

#define WORLD_NS 0
#define WORLD_REALM 1
#define NR_WORLDS 2

#ifndef __ASSEMBLY__
#include <stdint.h>

struct world_ctx {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t scr;
	uint64_t el2[EL2_NREGS];
	uint64_t el2_ext[EL2_EXT_NREGS];
};

_Static_assert(__builtin_offsetof(struct world_ctx, elr) == CTX_ELR, "ctx layout");
_Static_assert(__builtin_offsetof(struct world_ctx, el2) == CTX_EL2, "ctx layout");
_Static_assert(sizeof(struct world_ctx) == CTX_SIZE, "ctx layout");

/* el2_context.S */
void el2_core_save(struct world_ctx *c);
void el2_core_restore(const struct world_ctx *c);
void el2_guest_restore(const struct world_ctx *c, int has_ext);

/* vectors.S: leave EL3 into ctx (never returns). */
void __attribute__((noreturn)) ctx_eret(struct world_ctx *c);
/*
 * Enter ctx and come back when the world reports a synchronous result
 * (RMM_BOOT_COMPLETE): returns the value handed to world_sync_exit().
 */
long world_sync_enter(struct world_ctx *c, uint64_t *saved_sp);
void __attribute__((noreturn)) world_sync_exit(uint64_t saved_sp, long value);
#endif
#endif
