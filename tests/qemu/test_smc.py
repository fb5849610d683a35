"""External payload: SMCCC, PSCI and RMI version/feature queries, unknown SMCs."""
import pytest

from abi import (
    ESR_IL, PSCI_AFFINITY_INFO, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND_64,
    PSCI_FEATURES, PSCI_INVALID_PARAMS,
    PSCI_NOT_SUPPORTED, PSCI_SUCCESS, PSCI_SYSTEM_OFF, PSCI_VERSION, PSCI_VERSION_1_1,
    RMI_ABI_1_0, RMI_ERROR_INPUT, RMI_FEATURES, RMI_GRANULE_DELEGATE, RMI_GRANULE_UNDELEGATE,
    RMI_REALM_CREATE, RMI_SUCCESS, RMI_UNUSED, RMI_VERSION, RMM_BOOT_COMPLETE,
    RMM_GTSI_DELEGATE, RMM_GTSI_UNDELEGATE, RMM_RMI_REQ_COMPLETE, SMCCC_ARCH_FEATURES,
    SMCCC_ARCH_WORKAROUND_1, SMCCC_VERSION, SMCCC_VERSION_1_2, SMC_UNKNOWN,
)
from util import assert_in_order

S2SZ_MASK = 0xFF
HASH_SHA_256 = 1 << 32
HASH_SHA_512 = 1 << 33
LRS_SHIFT, LRS_MASK = 34, 0xF
RECS_ORDER_SHIFT, RECS_ORDER_MASK = 38, 0xF
QEMU_GICV3_LRS_MINUS_1 = 3  # QEMU's GICv3 CPU interface has 4 list registers
RMM_MAX_RECS_ORDER = 10
MAX_S2SZ_WITHOUT_LPA2 = 48
PAYLOAD_REGION = 0x01000000  # NSTEST_IMAGE_SIZE


@pytest.mark.timeout(30)
def test_external_boot_order(nstest, external_build):
    assert_in_order(nstest.secure_log(), [
        r"^monitor: Rampart EL3 monitor, cold boot on cpu 0$",
        r"^monitor: GPT: ",
        r"^rmm: Rampart RMM, RMI 1\.0; tracking \d+ granules",
        r"^monitor: RMM booted on cpu 0$",
        rf"^monitor: entering NS-EL2 at 0x{external_build.num('NS_PAYLOAD_ADDR'):x}$",
    ])


@pytest.mark.timeout(30)
def test_smccc_and_psci_versions(nstest):
    assert nstest.smc(SMCCC_VERSION)[0] == SMCCC_VERSION_1_2
    assert nstest.smc(PSCI_VERSION)[0] == PSCI_VERSION_1_1
    assert nstest.smc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES)[0] == 0
    assert nstest.smc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1)[0] == PSCI_NOT_SUPPORTED
    for fid in (PSCI_VERSION, PSCI_CPU_ON, PSCI_CPU_OFF, PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF, PSCI_FEATURES,
                PSCI_CPU_SUSPEND):
        assert nstest.smc(PSCI_FEATURES, fid)[0] == PSCI_SUCCESS, hex(fid)
    for fid in (RMI_VERSION, 0x84000012):
        assert nstest.smc(PSCI_FEATURES, fid)[0] == PSCI_NOT_SUPPORTED, hex(fid)


@pytest.mark.timeout(30)
def test_psci_features_discovers_smccc_version(nstest):
    # SMCCC 1.1+: callers find SMCCC_VERSION through PSCI_FEATURES (Linux psci_init_smccc
    # does); NOT_SUPPORTED makes them assume SMCCC 1.0 and never use SMCCC 1.1 calls.
    assert nstest.smc(PSCI_FEATURES, SMCCC_VERSION)[0] == PSCI_SUCCESS


@pytest.mark.timeout(30)
def test_cpu_suspend_rejects_reserved_power_state_bits(nstest):
    # Valid requests enter standby (WFI) until an interrupt arrives; nstest has no
    # interrupt source, so only the refusals are observable here.
    assert nstest.smc(PSCI_CPU_SUSPEND, 0x00020000)[0] == PSCI_INVALID_PARAMS
    assert nstest.smc(PSCI_CPU_SUSPEND_64, 0x80000000, 0x60000000, 0)[0] == PSCI_INVALID_PARAMS
    assert nstest.smc(PSCI_CPU_SUSPEND, 0x04000000)[0] == PSCI_INVALID_PARAMS


