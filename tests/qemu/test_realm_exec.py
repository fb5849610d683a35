"""Realm execution through RMI_REC_ENTER (issue 3): exits, entry flags, vGIC, timers, PSCI, teardown.

nstest builds a realm around tests/guests/realmtest and runs it (tests/qemu/realm_host.py);
every test starts from the realm's first host call (READY).
"""
import hashlib

import pytest

from abi import (PSCI_AFFINITY_INFO, PSCI_CPU_ON, PSCI_CPU_SUSPEND_64, PSCI_FEATURES, PSCI_SYSTEM_OFF,
                 PSCI_VERSION, SMCCC_VERSION)
from realm_host import *  # noqa: F401,F403

RSI_VERSION, RSI_FEATURES, RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND = 0xC4000190, 0xC4000191, 0xC4000192, 0xC4000193
RSI_REALM_CONFIG, RSI_IPA_STATE_SET, RSI_IPA_STATE_GET, RSI_HOST_CALL = 0xC4000196, 0xC4000197, 0xC4000198, 0xC4000199
RSI_SUCCESS, RSI_ERROR_INPUT = 0, 1
RSI_ABI_1_0 = 0x10000
RMI_FEATURES, RMI_PSCI_COMPLETE, RMI_REC_ENTER, RMI_REC_DESTROY = 0xC4000165, 0xC4000164, 0xC400015C, 0xC400015B
RMI_RTT_SET_RIPAS, RMI_GRANULE_UNDELEGATE = 0xC4000169, 0xC4000152
PSCI_CPU_OFF = 0x84000002
PSCI_SYSTEM_RESET = 0x84000009
NOT_SUPPORTED = (1 << 64) - 1
EC_WFX, EC_UNKNOWN, EC_DABT_LOW, EC_DABT_CUR = 0x01, 0x00, 0x24, 0x25
ESR_ISV, ESR_WNR, ESR_SRT_MASK, ESR_FSC_MASK = 1 << 24, 1 << 6, 0x1F << 16, 0x3F
ESR_IL = 1 << 25
FSC_TRANSLATION = range(0x04, 0x08)  # translation fault, levels 0..3
FSC_SEA = 0x10
LR_PENDING, LR_GROUP1, LR_HW = 1 << 62, 1 << 60, 1 << 61


def lr(vintid, prio=0xA0):
    return LR_PENDING | LR_GROUP1 | (prio << 48) | vintid


@pytest.fixture
def realm(nstest):
    r = RealmHost(nstest).build()
    r.ready = r.boot()
    return r


def report(e, cmd):
    assert e.ret == 0 and e.reason == EXIT_HOST_CALL and e.imm == cmd, e
    return e.gprs


@pytest.mark.timeout(120)
def test_realm_boots_to_its_first_host_call(realm):
    e = realm.ready
    assert e.gprs[0] == 0 and e.gprs[RT_REPORT_REC] & 0xFFFFFF == 0
    assert REALM_IPA_BASE <= e.gprs[1] < REALM_IPA_BASE + REALM_RAM_SIZE
    assert e.populated > 0  # its bss and stack came from demand faults the host served
    assert e.gprs[RT_REPORT_EXC_COUNT] == 0


@pytest.mark.timeout(120)
def test_rsi_psci_and_smccc_queries(realm):
    assert realm.smc(RSI_VERSION, RSI_ABI_1_0)[:3] == [RSI_SUCCESS, RSI_ABI_1_0, RSI_ABI_1_0]
    assert realm.smc(RSI_VERSION, 0x20000)[:3] == [RSI_ERROR_INPUT, RSI_ABI_1_0, RSI_ABI_1_0]
    assert realm.smc(RSI_VERSION | 1 << 16, RSI_ABI_1_0)[0] == RSI_SUCCESS  # SVE hint ignored
    assert realm.smc(RSI_FEATURES, 0)[:2] == [RSI_SUCCESS, 0]
    assert realm.smc(SMCCC_VERSION)[0] == 0x10002
    assert realm.smc(PSCI_VERSION)[0] == 0x10001
    assert realm.smc(PSCI_FEATURES, PSCI_CPU_ON)[0] == 0
    assert realm.smc(PSCI_FEATURES, 0x84000012)[0] == NOT_SUPPORTED
    assert realm.smc(0xC2000000, 1, 2)[0] == NOT_SUPPORTED
    # x4..x7 are not results of RSI_VERSION: the realm gets them back.
    assert realm.smc(RSI_VERSION, RSI_ABI_1_0, 0, 0, *range(4, 12))[4:12] == list(range(4, 12))


