/* Fakes for rmm/rmm_arch.h; see fake_rmm_arch.h. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <rampart/smccc.h>
#include "rmm_arch.h"
#include "fake_rmm_arch.h"

/* Open-addressed set of PAs with their Realm flag. */
#define REALM_SLOTS 16384U

struct slot {
	uint64_t pa;
	int used;
	int realm;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[REALM_SLOTS];
static long force_delegate_rc, force_undelegate_rc;
static struct fake_event events[FAKE_MAX_EVENTS];
static size_t nevents;
static unsigned long counts[EV_MAX];
static unsigned long scrub_outside_realm;
static unsigned int delay_us;
static uint64_t mem_base, mem_size;
static unsigned char *mem_host;
static unsigned long gpfs;
static int map_yield;

_Thread_local jmp_buf *volatile fake_panic_jmp;
char fake_panic_msg[256];

/* Called with lock held. */
static struct slot *slot_of(uint64_t pa)
{
	uint64_t h = (pa >> 12) * 0x9e3779b97f4a7c15UL;

	for (unsigned int i = 0; i < REALM_SLOTS; i++) {
		struct slot *s = &slots[(h + i) % REALM_SLOTS];
		if (!s->used) {
			s->used = 1;
			s->pa = pa;
			return s;
		}
		if (s->pa == pa)
			return s;
	}
	fprintf(stderr, "fake_rmm_arch: PA set full\n");
	abort();
}

/* Called with lock held. */
static void record_full(enum fake_event_kind kind, uint64_t pa, long rc, unsigned int vmid, int level)
{
	counts[kind]++;
	if (nevents < FAKE_MAX_EVENTS)
		events[nevents++] = (struct fake_event){ kind, pa, rc, vmid, level };
}

static void record(enum fake_event_kind kind, uint64_t pa, long rc)
{
	record_full(kind, pa, rc, 0, 0);
}

void fake_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof(slots));
	force_delegate_rc = 0;
	force_undelegate_rc = 0;
	nevents = 0;
	memset(counts, 0, sizeof(counts));
	scrub_outside_realm = 0;
	delay_us = 0;
	mem_base = mem_size = 0;
	mem_host = NULL;
	gpfs = 0;
	map_yield = 0;
	fake_panic_msg[0] = '\0';
	pthread_mutex_unlock(&lock);
	fake_panic_jmp = NULL;
}

void fake_clear_events(void)
{
	pthread_mutex_lock(&lock);
	nevents = 0;
	memset(counts, 0, sizeof(counts));
	scrub_outside_realm = 0;
	pthread_mutex_unlock(&lock);
}

void fake_mem_set(uint64_t base, uint64_t size, void *host)
{
	pthread_mutex_lock(&lock);
	mem_base = base;
	mem_size = size;
	mem_host = host;
	pthread_mutex_unlock(&lock);
}

void fake_mem_yield(int on)
{
	pthread_mutex_lock(&lock);
	map_yield = on;
	pthread_mutex_unlock(&lock);
}

unsigned long fake_gpf_count(void)
{
	pthread_mutex_lock(&lock);
	unsigned long n = gpfs;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Called with lock held: the host address of a granule in the window, or abort. */
static unsigned char *window(uint64_t pa)
{
	if (!mem_host || pa < mem_base || pa - mem_base >= mem_size || (pa & 0xfff)) {
		fprintf(stderr, "fake_rmm_arch: PA 0x%lx mapped outside the fake memory\n",
			(unsigned long)pa);
		abort();
	}
	return mem_host + (pa - mem_base);
}

void (*fake_map_hook)(uint64_t pa);

void *granule_map(uint64_t pa)
{
	if (fake_map_hook)
		fake_map_hook(pa);
	pthread_mutex_lock(&lock);
	if (!slot_of(pa)->realm)
		gpfs++;
	void *p = window(pa);
	int y = map_yield;
	pthread_mutex_unlock(&lock);
	if (y)
		sched_yield();
	return p;
}

const void *ns_granule_map(uint64_t pa)
{
	pthread_mutex_lock(&lock);
	if (slot_of(pa)->realm)
		gpfs++;
	const void *p = window(pa);
	int y = map_yield;
	pthread_mutex_unlock(&lock);
	if (y)
		sched_yield();
	return p;
}

static unsigned long relaxes;

unsigned long fake_relax_count(void)
{
	return __atomic_load_n(&relaxes, __ATOMIC_RELAXED);
}

void rmm_cpu_relax(void)
{
	__atomic_add_fetch(&relaxes, 1, __ATOMIC_RELAXED);
	sched_yield();
}

void s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, int level)
{
	pthread_mutex_lock(&lock);
	record_full(EV_TLBI_IPA, ipa, 0, vmid, level);
	pthread_mutex_unlock(&lock);
}

