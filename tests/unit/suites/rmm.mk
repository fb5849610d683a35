# RMM realm suites: the RMI commands of rmm/ on the host, with the fake arch
# layer (fake_rmm_arch.c) backing granule_map() with host memory.
rmm-core-srcs := fake_rmm_arch.c $(SRC)/rmm/granule.c $(SRC)/rmm/rmi.c $(SRC)/rmm/vmid.c $(SRC)/rmm/s2tt.c \
	$(SRC)/rmm/rmi_realm.c $(SRC)/rmm/rmi_rec.c $(SRC)/rmm/rmi_rtt.c $(SRC)/rmm/rmi_data.c \
	$(SRC)/rmm/rec_enter.c $(SRC)/rmm/rec_report.c $(SRC)/rmm/realm_mem.c fake_rec_run.c
rmm-suite-cflags := -I$(SRC)/rmm -pthread

# The real rmm/measure.c: lib/measure over a host crypto_hash_ops (host_crypto.c, libmbedcrypto
# through the refvalues tool's hash glue).
rmm-measure-srcs := $(SRC)/rmm/measure.c $(SRC)/lib/measure.c host_crypto.c $(SRC)/tools/refvalues/hash_host.c
rmm-measure-cflags := -I$(SRC)/lib/crypto/include

# test_rmi (Makefile) links rmi.c, which now dispatches every RMI command.
test_rmi-srcs := test_rmi.c $(rmm-core-srcs) $(rmm-measure-srcs)
test_rmi-cflags += $(rmm-measure-cflags)
test_rmi-ldflags += -lmbedcrypto

SUITES += test_rmm_realm test_rmm_rtt test_rmm_errors test_rmm_errors_rtt test_rmm_smp test_rmm_measure \
	test_rmm_rec_enter

# REC_ENTER's checks and entry processing; fake_rec_run.c stands in for running the realm.
test_rmm_rec_enter-srcs := test_rmm_rec_enter.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_rec_enter-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_rec_enter-ldflags := -pthread

# The RIM through the real RMI commands and measure.c (test_rmm_measure.c).
test_rmm_measure-srcs := test_rmm_measure.c rmm_fixture.c $(rmm-core-srcs) $(rmm-measure-srcs)
test_rmm_measure-cflags := $(rmm-suite-cflags) $(rmm-measure-cflags)
test_rmm_measure-ldflags := -pthread -lmbedcrypto

# The others record measure_*() calls (fake_measure.c); test_rmm_realm only needs the RIM
# untouched (it checks the RD's other fields), which the recorder gives.
test_rmm_realm-srcs := test_rmm_realm.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_realm-cflags := $(rmm-suite-cflags)
test_rmm_realm-ldflags := -pthread

test_rmm_rtt-srcs := test_rmm_rtt.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_rtt-cflags := $(rmm-suite-cflags)
test_rmm_rtt-ldflags := -pthread

# The failure-condition tables (rmm_world.c) leave trailing fields (prep/post/output checks) zero.
test_rmm_errors-srcs := test_rmm_errors.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_errors-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_errors-ldflags := -pthread

test_rmm_errors_rtt-srcs := test_rmm_errors_rtt.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_errors_rtt-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_errors_rtt-ldflags := -pthread

test_rmm_smp-srcs := test_rmm_smp.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_smp-cflags := $(rmm-suite-cflags)
test_rmm_smp-ldflags := -pthread

# The registers every RMI command gives back, on success and on failure (rmm/rmi.c).
SUITES += test_rmm_outputs
test_rmm_outputs-srcs := test_rmm_outputs.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_outputs-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_outputs-ldflags := -pthread

# RMM log level 3: the line each failed RMI call prints (rmm/rmi.c).
SUITES += test_rmi_log
test_rmi_log-srcs := test_rmi_log.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmi_log-cflags := $(rmm-suite-cflags) -DCONFIG_RMM_LOG_LEVEL=3
test_rmi_log-ldflags := -pthread

# RSI and PSCI from a realm (rmm/rsi.c), with the real measure.c for the REMs; rsi_attest.c stubbed.
SUITES += test_rmm_rsi
test_rmm_rsi-srcs := test_rmm_rsi.c rmm_fixture.c $(rmm-core-srcs) $(rmm-measure-srcs) $(SRC)/rmm/rsi.c
test_rmm_rsi-cflags := $(rmm-suite-cflags) $(rmm-measure-cflags) -Wno-missing-field-initializers
test_rmm_rsi-ldflags := -pthread -lmbedcrypto

# Every adjacent pair of every RMI command's failure conditions, in the specification's order.
SUITES += test_rmm_order test_rmm_order_rtt
test_rmm_order-srcs := test_rmm_order.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_order-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_order-ldflags := -pthread
test_rmm_order_rtt-srcs := test_rmm_order_rtt.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_order_rtt-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_order_rtt-ldflags := -pthread

# REC_ENTER from four threads on one REC at once: exactly one runs it (the claim under the lock).
SUITES += test_rmm_rec_race
test_rmm_rec_race-srcs := test_rmm_rec_race.c rmm_world.c rmm_fixture.c fake_measure.c $(rmm-core-srcs)
test_rmm_rec_race-cflags := $(rmm-suite-cflags) -Wno-missing-field-initializers
test_rmm_rec_race-ldflags := -pthread
