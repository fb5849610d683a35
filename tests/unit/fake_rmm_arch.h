/*
 * Fakes for rmm/rmm_arch.h (the RMM's EL3 calls, scrub and panic) used by
 * test_granule and test_rmi. Thread safe.
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
};

struct fake_event {
	enum fake_event_kind kind;
	uint64_t pa;
	long rc; /* what the fake EL3 answered */
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
