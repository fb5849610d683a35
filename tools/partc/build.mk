# tools/partc: the partition compiler (docs/partitions.md). Host C, libfdt.
#
#   make tools        builds $(O)/tools/partc and $(O)/tools/partc.platform (the
#                     platform options below, for tests and manual runs)
#   make partitions   compiles $(PARTITIONS_DTS) into $(PARTITIONS_OUT) (default $(O)/partitions/;
#                     manual use; the
#                     hypervisor build compiles CONFIG_HYP_PARTITIONS_DTS itself, core/build.mk)

include tools/partc/srcs.mk
PARTC_SRCS := tools/partc/main.c $(PARTC_LIB_SRCS)
PARTC_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -D_POSIX_C_SOURCE=200809L -Ilib/include

HOST_TOOLS += $(O)/tools/partc $(O)/tools/partc.platform

$(O)/tools/partc: $(PARTC_SRCS) tools/partc/partc.h lib/include/rampart/partition.h lib/include/lib/realm_plan.h \
		lib/include/lib/realm_rim.h lib/include/lib/measure.h lib/include/lib/s2_tables.h tools/partc/build.mk \
		tools/partc/srcs.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(PARTC_CFLAGS) -o $@ $(PARTC_SRCS) -lfdt -lmbedcrypto

# The platform facts partitions are checked against, all from the configuration:
# DRAM, CPUs, SPIs, every firmware carve-out in DRAM and MMIO, the SPIs of the
# UARTs, and the room left for guest images in a package bank (the bank minus the
# manifest page and FW_IMAGE_MAX each for the RMM and the hypervisor, which pkgtool
# enforces; docs/secure-boot.md).
# Without a built-in hypervisor (make partitions in the external-payload configuration)
# there is no CONFIG_HYP_S2_TABLE_PAGES: its Kconfig default.
S2_TABLE_PAGES_DEFAULT := 16
hex = $(shell printf '0x%x' $$(( $(1) )))
PARTC_PLATFORM = --dram $(CONFIG_DRAM_BASE),$(CONFIG_DRAM_SIZE) --nr-cpus $(CONFIG_NR_CPUS) \
	--nr-spis $(CONFIG_GIC_NR_SPIS) --s2-table-pages $(or $(CONFIG_HYP_S2_TABLE_PAGES),$(S2_TABLE_PAGES_DEFAULT)) \
	--reserve flash,0x0,$(CONFIG_FLASH_SIZE) \
	--reserve secure-sram,$(CONFIG_SECURE_SRAM_BASE),$(CONFIG_SECURE_SRAM_SIZE) \
	--reserve gicd,$(CONFIG_GICD_BASE),0x10000 \
	--reserve gicr,$(CONFIG_GICR_BASE),$(call hex,$(CONFIG_NR_CPUS) * 0x20000) \
	--reserve hyp-console,$(CONFIG_UART_NS_BASE),0x1000 \
	--reserve secure-uart,$(CONFIG_UART_SECURE_BASE),0x1000 \
	--reserve secure-gpio,$(CONFIG_SECURE_GPIO_BASE),0x1000 \
	--reserve rmm,$(CONFIG_RMM_BASE),$(CONFIG_RMM_SIZE) \
	$(if $(CONFIG_NS_PAYLOAD_BUILTIN),--reserve hyp$(comma)$(CONFIG_HYP_BASE)$(comma)$(CONFIG_HYP_SIZE)) \
	--reserve-spi hyp-console,$(CONFIG_UART_NS_SPI) --reserve-spi secure-uart,$(CONFIG_UART_SECURE_SPI) \
	--realm-limits $(CONFIG_PLAT_REALM_IPA_BITS_MAX),$(CONFIG_PLAT_REALM_BPS_MAX),$(CONFIG_PLAT_REALM_WPS_MAX) \
	--flash-budget $(call hex,$(CONFIG_PKG_BANK_SIZE) - $(MANIFEST_AREA) - $(FW_IMAGE_MAX) \
		- $(if $(CONFIG_NS_PAYLOAD_BUILTIN),$(FW_IMAGE_MAX),0))
# MF_AREA_SIZE (lib/include/rampart/manifest.h): the manifest's page at the start of a bank.
MANIFEST_AREA := 0x1000
comma := ,

$(O)/tools/partc.platform: $(AUTOCONF_MK) tools/partc/build.mk Makefile
	@mkdir -p $(dir $@)
	$(Q)echo '$(strip $(PARTC_PLATFORM))' > $@

PARTITIONS_DTS ?= configs/qemu_virt_rme/partitions.dts
# Passthrough device nodes have interrupts but the partition tree has no
# interrupt controller (partc assumes the GICv3): silence that dtc check.
PARTC_DTC_FLAGS := -Wno-interrupts_property
PARTC_IMAGE_PATH ?= $(O)/images $(O) build/deps

# $(call partc_compile,TREE.dts,OUTDIR): the recipe lines that compile a partition tree.
# dtc writes the tree twice: as the DTB partc reads, and as DTS again, which keeps how each
# property was written (/bits/ 64, [..]; a DTB does not) for partc --source-types. Both
# names have a dot before the extension, which a partition label (a-z 0-9 _ -) cannot give,
# so partc's <label>.dtb never lands on them.
PARTC_TREE := partitions.tree
define partc_compile
	$(Q)dtc $(PARTC_DTC_FLAGS) -q -I dts -O dtb -o $(2)/$(PARTC_TREE).dtb $(1)
	$(Q)dtc $(PARTC_DTC_FLAGS) -q -I dts -O dts -o $(2)/$(PARTC_TREE).dts $(1)
	$(Q)$(O)/tools/partc $(PARTC_PLATFORM) $(addprefix --image-path ,$(PARTC_IMAGE_PATH)) \
		--source $(1) --source-types $(2)/$(PARTC_TREE).dts -o $(2) $(2)/$(PARTC_TREE).dtb
endef

PARTITIONS_OUT ?= $(O)/partitions

.PHONY: partitions
partitions: $(O)/tools/partc $(AUTOCONF_MK)
	@mkdir -p $(PARTITIONS_OUT)
	@echo "  PARTC   $(PARTITIONS_DTS) -> $(PARTITIONS_OUT)"
	$(call partc_compile,$(PARTITIONS_DTS),$(PARTITIONS_OUT))
