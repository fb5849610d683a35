monitor-srcs := monitor/entry.S monitor/vectors.S monitor/el2_context.S monitor/main.c \
	monitor/platform.c monitor/gpt.c monitor/gpt_el3.c monitor/gpt_cmo.S monitor/world.c monitor/psci.c \
	monitor/smc.c drivers/pl011.c drivers/gicv3.c $(common-srcs)
monitor-lds := monitor/monitor.ld.S
monitor-cflags := -Imonitor

# Measured boot links lib/crypto (lib/crypto/build.mk, included later, appends the library).
ifeq ($(CONFIG_MONITOR_MEASURED_BOOT),y)
monitor-srcs += monitor/measured_boot.c
monitor-cflags += -Ilib/crypto/include
CRYPTO_IMAGES += monitor
endif
