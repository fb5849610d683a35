"""Stock Debian Linux as a realm partition (issue 11): the hypervisor builds the realm from
the partition tree at boot, the kernel detects RSI, brings both vCPUs up, loads the
attestation modules, and returns a CCA token for every challenge typed on its console;
each token verifies with tools/verify/rampart-verify against the platform key and the
reference values partc predicted at build time ($(O)/partitions/reference-values.json).

Builds (see `make check`): RAMPART_BUILD_PART_REALM_LINUX from
tests/configs/test_partitions_realm_linux_defconfig (tests/qemu/partitions/realm-linux.dts),
RAMPART_BUILD_PART_REALM_LINUX_B: the same tree with one file more in the initrd.
"""
import json
import re
import secrets
import subprocess
import time

import pytest

from conftest import REPO, Build, _build_dir
from test_partitions import external_images

VERIFY = REPO / "tools" / "verify" / "rampart-verify"
LABEL = "lrealm"
PREFIX = f"[{LABEL}] "
BOOT_S = 240  # a Linux boot under TCG, with the realm's exits, on a loaded 2-core machine
TOKEN_S = 120
TYPE_CHUNK = 8  # bytes at a time, as a person types (the virtual UART holds 1024)
TYPE_PAUSE_S = 0.05


def realm_build(env, default, dts):
    build = Build(_build_dir(env, default), "builtin")
    build.image("rampart.bin")
    if build.config.get("HYP_PARTITIONS_DTS") != dts:
        pytest.fail(f"{build.path} is not built from {dts}", pytrace=False)
    return build


@pytest.fixture(scope="session")
def linux_realm_build():
    return realm_build("RAMPART_BUILD_PART_REALM_LINUX", "build/check/part-realm-linux",
                       "tests/qemu/partitions/realm-linux.dts")


@pytest.fixture(scope="session")
def linux_realm_b_build():
    return realm_build("RAMPART_BUILD_PART_REALM_LINUX_B", "build/check/part-realm-linux-b",
                       "tests/qemu/partitions/realm-linux-b.dts")


BROKEN_MARK = " \\"  # core/vuart.h: a line another partition's output cut short, printed whole after


def realm_lines(q, start=0):
    """The realm's console lines (those cut short left out: each is printed whole again)."""
    return [l[len(PREFIX):] for l in q.lines[start:] if l.startswith(PREFIX) and not l.endswith(BROKEN_MARK)]


def type_line(q, text):
    """Typed as a user would: a few bytes at a time, so the UART's FIFO never overflows."""
    data = text.encode() + b"\n"
    for i in range(0, len(data), TYPE_CHUNK):
        q.proc.stdin.write(data[i:i + TYPE_CHUNK])
        q.proc.stdin.flush()
        time.sleep(TYPE_PAUSE_S)


def request_token(q, challenge, index):
    type_line(q, challenge.hex())
    q.wait_for(rf"^{re.escape(PREFIX)}RAMPART-TOKEN-BEGIN {index}$", TOKEN_S)
    start = q.cursor
    q.wait_for(rf"^{re.escape(PREFIX)}RAMPART-TOKEN-END {index}$", TOKEN_S)
    hexdump = "".join(realm_lines(q, start)[:-1])
    assert re.fullmatch(r"[0-9a-f]+", hexdump), f"{hexdump[:200]}\n{q.transcript()}"
    return bytes.fromhex(hexdump)


def verify(build, tmp_path, token, challenge, *extra):
    path = tmp_path / f"token-{secrets.token_hex(4)}.cbor"
    path.write_bytes(token)
    return subprocess.run([str(VERIFY), str(path), "--platform-key", str(build.image("platform-key.pub.pem")),
                           "--challenge", challenge.hex(), *extra], capture_output=True, text=True, timeout=60)


def reference(build):
    return build.image("partitions/reference-values.json")


def boot(qemu, build, name):
    q = qemu(build, name, external_images(build))
    q.wait_for(rf"^{re.escape(PREFIX)}RAMPART-REALM-READY ", BOOT_S)
    return q


