"""Failures of the built-in hypervisor: what stops, and what QEMU's exit status says.

Builds (see `make check`):
  RAMPART_BUILD_PART_BOOTFAIL from tests/configs/test_partitions_bootfail_defconfig
    (tests/qemu/partitions/bootfail.dts; beta's stage 2 is one table page short of its RAM,
    CONFIG_HYP_TEST_S2_POOL_SHORT, as a table the compiler refuses would be);
  RAMPART_BUILD_HYP_PANIC from tests/configs/test_hyp_panic_defconfig (isolation.dts, and
    CONFIG_HYP_TEST_PANIC: hyp_panic() on CPU 0 once every partition has started);
  RAMPART_BUILD_PART_LIMITS from tests/configs/test_partitions_limits_defconfig (limits.dts: legal
    trees at the limits, which must boot).
"""
import re
import subprocess

import pytest

from conftest import Build, _build_dir
from util import assert_in_order


def failure_build(env, default, option):
    build = Build(_build_dir(env, default), "builtin")
    build.image("rampart.bin")
    key, _, value = option.partition("=")
    if build.config.get(key) != value:
        pytest.fail(f"{build.path} is not built with CONFIG_{option}", pytrace=False)
    return build


@pytest.fixture(scope="session")
def bootfail_build():
    return failure_build("RAMPART_BUILD_PART_BOOTFAIL", "build/check/part-bootfail", "HYP_TEST_S2_POOL_SHORT=beta")


@pytest.fixture(scope="session")
def panic_build():
    return failure_build("RAMPART_BUILD_HYP_PANIC", "build/check/hyp-panic", "HYP_TEST_PANIC=y")


@pytest.mark.timeout(60)
def test_a_partition_that_cannot_be_built_stops_alone(qemu, bootfail_build):
    """It used to be a hypervisor panic that took every partition down. beta's policy is
    reset-system: the system is not reset (the same table would fail the same way)."""
    q = qemu(bootfail_build, "bootfail")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    text = "\n".join(q.lines)
    assert_in_order(text, [
        r"^hyp: TEST ONLY: partition beta gets 1 stage-2 table page instead of 16$",
        r"^hyp: partition beta: cannot map RAM IPA 0x40000000\+0x1000000: no stage-2 table page left "
        r"\(CONFIG_HYP_S2_TABLE_PAGES\) \(error -3\)$",
        r"^hyp: partition beta: cannot be built \(its stage 2 cannot be mapped\): stopped, whatever its fault "
        r"policy \(a restart or a system reset would fail the same way\)$",
        r"^hyp: 2 partition\(s\) started",
    ])
    for name in ("alpha", "gamma"):
        stream = [l for l in q.lines if l.startswith(f"[{name}] ")]
        assert stream == [f"[{name}] bmguest {name}: up"] + [f"[{name}] tick {i}" for i in range(3)] + \
            [f"[{name}] bmguest {name}: done"], stream
    assert not [l for l in q.lines if l.startswith("[beta]") or "partition beta: vCPU" in l]
    assert not [l for l in q.lines if "PANIC" in l]
    # Booted once, powered off once: never reset.
    log = q.secure_log()
    assert len(re.findall(r"^monitor: entering NS-EL2", log, re.M)) == 1, log
    assert re.search(r"^monitor: system off", log, re.M) and "monitor: system reset" not in log, log


@pytest.mark.timeout(60)
@pytest.mark.parametrize("pvpanic", [True, False], ids=["pvpanic", "no-pvpanic"])
def test_a_hypervisor_panic_stops_every_cpu_and_fails(qemu, panic_build, pvpanic):
    """hyp_panic() asks the monitor for the fatal stop (RAMPART_SIP_HYP_FATAL): every CPU parks in
    EL3 and QEMU exits with status 1. It used to power off (PSCI SYSTEM_OFF): status 0."""
    q = qemu(panic_build, "panic", pvpanic=pvpanic)
    q.wait_for(r"^hyp: PANIC on cpu 0: TEST ONLY: CONFIG_HYP_TEST_PANIC, with every partition started$", 40)
    m = q.wait_secure(r"^monitor: fatal error in the hypervisor: system stopped, (\d+) of (\d+) other running "
                      r"CPUs parked$", 20)
    assert m.groups() == ("3", "3"), q.secure_log()
    if pvpanic:
        assert q.wait_exit(20) == 1  # -device pvpanic-pci -action panic=exit-failure
    else:
        with pytest.raises(Exception):
            q.proc.wait(3)  # stopped, not exited: a script never sees status 0
    assert "monitor: system off" not in q.secure_log()


