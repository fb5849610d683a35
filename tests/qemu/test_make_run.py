"""`make run` as a person uses it: its real QEMU command line on a pseudo-terminal.

The default configuration (RAMPART_BUILD_DEFAULT, as `make check` builds it): Linux with a
shell on its console, the same kernel as a realm, the bare-metal safety partition. The test
types what the README tells a newcomer to type: a command in the shell, Ctrl-C to a running
command, Ctrl-A n to move the console focus, a challenge to the realm (its token verifies),
`poweroff`, then Ctrl-A x to power the machine off.
"""
import os
import pty
import re
import secrets
import select
import subprocess
import time

import pytest

from conftest import REPO, _build_dir

BOOT_S = 240  # Linux and the realm build concurrently under TCG on a loaded 2-core machine
STEP_S = 60
TYPE_CHUNK = 8  # bytes at a time, with a pause, as a person types
TYPE_PAUSE_S = 0.05
BROKEN_MARK = " \\"  # core/vuart.h VUART_BROKEN_MARK
VERIFY = REPO / "tools/verify/rampart-verify"
CTRL_A = b"\x01"
CTRL_C = b"\x03"


class Terminal:
    """A process on a pty: what it printed so far, and keys typed into it."""

    def __init__(self, argv):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=REPO,
                                     start_new_session=True)
        os.close(slave)
        self.buf = b""
        self.cursor = 0

    def _read(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                self.buf += os.read(self.master, 65536)
            except OSError:  # the process closed the terminal
                time.sleep(timeout)

    def expect(self, pattern, timeout=STEP_S):
        """The next match after the previous one (the screen as bytes, \\r\\n line ends)."""
        rx = re.compile(pattern.encode(), re.M)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.cursor)
            if m:
                self.cursor = m.end()
                return m
            if time.monotonic() > end:
                pytest.fail(f"no /{pattern}/ within {timeout} s; the screen ends with:\n{self.text()[-6000:]}")
            self._read(0.2)

    def type(self, data):
        os.write(self.master, data)

    def text(self):
        return self.buf.decode(errors="replace").replace("\r", "")

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
        self.proc.wait(10)
        os.close(self.master)


@pytest.fixture(scope="module")
def default_build_dir():
    path = _build_dir("RAMPART_BUILD_DEFAULT", "build/check/default")
    if not (path / "rampart.bin").exists():
        pytest.fail(f"no default build in {path}: make O={path} qemu_virt_rme_defconfig all", pytrace=False)
    return path


def verify_token(build, screen, challenge, tmp_path):
    """The realm's lines between the markers (without those cut short: each follows whole)."""
    lines = [l[len("[vault] "):] for l in screen.splitlines()
             if l.startswith("[vault] ") and not l.startswith("[vault] RAMPART-")]
    token = bytes.fromhex("".join(l for l in lines if not l.endswith(BROKEN_MARK)))
    path = tmp_path / "vault.cbor"
    path.write_bytes(token)
    r = subprocess.run([str(VERIFY), str(path), "--platform-key", str(build / "platform-key.pub.pem"),
                        "--challenge", challenge.hex(), "--ref", str(build / "partitions/reference-values.json"),
                        "--realm", "vault"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.timeout(2 * BOOT_S + 8 * STEP_S)
def test_make_run_is_interactive(default_build_dir, tmp_path):
    t = Terminal(["make", "-s", "--no-print-directory", f"O={default_build_dir}", "run"])
    try:
        # Both UARTs on the terminal (each writes on its own: their lines come in any order).
        for pattern in (r"^monitor: entering NS-EL2",
                        r"^hyp: console input goes to linux \(Ctrl-A n: next partition, Ctrl-A x: power off, "
                        r"Ctrl-A h: keys\)\r*$",
                        # a silent realm build says what it is doing
                        r"^hyp: partition vault: building its realm \(256 MiB",
                        r"^\[linux\] RAMPART-LINUX-SHELL "):
            t.cursor = 0
            t.expect(pattern, BOOT_S)
        # The prompt shows before anything is typed: the focused partition's output is live.
        t.type(b"\r")
        t.expect(r"\[linux\] linux# ")
        t.type(b"cat /proc/cpuinfo\r")
        t.expect(r"^\[linux\] processor\s*: 0\r*$")
        t.expect(r"^\[linux\] processor\s*: 1\r*$")
        # Ctrl-C reaches the shell's foreground command, not QEMU or make.
        t.type(b"sleep 1000\r")
        time.sleep(2)
        t.type(CTRL_C)
        t.expect(r"\[linux\] linux# ")
        t.type(b"echo still-here\r")
        t.expect(r"^\[linux\] still-here\r*$")
        # The focus moves round the partitions with a console, and back.
        t.type(CTRL_A + b"n")
        t.expect(r"^hyp: console input goes to safety\r*$")
        t.type(CTRL_A + b"n")
        t.expect(r"^hyp: console input goes to vault\r*$")
        # The realm answers a challenge typed on its console with a token that verifies.
        mark = t.cursor
        t.cursor = 0
        t.expect(r"^\[vault\] RAMPART-REALM-READY ", BOOT_S)
        t.cursor = max(t.cursor, mark)
        challenge = secrets.token_bytes(64)
        for i in range(0, 128, TYPE_CHUNK):
            t.type(challenge.hex()[i:i + TYPE_CHUNK].encode())
            time.sleep(TYPE_PAUSE_S)
        t.type(b"\r")
        # The whole line (with its end): a partial live line may still be cut and printed again.
        begin = t.expect(r"^\[vault\] RAMPART-TOKEN-BEGIN 0\r*\n").end()
        end = t.expect(r"^\[vault\] RAMPART-TOKEN-END 0\r*$").start()
        verify_token(default_build_dir, t.buf[begin:end].decode().replace("\r", ""), challenge, tmp_path)
        t.type(CTRL_A + b"n")
        t.expect(r"^hyp: console input goes to linux\r*$")
        t.type(CTRL_A + b"h")
        t.expect(r"^hyp: console keys: Ctrl-A n next partition, Ctrl-A x power off, ")
        # poweroff ends the partition; the focus leaves it by itself.
        t.type(b"poweroff\r")
        t.expect(r"^hyp: partition linux: system off\r*$")
        t.expect(r"^hyp: console input goes to safety\r*$")
        t.type(CTRL_A + b"x")
        t.expect(r"^hyp: console: Ctrl-A x: powering the machine off\r*$")
        assert t.proc.wait(STEP_S) == 0, t.text()[-3000:]
        t._read(0.5)
    finally:
        t.close()
    screen = t.text()
    lines = screen.splitlines()
    assert any(re.match(r"^\[linux\] \[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs$", l) for l in lines)
    assert any(re.match(r"^\[vault\] \[ *[0-9.]+\] RME: Using RSI version 1\.0$", l) for l in lines)
    assert any(re.match(r"^hyp: partition vault: realm built and activated", l) for l in lines)
    ticks = [l for l in lines if l.startswith("[safety] tick")]
    assert len(ticks) >= 5 and ticks == [f"[safety] tick {i}" for i in range(len(ticks))], \
        "safety ran on, undisturbed, the whole time"
    assert "make: ***" not in screen
