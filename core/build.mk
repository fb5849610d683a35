hyp-srcs := core/entry.S core/vectors.S core/guest_entry.S core/main.c core/selftest.c core/vcpu.c \
	core/vpsci.c core/vuart.c core/irq.c core/pcpu.c core/partition.c core/console.c drivers/pl011.c $(common-srcs)
hyp-lds := core/hyp.ld.S
hyp-cflags := -Icore
