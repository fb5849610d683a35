# The partition compiler's sources but main.c, with the shared library code it uses: one list
# for the tool (tools/partc/build.mk) and the fuzz target (tests/fuzz/Makefile), relative to
# the repository root.
PARTC_LIB_SRCS := $(addprefix tools/partc/,blob.c parse.c parse_containment.c validate.c validate_realm.c \
	validate_s2.c validate_dev.c validate_images.c validate_containment.c types.c images.c table.c \
	emit_table.c emit_dtb.c emit_images.c refvalues.c) lib/realm_plan.c lib/s2_tables.c lib/realm_rim.c \
	lib/measure.c tools/refvalues/hash_host.c
