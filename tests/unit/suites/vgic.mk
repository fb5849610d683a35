SUITES += test_vgic
test_vgic-srcs := test_vgic.c $(SRC)/core/vgic.c $(SRC)/core/vgic_state.c
test_vgic-cflags := -I$(SRC)/core
