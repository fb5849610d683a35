# lib/cca_token.c: COSE_Sign1, RAK COSE_Key, realm/platform claims and the CCA token
# collection, byte for byte, with a recording fake signer.
SUITES += test_cca_token
test_cca_token-srcs := test_cca_token.c $(SRC)/lib/cca_token.c $(SRC)/lib/cbor.c
# memmem (a GNU extension) for the spot checks.
test_cca_token-cflags := -D_GNU_SOURCE
