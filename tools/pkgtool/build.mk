# pkgtool: signs, inspects and assembles the secure-boot packages (docs/secure-boot.md), with
# lib/manifest.c (the monitor's own parser and checks) over the host's libmbedcrypto.
HOST_TOOLS += $(O)/tools/pkgtool

pkgtool-srcs := tools/pkgtool/pkgtool.c tools/pkgtool/host_ecc.c lib/manifest.c lib/bootstate.c

$(O)/tools/pkgtool: $(pkgtool-srcs) tools/pkgtool/pkgtool.h lib/include/rampart/manifest.h lib/include/rampart/bootstate.h tools/pkgtool/build.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -Wshadow -D_DEFAULT_SOURCE -Ilib/include \
		-o $@ $(pkgtool-srcs) -lmbedcrypto
