# Secure boot (docs/secure-boot.md): lib/manifest.c, the package manifest's parser and checks,
# with real signatures (pkgtool's host crypto over libmbedcrypto and the development signing
# key); lib/bootstate.c, the bank metadata and counter records and the trial-boot state machine.
SUITES += test_manifest test_bootstate
test_manifest-srcs := test_manifest.c $(SRC)/lib/manifest.c $(SRC)/tools/pkgtool/host_ecc.c
test_manifest-cflags := -I$(SRC)/tools/pkgtool -D_DEFAULT_SOURCE -DKEYS_DIR='"$(abspath $(SRC)/keys)"'
test_manifest-ldflags := -Wl,--no-as-needed -lmbedcrypto -Wl,--as-needed
test_bootstate-srcs := test_bootstate.c $(SRC)/lib/bootstate.c
