#!/usr/bin/env python3
"""make bench: instruction counts of Rampart's boot and SMC paths, and image sizes.

Runs QEMU with -icount shift=0,sleep=off -smp 1: the virt `max` CPU's counter
runs at 1 GHz, so one counter tick is one instruction and every number here
is deterministic. Nothing is asserted; the table is for tracking.

usage: bench.py BUILTIN_BUILD_DIR EXTERNAL_BUILD_DIR BENCH_PARTITION_BUILD_DIR
                [REALM_BENCH_BUILD_DIR LINUX_VM_BUILD_DIR LINUX_REALM_BUILD_DIR]

The last three (tests/configs/bench_realm, bench_linux_vm, bench_linux_realm) add the realm
partition rows: a bare-metal realm's exits to the hypervisor's realm host, a realm's build per
MiB of measured and unmeasured RAM, and Debian's kernel booting (entry to "Run /init") as a
normal VM and as a realm, with two CPUs (the partition on CPU 1).
"""
import os
import re
import select
import subprocess
import sys
import tempfile
import time

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
MACHINE = ["-M", "virt,secure=on,virtualization=on,gic-version=3", "-cpu", "max,x-rme=on",
           "-smp", "1", "-m", "2048M", "-icount", "shift=0,sleep=off", "-display", "none",
           "-monitor", "none"]
TIMEOUT_S = 60
# Targets from the foundation issue (instructions); reference firmware for orientation.
TARGETS = {
    "reset_to_ns_el2": (3_000_000, 35_000_000),
    "hyp_boot_work": (200_000, 213_000),
    "guest_hvc": (100, 149),
    "guest_gicd_read": (150, 225),
    "guest_vtimer_latency": (None, None),
    "smccc_version": (120, 220),
    "rmi_version": (450, 1394),
    "granule_delegate": (1000, 2431),
    "granule_undelegate": (1400, 3027),
    "rec_host_call": (2500, None),
    "realm_token": (15_000_000, None),
    "linux_realm_over_vm_permille": (1300, None),
}
LINUX_TIMEOUT_S = 600


class Qemu:
    def __init__(self, args, smp=1):
        machine = [str(smp) if a == "1" and MACHINE[i - 1] == "-smp" else a for i, a in enumerate(MACHINE)]
        self.p = subprocess.Popen([QEMU] + machine + args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""

    def wait_for(self, pattern, timeout=TIMEOUT_S):
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern.encode(), re.M)
        while True:
            m = rx.search(self.buf)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self.p.poll() is not None:
                sys.exit(f"bench: no /{pattern}/ from QEMU:\n{self.buf.decode(errors='replace')}")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                self.buf += os.read(self.p.stdout.fileno(), 4096)

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def close(self):
        self.p.kill()
        self.p.wait()


def boot_count(builtin):
    q = Qemu(["-bios", f"{builtin}/rampart.bin", "-serial", "stdio", "-serial", "null"])
    try:
        return int(q.wait_for(r"^hyp: NS-EL2 entered at counter (\d+) ").group(1))
    finally:
        q.close()


def partition_counts(build):
    """The hypervisor's boot work (NS-EL2 entry to its last line before the first guest
    instruction) and a guest's HVC round trip, from the one-partition bench tree."""
    q = Qemu(["-bios", f"{build}/rampart.bin", "-serial", "stdio", "-serial", "null"])
    try:
        start = int(q.wait_for(r"^hyp: NS-EL2 entered at counter (\d+) ").group(1))
        done = int(q.wait_for(r"^hyp: \d+ partition\(s\) started; boot work done at counter (\d+)\r?\n")
                   .group(1))
        hvc = int(q.wait_for(r"^\[bench\] bench hvc (\d+)\r?\n").group(1))
        gicd = int(q.wait_for(r"^\[bench\] bench gicd_read (\d+)\r?\n").group(1))
        vt = int(q.wait_for(r"^\[bench\] bench vtimer_latency (\d+)\r?\n").group(1))
        return {"hyp_boot_work": done - start, "guest_hvc": hvc, "guest_gicd_read": gicd,
                "guest_vtimer_latency": vt}
    finally:
        q.close()


def reset_scrub(q, secure_log, nth):
    """SYSTEM_RESET, then the monitor's nth reset-scrub line: (granules zeroed, instructions)."""
    q.buf = b""
    q.send("reset")
    q.wait_for(r"^nstest: ready")
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        found = re.findall(r"^monitor: reset scrub: (\d+) granules .* zeroed in (\d+) ticks\n",
                           open(secure_log, errors="replace").read(), re.M)
        if len(found) >= nth:
            return tuple(map(int, found[nth - 1]))
        time.sleep(0.1)
    sys.exit("bench: no reset-scrub line from the monitor")


