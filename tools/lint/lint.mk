# make lint: cppcheck with its MISRA C:2012 addon and clang's static analyzer over our own
# firmware sources (docs/misra-deviations.md). It runs in its own build directory, configured
# with the default board, so that the analyzers see the code paths the product builds and a
# user's $(O)/.config is never touched.
LINT_O := $(O)/lint
LINT_DEFCONFIG ?= qemu_virt_rme_defconfig
LINT_JOBS ?= 2
# More options for tools/lint/lint, e.g. LINT_ARGS=--counts (findings per suppression).
LINT_ARGS ?=

lint:
	$(Q)m=; for t in $(LINT_TOOLS); do command -v $$t >/dev/null || m="$$m $$t"; done; \
	if [ -n "$$m" ]; then echo "lint tools missing:$$m (Debian packages of the same names);" \
		"run tools/setup.sh" >&2; exit 1; fi
	$(Q)$(MAKE) --no-print-directory O=$(LINT_O) $(LINT_DEFCONFIG)
	$(Q)$(MAKE) --no-print-directory O=$(LINT_O) lint-run

# Inside $(LINT_O): every C source of every image with the flags its image compiles it with,
# one "image|source|flags" line each. Generated sources (the partition table) are left out;
# the generated key headers are made first since the monitor includes them.
LINT_UNITS := $(O)/lint-units.txt
lint-c-srcs = $(filter %.c,$(filter-out $(O)/%,$($(1)-srcs)))
lint-run: $(AUTOCONF) $(SECBOOT_KEY_H) $(ATTEST_KEYS_H) FORCE
	$(file >$(LINT_UNITS),# written by make lint: image|source|flags)
	$(foreach i,$(IMAGES),$(foreach s,$(call lint-c-srcs,$(i)),\
		$(file >>$(LINT_UNITS),$(i)|$(s)|$(CFLAGS) $($(i)-cflags))))
	$(file >>$(LINT_UNITS),crypto|lib/crypto/crypto.c|$(CRYPTO_CFLAGS))
	@echo "  LINT    $(words $(foreach i,$(IMAGES),$(call lint-c-srcs,$(i)))) units + lib/crypto (cppcheck, clang --analyze)"
	$(Q)$(PYTHON) tools/lint/lint --units $(LINT_UNITS) --build-dir $(O)/lint-cache -j$(LINT_JOBS) --cc $(CC) \
		--suppressions tools/lint/suppressions.txt --outside build/deps --outside $(O) $(LINT_ARGS)
