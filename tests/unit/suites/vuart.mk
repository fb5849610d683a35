SUITES += test_vuart
test_vuart-srcs := test_vuart.c $(SRC)/core/vuart.c
test_vuart-cflags := -I$(SRC)/core
