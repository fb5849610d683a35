# Bare-metal test payloads (see tests/guests/README.md). They run as the
# external NS-EL2 payload, so they exist only in that configuration.
GUEST_IMAGES := $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),realmtest nstest) bmguest

# The realm nstest builds: its parameters, here once, for nstest and for the RIM predicted
# at build time ($(O)/realmtest.ref.json, tools/refvalues; checked by tests/qemu/test_realm_attest.py).
REALMTEST_S2SZ := 32
REALMTEST_NUM_BPS := 1
REALMTEST_NUM_WPS := 1
REALMTEST_IPA := 0x40000000
REALMTEST_RAM := 0x40000000:0x200000
# realm.c fills RmiRealmParams.rpv with the bytes 0xa0, 0xa1, ... 0xdf.
REALMTEST_RPV := a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf
$(O)/realmtest.ref.json: $(O)/realmtest.bin $(O)/tools/refvalues
	@echo "  REFVAL  $@"
	$(Q)$(O)/tools/refvalues --s2sz $(REALMTEST_S2SZ) --num-bps $(REALMTEST_NUM_BPS) \
		--num-wps $(REALMTEST_NUM_WPS) --ram $(REALMTEST_RAM) --image $<@$(REALMTEST_IPA) \
		--pc $(REALMTEST_IPA) --rpv-hex $(REALMTEST_RPV) --ref-out $@ > /dev/null
GUEST_EXTRA += $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),$(O)/realmtest.ref.json)

# No common-srcs: the payload keeps its MMU off, and the spinlock's
# exclusives need cacheable memory.
nstest-srcs := tests/guests/nstest/entry.S tests/guests/nstest/main.c tests/guests/nstest/cmds.c \
	tests/guests/nstest/cpus.c tests/guests/nstest/realm.c tests/guests/nstest/realm_image.S tests/guests/nstest/fp.S \
	tests/guests/nstest/sec.c tests/guests/nstest/lowerel.S tests/guests/nstest/regs.c \
	arch/arm64/smc.S drivers/pl011.c lib/printf.c lib/string.c
nstest-lds := tests/guests/nstest/nstest.ld.S
nstest-cflags := -Itests/guests/nstest -DREALMTEST_BIN='"$(O)/realmtest.bin"' \
	-DREALMTEST_S2SZ=$(REALMTEST_S2SZ) -DREALMTEST_NUM_BPS=$(REALMTEST_NUM_BPS) \
	-DREALMTEST_NUM_WPS=$(REALMTEST_NUM_WPS)
# nstest carries the realm image it builds realms from.
$(O)/nstest/tests/guests/nstest/realm_image.S.o: $(O)/realmtest.bin


# realmtest: the bare-metal realm nstest's realm host runs (tests/guests/realmtest/realmtest.h).
realmtest-srcs := tests/guests/realmtest/entry.S tests/guests/realmtest/main.c tests/guests/realmtest/regs.c \
	arch/arm64/smc.S
realmtest-lds := tests/guests/realmtest/realmtest.ld.S
realmtest-cflags := -Itests/guests/realmtest

# A bare-metal EL1 guest for the partition tests: its own PL011 is the
# partition's virtual UART; behaviour comes from /chosen/bootargs.
bmguest-srcs := tests/guests/bmguest/entry.S tests/guests/bmguest/vectors.S tests/guests/bmguest/main.c \
	tests/guests/bmguest/bench.c tests/guests/bmguest/update.c tests/guests/bmguest/contain.c \
	tests/guests/bmguest/gic.c tests/guests/bmguest/fdt.c tests/guests/bmguest/realm.c \
	arch/arm64/smc.S drivers/pl011.c lib/printf.c lib/string.c
bmguest-lds := tests/guests/bmguest/bmguest.ld.S
bmguest-cflags := -Itests/guests/bmguest

# cryptotest: lib/crypto (Mbed TLS) and lib/measure on the target, checked by
# tests/qemu/test_crypto.py. It links $(O)/crypto/libcrypto.a (lib/crypto/build.mk)
# and turns its MMU on with arch/arm64/mmu.c (identity map, Normal memory).
GUEST_IMAGES += $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),cryptotest)
CRYPTO_IMAGES += $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),cryptotest)
cryptotest-srcs := tests/guests/cryptotest/entry.S tests/guests/cryptotest/main.c \
	tests/guests/cryptotest/simd_probe.S arch/arm64/mmu.c arch/arm64/mmu_enable.c arch/arm64/smc.S \
	drivers/pl011.c lib/printf.c lib/string.c lib/measure.c lib/cbor.c
cryptotest-lds := tests/guests/cryptotest/cryptotest.ld.S
cryptotest-cflags := -Itests/guests/cryptotest -Ilib/crypto/include

# The initramfs of the Linux partitions, normal and realm (tools/setup.sh fetched the
# pieces): busybox, /init (the marker the partition tests wait for), /realm-init
# (attestation through configfs-tsm, docs/partitions.md) and the attestation modules.
# initrd-b.cpio.gz is the same plus one file: a changed initrd for the RIM tests.
LINUX_DEPS := build/deps/linux
LINUX_INITRD_INPUTS := tools/mkinitramfs.py tools/linux-init.sh tools/linux-realm-init.sh $(LINUX_DEPS)/.layout
LINUX_INITRDS := $(O)/images/linux/initrd.cpio.gz $(O)/images/linux/initrd-b.cpio.gz \
	$(O)/images/linux/bench-initrd.cpio.gz
MKINITRAMFS = $(PYTHON) tools/mkinitramfs.py $@ $(LINUX_DEPS)/busybox init=tools/linux-init.sh \
	realm-init=tools/linux-realm-init.sh --modules $(LINUX_DEPS)/modules
$(O)/images/linux/initrd.cpio.gz: $(LINUX_INITRD_INPUTS)
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	$(Q)$(MKINITRAMFS)
$(O)/images/linux/initrd-b.cpio.gz: $(LINUX_INITRD_INPUTS)
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	$(Q)echo "variant b" > $(dir $@)variant-b
	$(Q)$(MKINITRAMFS) variant=$(dir $@)variant-b

# The external configuration boots the same initramfs under a stock kernel through fw_cfg
# (tests/qemu/test_ext_linux.py, docs/external-payload.md).
GUEST_EXTRA += $(if $(CONFIG_NS_PAYLOAD_EXTERNAL),$(O)/images/linux/initrd.cpio.gz)

# make bench's initramfs: only /init = benchinit (tests/guests/benchinit), a static Linux program
# that reports when the kernel ran "Run /init" in counter ticks and powers off. No busybox and
# no modules: both boots tools/bench.py compares (partition, bare QEMU) unpack less.
BENCHINIT_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-builtin -fno-stack-protector \
	-fno-pic -nostdlib -static -no-pie -e _start
$(O)/images/linux/benchinit: tests/guests/benchinit/benchinit.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BENCHINIT_CFLAGS) -o $@ $<
	$(Q)$(CROSS_COMPILE)strip $@
$(O)/images/linux/bench-initrd.cpio.gz: $(O)/images/linux/benchinit tools/mkinitramfs.py
	@echo "  INITRD  $@"
	$(Q)$(PYTHON) tools/mkinitramfs.py $@ - init=$<
