"""QEMU runner for the Rampart integration tests (see README.md).

Each test boots its own QEMU: the NS UART is on stdin/stdout pipes so a
test can drive the nstest shell, the secure UART (monitor and RMM log)
goes to a file in tmp_path. QEMU is always killed at teardown.
"""
import os
import pathlib
import re
import signal
import subprocess
import threading
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
DEFAULT_TIMEOUT_S = 60
BOOT_TIMEOUT_S = 20
CMD_TIMEOUT_S = 10
KILL_WAIT_S = 5
SECURE_POLL_S = 0.5
READY = "nstest: ready"
PANIC_EXIT_ARGS = ["-device", "pvpanic-pci", "-action", "panic=exit-failure"]
DONE = "nstest: done"
MAKE_HINT = {
    "builtin": "make O={o} test_hyp_selftest_defconfig && make O={o} -j2",
    "external": "make O={o} qemu_virt_rme_external_defconfig && make O={o} -j2 all guests",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout(seconds): fail the test if it runs longer")


@pytest.fixture(autouse=True)
def _test_timeout(request):
    """Hard per-test limit (pytest-timeout is not installed): SIGALRM in the main thread."""
    marker = request.node.get_closest_marker("timeout")
    seconds = int(marker.args[0]) if marker else DEFAULT_TIMEOUT_S

    def expired(signum, frame):
        raise TimeoutError(f"test exceeded its {seconds} s timeout")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _build_dir(env, default):
    """The build directory named by env (relative paths are from the repository root)."""
    path = pathlib.Path(os.environ.get(env) or default)
    return path if path.is_absolute() else REPO / path


class Build:
    """One build directory: its images and the values of its .config."""

    def __init__(self, path, kind):
        self.path = path
        self.kind = kind
        self.config = {}
        dotconfig = path / ".config"
        if dotconfig.is_file():
            for line in dotconfig.read_text().splitlines():
                key, sep, value = line.partition("=")
                if sep and key.startswith("CONFIG_"):
                    self.config[key[len("CONFIG_"):]] = value.strip('"')

    def fail(self, why):
        o = os.path.relpath(self.path, REPO)
        pytest.fail(f"{why}; build it with: {MAKE_HINT[self.kind].format(o=o)}", pytrace=False)

    def image(self, name):
        path = self.path / name
        if not path.is_file():
            self.fail(f"{path} is missing")
        return path

    def check_kind(self):
        want = "NS_PAYLOAD_EXTERNAL" if self.kind == "external" else "NS_PAYLOAD_BUILTIN"
        if self.config.get(want) != "y":
            self.fail(f"{self.path}/.config is not the {self.kind}-payload configuration")

    def num(self, key):
        return int(self.config[key], 0)


@pytest.fixture(scope="session")
def builtin_build():
    build = Build(_build_dir("RAMPART_BUILD", "build"), "builtin")
    build.image("rampart.bin")
    build.check_kind()
    return build


@pytest.fixture(scope="session")
def external_build():
    build = Build(_build_dir("RAMPART_BUILD_EXT", "build/ext"), "external")
    build.image("rampart.bin")
    build.image("nstest.bin")
    build.check_kind()
    return build


class Qemu:
    """A running QEMU; NS UART lines are collected by a reader thread."""

    def __init__(self, build, tmp_path, name, extra_args=(), smp=None, pvpanic=True, flash=None):
        self.build = build
        self.secure_log_path = tmp_path / f"{name}-secure.log"
        self.ns_log_path = tmp_path / f"{name}-ns.log"
        ncpus = smp or build.num("NR_CPUS")
        mem_mib = build.num("DRAM_SIZE") // (1024 * 1024)
        self.args = [
            QEMU, "-M", "virt,secure=on,virtualization=on,gic-version=3",
            "-cpu", "max,x-rme=on", "-smp", str(ncpus), "-m", f"{mem_mib}M",
            # flash: a secure-flash drive file that keeps what the monitor writes (secboot.py)
            *(["-drive", f"if=pflash,unit=0,format=raw,file={flash}"] if flash
              else ["-bios", str(build.image("rampart.bin"))]),
            "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-serial", f"file:{self.secure_log_path}", *extra_args,
        ]
        if pvpanic:  # a firmware panic ends QEMU with status 1 (monitor/fatal.c)
            self.args += PANIC_EXIT_ARGS
        self.lines = []
        self.cursor = 0
        self.stderr = b""
        self._cond = threading.Condition()
        self._eof = False
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=REPO)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        with open(self.ns_log_path, "wb") as log:
            for raw in iter(self.proc.stdout.readline, b""):
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                with self._cond:
                    self.lines.append(line)
                    self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _read_stderr(self):
        self.stderr = self.proc.stderr.read()

    def secure_log(self):
        try:
            return self.secure_log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def transcript(self, last=int(os.environ.get("RAMPART_TRANSCRIPT_LINES", "40"))):
        with self._cond:
            ns = "\n".join(self.lines[-last:])
        return (f"--- NS UART (last {last} lines) ---\n{ns}\n--- secure UART ---\n{self.secure_log()}"
                f"--- QEMU stderr ---\n{self.stderr.decode(errors='replace')}")

    def wait_for(self, pattern, timeout=CMD_TIMEOUT_S):
        """Next NS line (from the cursor on) matching the regex; the cursor moves past it."""
        regex = re.compile(pattern)
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                while self.cursor < len(self.lines):
                    line = self.lines[self.cursor]
                    self.cursor += 1
                    if line.startswith("panic:"):
                        pytest.fail(f"payload panicked: {line}\n{self.transcript()}")
                    m = regex.search(line)
                    if m:
                        return m
                if self._eof:
                    pytest.fail(f"QEMU closed the NS UART before /{pattern}/\n{self.transcript()}")
                if "PANIC" in self.secure_log():
                    pytest.fail(f"monitor or RMM panicked\n{self.transcript()}")
                left = end - time.monotonic()
                if left <= 0:
                    pytest.fail(f"no /{pattern}/ on the NS UART within {timeout} s\n{self.transcript()}")
                self._cond.wait(min(left, SECURE_POLL_S))

    def wait_secure(self, pattern, timeout=CMD_TIMEOUT_S):
        end = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.secure_log(), re.M)
            if m:
                return m
            if time.monotonic() > end:
                pytest.fail(f"no /{pattern}/ on the secure UART within {timeout} s\n{self.transcript()}")
            time.sleep(0.05)

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def cmd(self, line, timeout=CMD_TIMEOUT_S):
        """Runs one shell command; returns its output lines (without echo and end marker)."""
        self.send(line)
        self.wait_for("^" + re.escape("> " + line) + "$", timeout)
        start = self.cursor
        self.wait_for("^" + re.escape(DONE) + "$", timeout)
        with self._cond:
            return self.lines[start:self.cursor - 1]

    def cmd1(self, line, pattern, timeout=CMD_TIMEOUT_S):
        """Runs a command that must print exactly one line matching pattern; returns the match."""
        out = self.cmd(line, timeout)
        assert len(out) == 1, f"{line!r} printed {out}"
        m = re.fullmatch(pattern, out[0])
        assert m, f"{line!r} printed {out[0]!r}, expected /{pattern}/"
        return m

    def smc(self, fid, *args, timeout=CMD_TIMEOUT_S):
        """x0..x7 after SMC #0 with x0 = fid, x1.. = args."""
        line = "smc " + " ".join(f"{v:x}" for v in (fid, *args))
        m = self.cmd1(line, r"ret((?: [0-9a-f]{16}){8})", timeout)
        return [int(v, 16) for v in m.group(1).split()]

    def wait_exit(self, timeout=CMD_TIMEOUT_S):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"QEMU did not exit within {timeout} s\n{self.transcript()}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(KILL_WAIT_S)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


