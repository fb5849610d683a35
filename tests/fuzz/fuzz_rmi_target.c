/* The RMI fuzz target's entry point (fuzz_rmi.c); fuzz_realm_host.c shares the rest with its own. */
#include <stddef.h>
#include <stdint.h>
#include "fuzz_rmi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return rmi_fuzz_one(data, size);
}
