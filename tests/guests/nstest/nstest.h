/* nstest internals: shell commands, fault probes and CPU bookkeeping. */
#ifndef NSTEST_H
#define NSTEST_H
#include <stdint.h>
#include <arch/sysreg.h>
#include <lib/printf.h>
#include "nstest_asm.h"

#define GRANULE_SIZE 0x1000UL
#define POOL_BASE ((uint64_t)CONFIG_NS_PAYLOAD_ADDR + NSTEST_IMAGE_SIZE)
/* Each CPU's stress granules, then the one granule all CPUs race for, then the bench granules. */
#define STRESS_CPU_STRIDE 0x100000UL
#define STRESS_MAX_GRANULES (STRESS_CPU_STRIDE / GRANULE_SIZE)
#define RACE_PA (POOL_BASE + CONFIG_NR_CPUS * STRESS_CPU_STRIDE)
#define BENCH_POOL (RACE_PA + STRESS_CPU_STRIDE)
#define BENCH_ITERS 64
#define POOL_END (BENCH_POOL + BENCH_ITERS * GRANULE_SIZE)
/* The realm's first unprotected page, which the host shares with it (RTT_MAP_UNPROTECTED). */
#define REALM_SHARED_IPA 0x80000000UL
/* The realm host's granules (realm.c): the upper half of the pool region. */
#define REALM_POOL (POOL_BASE + NSTEST_POOL_SIZE / 2)
#define REALM_POOL_SIZE (NSTEST_POOL_SIZE / 2)
_Static_assert(POOL_END <= REALM_POOL, "nstest pools overflow their region");

#define AARCH64_INSN_SIZE 4

static inline unsigned int this_cpu(void)
{
	return (unsigned int)read_sysreg(tpidr_el2);
}

/* Device memory is not ordered against other addresses without a barrier. */
static inline void dmb_sy(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* A fault taken by a probed access instead of stopping the payload. */
struct fault {
	uint64_t esr, far, elr;
	int taken;
};
uint64_t probe_read64(uint64_t pa, struct fault *f);
void probe_write64(uint64_t pa, uint64_t v, struct fault *f);
uint64_t probe_trapped_sysreg(struct fault *f);
void print_fault(const struct fault *f);

/* Counter ticks in s seconds (CNTFRQ_EL0 is set by the platform). */
uint64_t deadline_after(unsigned int seconds);
struct smc_args smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Shell commands: args[] holds the parsed hex arguments after the name. */
void cmd_smc(const uint64_t *args, unsigned int n);
void cmd_smc2(const uint64_t *args, unsigned int n);
void cmd_read(const uint64_t *args, unsigned int n);
void cmd_write(const uint64_t *args, unsigned int n);
void cmd_fill(const uint64_t *args, unsigned int n);
void cmd_zero(const uint64_t *args, unsigned int n);
void cmd_trap(const uint64_t *args, unsigned int n);
void cmd_bench(const uint64_t *args, unsigned int n);
void cmd_off(const uint64_t *args, unsigned int n);
void cmd_reset(const uint64_t *args, unsigned int n);
void cmd_cpuon(const uint64_t *args, unsigned int n);
void cmd_cpuoff(const uint64_t *args, unsigned int n);
void cmd_cpus(const uint64_t *args, unsigned int n);
void cmd_stress(const uint64_t *args, unsigned int n);
void cmd_rbuild(const uint64_t *args, unsigned int n);
void cmd_rinfo(const uint64_t *args, unsigned int n);
void cmd_rlr(const uint64_t *args, unsigned int n);
void cmd_rhcr(const uint64_t *args, unsigned int n);
void cmd_renter(const uint64_t *args, unsigned int n);
void cmd_rdestroy(const uint64_t *args, unsigned int n);
void cmd_renter_on(const uint64_t *args, unsigned int n);
void cmd_rwait(const uint64_t *args, unsigned int n);
void cmd_rirq(const uint64_t *args, unsigned int n);
void cmd_rns(const uint64_t *args, unsigned int n);
void cmd_rbench(const uint64_t *args, unsigned int n);
void cmd_a32smc(const uint64_t *args, unsigned int n);
void cmd_smstart(const uint64_t *args, unsigned int n);
void cmd_rdebug(const uint64_t *args, unsigned int n);
void cmd_rpmu(const uint64_t *args, unsigned int n);
void cmd_rregs(const uint64_t *args, unsigned int n);
void cmd_gicregs(const uint64_t *args, unsigned int n);
void cmd_rrace(const uint64_t *args, unsigned int n);

/* realm.c, for cpus.c */
struct rmi_rec_run;
uint64_t realm_enter(unsigned int rec, uint64_t flags, const uint64_t *gprs, unsigned int ngprs, int quiet);
void realm_print_exit(uint64_t ret, const struct rmi_rec_run *run);
const struct rmi_rec_run *realm_run_page(unsigned int rec);
uint64_t realm_cpu_run_page(unsigned int cpu, const uint64_t *gprs, unsigned int ngprs);
uint64_t realm_rec_pa(unsigned int rec);
uint64_t realm_shared_page(void);
int realm_prepare_entry(unsigned int rec, uint64_t flags, const uint64_t *gprs, unsigned int ngprs,
			uint64_t *rec_pa, uint64_t *run_pa);

/* cpus.c: an exception nobody expected, on a CPU that is not the shell's. */
void cpus_record_exception(unsigned int cpu, unsigned int vector, uint64_t esr, uint64_t elr, uint64_t far);

/* Entry points from entry.S. */
extern char nstest_secondary_entry[];
/* CPU 0's first entry, with the registers the monitor entered it with. */
void nstest_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);
void nstest_secondary_main(unsigned int cpu);
void nstest_exception(unsigned int vector);
#endif
