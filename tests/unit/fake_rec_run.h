/* Fakes for the CPU side of REC_ENTER (fake_rec_run.c). */
#ifndef FAKE_REC_RUN_H
#define FAKE_REC_RUN_H
#include <stdint.h>

struct fake_rec_run {
	unsigned int runs;	      /* rec_run_until_exit() calls */
	unsigned int host_faults;     /* rec_exit_host_fault() calls */
	uint64_t last_flags;	      /* the entry flags of the last run */
	int inject_sea;		      /* the last run was asked to inject an SEA */
	uint64_t exit_reason;	      /* what the "realm" exits with */
	unsigned int attest_prepares; /* rmm_attest_prepare() calls (REALM_ACTIVATE) */
	unsigned int attest_abandons; /* rsi_attest_abandon() calls (REC_DESTROY) */
	void (*during_run)(
		void); /* called while the "realm" runs (the REC claimed; e.g. another CPU's RMI calls) */
};
extern struct fake_rec_run fake_rec_run;
void fake_rec_run_reset(void);
/* This thread's rmm_cpu_index() (0 unless set). */
void fake_set_cpu_index(unsigned int cpu);
#endif
