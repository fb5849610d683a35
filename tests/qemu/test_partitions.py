"""Static partitions of the built-in hypervisor, with tests/guests/bmguest as the guest.

Builds (see `make check`): RAMPART_BUILD_PART_ISOLATION from
tests/configs/test_partitions_isolation_defconfig (tests/qemu/partitions/isolation.dts),
RAMPART_BUILD_PART_RESET from tests/configs/test_partitions_reset_defconfig (reset.dts),
RAMPART_BUILD_DEFAULT from configs/qemu_virt_rme_defconfig (the `make run` demo).
"""
import re
import time

import pytest

from conftest import Build, _build_dir


def partition_build(env, default, dts):
    build = Build(_build_dir(env, default), "builtin")
    build.image("rampart.bin")
    if build.config.get("HYP_PARTITIONS_DTS") != dts:
        pytest.fail(f"{build.path} is not built from {dts}", pytrace=False)
    return build


@pytest.fixture(scope="session")
def isolation_build():
    return partition_build("RAMPART_BUILD_PART_ISOLATION", "build/check/part-isolation",
                           "tests/qemu/partitions/isolation.dts")


@pytest.fixture(scope="session")
def reset_build():
    return partition_build("RAMPART_BUILD_PART_RESET", "build/check/part-reset",
                           "tests/qemu/partitions/reset.dts")


@pytest.fixture(scope="session")
def default_build():
    return partition_build("RAMPART_BUILD_DEFAULT", "build/check/default",
                           "configs/qemu_virt_rme/partitions.dts")


@pytest.mark.timeout(60)
def test_isolation_cpu_on_and_separate_consoles(qemu, isolation_build):
    # The three partitions run concurrently: wait for the end, then check each
    # partition's own stream in order (lines of different partitions interleave freely).
    q = qemu(isolation_build, "isolation")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    lines = q.lines

    def stream(name):
        return [l[len(name) + 3:] for l in lines if l.startswith(f"[{name}] ")]

    # alpha keeps running while beta is stopped, and ends with its own SYSTEM_OFF.
    # Its last words have no newline: they still reach the console when it stops.
    assert stream("alpha") == (["bmguest alpha: up"] + [f"tick {i}" for i in range(5)] +
                               ["bmguest alpha: done", "no-newline"])
    # beta reads an IPA it does not own: stopped by its policy, reported once, never completes.
    assert stream("beta") == ["bmguest beta: up", "reading 0x42000000"]
    faults = [l for l in lines if l.startswith("hyp: partition beta: data abort")]
    assert len(faults) == 1, "a fault is reported once"
    m = re.match(r"hyp: partition beta: data abort outside its memory and devices at 0x42000000 "
                 r"\(ESR 0x([0-9a-f]+), vcpu 0, PC 0x[0-9a-f]+\): partition stopped$", faults[0])
    assert m, faults[0]
    assert int(m.group(1), 16) >> 26 == 0x24, "not a lower-EL data abort"
    # gamma: PSCI inside a 2-vCPU partition, with PSCI's refusals.
    assert stream("gamma") == ["bmguest gamma: up", "bmguest: vcpu 1 up", "cpu_on(1) = 0", "cpu_on(7) = -2",
                               "cpu_on(1, outside RAM) = -9", "cpu_on(1, RAM end) = -9", "affinity_info(1) = 1",
                               "bmguest gamma: done"]
    assert not any("partition alpha: data abort" in l or "partition gamma: data abort" in l for l in lines)
    assert "hyp: partition gamma: system off" in lines and "hyp: partition alpha: system off" in lines


@pytest.mark.timeout(60)
def test_partition_reset_restarts_only_that_partition(qemu, reset_build):
    q = qemu(reset_build, "reset")
    q.wait_for(r"^\[echo\] tick 0$", 20)
    # Both loop until their reports stop (after the fourth): then the counts below are exact.
    deadline = time.monotonic() + 40
    stops = {"hyp: partition delta: further power events are counted, not reported",
             "hyp: partition zeta: further faults are counted, not reported"}
    while not stops <= set(q.lines) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stops <= set(q.lines), q.transcript()
    q.wait_for(r"^\[echo\] tick 1$", 20)
    q.kill()
    lines = q.lines
    assert sum(l == "[echo] bmguest echo: up" for l in lines) == 1, "echo must not restart"
    # A guest in a reset loop cannot flood the console with hypervisor lines: four reports,
    # then one line that says so, however often it goes on (a fifth reset gave that line).
    assert sum(l == "hyp: partition delta: system reset: restarting it" for l in lines) == 4
    assert sum(l == "[delta] bmguest delta: up" for l in lines) >= 5
    # zeta faults on every run: its policy restarts it, the reports stop after four.
    faults = [l for l in lines if l.startswith("hyp: partition zeta: data abort")]
    assert len(faults) == 4 and all(l.endswith(": partition restarted") for l in faults), faults
    assert sum(l == "[zeta] bmguest zeta: up" for l in lines) >= 5


