/* See fake_measure.h. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <rampart/rmi.h>
#include "measure.h"
#include "realm.h"
#include "fake_measure.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fake_measure_call calls[FAKE_MEASURE_MAX];
static unsigned long ncalls, counts[FM_MAX];

/* The fake granule_map() hands out host pointers: record the RD pointer as is. */
static uint64_t rd_id(const struct rd *rd)
{
	return (uint64_t)(uintptr_t)rd;
}

static void add(enum fake_measure_kind kind, const struct rd *rd, uint64_t a, uint64_t b, uint8_t first)
{
	pthread_mutex_lock(&lock);
	counts[kind]++;
	if (ncalls < FAKE_MEASURE_MAX)
		calls[ncalls] = (struct fake_measure_call){ kind, rd_id(rd), a, b, first };
	ncalls++;
	pthread_mutex_unlock(&lock);
}

void fake_measure_reset(void)
{
	pthread_mutex_lock(&lock);
	ncalls = 0;
	memset(counts, 0, sizeof(counts));
	pthread_mutex_unlock(&lock);
}

unsigned long fake_measure_count(enum fake_measure_kind kind)
{
	pthread_mutex_lock(&lock);
	unsigned long n = counts[kind];
	pthread_mutex_unlock(&lock);
	return n;
}

unsigned long fake_measure_total(void)
{
	pthread_mutex_lock(&lock);
	unsigned long n = ncalls;
	pthread_mutex_unlock(&lock);
	return n;
}

const struct fake_measure_call *fake_measure_calls(unsigned long *n)
{
	*n = ncalls < FAKE_MEASURE_MAX ? ncalls : FAKE_MEASURE_MAX;
	return calls;
}

void measure_realm_create(struct rd *rd, const void *params_4k)
{
	const struct rmi_realm_params *p = params_4k;

	add(FM_REALM, rd, p->s2sz, p->hash_algo, p->rpv[0]);
}

void measure_data_create(struct rd *rd, uint64_t ipa, uint64_t flags, const void *content_4k)
{
	add(FM_DATA, rd, ipa, flags, *(const uint8_t *)content_4k);
}

void measure_rec_create(struct rd *rd, const void *rec_params_4k)
{
	const struct rmi_rec_params *p = rec_params_4k;

	add(FM_REC, rd, p->mpidr, p->pc, (uint8_t)p->gprs[0]);
}

void measure_init_ripas(struct rd *rd, uint64_t base, uint64_t top)
{
	add(FM_RIPAS, rd, base, top, 0);
}
