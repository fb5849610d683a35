# The partition compiler's validation (tools/partc/validate.c): pure functions
# over hand-built models, no libfdt.
SUITES += test_partc
test_partc-srcs := test_partc.c $(SRC)/tools/partc/validate.c $(SRC)/tools/partc/validate_realm.c \
	$(SRC)/tools/partc/validate_s2.c $(SRC)/lib/s2_tables.c $(SRC)/tools/partc/validate_dev.c \
	$(SRC)/tools/partc/validate_images.c $(SRC)/tools/partc/validate_containment.c \
	$(SRC)/lib/realm_plan.c $(SRC)/lib/measure.c
test_partc-cflags := -I$(SRC)/tools/partc
