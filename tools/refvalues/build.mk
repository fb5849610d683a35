# refvalues: reference RIM/REMs for the verifier, computed with lib/measure.c
# (the RMM's measurement code) over the host's libmbedcrypto.
HOST_TOOLS += $(O)/tools/refvalues

refvalues-srcs := tools/refvalues/refvalues.c tools/refvalues/hash_host.c lib/measure.c

$(O)/tools/refvalues: $(refvalues-srcs) tools/refvalues/hash_host.h lib/include/lib/measure.h \
		lib/include/lib/hash.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wvla -Ilib/include -o $@ $(refvalues-srcs) -lmbedcrypto
