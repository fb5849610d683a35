#!/usr/bin/env python3
"""make bench: instruction counts of Rampart's paths against their targets, bare-metal
baselines, and image sizes, as one table and as JSON.

Every run is QEMU under -icount shift=0,sleep=off with a fixed -seed: the virt `max` CPU's
counter runs at 1 GHz, so one counter tick is one instruction (or one nanosecond of idle time,
which sleep=off skips at once), and every number is deterministic. The bench guest
(tests/guests/bmguest, test=bench) runs twice in the same invocation: as a partition under the
hypervisor and directly on QEMU at EL1 (-M virt,virtualization=off,secure=off -kernel, the DTB
in x0, PSCI through QEMU's HVC); the "added" rows are the difference of the two. The Linux row
compares the partition's kernel with the same kernel, initramfs and guest DTB booted directly by
QEMU (docs/benchmarks.md says what is measured and why it repeats).

usage: bench.py [--json OUT] BUILTIN EXTERNAL PARTITION REALM LINUX_VM LINUX_REALM
  the build directories of qemu_virt_rme, qemu_virt_rme_external and tests/configs/bench_*
  (make bench builds them under $(O)/bench/)
"""
import concurrent.futures
import json
import os
import re
import select
import subprocess
import sys
import time

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
# Fixed so that the guests' random numbers (QEMU's RNDR, its DTB seeds) repeat from run to run.
BENCH_SEED = 1
COMMON = ["-cpu", "max,x-rme=on", "-icount", "shift=0,sleep=off", "-rtc", "clock=vm",
          "-seed", str(BENCH_SEED), "-display", "none", "-monitor", "none"]
RAMPART_MACHINE = ["-M", "virt,secure=on,virtualization=on,gic-version=3", "-m", "2048M"]
# QEMU itself enters the kernel at EL1 and serves PSCI through HVC.
BARE_MACHINE = ["-M", "virt,secure=off,virtualization=off,gic-version=3"]
BARE_RAM = "2048M"
TIMEOUT_S = 30
LINUX_TIMEOUT_S = 120
# A kernel that prints nothing this long after QEMU started (a realm's build included) hangs:
# give up on it early enough for make bench to stay within its two minutes.
LINUX_FIRST_LINE_S = 45
LAST_LINE_CHARS = 100  # of QEMU's output, in a "not measured" reason
# Two QEMUs at a time: the machine make bench is tuned for has two cores.
PARALLEL_RUNS = 2
MIB_PAGES = 256

