/*
 * A bare-metal realm host: builds one realm around the realmtest image
 * (tests/guests/realmtest) with the RMI, runs its RECs and prints every
 * exit, and tears it all down checking that each granule comes back
 * zeroed. pytest drives it (tests/qemu/test_realm*.py); anything hostile
 * is done with plain `smc` commands on the addresses `rinfo` prints.
 */
#include <arch/smc.h>
#include <lib/string.h>
#include <rampart/rmi.h>
#include <rampart/smccc.h>
#include "../realmtest/realmtest.h"
#include "nstest.h"

/* REALMTEST_S2SZ, _NUM_BPS, _NUM_WPS: tests/guests/build.mk, which predicts the RIM from them. */
#define REALM_RTT_START_LEVEL 1
#define S2_DESC_NORMAL_WB (6UL << 2) /* MemAttr for the host's NS mapping */
#define S2_DESC_RW (3UL << 6)
#define MAX_RTTS 8
#define MAX_DATA 640
#define AUTO_POPULATE_MAX 64
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_DABT_LOW 0x24
#define HPFAR_TO_IPA_SHIFT 8
#define HPFAR_FIPA_MASK 0xffffffffff0UL

extern char realm_image_start[], realm_image_end[];

/* fp.S */
void nstest_set_d0(uint64_t v);
uint64_t nstest_get_d0(void);
uint64_t nstest_sve_fill(void);
uint64_t nstest_sve_last(void);
#define ID_AA64PFR0_SVE_SHIFT 32

static int have_sve(void)
{
	return ((read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_SVE_SHIFT) & 0xf) != 0;
}

static struct realm_host {
	int built;
	uint64_t pool_next;
	uint64_t rd, params, shared;
	uint64_t rtt[MAX_RTTS], rtt_ipa[MAX_RTTS];
	int rtt_level[MAX_RTTS];
	unsigned int nrtt;
	uint64_t data[MAX_DATA], data_ipa[MAX_DATA];
	unsigned int ndata;
	uint64_t rec[REALMTEST_MAX_RECS], run[REALMTEST_MAX_RECS];
	uint64_t aux[REALMTEST_MAX_RECS][RMI_REC_MAX_AUX];
	uint64_t num_aux;
	unsigned int nrec;
	uint64_t lrs[RMI_REC_RUN_LRS], hcr;
	/* Every granule ever delegated for the realm, for the scrub check. */
	uint64_t used_end;
} rh;

static struct smc_args rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct smc_args a = { { fid, a1, a2, a3, a4, a5, 0, 0 } };

	smc_call(&a);
	return a;
}

/* A fresh granule of the realm pool (NS, zero). */
static uint64_t pool_alloc(void)
{
	uint64_t pa = rh.pool_next;

	if (pa >= REALM_POOL + REALM_POOL_SIZE)
		return 0;
	rh.pool_next += GRANULE_SIZE;
	rh.used_end = rh.pool_next;
	return pa;
}

static uint64_t delegated_alloc(void)
{
	uint64_t pa = pool_alloc();

	if (!pa || rmi(RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0).x[0] != RMI_SUCCESS)
		return 0;
	return pa;
}

static int step(const char *what, uint64_t ret)
{
	if (ret != RMI_SUCCESS) {
		printk("realm: %s failed: 0x%lx\n", what, ret);
		return -1;
	}
	return 0;
}

static int rtt_create(uint64_t ipa, int level)
{
	uint64_t g = delegated_alloc();

	if (!g || rh.nrtt == MAX_RTTS)
		return -1;
	if (step("RTT_CREATE", rmi(RMI_RTT_CREATE, rh.rd, g, ipa, (uint64_t)level, 0).x[0]))
		return -1;
	rh.rtt[rh.nrtt] = g;
	rh.rtt_ipa[rh.nrtt] = ipa;
	rh.rtt_level[rh.nrtt++] = level;
	return 0;
}

static int data_add(uint64_t ipa, uint64_t src, int measured)
{
	uint64_t g = delegated_alloc();
	uint64_t ret;

	if (!g || rh.ndata == MAX_DATA)
		return -1;
	if (src)
		ret = rmi(RMI_DATA_CREATE, rh.rd, g, ipa, src, measured ? RMI_MEASURE_CONTENT : 0).x[0];
	else
		ret = rmi(RMI_DATA_CREATE_UNKNOWN, rh.rd, g, ipa, 0, 0).x[0];
	if (step("DATA_CREATE", ret))
		return -1;
	rh.data[rh.ndata] = g;
	rh.data_ipa[rh.ndata++] = ipa;
	return 0;
}

