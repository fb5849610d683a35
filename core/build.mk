hyp-srcs := core/entry.S core/vectors.S core/main.c core/selftest.c drivers/pl011.c $(common-srcs)
hyp-lds := core/hyp.ld.S
hyp-cflags := -Icore
