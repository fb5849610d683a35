"""The monitor's measured boot (docs/attestation.md, "Measured boot").

The monitor prints `monitor: measured <type> sha256=<hex> size=<n>` for every image it loads;
every digest is recomputed here with hashlib from the build outputs:

- BL31: the monitor as the reset code copies it to SRAM, __monitor_start..__monitor_load_end
  (symbols from monitor.elf with nm): monitor.bin, zero-padded to that size, which is also the
  start of rampart.bin;
- RMM, HYP: rmm.bin and hyp.bin (checked to be what the flash package carries);
- BLOB<n>: the n-th blob image of the package in bank A (lib/include/rampart/manifest.h) parsed
  from rampart.bin, cross-checked with $(O)/partitions/images.list.

RAMPART_BUILD (the self-check configuration) has no blobs; the blob case boots the default
configuration (RAMPART_BUILD_DEFAULT, as `make check` sets it) and is skipped without it.
"""
import hashlib
import os
import re
import struct
import subprocess

import pytest

from conftest import REPO, Build, _build_dir
from util import assert_in_order

NM = os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-") + "nm"
LINE = re.compile(r"^monitor: measured (\S+) sha256=([0-9a-f]{64}) size=(\d+)$", re.M)

# lib/include/rampart/manifest.h: image roles
PKG_ID_RMM, PKG_ID_HYP, PKG_ID_BLOB = 1, 2, 3


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def symbols(elf):
    out = subprocess.run([NM, str(elf)], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def package_entries(build, flash):
    """(role, offset in flash, size, load_addr) of each image of bank A's package, in order."""
    bank = build.num("PKG_OFFSET")
    magic, fmt, hsize, signed, count = struct.unpack_from("<IHHII", flash, bank)
    assert (magic, fmt, hsize) == (0x54464D52, 1, 64), "no package manifest in bank A of rampart.bin"
    assert 0 < count <= 8 and signed == 64 + 64 * count
    entries = []
    for i in range(count):
        role, _, offset, size, load = struct.unpack_from("<IIQQQ", flash, bank + 64 + 64 * i)
        entries.append((role, bank + offset, size, load))
    return entries


def expected_components(build):
    """[(type, bytes, load address)] in the order the monitor measures them."""
    flash = build.image("rampart.bin").read_bytes()
    syms = symbols(build.image("monitor.elf"))
    start, end = syms["__monitor_start"], syms["__monitor_load_end"]
    assert start == build.num("SECURE_SRAM_BASE")
    monitor = build.image("monitor.bin").read_bytes()
    assert len(monitor) <= end - start
    monitor = monitor.ljust(end - start, b"\0")
    # The reset code copies whole 16-byte pairs from flash: the padding comes from rampart.bin.
    assert flash[:end - start] == monitor
    comps = [("BL31", monitor, start)]

    entries = package_entries(build, flash)
    for eid, mtype, image, base in ((PKG_ID_RMM, "RMM", "rmm.bin", "RMM_BASE"),
                                    (PKG_ID_HYP, "HYP", "hyp.bin", "HYP_BASE")):
        data = build.image(image).read_bytes()
        [(offset, size, load)] = [(o, s, l) for i, o, s, l in entries if i == eid]
        assert (flash[offset:offset + size], load) == (data, build.num(base)), f"{image} in the package"
        comps.append((mtype, data, load))

    blobs = [(o, s, l) for i, o, s, l in entries if i == PKG_ID_BLOB]
    for n, (offset, size, load) in enumerate(blobs):
        comps.append((f"BLOB{n}", flash[offset:offset + size], load))

    images_list = build.path / "partitions" / "images.list"
    if images_list.is_file():  # partc's list: partition image load pa size file
        # The flash images travel as one blob (partc's flash-images.bin): each image at its
        # staging PA, the blob loaded at the first.
        rows = [l.split() for l in images_list.read_text().splitlines() if l and not l.startswith("#")]
        flash_rows = [r for r in rows if r[2] == "flash"]
        assert len(blobs) == (1 if flash_rows else 0)
        if flash_rows:
            _, data, load = comps[3]
            for row in flash_rows:
                path = REPO / row[5] if not os.path.isabs(row[5]) else row[5]
                pa, size = int(row[3], 0), int(row[4])
                assert data[pa - load:pa - load + size] == open(path, "rb").read(), f"BLOB0 lacks {row}"
    return comps


def boot_measurements(qemu, build, name):
    if build.config.get("MONITOR_MEASURED_BOOT") != "y":
        build.fail(f"{build.path}/.config has no CONFIG_MONITOR_MEASURED_BOOT")
    expected = expected_components(build)
    q = qemu(build, name)
    q.wait_secure(r"^monitor: entering NS-EL2 at 0x[0-9a-f]+$", 20)
    log = q.secure_log()
    assert "PANIC" not in log, q.transcript()
    printed = [(m.group(1), m.group(2), int(m.group(3))) for m in LINE.finditer(log)]
    assert [p[0] for p in printed] == [e[0] for e in expected], log
    for (mtype, digest, size), (_, data, _) in zip(printed, expected):
        assert size == len(data), f"{mtype}: size {size}, expected {len(data)}"
        assert digest == sha256(data), f"{mtype}: sha256 {digest}, expected {sha256(data)}"
    # Measured where they are loaded: the monitor once its MMU is on, each image after its copy.
    assert_in_order(log, [
        r"^monitor: Rampart EL3 monitor, cold boot on cpu 0$",
        r"^monitor: measured BL31 ",
        r"^monitor: GPC enabled$",
        r"^monitor: loaded rmm: \d+ bytes at 0x[0-9a-f]+$",
        r"^monitor: measured RMM ",
        r"^monitor: loaded hyp: \d+ bytes at 0x[0-9a-f]+$",
        r"^monitor: measured HYP ",
        r"^monitor: entering NS-EL2 at ",
    ])
    return printed, expected


def check_distinct(printed, expected):
    """Negative checks: two components have the same digest exactly when their bytes are the
    same (the default tree stages one guest kernel twice), and no digest is the hash of another
    component's different bytes, so a swapped or stale image would be caught."""
    differing = 0
    for i, (mtype, digest, _) in enumerate(printed):
        for j, (other, data, _) in enumerate(expected):
            if i == j:
                continue
            same = data == expected[i][1]
            assert (digest == printed[j][1]) == same, f"{mtype} and {other}"
            assert (digest == sha256(data)) == same, f"{mtype} has the digest of {other}"
            differing += not same
    assert differing, "no two components to tell apart"


@pytest.mark.timeout(60)
def test_measured_boot_digests(qemu, builtin_build):
    printed, expected = boot_measurements(qemu, builtin_build, "measured")
    assert [p[0] for p in printed] == ["BL31", "RMM", "HYP"] + [f"BLOB{n}" for n in range(len(printed) - 3)]
    check_distinct(printed, expected)
    # The measured monitor is the whole loaded image: text and rodata alone (or .data as it is
    # after boot, with Mbed TLS's allocator installed) would give another digest.
    syms = symbols(builtin_build.image("monitor.elf"))
    text_rodata = expected[0][1][:syms["__rodata_end"] - syms["__monitor_start"]]
    assert printed[0][1] != sha256(text_rodata)


@pytest.fixture(scope="session")
def default_build():
    env = os.environ.get("RAMPART_BUILD_DEFAULT")
    path = _build_dir("RAMPART_BUILD_DEFAULT", "build/check/default")
    if not env and not (path / "rampart.bin").is_file():
        pytest.skip("no default build with staged blobs (set RAMPART_BUILD_DEFAULT, as make check does)")
    build = Build(path, "builtin")
    build.image("rampart.bin")
    build.check_kind()
    return build


@pytest.mark.timeout(60)
def test_measured_boot_staged_blobs(qemu, default_build):
    printed, expected = boot_measurements(qemu, default_build, "measured-default")
    blobs = [p for p in printed if p[0].startswith("BLOB")]
    assert blobs, "the default configuration stages guest images and DTBs"
    check_distinct(printed, expected)
