"""Security review findings (issue 12): what a hostile Normal world must never get from a realm.

Each test drives nstest (the NS test host) and, where a realm is needed, realmtest through
tests/qemu/realm_host.py.
"""
import re

import pytest

from abi import (ESR_EC_DABT_CUR, ESR_FSC_GPF, ESR_FSC_MASK, GRANULE, PSCI_VERSION, RMI_ABI_1_0,
                 RMI_GRANULE_DELEGATE, RMI_VERSION, SMCCC_VERSION, esr_ec)
from realm_host import *  # noqa: F401,F403

RMI_RTT_READ_ENTRY = 0xC4000161
RMI_ASSIGNED = 1
SECRET = 0x5EC12E7_0DDBA11


def report(e, cmd):
    assert e.ret == 0 and e.reason == EXIT_HOST_CALL and e.imm == cmd, e
    return e.gprs


def probe(q, pa):
    """('val', value) or ('fault', esr) for an NS read of pa."""
    out = q.cmd(f"read {pa:x}")
    assert len(out) == 1, out
    m = re.fullmatch(r"val ([0-9a-f]{16})", out[0])
    if m:
        return "val", int(m.group(1), 16)
    m = re.fullmatch(r"fault esr=([0-9a-f]{16}) far=[0-9a-f]{16}", out[0])
    assert m, out
    return "fault", int(m.group(1), 16)


def realm_pool(q):
    """The realm host's pool range, from rinfo."""
    for line in q.cmd("rinfo"):
        m = re.search(r"pool=([0-9a-f]+)-([0-9a-f]+)", line)
        if m:
            return int(m.group(1), 16), int(m.group(2), 16)
    pytest.fail("rinfo printed no pool range")


@pytest.mark.timeout(240)
def test_realm_memory_does_not_survive_a_system_reset(nstest):
    """Finding 1: after SYSTEM_RESET no granule that was Realm holds anything the realm wrote."""
    realm = RealmHost(nstest).build()
    realm.boot()
    ipa = REALM_IPA_BASE + 0x180000
    assert report(realm.command(RT_CMD_TOUCH, ipa, SECRET), RT_CMD_TOUCH)[0] == SECRET
    x = nstest.smc(RMI_RTT_READ_ENTRY, realm.info["rd"], ipa, 3)
    assert x[0] == RMI_SUCCESS and x[2] == RMI_ASSIGNED, x
    pa = x[3] + (ipa & (GRANULE - 1))
    kind, esr = probe(nstest, pa)
    assert kind == "fault" and esr_ec(esr) == ESR_EC_DABT_CUR and esr & ESR_FSC_MASK == ESR_FSC_GPF, hex(esr)

    # Every granule of the realm (RD, RECs and their aux granules, RTTs, DATA) is Realm now.
    lo, hi = realm_pool(nstest)
    realm_granules = [g for g in range(lo, hi, GRANULE) if probe(nstest, g)[0] == "fault"]
    assert pa & ~(GRANULE - 1) in realm_granules and len(realm_granules) > 40

    nstest.send("reset")
    nstest.wait_for(r"^nstest: ready$", 60)
    assert probe(nstest, pa) == ("val", 0)
    dirty = [hex(g) for g in realm_granules if nstest.cmd(f"zero? {g:x}") != ["zero yes"]]
    assert not dirty, f"granules that were Realm still hold data after the reset: {dirty}"
    # The monitor found exactly the realm's granules in the previous boot's GPT and zeroed them.
    m = nstest.wait_secure(r"^monitor: reset scrub: (\d+) granules were Realm")
    assert int(m.group(1)) == len(realm_granules), nstest.secure_log()
    # The firmware works as after any cold boot, and nstest itself (reloaded by QEMU) is intact.
    assert nstest.smc(RMI_GRANULE_DELEGATE, pa & ~(GRANULE - 1))[0] == RMI_SUCCESS


@pytest.mark.timeout(60)
def test_root_only_devices_are_root_in_the_gpt(nstest, external_build):
    """Defence in depth: the secure UART and the power/reset GPIO are EL3's alone (GPI ROOT)."""
    for what in ("UART_SECURE_BASE", "SECURE_GPIO_BASE"):
        pa = external_build.num(what)
        kind, esr = probe(nstest, pa)
        assert kind == "fault" and esr & ESR_FSC_MASK == ESR_FSC_GPF, f"{what}: {kind} 0x{esr:x}"
    # The monitor still logs (secure UART) and powers off (GPIO): QEMU exits with status 0.
    nstest.send("off")
    assert nstest.wait_exit(10) == 0
    assert "monitor: system off" in nstest.secure_log()