def smc_counts(external):
    secure_log = os.path.join(tempfile.mkdtemp(prefix="rampart-bench-"), "secure.log")
    q = Qemu(["-bios", f"{external}/rampart.bin", "-device",
              f"loader,file={external}/nstest.bin,addr=0x60000000", "-serial", "stdio",
              "-serial", f"file:{secure_log}"])
    try:
        q.wait_for(r"^nstest: ready")
        # The cold boot after a reset reads the previous boot's GPT; nothing was Realm yet.
        _, empty = reset_scrub(q, secure_log, 1)
        q.send("bench")
        q.wait_for(r"^bench granule_undelegate \d+\r?\n")
        # A realm's host call: REC exit, back to the host, REC_ENTER again.
        for line in ("rbuild", "renter 0 0", "rbench 0"):
            q.send(line)
        q.wait_for(r"^bench rec_host_call \d+\r?\n")
        # A CCA token for the realm: RSI_ATTESTATION_TOKEN_INIT to the last CONTINUE, measured
        # inside the realm (the first REALM_ACTIVATE of the boot prepared the RAK and platform token).
        counts = {m.group(1).decode(): int(m.group(2))
                  for m in re.finditer(rb"^bench (\w+) (\d+)\r?\n", q.buf, re.M)}
        q.buf = b""
        q.send("renter 0 0 c " + " ".join(f"{i:x}" for i in range(1, 9)) + " 1000")
        # realmtest reports status 0, length, CONTINUE calls, bound, ticks.
        m = q.wait_for(r"^exitgprs 0 [0-9a-f]+ [0-9a-f]+ [0-9a-f]+ ([0-9a-f]+) ")
        counts["realm_token"] = int(m.group(1), 16)
        # And after a realm (its RD, RECs, aux, RTTs and DATA are Realm): each one zeroed.
        n, realm = reset_scrub(q, secure_log, 2)
        counts["reset_scrub_empty"] = empty
        counts[f"reset_scrub_{n}_granules"] = realm
        return counts
    finally:
        q.close()


BUILT = (r"^hyp: partition {}: realm built and activated in (\d+) ticks: RAM delegated in (\d+), "
         r"(\d+) measured pages in (\d+), (\d+) unmeasured in (\d+)\r?\n")
MIB_PAGES = 256


def build_per_mib(m):
    """Instructions per MiB of realm RAM: its delegation plus DATA_CREATE (measured) or
    DATA_CREATE_UNKNOWN (unmeasured)."""
    total, delegate, measured, mticks, unmeasured, uticks = map(int, m.groups())
    pages = measured + unmeasured
    return {"realm_build_mib_measured": (delegate // pages + mticks // measured) * MIB_PAGES,
            "realm_build_mib_unmeasured": (delegate // pages + uticks // unmeasured) * MIB_PAGES}


def realm_counts(build):
    """A bare-metal realm's exits through the hypervisor's realm host (tests/configs/bench_realm)."""
    q = Qemu(["-bios", f"{build}/rampart.bin", "-serial", "stdio", "-serial", "null"])
    try:
        out = {}
        for name in ("realm_host_call", "realm_vuart_write", "gicd_read", "vtimer_latency"):
            v = int(q.wait_for(rf"^\[rbench\] bench {name} (\d+)\r?\n").group(1))
            out[name if name.startswith("realm") else f"realm_{name}"] = v
        return out
    finally:
        q.close()


def linux_boot(build, label):
    """Debian's kernel, vCPU 0's first entry to its "Run /init" line (the hypervisor stamps
    every console line with the counter: CONFIG_HYP_CONSOLE_TIMESTAMPS)."""
    q = Qemu(["-bios", f"{build}/rampart.bin", "-serial", "stdio", "-serial", "null"] +
             external_loaders(build), smp=2)
    try:
        built = None
        entry = int(q.wait_for(rf"^hyp: partition {label}: vCPU 0 enters its guest at counter (\d+)\r?\n",
                               LINUX_TIMEOUT_S).group(1))
        m = re.search(BUILT.format(label).encode(), q.buf, re.M)
        if m:
            built = build_per_mib(m)
        init = int(q.wait_for(rf"^\[{label}\] @(\d+) \[ *[0-9.]+\] Run /init as init process\r?\n",
                              LINUX_TIMEOUT_S).group(1))
        return init - entry, built
    finally:
        q.close()


def external_loaders(build):
    args = []
    for line in open(f"{build}/partitions/images.list"):
        f = line.split()
        if not line.startswith("#") and len(f) == 6 and f[2] == "external":
            args += ["-device", f"loader,file={f[5]},addr={f[3]},force-raw=on"]
    return args


def sizes(build):
    out = subprocess.run(["aarch64-linux-gnu-size"] + [f"{build}/{n}.elf" for n in
                         ("monitor", "rmm", "hyp") if os.path.exists(f"{build}/{n}.elf")],
                         capture_output=True, text=True, check=True).stdout
    return out.rstrip()


def main():
    if len(sys.argv) not in (4, 7):
        sys.exit(__doc__)
    builtin, external, part = sys.argv[1:4]
    results = {"reset_to_ns_el2": boot_count(builtin)}
    results.update(partition_counts(part))
    results.update(smc_counts(external))
    if len(sys.argv) == 7:
        rbench, linux_vm, linux_realm = sys.argv[4:]
        results.update(realm_counts(rbench))
        vm, _ = linux_boot(linux_vm, "blinux")
        realm, built = linux_boot(linux_realm, "brealm")
        results["linux_vm_entry_to_init"] = vm
        results["linux_realm_entry_to_init"] = realm
        results["linux_realm_over_vm_permille"] = realm * 1000 // vm
        results.update(built or {})
    print(f"{'path':<22}{'instructions':>14}{'target':>12}{'reference':>12}")
    for name, value in results.items():
        target, ref = TARGETS.get(name, (None, None))
        mark = "" if target is None or value <= target else "  (over target)"
        def num(v):
            return f"{v:,}" if v is not None else "-"
        print(f"{name:<22}{value:>14,}{num(target):>12}{num(ref):>12}{mark}")
    print()
    print(sizes(builtin))
    print(f"rampart.bin {os.path.getsize(f'{builtin}/rampart.bin')} bytes")


if __name__ == "__main__":
    main()
