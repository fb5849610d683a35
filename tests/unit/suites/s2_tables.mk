# lib/s2_tables.c (the stage-2 table count partc checks trees with) against the
# table builder it models, arch/arm64/mmu.c.
SUITES += test_s2_tables
test_s2_tables-srcs := test_s2_tables.c $(SRC)/lib/s2_tables.c $(SRC)/arch/arm64/mmu.c
