# lib/realm_plan.c (the realm build sequence the hypervisor performs) and
# lib/realm_rim.c (the RIM partc predicts from it), against the known answers
# of reference §3.7 through the host libmbedcrypto.
SUITES += test_realm_plan
test_realm_plan-srcs := test_realm_plan.c $(SRC)/lib/realm_plan.c $(SRC)/lib/realm_rim.c $(SRC)/lib/measure.c \
	$(SRC)/tools/refvalues/hash_host.c
test_realm_plan-ldflags := -lmbedcrypto