@pytest.fixture(scope="session")
def irq_build():
    return partition_build("RAMPART_BUILD_PART_IRQ", "build/check/part-irq", "tests/qemu/partitions/irq.dts")


@pytest.mark.timeout(60)
def test_timer_ppi_and_sgi_through_the_vgic(qemu, irq_build):
    q = qemu(irq_build, "irq")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    lines = q.lines
    # PSCI 1.1 and SMCCC 1.2 by HVC and by the trapped SMC alike; unknown calls, the SMC64 form of an
    # SMC32-only function and a function ID above 32 bits get NOT_SUPPORTED (-1). Then the virtual
    # timer fires once (one-shot), after its deadline, through the vGIC.
    calls = "version 0x10001 smccc 0x10002 features 0 -1 unknown -1 -1 -1 -1"
    assert [l for l in lines if l.startswith("[tic] ")] == [
        "[tic] bmguest tic: up", f"[tic] calls hvc: {calls}", f"[tic] calls smc: {calls}",
        "[tic] timer irq 27: taken, after the deadline, count 1", "[tic] bmguest tic: done"]
    # SGI 1 from vCPU 0 reaches vCPU 1 of the same partition.
    assert [l for l in lines if l.startswith("[pair] ")] == [
        "[pair] bmguest pair: up", "[pair] bmguest: sgi 1 received on vcpu 1",
        "[pair] sgi: cpu_on 0, vcpu 1 off", "[pair] bmguest pair: done"]
    # Six SGIs pending at once on a CPU interface with fewer list registers: the rest
    # arrive through the maintenance interrupt (UIE) refill.
    assert "[flood] flood: 6 of 6 SGIs taken" in lines, q.transcript()
    assert not any(" fault" in l or "unexpected" in l or "abort" in l for l in lines), q.transcript()


@pytest.fixture(scope="session")
def linux_build():
    return partition_build("RAMPART_BUILD_PART_LINUX", "build/check/part-linux", "tests/qemu/partitions/linux.dts")


def external_images(build):
    """QEMU -device loader arguments for the images partc marked "external" (too big for flash)."""
    args = []
    for line in (build.path / "partitions" / "images.list").read_text().splitlines():
        f = line.split()
        if line.startswith("#") or len(f) != 6 or f[2] != "external":
            continue
        args += ["-device", f"loader,file={f[5]},addr={f[3]},force-raw=on"]
    return args


@pytest.mark.timeout(120)
def test_stock_linux_reaches_init_as_a_partition(qemu, linux_build):
    # Debian's arm64 cloud kernel (tools/setup.sh) with a busybox initramfs whose /init
    # prints the marker and powers off: an exit status alone proves nothing.
    q = qemu(linux_build, "linux", external_images(linux_build))
    q.wait_for(r"^\[linux\] RAMPART-LINUX-INIT-OK \d+\.\d+", 90)
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 30)
    assert q.wait_exit(10) == 0
    lines = q.lines
    assert any(re.match(r"^\[linux\] \[ *[0-9.]+\] Run /init as init process$", l) for l in lines)
    assert not any("Kernel panic" in l or "partition linux: " in l and "fault" in l for l in lines)


@pytest.fixture(scope="session")
def doorbell_build():
    return partition_build("RAMPART_BUILD_PART_DOORBELL", "build/check/part-doorbell",
                           "tests/qemu/partitions/doorbell.dts")


@pytest.mark.timeout(60)
def test_shared_memory_doorbell_ping_pong(qemu, doorbell_build):
    q = qemu(doorbell_build, "doorbell")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    # Three round trips, each side reading what the other wrote in the shared page after
    # its doorbell; a region id the caller does not share is refused with INVALID_PARAMETER.
    assert "[ping] ping: 3 of 3 round trips, bad ring = -2" in q.lines, q.transcript()
    assert "[pong] pong: 3 of 3 round trips, bad ring = -2" in q.lines, q.transcript()


