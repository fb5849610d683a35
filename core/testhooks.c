/*
 * Test-only hooks (core/Kconfig, "Test only"): what the QEMU isolation tests
 * need the hypervisor to do wrong on purpose. Each is empty unless its
 * option names a partition, and none is in any product configuration.
 *   HYP_TEST_EXPOSE_REALM: map a realm's RAM into a normal partition's stage 2
 *     (HYP_TEST_EXPOSE_TO, at HYP_TEST_EXPOSE_IPA), which then reads it;
 *   HYP_TEST_PROBE_REALM: CPU 0 reads a running realm's RAM itself, at its
 *     first wake-up (console input, a kick) once the realm's vCPU 0 runs.
 * Both must end in a Granule Protection Fault: the realm's RAM is Realm PAS.
 *   HYP_TEST_S2_POOL_SHORT: that partition's stage 2 gets one table page, so
 *     that building it fails as a table partc would refuse would: it must be
 *     the only partition that does not run;
 *   HYP_TEST_PANIC: the hypervisor panics once the partitions run: every CPU
 *     must stop and QEMU end with a failure status.
 */
#include <arch/sysreg.h>
#include <lib/string.h>
#include "hyp.h"
#include "partition.h"

static struct partition *by_label(const char *label)
{
	for (unsigned int i = 0; i < nr_partitions; i++)
		if (!strcmp(partitions[i].name, label))
			return &partitions[i];
	return NULL;
}

void testhook_expose_realm(void)
{
	const char *realm = CONFIG_HYP_TEST_EXPOSE_REALM, *to = CONFIG_HYP_TEST_EXPOSE_TO;

	if (!realm[0])
		return;
	struct partition *r = by_label(realm), *spy = by_label(to);
	if (!r || !spy || r->kind != RAMPART_KIND_REALM || spy->kind != RAMPART_KIND_VM || spy->unbuilt)
		hyp_panic("test hook: cannot expose realm '%s' to '%s'", realm, to);
	int rc = mmu_map(&spy->s2, CONFIG_HYP_TEST_EXPOSE_IPA, r->mem[0].pa, r->mem[0].size,
			 S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | PTE_AF | S2_AP_R | S2_AP_W | S2_XN);
	if (rc)
		hyp_panic("test hook: mapping realm '%s' into '%s' failed: %d", realm, to, rc);
	HLOG("TEST ONLY: realm %s's RAM (PA 0x%lx) mapped into %s at IPA 0x%lx\n", realm, r->mem[0].pa, to,
	     (uint64_t)CONFIG_HYP_TEST_EXPOSE_IPA);
}

/* Called by CPU 0's console loop at every wake-up: probes once, when the realm's vCPU 0 runs. */
void testhook_probe_realm(void)
{
	const char *realm = CONFIG_HYP_TEST_PROBE_REALM;
	static int done;
	struct fault_record f;

	if (!realm[0] || done)
		return;
	struct partition *r = by_label(realm);
	if (!r || r->kind != RAMPART_KIND_REALM)
		hyp_panic("test hook: no realm '%s' to probe", realm);
	if (!__atomic_load_n(&r->vcpus[0].in_guest, __ATOMIC_ACQUIRE))
		return; /* not running yet */
	done = 1;
	uint64_t pa = r->mem[0].pa, v = probe_read64(pa, &f);
	if (f.taken)
		HLOG("TEST ONLY: reading realm %s's RAM at PA 0x%lx: fault, ESR 0x%lx FAR 0x%lx\n", realm, pa,
		     f.esr, f.far);
	else
		HLOG("TEST ONLY: reading realm %s's RAM at PA 0x%lx: read 0x%lx, NO FAULT\n", realm, pa, v);
}

unsigned int testhook_s2_table_pages(const char *label, unsigned int pages)
{
	const char *short_of = CONFIG_HYP_TEST_S2_POOL_SHORT;

	if (!short_of[0] || strcmp(label, short_of))
		return pages;
	HLOG("TEST ONLY: partition %s gets 1 stage-2 table page instead of %u\n", label, pages);
	return 1;
}

void testhook_panic(void)
{
#ifdef CONFIG_HYP_TEST_PANIC
	hyp_panic("TEST ONLY: CONFIG_HYP_TEST_PANIC, with every partition started");
#endif
}
