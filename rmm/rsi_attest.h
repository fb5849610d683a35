/* RSI_ATTESTATION_TOKEN_INIT / CONTINUE (rsi_attest.c). */
#ifndef RMM_RSI_ATTEST_H
#define RMM_RSI_ATTEST_H
#include "rec_run.h"

enum rec_action rsi_attest_init(struct rec_run *run);
enum rec_action rsi_attest_continue(struct rec_run *run);
#endif