static int realm_create(uint64_t hash_algo, uint64_t nrecs)
{
	struct rmi_realm_params *p;

	rh.pool_next = REALM_POOL;
	rh.rd = delegated_alloc();
	rh.params = pool_alloc();
	uint64_t root = delegated_alloc();
	if (!rh.rd || !rh.params || !root)
		return -1;
	p = (struct rmi_realm_params *)rh.params;
	memset(p, 0, sizeof(*p));
	p->s2sz = REALMTEST_S2SZ;
	p->num_bps = REALMTEST_NUM_BPS;
	p->num_wps = REALMTEST_NUM_WPS;
	p->hash_algo = (uint8_t)hash_algo;
	for (unsigned int i = 0; i < sizeof(p->rpv); i++)
		p->rpv[i] = (uint8_t)(0xa0 + i);
	p->vmid = 1;
	p->rtt_base = root;
	p->rtt_level_start = REALM_RTT_START_LEVEL;
	p->rtt_num_start = 1;
	if (step("REALM_CREATE", rmi(RMI_REALM_CREATE, rh.rd, rh.params, 0, 0, 0).x[0]))
		return -1;
	rh.rtt[0] = root;
	rh.rtt_level[0] = REALM_RTT_START_LEVEL;
	rh.nrtt = 1;
	/*
	 * The Realm-VM conventions refvalues predicts (docs/attestation.md): the
	 * RAM's RIPAS as one level-2 block, then the level-3 table the pages need.
	 */
	if (rtt_create(REALMTEST_IPA_BASE, 2))
		return -1;
	struct smc_args r = rmi(RMI_RTT_INIT_RIPAS, rh.rd, REALMTEST_IPA_BASE,
				REALMTEST_IPA_BASE + REALMTEST_RAM_SIZE, 0, 0);
	if (step("RTT_INIT_RIPAS", r.x[0]) || rtt_create(REALMTEST_IPA_BASE, 3) ||
	    rtt_create(REALM_SHARED_IPA, 2) || rtt_create(REALM_SHARED_IPA, 3))
		return -1;
	/* The image, measured, page by page from this payload's own copy. */
	uint64_t size = (uint64_t)(realm_image_end - realm_image_start);
	for (uint64_t off = 0; off < size; off += GRANULE_SIZE) {
		if (data_add(REALMTEST_IPA_BASE + off, (uint64_t)realm_image_start + off, 1))
			return -1;
	}
	rh.num_aux = rmi(RMI_REC_AUX_COUNT, rh.rd, 0, 0, 0, 0).x[1];
	for (unsigned int i = 0; i < nrecs && i < REALMTEST_MAX_RECS; i++) {
		struct rmi_rec_params *rp = (struct rmi_rec_params *)pool_alloc();
		rh.rec[i] = delegated_alloc();
		rh.run[i] = pool_alloc();
		if (!rp || !rh.rec[i] || !rh.run[i] || rh.num_aux > RMI_REC_MAX_AUX)
			return -1;
		memset(rp, 0, sizeof(*rp));
		rp->flags = i == 0 ? RMI_REC_FLAGS_RUNNABLE : 0;
		rp->mpidr = i;
		rp->pc = REALMTEST_IPA_BASE;
		rp->num_aux = rh.num_aux;
		for (uint64_t k = 0; k < rh.num_aux; k++) {
			rh.aux[i][k] = delegated_alloc();
			rp->aux[k] = rh.aux[i][k];
		}
		if (step("REC_CREATE", rmi(RMI_REC_CREATE, rh.rd, rh.rec[i], (uint64_t)rp, 0, 0).x[0]))
			return -1;
		rh.nrec++;
	}
	/* One page of host memory shared with the realm at the bottom of the unprotected half. */
	rh.shared = pool_alloc();
	memset((void *)rh.shared, 0, GRANULE_SIZE);
	if (step("RTT_MAP_UNPROTECTED", rmi(RMI_RTT_MAP_UNPROTECTED, rh.rd, REALM_SHARED_IPA, 3,
					    rh.shared | S2_DESC_NORMAL_WB | S2_DESC_RW, 0)
						.x[0]))
		return -1;
	return step("REALM_ACTIVATE", rmi(RMI_REALM_ACTIVATE, rh.rd, 0, 0, 0, 0).x[0]);
}

