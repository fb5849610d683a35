"""Power loss during an update (docs/secure-boot.md, "Power loss"): the update of test_update.py
(write bank B, arm, trial boot, confirm) with QEMU killed at a random point, then a boot without
any interference, which must come up on a valid bank - the old package or the new one, never
anything else, never the safe state - with a counter that moved only if the new package was
confirmed.

RAMPART_POWERLOSS_POINTS kill points (default 24, about 75 s; `make check-powerloss` runs 100),
drawn from RAMPART_POWERLOSS_SEED (default 15, printed on failure) among: a random time in the
writing boot or in the trial boot, and a short random delay after a marker that precedes a flash
write (a progress line of the bank writes, the arm, the trial boot's attempt counting, the
confirmation).
"""
import os
import random
import re
import shutil
import time

import pytest

from conftest import BOOT_TIMEOUT_S
from secboot import Layout, flash_copy, read_counter, read_meta
from update_flow import booted, loader, new_package, update_build, wait_line  # noqa: F401

POINTS = int(os.environ.get("RAMPART_POWERLOSS_POINTS", "24"))
SEED = int(os.environ.get("RAMPART_POWERLOSS_SEED", "15"))
POLL_S = 0.005
WRITING_S = 3.0  # about how long the writing boot takes to arm (for random times)
TRIAL_S = 2.5


def until(q, pattern, secure, timeout=BOOT_TIMEOUT_S * 3, nth=1):
    """Waits for the nth line matching pattern (NS output or the secure log); False if QEMU ended."""
    rx = re.compile(pattern, re.M)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if secure:
            found = len(rx.findall(q.secure_log()))
        else:
            with q._cond:
                found = sum(1 for l in q.lines if rx.search(l))
        if found >= nth:
            return True
        if q.proc.poll() is not None:
            return False
        time.sleep(POLL_S)
    pytest.fail(f"no /{pattern}/ within {timeout} s\n{q.transcript()}")


def cut(q, rng, pattern=None, secure=False, nth=1, spread=0.05):
    """Power off at the marker plus a random delay (or at a random time if there is no marker)."""
    if pattern:
        until(q, pattern, secure, nth=nth)
        time.sleep(rng.uniform(0, spread))
    else:
        time.sleep(spread)
    q.kill()


def draw(rng, pages):
    """(boot, marker, secure log?, nth, spread): where this point cuts the power."""
    kinds = [
        ("write", None, False, 1, rng.uniform(0, WRITING_S)),
        ("write", r"^\[updater\] update: wrote 0x", False, rng.randint(1, max(1, pages)), 0.2),
        ("write", r"^\[updater\] update: writing version", False, 1, 0.1),
        ("write", r"^monitor: secure boot: bank B \(security version \d+\) armed", True, 1, 0.002),
        ("write", r"^\[updater\] update: wrote 0x", False, max(1, pages), 0.1),
        ("trial", None, False, 1, rng.uniform(0, TRIAL_S)),
        ("trial", r"^monitor: secure boot: NV counter", True, 1, 0.01),
        ("trial", r"^\[updater\] update: info 0 bank 1 trial 1", False, 1, 0.02),
        ("trial", r"^monitor: secure boot: bank B confirmed", True, 1, 0.002),
    ]
    return rng.choice(kinds)


@pytest.mark.timeout(60 + 25 * POINTS)
def test_power_loss_at_random_points_of_an_update(qemu, update_build, tmp_path):
    build = update_build
    layout = Layout(build)
    v = layout.version
    factory = flash_copy(build, tmp_path / "factory.img")
    pkg, image = new_package(build, factory, tmp_path, v + 1)
    pages = len(image) // 0x1000 // 8  # progress lines of the writing boot
    rng = random.Random(SEED)
    outcomes = []
    for point in range(POINTS):
        flash = tmp_path / "flash.img"
        shutil.copyfile(factory, flash)
        boot, pattern, secure, nth, spread = draw(rng, pages)
        where = f"point {point} (seed {SEED}): {boot} {pattern or 'random time'} #{nth} +{spread:.3f}s"
        q = qemu(build, f"p{point}w", loader(pkg), flash=flash)
        if boot == "write":
            cut(q, rng, pattern, secure, nth, spread)
        else:
            wait_line(q, r"^\[updater\] update: info 0 bank 0 trial 0 pending 1 ")
            q.kill()
            q = qemu(build, f"p{point}t", flash=flash)
            cut(q, rng, pattern, secure, nth, spread)
        # The next boot, undisturbed: a valid bank, the partitions run.
        q = qemu(build, f"p{point}r", loader(pkg), flash=flash)
        wait_line(q, r"^\[updater\] update: info 0 bank ")
        log = q.secure_log()
        q.kill()
        got = booted(log)
        assert got, f"{where}: no bank booted\n{log}"
        assert "no valid bank" not in log and "PANIC" not in log, f"{where}\n{log}"
        bank, version, _ = got
        assert (bank, version) in (("A", v), ("B", v + 1)), f"{where}: booted {got}\n{log}"
        counter, meta = read_counter(flash, layout), read_meta(flash, layout)
        assert counter in (0, v + 1), f"{where}: counter {counter}"
        if counter == v + 1:  # moved only for a confirmed update
            assert meta and meta["active"] == 1 and bank == "B", f"{where}: counter moved, meta {meta}\n{log}"
        outcomes.append((boot, bank))
    print("power-loss outcomes:", outcomes)