@pytest.mark.timeout(120)
def test_mmio_write_exits_with_the_value_and_completes(realm):
    e = realm.command(RT_CMD_WRITE, REALM_MMIO_IPA + 0x14, 0x1122334455667788, 4)
    assert e.ret == 0 and e.reason == EXIT_SYNC and e.ec == EC_DABT_LOW, e
    # RMM 1.0 A4.3.4.3: EC, ISS.SET/FnV/EA/DFSC and, emulatable, ISV/SAS/SF/WnR; nothing else
    # (no IL, no SRT: the register number is the RMM's business).
    assert e.esr & ~ESR_FSC_MASK == (EC_DABT_LOW << 26) | ESR_ISV | (2 << 22) | ESR_WNR, hex(e.esr)
    assert e.esr & ESR_FSC_MASK in FSC_TRANSLATION, hex(e.esr)
    assert e.far == 0x014 and e.ipa == REALM_MMIO_IPA + 0x14
    assert e.gprs[0] == 0x55667788
    report(realm.enter(0, ENTER_EMUL_MMIO), RT_CMD_WRITE)


@pytest.mark.timeout(120)
def test_mmio_read_is_completed_with_the_hosts_value(realm):
    e = realm.command(RT_CMD_READ, REALM_MMIO_IPA + 0x8, 2)
    assert e.reason == EXIT_SYNC and e.ec == EC_DABT_LOW and not e.esr & ESR_WNR, e
    assert e.esr & ESR_ISV and (e.esr >> 22) & 3 == 1 and e.ipa == REALM_MMIO_IPA + 8
    g = report(realm.enter(0, ENTER_EMUL_MMIO, 0xABCD1234), RT_CMD_READ)
    assert g[0] == 0x1234  # masked to the access size
    g = report(realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8), RT_CMD_READ)  # mapped: no exit
    assert g[0] == 0


@pytest.mark.timeout(120)
def test_entry_flags_without_a_matching_exit_are_refused(realm):
    # rec_mmio (RMM 1.0 B4.3.14): EMUL_MMIO needs an emulatable abort, with INJECT_SEA or not.
    for flags in (ENTER_EMUL_MMIO, ENTER_EMUL_MMIO | ENTER_INJECT_SEA):
        assert realm.enter(0, flags).ret == RMI_ERROR_REC
    # INJECT_SEA after a host call is no failure and injects nothing (A4.2).
    g = report(realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8, flags=ENTER_INJECT_SEA), RT_CMD_READ)
    assert g[RT_REPORT_EXC_COUNT] == 0


@pytest.mark.timeout(120)
def test_unemulatable_access_gets_an_injected_sea(realm):
    e = realm.command(RT_CMD_READ_PAIR, REALM_MMIO_IPA + 0x20)
    assert e.reason == EXIT_SYNC and e.ec == EC_DABT_LOW and not e.esr & ESR_ISV, e
    # Non-emulatable at an unprotected IPA: the common fields and IL (A4.3.4.3).
    assert e.esr & ~ESR_FSC_MASK == (EC_DABT_LOW << 26) | ESR_IL, hex(e.esr)
    assert e.far == 0
    assert realm.enter(0, ENTER_EMUL_MMIO).ret == RMI_ERROR_REC
    g = report(realm.enter(0, ENTER_INJECT_SEA), RT_CMD_READ_PAIR)
    esr = g[RT_REPORT_EXC_ESR]
    assert g[RT_REPORT_EXC_COUNT] == 1 and (esr >> 26) == EC_DABT_CUR and esr & ESR_FSC_MASK == FSC_SEA
    assert g[RT_REPORT_EXC_FAR] == REALM_MMIO_IPA + 0x20