/* rbuild [HASH_ALGO [RECS]]: build and activate the realm. */
void cmd_rbuild(const uint64_t *args, unsigned int n)
{
	if (rh.built) {
		printk("error: a realm exists; rdestroy first\n");
		return;
	}
	memset(&rh, 0, sizeof(rh));
	/* The host's SVE state across the RMM's SHA-256 (REALM_CREATE, measured DATA_CREATE). */
	uint64_t vl = have_sve() ? nstest_sve_fill() : 0;
	if (realm_create(n > 0 ? args[0] : RMI_HASH_SHA_256, n > 1 ? args[1] : 2)) {
		printk("rbuild failed\n");
		return;
	}
	rh.built = 1;
	printk("rbuild ok rd=%lx recs=%u data=%u image=%lx sve_vl=%lx sve_last=%lx\n", rh.rd, rh.nrec,
	       rh.ndata, (uint64_t)(realm_image_end - realm_image_start), vl, vl ? nstest_sve_last() : 0);
}

void cmd_rinfo(const uint64_t *args, unsigned int n)
{
	(void)args;
	(void)n;
	printk("rinfo rd=%lx params=%lx shared=%lx root=%lx data0=%lx pool=%lx-%lx\n", rh.rd, rh.params,
	       rh.shared, rh.rtt[0], rh.data[0], (uint64_t)REALM_POOL, rh.used_end);
	for (unsigned int i = 0; i < rh.nrec; i++)
		printk("rinfo rec%u=%lx run%u=%lx aux0=%lx\n", i, rh.rec[i], i, rh.run[i], rh.aux[i][0]);
	for (unsigned int i = 0; i < rh.nrtt; i++)
		printk("rinfo rtt%u=%lx ipa=%lx level=%d\n", i, rh.rtt[i], rh.rtt_ipa[i], rh.rtt_level[i]);
}

/* rlr I VALUE: list register image for every following entry; rhcr VALUE likewise. */
void cmd_rlr(const uint64_t *args, unsigned int n)
{
	(void)n;
	if (args[0] >= RMI_REC_RUN_LRS) {
		printk("error: no list register %lu\n", args[0]);
		return;
	}
	rh.lrs[args[0]] = args[1];
	printk("ok\n");
}

void cmd_rhcr(const uint64_t *args, unsigned int n)
{
	(void)n;
	rh.hcr = args[0];
	printk("ok\n");
}

void realm_print_exit(uint64_t ret, const struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *x = &run->exit;

	printk("exit ret=%lx reason=%lx esr=%lx far=%lx hpfar=%lx imm=%lx ripas=%lx,%lx,%lx\n", ret,
	       x->exit_reason, x->esr, x->far, x->hpfar, x->imm, x->ripas_base, x->ripas_top, x->ripas_value);
	printk("exitgprs");
	for (unsigned int i = 0; i < RMI_REC_RUN_GPRS; i++)
		printk(" %lx", x->gprs[i]);
	printk("\nexitgic hcr=%lx misr=%lx vmcr=%lx lrs=%lx,%lx,%lx,%lx\n", x->gicv3_hcr, x->gicv3_misr,
	       x->gicv3_vmcr, x->gicv3_lrs[0], x->gicv3_lrs[1], x->gicv3_lrs[2], x->gicv3_lrs[3]);
	printk("exittimer cntv_ctl=%lx cntv_cval=%lx cntp_ctl=%lx cntp_cval=%lx\n", x->cntv_ctl, x->cntv_cval,
	       x->cntp_ctl, x->cntp_cval);
}

/* The realm touched RAM the host has not populated yet: a protected stage-2 fault. */
static int needs_page(const struct rmi_rec_exit *x, uint64_t *ipa)
{
	uint64_t ec = (x->esr >> 26) & 0x3f;

	*ipa = (x->hpfar & HPFAR_FIPA_MASK) << HPFAR_TO_IPA_SHIFT;
	return x->exit_reason == RMI_EXIT_SYNC && (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) &&
	       *ipa >= REALMTEST_IPA_BASE && *ipa < REALMTEST_IPA_BASE + REALMTEST_RAM_SIZE;
}