@pytest.mark.timeout(2 * BOOT_S + 4 * TOKEN_S + 60)
def test_linux_realm_attests_with_the_predicted_rim(qemu, linux_realm_build, tmp_path):
    q = boot(qemu, linux_realm_build, "realm-linux")
    log = realm_lines(q)
    assert any(re.search(r"\] RME: Using RSI version 1\.0$", l) for l in log), "the kernel did not find RSI"
    assert any(re.search(r"\] smp: Brought up 1 node, 2 CPUs$", l) for l in log), "both vCPUs online"
    tail = "\n".join(log[-40:])
    assert "RAMPART-TSM-OK provider=arm_cca_guest" in log, f"configfs-tsm with the CCA provider:\n{tail}"
    assert not any("RAMPART-MODULE-FAILED" in l for l in log), tail

    first, second = secrets.token_bytes(64), secrets.token_bytes(64)
    tokens = [request_token(q, first, 0), request_token(q, second, 1)]
    ref = ["--ref", str(reference(linux_realm_build)), "--realm", LABEL]
    for token, challenge in zip(tokens, (first, second)):
        r = verify(linux_realm_build, tmp_path, token, challenge, *ref)
        assert r.returncode == 0, r.stderr + r.stdout
        assert "  reference values: hash algorithm, RIM, REMs, RPV match --ref" in r.stdout.splitlines()
    assert tokens[0] != tokens[1]
    # Each token answers its own challenge only.
    r = verify(linux_realm_build, tmp_path, tokens[1], first, *ref)
    assert (r.returncode, r.stderr) == (1, "rampart-verify: FAIL: challenge: realm challenge (10) does not "
                                           "match --challenge\n")
    # The RPV is the tree's; the RIM is the one partc predicted (checked above through --ref).
    rim = json.loads(reference(linux_realm_build).read_text())["realms"][LABEL]["rim"]
    assert f"  rim (sha-256): {rim}" in verify(linux_realm_build, tmp_path, tokens[0], first).stdout.splitlines()

    # The realm resets itself (PSCI SYSTEM_RESET from Linux): torn down, rebuilt from the same
    # images, booted again; its new token carries the same RIM.
    type_line(q, "reset")
    q.wait_for(r"^hyp: partition lrealm: system reset: restarting it$", 60)
    q.wait_for(r"^hyp: partition lrealm: scrub check: \d+ granules of RAM and metadata read from NS, 0 not zero$",
               120)
    q.wait_for(r"^hyp: partition lrealm: realm built and activated ", BOOT_S)
    q.wait_for(rf"^{re.escape(PREFIX)}RAMPART-REALM-READY ", BOOT_S)
    third = secrets.token_bytes(64)
    token = request_token(q, third, 0)
    r = verify(linux_realm_build, tmp_path, token, third, *ref)
    assert r.returncode == 0, r.stderr
    assert f"  rim (sha-256): {rim}" in r.stdout.splitlines(), "the same RIM after the restart"

    # An empty line powers the realm off: its teardown hands every granule back, zeroed.
    type_line(q, "")
    q.wait_for(r"^hyp: partition lrealm: system off$", 60)
    m = q.wait_for(r"^hyp: partition lrealm: realm torn down, (\d+) granules returned to the Normal world$", 120)
    # RAM (256 MiB) and the realm's metadata that was delegated.
    assert int(m.group(1)) >= 0x10000000 // 4096
    m = q.wait_for(r"^hyp: partition lrealm: scrub check: (\d+) granules of RAM and metadata read from NS, "
                   r"(\d+) not zero$", 120)
    assert int(m.group(2)) == 0 and int(m.group(1)) > 0x10000000 // 4096
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 30)
    assert q.wait_exit(10) == 0


@pytest.mark.timeout(BOOT_S + TOKEN_S + 60)
def test_changed_initrd_changes_predicted_and_reported_rim(qemu, linux_realm_build, linux_realm_b_build, tmp_path):
    """The same tree with one file more in the initrd: another RIM at build time, and the same other
    RIM in the token; the first build's reference values refuse it."""
    ref_a = json.loads(reference(linux_realm_build).read_text())["realms"][LABEL]
    ref_b = json.loads(reference(linux_realm_b_build).read_text())["realms"][LABEL]
    assert ref_a["rim"] != ref_b["rim"] and ref_a["rpv"] == ref_b["rpv"]
    q = boot(qemu, linux_realm_b_build, "realm-linux-b")
    challenge = secrets.token_bytes(64)
    token = request_token(q, challenge, 0)
    r = verify(linux_realm_b_build, tmp_path, token, challenge, "--ref", str(reference(linux_realm_b_build)))
    assert r.returncode == 0, r.stderr
    r = verify(linux_realm_b_build, tmp_path, token, challenge, "--ref", str(reference(linux_realm_build)))
    assert (r.returncode, r.stderr) == (1, "rampart-verify: FAIL: reference: RIM (44238) does not match the "
                                           "reference value\n")
