/*
 * RMI command dispatch: one table with every command's name, its number of
 * input and output registers (RMM 1.0 B4.3.*, "Input values" / "Output
 * values"), and which outputs the specification defines when the command
 * fails. regs[0..7] hold the call (x0 = FID); the handler leaves x0 =
 * status | index << 8 and its outputs in regs[1..4], and rmi_dispatch()
 * then makes the registers the host gets back what the specification says
 * (B1.2, B1.6):
 *   - an output register is zero on failure, unless the command defines it
 *     for that failure ("top" of DATA_DESTROY, RTT_DESTROY and
 *     RTT_UNMAP_UNPROTECTED with RMI_ERROR_RTT; lower/higher of
 *     RMI_VERSION). B1.6 makes them UNDEFINED; zero is what the ACS checks
 *     and leaks nothing of the call;
 *   - x1..x3 that are not outputs are zero ("any of X0 - X16 which are not
 *     specified as output values ... MBZ", B1.2);
 *   - x4..x7 that are not outputs are left as they came: SMCCC 1.1+ wants
 *     them preserved, and the monitor returns only x0..x4 (x5.. stay the
 *     host's). This is where we follow SMCCC rather than B1.2, as TF-RMM.
 * Unknown FIDs answer SMC_UNKNOWN and change nothing else.
 */
#include <stdarg.h>
#include <lib/printf.h>
#include <rampart/rmi.h>
#include "granule.h"
#include "realm.h"
#include "rmm.h"

uint64_t rmm_feature_reg0;

static void rmi_version(uint64_t regs[8])
{
	regs[0] = regs[1] == RMI_ABI_VERSION ? RMI_SUCCESS : RMI_ERROR_INPUT;
	regs[1] = RMI_ABI_VERSION;
	regs[2] = RMI_ABI_VERSION;
}

static void rmi_features(uint64_t regs[8])
{
	regs[1] = regs[1] == 0 ? rmm_feature_reg0 : 0;
	regs[0] = RMI_SUCCESS;
}

static void rmi_delegate(uint64_t regs[8])
{
	regs[0] = granule_delegate(regs[1]);
}

static void rmi_undelegate(uint64_t regs[8])
{
	regs[0] = granule_undelegate(regs[1]);
}

typedef void (*rmi_handler_t)(uint64_t regs[8]);

/* x1..x4 can carry results (the monitor returns x0..x4). */
#define RMI_RESULT_REGS 4
#define X(n) (1U << (n))
#define KEEP_ANY 0xffU /* keep_status: whatever the status */

struct rmi_cmd {
	const char *name;
	rmi_handler_t fn;
	uint8_t nin;	     /* x1..x<nin> are inputs */
	uint8_t nout;	     /* x1..x<nout> are outputs */
	uint8_t keep;	     /* X(i): output x<i> is defined on failure with keep_status */
	uint8_t keep_status; /* an RMI status, or KEEP_ANY */
};

