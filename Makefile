# Rampart top-level build. `make help` lists the targets.
# Out-of-tree builds: make O=dir ... (default: build).

O ?= build
override O := $(patsubst %/,%,$(O))
CROSS_COMPILE ?= aarch64-linux-gnu-
HOSTCC ?= cc
PYTHON ?= /usr/bin/python3
QEMU ?= qemu-system-aarch64
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
SIZE := $(CROSS_COMPILE)size

KCONFIG := Kconfig
DOTCONFIG := $(O)/.config
AUTOCONF := $(O)/include/generated/autoconf.h
AUTOCONF_MK := $(O)/include/config/auto.conf
KCONFIG_ENV := KCONFIG_CONFIG=$(DOTCONFIG) KCONFIG_AUTOHEADER=$(AUTOCONF) \
	KCONFIG_AUTOCONFIG=$(AUTOCONF_MK) KCONFIG_TRISTATE=$(O)/include/config/tristate.conf
DEFCONFIG ?= qemu_virt_rme_defconfig

# A fresh machine: install the toolchain, QEMU and kconfig before anything needs them, and
# say what was missing (each with the Debian package, or what setup fetches, that provides it).
SETUP ?= bash tools/setup.sh
# make lint's analyzers (tools/lint/lint.mk), needed only by lint and check.
LINT_TOOLS := cppcheck clang
ifeq ($(filter setup help clean distclean format format-check,$(MAKECMDGOALS)),)
tools_missing = $(shell m=; \
	command -v kconfig-conf >/dev/null || m="$$m; kconfig-conf (kconfig-frontends-nox)"; \
	command -v $(CC) >/dev/null || m="$$m; $(CC) (gcc-aarch64-linux-gnu)"; \
	command -v $(QEMU) >/dev/null || m="$$m; $(QEMU) (qemu-system-arm 10.x)"; \
	command -v dtc >/dev/null || m="$$m; dtc (device-tree-compiler)"; \
	$(if $(filter lint check,$(MAKECMDGOALS)),for t in $(LINT_TOOLS); do \
		command -v $$t >/dev/null || m="$$m; $$t ($$t)"; done;) \
	test -f build/deps/VERSIONS || \
		m="$$m; build/deps/VERSIONS (mbedtls and dtc sources, a Debian kernel and busybox)"; \
	printf '%s' "$${m#; }")
TOOLS_MISSING := $(tools_missing)
ifneq ($(TOOLS_MISSING),)
$(info build tools missing: $(TOOLS_MISSING); running tools/setup.sh)
SETUP_RC := $(shell $(SETUP) >&2; echo $$?)
ifneq ($(SETUP_RC),0)
$(error tools/setup.sh failed; see the messages above)
endif
TOOLS_MISSING := $(tools_missing)
ifneq ($(TOOLS_MISSING),)
$(error still missing after tools/setup.sh: $(TOOLS_MISSING) (CROSS_COMPILE=$(CROSS_COMPILE), QEMU=$(QEMU)))
endif
endif
endif

# Goals that need no configuration (lint configures its own build directory).
NOCONFIG_GOALS := %_defconfig menuconfig oldconfig savedefconfig clean distclean help setup \
	unit-test format format-check lint
CONFIG_GOALS := $(filter-out $(NOCONFIG_GOALS),$(if $(MAKECMDGOALS),$(MAKECMDGOALS),all))

.PHONY: all help setup clean distclean menuconfig oldconfig savedefconfig size run check \
	unit-test guests tools format format-check lint lint-run bench realm-token kernels debug gdb fuzz check-powerloss FORCE
all:

help:
	@echo "make <board>_defconfig   write $(O)/.config from configs/<board>_defconfig"
	@echo "make menuconfig          edit $(O)/.config (kconfig-mconf)"
	@echo "make savedefconfig       write the minimal $(O)/defconfig"
	@echo "make [all]               build monitor.elf, rmm.elf, hyp.elf and rampart.bin"
	@echo "make size                text/data/bss of each image"
	@echo "make run                 boot rampart.bin in QEMU (both UARTs on this terminal)"
	@echo "make check               set up, then run every test (unit and QEMU)"
	@echo "make bench               instruction counts under qemu -icount, and sizes"
	@echo "make lint                cppcheck (MISRA C:2012) and clang --analyze (docs/misra-deviations.md)"
	@echo "make realm-token         boot headless, get a Linux realm's attestation token (README.md)"
	@echo "make kernels             other Debian arm64 kernels as the Linux partition and as a realm"
	@echo "make debug / make gdb     QEMU halted for gdb; gdb-multiarch with every image's symbols"
	@echo "make setup               install/fetch dependencies (tools/setup.sh)"
	@echo "options: O=dir  V=1  CROSS_COMPILE=prefix"