@pytest.mark.timeout(60)
def test_smc_from_aarch32_is_unknown(nstest):
    """Finding 5: an SMC from AArch32 EL1 gets SMC_UNKNOWN; the monitor carries on."""
    for fid in (PSCI_VERSION, SMCCC_VERSION, 0x84000002, 0xC4000150):
        nstest.cmd1(f"a32smc {fid:x}", r"a32smc r0=ffffffff")
    assert nstest.smc(PSCI_VERSION)[0] == 0x10001
    assert nstest.smc(RMI_VERSION, RMI_ABI_1_0)[0] == RMI_SUCCESS


@pytest.mark.timeout(120)
@pytest.mark.parametrize("pvpanic", [True, False], ids=["pvpanic", "no-pvpanic"])
def test_an_rmm_panic_stops_every_cpu(nstest_factory, external_build, pvpanic):
    """Finding 6: a fatal error in the RMM stops every CPU in EL3 and ends QEMU with status 1.

    The host leaves SME streaming mode on, so the RMM's SHA-256 in REALM_CREATE (with its RD
    and measurement state locked) takes an exception at R-EL2: a real, host-triggerable panic.
    """
    q = nstest_factory(pvpanic=pvpanic)
    ncpus = external_build.num("NR_CPUS")
    for cpu in range(1, ncpus):
        q.cmd1(f"cpuon {cpu:x}", rf"cpuon {cpu} rc=0 online=yes", 20)
    if q.cmd("smstart") != ["smstart ok"]:
        pytest.skip("the CPU has no SME")
    q.send("rbuild")
    m = q.wait_secure(r"^monitor: fatal error in the RMM: system stopped, (\d+) of (\d+) other running "
                      r"CPUs parked$", 30)
    assert m.groups() == (str(ncpus - 1), str(ncpus - 1)), q.secure_log()
    assert re.search(r"^rmm: PANIC on cpu 0: unexpected exception at R-EL2", q.secure_log(), re.M)
    if pvpanic:
        assert q.wait_exit(20) == 1  # QEMU's pvpanic, -action panic=exit-failure
    else:
        with pytest.raises(Exception):
            q.proc.wait(3)  # stopped, not exited: nothing runs, QEMU waits
        assert not [l for l in q.lines if l.startswith("rbuild")], q.transcript()


@pytest.mark.timeout(120)
def test_host_breakpoints_and_watchpoints_never_fire_in_a_realm(nstest):
    """Finding 2: the host's self-hosted debug state is off while a realm runs, and kept."""
    realm = RealmHost(nstest).build()
    scratch = realm.boot().gprs[1]
    m = nstest.cmd1(f"rdebug 0 {scratch:x}", r"rdebug ret=(\w+) reason=(\w+) probe=(\w+) "
                    r"realm_exceptions=(\d+) esr=(\w+) host_kept=(\d+)", timeout=60)
    ret, reason, probe, exceptions, esr, kept = m.groups()
    assert ret == "0" and int(reason, 16) == EXIT_HOST_CALL
    assert REALM_IPA_BASE <= int(probe, 16) < REALM_IPA_BASE + REALM_RAM_SIZE
    assert exceptions == "0", f"a host watchpoint or breakpoint fired in the realm (last ESR {esr})"
    assert kept == "5"  # MDSCR_EL1, DBGBCR0/DBGBVR0, DBGWCR0/DBGWVR0 as the host left them


@pytest.mark.timeout(180)
def test_host_pmu_counts_neither_the_realm_nor_the_rmm(nstest_factory):
    """Finding 3: across REC_ENTER the host's counters see its own EL2 instructions only."""
    q = nstest_factory(extra_args=["-icount", "shift=0,sleep=off"], smp=1)
    realm = RealmHost(q).build()
    realm.boot()
    out = q.cmd("rpmu 0 186a0", timeout=120)  # the realm loops 100000 times
    counts = {m.group(1): tuple(map(int, m.groups()[1:])) for m in
              (re.fullmatch(r"rpmu (\w+) el01=(\d+) el2=(\d+) cyc=(\d+)", l) for l in out) if m}
    ext = re.fullmatch(r"rpmu exit ret=(\w+) reason=(\w+) imm=(\w+) pmcr=(\w+) cnten=(\w+)", out[-1])
    assert ext and ext.group(1) == "0" and int(ext.group(2), 16) == EXIT_HOST_CALL, out
    assert int(ext.group(3), 16) == RT_CMD_LOOP
    assert int(ext.group(4), 16) & 1 and int(ext.group(5), 16) == (1 << 31) | 3  # host PMU kept
    el01, el2, cyc = counts["rec_enter"]
    base01, base2, basecyc = counts["rmi_version"]
    assert base2 > 0, out  # the counters work: the host's own EL2 instructions
    assert el01 == 0, f"the host counted {el01} realm EL0/EL1 instructions"
    assert el2 == base2, f"EL2 instructions across REC_ENTER {el2}, across RMI_VERSION {base2}: RMM work"
    assert cyc == 0 and basecyc == 0 and base01 == 0, out
