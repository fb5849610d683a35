"""Bare-metal realm partitions (issue 11), one QEMU run of tests/qemu/partitions/realm.dts
(tests/configs/test_partitions_realm_defconfig, RAMPART_BUILD_PART_REALM): tests/guests/bmguest
runs in realms beside normal VMs, and

* a realm brings its second vCPU up with PSCI CPU_ON, and stops: its teardown hands every
  granule back to the Normal world, where each reads back as zero;
* a realm and a normal VM exchange data through shared memory and doorbells;
* Normal-world code that reads a running realm's memory takes a Granule Protection Fault:
  the hypervisor itself (a test-only probe) and a normal partition given a mapping of it
  (a test-only hook); the offender's fault policy applies, and the realm runs on;
* a realm touching an unprotected IPA that is neither its RAM nor a device is stopped by
  its own policy, and its teardown is clean too;
* a SHA-512 realm with a 36-bit IPA space attests with the RIM and RPV partc predicted.
(A realm's own SYSTEM_RESET and a rebuilt realm's RIM: test_realm_linux.py.)
"""
import json
import re
import subprocess
import time

import pytest

from conftest import REPO, Build, _build_dir

VERIFY = REPO / "tools" / "verify" / "rampart-verify"
TOKEN_SEED = 0x1122334455667788  # tests/qemu/partitions/realm.dts, tok's bootargs
BOOT_S = 180  # five realms built one after the other under TCG, on a loaded 2-core machine


@pytest.fixture(scope="session")
def realm_build():
    build = Build(_build_dir("RAMPART_BUILD_PART_REALM", "build/check/part-realm"), "builtin")
    build.image("rampart.bin")
    if build.config.get("HYP_PARTITIONS_DTS") != "tests/qemu/partitions/realm.dts":
        pytest.fail(f"{build.path} is not built from tests/qemu/partitions/realm.dts", pytrace=False)
    return build


def stream(lines, name):
    return [l[len(name) + 3:] for l in lines if l.startswith(f"[{name}] ")]


def tokens(lines):
    """The tokens tok printed, each as bytes (hex lines between its markers)."""
    out, cur = [], None
    for l in stream(lines, "tok"):
        if l.startswith("RAMPART-TOKEN-BEGIN"):
            cur = []
        elif l.startswith("RAMPART-TOKEN-END") and cur is not None:
            data = bytes.fromhex("".join(cur))
            assert l == f"RAMPART-TOKEN-END {len(data)} bytes"
            out.append(data)
            cur = None
        elif cur is not None:
            cur.append(l)
    return out


def wait_line(q, pattern, timeout):
    """A line matching pattern, anywhere in the output so far or to come (partitions interleave)."""
    regex = re.compile(pattern)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for l in list(q.lines):
            m = regex.search(l)
            if m:
                return m
        time.sleep(0.2)
    pytest.fail(f"no /{pattern}/ within {timeout} s\n{q.transcript()}")


def scrub_checks(lines, name):
    pat = re.compile(rf"^hyp: partition {name}: scrub check: (\d+) granules of RAM and metadata read from NS, "
                     r"(\d+) not zero$")
    return [(int(m.group(1)), int(m.group(2))) for m in map(pat.match, lines) if m]


