/*
 * Bank metadata and the anti-rollback counter (lib/include/rampart/bootstate.h,
 * docs/secure-boot.md): two-copy records and the trial-boot state machine.
 * Pure functions over records in memory; the monitor reads and writes the
 * flash copies (monitor/bootstate_flash.c), the unit tests drive these.
 */
#include <stddef.h>
#include <lib/string.h>
#include <rampart/bootstate.h>

#define CRC32_POLY 0xedb88320U /* reflected IEEE 802.3 */

uint32_t bs_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffU;

	/* Bitwise: a few hundred bytes per boot do not justify a table in the monitor. */
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (unsigned int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (CRC32_POLY & (0U - (crc & 1U)));
	}
	return ~crc;
}

int bs_meta_valid(const struct bs_meta *m)
{
	if (m->magic != BS_META_MAGIC || m->format != BS_FORMAT || m->size != sizeof(*m))
		return 0;
	if (m->crc != bs_crc32(m, offsetof(struct bs_meta, crc)))
		return 0;
	if (m->active >= MF_NR_BANKS || (m->trial != BS_NO_TRIAL && m->trial >= MF_NR_BANKS) ||
	    m->trial == m->active)
		return 0;
	return 1;
}

int bs_counter_valid(const struct bs_counter *c)
{
	return c->magic == BS_CTR_MAGIC && c->format == BS_FORMAT && c->size == sizeof(*c) &&
	       c->crc == bs_crc32(c, offsetof(struct bs_counter, crc));
}

/* a is newer than b in serial-number arithmetic (a sequence number never wraps in practice). */
static int seq_newer(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static int pick(int valid0, int valid1, uint32_t seq0, uint32_t seq1)
{
	if (valid0 && valid1)
		return seq_newer(seq1, seq0) ? 1 : 0;
	return valid0 ? 0 : valid1 ? 1 : -1;
}

int bs_meta_pick(const struct bs_meta copies[2])
{
	return pick(bs_meta_valid(&copies[0]), bs_meta_valid(&copies[1]), copies[0].seq, copies[1].seq);
}

int bs_counter_pick(const struct bs_counter copies[2])
{
	return pick(bs_counter_valid(&copies[0]), bs_counter_valid(&copies[1]), copies[0].seq, copies[1].seq);
}

void bs_meta_default(struct bs_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->magic = BS_META_MAGIC;
	m->format = BS_FORMAT;
	m->size = sizeof(*m);
	m->active = MF_BANK_A;
	m->trial = BS_NO_TRIAL;
}

void bs_meta_seal(struct bs_meta *m, uint32_t seq)
{
	m->magic = BS_META_MAGIC;
	m->format = BS_FORMAT;
	m->size = sizeof(*m);
	m->seq = seq;
	m->crc = bs_crc32(m, offsetof(struct bs_meta, crc));
}

void bs_counter_seal(struct bs_counter *c, uint32_t value, uint32_t seq)
{
	memset(c, 0, sizeof(*c));
	c->magic = BS_CTR_MAGIC;
	c->format = BS_FORMAT;
	c->size = sizeof(*c);
	c->seq = seq;
	c->value = value;
	c->crc = bs_crc32(c, offsetof(struct bs_counter, crc));
}

static unsigned int other(unsigned int bank)
{
	return bank ^ 1U;
}

void bs_plan_boot(const struct bs_meta *cur, unsigned int max_attempts, struct bs_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->next = *cur;
	p->order[0] = cur->active;
	p->order[1] = other(cur->active);
	if (cur->trial == BS_NO_TRIAL)
		return;
	p->write = 1;
	if (cur->attempts >= max_attempts) {
		/* Not confirmed in time: the confirmed bank again, and the counter has not moved. */
		p->next.trial = BS_NO_TRIAL;
		p->next.attempts = 0;
		p->fell_back = 1;
		return;
	}
	/* Counted before the trial bank runs: a boot that never comes back still counts. */
	p->next.attempts++;
	p->order[0] = cur->trial;
	p->order[1] = cur->active;
	p->trial = 1;
}

int bs_after_boot(const struct bs_meta *cur, unsigned int booted, int booted_trial, struct bs_meta *next)
{
	*next = *cur;
	if (booted_trial)
		return 0;
	/* The trial bank was refused (or its trial is over): abandon the trial. */
	next->trial = BS_NO_TRIAL;
	next->attempts = 0;
	/* The confirmed bank could not boot and the other one did: that is the confirmed one now. */
	next->active = (uint8_t)booted;
	return memcmp(next, cur, sizeof(*cur)) != 0;
}

void bs_confirm(const struct bs_meta *cur, unsigned int bank, uint32_t version, struct bs_meta *next)
{
	*next = *cur;
	next->active = (uint8_t)bank;
	next->trial = BS_NO_TRIAL;
	next->attempts = 0;
	if (version > next->min_version)
		next->min_version = version;
}

void bs_arm(const struct bs_meta *cur, unsigned int booted, unsigned int bank, const struct bs_cache *cache,
	    struct bs_meta *next)
{
	*next = *cur;
	next->active = (uint8_t)booted;
	next->trial = (uint8_t)bank;
	next->attempts = 0;
	if (cache)
		next->cache[bank] = *cache;
	else
		memset(&next->cache[bank], 0, sizeof(next->cache[bank]));
}
