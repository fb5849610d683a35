# lib/fdt: the pinned upstream libfdt (dtc's, which tools/setup.sh unpacks in
# build/deps/dtc/src; it is never copied into the tree), compiled freestanding with the
# firmware's flags into $(O)/fdt/libfdt.a. Only the monitor links it, to hand the external
# NS-EL2 payload a device tree (monitor/ns_dtb.c, docs/external-payload.md).
#
# An image links it by listing itself in FDT_IMAGES, and names the objects of its files that
# include <libfdt.h> in FDT_USERS (before this file is included): they get $(FDT_INCLUDE_FLAGS).
# Included after the image rules: it appends the library to their link.

DTC_DIR := build/deps/dtc/src
FDT_SRC_DIR := $(DTC_DIR)/libfdt
FDT_LIB := $(O)/fdt/libfdt.a

# What the monitor's device-tree fix-up calls (read, read-write, in-place, messages,
# #address-cells); not the sequential writer, overlays or the full-tree checker.
fdt-modules := fdt fdt_ro fdt_rw fdt_wip fdt_strerror fdt_addresses
fdt-objs := $(patsubst %,$(O)/fdt/%.o,$(fdt-modules))

FDT_GCC_INCLUDE = $(eval FDT_GCC_INCLUDE := $$(shell $(CC) -print-file-name=include))$(FDT_GCC_INCLUDE)
# No hosted headers: libfdt (and whoever includes <libfdt.h>) sees only lib/fdt/libc.
FDT_INCLUDE_FLAGS = -nostdinc -isystem $(FDT_GCC_INCLUDE) -Ilib/fdt/libc -I$(FDT_SRC_DIR)
# The firmware's flags without the generated configuration (the library does not depend
# on Kconfig); libfdt compares signed and unsigned lengths by design (each checked against
# INT_MAX first), which -Wextra's -Wsign-compare would refuse.
FDT_CFLAGS = $(filter-out -include $(AUTOCONF),$(CFLAGS)) $(FDT_INCLUDE_FLAGS) -Wno-sign-compare

$(O)/fdt/%.o: $(FDT_SRC_DIR)/%.c lib/fdt/build.mk | $(FDT_SRC_DIR)/libfdt.h
	@mkdir -p $(dir $@)
	@echo "  CC      fdt: $(notdir $<)"
	$(Q)$(CC) $(FDT_CFLAGS) -c $< -o $@

$(FDT_LIB): $(fdt-objs)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $(fdt-objs)

$(FDT_SRC_DIR)/libfdt.h:
	@echo "lib/fdt: no dtc source in $(DTC_DIR); run: make setup" >&2; exit 1

-include $(fdt-objs:.o=.d)

$(foreach i,$(FDT_IMAGES),$(eval $(i)-objs += $(FDT_LIB))$(eval $(O)/$(i).elf: $(FDT_LIB)) \
	$(eval $(filter $(O)/$(i)/%,$(FDT_USERS)): $(i)-cflags += $(FDT_INCLUDE_FLAGS)))

.PHONY: clean-fdt
clean: clean-fdt
clean-fdt:
	$(Q)rm -rf $(O)/fdt
