# refvalues: reference RIM/REMs for the verifier, computed with lib/measure.c
# (the RMM's measurement code) over the host's libmbedcrypto; and (refvalues platform)
# a signed package's software components, checked with lib/manifest.c (the monitor's
# parser) and pkgtool's host crypto.
HOST_TOOLS += $(O)/tools/refvalues

refvalues-srcs := tools/refvalues/refvalues.c tools/refvalues/hash_host.c lib/measure.c \
	tools/refvalues/platform.c tools/pkgtool/host_ecc.c lib/manifest.c

$(O)/tools/refvalues: $(refvalues-srcs) tools/refvalues/hash_host.h lib/include/lib/measure.h \
		lib/include/lib/hash.h tools/refvalues/platform.h tools/pkgtool/pkgtool.h \
		lib/include/rampart/manifest.h tools/refvalues/build.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wvla -Ilib/include -o $@ $(refvalues-srcs) -lmbedcrypto
