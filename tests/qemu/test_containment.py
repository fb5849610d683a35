"""Fault containment (docs/partitions.md, "Fault containment"): one boot of
tests/qemu/partitions/containment.dts (RAMPART_BUILD_PART_CONTAIN, from
tests/configs/test_partitions_containment_defconfig), every scenario in its own
partition while `heart` beats every 200 ms on its own CPU.
"""
import re
import time

import pytest

from conftest import Qemu
from test_partitions import partition_build

BOOT_S = 120  # generous: the machine runs several builds and QEMUs at once


@pytest.fixture(scope="session")
def contain_build():
    return partition_build("RAMPART_BUILD_PART_CONTAIN", "build/check/part-contain",
                           "tests/qemu/partitions/containment.dts")


def stream(lines, name):
    return [l[len(name) + 3:] for l in lines if l.startswith(f"[{name}] ")]


def hyp(lines, name):
    return [l for l in lines if l.startswith(f"hyp: partition {name}: ")]


def wait_all(q, patterns, timeout):
    """Every pattern on some NS line, in any order (partitions run concurrently)."""
    regexes = [re.compile(p) for p in patterns]
    end = time.monotonic() + timeout
    while True:
        lines = list(q.lines)
        missing = [r.pattern for r in regexes if not any(r.search(l) for l in lines)]
        if not missing:
            return
        if time.monotonic() > end or q.proc.poll() is not None:
            pytest.fail(f"no {missing} within {timeout} s\n{q.transcript()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def run(tmp_path_factory, contain_build):
    """The boot, up to the last scenario's report and two more heartbeats."""
    q = Qemu(contain_build, tmp_path_factory.mktemp("contain"), "contain")
    try:
        wait_all(q, [r"^\[latency\] latency spinning:", r"^hyp: partition crash: stopped:",
                     r"^hyp: partition hang: stopped:", r"^hyp: partition rtc: stopped:"], BOOT_S)
        beats = len(stream(q.lines, "heart"))
        wait_all(q, [rf"^\[heart\] beat {beats + 1}$"], 30)
        yield q, list(q.lines)
    finally:
        q.kill()

NS_PER_MS = 1_000_000  # the hypervisor says so: "1 tick = 1 ns" (CNTFRQ 1 GHz on QEMU virt)


def test_neighbour_keeps_beating(run):
    q, lines = run
    beats = stream(lines, "heart")
    assert beats[0] == "bmguest heart: up"
    # Consecutive from 0, and still going after every other partition was contained.
    assert beats[1:] == [f"beat {i}" for i in range(len(beats) - 1)]
    last_event = max(i for i, l in enumerate(lines) if l.startswith("hyp: partition ") and ": stopped:" in l)
    assert sum(1 for l in lines[last_event:] if l.startswith("[heart] beat")) >= 2
    assert not [l for l in hyp(lines, "heart")[1:] if "enters its guest" not in l], "heart was never touched"


def test_level_spi_redelivered_after_eoi(run):
    """A level still asserted after the guest's EOI comes again; and after a restart, the level
    the storm left asserted reaches the new run (the physical SPI was left active: it never
    came again before the restart cleared it)."""
    q, lines = run
    levels = [re.fullmatch(r"level: (\d+) deliveries of an alarm left asserted 3 times \((.*)\)", l)
              for l in stream(lines, "rtc") if l.startswith("level: ")]
    assert len(levels) == 2 and all(m and m.group(2) == "re-delivered" for m in levels), levels
    assert int(levels[0].group(1)) == 4
    assert int(levels[1].group(1)) == 5, "the restarted run takes the leftover level first"


def test_spi_follows_guest_irouter(run):
    q, lines = run
    taken = [l for l in stream(lines, "rtc") if l.startswith("irouter: ")]
    assert taken == ["irouter: rtc interrupt taken on vcpu 1 (vcpu 0: 4)",
                     "irouter: rtc interrupt taken on vcpu 1 (vcpu 0: 5)"], taken


def test_interrupt_storm_throttled_then_policy(run):
    q, lines = run
    reports = hyp(lines, "rtc")
    storm = [l for l in reports if "interrupt storm" in l]
    what = "hyp: partition rtc: interrupt storm (INTID 34 over the budget of 50 per window in 3 windows in a row): "
    assert storm == [what + "partition restarted (restart 1 of 1)",
                     what + "restart limit (1) reached: partition stopped for good"], reports
    m = [re.search(r"stopped: 2 faults, 1 restarts .* (\d+) passthrough interrupts \((\d+) windows throttled\)", l)
         for l in reports if ": stopped:" in l]
    assert len(m) == 1 and m[0], reports
    # Rate-limited first: three windows over the budget of 50 in each run, so at least 300, and bounded.
    assert int(m[0].group(2)) == 6 and 300 <= int(m[0].group(1)) < 2000, reports[-1]
    assert reports[-1].startswith("hyp: partition rtc: stopped:"), "nothing from rtc after its stop"


def test_watchdog_restarts_a_masked_hang_then_limit_stops_it(run):
    q, lines = run
    assert stream(lines, "hang") == ["bmguest hang: up",
                                     "hang: 5 of 5 kicks accepted; hanging with interrupts masked"] * 2
    reports = hyp(lines, "hang")[1:]  # after the build line
    reports = [l for l in reports if "enters its guest" not in l]
    assert reports[0] == ("hyp: partition hang: watchdog expired (no kick for 1000 ms, 5 kicks so far): "
                          "partition restarted (restart 1 of 1)")
    assert reports[1] == ("hyp: partition hang: watchdog expired (no kick for 1000 ms, 10 kicks so far): "
                          "restart limit (1) reached: partition stopped for good")
    assert reports[2].startswith("hyp: partition hang: stopped: 2 faults, 1 restarts by its policy, watchdog "
                                 "10 kicks and 2 expiries"), reports
    assert len(reports) == 3


def test_crash_loop_backs_off_then_stays_stopped(run):
    q, lines = run
    at = [int(l.split()[-1]) for l in stream(lines, "crash") if l.startswith("crash at counter ")]
    reports = [l for l in hyp(lines, "crash") if "data abort" in l or "restart limit" in l or ": stopped:" in l]
    expect = ["partition restarted in 100 ms (restart 1 of 3)", "partition restarted in 200 ms (restart 2 of 3)",
              "partition restarted in 400 ms (restart 3 of 3)",
              "restart limit (3) reached: partition stopped for good"]
    assert [r.split("): ", 1)[1] for r in reports[:4]] == expect, reports
    assert reports[4].startswith("hyp: partition crash: stopped: 4 faults, 3 restarts by its policy") and \
        len(reports) == 5, reports
    # Four boots, each at least the back-off after the previous crash.
    assert len(at) == 4
    gaps = [b - a for a, b in zip(at, at[1:])]
    assert all(g >= ms * NS_PER_MS for g, ms in zip(gaps, (100, 200, 400))), gaps


LATENCY = re.compile(r"latency (idle|spinning): (\d+) samples, mean (\d+) us, max (\d+) us")


def test_smc_spinning_neighbour_does_not_starve(run):
    q, lines = run
    got = {}
    for l in stream(lines, "latency"):
        m = LATENCY.match(l)
        if m:
            got[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
    idle, busy = got["idle"], got["spinning"]
    smcs = int(re.search(r"(\d+) neighbour SMCs meanwhile",
                         [l for l in stream(lines, "latency") if "spinning" in l][0]).group(1))
    print(f"vtimer latency idle neighbour: mean {idle[1]} us max {idle[2]} us; "
          f"SMC-spinning neighbour ({smcs} calls): mean {busy[1]} us max {busy[2]} us")
    assert idle[0] == busy[0] == 200, got
    assert smcs > 1000, "the neighbour did spin"
    # Each partition owns its CPUs: the spinner's exits are served on its own CPU. What is left
    # is the host's: 7 QEMU vCPU threads on 2 host cores, shared with other jobs. Bounds generous.
    assert busy[1] <= 5 * idle[1] + 20_000, got
    assert busy[2] < 500_000, got
