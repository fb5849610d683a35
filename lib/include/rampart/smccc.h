/* SMC Calling Convention 1.2 and PSCI 1.1 function IDs and return codes. */
#ifndef RAMPART_SMCCC_H
#define RAMPART_SMCCC_H

#ifdef __ASSEMBLY__
#define _U(x) x
#define _L(x) x
#define _UL(x) x
#else
#define _U(x) x##U
#define _L(x) x##L
#define _UL(x) x##UL
#endif

#define SMCCC_VERSION _U(0x80000000)
#define SMCCC_ARCH_FEATURES _U(0x80000001)
#define SMCCC_VERSION_1_2 0x10002
#define SMC_UNKNOWN (_L(-1))
#define SMCCC_NOT_SUPPORTED (_L(-1))

#define SMCCC_FAST_CALL _U(0x80000000)
#define SMCCC_SMC64 _U(0x40000000)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK _U(0x3f)
#define SMCCC_OWNER_STD _U(4)

#define PSCI_VERSION _U(0x84000000)
#define PSCI_CPU_SUSPEND_32 _U(0x84000001)
#define PSCI_CPU_SUSPEND_64 _U(0xc4000001)
/* power_state (original format): StateID [15:0], StateType [16], PowerLevel [25:24] */
#define PSCI_POWER_STATE_RES0 _U(0xfcfe0000)
#define PSCI_CPU_OFF _U(0x84000002)
#define PSCI_CPU_ON_32 _U(0x84000003)
#define PSCI_AFFINITY_INFO_32 _U(0x84000004)
#define PSCI_SYSTEM_OFF _U(0x84000008)
#define PSCI_SYSTEM_RESET _U(0x84000009)
#define PSCI_FEATURES _U(0x8400000a)
#define PSCI_CPU_ON_64 _U(0xc4000003)
#define PSCI_AFFINITY_INFO_64 _U(0xc4000004)
#define PSCI_VERSION_1_1 0x10001

#define PSCI_SUCCESS 0L
#define PSCI_NOT_SUPPORTED (_L(-1))
#define PSCI_INVALID_PARAMS (_L(-2))
#define PSCI_DENIED (_L(-3))
#define PSCI_ALREADY_ON (_L(-4))
#define PSCI_ON_PENDING (_L(-5))
#define PSCI_INTERNAL_FAILURE (_L(-6))
#define PSCI_INVALID_ADDRESS (_L(-9))

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/* RMI (RMM 1.0): FIDs 0xC4000150..0xC400018F, see docs. */
#define RMI_FID(n) (_U(0xc4000150) + (n))
#define RMI_FID_FIRST RMI_FID(0x00)
#define RMI_FID_LAST RMI_FID(0x3f) /* RMM_RMI_REQ_COMPLETE */
#define RMI_VERSION RMI_FID(0x00)
#define RMI_GRANULE_DELEGATE RMI_FID(0x01)
#define RMI_GRANULE_UNDELEGATE RMI_FID(0x02)
#define RMI_FEATURES RMI_FID(0x15)
#define RMI_ABI_VERSION _UL(0x10000) /* 1.0 */

#define RMI_SUCCESS 0
#define RMI_ERROR_INPUT 1
#define RMI_ERROR_REALM 2
#define RMI_ERROR_REC 3
#define RMI_ERROR_RTT 4

/* RMM -> EL3 interface */
#define RMM_RMI_REQ_COMPLETE _U(0xc400018f)
#define RMM_EL3_FID_FIRST _U(0xc40001b0)
#define RMM_EL3_FID_LAST _U(0xc40001cf)
#define RMM_GTSI_DELEGATE _U(0xc40001b0)
#define RMM_GTSI_UNDELEGATE _U(0xc40001b1)
#define RMM_ATTEST_GET_REALM_KEY _U(0xc40001b2)
#define RMM_ATTEST_GET_PLAT_TOKEN _U(0xc40001b3)
/* RMM_ATTEST_GET_REALM_KEY x3: the key's curve. */
#define RMM_ATTEST_CURVE_P384 0
/* Rampart extension: the RMM's log goes out through the monitor's console. */
#define RMM_CONSOLE_WRITE _U(0xc40001c0)
/* Rampart: the RMM failed (it has logged why); the monitor stops the machine, never returns. */
#define RMM_FATAL _U(0xc40001c1)
#define RMM_BOOT_COMPLETE _U(0xc40001cf)

/* Rampart SiP service (SMCCC owner 2): SMC64 fast calls the monitor serves. */
#define RAMPART_SIP_FID(n) (_U(0xc2000000) + (n))
/*
 * From NS-EL2 only: the hypervisor failed (it has logged why). The monitor
 * stops every CPU and tells the platform, as for RMM_FATAL; never returns.
 */
#define RAMPART_SIP_HYP_FATAL RAMPART_SIP_FID(0x01)

#define E_RMM_OK 0L
#define E_RMM_UNK (_L(-1))
#define E_RMM_BAD_ADDR (_L(-2))
#define E_RMM_BAD_PAS (_L(-3))
#define E_RMM_NOMEM (_L(-4))
#define E_RMM_INVAL (_L(-5))
#define E_RMM_AGAIN (_L(-6)) /* EL3 busy: repeat the same call */

/* RMM_BOOT_COMPLETE status values */
#define E_RMM_BOOT_SUCCESS 0L
#define E_RMM_BOOT_UNKNOWN (_L(-1))
#define E_RMM_BOOT_VERSION_NOT_VALID (_L(-2))
#define E_RMM_BOOT_CPUS_OUT_OF_RANGE (_L(-3))
#define E_RMM_BOOT_CPU_ID_OUT_OF_RANGE (_L(-4))
#define E_RMM_BOOT_INVALID_SHARED_BUFFER (_L(-5))
#define E_RMM_BOOT_MANIFEST_VERSION_NOT_SUPPORTED (_L(-6))
#define E_RMM_BOOT_MANIFEST_DATA_ERROR (_L(-7))

/* Bytes of text one RMM_CONSOLE_WRITE carries in x2..x7. */
#define RMM_CONSOLE_CHUNK 48
#endif