# Every row of the table, in order: name, what it measures, target, unit. A target of None
# means the row is reported, not judged; "x" rows are ratios.
ROWS = [
    ("reset_to_ns_el2", "reset -> hypervisor entry at NS-EL2 (default configuration)", 3_000_000, ""),
    ("reset_to_first_partition", "reset -> first instruction of the first partition", 2_000_000, ""),
    ("hyp_boot_work", "hypervisor entry -> partitions started", 200_000, ""),
    ("guest_hvc", "guest HVC round trip (PSCI_VERSION)", 100, ""),
    ("guest_gicd_read", "trapped GICD register read (GICD_TYPER)", 150, ""),
    ("vtimer_wfi_added", "virtual timer CVAL -> handler, WFI wait, added over bare metal", 120, ""),
    ("vtimer_poll_added", "virtual timer CVAL -> handler, busy-poll wait, added over bare metal", 120, ""),
    ("spi_added", "passthrough SPI (PL031) asserts -> handler, added over bare metal", 200, ""),
    ("sgi_latency", "SGI vCPU 0 -> vCPU 1 of one partition, send -> handler", 400, ""),
    ("guest_vtimer_wfi", "  partition: virtual timer, WFI wait", None, ""),
    ("bare_vtimer_wfi", "  bare metal: virtual timer, WFI wait", None, ""),
    ("guest_vtimer_poll", "  partition: virtual timer, busy-poll wait", None, ""),
    ("bare_vtimer_poll", "  bare metal: virtual timer, busy-poll wait", None, ""),
    ("guest_spi", "  partition: PL031 SPI", None, ""),
    ("bare_spi", "  bare metal: PL031 SPI", None, ""),
    ("bare_sgi", "  bare metal: SGI CPU 0 -> CPU 1", None, ""),
    ("bare_gicd_read", "  bare metal: GICD register read", None, ""),
    ("linux_vm_over_bare", "Linux partition entry -> \"Run /init\", over bare QEMU", 1.02, "x"),
    ("linux_vm_entry_to_init", "  partition: kernel entry -> \"Run /init\"", None, ""),
    ("linux_bare_entry_to_init", "  bare QEMU: reset -> \"Run /init\" (same kernel, initramfs, DTB)", None, ""),
    ("realm_host_call", "realm HOST_CALL exit -> hypervisor -> re-entry", 2_500, ""),
    ("realm_vuart_write", "realm emulated-MMIO write (virtual UART), exit -> re-entry", 3_000, ""),
    ("realm_gicd_read", "realm GICD register read", None, ""),
    ("realm_vtimer_latency", "realm virtual timer CVAL -> handler, WFI wait", None, ""),
    ("realm_vtimer_poll", "realm virtual timer CVAL -> handler, busy-poll wait", None, ""),
    ("smccc_version", "SMC SMCCC_VERSION round trip (external payload)", 120, ""),
    ("rmi_version", "RMI_VERSION round trip", 450, ""),
    ("granule_delegate", "RMI_GRANULE_DELEGATE", 1_000, ""),
    ("granule_undelegate", "RMI_GRANULE_UNDELEGATE", 1_400, ""),
    ("rec_host_call", "REC HOST_CALL exit -> bare-metal host -> REC_ENTER", 2_500, ""),
    ("realm_token", "realm attestation token (RSI init -> last continue)", 15_000_000, ""),
    ("reset_scrub_empty", "reset scrub, no Realm granule", None, ""),
    ("reset_scrub_realm", "reset scrub after one realm", None, ""),
    ("realm_build_mib_measured", "realm build per MiB, measured (DATA_CREATE)", None, ""),
    ("realm_build_mib_unmeasured", "realm build per MiB, unmeasured", None, ""),
    ("linux_realm_over_vm", "Linux realm entry -> \"Run /init\", over the same as a VM", 1.3, "x"),
    ("linux_realm_entry_to_init", "  realm: kernel entry -> \"Run /init\"", None, ""),
    ("size_monitor", "monitor.elf text+data (bytes)", None, ""),
    ("size_rmm", "rmm.elf text+data (bytes)", None, ""),
    ("size_hyp", "hyp.elf text+data (bytes)", None, ""),
    ("size_total", "text+data of the three images (bytes)", None, ""),
    ("size_rampart_bin", "rampart.bin (bytes)", None, ""),
]


class BenchError(Exception):
    """A run that gave no number: its rows say "not measured" with this reason."""


class Qemu:
    def __init__(self, args, timeout):
        self.p = subprocess.Popen([QEMU] + COMMON + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.buf = b""
        self.deadline = time.monotonic() + timeout

    def wait_for(self, pattern, deadline=None):
        rx = re.compile(pattern.encode(), re.M)
        deadline = min(deadline or self.deadline, self.deadline)
        while True:
            m = rx.search(self.buf)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self.p.poll() is not None:
                last = (self.buf.decode(errors="replace").splitlines() or [""])[-1][:LAST_LINE_CHARS]
                why = "timed out" if left <= 0 else f"QEMU exited ({self.p.returncode})"
                raise BenchError(f"no /{pattern}/ ({why}); last line: {last}")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 4096)
                self.buf += chunk

    def text(self):
        return self.buf.decode(errors="replace")

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def close(self):
        self.p.kill()
        self.p.wait()


def run_until(args, pattern, timeout=TIMEOUT_S):
    """QEMU's first serial port until pattern appears; its output."""
    q = Qemu(args, timeout)
    try:
        q.wait_for(pattern)
        return q.text()
    finally:
        q.close()


def run_parse(args, pattern, parse):
    """Like run_until, then parse(text); a run that stops short still gives the values it
    printed, and the failure becomes the reason of the others (main() adds it)."""
    q = Qemu(args, TIMEOUT_S)
    try:
        q.wait_for(pattern)
        return parse(q.text())
    except BenchError as e:
        out = parse(q.text())
        out["_missing"] = str(e)
        return out
    finally:
        q.close()


def rampart(build, smp, extra=()):
    return RAMPART_MACHINE + ["-smp", str(smp), "-bios", f"{build}/rampart.bin", "-serial", "stdio",
                              "-serial", "null"] + list(extra)


# --- parsing: pure functions of a run's output (tests/host/test_bench.py) ---

