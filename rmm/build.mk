rmm-srcs := rmm/entry.S rmm/vectors.S rmm/main.c rmm/rmi.c rmm/granule.c rmm/el3_ifc.c rmm/mmu.c \
	rmm/arch_s2.c rmm/vmid.c rmm/s2tt.c rmm/measure.c rmm/rmi_realm.c rmm/rmi_rec.c rmm/rmi_rtt.c \
	rmm/rmi_data.c rmm/realm_entry.S rmm/rec_ctx.c rmm/rec_hostobs.c rmm/rec_enter.c rmm/rec_exit.c rmm/rec_report.c rmm/rec_sysreg.c \
	rmm/realm_mem.c rmm/rsi.c rmm/rsi_attest.c rmm/fpu.S lib/measure.c $(common-srcs)
rmm-lds := rmm/rmm.ld.S
rmm-cflags := -Irmm -Ilib/crypto/include
# RIM hashes (rmm/measure.c): lib/crypto's SHA-256/512, $(O)/crypto/libcrypto.a (lib/crypto/build.mk).
CRYPTO_IMAGES += rmm
# Realm attestation (rmm/attest.c, docs/attestation.md): the CCA token encoder shared with the monitor.
rmm-srcs += rmm/attest.c lib/cca_token.c lib/cbor.c
