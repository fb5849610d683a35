/*
 * Secondary CPUs. CPU 0 posts a command in a CPU's slot and then a new
 * sequence number; the CPU runs it and publishes its results, then the
 * same number back. Plain loads and stores ordered by barriers, no
 * atomics: the MMU is off and exclusives need cacheable memory.
 */
#include <arch/smc.h>
#include <rampart/rmi.h>
#include <rampart/smccc.h>
#include "../realmtest/realmtest.h"
#include "nstest.h"

#define ONLINE_TIMEOUT_S 10
#define STRESS_TIMEOUT_S 60
#define STRESS_MAX_ROUNDS 0x10000

enum { CMD_NONE, CMD_STRESS, CMD_OFF, CMD_RENTER, CMD_RACE_ENTER };
#define RENTER_GPRS 4

struct stress_count {
	uint64_t delegated, undelegated, failed;
};

struct cpu_slot {
	/* Written by CPU 0. */
	uint64_t cmd, granules, rounds, seq;
	uint64_t rec, flags, gprs[RENTER_GPRS], ngprs, run_pa;
	/* Written by the CPU itself. */
	uint64_t online, ready_seq, done_seq, race_won, renter_ret;
	struct stress_count count;
	uint64_t exc_taken, exc_vector, exc_esr, exc_elr, exc_far;
};

static volatile struct cpu_slot slots[CONFIG_NR_CPUS];
static volatile uint64_t race_go;
static uint64_t next_seq;

void cpus_record_exception(unsigned int cpu, unsigned int vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	volatile struct cpu_slot *s = &slots[cpu];

	s->exc_vector = vector;
	s->exc_esr = esr;
	s->exc_elr = elr;
	s->exc_far = far;
	dmb_sy();
	s->exc_taken = 1;
	s->online = 0;
	dsb_sy();
}

/* Each CPU delegates and undelegates its own granules, so every call must succeed. */
static void stress_own(unsigned int cpu, uint64_t granules, uint64_t rounds, volatile struct stress_count *c)
{
	uint64_t base = POOL_BASE + cpu * STRESS_CPU_STRIDE;

	for (uint64_t r = 0; r < rounds; r++) {
		for (uint64_t k = 0; k < granules; k++) {
			if (smc(RMI_GRANULE_DELEGATE, base + k * GRANULE_SIZE, 0, 0).x[0] == RMI_SUCCESS)
				c->delegated++;
			else
				c->failed++;
		}
		for (uint64_t k = 0; k < granules; k++) {
			if (smc(RMI_GRANULE_UNDELEGATE, base + k * GRANULE_SIZE, 0, 0).x[0] == RMI_SUCCESS)
				c->undelegated++;
			else
				c->failed++;
		}
	}
}

static uint64_t race_delegate(void)
{
	return smc(RMI_GRANULE_DELEGATE, RACE_PA, 0, 0).x[0] == RMI_SUCCESS;
}

void nstest_secondary_main(unsigned int cpu)
{
	volatile struct cpu_slot *s = &slots[cpu];
	uint64_t seen = s->seq;

	s->online = 1;
	dsb_sy();
	for (;;) {
		while (s->seq == seen)
			wfe();
		seen = s->seq;
		dmb_sy();
		if (s->cmd == CMD_STRESS) {
			stress_own(cpu, s->granules, s->rounds, &s->count);
			dmb_sy();
			s->ready_seq = seen;
			while (race_go != seen)
				wfe();
			s->race_won = race_delegate();
		} else if (s->cmd == CMD_RACE_ENTER) {
			dmb_sy();
			s->ready_seq = seen;
			while (race_go != seen)
				;
			s->renter_ret = smc(RMI_REC_ENTER, s->rec, s->run_pa, 0).x[0];
		} else if (s->cmd == CMD_RENTER) {
			uint64_t g[RENTER_GPRS];
			for (unsigned int i = 0; i < RENTER_GPRS; i++)
				g[i] = s->gprs[i];
			s->renter_ret =
				realm_enter((unsigned int)s->rec, s->flags, g, (unsigned int)s->ngprs, 1);
		} else if (s->cmd == CMD_OFF) {
			s->online = 0;
			dsb_sy();
			smc(PSCI_CPU_OFF, 0, 0, 0);
			s->online = 1; /* CPU_OFF failed: still here */
		}
		dmb_sy();
		s->done_seq = seen;
	}
}

static uint32_t online_mask(void)
{
	uint32_t mask = 1; /* CPU 0 runs the shell */

	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (slots[cpu].online)
			mask |= 1U << cpu;
	}
	return mask;
}