def bench_lines(text, prefix=""):
    """{name: ticks} of every "bench <name> <ticks>" line (after the partition's console prefix)."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(rf"^{re.escape(prefix)}bench (\w+) (\d+)\b", text, re.M)}


def parse_ns_entry(text):
    m = re.search(r"^hyp: NS-EL2 entered at counter (\d+) ", text, re.M)
    if not m:
        raise BenchError("no NS-EL2 entry line")
    return int(m.group(1))


GUEST_ROWS = (("hvc", "guest_hvc"), ("gicd_read", "guest_gicd_read"), ("vtimer_latency", "guest_vtimer_wfi"),
              ("vtimer_poll_latency", "guest_vtimer_poll"), ("spi_latency", "guest_spi"),
              ("sgi_latency", "sgi_latency"))
BARE_ROWS = (("gicd_read", "bare_gicd_read"), ("vtimer_latency", "bare_vtimer_wfi"),
             ("vtimer_poll_latency", "bare_vtimer_poll"), ("spi_latency", "bare_spi"), ("sgi_latency", "bare_sgi"))
REALM_ROWS = (("realm_host_call", "realm_host_call"), ("realm_vuart_write", "realm_vuart_write"),
              ("gicd_read", "realm_gicd_read"), ("vtimer_latency", "realm_vtimer_latency"),
              ("vtimer_poll_latency", "realm_vtimer_poll"))


def guest_rows(text, prefix, mapping):
    """The bench guest's "bench <name> <ticks>" lines as rows; its "bench <name>: <what went
    wrong>" lines (an interrupt that never came) as the reasons of the rows they concern."""
    b = bench_lines(text, prefix)
    out = {dst: b[src] for src, dst in mapping if src in b}
    failed = {m.group(1): m.group(2).strip()
              for m in re.finditer(rf"^{re.escape(prefix)}bench (\w+): (.*)$", text, re.M)}
    reasons = {dst: f"the guest says: {failed[src]}" for src, dst in mapping if src in failed}
    if reasons:
        out["_reasons"] = reasons
    return out


def parse_partition(text, label):
    """The bench partition's run: the hypervisor's boot lines and the guest's bench lines."""
    start = parse_ns_entry(text)
    done = re.search(r"^hyp: \d+ partition\(s\) started; boot work done at counter (\d+)", text, re.M)
    entry = re.search(rf"^hyp: partition {label}: vCPU 0 enters its guest at counter (\d+)", text, re.M)
    out = guest_rows(text, f"[{label}] ", GUEST_ROWS)
    if done:
        out["hyp_boot_work"] = int(done.group(1)) - start
    if entry:
        out["reset_to_first_partition"] = int(entry.group(1))
    return out


def parse_bare(text):
    return guest_rows(text, "", BARE_ROWS)


def parse_realm(text, label):
    return guest_rows(text, f"[{label}] ", REALM_ROWS)


BENCHINIT = r"RAMPART-BENCH-INIT run_init_counter (\d+) mark_counter (\d+)"
BUILT = (r"^hyp: partition {}: realm built and activated in (\d+) ticks: RAM delegated in (\d+), "
         r"(\d+) measured pages in (\d+), (\d+) unmeasured in (\d+)")


def parse_linux(text, label):
    """A Linux partition's kernel entry -> "Run /init" (tests/guests/benchinit's counter), and for
    a realm, its build per MiB."""
    entry = re.search(rf"^hyp: partition {label}: vCPU 0 enters its guest at counter (\d+)", text, re.M)
    init = re.search(BENCHINIT, text)
    if not entry or not init:
        raise BenchError(f"partition {label}: no {'entry line' if not entry else 'benchinit line'}")
    out = {"entry_to_init": int(init.group(1)) - int(entry.group(1))}
    m = re.search(BUILT.format(label), text, re.M)
    if m:
        out.update(build_per_mib(m))
    return out


def parse_linux_bare(text):
    """Bare QEMU: the counter starts at 0 at reset, six instructions (QEMU's boot stub) before the
    kernel's first."""
    init = re.search(BENCHINIT, text)
    if not init:
        raise BenchError("bare Linux: no benchinit line")
    return int(init.group(1))


