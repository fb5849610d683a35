monitor-srcs := monitor/entry.S monitor/vectors.S monitor/el2_context.S monitor/main.c \
	monitor/platform.c monitor/gpt.c monitor/gtsi.c monitor/gpt_el3.c monitor/gpt_cmo.S monitor/world.c monitor/psci.c \
	monitor/smc.c monitor/fatal.c drivers/pl011.c drivers/gicv3.c $(common-srcs)
monitor-lds := monitor/monitor.ld.S
monitor-cflags := -Imonitor -DSPIN_WAIT_HOOK=monitor_spin_wait

# Measured boot links lib/crypto (lib/crypto/build.mk, included later, appends the library).
ifeq ($(CONFIG_MONITOR_MEASURED_BOOT),y)
monitor-srcs += monitor/measured_boot.c
monitor-cflags += -Ilib/crypto/include
CRYPTO_IMAGES += monitor
endif

# Platform attestation (monitor/attest.c): the token encoder, and the key and seed files of
# Kconfig turned into a header by tools/attestkeys (which also writes the public key).
ifeq ($(CONFIG_MONITOR_ATTESTATION),y)
monitor-srcs += monitor/attest.c lib/cca_token.c lib/cbor.c
monitor-cflags += -I$(O)/monitor/gen
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