@pytest.mark.timeout(120)
def test_protected_access_outside_ram_is_an_sea_without_exit(realm):
    g = report(realm.command(RT_CMD_TOUCH, REALM_IPA_BASE + REALM_RAM_SIZE + 0x1000, 1), RT_CMD_TOUCH)
    esr = g[RT_REPORT_EXC_ESR]
    # RT_CMD_TOUCH stores, then loads: two SEAs, both at the address.
    assert g[RT_REPORT_EXC_COUNT] == 2 and (esr >> 26) == EC_DABT_CUR and esr & ESR_FSC_MASK == FSC_SEA
    assert g[RT_REPORT_EXC_FAR] == REALM_IPA_BASE + REALM_RAM_SIZE + 0x1000


@pytest.mark.timeout(120)
def test_unpopulated_ram_is_a_fault_exit_the_host_serves(realm):
    addr = REALM_IPA_BASE + REALM_RAM_SIZE - 8
    e = realm.command(RT_CMD_TOUCH, addr, 0x77)
    assert e.populated == 1
    assert report(e, RT_CMD_TOUCH)[0] == 0x77


@pytest.mark.timeout(120)
def test_wfi_exits_only_when_the_host_traps_it(realm):
    e = realm.command(RT_CMD_WFI, flags=ENTER_TRAP_WFI)
    assert e.reason == EXIT_SYNC and e.ec == EC_WFX and e.esr & 3 == 0, e
    report(realm.enter(0), RT_CMD_WFI)


@pytest.mark.timeout(120)
def test_hvc_is_undefined_in_a_realm(realm):
    g = report(realm.command(RT_CMD_HVC), RT_CMD_HVC)
    assert g[RT_REPORT_EXC_COUNT] == 1 and g[RT_REPORT_EXC_ESR] >> 26 == EC_UNKNOWN
    assert REALM_IPA_BASE <= g[RT_REPORT_EXC_ELR] < REALM_IPA_BASE + REALM_RAM_SIZE


@pytest.mark.timeout(120)
def test_id_registers_are_sanitised(realm, nstest):
    pfr0, dfr0, mmfr2, pmcr, zfr0, pfr1 = report(realm.command(RT_CMD_SYSREGS), RT_CMD_SYSREGS)[:6]
    field = lambda v, s: (v >> s) & 0xF
    assert field(pfr0, 32) == 0 and field(pfr0, 44) == 0 and field(pfr0, 40) == 0  # SVE, AMU, MPAM
    assert field(pfr0, 52) == 0 and field(pfr0, 28) == 0 and field(pfr0, 16) != 0xF  # RME, RAS; FP kept
    assert field(pfr1, 24) == 0 and field(pfr1, 8) == 0  # SME, MTE
    assert field(dfr0, 8) == 0 and field(dfr0, 32) == 0  # PMUVer, PMSVer
    p = realmtest_params()  # the realm's RmiRealmParams.num_bps / num_wps
    assert field(dfr0, 12) == int(p["REALMTEST_NUM_BPS"]) and field(dfr0, 20) == int(p["REALMTEST_NUM_WPS"])
    assert field(mmfr2, 52) == 0  # BBM: reference §6.8
    assert pmcr == 0 and zfr0 == 0  # PMU trapped as RAZ/WI; no SVE


