# rampart-verify: the CCA token verifier (Python 3 with Debian's python3-cbor2 and
# python3-cryptography), installed beside the other host tools.
HOST_TOOLS += $(O)/tools/rampart-verify

$(O)/tools/rampart-verify: tools/verify/rampart-verify
	@mkdir -p $(dir $@)
	@echo "  INSTALL $@"
	$(Q)install -m 0755 $< $@