#define CMD(fid, fn_, in, out) [(fid)-RMI_FID_FIRST] = { #fid, (fn_), (in), (out), 0, 0 }
#define CMD_KEEP(fid, fn_, in, out, keep_, status) \
	[(fid)-RMI_FID_FIRST] = { #fid, (fn_), (in), (out), (keep_), (status) }

/* Indexed by FID - RMI_FID_FIRST; no handler: SMC_UNKNOWN. */
static const struct rmi_cmd cmds[RMI_FID_LAST - RMI_FID_FIRST] = {
	/* B4.3.23: lower and higher are meaningful with RMI_ERROR_INPUT too. */
	CMD_KEEP(RMI_VERSION, rmi_version, 1, 2, X(1) | X(2), KEEP_ANY),
	CMD(RMI_GRANULE_DELEGATE, rmi_delegate, 1, 0),
	CMD(RMI_GRANULE_UNDELEGATE, rmi_undelegate, 1, 0),
	CMD(RMI_DATA_CREATE, rmi_data_create, 5, 0),
	CMD(RMI_DATA_CREATE_UNKNOWN, rmi_data_create_unknown, 3, 0),
	/* B4.3.3: "top == walk_top" on rtt_walk / rtte_state; data only on success. */
	CMD_KEEP(RMI_DATA_DESTROY, rmi_data_destroy, 2, 2, X(2), RMI_ERROR_RTT),
	CMD(RMI_REALM_ACTIVATE, rmi_realm_activate, 1, 0),
	CMD(RMI_REALM_CREATE, rmi_realm_create, 2, 0),
	CMD(RMI_REALM_DESTROY, rmi_realm_destroy, 1, 0),
	CMD(RMI_REC_CREATE, rmi_rec_create, 3, 0),
	CMD(RMI_REC_DESTROY, rmi_rec_destroy, 1, 0),
	CMD(RMI_REC_ENTER, rmi_rec_enter, 2, 0),
	CMD(RMI_RTT_CREATE, rmi_rtt_create, 4, 0),
	/* B4.3.16: top on rtt_walk / rtte_state / rtt_live; rtt only on success. */
	CMD_KEEP(RMI_RTT_DESTROY, rmi_rtt_destroy, 3, 2, X(2), RMI_ERROR_RTT),
	CMD(RMI_RTT_MAP_UNPROTECTED, rmi_rtt_map_unprotected, 4, 0),
	CMD(RMI_RTT_READ_ENTRY, rmi_rtt_read_entry, 3, 4),
	/* B4.3.22: top on rtt_walk / rtte_state. */
	CMD_KEEP(RMI_RTT_UNMAP_UNPROTECTED, rmi_rtt_unmap_unprotected, 3, 1, X(1), RMI_ERROR_RTT),
	CMD(RMI_PSCI_COMPLETE, rmi_psci_complete, 3, 0),
	CMD(RMI_FEATURES, rmi_features, 1, 1),
	CMD(RMI_RTT_FOLD, rmi_rtt_fold, 3, 1),
	CMD(RMI_REC_AUX_COUNT, rmi_rec_aux_count, 1, 1),
	CMD(RMI_RTT_INIT_RIPAS, rmi_rtt_init_ripas, 3, 1),
	CMD(RMI_RTT_SET_RIPAS, rmi_rtt_set_ripas, 4, 1),
};

/* The result registers as B1.2 / B1.6 want them (see the top of this file). */
static void rmi_results(const struct rmi_cmd *c, uint64_t regs[8])
{
	unsigned long status = RMI_RETURN_STATUS(regs[0]);

	for (unsigned int i = 1; i <= RMI_RESULT_REGS; i++) {
		if (i > c->nout) {
			if (i < RMI_RESULT_REGS)
				regs[i] = 0;
			continue;
		}
		if (status != RMI_SUCCESS &&
		    !((c->keep & X(i)) && (c->keep_status == KEEP_ANY || c->keep_status == status)))
			regs[i] = 0;
	}
}

#if CONFIG_RMM_LOG_LEVEL >= 3
static const char *const status_names[] = { "SUCCESS", "ERROR_INPUT", "ERROR_REALM", "ERROR_REC",
					    "ERROR_RTT" };

struct log_line {
	char s[LOG_LINE_MAX];
	size_t n;
};

static void __attribute__((format(printf, 2, 3))) append(struct log_line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= sizeof(l->s))
		return;
	va_start(ap, fmt);
	int r = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	l->n = r < 0 ? sizeof(l->s) : l->n + (size_t)r;
}

/*
 * Debug level 3: one line per failed command (one printk, so lines from
 * several CPUs do not mix), with its inputs, status, index when it has one,
 * and the outputs the command defines on that failure, e.g.
 *   rmm: RMI_RTT_CREATE 0x80010000 0x80020000 0x40000000 0x3 > ERROR_RTT 2
 * Never at lower levels: a host's failed calls are not worth a console line.
 */
static void rmi_log_failure(const struct rmi_cmd *c, const uint64_t in[8], const uint64_t regs[8])
{
	unsigned long status = RMI_RETURN_STATUS(regs[0]), index = RMI_RETURN_INDEX(regs[0]);
	struct log_line l = { .n = 0 };

	append(&l, "%s", c->name);
	for (unsigned int i = 1; i <= c->nin; i++)
		append(&l, " 0x%lx", (unsigned long)in[i]);
	if (status < sizeof(status_names) / sizeof(status_names[0]))
		append(&l, " > %s", status_names[status]);
	else
		append(&l, " > 0x%lx", (unsigned long)regs[0]);
	if (index || status == RMI_ERROR_RTT)
		append(&l, " %lu", index);
	for (unsigned int i = 1; i <= c->nout; i++) {
		if (regs[i] || (c->keep & X(i)))
			append(&l, " x%u=0x%lx", i, (unsigned long)regs[i]);
	}
	printk("rmm: %s\n", l.s);
}
#endif

void rmi_dispatch(uint64_t regs[8])
{
	/* An SMC64 FID has nothing above bit 31; RMM_RMI_REQ_COMPLETE (FID_LAST) is RMM -> EL3 only. */
	if (regs[0] < RMI_FID_FIRST || regs[0] >= RMI_FID_LAST || !cmds[regs[0] - RMI_FID_FIRST].fn) {
		regs[0] = (uint64_t)SMC_UNKNOWN;
		return;
	}
	const struct rmi_cmd *c = &cmds[regs[0] - RMI_FID_FIRST];
#if CONFIG_RMM_LOG_LEVEL >= 3
	uint64_t in[8];
	for (unsigned int i = 0; i < 8; i++)
		in[i] = regs[i];
#endif
	c->fn(regs);
	rmi_results(c, regs);
#if CONFIG_RMM_LOG_LEVEL >= 3
	if (RMI_RETURN_STATUS(regs[0]) != RMI_SUCCESS)
		rmi_log_failure(c, in, regs);
#endif
}