@pytest.fixture(scope="session")
def console_build():
    return partition_build("RAMPART_BUILD_PART_CONSOLE", "build/check/part-console",
                           "tests/qemu/partitions/console.dts")


def type_raw(q, data):
    q.proc.stdin.write(data)
    q.proc.stdin.flush()


@pytest.mark.timeout(60)
def test_console_input_goes_to_the_focused_partition(qemu, console_build):
    q = qemu(console_build, "console")
    q.wait_for(r"^hyp: 2 partition\(s\) started", 20)
    deadline = time.monotonic() + 20  # the three lines come in any order
    want = {"hyp: console input goes to alpha (Ctrl-A n: next partition, Ctrl-A x: power off, Ctrl-A h: keys)",
            "[alpha] bmguest alpha: up",
            "[beta] bmguest beta: up", "[beta] rx masked, waiting for a byte"}
    while not want <= set(q.lines) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert want <= set(q.lines), q.transcript()
    type_raw(q, b"a")
    q.wait_for(r"^\[alpha\] got 'a' \(rx interrupts \d+\)$")
    type_raw(q, b"\x01n")
    q.wait_for(r"^hyp: console input goes to beta$")
    # beta polls with its receive interrupt masked (since it came up), then unmasks it with
    # the byte waiting.
    type_raw(q, b"b.")
    q.wait_for(r"^\[beta\] rx unmasked with a byte waiting: interrupt taken$")
    q.wait_for(r"^\[beta\] bmguest beta: done$")
    # beta powered off: the focus leaves it by itself.
    q.wait_for(r"^hyp: console input goes to alpha$")
    type_raw(q, b"\x01h")
    q.wait_for(r"^hyp: console keys: Ctrl-A n next partition, Ctrl-A x power off, Ctrl-A Ctrl-A sends Ctrl-A$")
    type_raw(q, b".")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 20)
    assert q.wait_exit(10) == 0
    got = [l for l in q.lines if " got '" in l]
    # Each byte reached exactly the focused partition, through its UART's receive interrupt.
    assert [l.split(" (")[0] for l in got] == ["[alpha] got 'a'", "[beta] got 'b'", "[beta] got '.'",
                                               "[alpha] got '.'"], got
    assert all(not l.endswith("(rx interrupts 0)") for l in got)


@pytest.fixture(scope="session")
def passthrough_build():
    return partition_build("RAMPART_BUILD_PART_PASSTHROUGH", "build/check/part-passthrough",
                           "tests/qemu/partitions/passthrough.dts")


@pytest.mark.timeout(60)
def test_passthrough_device_interrupt(qemu, passthrough_build):
    # The PL031 is mapped 1:1 into its owner and its SPI routed to the owner's CPU; the
    # alarm one second ahead arrives through the vGIC as INTID 34.
    q = qemu(passthrough_build, "passthrough")
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 40)
    assert q.wait_exit(10) == 0
    assert [l for l in q.lines if l.startswith("[clock] ")] == [
        "[clock] bmguest clock: up", "[clock] rtc alarm irq 34: taken", "[clock] bmguest clock: done"]


@pytest.fixture(scope="session")
def sysreset_build():
    return partition_build("RAMPART_BUILD_PART_SYSRESET", "build/check/part-sysreset",
                           "tests/qemu/partitions/sysreset.dts")


@pytest.mark.timeout(60)
def test_fault_policy_reset_system(qemu, sysreset_build):
    q = qemu(sysreset_build, "sysreset")
    q.wait_for(r"^hyp: partition boom: data abort outside its memory and devices at 0x50000000 "
               r"\(ESR 0x[0-9a-f]+, vcpu 0, PC 0x[0-9a-f]+\): system reset$", 20)
    # The machine resets and boots again: a second cold boot of the monitor and the guest.
    q.wait_for(r"^\[boom\] bmguest boom: up$", 20)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if q.secure_log().count("monitor: Rampart EL3 monitor, cold boot on cpu 0") >= 2:
            break
        time.sleep(0.2)
    q.kill()
    assert q.secure_log().count("monitor: Rampart EL3 monitor, cold boot on cpu 0") >= 2, q.transcript()
    assert "monitor: system reset" in q.secure_log()
