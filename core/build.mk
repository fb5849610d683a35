hyp-srcs := core/entry.S core/vectors.S core/guest_entry.S core/main.c core/selftest.c core/vcpu.c \
	core/vpsci.c core/vuart.c core/irq.c core/pcpu.c core/partition.c core/partition_build.c core/console.c core/vgic.c core/vgic_state.c core/vgic_hw.c core/mmio.c core/doorbell.c core/rmi_host.c core/realm_build.c core/realm_rtt.c core/realm_run.c \
	core/realm_mem.c core/update.c core/testhooks.c core/containment.c lib/realm_plan.c lib/measure.c drivers/pl011.c $(common-srcs)
hyp-lds := core/hyp.ld.S
hyp-cflags := -Icore

# The partition tree, compiled by tools/partc into a table linked into the
# hypervisor, one DTB per guest and the list of images to stage
# (docs/partitions.md). Not in the self-check configuration.
ifeq ($(CONFIG_NS_PAYLOAD_BUILTIN)$(CONFIG_HYP_SELFTEST),y)
PART_DTS := $(patsubst "%",%,$(CONFIG_HYP_PARTITIONS_DTS))
PART_O := $(O)/partitions
hyp-srcs += $(PART_O)/partition_table.c

# $(O)/tools/partc.platform: the options the tree was compiled with, for tests and for partc by hand.
$(PART_O)/partition_table.c $(PART_O)/images.list $(PART_O)/flash-images.list &: $(PART_DTS) $(O)/tools/partc \
		$(O)/tools/partc.platform $(AUTOCONF_MK) \
		$(addprefix $(O)/,$(addsuffix .bin,$(GUEST_IMAGES))) $(LINUX_INITRDS)
	@mkdir -p $(PART_O)
	@echo "  PARTC   $(PART_DTS)"
	$(call partc_compile,$(PART_DTS),$(PART_O))

# Images with load "flash" travel in the flash package as one block (partc's
# flash-images.bin, laid out as in the staging area); the monitor copies it to
# the start of the staging area. "external" ones are the QEMU runner's.
PACK_BLOBS = $(shell awk '{ printf " -i blob:%s:%s", $$3, $$1 }' $(PART_O)/flash-images.list)
RUN_LOADERS = $(shell awk '$$3 == "external" { printf " -device loader,file=%s,addr=%s,force-raw=on", \
	$$6, $$4 }' $(PART_O)/images.list)
RAMPART_BIN_DEPS := $(PART_O)/images.list $(PART_O)/flash-images.list
endif
