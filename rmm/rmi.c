/*
 * RMI command dispatch. regs[0..7] hold the call (x0 = FID); the handler
 * leaves the result in regs[0..4] (x0 = status). Unknown FIDs answer
 * SMC_UNKNOWN; commands of later milestones are not yet implemented and
 * answer SMC_UNKNOWN too, never a fake success.
 */
#include <rampart/smccc.h>
#include "granule.h"
#include "rmm.h"

#define RMI_FEAT_S2SZ_MASK 0xffUL

uint64_t rmm_feature_reg0;

static void rmi_version(uint64_t regs[8])
{
	regs[0] = regs[1] == RMI_ABI_VERSION ? RMI_SUCCESS : RMI_ERROR_INPUT;
	regs[1] = RMI_ABI_VERSION;
	regs[2] = RMI_ABI_VERSION;
}

void rmi_dispatch(uint64_t regs[8])
{
	uint32_t fid = (uint32_t)regs[0];

	if (regs[0] >> 32) { /* an SMC64 FID has nothing above bit 31 */
		regs[0] = (uint64_t)SMC_UNKNOWN;
		return;
	}
	switch (fid) {
	case RMI_VERSION:
		rmi_version(regs);
		break;
	case RMI_FEATURES:
		regs[1] = regs[1] == 0 ? rmm_feature_reg0 : 0;
		regs[0] = RMI_SUCCESS;
		break;
	case RMI_GRANULE_DELEGATE:
		regs[0] = granule_delegate(regs[1]);
		break;
	case RMI_GRANULE_UNDELEGATE:
		regs[0] = granule_undelegate(regs[1]);
		break;
	default:
		regs[0] = (uint64_t)SMC_UNKNOWN;
		break;
	}
}
