/* The RMM side of the RMM-EL3 interface: GTSI, attestation, console relay, panic. */
#include <arch/cache.h>
#include <arch/smc.h>
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "granule.h"
#include "rmm.h"
#include "rmm_asm.h"
#include "rmm_arch.h"

static spinlock_t console_lock = SPINLOCK_INIT;

long rmm_el3_gtsi_delegate(uint64_t pa)
{
	return (long)smc1(RMM_GTSI_DELEGATE, pa);
}

long rmm_el3_gtsi_undelegate(uint64_t pa)
{
	return (long)smc1(RMM_GTSI_UNDELEGATE, pa);
}

long rmm_el3_get_realm_key(uint64_t buf_pa, uint64_t size, uint64_t curve, uint64_t *key_size)
{
	struct smc_args a = { { RMM_ATTEST_GET_REALM_KEY, buf_pa, size, curve, 0, 0, 0, 0 } };

	smc_call(&a);
	*key_size = a.x[0] == (uint64_t)E_RMM_OK ? a.x[1] : 0;
	return (long)a.x[0];
}

long rmm_el3_get_plat_token(uint64_t buf_pa, uint64_t size, uint64_t challenge_size, uint64_t *hunk,
			    uint64_t *remaining)
{
	struct smc_args a = { { RMM_ATTEST_GET_PLAT_TOKEN, buf_pa, size, challenge_size, 0, 0, 0, 0 } };

	smc_call(&a);
	if (a.x[0] != (uint64_t)E_RMM_OK) {
		*hunk = 0;
		*remaining = 0;
	} else {
		*hunk = a.x[1];
		*remaining = a.x[2];
	}
	return (long)a.x[0];
}

unsigned int rmm_cpu_index(void)
{
	return (unsigned int)read_sysreg(tpidr_el2); /* set by entry.S on every boot */
}

void rmm_granule_scrub(uint64_t pa)
{
	/* Realm view: identity mapped, NS = 0. */
	zero_blocks((uintptr_t)pa, GRANULE_SIZE);
}

/* CPU index + 1 of a CPU that is failing: its last words bypass the console lock it may hold. */
static uint32_t panicking;

void console_write(const char *s, size_t n)
{
	int locked = (read_sysreg(sctlr_el2) & SCTLR_M) != 0 &&
		     __atomic_load_n(&panicking, __ATOMIC_RELAXED) != rmm_cpu_index() + 1;

	if (locked)
		spin_lock(&console_lock);
	while (n) {
		struct smc_args a = { { RMM_CONSOLE_WRITE, 0, 0, 0, 0, 0, 0, 0 } };
		size_t chunk = n < RMM_CONSOLE_CHUNK ? n : RMM_CONSOLE_CHUNK;
		a.x[1] = chunk;
		for (size_t i = 0; i < chunk; i++)
			a.x[2 + i / 8] |= (uint64_t)(unsigned char)s[i] << (8 * (i % 8));
		smc_call(&a);
		s += chunk;
		n -= chunk;
	}
	if (locked)
		spin_unlock(&console_lock);
}

/*
 * A fatal error: log it, then have the monitor stop the whole machine
 * (RMM_FATAL, monitor/fatal.c), so no CPU is left spinning on a lock this
 * one holds. RMM_FATAL does not return; the loop is for a monitor that
 * does.
 */
void rmm_panic(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	__atomic_store_n(&panicking, rmm_cpu_index() + 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("rmm: PANIC on cpu %lu: %s\n", read_sysreg(mpidr_el1) & 0xff, msg);
	for (;;) {
		smc1(RMM_FATAL, 0);
		wfi();
	}
}

/* One per CPU, for rmm_exception_panic() (vectors.S). */
uint8_t rmm_panic_stacks[CONFIG_NR_CPUS][RMM_PANIC_STACK_SIZE] __attribute__((aligned(16)));

void rmm_exception_panic(void);
void rmm_exception_panic(void)
{
	rmm_panic("unexpected exception at R-EL2: ESR 0x%lx ELR 0x%lx FAR 0x%lx", read_sysreg(esr_el2),
		  read_sysreg(elr_el2), read_sysreg(far_el2));
}