@pytest.mark.timeout(30)
def test_unused_registers_are_preserved(nstest):
    # SMCCC 1.2: x4..x7 are not results of these calls, so they come back unchanged (and
    # nothing of the RMM's or the monitor's register state leaks out through them).
    tail = [0x4444444444444444, 0x5555555555555555, 0x6666666666666666, 0x7777777777777777]
    for fid, a1 in ((SMCCC_VERSION, 0), (PSCI_VERSION, 0), (RMI_VERSION, RMI_ABI_1_0),
                    (RMI_FEATURES, 0), (RMI_GRANULE_DELEGATE, 0x50000000),
                    (RMI_GRANULE_UNDELEGATE, 0x50000000), (RMI_REALM_CREATE, 0x50000000)):
        regs = nstest.smc(fid, a1, 0x2222, 0x3333, *tail)
        assert regs[4:] == tail, f"0x{fid:x}: x4..x7 = {[hex(r) for r in regs[4:]]}"


@pytest.mark.timeout(30)
def test_trapped_sysreg_access_is_undefined_at_ns_el2(nstest, external_build):
    # nstest reads CNTPOFF_EL2, which SCR_EL3.ECVEn = 0 traps to EL3; the monitor must
    # reflect it back as an Undefined Instruction exception at the trapping instruction.
    base = external_build.num("NS_PAYLOAD_ADDR")
    elrs = set()
    for _ in range(2):
        m = nstest.cmd1("trap", r"trap esr=([0-9a-f]{16}) elr=([0-9a-f]{16})")
        assert int(m.group(1), 16) == ESR_IL, f"ESR {m.group(1)}: want EC 0 (unknown), IL 1"
        elrs.add(int(m.group(2), 16))
    assert len(elrs) == 1 and base <= elrs.pop() < base + PAYLOAD_REGION
    assert nstest.smc(RMI_VERSION, RMI_ABI_1_0)[0] == RMI_SUCCESS


@pytest.mark.timeout(30)
def test_rmi_version(nstest):
    assert nstest.smc(RMI_VERSION, RMI_ABI_1_0)[:3] == [RMI_SUCCESS, RMI_ABI_1_0, RMI_ABI_1_0]
    for requested in (0x20000, 0x10001, 0):  # 2.0, 1.1, 0.0: refused, the range is still reported
        assert nstest.smc(RMI_VERSION, requested)[:3] == [RMI_ERROR_INPUT, RMI_ABI_1_0, RMI_ABI_1_0], \
            hex(requested)


@pytest.mark.timeout(30)
def test_rmi_features(nstest):
    x0, reg0 = nstest.smc(RMI_FEATURES, 0)[:2]
    assert x0 == RMI_SUCCESS
    assert reg0 & S2SZ_MASK == MAX_S2SZ_WITHOUT_LPA2, hex(reg0)
    assert reg0 & HASH_SHA_256 and reg0 & HASH_SHA_512, hex(reg0)
    assert (reg0 >> LRS_SHIFT) & LRS_MASK == QEMU_GICV3_LRS_MINUS_1, hex(reg0)
    assert (reg0 >> RECS_ORDER_SHIFT) & RECS_ORDER_MASK == RMM_MAX_RECS_ORDER, hex(reg0)
    for index in (1, 2, 0xFF):
        assert nstest.smc(RMI_FEATURES, index)[:2] == [RMI_SUCCESS, 0], hex(index)


@pytest.mark.timeout(30)
def test_unknown_smcs(nstest):
    cases = {
        "SiP service": 0xC2000000,
        "SMC32 SiP service": 0x82000000,
        "trusted OS": 0xF2000000,
        "unused RMI FID": RMI_UNUSED,
        "SMC32 alias of RMI_VERSION": RMI_VERSION & ~0x40000000,
        "RMM_RMI_REQ_COMPLETE from NS": RMM_RMI_REQ_COMPLETE,
        "RMM_BOOT_COMPLETE from NS": RMM_BOOT_COMPLETE,
        "RMM_GTSI_UNDELEGATE from NS": RMM_GTSI_UNDELEGATE,
    }
    got = {what: nstest.smc(fid, 0x50000000)[0] for what, fid in cases.items()}
    bad = {what: hex(x0) for what, x0 in got.items() if x0 != SMC_UNKNOWN}
    assert not bad, f"expected SMC_UNKNOWN: {bad}"


@pytest.mark.timeout(30)
def test_ns_cannot_use_the_rmm_el3_interface(nstest):
    pa = 0x50000000
    assert nstest.smc(RMM_GTSI_DELEGATE, pa)[0] == SMC_UNKNOWN
    nstest.cmd1(f"read {pa:x}", r"val [0-9a-f]{16}")  # still Non-secure
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, pa)[0] == RMI_ERROR_INPUT  # and the RMM agrees


@pytest.mark.timeout(30)
def test_realm_create_refuses_an_undelegated_rd(nstest):
    # The RMM's realm commands are reachable through the monitor: an RD that is not
    # DELEGATED is ERROR_INPUT, with index 0, and nothing else happens.
    assert nstest.smc(RMI_REALM_CREATE, 0x50000000, 0x50001000)[0] == RMI_ERROR_INPUT
    assert nstest.smc(RMI_GRANULE_DELEGATE, 0x50000000)[0] == RMI_SUCCESS
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, 0x50000000)[0] == RMI_SUCCESS