void s2_tlbi_vmid(unsigned int vmid)
{
	pthread_mutex_lock(&lock);
	record_full(EV_TLBI_VMID, 0, 0, vmid, 0);
	pthread_mutex_unlock(&lock);
}

void fake_el3_force_delegate_rc(long rc)
{
	pthread_mutex_lock(&lock);
	force_delegate_rc = rc;
	pthread_mutex_unlock(&lock);
}

void fake_el3_force_undelegate_rc(long rc)
{
	pthread_mutex_lock(&lock);
	force_undelegate_rc = rc;
	pthread_mutex_unlock(&lock);
}

void fake_el3_set_delay_us(unsigned int us)
{
	pthread_mutex_lock(&lock);
	delay_us = us;
	pthread_mutex_unlock(&lock);
}

static void delay(void)
{
	pthread_mutex_lock(&lock);
	unsigned int us = delay_us;
	pthread_mutex_unlock(&lock);
	if (us) {
		struct timespec ts = { 0, (long)us * 1000L };
		nanosleep(&ts, NULL);
	}
}

int fake_el3_is_realm(uint64_t pa)
{
	pthread_mutex_lock(&lock);
	int r = slot_of(pa)->realm;
	pthread_mutex_unlock(&lock);
	return r;
}

unsigned long fake_count(enum fake_event_kind kind)
{
	pthread_mutex_lock(&lock);
	unsigned long n = counts[kind];
	pthread_mutex_unlock(&lock);
	return n;
}

size_t fake_events(const struct fake_event **ev)
{
	*ev = events;
	return nevents;
}

unsigned long fake_scrub_outside_realm(void)
{
	return scrub_outside_realm;
}

long rmm_el3_gtsi_delegate(uint64_t pa)
{
	long rc;

	delay();
	pthread_mutex_lock(&lock);
	struct slot *s = slot_of(pa);
	if (force_delegate_rc)
		rc = force_delegate_rc;
	else if (pa & 0xfff)
		rc = E_RMM_BAD_ADDR;
	else if (s->realm)
		rc = E_RMM_BAD_PAS;
	else {
		s->realm = 1;
		rc = E_RMM_OK;
	}
	record(EV_EL3_DELEGATE, pa, rc);
	pthread_mutex_unlock(&lock);
	return rc;
}

long rmm_el3_gtsi_undelegate(uint64_t pa)
{
	long rc;

	delay();
	pthread_mutex_lock(&lock);
	struct slot *s = slot_of(pa);
	if (force_undelegate_rc)
		rc = force_undelegate_rc;
	else if (pa & 0xfff)
		rc = E_RMM_BAD_ADDR;
	else if (!s->realm)
		rc = E_RMM_BAD_PAS;
	else {
		s->realm = 0;
		rc = E_RMM_OK;
	}
	record(EV_EL3_UNDELEGATE, pa, rc);
	pthread_mutex_unlock(&lock);
	return rc;
}

void rmm_granule_scrub(uint64_t pa)
{
	pthread_mutex_lock(&lock);
	if (!slot_of(pa)->realm)
		scrub_outside_realm++;
	if (mem_host && pa >= mem_base && pa - mem_base < mem_size)
		memset(window(pa), 0, 4096);
	record(EV_SCRUB, pa, 0);
	pthread_mutex_unlock(&lock);
}

void rmm_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake_panic_msg, sizeof(fake_panic_msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	record(EV_PANIC, 0, 0);
	pthread_mutex_unlock(&lock);
	jmp_buf *jb = fake_panic_jmp;
	if (jb)
		longjmp(*jb, 1);
	fail_msg("unexpected rmm_panic: %s", fake_panic_msg);
	abort();
}
