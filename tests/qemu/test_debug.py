"""make debug / make gdb: the three images' symbols at the addresses they run at.

QEMU starts from `make debug` (its real command line, halted, gdbstub on a free port); gdb-multiarch
runs the script `make gdb` uses ($(O)/rampart.gdb) and stops once in each world: the monitor's
cold boot (EL3), the hypervisor's entry (NS-EL2), the RMM's RMI dispatcher (R-EL2, at the
hypervisor's first RMI call). Each stop must be exactly at the function's first instruction.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conftest import REPO, _build_dir

GDB = os.environ.get("GDB", "gdb-multiarch")
STOPS = ("monitor_cold_main", "hyp_main", "rmi_dispatch")
WAIT_S = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.timeout(WAIT_S + 60)
def test_gdb_stops_in_each_world_at_the_symbols(tmp_path):
    build = _build_dir("RAMPART_BUILD_DEFAULT", "build/check/default")
    if not shutil.which(GDB):
        pytest.fail(f"{GDB} is missing: tools/setup.sh installs it", pytrace=False)
    port = free_port()
    qemu = subprocess.Popen(["make", "-s", "--no-print-directory", f"O={build}", "debug", f"GDB_PORT={port}"],
                            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT_S
        while True:  # the gdbstub listens once make has started QEMU
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and qemu.poll() is None, "QEMU's gdbstub never listened"
                time.sleep(0.5)
        script = build / "rampart.gdb"
        assert script.exists(), "make debug writes the script make gdb uses"
        cmds = []
        for f in STOPS:
            cmds += ["-ex", f"break *{f}"]
        for _ in STOPS:
            cmds += ["-ex", "continue", "-ex", "info symbol $pc"]
        r = subprocess.run([GDB, "-nx", "-batch", "-ex", "set confirm off", "-x", str(script)] + cmds +
                           ["-ex", "kill"], cwd=REPO, capture_output=True, text=True, timeout=WAIT_S)
        out = r.stdout + r.stderr
        images = {"monitor_cold_main": "monitor.elf", "hyp_main": "hyp.elf", "rmi_dispatch": "rmm.elf"}
        got = re.findall(r"^(\w+) in section \.text of (\S+)$", out, re.M)
        assert [(f, os.path.basename(p)) for f, p in got] == [(f, images[f]) for f in STOPS], out
    finally:
        os.killpg(qemu.pid, signal.SIGKILL)
        qemu.wait(10)
