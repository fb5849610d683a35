"""The update flow of tests/qemu/partitions/update.dts, shared by test_update.py and
test_update_powerloss.py: a new package (bank B's images, a changed guest-image blob, a higher
security version) that a QEMU loader puts in the update authority's RAM."""
import os
import re

import pytest

import secboot
from conftest import Build, _build_dir

PKG_PA = 0x43000000  # updater's IPA 0x41000000 (tests/qemu/partitions/update.dts)
MARKER = b"rampart update test: a new guest-image block".ljust(64, b"\0")
LINE_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def update_build():
    path = _build_dir("RAMPART_BUILD_UPDATE", "build/check/update")
    build = Build(path, "builtin")
    build.image("rampart.bin")
    if not build.config.get("HYP_PARTITIONS_DTS", "").endswith("partitions/update.dts"):
        pytest.fail(f"{path} is not built from tests/configs/test_update_defconfig", pytrace=False)
    return build


def new_package(build, flash, tmp_path, version):
    out = tmp_path / f"update-v{version}.bin"
    data = secboot.resign(build, flash, 1, version, out, blob_suffix=MARKER)
    return out, data


def loader(pkg):
    return ["-device", f"loader,file={pkg},addr={PKG_PA:#x},force-raw=on"]


def wait_line(q, pattern, timeout=LINE_TIMEOUT_S):
    """A line matching pattern anywhere in the NS output so far or to come (partitions interleave)."""
    rx = re.compile(pattern)
    with q._cond:
        for line in q.lines:
            m = rx.search(line)
            if m:
                return m
    return q.wait_for(pattern, timeout)


def booted(log):
    """(bank, version, trial) of the monitor's "booting bank" line, or None."""
    m = re.search(r"^monitor: secure boot: booting bank ([AB]), security version (\d+)(: TRIAL)?", log, re.M)
    return (m.group(1), int(m.group(2)), bool(m.group(3))) if m else None
