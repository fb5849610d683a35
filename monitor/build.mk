monitor-srcs := monitor/entry.S monitor/vectors.S monitor/el2_context.S monitor/main.c \
	monitor/platform.c monitor/gpt.c monitor/gtsi.c monitor/gpt_el3.c monitor/gpt_cmo.S monitor/world.c monitor/psci.c \
	monitor/smc.c monitor/fatal.c monitor/flash.c monitor/nvstate.c monitor/secure_boot.c monitor/update.c \
	lib/manifest.c lib/bootstate.c drivers/pl011.c drivers/gicv3.c $(common-srcs)
monitor-lds := monitor/monitor.ld.S
monitor-cflags := -Imonitor -DSPIN_WAIT_HOOK=monitor_spin_wait -Ilib/crypto/include -I$(O)/monitor/gen

# The external payload's device tree (monitor/ns_payload.c): libfdt (lib/fdt/build.mk, included
# later, appends the library and gives ns_dtb.c libfdt's headers).
ifeq ($(CONFIG_NS_PAYLOAD_DTB),y)
monitor-srcs += monitor/ns_payload.c monitor/ns_dtb.c
FDT_IMAGES += monitor
FDT_USERS += $(O)/monitor/monitor/ns_dtb.c.o
endif

# Secure boot (docs/secure-boot.md) and measured boot link lib/crypto (lib/crypto/build.mk,
# included later, appends the library).
CRYPTO_IMAGES += monitor
ifeq ($(CONFIG_MONITOR_MEASURED_BOOT),y)
monitor-srcs += monitor/measured_boot.c
endif

# The package verification key: the public half of the signing key of Kconfig, as a header
# (and its signer id for tools/refvalues and rampart-verify).
SECBOOT_KEY_H := $(O)/monitor/gen/secboot_key.h
$(SECBOOT_KEY_H) $(O)/signer-id.txt &: $(patsubst "%",%,$(CONFIG_SECBOOT_SIGNING_KEY_FILE)) \
		keys/dev-signing-key.pem $(O)/tools/pkgtool $(AUTOCONF)
	@mkdir -p $(dir $(SECBOOT_KEY_H))
	@echo "  KEYS    $(SECBOOT_KEY_H)"
	$(Q)$(O)/tools/pkgtool keyheader --key $(patsubst "%",%,$(CONFIG_SECBOOT_SIGNING_KEY_FILE)) \
		--dev-key keys/dev-signing-key.pem --header $(SECBOOT_KEY_H) --signer-id $(O)/signer-id.txt
$(O)/monitor/monitor/secure_boot.c.o $(O)/monitor/monitor/attest.c.o: $(SECBOOT_KEY_H)
all: $(O)/signer-id.txt

# Platform attestation (monitor/attest.c): the token encoder, and the key and seed files of
# Kconfig turned into a header by tools/attestkeys (which also writes the public key).
ifeq ($(CONFIG_MONITOR_ATTESTATION),y)
monitor-srcs += monitor/attest.c lib/cca_token.c lib/cbor.c
ATTEST_KEYS_H := $(O)/monitor/gen/attest_keys.h
ATTEST_PUBLIC := $(O)/platform-key.pub.pem
attest-key-file := $(patsubst "%",%,$(CONFIG_MONITOR_PLATFORM_KEY_FILE))
attest-seed-file := $(patsubst "%",%,$(CONFIG_MONITOR_DEVICE_SEED_FILE))
attest-dev-files := keys/dev-platform-key.pem keys/dev-device-seed.hex

$(ATTEST_KEYS_H) $(ATTEST_PUBLIC) &: $(attest-key-file) $(attest-seed-file) $(attest-dev-files) \
		tools/attestkeys/attestkeys $(AUTOCONF)
	@mkdir -p $(dir $(ATTEST_KEYS_H))
	@echo "  KEYS    $(ATTEST_KEYS_H) $(ATTEST_PUBLIC)"
	$(Q)$(PYTHON) tools/attestkeys/attestkeys --key $(attest-key-file) --seed $(attest-seed-file) \
		--impl-id $(patsubst "%",%,$(CONFIG_MONITOR_IMPLEMENTATION_ID)) \
		--dev-key keys/dev-platform-key.pem --dev-seed keys/dev-device-seed.hex \
		--header $(ATTEST_KEYS_H) --public $(ATTEST_PUBLIC)

$(O)/monitor/monitor/attest.c.o: $(ATTEST_KEYS_H)
all: $(ATTEST_PUBLIC)

# The verification service claim (2400): a placeholder unless the product names its verifier;
# a product may leave it out, and then the build says so (monitor/Kconfig).
attest-vsi := $(patsubst "%",%,$(CONFIG_MONITOR_VERIFICATION_SERVICE))
attest-vsi-placeholder := https://verifier.invalid/rampart
ifeq ($(attest-vsi),)
$(info monitor: CONFIG_MONITOR_VERIFICATION_SERVICE is empty: platform tokens carry no verification service claim (2400))
else ifeq ($(attest-vsi),$(attest-vsi-placeholder))
ifneq ($(attest-key-file),keys/dev-platform-key.pem)
$(info monitor: platform tokens name the placeholder verification service $(attest-vsi); set CONFIG_MONITOR_VERIFICATION_SERVICE to the product's verifier)
endif
endif
endif

.PHONY: clean-attest
clean: clean-attest
clean-attest:
	$(Q)rm -f $(O)/platform-key.pub.pem