@pytest.fixture
def qemu(tmp_path):
    """Factory: qemu(build, name, extra_args=(), smp=None, pvpanic=True, flash=None) -> Qemu; every
    instance is killed at teardown. pvpanic: a firmware panic ends QEMU with status 1. flash: boot
    from this secure-flash drive file instead of -bios rampart.bin."""
    started = []

    def start(build, name="qemu", extra_args=(), smp=None, pvpanic=True, flash=None):
        q = Qemu(build, tmp_path, f"{name}{len(started)}", extra_args, smp, pvpanic, flash)
        started.append(q)
        return q

    yield start
    for q in started:
        q.kill()


def payload_args(build):
    return ["-device", f"loader,file={build.image('nstest.bin')},addr={build.config['NS_PAYLOAD_ADDR']}"]


@pytest.fixture
def nstest_factory(qemu, external_build):
    """Boots the external configuration with nstest and waits for the shell."""

    def boot(extra_args=(), smp=None, pvpanic=True):
        q = qemu(external_build, "nstest", payload_args(external_build) + list(extra_args), smp, pvpanic)
        m = q.wait_for(r"^nstest: .* secondary entry (0x[0-9a-f]+)$", BOOT_TIMEOUT_S)
        q.secondary_entry = int(m.group(1), 16)
        m = q.wait_for(r"^nstest: pools (0x[0-9a-f]+)\.\.(0x[0-9a-f]+) ", BOOT_TIMEOUT_S)
        q.pool = (int(m.group(1), 16), int(m.group(2), 16))
        # x0..x3 of CPU 0's first entry: the device tree or 0, then zeros (docs/external-payload.md)
        m = q.wait_for(r"^nstest: boot registers x0 (0x[0-9a-f]+) x1 (0x[0-9a-f]+) x2 (0x[0-9a-f]+) "
                       r"x3 (0x[0-9a-f]+)$", BOOT_TIMEOUT_S)
        q.boot_regs = [int(v, 16) for v in m.groups()]
        q.wait_for("^" + re.escape(READY) + "$", BOOT_TIMEOUT_S)
        return q

    return boot


@pytest.fixture
def nstest(nstest_factory):
    return nstest_factory()
