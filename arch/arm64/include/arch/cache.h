/* Cache maintenance by virtual address range (arch/arm64/cache.S). */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H
#include <stddef.h>
#include <stdint.h>

void dcache_clean_range(uintptr_t addr, size_t size);
void dcache_clean_inval_range(uintptr_t addr, size_t size);
void dcache_inval_range(uintptr_t addr, size_t size);
/* Zero [addr, addr+size) with DC ZVA; both must be 64-byte aligned. */
void zero_blocks(uintptr_t addr, size_t size);
void icache_inval_all(void);
/* Every PE's instruction cache in the Inner Shareable domain (code written for other CPUs). */
void icache_inval_all_is(void);
#endif
