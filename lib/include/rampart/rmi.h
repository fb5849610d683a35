/*
 * RMI 1.0 (RMM 1.0-rel0) as the RMM implements it: command FIDs, return
 * codes, RTT entry reporting, RMI_FEATURES register 0 fields and the layouts
 * of the two parameter granules the host passes (RmiRealmParams,
 * RmiRecParams). RMI_VERSION, GRANULE_DELEGATE/UNDELEGATE, FEATURES, the
 * status codes and RMI_FID() stay in smccc.h, which other images use.
 */
#ifndef RAMPART_RMI_H
#define RAMPART_RMI_H
#include <rampart/smccc.h>

/* Command FIDs (0xC4000150 + offset); offsets 0x06, 0x10, 0x13, 0x1A..0x3E are unused. */
#define RMI_DATA_CREATE RMI_FID(0x03)
#define RMI_DATA_CREATE_UNKNOWN RMI_FID(0x04)
#define RMI_DATA_DESTROY RMI_FID(0x05)
#define RMI_REALM_ACTIVATE RMI_FID(0x07)
#define RMI_REALM_CREATE RMI_FID(0x08)
#define RMI_REALM_DESTROY RMI_FID(0x09)
#define RMI_REC_CREATE RMI_FID(0x0a)
#define RMI_REC_DESTROY RMI_FID(0x0b)
#define RMI_REC_ENTER RMI_FID(0x0c)
#define RMI_RTT_CREATE RMI_FID(0x0d)
#define RMI_RTT_DESTROY RMI_FID(0x0e)
#define RMI_RTT_MAP_UNPROTECTED RMI_FID(0x0f)
#define RMI_RTT_READ_ENTRY RMI_FID(0x11)
#define RMI_RTT_UNMAP_UNPROTECTED RMI_FID(0x12)
#define RMI_PSCI_COMPLETE RMI_FID(0x14)
#define RMI_RTT_FOLD RMI_FID(0x16)
#define RMI_REC_AUX_COUNT RMI_FID(0x17)
#define RMI_RTT_INIT_RIPAS RMI_FID(0x18)
#define RMI_RTT_SET_RIPAS RMI_FID(0x19)

/* x0 = status | index << 8 (RmiCommandReturnCode). ERROR_RTT's index is an RTT level. */
#define RMI_RETURN(status, index) ((unsigned long)(status) | ((unsigned long)(index) << 8))
#define RMI_RETURN_STATUS(ret) ((ret)&0xffUL)
#define RMI_RETURN_INDEX(ret) (((ret) >> 8) & 0xffUL)

/* RMI_RTT_READ_ENTRY: x2 (state) and x4 (RIPAS). */
#define RMI_UNASSIGNED 0
#define RMI_ASSIGNED 1
#define RMI_TABLE 2
#define RMI_EMPTY 0
#define RMI_RAM 1
#define RMI_DESTROYED 2

/* RMI_DATA_CREATE flags */
#define RMI_NO_MEASURE_CONTENT 0
#define RMI_MEASURE_CONTENT 1

/* RmiRealmParams.flags */
#define RMI_REALM_FLAGS_LPA2 (_UL(1) << 0)
#define RMI_REALM_FLAGS_SVE (_UL(1) << 1)
#define RMI_REALM_FLAGS_PMU (_UL(1) << 2)

/* RmiRealmParams.hash_algo */
#define RMI_HASH_SHA_256 0
#define RMI_HASH_SHA_512 1

/* RmiRecParams.flags */
#define RMI_REC_FLAGS_RUNNABLE (_UL(1) << 0)
#define RMI_REC_MAX_AUX 16

/*
 * RmiRecMpidr: Aff0[3:0], Aff1[15:8], Aff2[23:16], Aff3[31:24], every other
 * bit zero. The REC index is Aff3:Aff2:Aff1:Aff0[3:0].
 */
#define RMI_REC_MPIDR_VALID_MASK _UL(0xffffff0f)

/* RmiRecEnterFlags (RecRun.enter.flags) */
#define RMI_REC_ENTER_EMUL_MMIO (_UL(1) << 0)
#define RMI_REC_ENTER_INJECT_SEA (_UL(1) << 1)
#define RMI_REC_ENTER_TRAP_WFI (_UL(1) << 2)
#define RMI_REC_ENTER_TRAP_WFE (_UL(1) << 3)
#define RMI_REC_ENTER_RIPAS_RESPONSE (_UL(1) << 4) /* 1: the host rejects the RIPAS change */
#define RMI_REC_ENTER_FLAGS_VALID _UL(0x1f)

