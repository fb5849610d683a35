# The ESR fields of a REC exit for each kind of stage-2 abort (rmm/rec_exit_esr.h, header only).
SUITES += test_rec_exit_esr
test_rec_exit_esr-srcs := test_rec_exit_esr.c
test_rec_exit_esr-cflags := -I$(SRC)/rmm