def build_per_mib(m):
    """Instructions per MiB of realm RAM: its delegation plus DATA_CREATE (measured) or
    DATA_CREATE_UNKNOWN (unmeasured)."""
    total, delegate, measured, mticks, unmeasured, uticks = map(int, m.groups())
    pages = measured + unmeasured
    return {"realm_build_mib_measured": (delegate // pages + mticks // measured) * MIB_PAGES,
            "realm_build_mib_unmeasured": (delegate // pages + uticks // unmeasured) * MIB_PAGES}


def parse_sizes(size_output):
    """aarch64-linux-gnu-size's Berkeley output: text+data of each image and their sum."""
    out = {}
    for line in size_output.splitlines()[1:]:
        f = line.split()
        name = os.path.basename(f[-1]).removesuffix(".elf")
        out[f"size_{name}"] = int(f[0]) + int(f[1])
    if all(f"size_{n}" in out for n in ("monitor", "rmm", "hyp")):
        out["size_total"] = out["size_monitor"] + out["size_rmm"] + out["size_hyp"]
    return out


def derive(r):
    """The rows computed from others: bare-metal differences and ratios."""
    for added, guest, bare in (("vtimer_wfi_added", "guest_vtimer_wfi", "bare_vtimer_wfi"),
                               ("vtimer_poll_added", "guest_vtimer_poll", "bare_vtimer_poll"),
                               ("spi_added", "guest_spi", "bare_spi")):
        if guest in r and bare in r:
            r[added] = r[guest] - r[bare]
    if "linux_vm_entry_to_init" in r and "linux_bare_entry_to_init" in r:
        r["linux_vm_over_bare"] = r["linux_vm_entry_to_init"] / r["linux_bare_entry_to_init"]
    if "linux_realm_entry_to_init" in r and "linux_vm_entry_to_init" in r:
        r["linux_realm_over_vm"] = r["linux_realm_entry_to_init"] / r["linux_vm_entry_to_init"]
    return r


SOURCES = {  # which rows a value needs, for the reason a derived row is missing
    "vtimer_wfi_added": ("guest_vtimer_wfi", "bare_vtimer_wfi"),
    "vtimer_poll_added": ("guest_vtimer_poll", "bare_vtimer_poll"),
    "spi_added": ("guest_spi", "bare_spi"),
    "linux_vm_over_bare": ("linux_vm_entry_to_init", "linux_bare_entry_to_init"),
    "linux_realm_over_vm": ("linux_realm_entry_to_init", "linux_vm_entry_to_init"),
}


def table_rows(results, reasons):
    """Every row of ROWS with its value, target and status. results: {name: value};
    reasons: {name: why it was not measured} (a run's failure, for each row it should give)."""
    rows = []
    for name, path, target, unit in ROWS:
        value = results.get(name)
        if value is None:
            why = reasons.get(name)
            if why is None:
                missing = [s for s in SOURCES.get(name, ()) if s not in results]
                why = next((reasons[s] for s in missing if s in reasons), None)
                why = why or (f"needs {', '.join(missing)}" if missing else "the run printed no value")
            status = f"not measured: {why}"
        elif target is None:
            status = "reported"
        else:
            status = "met" if value <= target else "over"
        rows.append({"name": name, "path": path, "value": value, "unit": unit or "instructions",
                     "target": target, "status": status})
        if unit == "x":
            rows[-1]["unit"] = "ratio"
    return rows


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "ratio":
        return f"{value:.4f}x"
    return f"{value:,}"


def format_table(rows):
    width = max(len(r["path"]) for r in rows)
    lines = [f"{'path':<{width}}  {'instructions':>14}  {'target':>12}  status"]
    for r in rows:
        target = "-" if r["target"] is None else "<= " + fmt(r["target"], r["unit"])
        lines.append(f"{r['path']:<{width}}  {fmt(r['value'], r['unit']):>14}  {target:>12}  {r['status']}")
    return "\n".join(lines)


def to_json(rows, meta):
    return json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n"


# --- the runs ---

def run_default(builtin):
    text = run_until(rampart(builtin, 1), r"^hyp: NS-EL2 entered at counter \d+ ")
    return {"reset_to_ns_el2": parse_ns_entry(text)}


def run_partition(part):
    return run_parse(rampart(part, 2), r"^\[bench\] bmguest bench: done",
                     lambda text: parse_partition(text, "bench"))


def fdtget(dtb, node, prop, kind="s"):
    return subprocess.run(["fdtget", "-t", kind, dtb, node, prop], capture_output=True, text=True,
                          check=True).stdout.strip()


def run_bare(part):
    """The bench guest directly on QEMU, with the partition's boot arguments (from its DTB)."""
    bootargs = fdtget(f"{part}/partitions/bench.dtb", "/chosen", "bootargs")
    return run_parse(BARE_MACHINE + ["-smp", "2", "-m", BARE_RAM, "-kernel", f"{part}/bmguest.bin",
                                     "-append", bootargs, "-serial", "stdio", "-serial", "null"],
                     r"^bmguest bench: done", parse_bare)


def run_realm(build):
    return run_parse(rampart(build, 1), r"^\[rbench\] bmguest rbench: done",
                     lambda text: parse_realm(text, "rbench"))


def images(build):
    """partc's image list: {(partition, image): (load address, file)}."""
    out = {}
    for line in open(f"{build}/partitions/images.list"):
        f = line.split()
        if not line.startswith("#") and len(f) == 6:
            out[(f[0], f[1])] = (f[3], f[5])
    return out


def external_loaders(build):
    return [a for (_, _), (addr, path) in images(build).items()
            for a in ("-device", f"loader,file={path},addr={addr},force-raw=on")]


def run_linux(build, label):
    q = Qemu(rampart(build, 2, external_loaders(build)), LINUX_TIMEOUT_S)
    try:
        q.wait_for(rf"^\[{label}\] ", time.monotonic() + LINUX_FIRST_LINE_S)
        q.wait_for(BENCHINIT)
        return parse_linux(q.text(), label)
    except BenchError as e:
        # A realm built before its kernel hung: its build still counts.
        m = re.search(BUILT.format(label), q.text(), re.M)
        return dict(build_per_mib(m) if m else {}, _reasons={"entry_to_init": str(e)})
    finally:
        q.close()


def run_linux_bare(build, label):
    """The partition's kernel, initramfs and DTB on bare QEMU: the DTB's PSCI method becomes
    "hvc" (QEMU's conduit at EL1; the hypervisor's is SMC) and QEMU rewrites only /memory, to
    the same region, and the initrd's place in /chosen."""
    img = images(build)
    dtb = f"{build}/partitions/{label}-bare.dtb"
    with open(img[(label, "dtb")][1], "rb") as src, open(dtb, "wb") as dst:
        dst.write(src.read())
    subprocess.run(["fdtput", "-t", "s", dtb, "/psci", "method", "hvc"], check=True)
    reg = [int(x, 16) for x in fdtget(dtb, "/memory@40000000", "reg", "x").split()]
    ram_mib = ((reg[2] << 32) | reg[3]) >> 20
    text = run_until(BARE_MACHINE + ["-smp", "1", "-m", f"{ram_mib}M", "-kernel", img[(label, "kernel")][1],
                                     "-initrd", img[(label, "initrd")][1], "-dtb", dtb,
                                     "-serial", "stdio", "-serial", "null"], BENCHINIT, LINUX_TIMEOUT_S)
    return parse_linux_bare(text)


def reset_scrub(q, nth):
    """SYSTEM_RESET, then the monitor's nth reset-scrub line: (granules zeroed, instructions)."""
    q.buf = b""
    q.send("reset")
    q.wait_for(r"^nstest: ready")
    while True:
        found = re.findall(r"^monitor: reset scrub: (\d+) granules .* zeroed in (\d+) ticks\n",
                           open(q.secure_log, errors="replace").read(), re.M)
        if len(found) >= nth:
            return tuple(map(int, found[nth - 1]))
        if time.monotonic() > q.deadline:
            raise BenchError("no reset-scrub line from the monitor")
        time.sleep(0.1)


def run_external(external):
    secure_log = f"{external}/bench-secure.log"
    q = Qemu(RAMPART_MACHINE + ["-smp", "1", "-bios", f"{external}/rampart.bin", "-device",
                                f"loader,file={external}/nstest.bin,addr=0x60000000", "-serial", "stdio",
                                "-serial", f"file:{secure_log}"], TIMEOUT_S)
    q.secure_log = secure_log
    try:
        q.wait_for(r"^nstest: ready")
        # The cold boot after a reset reads the previous boot's GPT; nothing was Realm yet.
        _, empty = reset_scrub(q, 1)
        q.send("bench")
        q.wait_for(r"^bench granule_undelegate \d+\r?\n")
        # A realm's host call: REC exit, back to the host, REC_ENTER again.
        for line in ("rbuild", "renter 0 0", "rbench 0"):
            q.send(line)
        q.wait_for(r"^bench rec_host_call \d+\r?\n")
        counts = {k: v for k, v in bench_lines(q.text()).items() if k != "iterations"}
        # A CCA token for the realm: RSI_ATTESTATION_TOKEN_INIT to the last CONTINUE, measured
        # inside the realm (the first REALM_ACTIVATE of the boot prepared the RAK and platform token).
        q.buf = b""
        q.send("renter 0 0 c " + " ".join(f"{i:x}" for i in range(1, 9)) + " 1000")
        # realmtest reports status 0, length, CONTINUE calls, bound, ticks.
        m = q.wait_for(r"^exitgprs 0 [0-9a-f]+ [0-9a-f]+ [0-9a-f]+ ([0-9a-f]+) ")
        counts["realm_token"] = int(m.group(1), 16)
        # And after a realm (its RD, RECs, aux, RTTs and DATA are Realm): each one zeroed.
        _, realm = reset_scrub(q, 2)
        counts["reset_scrub_empty"] = empty
        counts["reset_scrub_realm"] = realm
        return counts
    finally:
        q.close()


def run_sizes(builtin):
    elfs = [f"{builtin}/{n}.elf" for n in ("monitor", "rmm", "hyp")]
    out = parse_sizes(subprocess.run(["aarch64-linux-gnu-size"] + elfs, capture_output=True, text=True,
                                     check=True).stdout)
    out["size_rampart_bin"] = os.path.getsize(f"{builtin}/rampart.bin")
    return out


def linux_rows(r, prefix):
    """run_linux's keys as rows: entry_to_init gets the partition's prefix, also in _reasons."""
    out = {(prefix + k if k == "entry_to_init" else k): v for k, v in r.items() if k != "_reasons"}
    if "_reasons" in r:
        out["_reasons"] = {prefix + k: v for k, v in r["_reasons"].items()}
    return out


def main(argv):
    out_json = None
    if argv[:1] == ["--json"]:
        out_json, argv = argv[1], argv[2:]
    if len(argv) != 6:
        sys.exit(__doc__)
    builtin, external, part, realm, linux_vm, linux_realm = argv
    started = time.monotonic()
    # Each run: the rows it should give, and how. The Linux boots are the long ones: first.
    runs = [
        (("linux_bare_entry_to_init",), lambda: {"linux_bare_entry_to_init": run_linux_bare(linux_vm, "blinux")}),
        (("linux_vm_entry_to_init",), lambda: linux_rows(run_linux(linux_vm, "blinux"), "linux_vm_")),
        (("linux_realm_entry_to_init", "realm_build_mib_measured", "realm_build_mib_unmeasured"),
         lambda: linux_rows(run_linux(linux_realm, "brealm"), "linux_realm_")),
        (("smccc_version", "rmi_version", "granule_delegate", "granule_undelegate", "rec_host_call",
          "realm_token", "reset_scrub_empty", "reset_scrub_realm"), lambda: run_external(external)),
        (("reset_to_ns_el2",), lambda: run_default(builtin)),
        (("reset_to_first_partition", "hyp_boot_work", "guest_hvc", "guest_gicd_read", "guest_vtimer_wfi",
          "guest_vtimer_poll", "guest_spi", "sgi_latency"), lambda: run_partition(part)),
        (("bare_gicd_read", "bare_vtimer_wfi", "bare_vtimer_poll", "bare_spi", "bare_sgi"),
         lambda: run_bare(part)),
        (("realm_host_call", "realm_vuart_write", "realm_gicd_read", "realm_vtimer_latency", "realm_vtimer_poll"),
         lambda: run_realm(realm)),
        (("size_monitor", "size_rmm", "size_hyp", "size_total", "size_rampart_bin"), lambda: run_sizes(builtin)),
    ]
    results, reasons = {}, {}
    with concurrent.futures.ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        futures = [(names, pool.submit(fn)) for names, fn in runs]
        for names, fut in futures:
            try:
                r = fut.result()
                reasons.update(r.pop("_reasons", {}))
                missing = r.pop("_missing", None)
                reasons.update({n: missing for n in names if missing and n not in r})
                results.update(r)
            except (BenchError, OSError, subprocess.CalledProcessError, KeyError, ValueError) as e:
                for n in names:
                    reasons[n] = str(e) or type(e).__name__
    derive(results)
    rows = table_rows(results, reasons)
    print(format_table(rows))
    meta = {"qemu": subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0],
            "seed": BENCH_SEED, "icount": "shift=0,sleep=off", "seconds": round(time.monotonic() - started, 1)}
    if out_json:
        with open(out_json, "w") as f:
            f.write(to_json(rows, meta))
        print(f"\n{out_json} written; {meta['seconds']} s of QEMU runs")


if __name__ == "__main__":
    main(sys.argv[1:])
