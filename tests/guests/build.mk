# Bare-metal test payloads (see tests/guests/README.md). They run as the
# external NS-EL2 payload, so they exist only in that configuration.
GUEST_IMAGES := $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),nstest) bmguest

# No common-srcs: the payload keeps its MMU off, and the spinlock's
# exclusives need cacheable memory.
nstest-srcs := tests/guests/nstest/entry.S tests/guests/nstest/main.c tests/guests/nstest/cmds.c \
	tests/guests/nstest/cpus.c arch/arm64/smc.S drivers/pl011.c lib/printf.c lib/string.c
nstest-lds := tests/guests/nstest/nstest.ld.S
nstest-cflags := -Itests/guests/nstest

# A bare-metal EL1 guest for the partition tests: its own PL011 is the
# partition's virtual UART; behaviour comes from /chosen/bootargs.
bmguest-srcs := tests/guests/bmguest/entry.S tests/guests/bmguest/main.c tests/guests/bmguest/fdt.c \
	arch/arm64/smc.S drivers/pl011.c lib/printf.c lib/string.c
bmguest-lds := tests/guests/bmguest/bmguest.ld.S
bmguest-cflags := -Itests/guests/bmguest
