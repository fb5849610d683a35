"""External payload: GRANULE_DELEGATE/UNDELEGATE, their rejected inputs, and isolation."""
import pytest

from abi import (
    ESR_EC_DABT_CUR, ESR_FSC_GPF, ESR_FSC_MASK, ESR_WNR, GRANULE, RMI_ABI_1_0, RMI_ERROR_INPUT,
    RMI_GRANULE_DELEGATE, RMI_GRANULE_UNDELEGATE, RMI_SUCCESS, RMI_VERSION, SMCCC_VERSION,
    SMCCC_VERSION_1_2, esr_ec,
)

NS_PA = 0x50000000  # ordinary NS DRAM, away from nstest's image and pools
PATTERN = 0xA5A55A5AC3C33C3C
OFF_IN_GRANULE = 0x808


class Layout:
    """Addresses the monitor and RMM must protect, from the build's .config and the boot log."""

    def __init__(self, build, q):
        c = build.num
        self.dram_end = c("DRAM_BASE") + c("DRAM_SIZE")
        self.rmm_end = c("RMM_BASE") + c("RMM_SIZE")
        gpt_l0 = int(q.wait_secure(r"^monitor: GPT: L0 (0x[0-9a-f]+)").group(1), 16)
        self.protected = {
            "unaligned (8 bytes in)": NS_PA + 8,
            "unaligned (2 KiB in)": NS_PA + 0x800,
            "DRAM end": self.dram_end,
            "far outside DRAM": 0x10_0000_0000,
            "beyond the PA space": 1 << 52,
            "NS UART (MMIO)": c("UART_NS_BASE"),
            "secure UART (MMIO)": c("UART_SECURE_BASE"),
            "GIC distributor (MMIO)": c("GICD_BASE"),
            "secure SRAM base (monitor image)": c("SECURE_SRAM_BASE"),
            "secure SRAM last granule": c("SECURE_SRAM_BASE") + c("SECURE_SRAM_SIZE") - GRANULE,
            "monitor GPT L0 table": gpt_l0,
            "secure flash (monitor reset code)": 0,
            "flash image package": c("PKG_OFFSET"),
            "RMM carve-out base": c("RMM_BASE"),
            "RMM shared buffer (last carve-out granule)": self.rmm_end - GRANULE,
        }


def rejected(q, fid, cases):
    """The cases whose x0 is not exactly RMI_ERROR_INPUT, with what came back."""
    out = {}
    for what, pa in cases.items():
        x0 = q.smc(fid, pa)[0]
        if x0 != RMI_ERROR_INPUT:
            out[f"{what} (0x{pa:x})"] = hex(x0)
    return out


@pytest.mark.timeout(30)
def test_delegate_undelegate_round_trip(nstest, external_build):
    layout = Layout(external_build, nstest)
    # The first and last delegable granules and one in between.
    for pa in (layout.rmm_end, NS_PA, layout.dram_end - GRANULE):
        assert nstest.smc(RMI_GRANULE_DELEGATE, pa)[0] == RMI_SUCCESS, hex(pa)
        assert nstest.smc(RMI_GRANULE_UNDELEGATE, pa)[0] == RMI_SUCCESS, hex(pa)
        nstest.cmd1(f"read {pa:x}", r"val [0-9a-f]{16}")


@pytest.mark.timeout(45)
def test_delegate_rejects(nstest, external_build):
    layout = Layout(external_build, nstest)
    bad = rejected(nstest, RMI_GRANULE_DELEGATE, layout.protected)
    assert nstest.smc(RMI_GRANULE_DELEGATE, NS_PA)[0] == RMI_SUCCESS
    x0 = nstest.smc(RMI_GRANULE_DELEGATE, NS_PA)[0]
    if x0 != RMI_ERROR_INPUT:
        bad["already delegated"] = hex(x0)
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, NS_PA)[0] == RMI_SUCCESS
    assert not bad, f"GRANULE_DELEGATE must answer exactly RMI_ERROR_INPUT (1): {bad}"
    # Nothing rejected changed hands: the shell's own UART still works.
    assert nstest.smc(SMCCC_VERSION)[0] == SMCCC_VERSION_1_2