@pytest.mark.timeout(120)
def test_virtual_timer_state_is_reported_at_exit(realm):
    cval = 0x7FFF_FFFF_FFFF_0000
    report(realm.command(RT_CMD_VTIMER, cval, 1), RT_CMD_VTIMER)
    e = realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8)
    assert e.timer["cntv_ctl"] & 7 == 1 and e.timer["cntv_cval"] == cval
    assert e.timer["cntp_ctl"] == 0


@pytest.mark.timeout(120)
def test_interrupt_injected_through_a_list_register(realm, nstest):
    nstest.cmd("rlr 0 %x" % (lr(40) | LR_HW))
    assert realm.command(RT_CMD_WAIT_IRQ).ret == RMI_ERROR_REC  # HW = 1: host cannot own a pINTID
    nstest.cmd("rlr 0 %x" % lr(40))
    nstest.cmd("rlr 1 %x" % lr(40))
    assert realm.command(RT_CMD_WAIT_IRQ).ret == RMI_ERROR_REC  # the same vINTID twice
    nstest.cmd("rlr 1 0")
    nstest.cmd("rhcr 1")
    assert realm.command(RT_CMD_WAIT_IRQ).ret == RMI_ERROR_REC  # En is the RMM's bit
    nstest.cmd("rhcr 0")
    e = realm.command(RT_CMD_WAIT_IRQ)
    assert report(e, RT_CMD_WAIT_IRQ)[0] == 40
    assert e.gic["lrs"][0] >> 62 == 0  # taken and EOIed: invalid
    assert e.gic["vmcr"] != 0


@pytest.mark.timeout(120)
def test_physical_interrupt_while_the_realm_runs_is_an_irq_exit(realm, nstest):
    out = nstest.cmd("rirq 0", timeout=60)
    e = parse_exit(out)
    assert e.ret == 0 and e.reason == EXIT_IRQ and e.esr == 0, out
    g = report(realm.enter(0), RT_CMD_SPIN_FLAG)  # the host released the flag
    assert g[0] == 1


@pytest.mark.timeout(120)
def test_host_state_survives_rec_enter(realm, nstest):
    m = nstest.cmd1("rns 0", r"rns ret=(\w+),(\w+) bad=(\d+) d0_between=(\w+) d0_after=(\w+) "
                    r"realm_v0=(\w+) imm=(\w+) sve_vl=(\w+) sve_last=(\w+)", timeout=60)
    ret1, ret2, bad, between, after, v0, imm, vl, last = m.groups()
    # The host's SVE state above 128 bits too (QEMU max: 256-byte vectors): Z1.D = 1, 2, ... VL/8.
    assert int(vl, 16) > 16 and int(last, 16) == int(vl, 16) // 8
    assert ret1 == "0" and ret2 == "0" and bad == "0"
    assert int(between, 16) == 0xFEEDFACECAFEBEEF  # the realm's V0 did not leak into the host
    assert int(after, 16) == 0x0BADC0DE0BADC0DE
    assert int(v0, 16) == 0x1234567890ABCDEF and int(imm, 16) == RT_CMD_FP  # nor the host's into it


@pytest.mark.timeout(120)
def test_psci_cpu_on_runs_the_second_rec_on_another_cpu(realm, nstest):
    e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, 1, REALM_IPA_BASE, 1)
    assert e.reason == EXIT_PSCI and e.gprs[:3] == [PSCI_CPU_ON, 1, 0], e
    assert realm.enter(0).ret == RMI_ERROR_REC  # not until the host completes it
    assert realm.enter(1).ret == RMI_ERROR_REC  # REC 1 is not runnable yet
    rec0, rec1 = realm.info["rec0"], realm.info["rec1"]
    assert nstest.smc(RMI_PSCI_COMPLETE, rec0, rec1, (1 << 64) - 2)[0] == RMI_ERROR_INPUT  # bad status
    assert nstest.smc(RMI_PSCI_COMPLETE, rec0, rec1, 0)[0] == RMI_SUCCESS
    assert report(realm.enter(0), RT_CMD_SMC)[0] == 0  # PSCI_SUCCESS
    nstest.cmd("cpuon 1", timeout=30)
    nstest.cmd("renter_on 1 1 0")
    e = parse_exit(nstest.cmd("rwait 1", timeout=60))
    g = report(e, RT_CMD_READY)
    assert g[0] == 1 and g[RT_REPORT_REC] & 0xFF == 1  # context id, its own MPIDR
    # CPU_ON of a REC that is already on: the RMM answers for the host.
    e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, 0, REALM_IPA_BASE, 0)
    assert report(e, RT_CMD_SMC)[0] == (1 << 64) - 4  # ALREADY_ON (itself)
    e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, 7, REALM_IPA_BASE, 0)
    assert report(e, RT_CMD_SMC)[0] == (1 << 64) - 2  # INVALID_PARAMS: no such REC
    e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, 1, REALM_SHARED_IPA, 0)
    assert report(e, RT_CMD_SMC)[0] == (1 << 64) - 9  # INVALID_ADDRESS: outside the PAR


