# lib/cbor.c: the CBOR encoder for attestation tokens.
SUITES += test_cbor
test_cbor-srcs := test_cbor.c $(SRC)/lib/cbor.c
