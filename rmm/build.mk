rmm-srcs := rmm/entry.S rmm/vectors.S rmm/main.c rmm/rmi.c rmm/granule.c rmm/el3_ifc.c rmm/mmu.c \
	$(common-srcs)
rmm-lds := rmm/rmm.ld.S
rmm-cflags := -Irmm