/* RmiRecExitReason */
#define RMI_EXIT_SYNC 0
#define RMI_EXIT_IRQ 1
#define RMI_EXIT_FIQ 2
#define RMI_EXIT_PSCI 3
#define RMI_EXIT_RIPAS_CHANGE 4
#define RMI_EXIT_HOST_CALL 5
#define RMI_EXIT_SERROR 6

#define RMI_REC_RUN_GPRS 31
#define RMI_REC_RUN_LRS 16

/* RMI_FEATURES register 0 */
#define RMI_FEAT0_S2SZ_SHIFT 0
#define RMI_FEAT0_S2SZ_MASK _UL(0xff)
#define RMI_FEAT0_LPA2 (_UL(1) << 8)
#define RMI_FEAT0_SVE_EN (_UL(1) << 9)
#define RMI_FEAT0_SVE_VL_SHIFT 10
#define RMI_FEAT0_SVE_VL_MASK _UL(0xf)
#define RMI_FEAT0_NUM_BPS_SHIFT 14
#define RMI_FEAT0_NUM_BPS_MASK _UL(0x3f)
#define RMI_FEAT0_NUM_WPS_SHIFT 20
#define RMI_FEAT0_NUM_WPS_MASK _UL(0x3f)
#define RMI_FEAT0_PMU_EN (_UL(1) << 26)
#define RMI_FEAT0_PMU_NUM_CTRS_SHIFT 27
#define RMI_FEAT0_PMU_NUM_CTRS_MASK _UL(0x1f)
#define RMI_FEAT0_HASH_SHA_256 (_UL(1) << 32)
#define RMI_FEAT0_HASH_SHA_512 (_UL(1) << 33)
#define RMI_FEAT0_GICV3_NUM_LRS_SHIFT 34
#define RMI_FEAT0_GICV3_NUM_LRS_MASK _UL(0xf)
#define RMI_FEAT0_MAX_RECS_ORDER_SHIFT 38
#define RMI_FEAT0_MAX_RECS_ORDER_MASK _UL(0xf)

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * RmiRealmParams: one 4 KiB NS granule passed to RMI_REALM_CREATE. The field
 * widths are the ones TF-RMM 1.0-rel0 reads (a value with bits set above them
 * is out of range and refused); everything not named here is reserved.
 */
struct rmi_realm_params {
	uint64_t flags;		 /* 0x000 */
	uint32_t s2sz;		 /* 0x008 */
	uint8_t res008[4];	 /* 0x00c */
	uint32_t sve_vl;	 /* 0x010 */
	uint8_t res014[4];	 /* 0x014 */
	uint32_t num_bps;	 /* 0x018 */
	uint8_t res01c[4];	 /* 0x01c */
	uint32_t num_wps;	 /* 0x020 */
	uint8_t res024[4];	 /* 0x024 */
	uint32_t pmu_num_ctrs;	 /* 0x028 */
	uint8_t res02c[4];	 /* 0x02c */
	uint8_t hash_algo;	 /* 0x030 */
	uint8_t res031[0x3cf];	 /* 0x031 */
	uint8_t rpv[64];	 /* 0x400 */
	uint8_t res440[0x3c0];	 /* 0x440 */
	uint16_t vmid;		 /* 0x800 */
	uint8_t res802[6];	 /* 0x802 */
	uint64_t rtt_base;	 /* 0x808 */
	int64_t rtt_level_start; /* 0x810 */
	uint32_t rtt_num_start;	 /* 0x818 */
	uint8_t res81c[0x7e4];	 /* 0x81c */
};
_Static_assert(sizeof(struct rmi_realm_params) == 4096, "RmiRealmParams is one granule");
_Static_assert(offsetof(struct rmi_realm_params, hash_algo) == 0x30, "hash_algo");
_Static_assert(offsetof(struct rmi_realm_params, rpv) == 0x400, "rpv");
_Static_assert(offsetof(struct rmi_realm_params, vmid) == 0x800, "vmid");
_Static_assert(offsetof(struct rmi_realm_params, rtt_level_start) == 0x810, "rtt_level_start");
_Static_assert(offsetof(struct rmi_realm_params, rtt_num_start) == 0x818, "rtt_num_start");