@pytest.mark.timeout(120)
def test_a_rec_cannot_run_on_two_cpus(realm, nstest):
    nstest.cmd("cpuon 1", timeout=30)
    shared = realm.info["shared"]
    nstest.cmd(f"write {shared + 8:x} 0")
    nstest.cmd(f"renter_on 1 0 0 {RT_CMD_SPIN_FLAG:x} {REALM_SHARED_IPA:x}")
    for _ in range(200):  # until the realm runs on CPU 1
        if nstest.cmd1(f"read {shared + 8:x}", r"val ([0-9a-f]+)").group(1) != "0" * 16:
            break
    else:
        pytest.fail("the REC never started spinning on CPU 1")
    rec0 = realm.info["rec0"]
    for _ in range(3):
        assert realm.enter(0).ret == RMI_ERROR_REC
        assert nstest.smc(RMI_REC_DESTROY, rec0)[0] == RMI_ERROR_REC
    nstest.cmd(f"write {realm.info['shared']:x} 5")
    g = report(parse_exit(nstest.cmd("rwait 1", timeout=60)), RT_CMD_SPIN_FLAG)
    assert g[0] == 5


@pytest.mark.timeout(120)
def test_ripas_change_round_trip(realm, nstest):
    base, top = REALM_IPA_BASE + 0x100000, REALM_IPA_BASE + 0x102000
    e = realm.command(RT_CMD_SMC, RSI_IPA_STATE_SET, base, top, 0, 0)
    assert e.reason == EXIT_RIPAS_CHANGE and e.ripas == (base, top, 0), e
    rd, rec0 = realm.info["rd"], realm.info["rec0"]
    r = nstest.smc(RMI_RTT_SET_RIPAS, rd, rec0, base, top)
    assert r[:2] == [RMI_SUCCESS, top]
    assert report(realm.enter(0), RT_CMD_SMC)[:3] == [RSI_SUCCESS, top, 0]  # ACCEPT
    assert realm.smc(RSI_IPA_STATE_GET, base, top)[:3] == [RSI_SUCCESS, top, 0]  # EMPTY
    assert realm.smc(RSI_IPA_STATE_GET, base - 0x1000, top)[:3] == [RSI_SUCCESS, base, 1]  # RAM first
    # Back to RAM, refused by the host: nothing done, REJECT.
    e = realm.command(RT_CMD_SMC, RSI_IPA_STATE_SET, base, top, 1, 0)
    assert e.reason == EXIT_RIPAS_CHANGE
    assert report(realm.enter(0, ENTER_RIPAS_REJECT), RT_CMD_SMC)[:3] == [RSI_SUCCESS, base, 1]
    # With no request pending, SET_RIPAS is refused.
    assert nstest.smc(RMI_RTT_SET_RIPAS, rd, rec0, base, top)[0] == RMI_ERROR_INPUT