/* One REC_ENTER with the given flags and gprs, populating demand faults (at most a few). */
uint64_t realm_enter(unsigned int i, uint64_t flags, const uint64_t *gprs, unsigned int ngprs, int quiet)
{
	struct rmi_rec_run *run = (struct rmi_rec_run *)rh.run[i];
	uint64_t ret = 0, ipa;
	unsigned int populated = 0;

	memset(&run->enter, 0, sizeof(run->enter));
	run->enter.flags = flags;
	for (unsigned int k = 0; k < ngprs && k < RMI_REC_RUN_GPRS; k++)
		run->enter.gprs[k] = gprs[k];
	for (;;) {
		run->enter.gicv3_hcr = rh.hcr;
		memcpy(run->enter.gicv3_lrs, rh.lrs, sizeof(rh.lrs));
		dsb_sy();
		ret = rmi(RMI_REC_ENTER, rh.rec[i], rh.run[i], 0, 0, 0).x[0];
		if (ret != RMI_SUCCESS || !needs_page(&run->exit, &ipa) || populated == AUTO_POPULATE_MAX)
			break;
		if (data_add(ipa & ~(GRANULE_SIZE - 1), 0, 0))
			break;
		populated++;
		run->enter.flags = 0;
	}
	/* What the realm consumed from the list registers is the host's to forget. */
	if (ret == RMI_SUCCESS)
		memcpy(rh.lrs, run->exit.gicv3_lrs, sizeof(rh.lrs));
	if (!quiet) {
		if (populated)
			printk("populated %u\n", populated);
		realm_print_exit(ret, run);
	}
	return ret;
}

/* The RecRun page of REC i set up for one REC_ENTER by the caller itself: RMI_REC_ENTER's x1, x2. */
int realm_prepare_entry(unsigned int i, uint64_t flags, const uint64_t *gprs, unsigned int ngprs,
			uint64_t *rec, uint64_t *run_pa)
{
	if (!rh.built || i >= rh.nrec)
		return -1;
	struct rmi_rec_run *run = (struct rmi_rec_run *)rh.run[i];
	memset(&run->enter, 0, sizeof(run->enter));
	run->enter.flags = flags;
	for (unsigned int k = 0; k < ngprs && k < RMI_REC_RUN_GPRS; k++)
		run->enter.gprs[k] = gprs[k];
	run->enter.gicv3_hcr = rh.hcr;
	memcpy(run->enter.gicv3_lrs, rh.lrs, sizeof(rh.lrs));
	dsb_sy();
	*rec = rh.rec[i];
	*run_pa = rh.run[i];
	return 0;
}

/* A RecRun page of its own for CPU cpu (one NS pool page, made once), set up for REC_ENTER of rec. */
uint64_t realm_cpu_run_page(unsigned int cpu, const uint64_t *gprs, unsigned int ngprs)
{
	static uint64_t pages[CONFIG_NR_CPUS];

	if (!rh.built || cpu >= CONFIG_NR_CPUS)
		return 0;
	if (!pages[cpu])
		pages[cpu] = pool_alloc();
	struct rmi_rec_run *run = (struct rmi_rec_run *)pages[cpu];
	if (!run)
		return 0;
	memset(&run->enter, 0, sizeof(run->enter));
	for (unsigned int k = 0; k < ngprs && k < RMI_REC_RUN_GPRS; k++)
		run->enter.gprs[k] = gprs[k];
	run->enter.gicv3_hcr = rh.hcr;
	memcpy(run->enter.gicv3_lrs, rh.lrs, sizeof(rh.lrs));
	memset(&run->exit, 0, sizeof(run->exit));
	dsb_sy();
	return pages[cpu];
}

uint64_t realm_shared_page(void)
{
	return rh.built ? rh.shared : 0;
}

uint64_t realm_rec_pa(unsigned int rec)
{
	return rh.built && rec < rh.nrec ? rh.rec[rec] : 0;
}

/* renter REC FLAGS [GPR0 .. GPR12]: enter a REC, print its exit. */
void cmd_renter(const uint64_t *args, unsigned int n)
{
	if (!rh.built || args[0] >= rh.nrec) {
		printk("error: no REC %lu\n", args[0]);
		return;
	}
	realm_enter((unsigned int)args[0], args[1], &args[2], n - 2, 0);
}