/* RmiRecParams: one 4 KiB NS granule passed to RMI_REC_CREATE. */
struct rmi_rec_params {
	uint64_t flags;		       /* 0x000 */
	uint8_t res008[0xf8];	       /* 0x008 */
	uint64_t mpidr;		       /* 0x100 */
	uint8_t res108[0xf8];	       /* 0x108 */
	uint64_t pc;		       /* 0x200 */
	uint8_t res208[0xf8];	       /* 0x208 */
	uint64_t gprs[8];	       /* 0x300 */
	uint8_t res340[0x4c0];	       /* 0x340 */
	uint64_t num_aux;	       /* 0x800 */
	uint64_t aux[RMI_REC_MAX_AUX]; /* 0x808 */
	uint8_t res888[0x778];	       /* 0x888 */
};
_Static_assert(sizeof(struct rmi_rec_params) == 4096, "RmiRecParams is one granule");
_Static_assert(offsetof(struct rmi_rec_params, mpidr) == 0x100, "mpidr");
_Static_assert(offsetof(struct rmi_rec_params, pc) == 0x200, "pc");
_Static_assert(offsetof(struct rmi_rec_params, gprs) == 0x300, "gprs");
_Static_assert(offsetof(struct rmi_rec_params, num_aux) == 0x800, "num_aux");
_Static_assert(offsetof(struct rmi_rec_params, aux) == 0x808, "aux");

/* RmiRecRun: one 4 KiB NS granule passed to every RMI_REC_ENTER (reference §1.10). */
struct rmi_rec_enter {
	uint64_t flags;			     /* 0x000 */
	uint8_t res008[0x1f8];		     /* 0x008 */
	uint64_t gprs[RMI_REC_RUN_GPRS];     /* 0x200 */
	uint8_t res2f8[0x8];		     /* 0x2f8 */
	uint64_t gicv3_hcr;		     /* 0x300 */
	uint64_t gicv3_lrs[RMI_REC_RUN_LRS]; /* 0x308 */
	uint8_t res388[0x478];		     /* 0x388 */
};
struct rmi_rec_exit {
	uint64_t exit_reason;		     /* 0x800 */
	uint8_t res808[0xf8];		     /* 0x808 */
	uint64_t esr;			     /* 0x900 */
	uint64_t far;			     /* 0x908 */
	uint64_t hpfar;			     /* 0x910 */
	uint8_t res918[0xe8];		     /* 0x918 */
	uint64_t gprs[RMI_REC_RUN_GPRS];     /* 0xa00 */
	uint8_t resaf8[0x8];		     /* 0xaf8 */
	uint64_t gicv3_hcr;		     /* 0xb00 */
	uint64_t gicv3_lrs[RMI_REC_RUN_LRS]; /* 0xb08 */
	uint64_t gicv3_misr;		     /* 0xb88 */
	uint64_t gicv3_vmcr;		     /* 0xb90 */
	uint8_t resb98[0x68];		     /* 0xb98 */
	uint64_t cntp_ctl;		     /* 0xc00 */
	uint64_t cntp_cval;		     /* 0xc08 */
	uint64_t cntv_ctl;		     /* 0xc10 */
	uint64_t cntv_cval;		     /* 0xc18 */
	uint8_t resc20[0xe0];		     /* 0xc20 */
	uint64_t ripas_base;		     /* 0xd00 */
	uint64_t ripas_top;		     /* 0xd08 */
	uint64_t ripas_value;		     /* 0xd10 (one byte used) */
	uint8_t resd18[0xe8];		     /* 0xd18 */
	uint64_t imm;			     /* 0xe00 */
	uint8_t rese08[0xf8];		     /* 0xe08 */
	uint64_t pmu_ovf_status;	     /* 0xf00 */
	uint8_t resf08[0xf8];		     /* 0xf08 */
};
struct rmi_rec_run {
	struct rmi_rec_enter enter;
	struct rmi_rec_exit exit;
};
_Static_assert(sizeof(struct rmi_rec_run) == 4096, "RmiRecRun is one granule");
_Static_assert(offsetof(struct rmi_rec_run, enter.gicv3_lrs) == 0x308, "enter.gicv3_lrs");
_Static_assert(offsetof(struct rmi_rec_run, exit.esr) == 0x900, "exit.esr");
_Static_assert(offsetof(struct rmi_rec_run, exit.gprs) == 0xa00, "exit.gprs");
_Static_assert(offsetof(struct rmi_rec_run, exit.gicv3_vmcr) == 0xb90, "exit.gicv3_vmcr");
_Static_assert(offsetof(struct rmi_rec_run, exit.cntv_cval) == 0xc18, "exit.cntv_cval");
_Static_assert(offsetof(struct rmi_rec_run, exit.ripas_value) == 0xd10, "exit.ripas_value");
_Static_assert(offsetof(struct rmi_rec_run, exit.imm) == 0xe00, "exit.imm");
_Static_assert(offsetof(struct rmi_rec_run, exit.pmu_ovf_status) == 0xf00, "exit.pmu_ovf_status");
#endif /* __ASSEMBLY__ */
#endif
