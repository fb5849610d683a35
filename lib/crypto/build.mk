# lib/crypto: the pinned upstream Mbed TLS (tools/setup.sh unpacks it in
# build/deps/mbedtls/src; it is never copied into the tree) with our
# configuration and glue, as $(O)/crypto/libcrypto.a for EL2/EL3 images.
# See docs/attestation.md.
#
# An image links it by listing itself in CRYPTO_IMAGES (before this file is
# included) and adding -Ilib/crypto/include to its cflags.
# Included after the image rules: it appends the library to their link.

MBEDTLS_DIR := build/deps/mbedtls/src
CRYPTO_LIB := $(O)/crypto/libcrypto.a
CRYPTO_AR := $(CROSS_COMPILE)ar
CRYPTO_OBJDUMP := $(CROSS_COMPILE)objdump

# Only the Mbed TLS files the configuration needs.
crypto-mbedtls := sha256 sha512 md bignum bignum_core constant_time ecp ecp_curves ecdsa hmac_drbg \
	asn1parse asn1write platform platform_util memory_buffer_alloc
crypto-objs := $(patsubst %,$(O)/crypto/mbedtls/%.o,$(crypto-mbedtls)) $(O)/crypto/crypto.o \
	$(O)/crypto/fpsimd.o

# The compiler's own freestanding headers (stddef.h, stdint.h, ...), found once when first needed.
CRYPTO_GCC_INCLUDE = $(eval CRYPTO_GCC_INCLUDE := $$(shell $(CC) -print-file-name=include))$(CRYPTO_GCC_INCLUDE)
# The firmware's flags without the generated configuration (the library does not depend on
# Kconfig), and no hosted headers: Mbed TLS sees only lib/crypto/libc (-nostdinc).
CRYPTO_CFLAGS = $(filter-out -include $(AUTOCONF),$(CFLAGS)) -nostdinc -isystem $(CRYPTO_GCC_INCLUDE) \
	-Ilib/crypto/libc -Ilib/crypto -Ilib/crypto/include -I$(MBEDTLS_DIR)/include \
	-DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'

# SHA-256 with the A64 SHA-2 instructions is the one object allowed FP/SIMD registers:
# GCC cannot lift -mgeneral-regs-only for a single function (its target pragma refuses
# vector types under it), so this file alone is compiled without it; Mbed TLS's own target
# pragma enables the SHA-2 instructions for its block functions. Every call into it goes
# through crypto.c's save/restore bracket; fpsimd_audit.py checks all other objects.
# -mstrict-align goes too: it turns every vector load of the message into 16 byte loads
# (twice the instructions); crypto_init() checks that the MMU is on without alignment checks.
CRYPTO_DROP :=
$(O)/crypto/mbedtls/sha256.o: CRYPTO_DROP := -mgeneral-regs-only -mstrict-align

$(O)/crypto/mbedtls/%.o: $(MBEDTLS_DIR)/library/%.c lib/crypto/mbedtls_config.h lib/crypto/build.mk | \
		$(MBEDTLS_DIR)/include/mbedtls/build_info.h
	@mkdir -p $(dir $@)
	@echo "  CC      crypto: $(notdir $<)$(if $(CRYPTO_DROP), (FP/SIMD))"
	$(Q)$(CC) $(filter-out $(CRYPTO_DROP),$(CRYPTO_CFLAGS)) -c $< -o $@

$(O)/crypto/crypto.o: lib/crypto/crypto.c lib/crypto/mbedtls_config.h lib/crypto/build.mk \
		| $(MBEDTLS_DIR)/include/mbedtls/build_info.h
	@mkdir -p $(dir $@)
	@echo "  CC      crypto: $<"
	$(Q)$(CC) $(CRYPTO_CFLAGS) -c $< -o $@

$(O)/crypto/fpsimd.o: lib/crypto/fpsimd.S
	@mkdir -p $(dir $@)
	@echo "  AS      crypto: $<"
	$(Q)$(CC) $(filter-out -include $(AUTOCONF),$(ASFLAGS)) -c $< -o $@

$(CRYPTO_LIB): $(crypto-objs) lib/crypto/fpsimd_audit.py
	@echo "  AR      $@"
	$(Q)$(PYTHON) lib/crypto/fpsimd_audit.py $(CRYPTO_OBJDUMP) sha256.o fpsimd.o -- $(crypto-objs)
	$(Q)rm -f $@ && $(CRYPTO_AR) rcs $@ $(crypto-objs)

$(MBEDTLS_DIR)/include/mbedtls/build_info.h:
	@echo "lib/crypto: no Mbed TLS source in $(MBEDTLS_DIR); run: make setup" >&2; exit 1

-include $(crypto-objs:.o=.d)

# Appended after image_rules has defined <image>-objs, so the link line (expanded when it
# runs) ends with the archive, and the ELF is rebuilt when the library changes.
$(foreach i,$(CRYPTO_IMAGES),$(eval $(i)-objs += $(CRYPTO_LIB))$(eval $(O)/$(i).elf: $(CRYPTO_LIB)))

.PHONY: crypto clean-crypto
crypto: $(CRYPTO_LIB)
clean: clean-crypto
clean-crypto:
	$(Q)rm -rf $(O)/crypto