/* rdestroy: tear everything down, undelegate, and check that every granule reads zero. */
void cmd_rdestroy(const uint64_t *args, unsigned int n)
{
	unsigned int fails = 0, nonzero = 0;

	(void)args;
	(void)n;
	for (unsigned int i = 0; i < rh.ndata; i++)
		fails += rmi(RMI_DATA_DESTROY, rh.rd, rh.data_ipa[i], 0, 0, 0).x[0] != RMI_SUCCESS;
	fails += rmi(RMI_RTT_UNMAP_UNPROTECTED, rh.rd, REALM_SHARED_IPA, 3, 0, 0).x[0] != RMI_SUCCESS;
	for (unsigned int i = rh.nrtt; i-- > 1;)
		fails += rmi(RMI_RTT_DESTROY, rh.rd, rh.rtt_ipa[i], (uint64_t)rh.rtt_level[i], 0, 0).x[0] !=
			 RMI_SUCCESS;
	for (unsigned int i = 0; i < rh.nrec; i++)
		fails += rmi(RMI_REC_DESTROY, rh.rec[i], 0, 0, 0, 0).x[0] != RMI_SUCCESS;
	fails += rmi(RMI_REALM_DESTROY, rh.rd, 0, 0, 0, 0).x[0] != RMI_SUCCESS;
	/* Undelegate the whole pool: granules that were never delegated just refuse. */
	for (uint64_t pa = REALM_POOL; pa < rh.used_end; pa += GRANULE_SIZE) {
		if (rmi(RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0).x[0] != RMI_SUCCESS)
			continue;
		const volatile uint64_t *w = (const volatile uint64_t *)pa;
		for (unsigned int k = 0; k < GRANULE_SIZE / sizeof(uint64_t); k++) {
			if (w[k]) {
				nonzero++;
				break;
			}
		}
	}
	rh.built = 0;
	printk("rdestroy fails=%u nonzero=%u\n", fails, nonzero);
}

const struct rmi_rec_run *realm_run_page(unsigned int rec)
{
	return (const struct rmi_rec_run *)rh.run[rec % REALMTEST_MAX_RECS];
}

#define GICR_FRAME_SIZE 0x20000UL
#define GICR_SGI_ISENABLER0 (0x10000UL + 0x100)
#define GICR_SGI_IPRIORITYR(n) (0x10000UL + 0x400 + (n))
#define PPI_HYP_TIMER 26
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define IRQ_DELAY_TICKS_DIV 1000 /* 1 ms */
#define PRIO_DEFAULT 0xa0

/*
 * rirq REC: a physical interrupt (this CPU's EL2 timer, PPI 26) arrives while
 * the REC spins on the shared page; the realm must leave with an IRQ exit.
 * The REC must be waiting at a host call.
 */
void cmd_rirq(const uint64_t *args, unsigned int n)
{
	uint64_t gicr = CONFIG_GICR_BASE; /* CPU 0's redistributor: the first frame */
	uint64_t g[2] = { RT_CMD_SPIN_FLAG, REALM_SHARED_IPA };

	(void)n;
	*(volatile uint64_t *)rh.shared = 0;
	*(volatile uint8_t *)(gicr + GICR_SGI_IPRIORITYR(PPI_HYP_TIMER)) = PRIO_DEFAULT;
	*(volatile uint32_t *)(gicr + GICR_SGI_ISENABLER0) = 1U << PPI_HYP_TIMER;
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	write_sysreg(cnthp_cval_el2, read_cntpct() + read_sysreg(cntfrq_el0) / IRQ_DELAY_TICKS_DIV);
	write_sysreg(cnthp_ctl_el2, 1);
	isb();
	uint64_t ret = realm_enter((unsigned int)args[0], 0, g, 2, 1);
	uint64_t ctl = read_sysreg(cnthp_ctl_el2);
	write_sysreg(cnthp_ctl_el2, 0); /* level-triggered: the PPI drops with it */
	isb();
	printk("rirq timer_ctl=%lx\n", ctl);
	realm_print_exit(ret, realm_run_page((unsigned int)args[0]));
	*(volatile uint64_t *)rh.shared = 1;
}

/*
 * rns REC: EL1 and EL2 guest-group registers of the host, and its FP/SIMD
 * register, are what they were after a REC_ENTER in which the realm used
 * FP and changed its own EL1 state. The REC must be waiting at a host call.
 */
