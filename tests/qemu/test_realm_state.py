"""REC world switch and exit (issue 12, test audit): nothing of a realm's state reaches the host,
nothing of the host's reaches the realm, and a REC's state is what the specification says after
PSCI, interrupts and races.

nstest builds a realm around tests/guests/realmtest (tests/qemu/realm_host.py).
"""
import re

import pytest

from realm_host import *  # noqa: F401,F403


def report(e, cmd):
    assert e.ret == 0 and e.reason == EXIT_HOST_CALL and e.imm == cmd, e
    return e.gprs


@pytest.fixture
def realm(nstest):
    r = RealmHost(nstest).build()
    r.ready = r.boot()
    return r


@pytest.mark.timeout(120)
def test_every_switched_register_survives_rec_exits(realm, nstest):
    """All 37 EL1/EL0 registers of docs/realms.md (and MDSCR_EL1), all 18 EL2 guest-group
    registers (and the FGT/HCRX ones, VDISR_EL2): the host's, after exits of a realm that wrote
    its own value into every register it can; and the realm's, after the host ran."""
    out = nstest.cmd("rregs 0", timeout=60)
    m = re.fullmatch(r"rregs ret=(\w+),(\w+) imm=(\w+) el1=(\d+) el2=(\d+) el1_bad=(\d+) el2_bad=(\d+) "
                     r"realm_lost=(\w+) realm_disr=(\w+)", out[-1])
    assert m, out
    r1, r2, imm, n1, n2, bad1, bad2, lost, disr = m.groups()
    assert r1 == "0" and r2 == "0" and int(imm, 16) == RT_CMD_DIRTY
    assert int(n1) == 38 and int(n2) == 25
    assert out[:-1] == [], "host registers the realm's run changed:\n" + "\n".join(out[:-1])
    assert bad1 == "0" and bad2 == "0"
    assert lost == "0", f"realm registers lost across the exit: mask 0x{lost}"
    assert disr == "0", f"the realm read the host's VDISR_EL2 as its DISR_EL1: 0x{disr}"


ICH_HCR_EN, ICH_HCR_VSGIEOICOUNT, ICH_HCR_DVIM, ICH_HCR_TDIR = 1, 1 << 8, 1 << 15, 1 << 14
LR_STATE_SHIFT, LR_PENDING_STATE, LR_ACTIVE_STATE = 62, 1, 2


def gicregs(q):
    m = q.cmd1("gicregs", r"gicregs lrs=(\w+),(\w+),(\w+),(\w+) ap0r0=(\w+) ap1r0=(\w+) hcr=(\w+)")
    v = [int(x, 16) for x in m.groups()]
    return {"lrs": v[:4], "ap0r0": v[4], "ap1r0": v[5], "hcr": v[6]}


@pytest.mark.timeout(120)
def test_gic_state_at_exit_is_the_recs_and_the_hardware_is_clean(realm, nstest):
    """The exit reports the REC's list registers and only the host's ICH_HCR bits; the hardware's
    list registers and active priorities are zero after the exit; the REC's come back at entry."""
    intid, lr = 41, (1 << 62) | (1 << 60) | (0xA0 << 48) | 41  # pending, Group 1, priority 0xa0
    nstest.cmd(f"rlr 0 {lr:x}")
    nstest.cmd(f"rhcr {ICH_HCR_TDIR:x}")
    e = realm.command(RT_CMD_ACK_IRQ)
    g = report(e, RT_CMD_ACK_IRQ)
    assert g[0] == intid and g[1] != 0  # taken, not EOIed: an active priority
    assert e.gic["lrs"][0] >> LR_STATE_SHIFT == LR_ACTIVE_STATE and e.gic["lrs"][0] & 0xFFFFFFFF == intid
    assert e.gic["lrs"][1:] == [0, 0, 0]
    assert e.gic["hcr"] == ICH_HCR_TDIR  # the host's bits, EOIcount 0; never En, vSGIEOICount, DVIM
    hw = gicregs(nstest)
    assert hw["lrs"] == [0, 0, 0, 0] and hw["ap0r0"] == 0 and hw["ap1r0"] == 0, hw
    # The REC's active priority is back when it runs again: its EOI drops it.
    e = realm.command(RT_CMD_EOI, intid)
    g = report(e, RT_CMD_EOI)
    assert g[0] != 0 and g[1] == 0, g[:2]
    assert e.gic["lrs"][0] >> LR_STATE_SHIFT == 0 and e.gic["hcr"] == ICH_HCR_TDIR
    hw = gicregs(nstest)
    assert hw["lrs"] == [0, 0, 0, 0] and hw["ap1r0"] == 0, hw
    nstest.cmd("rhcr 0")