static unsigned int popcount(uint32_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static long affinity_info(uint64_t cpu)
{
	return (long)smc(PSCI_AFFINITY_INFO_64, cpu, 0, 0).x[0];
}

void cmd_cpuon(const uint64_t *args, unsigned int n)
{
	uint64_t cpu = args[0];
	long rc = (long)smc(PSCI_CPU_ON_64, cpu, (uintptr_t)nstest_secondary_entry, cpu).x[0];

	(void)n;
	if (rc != PSCI_SUCCESS || cpu == 0 || cpu >= CONFIG_NR_CPUS) {
		printk("cpuon %lu rc=%ld\n", cpu, rc);
		return;
	}
	uint64_t end = deadline_after(ONLINE_TIMEOUT_S);
	while (!slots[cpu].online && !slots[cpu].exc_taken && read_cntpct() < end)
		;
	printk("cpuon %lu rc=%ld online=%s\n", cpu, rc, slots[cpu].online ? "yes" : "no");
}

static void post(unsigned int cpu, uint64_t cmd, uint64_t seq)
{
	slots[cpu].cmd = cmd;
	dmb_sy();
	slots[cpu].seq = seq;
	dsb_sy();
	sev();
}

void cmd_cpuoff(const uint64_t *args, unsigned int n)
{
	uint64_t cpu = args[0];

	(void)n;
	if (cpu == 0 || cpu >= CONFIG_NR_CPUS || !slots[cpu].online) {
		printk("error: cpu %lu is not an online secondary\n", cpu);
		return;
	}
	post((unsigned int)cpu, CMD_OFF, ++next_seq);
	uint64_t end = deadline_after(ONLINE_TIMEOUT_S);
	long st;
	while ((st = affinity_info(cpu)) != PSCI_AFF_OFF && read_cntpct() < end)
		;
	printk("cpuoff %lu %s\n", cpu, st == PSCI_AFF_OFF ? "off" : "timeout");
}

void cmd_cpus(const uint64_t *args, unsigned int n)
{
	static const char *const states[] = { "on", "off", "pending" };
	uint32_t mask = online_mask();

	(void)args;
	(void)n;
	printk("cpus mask=%x count=%u psci=", mask, popcount(mask));
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		long st = affinity_info(cpu);
		printk("%s%s", cpu ? "," : "", st >= 0 && st <= PSCI_AFF_ON_PENDING ? states[st] : "error");
	}
	printk("\n");
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		volatile struct cpu_slot *s = &slots[cpu];
		if (s->exc_taken)
			printk("cpu %u exception vector=%lu esr=%016lx elr=%016lx far=%016lx\n", cpu,
			       s->exc_vector, s->exc_esr, s->exc_elr, s->exc_far);
	}
}

/* Waits until every CPU in mask has published seq in its field; returns the laggards. */
static uint32_t wait_seq(uint32_t mask, int done, uint64_t seq, uint64_t end)
{
	uint32_t late;

	do {
		late = 0;
		for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
			uint64_t v = done ? slots[cpu].done_seq : slots[cpu].ready_seq;
			if ((mask & (1U << cpu)) && v != seq)
				late |= 1U << cpu;
		}
	} while (late && read_cntpct() < end);
	dmb_sy();
	return late;
}

void cmd_stress(const uint64_t *args, unsigned int n)
{
	uint64_t granules = args[0], rounds = args[1], seq = ++next_seq;
	struct stress_count total = { 0, 0, 0 };

	(void)n;
	if (granules == 0 || granules > STRESS_MAX_GRANULES || rounds == 0 || rounds > STRESS_MAX_ROUNDS) {
		printk("error: need 1..%lx granules and 1..%x rounds\n", STRESS_MAX_GRANULES,
		       STRESS_MAX_ROUNDS);
		return;
	}
	/* Start the race from an undelegated granule; failure just means it already is. */
	smc(RMI_GRANULE_UNDELEGATE, RACE_PA, 0, 0);
	uint32_t mask = online_mask();
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!(mask & (1U << cpu)))
			continue;
		volatile struct cpu_slot *s = &slots[cpu];
		s->granules = granules;
		s->rounds = rounds;
		s->count.delegated = s->count.undelegated = s->count.failed = 0;
		s->race_won = 0;
		post(cpu, CMD_STRESS, seq);
	}
	stress_own(0, granules, rounds, &total);
	uint64_t end = deadline_after(STRESS_TIMEOUT_S);
	uint32_t late = wait_seq(mask, 0, seq, end);
	race_go = seq;
	dsb_sy();
	sev();
	unsigned int winners = (unsigned int)race_delegate();
	late |= wait_seq(mask, 1, seq, end);
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		volatile struct cpu_slot *s = &slots[cpu];
		if (!(mask & (1U << cpu)) || (late & (1U << cpu)))
			continue;
		total.delegated += s->count.delegated;
		total.undelegated += s->count.undelegated;
		total.failed += s->count.failed;
		winners += (unsigned int)s->race_won;
	}
	uint64_t undo = winners ? smc(RMI_GRANULE_UNDELEGATE, RACE_PA, 0, 0).x[0] : RMI_SUCCESS;
	printk("stress cpus=%u delegated=%lu undelegated=%lu failed=%lu race_winners=%u\n", popcount(mask),
	       total.delegated, total.undelegated, total.failed, winners);
	if (late)
		printk("error: cpus mask %x did not finish in %u s\n", late, STRESS_TIMEOUT_S);
	if (undo != RMI_SUCCESS)
		printk("error: undelegating the race granule returned %lu\n", undo);
}

