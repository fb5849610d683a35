/*
 * The world the RMM failure-condition suites (test_rmm_errors*) run
 * against, and their table runner. See rmm_world.c.
 */
#ifndef RMM_WORLD_H
#define RMM_WORLD_H
#include <stddef.h>
#include <stdint.h>
#include "rmm_fixture.h"

#define NS_IPA (1UL << 39) /* realm A: s2sz 40 */
#define WB_RW 0xd8UL
#define IN RMI_ERROR_INPUT
#define REALM RMI_ERROR_REALM
#define REC RMI_ERROR_REC
#define RTT(l) RET(RMI_ERROR_RTT, l)

/*
 * The world every case runs against:
 *   realm A (NEW, s2sz 40, start level 1, 2 roots, VMID 1): RTTs to level 3
 *     at IPA 0 and at NS_IPA. Level-3 entries at IPA 0: 0x0 UNASSIGNED RAM,
 *     0x1000 ASSIGNED RAM (a_d1), 0x2000 UNASSIGNED EMPTY, 0x3000 ASSIGNED
 *     EMPTY (a_d2), 0x4000 UNASSIGNED DESTROYED; at NS_IPA: 0x1000
 *     ASSIGNED_NS. RECs 0..4: a_r[0] runnable, a_r[1] "running"
 *     (refcount 1), a_r[2] with a pending PSCI CPU_ON for MPIDR 3, a_r[3]
 *     off, a_r[4] with a pending RIPAS change [0x2000, 0x3000) to RAM.
 *   realm B (ACTIVE, s2sz 39, VMID 2): REC b_r0, RTTs to level 3 at 0.
 *   realm C (SYSTEM_OFF, as REC_ENTER will leave it; s2sz 39, VMID 3): RTTs to level 3 at 0.
 *   realm D (NEW, s2sz 39, VMID 4): one level-2 RTT, nothing else.
 * plus spare granules in each state and valid parameter granules.
 */
struct world {
	struct fx_realm a, b, c, d;
	uint64_t a_l2, a_l3, a_ns_l3, a_d1, a_d2, a_r[5], a_aux0;
	uint64_t b_r0, b_l3;
	uint64_t del, del2, ns, src;
	uint64_t pair; /* 2-granule aligned: a DELEGATED granule, then an NS one */
	/* REALM_CREATE: valid params p_realm for RD new_rd, roots new_rtt (3 delegated, 2-aligned). */
	uint64_t p_realm, new_rd, new_rtt;
	/* REC_CREATE: valid params p_rec for realm A (index 5) with aux new_aux[]. */
	uint64_t p_rec, new_rec, new_aux[RMI_REC_MAX_AUX];
};
extern struct world W;

/* cmocka setup: fx_setup() and the world above. */
int world(void **state);

struct fcase {
	const char *what;
	uint64_t fid;
	uint64_t a[5];
	uint64_t want;
	void (*prep)(int); /* before the snapshot: the state this case needs */
	int arg;
	void (*post)(void); /* after the check: undo prep */
	int out;	    /* 1..4: also check x<out> */
	uint64_t out_val;
};

/*
 * Run each case: prep, snapshot, the call, x0 (and x<out>) as wanted,
 * nothing changed, no measurement, post.
 */
void fcase_run(const struct fcase *c, size_t n);
#define RUN(cases) fcase_run(cases, sizeof(cases) / sizeof(cases[0]))

/*
 * The order of a command's failure conditions (test_rmm_order*.c): conds,
 * NULL-terminated, as the specification lists them; for each adjacent pair
 * (a, b) exactly one case named "a < b ..." or one skip "a < b: why" must
 * exist (fails the test otherwise); then the cases run as fcase_run() does.
 */
void order_run(const char *cmd, const char *const *conds, const char *const *skips, const struct fcase *c,
	       size_t n);
#define ORDER(cmd, conds, skips, cases) order_run(cmd, conds, skips, cases, sizeof(cases) / sizeof(cases[0]))

/* Addresses that are not a tracked granule: unaligned, outside DRAM, MMIO. */
#define UNALIGNED(pa) ((pa) + 0x800)
#define UNTRACKED FX_UNTRACKED
#define MMIO 0x09000000UL

/* The nine ways an RD argument can be wrong (all RMI_ERROR_INPUT); the other arguments follow. */
/* clang-format off */
#define RD_CASES(fid, ...)                                                  \
	{ "rd_align", fid, { UNALIGNED(W.a.rd), __VA_ARGS__ }, IN },        \
	{ "rd_bound: outside DRAM", fid, { UNTRACKED, __VA_ARGS__ }, IN },  \
	{ "rd_bound: MMIO", fid, { MMIO, __VA_ARGS__ }, IN },               \
	{ "rd_state: UNDELEGATED", fid, { W.ns, __VA_ARGS__ }, IN },        \
	{ "rd_state: DELEGATED", fid, { W.del2, __VA_ARGS__ }, IN },        \
	{ "rd_state: REC", fid, { W.a_r[0], __VA_ARGS__ }, IN },            \
	{ "rd_state: RTT", fid, { W.a.rtt_base, __VA_ARGS__ }, IN },        \
	{ "rd_state: DATA", fid, { W.a_d1, __VA_ARGS__ }, IN },             \
	{ "rd_state: REC_AUX", fid, { W.a_aux0, __VA_ARGS__ }, IN }
/* clang-format on */
#endif