@pytest.mark.timeout(45)
def test_undelegate_rejects(nstest, external_build):
    layout = Layout(external_build, nstest)
    cases = dict(layout.protected)
    cases["not delegated (NS granule)"] = NS_PA
    bad = rejected(nstest, RMI_GRANULE_UNDELEGATE, cases)
    assert nstest.smc(RMI_GRANULE_DELEGATE, NS_PA)[0] == RMI_SUCCESS
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, NS_PA)[0] == RMI_SUCCESS
    x0 = nstest.smc(RMI_GRANULE_UNDELEGATE, NS_PA)[0]
    if x0 != RMI_ERROR_INPUT:
        bad["undelegated twice"] = hex(x0)
    assert not bad, f"GRANULE_UNDELEGATE must answer exactly RMI_ERROR_INPUT (1): {bad}"


def read_fault(q, pa, op="read"):
    line = f"write {pa:x} 0" if op == "write" else f"read {pa:x}"
    m = q.cmd1(line, r"fault esr=([0-9a-f]{16}) far=([0-9a-f]{16})")
    return int(m.group(1), 16), int(m.group(2), 16)


@pytest.mark.timeout(30)
def test_delegated_granule_is_isolated_and_scrubbed(nstest):
    pa = NS_PA + 0x200000
    assert nstest.cmd(f"fill {pa:x} {PATTERN:x}") == ["ok"]
    nstest.cmd1(f"zero? {pa:x}", r"zero no \(512 nonzero words\)")
    assert nstest.smc(RMI_GRANULE_DELEGATE, pa)[0] == RMI_SUCCESS

    for addr in (pa, pa + OFF_IN_GRANULE, pa + GRANULE - 8):
        esr, far = read_fault(nstest, addr)
        assert esr_ec(esr) == ESR_EC_DABT_CUR, f"ESR 0x{esr:x}: not a data abort from NS-EL2"
        assert esr & ESR_FSC_MASK == ESR_FSC_GPF, f"ESR 0x{esr:x}: not a Granule Protection Fault"
        assert far == addr, f"FAR 0x{far:x} != 0x{addr:x}"
    esr, far = read_fault(nstest, pa, "write")
    assert esr_ec(esr) == ESR_EC_DABT_CUR and esr & ESR_FSC_MASK == ESR_FSC_GPF and esr & ESR_WNR, hex(esr)
    assert far == pa
    # Protection is per granule: the neighbours stay accessible.
    nstest.cmd1(f"read {pa - GRANULE:x}", r"val [0-9a-f]{16}")
    nstest.cmd1(f"read {pa + GRANULE:x}", r"val [0-9a-f]{16}")

    assert nstest.smc(RMI_GRANULE_UNDELEGATE, pa)[0] == RMI_SUCCESS
    nstest.cmd1(f"zero? {pa:x}", r"zero yes")
    nstest.cmd1(f"read {pa + OFF_IN_GRANULE:x}", r"val 0{16}")
    assert nstest.cmd(f"write {pa:x} 1") == ["ok"]


@pytest.mark.timeout(30)
def test_ns_access_to_firmware_memory_faults(nstest, external_build):
    layout = Layout(external_build, nstest)
    firmware = {what: pa for what, pa in layout.protected.items()
                if "MMIO" not in what and "unaligned" not in what and pa < layout.dram_end}
    for what, pa in firmware.items():
        esr, far = read_fault(nstest, pa)
        assert esr_ec(esr) == ESR_EC_DABT_CUR and esr & ESR_FSC_MASK == ESR_FSC_GPF, f"{what}: ESR 0x{esr:x}"
        assert far == pa, f"{what}: FAR 0x{far:x}"
    esr, far = read_fault(nstest, external_build.num("RMM_BASE"), "write")
    assert esr & ESR_FSC_MASK == ESR_FSC_GPF and esr & ESR_WNR and far == external_build.num("RMM_BASE")
    # The firmware is unharmed.
    assert nstest.smc(RMI_VERSION, RMI_ABI_1_0)[0] == RMI_SUCCESS
    assert nstest.smc(RMI_GRANULE_DELEGATE, NS_PA)[0] == RMI_SUCCESS
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, NS_PA)[0] == RMI_SUCCESS
