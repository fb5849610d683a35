/*
 * A driver for the fuzz targets without libFuzzer: each file named on the
 * command line once, then N inputs from a fixed-seed generator that
 * mutates the given files (or random bytes). Deterministic, so a failure
 * reproduces. usage: fuzz_X [-n N] [-s SEED] [FILE...] (-s: another run, as
 * deterministic, for a second process of a long run).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 8192
#define DEFAULT_RUNS 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)state;
}

int main(int argc, char **argv)
{
	static uint8_t seeds[8][MAX_INPUT], buf[MAX_INPUT];
	size_t lens[8];
	unsigned int nseeds = 0;
	long runs = DEFAULT_RUNS;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			runs = strtol(argv[++i], NULL, 0);
			continue;
		}
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			/* Any non-zero state: xorshift never leaves zero. */
			state ^= strtoull(argv[++i], NULL, 0) * 0x2545f4914f6cdd1dULL;
			if (!state)
				state = 1;
			continue;
		}
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		size_t n = fread(seeds[nseeds % 8], 1, MAX_INPUT, f);
		fclose(f);
		LLVMFuzzerTestOneInput(seeds[nseeds % 8], n);
		lens[nseeds % 8] = n;
		if (nseeds < 8)
			nseeds++;
	}
	for (long r = 0; r < runs; r++) {
		size_t len;
		if (nseeds && (next() & 3)) {
			unsigned int s = next() % nseeds;
			len = lens[s];
			memcpy(buf, seeds[s], len);
			for (unsigned int k = 1 + next() % 4; k && len; k--)
				buf[next() % len] ^= (uint8_t)(1 + next() % 255);
			if (next() % 8 == 0)
				len = next() % (len + 1); /* truncated */
		} else {
			len = next() % MAX_INPUT;
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)next();
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz: %ld generated inputs and %u files, no failure\n", runs, nseeds);
	return 0;
}