@pytest.mark.timeout(BOOT_S + 120)
def test_realm_partitions(qemu, realm_build, tmp_path):
    q = qemu(realm_build, "realm")
    wait_line(q, r"^\[beat\] tick 1$", BOOT_S)
    # One key: CPU 0's probe reads beat's RAM, and spy (the console focus) reads its mapping of it.
    q.proc.stdin.write(b"k")
    q.proc.stdin.flush()
    # (CPU 0 probes at its first wake-up after beat is built: possibly before the key.)
    m = wait_line(q, r"^hyp: TEST ONLY: reading realm beat's RAM at PA (0x[0-9a-f]+): (.*)$", 30)
    probe = re.fullmatch(r"fault, ESR (0x[0-9a-f]+) FAR (0x[0-9a-f]+)", m.group(2))
    assert probe, f"the hypervisor read a running realm's memory: {m.group(2)}"
    esr = int(probe.group(1), 16)
    assert (esr >> 26, esr & 0x3F, int(probe.group(2), 16)) == (0x25, 0x28, int(m.group(1), 16)), \
        "a data abort at EL2 with FSC GPF, at the granule's PA"
    m = wait_line(q, r"^hyp: partition spy: (.*) at 0x50000000 \(ESR (0x[0-9a-f]+), vcpu 0, PC 0x[0-9a-f]+\): "
                  r"partition stopped$", 30)
    assert m.group(1) == "granule protection fault (Realm or Root memory)"
    assert int(m.group(2), 16) >> 26 == 0x24 and int(m.group(2), 16) & 0x3F == 0x28
    # The realm runs on.
    beat = len([l for l in q.lines if l.startswith("[beat] tick")])
    wait_line(q, rf"^\[beat\] tick {beat + 2}$", 30)
    for name in ("vault", "pong", "stray", "tok"):
        wait_line(q, rf"^hyp: partition {name}: scrub check: ", 120)
    q.kill()
    lines = q.lines

    assert stream(lines, "spy") == ["bmguest spy: up", "reading 0x50000000"], "spy never reads a value"
    assert stream(lines, "vault") == ["bmguest vault: up in a realm", "bmguest: vcpu 1 up", "cpu_on(1) = 0",
                                      "cpu_on(7) = -2", "cpu_on(1, outside RAM) = -4", "affinity_info(1) = 1",
                                      "system off with vcpu 1 busy (cpu_on = 0)", "bmguest vault: done"]
    # Its busy vCPU 1 found the realm SYSTEM_OFF at its next entry: the partition stopped once,
    # for its system off, not for a refused REC_ENTER.
    assert [l for l in lines if l.startswith("hyp: partition vault: ")
            and ("system off" in l or "REC_ENTER refused" in l or "partition stopped" in l)] == \
        ["hyp: partition vault: system off"], [l for l in lines if "vault" in l]
    assert "[ping] ping: 3 of 3 round trips, bad ring = -2" in lines
    assert "[pong] pong: 3 of 3 round trips, bad ring = -2" in lines
    assert stream(lines, "stray") == ["bmguest stray: up in a realm", "reading 0x8030000000"]
    faults = [l for l in lines if l.startswith("hyp: partition stray: realm access")]
    assert len(faults) == 1 and re.fullmatch(
        r"hyp: partition stray: realm access outside its memory and devices at 0x8030000000 "
        r"\(ESR 0x[0-9a-f]+, vcpu 0\): partition stopped", faults[0]), faults
    # Each teardown reports what the run cost the host, in one line: pong's three doorbells were
    # host calls, its console lines emulated MMIO, and every exit is counted once.
    runs = [re.fullmatch(r"hyp: partition pong: the realm's run: (\d+) REC exits: (\d+) emulated MMIO, "
                         r"(\d+) interrupts, (\d+) PSCI, (\d+) host calls \((\d+) unknown\), (\d+) RIPAS "
                         r"changes \((\d+) refused\), (\d+) memory, (\d+) shared pages", l)
            for l in lines if l.startswith("hyp: partition pong: the realm's run: ")]
    assert len(runs) == 1 and runs[0], runs
    exits, mmio, irqs, psci, calls, unknown, ripas, refused, memory, _ = map(int, runs[0].groups())
    assert calls >= 3 and unknown == 0 and mmio > 0 and psci >= 1 and refused == 0, runs[0].group(0)
    assert exits >= mmio + irqs + psci + calls + ripas + memory, runs[0].group(0)
    # Every stop and restart of a realm returned all its granules, zeroed: RAM (1024 granules of
    # 4 MiB) and the metadata it used, all read back from the Normal world.
    for name in ("vault", "pong", "stray", "tok"):
        checks = scrub_checks(lines, name)
        assert checks and all(n > 1024 and bad == 0 for n, bad in checks), (name, checks)
    # The beat went on, one tick a second, through all of it.
    ticks = [l for l in stream(lines, "beat") if l.startswith("tick")]
    assert ticks == [f"tick {i}" for i in range(len(ticks))] and len(ticks) >= beat + 2

    # tok's token verifies against partc's prediction.
    got = tokens(lines)
    assert len(got) == 1
    challenge = b"".join((TOKEN_SEED + i).to_bytes(8, "little") for i in range(8))
    ref = realm_build.image("partitions/reference-values.json")
    path = tmp_path / "tok.cbor"
    path.write_bytes(got[0])
    r = subprocess.run([str(VERIFY), str(path), "--platform-key", str(realm_build.image("platform-key.pub.pem")),
                        "--challenge", challenge.hex(), "--ref", str(ref), "--realm", "tok"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    want = json.loads(ref.read_text())["realms"]["tok"]
    assert f"  rim (sha-512): {want['rim']}" in r.stdout.splitlines()
    assert want["rpv"] == "deadbeef" + "00" * 60
