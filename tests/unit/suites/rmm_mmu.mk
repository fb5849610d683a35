# rmm/mmu.c's map of the RMM's own carve-out (guard pages below the stacks) over arch/arm64/mmu.c.
SUITES += test_rmm_mmu
test_rmm_mmu-srcs := test_rmm_mmu.c $(SRC)/rmm/mmu.c $(SRC)/arch/arm64/mmu.c
test_rmm_mmu-cflags := -I$(SRC)/rmm
