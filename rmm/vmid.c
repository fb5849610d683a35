/*
 * VMID allocation. The host chooses a realm's VMID (RmiRealmParams.vmid);
 * the RMM only checks that it is in range and not used by another live
 * realm. The lock is a leaf: taken with RD and root RTT locks held, it is
 * never held while taking another lock.
 */
#include <stddef.h>
#include "rmm_arch.h"
#include "vmid.h"

#define VMID_MAX (1U << 16)
#define VMID_WORD_BITS 64U

unsigned int rmm_vmid_bits = 8;

static uint64_t vmid_map[VMID_MAX / VMID_WORD_BITS];
static uint32_t vmid_lock_word;

static void vmid_lock(void)
{
	while (__atomic_exchange_n(&vmid_lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&vmid_lock_word, __ATOMIC_RELAXED))
			rmm_cpu_relax();
}

static void vmid_unlock(void)
{
	__atomic_store_n(&vmid_lock_word, 0, __ATOMIC_RELEASE);
}

int vmid_reserve(unsigned int vmid)
{
	unsigned int bits = rmm_vmid_bits == 16 ? 16 : 8;
	int rc = -1;

	if (vmid >= (1U << bits))
		return -1;
	uint64_t bit = 1UL << (vmid % VMID_WORD_BITS);
	vmid_lock();
	if (!(vmid_map[vmid / VMID_WORD_BITS] & bit)) {
		vmid_map[vmid / VMID_WORD_BITS] |= bit;
		rc = 0;
	}
	vmid_unlock();
	return rc;
}

void vmid_free(unsigned int vmid)
{
	if (vmid >= VMID_MAX)
		return;
	vmid_lock();
	vmid_map[vmid / VMID_WORD_BITS] &= ~(1UL << (vmid % VMID_WORD_BITS));
	vmid_unlock();
}

int vmid_is_reserved(unsigned int vmid)
{
	if (vmid >= VMID_MAX)
		return 0;
	vmid_lock();
	int r = (vmid_map[vmid / VMID_WORD_BITS] >> (vmid % VMID_WORD_BITS)) & 1;
	vmid_unlock();
	return r;
}

void vmid_reset(void)
{
	vmid_lock();
	for (size_t i = 0; i < sizeof(vmid_map) / sizeof(vmid_map[0]); i++)
		vmid_map[i] = 0;
	vmid_unlock();
}
