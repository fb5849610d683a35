/* The hypervisor's RMI calls: one SMC to the RMM through the monitor, x0..x4 back. */
#include <arch/smc.h>
#include "realm.h"

struct rmi_ret rmi_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct smc_args a = { { fid, a1, a2, a3, a4, a5, 0, 0 } };

	smc_call(&a);
	return (struct rmi_ret){ a.x[0], a.x[1], a.x[2], a.x[3], a.x[4] };
}
