SUITES += test_vgic_lr
test_vgic_lr-srcs := test_vgic_lr.c $(SRC)/core/vgic.c $(SRC)/core/vgic_state.c
test_vgic_lr-cflags := -I$(SRC)/core
