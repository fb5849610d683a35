/*
 * The fuzz input as a stream of choices: the RMI target's generator and its
 * hostile realm (fuzz_realm.c) draw from the same bytes, so one input file
 * replays one whole run. Past the end every draw is zero and `done` is set.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H
#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *p;
	size_t n, i;
	int done;
};
extern struct fuzz_input fin;

static inline uint8_t in_u8(void)
{
	if (fin.i >= fin.n) {
		fin.done = 1;
		return 0;
	}
	return fin.p[fin.i++];
}
static inline uint16_t in_u16(void)
{
	return (uint16_t)(in_u8() | (unsigned int)in_u8() << 8);
}
static inline uint64_t in_u64(void)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < sizeof(v); i++)
		v |= (uint64_t)in_u8() << (8 * i);
	return v;
}
/* 0 .. n-1 (n <= 65536). */
static inline unsigned int in_below(unsigned int n)
{
	return n ? (unsigned int)(n <= 256 ? in_u8() % n : in_u16() % n) : 0;
}
/* True with probability about k/256; false past the end, so that `while (in_chance(k))` ends. */
static inline int in_chance(unsigned int k)
{
	uint8_t b = in_u8();

	return !fin.done && b < k;
}
#endif
