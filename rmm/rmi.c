/*
 * RMI command dispatch. regs[0..7] hold the call (x0 = FID); the handler
 * leaves the result in regs[0..4] (x0 = status | index << 8, then the
 * command's outputs). Unknown FIDs answer SMC_UNKNOWN. Registers a
 * command does not define as outputs are left as they came (x4..x7 are
 * preserved, as SMCCC 1.2 wants, except by RTT_READ_ENTRY, whose x4 is the
 * RIPAS).
 */
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

/* Indexed by FID - RMI_FID_FIRST; NULL: SMC_UNKNOWN. */
static const rmi_handler_t handlers[RMI_FID_LAST - RMI_FID_FIRST] = {
	[RMI_VERSION - RMI_FID_FIRST] = rmi_version,
	[RMI_GRANULE_DELEGATE - RMI_FID_FIRST] = rmi_delegate,
	[RMI_GRANULE_UNDELEGATE - RMI_FID_FIRST] = rmi_undelegate,
	[RMI_DATA_CREATE - RMI_FID_FIRST] = rmi_data_create,
	[RMI_DATA_CREATE_UNKNOWN - RMI_FID_FIRST] = rmi_data_create_unknown,
	[RMI_DATA_DESTROY - RMI_FID_FIRST] = rmi_data_destroy,
	[RMI_REALM_ACTIVATE - RMI_FID_FIRST] = rmi_realm_activate,
	[RMI_REALM_CREATE - RMI_FID_FIRST] = rmi_realm_create,
	[RMI_REALM_DESTROY - RMI_FID_FIRST] = rmi_realm_destroy,
	[RMI_REC_CREATE - RMI_FID_FIRST] = rmi_rec_create,
	[RMI_REC_DESTROY - RMI_FID_FIRST] = rmi_rec_destroy,
	[RMI_REC_ENTER - RMI_FID_FIRST] = rmi_rec_enter,
	[RMI_RTT_CREATE - RMI_FID_FIRST] = rmi_rtt_create,
	[RMI_RTT_DESTROY - RMI_FID_FIRST] = rmi_rtt_destroy,
	[RMI_RTT_MAP_UNPROTECTED - RMI_FID_FIRST] = rmi_rtt_map_unprotected,
	[RMI_RTT_READ_ENTRY - RMI_FID_FIRST] = rmi_rtt_read_entry,
	[RMI_RTT_UNMAP_UNPROTECTED - RMI_FID_FIRST] = rmi_rtt_unmap_unprotected,
	[RMI_PSCI_COMPLETE - RMI_FID_FIRST] = rmi_psci_complete,
	[RMI_FEATURES - RMI_FID_FIRST] = rmi_features,
	[RMI_RTT_FOLD - RMI_FID_FIRST] = rmi_rtt_fold,
	[RMI_REC_AUX_COUNT - RMI_FID_FIRST] = rmi_rec_aux_count,
	[RMI_RTT_INIT_RIPAS - RMI_FID_FIRST] = rmi_rtt_init_ripas,
	[RMI_RTT_SET_RIPAS - RMI_FID_FIRST] = rmi_rtt_set_ripas,
};

void rmi_dispatch(uint64_t regs[8])
{
	/* An SMC64 FID has nothing above bit 31; RMM_RMI_REQ_COMPLETE (FID_LAST) is RMM -> EL3 only. */
	if (regs[0] < RMI_FID_FIRST || regs[0] >= RMI_FID_LAST || !handlers[regs[0] - RMI_FID_FIRST]) {
		regs[0] = (uint64_t)SMC_UNKNOWN;
		return;
	}
	handlers[regs[0] - RMI_FID_FIRST](regs);
}
