/*
 * Fakes for rmm/rmm_arch.h (the RMM's EL3 calls, scrub, panic, granule
 * mappings and stage-2 TLB maintenance) used by the RMM suites. Thread safe.
 *
 * The fake EL3 keeps its own view of which PAs are in the Realm PAS, like
 * the monitor's GPT: GTSI_DELEGATE of a PA it already holds as Realm, or
 * GTSI_UNDELEGATE of one it does not, is refused with E_RMM_BAD_PAS. A test
 * can also force every call to fail with a given code.
 */
#ifndef FAKE_RMM_ARCH_H
#define FAKE_RMM_ARCH_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

enum fake_event_kind {
	EV_EL3_DELEGATE = 1,
	EV_EL3_UNDELEGATE,
	EV_SCRUB,
	EV_PANIC,
	EV_TLBI_IPA,  /* pa = IPA, vmid, level */
	EV_TLBI_VMID, /* vmid */
	EV_MAX,
};

struct fake_event {
	enum fake_event_kind kind;
	uint64_t pa;
	long rc; /* what the fake EL3 answered */
	unsigned int vmid;
	int level;
};

#define FAKE_MAX_EVENTS 64

/* Forget every call, every Realm PA and every forced failure. */
void fake_reset(void);
/* 0: normal behaviour; otherwise every later call returns rc (and changes nothing). */
void fake_el3_force_delegate_rc(long rc);
void fake_el3_force_undelegate_rc(long rc);
int fake_el3_is_realm(uint64_t pa);
/*
 * Sleep this long at the start of every GTSI call, outside the fake's own
 * lock, to widen race windows in the thread test (0: no delay).
 */
void fake_el3_set_delay_us(unsigned int us);

/* Calls of one kind so far (all PAs). */
unsigned long fake_count(enum fake_event_kind kind);
/*
 * The first FAKE_MAX_EVENTS calls in order (later ones are only counted).
 * Returns how many are recorded.
 */
size_t fake_events(const struct fake_event **ev);
/* Scrubs of a PA the fake EL3 did not hold as Realm at that moment. */
unsigned long fake_scrub_outside_realm(void);
/* Forget the recorded events and counts only (not the Realm PAs or the memory). */
void fake_clear_events(void);

/*
 * Memory behind granule_map()/ns_granule_map(): PAs [base, base + size)
 * are host bytes at host (set by the suites that need contents; fake_reset
 * forgets it). Outside it both fail the test. rmm_granule_scrub() zeroes
 * the bytes when the PA is inside. A Realm-view mapping of a PA the fake
 * EL3 holds as NS, or an NS-view mapping of a Realm PA, would be a
 * Granule Protection Fault on the target: it is counted.
 */
void fake_mem_set(uint64_t base, uint64_t size, void *host);
/* Non-zero: granule_map()/ns_granule_map() yield the CPU after mapping (thread tests). */
void fake_mem_yield(int on);
/* If set, called at every granule_map(pa), first thing (to check what holds at that moment). */
extern void (*fake_map_hook)(uint64_t pa);
/* rmm_cpu_relax() calls so far (each one a lock found held by another thread): never reset. */
unsigned long fake_relax_count(void);
unsigned long fake_gpf_count(void);

/*
 * rmm_panic() longjmps to *fake_panic_jmp when set (and fails the test
 * otherwise). Per thread; on the test's thread use EXPECT_PANIC.
 */
extern _Thread_local jmp_buf *volatile fake_panic_jmp;
extern char fake_panic_msg[256];

/* Run stmt, which must end in rmm_panic(); fails the test if it returns. */
#define EXPECT_PANIC(stmt)                                                             \
	do {                                                                           \
		jmp_buf jb_;                                                           \
		fake_panic_jmp = &jb_;                                                 \
		if (setjmp(jb_) == 0) {                                                \
			stmt;                                                          \
			fake_panic_jmp = NULL;                                         \
			fail_msg("%s returned instead of calling rmm_panic()", #stmt); \
		}                                                                      \
		fake_panic_jmp = NULL;                                                 \
	} while (0)
#endif
