# monitor/gtsi.c: the GTSI delegate/undelegate sequences over recording fake hooks, and
# monitor/gpt.c's reset-scrub record and walk.
SUITES += test_gtsi
test_gtsi-srcs := test_gtsi.c $(SRC)/monitor/gtsi.c $(SRC)/monitor/gpt.c
test_gtsi-cflags := -I$(SRC)/monitor
