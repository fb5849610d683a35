# monitor/ns_dtb.c: the external payload's device tree, over the upstream libfdt that
# tools/setup.sh unpacks (the same sources the monitor links; fdt_sw.c and fdt_check.c
# only for the test's trees and checks).
SUITES += test_ns_dtb
NS_DTB_LIBFDT := $(SRC)/build/deps/dtc/src/libfdt
test_ns_dtb-srcs := test_ns_dtb.c $(SRC)/monitor/ns_dtb.c \
	$(patsubst %,$(NS_DTB_LIBFDT)/%.c,fdt fdt_ro fdt_rw fdt_wip fdt_strerror fdt_addresses fdt_sw fdt_check)
# libfdt compares signed and unsigned lengths by design (lib/fdt/build.mk).
test_ns_dtb-cflags := -I$(SRC)/monitor -I$(NS_DTB_LIBFDT) -Wno-sign-compare