setup:
	$(Q)bash tools/setup.sh

# Boards a product starts from are in configs/; the tests' and benchmarks' own in tests/configs/.
%_defconfig:
	$(Q)f="$(firstword $(wildcard configs/$@ tests/configs/$@))"; \
	test -n "$$f" || { echo "error: no configs/$@ (nor tests/configs/$@)" >&2; exit 1; }; \
	mkdir -p $(O)/include/config $(O)/include/generated && \
	$(KCONFIG_ENV) kconfig-conf -s --defconfig=$$f $(KCONFIG) >/dev/null && \
	{ sh tools/defconfig-check $$f $(DOTCONFIG) || { rm -f $(DOTCONFIG); exit 1; }; }

menuconfig: | $(DOTCONFIG)
	$(Q)$(KCONFIG_ENV) kconfig-mconf $(KCONFIG)

oldconfig: | $(DOTCONFIG)
	$(Q)$(KCONFIG_ENV) kconfig-conf --oldconfig $(KCONFIG)

savedefconfig: | $(DOTCONFIG)
	$(Q)$(KCONFIG_ENV) kconfig-conf --savedefconfig=$(O)/defconfig $(KCONFIG)
	@echo "wrote $(O)/defconfig"

$(DOTCONFIG):
	@echo "no $(DOTCONFIG): using configs/$(DEFCONFIG)"
	$(Q)$(MAKE) --no-print-directory O=$(O) $(DEFCONFIG)

# kconfig-conf writes include/config/ relative to its working directory; new symbols
# take their defaults (olddefconfig) before the headers are generated.
$(AUTOCONF) $(AUTOCONF_MK): $(DOTCONFIG) $(shell find . -name Kconfig -not -path './build*')
	$(Q)mkdir -p $(O)/include/config $(O)/include/generated
	$(Q)cd $(O) && srctree=$(CURDIR) KCONFIG_CONFIG=.config \
		KCONFIG_AUTOHEADER=include/generated/autoconf.h \
		KCONFIG_AUTOCONFIG=include/config/auto.conf \
		sh -c 'kconfig-conf -s --olddefconfig $$0 && kconfig-conf -s --silentoldconfig $$0' \
		$(CURDIR)/$(KCONFIG)
	$(Q)touch $(AUTOCONF) $(AUTOCONF_MK)

ifneq ($(CONFIG_GOALS),)
-include $(AUTOCONF_MK)
endif

# ---------------------------------------------------------------- target images
ARCH_FLAGS := -march=armv8.5-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics
CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-builtin -fno-common -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	$(ARCH_FLAGS) -include $(AUTOCONF) -Iarch/arm64/include -Ilib/include -Idrivers/include \
	-MMD -MP
ASFLAGS := -D__ASSEMBLY__ $(filter-out -std=c11 -MMD -MP,$(CFLAGS)) -MMD -MP
LDFLAGS := -nostdlib -static -no-pie --gc-sections --no-warn-rwx-segments

common-srcs := arch/arm64/mmu.c arch/arm64/mmu_enable.c arch/arm64/cache.S arch/arm64/smc.S lib/string.c \
	lib/printf.c
include tests/guests/build.mk monitor/build.mk rmm/build.mk core/build.mk

IMAGES := monitor rmm $(if $(CONFIG_NS_PAYLOAD_BUILTIN),hyp)

# $(1) image name; sources in $(1)-srcs, extra flags in $(1)-cflags,
# linker script template $(1)-lds.
define image_rules
$(1)-objs := $$(patsubst %,$(O)/$(1)/%.o,$$($(1)-srcs))
$(O)/$(1)/%.c.o: %.c $(AUTOCONF)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $(1): $$<"
	$(Q)$(CC) $(CFLAGS) $$($(1)-cflags) -c $$< -o $$@
$(O)/$(1)/%.S.o: %.S $(AUTOCONF)
	@mkdir -p $$(dir $$@)
	@echo "  AS      $(1): $$<"
	$(Q)$(CC) $(ASFLAGS) $$($(1)-cflags) -c $$< -o $$@