void cmd_rns(const uint64_t *args, unsigned int n)
{
	static const uint64_t pat = 0x5a5a0000a5a50000UL;
	uint64_t g[2] = { RT_CMD_FP, 0x1234567890abcdefUL };
	unsigned int bad = 0;

	(void)n;
	write_sysreg(tpidr_el1, pat | 1);
	write_sysreg(contextidr_el1, 0x77);
	write_sysreg(vbar_el1, 0x12345000UL);
	write_sysreg(sp_el1, pat | 0x40);
	write_sysreg(elr_el1, pat | 4);
	write_sysreg(cntv_cval_el0, pat | 5);
	write_sysreg(cntvoff_el2, 0x1000);
	write_sysreg(vttbr_el2, 0x0005000061000000UL);
	write_sysreg(vmpidr_el2, 0x80000003UL);
	nstest_set_d0(0xfeedfacecafebeefUL);
	int sve = have_sve();
	uint64_t vl = sve ? nstest_sve_fill() : 0;
	isb();
	uint64_t r1 = realm_enter((unsigned int)args[0], 0, g, 2, 1); /* stops at the FP host call */
	uint64_t d0_between = nstest_get_d0();
	nstest_set_d0(0x0badc0de0badc0deUL);
	uint64_t r2 = realm_enter((unsigned int)args[0], 0, NULL, 0, 1); /* the realm reads its V0 back */
	const struct rmi_rec_run *run = realm_run_page((unsigned int)args[0]);
	bad += read_sysreg(tpidr_el1) != (pat | 1);
	bad += read_sysreg(contextidr_el1) != 0x77;
	bad += read_sysreg(vbar_el1) != 0x12345000UL;
	bad += read_sysreg(sp_el1) != (pat | 0x40);
	bad += read_sysreg(elr_el1) != (pat | 4);
	bad += read_sysreg(cntv_cval_el0) != (pat | 5);
	bad += read_sysreg(cntvoff_el2) != 0x1000;
	bad += read_sysreg(vttbr_el2) != 0x0005000061000000UL;
	bad += read_sysreg(vmpidr_el2) != 0x80000003UL;
	printk("rns ret=%lx,%lx bad=%u d0_between=%lx d0_after=%lx realm_v0=%lx imm=%lx sve_vl=%lx "
	       "sve_last=%lx\n",
	       r1, r2, bad, d0_between, nstest_get_d0(), run->exit.gprs[0], run->exit.imm, vl,
	       sve ? nstest_sve_last() : 0);
}

#define RBENCH_ITERS 64

/*
 * rbench REC: instructions (icount) of one host call round trip: the realm's
 * RSI_HOST_CALL exits, the host re-enters at once. The REC must be waiting at
 * a host call; the realm makes RBENCH_ITERS + 1 of them in a row.
 */
void cmd_rbench(const uint64_t *args, unsigned int n)
{
	unsigned int rec = (unsigned int)args[0];
	uint64_t g[2] = { RT_CMD_HOST_CALLS, RBENCH_ITERS + 2 };
	struct smc_args a;

	(void)n;
	if (!rh.built || rec >= rh.nrec || realm_enter(rec, 0, g, 2, 1) != RMI_SUCCESS) {
		printk("error: rbench needs a built realm at a host call\n");
		return;
	}
	struct rmi_rec_run *run = (struct rmi_rec_run *)rh.run[rec];
	memset(&run->enter, 0, sizeof(run->enter));
	uint64_t t0 = read_cntpct();
	for (unsigned int i = 0; i < RBENCH_ITERS; i++) {
		a = (struct smc_args){ { RMI_REC_ENTER, rh.rec[rec], rh.run[rec], 0, 0, 0, 0, 0 } };
		smc_call(&a);
		if (a.x[0] != RMI_SUCCESS || run->exit.exit_reason != RMI_EXIT_HOST_CALL) {
			printk("error: rbench: entry %u ret %lx reason %lx\n", i, a.x[0],
			       run->exit.exit_reason);
			return;
		}
	}
	uint64_t t = read_cntpct() - t0;
	realm_enter(rec, 0, NULL, 0, 1); /* the last one: the realm reports */
	printk("bench rec_host_call %lu\n", t / RBENCH_ITERS);
}