@pytest.mark.timeout(120)
def test_rsi_rejects_bad_arguments(realm):
    base = REALM_IPA_BASE + 0x100000
    for args in ((base + 1, base + 0x1000, 0, 0), (base, base, 0, 0), (base, 0x100000000, 0, 0),
                 (base, base + 0x1000, 2, 0)):
        assert realm.smc(RSI_IPA_STATE_SET, *args)[0] == RSI_ERROR_INPUT, args
    for args in ((base + 8, base + 0x1000), (base, base), (base, 0x80001000)):
        assert realm.smc(RSI_IPA_STATE_GET, *args)[0] == RSI_ERROR_INPUT, args
    for ipa in (REALM_IPA_BASE + 0x10, REALM_SHARED_IPA, REALM_IPA_BASE + REALM_RAM_SIZE):
        assert realm.smc(RSI_HOST_CALL, ipa)[0] == RSI_ERROR_INPUT, hex(ipa)
        assert realm.smc(RSI_REALM_CONFIG, ipa)[0] == RSI_ERROR_INPUT, hex(ipa)
    assert realm.smc(RSI_MEASUREMENT_READ, 5)[0] == RSI_ERROR_INPUT
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 0, 8)[0] == RSI_ERROR_INPUT
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 5, 8)[0] == RSI_ERROR_INPUT
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 1, 65)[0] == RSI_ERROR_INPUT
    # RMM 1.0 B1.2/B1.6: a failed call's outputs and x1..x3 that are not outputs are zero, x4.. kept.
    filler = [0xF1111111_00000000 | i for i in range(1, 8)]
    assert realm.smc(RSI_IPA_STATE_GET, base + 8, base + 0x1000, *filler[2:])[:8] == [RSI_ERROR_INPUT, 0, 0, 0] + filler[3:7]
    assert realm.smc(RSI_MEASUREMENT_READ, 5, *filler[1:])[:9] == [RSI_ERROR_INPUT] + [0] * 8
    assert realm.smc(RSI_FEATURES, 0, *filler[1:])[:5] == [RSI_SUCCESS, 0, 0, 0, filler[3]]


@pytest.mark.timeout(120)
def test_realm_config_and_measurements(realm):
    scratch = realm.ready.gprs[1]
    assert realm.smc(RSI_REALM_CONFIG, scratch)[0] == RSI_SUCCESS
    rd8 = lambda off: report(realm.command(RT_CMD_READ, scratch + off, 8), RT_CMD_READ)[0]
    assert rd8(0) == 32 and rd8(8) == 0  # ipa_width = s2sz, SHA-256
    assert rd8(0x200) == int.from_bytes(bytes(range(0xA0, 0xA8)), "little")  # the host's RPV
    rim = realm.smc(RSI_MEASUREMENT_READ, 0)
    assert rim[0] == RSI_SUCCESS and any(rim[1:5])
    assert realm.smc(RSI_MEASUREMENT_READ, 1)[1:9] == [0] * 8
    data = bytes(range(1, 33))
    words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, 32, 8)]
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 1, 32, *words)[0] == RSI_SUCCESS
    rem = realm.smc(RSI_MEASUREMENT_READ, 1)
    got = b"".join(w.to_bytes(8, "little") for w in rem[1:5])
    assert got == hashlib.sha256(bytes(32) + data).digest()
    # The largest size, 64 bytes in x3..x10, and 0 are valid (issue 12 test audit); 65 is not.
    data64 = bytes(range(64, 128))
    words64 = [int.from_bytes(data64[i:i + 8], "little") for i in range(0, 64, 8)]
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 2, 64, *words64)[0] == RSI_SUCCESS
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 2, 0, *words64)[0] == RSI_SUCCESS
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 2, 65, *words64)[0] == RSI_ERROR_INPUT
    rem = realm.smc(RSI_MEASUREMENT_READ, 2)
    got = b"".join(w.to_bytes(8, "little") for w in rem[1:5])
    assert got == hashlib.sha256(hashlib.sha256(bytes(32) + data64).digest()).digest()


