/* Hypervisor boot: CPU 0 first, then the others through PSCI. */
#include <arch/mmu.h>
#include <arch/smc.h>
#include <arch/spinlock.h>
#include <drivers/pl011.h>
#include <rampart/smccc.h>
#include "hyp.h"
#include "partition.h"

#define HYP_TABLE_PAGES 16
#define HYP_GIC_MAP_SIZE 0x01000000UL /* GICD and every GICR frame */
#define DRAM_END (CONFIG_DRAM_BASE + CONFIG_DRAM_SIZE)

uint64_t hyp_entry_count;
static mmu_table_t hyp_tables[HYP_TABLE_PAGES] __attribute__((aligned(PAGE_SIZE)));
static struct mmu_tables hyp_mmu;
static struct fault_record *probe[CONFIG_NR_CPUS];
extern char __hyp_start[], __text_end[], __rodata_end[];

unsigned int hyp_this_cpu(void)
{
	return (unsigned int)read_sysreg(tpidr_el2);
}

void hyp_panic(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	HLOG("PANIC on cpu %u: %s\n", hyp_this_cpu(), msg);
	/*
	 * Not PSCI SYSTEM_OFF: that is a clean power-off (QEMU status 0). The
	 * monitor stops every CPU and reports a failure to the platform
	 * (docs/boot-flow.md, "Fatal errors"); should it not know the call, this
	 * CPU stays here and the machine does not power off as if all were well.
	 */
	smc1(RAMPART_SIP_HYP_FATAL, 0);
	for (;;)
		wfi();
}

void hyp_mmu_setup(void)
{
	uintptr_t start = (uintptr_t)__hyp_start, text_end = (uintptr_t)__text_end;
	uintptr_t ro_end = (uintptr_t)__rodata_end;
	int rc;

	mmu_init(&hyp_mmu, hyp_tables, HYP_TABLE_PAGES);
	if ((rc = mmu_map(&hyp_mmu, CONFIG_UART_NS_BASE, CONFIG_UART_NS_BASE, PAGE_SIZE, MT_DEVICE)) ||
	    (rc = mmu_map(&hyp_mmu, CONFIG_GICD_BASE, CONFIG_GICD_BASE, HYP_GIC_MAP_SIZE, MT_DEVICE)) ||
	    (rc = mmu_map(&hyp_mmu, start, start, text_end - start, MT_CODE)) ||
	    (rc = mmu_map(&hyp_mmu, text_end, text_end, ro_end - text_end, MT_RAM_RO)) ||
	    (rc = mmu_map(&hyp_mmu, ro_end, ro_end, DRAM_END - ro_end, MT_RAM_RW)))
		hyp_panic("cannot build the EL2 page tables (%d)", rc);
}

void hyp_mmu_enable(void)
{
	mmu_enable_el2(&hyp_mmu);
}

uint64_t probe_read64(uint64_t va, struct fault_record *rec)
{
	uint64_t v = 0;

	rec->taken = 0;
	probe[hyp_this_cpu()] = rec;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
	probe[hyp_this_cpu()] = NULL;
	return v;
}

void hyp_sync_current(uint64_t *regs);
void hyp_sync_current(uint64_t *regs)
{
	uint64_t esr = read_sysreg(esr_el2), far = read_sysreg(far_el2);
	struct fault_record *rec = probe[hyp_this_cpu()];

	(void)regs;
	if (esr_ec(esr) == ESR_EC_DABT_CUR && rec) {
		rec->esr = esr;
		rec->far = far;
		rec->taken = 1;
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
		return;
	}
	if (esr_ec(esr) == ESR_EC_DABT_CUR && (esr & ESR_FSC_MASK) == ESR_FSC_GPF)
		hyp_panic("granule protection fault at PA 0x%lx (ESR 0x%lx, ELR 0x%lx)", far, esr,
			  read_sysreg(elr_el2));
	hyp_panic("synchronous exception at EL2: ESR 0x%lx ELR 0x%lx FAR 0x%lx", esr, read_sysreg(elr_el2),
		  far);
}

void hyp_unexpected(void);
void hyp_unexpected(void)
{
	hyp_panic("unexpected exception at EL2: ESR 0x%lx ELR 0x%lx", read_sysreg(esr_el2),
		  read_sysreg(elr_el2));
}

void hyp_main(void);
static void __attribute__((noreturn)) power_off(void)
{
	HLOG("powering off\n");
	smc1(PSCI_SYSTEM_OFF, 0);
	hyp_panic("PSCI SYSTEM_OFF returned");
}

#ifndef CONFIG_HYP_SELFTEST
/* Bring up every CPU a partition uses, start the partitions, run CPU 0's vCPU. */
static void __attribute__((noreturn)) run_partitions(void)
{
	if (!partitions_build()) {
		HLOG("the partition table is empty\n");
		power_off();
	}
	hyp_irq_cpu_init(0);
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!pcpu_vcpu[cpu])
			continue;
		uint64_t rc = smc_cpu_on(cpu, (uintptr_t)secondary_entry, cpu | HYP_CPU_RUN_PARTITIONS);
		if (rc != PSCI_SUCCESS)
			hyp_panic("CPU_ON(%u) for a partition failed: %ld", cpu, (long)rc);
	}
	unsigned int started = 0;
	for (unsigned int i = 0; i < nr_partitions; i++) {
		if (partitions[i].unbuilt)
			continue;
		partition_start(&partitions[i], 0);
		started++;
	}
	if (!started) {
		HLOG("no partition could be built\n");
		power_off();
	}
	HLOG("%u partition(s) started; boot work done at counter %lu\n", started,
	     (unsigned long)read_cntpct());
	testhook_panic();
	pcpu_run(0);
}
#endif

void hyp_main(void);
void hyp_main(void)
{
	pl011_init(CONFIG_UART_NS_BASE);
	HLOG("NS-EL2 entered at counter %lu (reset to hypervisor, 1 tick = 1 ns)\n",
	     (unsigned long)hyp_entry_count);
	hyp_mmu_setup();
	hyp_mmu_enable();
	HLOG("stage 1 MMU on, cpu 0\n");
#ifdef CONFIG_HYP_SELFTEST
	int failures = hyp_selftest();
	if (failures)
		HLOG("self-checks FAILED: %d failure(s)\n", failures);
	else
		HLOG("self-checks passed\n");
	power_off();
#else
	run_partitions();
#endif
}

void hyp_secondary_main(uint64_t arg);
void hyp_secondary_main(uint64_t arg)
{
	unsigned int cpu = (unsigned int)(arg & HYP_CPU_INDEX_MASK);

	hyp_mmu_enable();
	if (arg & HYP_CPU_RUN_PARTITIONS) {
		hyp_irq_cpu_init(cpu);
		pcpu_run(cpu);
	}
	HLOG("cpu %u online (MPIDR 0x%lx)\n", cpu, read_sysreg(mpidr_el1));
#ifdef CONFIG_HYP_SELFTEST
	hyp_selftest_secondary(cpu);
#endif
	smc1(PSCI_CPU_OFF, 0);
	hyp_panic("PSCI CPU_OFF returned");
}