@pytest.mark.timeout(120)
def test_a_stage1_walk_into_unprotected_memory_is_an_injected_abort(realm):
    """The realm's stage-1 table for VA 0 sits at an unprotected IPA: the walk's stage-2 abort
    (S1PTW) is an SEA in the realm, not an exit the host could answer with table entries."""
    e = realm.command(RT_CMD_S1PTW, REALM_MMIO_IPA)
    g = report(e, RT_CMD_S1PTW)  # no SYNC exit in between
    esr = g[RT_REPORT_EXC_ESR]
    assert g[RT_REPORT_EXC_COUNT] == 1 and esr >> 26 == 0x25 and esr & 0x3F == 0x10, hex(esr)
    assert g[RT_REPORT_EXC_FAR] == RT_S1PTW_VA
    report(realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8), RT_CMD_READ)  # the realm runs on


REC_SCTLR_EL1_RESET = 0x30D50800  # rmm/rec.h
RMI_PSCI_COMPLETE = 0xC4000164
PSCI_CPU_ON, PSCI_CPU_OFF = 0xC4000003, 0x84000002


@pytest.mark.timeout(180)
def test_cpu_on_resets_a_rec_that_ran_before(realm, nstest):
    """PSCI_COMPLETE of a CPU_ON resets the target REC's EL1 state, also when it ran before."""
    rec0, rec1 = realm.info["rec0"], realm.info["rec1"]

    def cpu_on_rec1():
        e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, 1, REALM_IPA_BASE, 1)
        assert e.reason == EXIT_PSCI and e.gprs[:2] == [PSCI_CPU_ON, 1], e
        assert nstest.smc(RMI_PSCI_COMPLETE, rec0, rec1, 0)[0] == RMI_SUCCESS
        assert report(realm.enter(0), RT_CMD_SMC)[0] == 0
        assert report(realm.enter(1), RT_CMD_READY)[0] == 1  # context id
        return report(realm.command(RT_CMD_EL1_LEFT, rec=1), RT_CMD_EL1_LEFT)

    g = cpu_on_rec1()
    assert g[:2] == [0, REC_SCTLR_EL1_RESET], [hex(v) for v in g[:2]]
    # REC 1 gives every EL1/EL0 register a value of its own, then turns itself off.
    assert realm.command(RT_CMD_DIRTY, rec=1).imm == RT_CMD_DIRTY
    assert report(realm.enter(1), RT_CMD_DIRTY)[0] == 0
    left = report(realm.command(RT_CMD_EL1_LEFT, rec=1), RT_CMD_EL1_LEFT)[0]
    assert bin(left).count("1") >= 30  # what a reset has to clear
    e = realm.command(RT_CMD_SMC, PSCI_CPU_OFF, rec=1)
    assert e.reason == EXIT_PSCI and e.gprs[0] == PSCI_CPU_OFF
    assert realm.enter(1).ret == RMI_ERROR_REC
    g = cpu_on_rec1()
    assert g[0] == 0, f"registers left from before CPU_OFF: mask 0x{g[0]:x}"
    assert g[1] == REC_SCTLR_EL1_RESET


@pytest.mark.timeout(240)
def test_two_cpus_entering_one_rec_at_once_exactly_one_wins(realm, nstest, external_build):
    """The REC is claimed under its lock: of CPUs racing into REC_ENTER, exactly one runs it."""
    ncpus = external_build.num("NR_CPUS")
    for cpu in range(1, ncpus):
        nstest.cmd1(f"cpuon {cpu:x}", rf"cpuon {cpu} rc=0 online=yes", 20)
    rounds = 100
    m = nstest.cmd1(f"rrace 0 {rounds:x}", r"rrace cpus=(\d+) rounds=(\d+) one_winner=(\d+) most_winners=(\d+) "
                    r"bad_exits=(\d+) other_errors=(\d+)", timeout=180)
    cpus, done, one, most, bad, other = map(int, m.groups())
    assert cpus == ncpus - 1 and done == rounds
    assert (one, most, bad, other) == (rounds, 1, 0, 0), m.group(0)
    report(realm.command(RT_CMD_READ, REALM_SHARED_IPA, 8), RT_CMD_READ)  # the REC is whole


@pytest.mark.timeout(120)
def test_actlr_and_ras_error_records_are_not_the_realms(realm):
    """ACTLR_EL1 (HCR_EL2.TACR) and the RAS error records (TERR) trap: read as zero, no exception.
    (QEMU's are zero anyway; on hardware the host's ACTLR_EL1 is IMPLEMENTATION DEFINED.)"""
    g = report(realm.command(RT_CMD_SYSREGS), RT_CMD_SYSREGS)
    assert g[6] == 0 and g[7] == 0 and g[RT_REPORT_EXC_COUNT] == 0, [hex(v) for v in g[:8]]