/* renter_on CPU REC FLAGS [GPR0 .. GPR3]: REC_ENTER on a secondary CPU; rwait CPU collects it. */
void cmd_renter_on(const uint64_t *args, unsigned int n)
{
	uint64_t cpu = args[0];

	if (cpu == 0 || cpu >= CONFIG_NR_CPUS || !slots[cpu].online) {
		printk("error: cpu %lu is not an online secondary\n", cpu);
		return;
	}
	volatile struct cpu_slot *s = &slots[cpu];
	s->rec = args[1];
	s->flags = args[2];
	s->ngprs = n - 3;
	for (unsigned int i = 0; i < RENTER_GPRS; i++)
		s->gprs[i] = i + 3 < n ? args[i + 3] : 0;
	post((unsigned int)cpu, CMD_RENTER, ++next_seq);
	printk("posted %lu\n", next_seq);
}

void cmd_rwait(const uint64_t *args, unsigned int n)
{
	uint64_t cpu = args[0], end = deadline_after(STRESS_TIMEOUT_S);

	(void)n;
	if (cpu == 0 || cpu >= CONFIG_NR_CPUS) {
		printk("error: no cpu %lu\n", cpu);
		return;
	}
	while (slots[cpu].done_seq != slots[cpu].seq && read_cntpct() < end)
		;
	if (slots[cpu].done_seq != slots[cpu].seq) {
		printk("rwait timeout\n");
		return;
	}
	realm_print_exit(slots[cpu].renter_ret, realm_run_page((unsigned int)slots[cpu].rec));
}

/*
 * rrace REC ROUNDS: every online secondary enters the same REC at the same
 * moment, ROUNDS times, each with a RecRun page of its own and the answer to
 * the realm's host call: spin until the host writes the shared page. Exactly
 * one may run the REC each round, the others must get ERROR_REC; CPU 0 lets
 * the realm go once all but one CPU are back (or after RACE_HOLD_S).
 */
#define RACE_HOLD_S 1

static unsigned int count_done(uint32_t mask, uint64_t seq)
{
	unsigned int done = 0;

	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		done += (mask & (1U << cpu)) && slots[cpu].done_seq == seq;
	return done;
}

void cmd_rrace(const uint64_t *args, unsigned int n)
{
	const uint64_t g[2] = { RT_CMD_SPIN_FLAG, REALM_SHARED_IPA };
	volatile uint64_t *flag = (volatile uint64_t *)realm_shared_page();
	uint64_t rec = realm_rec_pa((unsigned int)args[0]);
	uint32_t mask = online_mask() & ~1U;
	unsigned int rounds = 0, one = 0, bad_exits = 0, others = 0, most = 0;

	(void)n;
	if (!rec || !flag || popcount(mask) < 2) {
		printk("error: rrace needs a built realm and two online secondaries\n");
		return;
	}
	for (uint64_t r = 0; r < args[1] && r < STRESS_MAX_ROUNDS; r++) {
		uint64_t seq = ++next_seq, end = deadline_after(STRESS_TIMEOUT_S);
		flag[0] = 0;
		flag[1] = 0;
		for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
			if (!(mask & (1U << cpu)))
				continue;
			slots[cpu].rec = rec;
			slots[cpu].run_pa = realm_cpu_run_page(cpu, g, 2);
			slots[cpu].renter_ret = ~0UL;
			post(cpu, CMD_RACE_ENTER, seq);
		}
		if (wait_seq(mask, 0, seq, end))
			break;
		race_go = seq;
		dsb_sy();
		uint64_t hold = deadline_after(RACE_HOLD_S);
		while (count_done(mask, seq) < popcount(mask) - 1 && read_cntpct() < hold)
			;
		flag[0] = 1; /* the realm stops spinning */
		dsb_sy();
		if (wait_seq(mask, 1, seq, end))
			break;
		unsigned int winners = 0;
		for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
			if (!(mask & (1U << cpu)))
				continue;
			uint64_t ret = slots[cpu].renter_ret;
			const struct rmi_rec_run *run = (const struct rmi_rec_run *)slots[cpu].run_pa;
			if (ret == RMI_SUCCESS) {
				winners++;
				if (run->exit.exit_reason != RMI_EXIT_HOST_CALL ||
				    run->exit.imm != RT_CMD_SPIN_FLAG)
					bad_exits++;
			} else if (ret != RMI_ERROR_REC) {
				others++;
			}
		}
		rounds++;
		one += winners == 1;
		most = winners > most ? winners : most;
	}
	printk("rrace cpus=%u rounds=%u one_winner=%u most_winners=%u bad_exits=%u other_errors=%u\n",
	       popcount(mask), rounds, one, most, bad_exits, others);
}
