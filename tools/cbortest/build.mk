# cbortest: encodes a fixed set of items with lib/cbor.c on the host, so that
# tests/host/test_cbor.py can decode them with an independent decoder (cbor2).
HOST_TOOLS += $(O)/tools/cbortest

$(O)/tools/cbortest: tools/cbortest/cbortest.c lib/cbor.c lib/include/lib/cbor.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wvla -Ilib/include -o $@ \
		tools/cbortest/cbortest.c lib/cbor.c