@pytest.mark.timeout(120)
def test_system_off_stops_the_realm_for_good(realm):
    e = realm.command(RT_CMD_SMC, PSCI_SYSTEM_OFF)
    assert e.reason == EXIT_PSCI and e.gprs[0] == PSCI_SYSTEM_OFF and not any(e.gprs[1:]), e
    assert realm.enter(0).ret == RMI_ERROR_REALM | 1 << 8
    assert realm.destroy() == (0, 0)


@pytest.mark.timeout(120)
def test_cpu_off_makes_the_rec_unrunnable(realm):
    e = realm.command(RT_CMD_SMC, PSCI_CPU_OFF)
    assert e.reason == EXIT_PSCI and e.gprs[0] == PSCI_CPU_OFF, e
    assert realm.enter(0).ret == RMI_ERROR_REC


@pytest.mark.timeout(120)
def test_hostile_rec_enter_arguments(realm, nstest):
    i = realm.info
    for rec, run in ((i["rec0"], i["rd"]),          # RecRun that is an RD
                     (i["rec0"], i["aux0"]),        # RecRun that is delegated
                     (i["rec0"], i["run0"] + 8),    # unaligned
                     (i["rd"], i["run0"]),          # an RD used as a REC
                     (i["run0"], i["run0"])):       # an NS granule used as a REC
        assert nstest.smc(RMI_REC_ENTER, rec, run)[0] == RMI_ERROR_INPUT, (hex(rec), hex(run))
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, i["rec0"])[0] == RMI_ERROR_INPUT  # still a REC
    report(realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8), RT_CMD_READ)  # unharmed


@pytest.mark.timeout(180)
def test_teardown_returns_every_granule_zeroed(realm):
    report(realm.command(RT_CMD_TOUCH, REALM_IPA_BASE + 0x180000, 0xDEADBEEF), RT_CMD_TOUCH)
    assert realm.destroy() == (0, 0)


@pytest.mark.timeout(120)
def test_psci_affinity_info_suspend_and_reset(realm, nstest):
    rec0, rec1 = realm.info["rec0"], realm.info["rec1"]
    # AFFINITY_INFO of REC 1 (off): the host completes it, the RMM answers OFF.
    e = realm.command(RT_CMD_SMC, PSCI_AFFINITY_INFO, 1, 0)
    assert e.reason == EXIT_PSCI and e.gprs[:2] == [PSCI_AFFINITY_INFO, 1], e
    assert nstest.smc(RMI_PSCI_COMPLETE, rec0, rec1, 0)[0] == RMI_SUCCESS
    assert report(realm.enter(0), RT_CMD_SMC)[0] == 1  # OFF
    # Itself: ON without an exit; lowest level 1: INVALID_PARAMS.
    assert report(realm.command(RT_CMD_SMC, PSCI_AFFINITY_INFO, 0, 0), RT_CMD_SMC)[0] == 0
    assert report(realm.command(RT_CMD_SMC, PSCI_AFFINITY_INFO, 1, 1), RT_CMD_SMC)[0] == (1 << 64) - 2
    # CPU_SUSPEND: a notification, the realm gets SUCCESS and runs on.
    e = realm.command(RT_CMD_SMC, PSCI_CPU_SUSPEND_64, 0)
    assert e.reason == EXIT_PSCI and e.gprs[0] == PSCI_CPU_SUSPEND_64, e
    assert report(realm.enter(0), RT_CMD_SMC)[0] == 0
    # SYSTEM_RESET: like SYSTEM_OFF, the realm is over (the host rebuilds it).
    e = realm.command(RT_CMD_SMC, PSCI_SYSTEM_RESET)
    assert e.reason == EXIT_PSCI and e.gprs[0] == PSCI_SYSTEM_RESET, e
    assert realm.enter(0).ret == RMI_ERROR_REALM | 1 << 8
    assert realm.enter(1).ret == RMI_ERROR_REALM | 1 << 8