$(O)/$(1)/$(1).ld: $$($(1)-lds) $(AUTOCONF)
	@mkdir -p $$(dir $$@)
	$(Q)$(CC) -E -P -x c -D__ASSEMBLY__ -include $(AUTOCONF) -Iarch/arm64/include \
		-Ilib/include $$($(1)-cflags) -MMD -MP -MT $$@ -MF $$@.d $$< -o $$@
$(O)/$(1).elf: $$($(1)-objs) $(O)/$(1)/$(1).ld
	@echo "  LD      $$@"
	$(Q)$(LD) $(LDFLAGS) -T $(O)/$(1)/$(1).ld -Map=$(O)/$(1).map -o $$@ $$($(1)-objs)
$(O)/$(1).bin: $(O)/$(1).elf
	$(Q)$(OBJCOPY) -O binary $$< $$@
-include $$($(1)-objs:.o=.d) $(O)/$(1)/$(1).ld.d
endef
$(foreach i,monitor rmm hyp $(GUEST_IMAGES),$(eval $(call image_rules,$(i))))

# ---------------------------------------------------------------- host tools
# Host tools describe themselves in tools/<tool>/build.mk:
# HOST_TOOLS += $(O)/tools/<tool>, plus the rule that builds it.
HOST_TOOLS :=
include $(sort $(wildcard tools/*/build.mk))
include lib/crypto/build.mk
include lib/fdt/build.mk

tools: $(HOST_TOOLS)

# The flash image (docs/secure-boot.md, "Flash layout"): the monitor, then the same package
# signed for bank A and for bank B; the metadata and counter blocks start erased (zero).
BANK_IMAGES = -i rmm:$(O)/rmm.bin:$(CONFIG_RMM_BASE) \
	$(if $(CONFIG_NS_PAYLOAD_BUILTIN),-i hyp:$(O)/hyp.bin:$(CONFIG_HYP_BASE)) $(PACK_BLOBS)
# Room a bank keeps for each of the RMM and hypervisor images (their carve-outs are larger, but
# the binaries are about 0.1 MiB): what is left is partc's flash budget for guest images.
FW_IMAGE_MAX := 0x400000
SECBOOT_KEY := $(patsubst "%",%,$(CONFIG_SECBOOT_SIGNING_KEY_FILE))
hexsum = $(shell printf '0x%x' $$(( $(1) )))
$(O)/bank-a.bin $(O)/bank-b.bin: $(O)/bank-%.bin: $(addprefix $(O)/,$(addsuffix .bin,$(filter-out monitor,$(IMAGES)))) \
		$(O)/tools/pkgtool $(SECBOOT_KEY) $(RAMPART_BIN_DEPS) $(AUTOCONF)
	@echo "  SIGN    $@ (security version $(CONFIG_SECBOOT_SECURITY_VERSION))"
	$(Q)$(O)/tools/pkgtool sign --key $(SECBOOT_KEY) --bank $* --version $(CONFIG_SECBOOT_SECURITY_VERSION) \
		--bank-size $(CONFIG_PKG_BANK_SIZE) --fw-image-max $(FW_IMAGE_MAX) -o $@ $(BANK_IMAGES)
# The factory's bank metadata: each bank's verification-cache entry, computed with the device
# seed the factory provisions, so that even the first boot needs no ECDSA (docs/secure-boot.md).
ifeq ($(CONFIG_SECBOOT_VERIFY_CACHE),y)
FACTORY_META := $(O)/factory-meta.bin
$(FACTORY_META): $(O)/bank-a.bin $(O)/bank-b.bin $(O)/tools/pkgtool $(patsubst "%",%,$(CONFIG_MONITOR_DEVICE_SEED_FILE))
	$(Q)$(O)/tools/pkgtool provision --seed $(patsubst "%",%,$(CONFIG_MONITOR_DEVICE_SEED_FILE)) \
		--key $(SECBOOT_KEY) -o $@ $(O)/bank-a.bin $(O)/bank-b.bin
endif
# What a verifier expects of the platform token's signed components (docs/secure-boot.md,
# "Attestation"): each image's digest, the signer id and the security version, checked against
# the package with the monitor's own parser; rampart-verify --platform-ref compares a token to it.
ifeq ($(CONFIG_MONITOR_SECURE_BOOT),y)
PLATFORM_REF := $(O)/platform-reference-values.json
$(PLATFORM_REF): $(O)/bank-a.bin $(O)/tools/refvalues $(SECBOOT_KEY) $(AUTOCONF)
	@echo "  REFVAL  $@"
	$(Q)$(O)/tools/refvalues platform --package $(O)/bank-a.bin --signing-key $(SECBOOT_KEY) \
		--security-version $(CONFIG_SECBOOT_SECURITY_VERSION) --ref-out $@ >/dev/null
endif
$(O)/rampart.bin: $(O)/monitor.bin $(O)/bank-a.bin $(O)/bank-b.bin $(O)/tools/pkgtool $(FACTORY_META)
	@echo "  FLASH   $@"
	$(Q)$(O)/tools/pkgtool flash -o $@ --size $(CONFIG_FLASH_SIZE) \
		--at 0:$(O)/monitor.bin:$(CONFIG_SECBOOT_META_OFFSET) \
		$(if $(FACTORY_META),--at $(CONFIG_SECBOOT_META_OFFSET):$(FACTORY_META):$(CONFIG_FLASH_BLOCK_SIZE)) \
		--at $(CONFIG_PKG_OFFSET):$(O)/bank-a.bin:$(CONFIG_PKG_BANK_SIZE) \
		--at $(call hexsum,$(CONFIG_PKG_OFFSET) + $(CONFIG_PKG_BANK_SIZE)):$(O)/bank-b.bin:$(CONFIG_PKG_BANK_SIZE)

all: $(O)/rampart.bin $(addprefix $(O)/,$(addsuffix .elf,$(IMAGES))) $(O)/DEPENDENCIES $(PLATFORM_REF)

# The exact upstream sources setup fetched (target-side libraries), recorded with the build.
$(O)/DEPENDENCIES: $(wildcard build/deps/VERSIONS)
	$(Q)if [ -f build/deps/VERSIONS ]; then cp build/deps/VERSIONS $@; \
		sed 's/^/  DEP     /' $@; else echo "(tools/setup.sh has not fetched sources)" > $@; fi

guests: $(addprefix $(O)/,$(addsuffix .bin,$(GUEST_IMAGES))) $(GUEST_EXTRA)

size: all
	$(Q)$(SIZE) $(addprefix $(O)/,$(addsuffix .elf,$(IMAGES)))
	$(Q)ls -l $(O)/rampart.bin | awk '{print "rampart.bin", $$5, "bytes"}'

QEMU_MACHINE := -M virt,secure=on,virtualization=on,gic-version=3 -cpu max,x-rme=on \
	-smp $(CONFIG_NR_CPUS) -m $$(( $(CONFIG_DRAM_SIZE) / 1048576 ))M
# A fatal error in the monitor or the RMM ends QEMU with status 1 (monitor/fatal.c).
QEMU_PANIC_EXIT := -device pvpanic-pci -action panic=exit-failure
# The terminal is the NS UART's, keys and all (signal=off: Ctrl-C is the partition's; the
# hypervisor's Ctrl-A keys switch the focus and power off); the secure UART only writes to it.
RUN_CONSOLE = -chardev stdio,id=con,signal=off -serial chardev:con \
	-chardev file,id=sec,path=/dev/stdout -serial chardev:sec
# Secure flash is a drive file, so the bank metadata, the NV counter and updates survive a
# restart of QEMU; tools/flashimg makes it from rampart.bin (docs/secure-boot.md, "make run").
QEMU_FLASH := -drive if=pflash,unit=0,format=raw,file=$(O)/flash.img
FLASHIMG = $(PYTHON) tools/flashimg $(O)/rampart.bin $(O)/flash.img $(if $(FLASH_RESET),--reset)
run: all
	$(Q)$(FLASHIMG)
	$(Q)$(QEMU) $(QEMU_MACHINE) $(QEMU_PANIC_EXIT) $(QEMU_FLASH) -display none \
		$(RUN_CONSOLE) -monitor none $(RUN_LOADERS) $(RUN_ARGS)

# make debug: QEMU halted at reset with its gdbstub on GDB_PORT, the console on this terminal;
# make gdb (another terminal): gdb-multiarch with the monitor's, the RMM's and the hypervisor's
# symbols (each image is linked at the address it runs at) attached to it (docs/debugging.md).
GDB ?= gdb-multiarch
GDB_PORT ?= 1234
$(O)/rampart.gdb: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' "# make gdb: Rampart's images at their run-time addresses (docs/debugging.md)" \
		'set pagination off' 'set confirm off' \
		'add-symbol-file $(abspath $(O))/monitor.elf' 'add-symbol-file $(abspath $(O))/rmm.elf' \
		'add-symbol-file $(abspath $(O))/hyp.elf' 'target remote localhost:$(GDB_PORT)' >$@
debug: all $(O)/rampart.gdb
	$(Q)$(FLASHIMG)
	@echo "debug: QEMU waits at reset for a debugger on port $(GDB_PORT): in another terminal, make gdb"
	$(Q)$(QEMU) $(QEMU_MACHINE) $(QEMU_PANIC_EXIT) $(QEMU_FLASH) -display none \
		$(RUN_CONSOLE) -monitor none -gdb tcp::$(GDB_PORT) -S $(RUN_LOADERS) $(RUN_ARGS)
gdb: $(O)/rampart.gdb
	$(Q)$(GDB) -q -x $(O)/rampart.gdb

# A realm partition's attestation token, for tools/verify/rampart-verify (README.md).
realm-token: all
	$(Q)$(PYTHON) tools/realm-token --build $(O) $(if $(REALM),--realm $(REALM))

# ---------------------------------------------------------------- tests
include tools/lint/lint.mk

unit-test:
	$(Q)$(MAKE) --no-print-directory -C tests/unit O=$(abspath $(O))/unit


# Tests use their own build directories so that a user's .config is never touched:
# <directory under $(CHECK_O)>:<tests/configs/ or configs/ name without _defconfig>.
CHECK_O := $(O)/check
CHECK_CONFIGS := default:qemu_virt_rme selftest:test_hyp_selftest ext:qemu_virt_rme_external \
	rmmfail:test_rmm_boot_fail part-isolation:test_partitions_isolation part-reset:test_partitions_reset \
	part-irq:test_partitions_irq part-linux:test_partitions_linux part-doorbell:test_partitions_doorbell \
	part-console:test_partitions_console part-passthrough:test_partitions_passthrough \
	part-sysreset:test_partitions_sysreset part-realm:test_partitions_realm \
	part-realm-linux:test_partitions_realm_linux part-realm-linux-b:test_partitions_realm_linux_b \
	part-bootfail:test_partitions_bootfail hyp-panic:test_hyp_panic part-limits:test_partitions_limits \
	update:test_update part-contain:test_partitions_containment
check:
	$(Q)bash tools/setup.sh
	$(Q)$(MAKE) --no-print-directory O=$(O) lint
	$(Q)$(MAKE) --no-print-directory O=$(O) unit-test
	$(Q)$(MAKE) --no-print-directory O=$(CHECK_O)/default qemu_virt_rme_defconfig
	$(Q)$(MAKE) --no-print-directory O=$(CHECK_O)/default -j2 tools
	$(Q)if ls tests/host/test_*.py >/dev/null 2>&1; then \
		RAMPART_TOOLS=$(abspath $(CHECK_O)/default/tools) $(PYTHON) -m pytest -q tests/host; fi
	$(Q)for c in $(CHECK_CONFIGS); do \
		$(MAKE) --no-print-directory O=$(CHECK_O)/$${c%%:*} $${c#*:}_defconfig && \
		$(MAKE) --no-print-directory O=$(CHECK_O)/$${c%%:*} -j2 all guests || exit 1; done
	$(Q)$(MAKE) --no-print-directory -C tests/fuzz O=$(abspath $(O))/fuzz SEEDS=$(abspath $(CHECK_O)/default/bank-a.bin)
	$(Q)RAMPART_BUILD=$(abspath $(CHECK_O)/selftest) RAMPART_BUILD_EXT=$(abspath $(CHECK_O)/ext) \
		RAMPART_BUILD_RMMFAIL=$(abspath $(CHECK_O)/rmmfail) \
		RAMPART_BUILD_DEFAULT=$(abspath $(CHECK_O)/default) \
		RAMPART_BUILD_PART_ISOLATION=$(abspath $(CHECK_O)/part-isolation) \
		RAMPART_BUILD_PART_RESET=$(abspath $(CHECK_O)/part-reset) \
		RAMPART_BUILD_PART_IRQ=$(abspath $(CHECK_O)/part-irq) \
		RAMPART_BUILD_PART_LINUX=$(abspath $(CHECK_O)/part-linux) \
		RAMPART_BUILD_PART_DOORBELL=$(abspath $(CHECK_O)/part-doorbell) \
		RAMPART_BUILD_PART_CONSOLE=$(abspath $(CHECK_O)/part-console) \
		RAMPART_BUILD_PART_PASSTHROUGH=$(abspath $(CHECK_O)/part-passthrough) \
		RAMPART_BUILD_PART_SYSRESET=$(abspath $(CHECK_O)/part-sysreset) \
		RAMPART_BUILD_PART_REALM=$(abspath $(CHECK_O)/part-realm) \
		RAMPART_BUILD_PART_REALM_LINUX=$(abspath $(CHECK_O)/part-realm-linux) \
		RAMPART_BUILD_PART_REALM_LINUX_B=$(abspath $(CHECK_O)/part-realm-linux-b) \
		RAMPART_BUILD_PART_BOOTFAIL=$(abspath $(CHECK_O)/part-bootfail) \
		RAMPART_BUILD_HYP_PANIC=$(abspath $(CHECK_O)/hyp-panic) \
		RAMPART_BUILD_PART_LIMITS=$(abspath $(CHECK_O)/part-limits) \
		RAMPART_BUILD_UPDATE=$(abspath $(CHECK_O)/update) \
		RAMPART_BUILD_PART_CONTAIN=$(abspath $(CHECK_O)/part-contain) \
		$(PYTHON) -m pytest -q tests/qemu

# A longer power-loss soak than make check's 24 points (tests/qemu/test_update_powerloss.py).
POWERLOSS_POINTS ?= 100
check-powerloss:
	$(Q)$(MAKE) --no-print-directory O=$(CHECK_O)/update test_update_defconfig
	$(Q)$(MAKE) --no-print-directory O=$(CHECK_O)/update -j2 all guests
	$(Q)RAMPART_BUILD_UPDATE=$(abspath $(CHECK_O)/update) RAMPART_POWERLOSS_POINTS=$(POWERLOSS_POINTS) \
		$(if $(SEED),RAMPART_POWERLOSS_SEED=$(SEED)) $(PYTHON) -m pytest -q tests/qemu/test_update_powerloss.py

# The fuzz targets for FUZZ_SECONDS each with libFuzzer, then fuzz_verify.py as long (make check runs
# a short smoke pass; tests/fuzz/README.md).
fuzz: all
	$(Q)$(MAKE) --no-print-directory -C tests/fuzz O=$(abspath $(O))/fuzz SEEDS=$(abspath $(O)/bank-a.bin) run

# Not in check: two downloads and two Linux boots per kernel (tools/kernel-matrix).
kernels:
	$(Q)bash tools/setup.sh
	$(Q)PYTHON=$(PYTHON) tools/kernel-matrix $(KERNELS)

BENCH_O := $(O)/bench
# make bench's builds (dir:defconfig). Each is configured again only when its defconfig is newer
# than its .config: writing .config anew would rebuild everything, every time.
BENCH_BUILDS := default:qemu_virt_rme ext:qemu_virt_rme_external part:bench_partitions \
	realm:bench_realm linux-vm:bench_linux_vm linux-realm:bench_linux_realm
bench:
	$(Q)for c in $(BENCH_BUILDS); do d=$(BENCH_O)/$${c%%:*}; n=$${c#*:}_defconfig; \
		f=$$(ls configs/$$n tests/configs/$$n 2>/dev/null | head -n 1); \
		if [ ! -f $$d/.config ] || [ "$$f" -nt $$d/.config ]; then \
			$(MAKE) --no-print-directory O=$$d $$n || exit 1; fi; \
		$(MAKE) --no-print-directory O=$$d -j2 all $$(test $${c%%:*} = ext && echo guests) || exit 1; \
	done
	$(Q)$(PYTHON) tools/bench.py --json $(O)/bench.json $(BENCH_O)/default $(BENCH_O)/ext $(BENCH_O)/part \
		$(BENCH_O)/realm $(BENCH_O)/linux-vm $(BENCH_O)/linux-realm

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	$(Q)clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	$(Q)rm -rf $(O)/monitor $(O)/rmm $(O)/hyp $(addprefix $(O)/,$(GUEST_IMAGES)) $(O)/tools \
		$(O)/unit $(O)/*.elf $(O)/*.bin $(O)/*.map

distclean:
	$(Q)rm -rf $(O)
