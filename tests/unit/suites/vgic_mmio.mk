SUITES += test_vgic_mmio
test_vgic_mmio-srcs := test_vgic_mmio.c $(SRC)/core/mmio.c $(SRC)/core/vgic.c $(SRC)/core/vgic_state.c
test_vgic_mmio-cflags := -I$(SRC)/core
