# lib/measure.c (realm measurements) over the host libmbedcrypto, through the
# refvalues tool's hash glue.
SUITES += test_measure
test_measure-srcs := test_measure.c $(SRC)/lib/measure.c $(SRC)/tools/refvalues/hash_host.c
test_measure-ldflags := -lmbedcrypto
