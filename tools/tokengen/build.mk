# tokengen: a CCA token built on the host with lib/cca_token.c (the firmware's encoder)
# and the host's libmbedcrypto, for tests/host/test_cca_token.py.
HOST_TOOLS += $(O)/tools/tokengen

tokengen-srcs := tools/tokengen/tokengen.c lib/cca_token.c lib/cbor.c

$(O)/tools/tokengen: $(tokengen-srcs) lib/include/lib/cca_token.h lib/include/lib/cbor.h lib/include/lib/hash.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wvla -D_DEFAULT_SOURCE -Ilib/include -o $@ \
		$(tokengen-srcs) -lmbedcrypto