RAMPART_SIP_HYP_FATAL = 0xC2000001


@pytest.mark.timeout(60)
def test_ns_el2_fatal_call_stops_the_machine(nstest, external_build):
    """The monitor's side of the call, from the external NS-EL2 payload: the same stop as an RMM
    panic (4 CPUs: the others are online first, so that they must be parked)."""
    ncpus = external_build.num("NR_CPUS")
    for cpu in range(1, ncpus):
        nstest.cmd1(f"cpuon {cpu:x}", rf"cpuon {cpu} rc=0 online=yes", 20)
    nstest.send(f"smc {RAMPART_SIP_HYP_FATAL:x}")
    m = nstest.wait_secure(r"^monitor: fatal error in the hypervisor: system stopped, (\d+) of (\d+) other "
                           r"running CPUs parked$", 20)
    assert m.groups() == (str(ncpus - 1), str(ncpus - 1))
    assert nstest.wait_exit(20) == 1
    assert not [l for l in nstest.lines if l.startswith("ret ")], "the call never returns"


@pytest.fixture(scope="session")
def limits_build():
    return failure_build("RAMPART_BUILD_PART_LIMITS", "build/check/part-limits",
                         "HYP_PARTITIONS_DTS=tests/qemu/partitions/limits.dts")


@pytest.mark.timeout(60)
def test_legal_trees_at_the_limits_boot(qemu, limits_build):
    """Whatever the compiler accepts boots: five flash partitions, RAM ending at 2^39, eight shared
    regions in eight GiBs (19 stage-2 table pages), a partition labelled "partitions"."""
    parts = limits_build.path / "partitions"
    flash = (parts / "flash-images.list").read_text().splitlines()
    assert len(flash) == 1 and flash[0].startswith("0x58000000 "), flash  # one package entry for five
    assert subprocess.run(["fdtget", str(parts / "partitions.dtb"), "/", "model"], capture_output=True,
                          text=True).stdout.strip() == "Rampart partition partitions"
    q = qemu(limits_build, "limits")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    assert "[alpha] read 0x7ffffffff8 = 0x0" in q.lines
    assert "[partitions] read 0x900000000 = 0x0" in q.lines
    for name in ("alpha", "partitions", "gamma", "delta", "epsilon"):
        assert f"[{name}] bmguest {name}: done" in q.lines, q.transcript()
    assert not [l for l in q.lines if "cannot" in l or "PANIC" in l]


def test_one_table_page_less_is_a_build_error(limits_build, tmp_path):
    """The pool the configuration gives is exactly what the tree needs: with 18 pages partc names
    the region that does not fit (the hypervisor used to panic at boot)."""
    platform = (limits_build.path / "tools" / "partc.platform").read_text().split()
    i = platform.index("--s2-table-pages")
    platform[i + 1] = "18"
    parts = limits_build.path / "partitions"
    r = subprocess.run([str(limits_build.path / "tools" / "partc")] + platform +
                       ["--image-path", str(limits_build.path), "--source", "limits.dts",
                        "--source-types", str(parts / "partitions.tree.dts"), "--check",
                        str(parts / "partitions.tree.dtb")], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (1, (
        "partc: limits.dts: /partitions/ivc7: property 'memory': IPA [0x900000000-0x90000ffff] takes "
        "partition@0's stage 2 to 19 table pages, more than the 18 the hypervisor has per partition "
        "(CONFIG_HYP_S2_TABLE_PAGES: a page for the root, one per GiB of IPA used, one per 2 MiB not mapped as a "
        "whole block); raise it, or put the regions in fewer GiBs of IPA, 2 MiB aligned\n"))
