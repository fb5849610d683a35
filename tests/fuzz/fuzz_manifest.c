/*
 * Fuzz target for the package manifest parser (lib/manifest.c): any input,
 * any length, any bank size. It must return a known error or a manifest
 * whose every image lies inside the bank, and never read past the input
 * (AddressSanitizer). Built with libFuzzer (clang -fsanitize=fuzzer) by
 * `make fuzz`; without it, standalone.c runs the same function over files
 * and a fixed number of generated inputs (docs/secure-boot.md, "Tests").
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rampart/manifest.h>

#define FUZZ_BANK_SIZE 0x1f00000U /* the default configuration's */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *buf, size_t size, uint64_t bank_size)
{
	struct mf_manifest m;
	struct mf_error err;
	enum mf_err rc = mf_parse(buf, size, bank_size, &m, &err);

	if (rc >= MF_ERR_NR || rc != err.code)
		abort();
	if (rc != MF_OK)
		return;
	if (m.h.image_count == 0 || m.h.image_count > MF_MAX_IMAGES)
		abort();
	for (unsigned int i = 0; i < m.h.image_count; i++)
		if (m.img[i].offset > bank_size || m.img[i].size > bank_size - m.img[i].offset)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t bank_size = 0;

	/* A private copy of exactly size bytes: ASan catches any read past it. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	one(buf, size, FUZZ_BANK_SIZE);
	/* And a bank size from the input's last 8 bytes: tiny, huge, unaligned. */
	if (size >= sizeof(bank_size)) {
		memcpy(&bank_size, data + size - sizeof(bank_size), sizeof(bank_size));
		one(buf, size, bank_size);
	}
	free(buf);
	return 0;
}
