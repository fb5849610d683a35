"""Secure boot, anti-rollback and the monitor's update calls (docs/secure-boot.md).

Every test boots from its own copy of the build's flash (secboot.flash_copy) as a pflash drive,
so what the monitor writes - metadata, counter, bank B - is read back from the file, and a second
QEMU run sees it, as a device sees its flash after a power cycle.

- RAMPART_BUILD (self-check configuration: RMM + hypervisor, powers off by itself): one-byte
  changes in each image, the manifest and the signature; both banks bad; rollback; trial boots
  that are never confirmed.
- RAMPART_BUILD_DEFAULT: a changed byte in the guest-image blob.
- RAMPART_BUILD_EXT (nstest at NS-EL2 makes the SiP calls itself): bounds of the update calls, a
  whole update written through them, confirmed, and the counter it moves.
"""
import hashlib
import os
import re

import pytest

import secboot
from conftest import BOOT_TIMEOUT_S, Build, _build_dir, payload_args
from secboot import Layout, flash_copy, flip, manifest, read, read_counter, read_meta

SECURE_TIMEOUT_S = 60
UPDATE_BUF = 0x50000000  # NS DRAM below nstest's pools (external configuration)
SMC_INFO, SMC_WRITE, SMC_ARM, SMC_CONFIRM = 0xC2000100, 0xC2000101, 0xC2000102, 0xC2000103
OK, INVALID, DENIED, REFUSED = 0, 2**64 - 2, 2**64 - 3, 2**64 - 4
MF_ERR_MAGIC = 2
PAGE = 0x1000


def role_index(images, role):
    return next(i for i, im in enumerate(images) if secboot.ROLES[im["role"]] == role)


def boot(qemu, build, flash, name="secboot"):
    """One boot to NS-EL2; returns the QEMU and the secure log up to there."""
    q = qemu(build, name, flash=flash)
    q.wait_secure(r"^monitor: entering NS-EL2 at ", SECURE_TIMEOUT_S)
    return q, q.secure_log()


def boot_and_cut(qemu, build, flash, name="secboot"):
    """A boot to NS-EL2, then the power is cut: a boot cycle of the trial counting."""
    q, log = boot(qemu, build, flash, name)
    q.kill()
    return log


@pytest.mark.timeout(90)
def test_untouched_flash_boots_bank_a(qemu, builtin_build, tmp_path):
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    _, log = boot(qemu, builtin_build, flash)
    assert "refused" not in log, log
    # The factory metadata vouches for both banks' signatures (pkgtool provision): no ECDSA.
    assert re.search(r"^monitor: secure boot: bank A verified: security version \d+, 2 images, signature "
                     r"vouched for by the verification cache$", log, re.M), log
    assert re.search(r"^monitor: secure boot: booting bank A, security version \d+$", log, re.M), log
    assert "WARNING: DEVELOPMENT signing key" in log
    layout = Layout(builtin_build)
    assert read_meta(flash, layout)["active"] == 0
    assert read_counter(flash, layout) == 0


@pytest.mark.timeout(120)
def test_signature_verified_then_cached(qemu, builtin_build, tmp_path):
    """Without a cache entry the monitor runs ECDSA, then records the MAC; a forged entry for a
    changed manifest does not stand in for the signature."""
    layout = Layout(builtin_build)
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    for i in range(2):
        secboot.patch(flash, layout.meta_slot(i), b"\0" * PAGE)
    q, log = boot(qemu, builtin_build, flash, "nocache")
    assert re.search(r"^monitor: secure boot: bank A verified: .*, signature ok$", log, re.M), log
    q.kill()
    _, log = boot(qemu, builtin_build, flash, "cached")
    assert re.search(r"^monitor: secure boot: bank A verified: .*, signature vouched for by the "
                     r"verification cache$", log, re.M), log
    # Bank A's security version changed, and a cache entry claiming that manifest (wrong MAC).
    flip(flash, layout.banks[0] + 16)
    header, _ = manifest(flash, layout.banks[0])
    signed = read(flash, layout.banks[0], header["signed_size"])
    forged = hashlib.sha384(signed).digest() + b"\x42" * 48
    secboot.patch(flash, layout.meta_slot(0), secboot.meta_record(100, cache=forged))
    _, log = boot(qemu, builtin_build, flash, "forged")
    assert "bank A refused: manifest: bad signature" in log, log


def tamper(flash, layout, what):
    """One byte of bank A changed; returns the refusal the monitor must print."""
    base = layout.banks[0]
    header, images = manifest(flash, base)
    if what in ("rmm", "hyp", "blob"):
        i = role_index(images, what)
        flip(flash, base + images[i]["offset"] + images[i]["size"] // 2)
        return rf"bank A refused: image {i} \({what}\): digest mismatch"
    if what == "manifest":  # the security version: signed, so the signature no longer verifies
        flip(flash, base + 16)
        return r"bank A refused: manifest: bad signature"
    if what == "image-table":  # image 0's digest in the table
        flip(flash, base + secboot.MF_HEADER.size + 32)
        return r"bank A refused: manifest: bad signature"
    assert what == "signature"
    flip(flash, base + header["signed_size"] + 7)
    return r"bank A refused: manifest: bad signature"


@pytest.mark.timeout(90)
@pytest.mark.parametrize("what", ["rmm", "hyp", "manifest", "image-table", "signature"])
def test_tampered_bank_a_refused_bank_b_boots(qemu, builtin_build, tmp_path, what):
    layout = Layout(builtin_build)
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    refusal = tamper(flash, layout, what)
    _, log = boot(qemu, builtin_build, flash)
    assert re.search(rf"^monitor: secure boot: {refusal}$", log, re.M), log
    assert "bank B refused" not in log, log
    assert re.search(r"^monitor: secure boot: booting bank B, security version \d+$", log, re.M), log
    # The bank that booted is the confirmed one from now on.
    assert read_meta(flash, layout)["active"] == 1


@pytest.fixture(scope="session")
def default_build_sb():
    path = _build_dir("RAMPART_BUILD_DEFAULT", "build/check/default")
    if not os.environ.get("RAMPART_BUILD_DEFAULT") and not (path / "rampart.bin").is_file():
        pytest.skip("no default build (set RAMPART_BUILD_DEFAULT, as make check does)")
    build = Build(path, "builtin")
    build.image("rampart.bin")
    return build


@pytest.mark.timeout(90)
def test_tampered_blob_refused(qemu, default_build_sb, tmp_path):
    layout = Layout(default_build_sb)
    flash = flash_copy(default_build_sb, tmp_path / "flash.img")
    refusal = tamper(flash, layout, "blob")
    _, log = boot(qemu, default_build_sb, flash)
    assert re.search(rf"^monitor: secure boot: {refusal}$", log, re.M), log
    assert re.search(r"^monitor: secure boot: booting bank B, ", log, re.M), log


def assert_safe_state(q, log):
    assert re.search(r"^monitor: secure boot: no valid bank: stopping in the safe state", log, re.M), log
    assert re.search(r"^monitor: fatal error in the secure boot: system stopped", log, re.M), log
    assert "entering NS-EL2" not in log and "RMM booted" not in log, log
    assert not [l for l in q.lines if l.startswith("hyp:")], q.transcript()


@pytest.mark.timeout(90)
def test_both_banks_bad_safe_state(qemu, builtin_build, tmp_path):
    layout = Layout(builtin_build)
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    tamper(flash, layout, "rmm")
    _, images = manifest(flash, layout.banks[1])
    i = role_index(images, "hyp")
    flip(flash, layout.banks[1] + images[i]["offset"])
    q = qemu(builtin_build, "bothbad", flash=flash)
    assert q.wait_exit(SECURE_TIMEOUT_S) == 1, q.transcript()  # pvpanic: QEMU's failure status
    log = q.secure_log()
    assert re.search(r"^monitor: secure boot: bank A refused: image 0 \(rmm\): digest mismatch$", log, re.M)
    assert re.search(rf"^monitor: secure boot: bank B refused: image {i} \(hyp\): digest mismatch$", log, re.M)
    assert_safe_state(q, log)


@pytest.mark.timeout(90)
def test_erased_banks_safe_state(qemu, builtin_build, tmp_path):
    layout = Layout(builtin_build)
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    for b in layout.banks:
        secboot.patch(flash, b, b"\xff" * PAGE)
    q = qemu(builtin_build, "erased", flash=flash)
    assert q.wait_exit(SECURE_TIMEOUT_S) == 1, q.transcript()
    log = q.secure_log()
    for bank in "AB":
        assert f"bank {bank} refused: manifest: no manifest (bad magic)" in log, log
    assert_safe_state(q, log)


@pytest.mark.timeout(120)
def test_rollback_below_counter_refused(qemu, builtin_build, tmp_path):
    layout = Layout(builtin_build)
    v = layout.version
    # Counter equal to the version: boots (the check is "below").
    flash = flash_copy(builtin_build, tmp_path / "equal.img")
    secboot.patch(flash, layout.ctr_slot(0), secboot.ctr_record(1, v))
    _, log = boot(qemu, builtin_build, flash, "equal")
    assert "booting bank A" in log and "rollback" not in log, log
    # One above: both banks are a rollback, the safe state.
    flash = flash_copy(builtin_build, tmp_path / "above.img")
    secboot.patch(flash, layout.ctr_slot(1), secboot.ctr_record(7, v + 1))
    q = qemu(builtin_build, "above", flash=flash)
    assert q.wait_exit(SECURE_TIMEOUT_S) == 1, q.transcript()
    log = q.secure_log()
    for bank in "AB":
        assert f"bank {bank} refused: security version {v} is below the NV counter {v + 1} (rollback)" in log
    assert_safe_state(q, log)
    assert read_counter(flash, layout) == v + 1  # never lowered


def arm_trial_of_b(build, flash, tmp_path, version):
    """Bank B re-signed with version, and the metadata of an armed update (as ARM leaves it)."""
    layout = Layout(build)
    data = secboot.resign(build, flash, 1, version, tmp_path / "bank-b-new.bin")
    secboot.patch(flash, layout.banks[1], data)
    secboot.patch(flash, layout.meta_slot(0), secboot.meta_record(1, active=0, trial=1))
    return layout


@pytest.mark.timeout(240)
def test_unconfirmed_trial_falls_back_counter_unmoved(qemu, builtin_build, tmp_path):
    flash = flash_copy(builtin_build, tmp_path / "flash.img")
    layout = arm_trial_of_b(builtin_build, flash, tmp_path, Layout(builtin_build).version + 1)
    n = layout.trial_boots
    for k in range(1, n + 1):
        log = boot_and_cut(qemu, builtin_build, flash, f"trial{k}")
        assert re.search(rf"^monitor: secure boot: booting bank B, security version {layout.version + 1}: "
                         rf"TRIAL boot {k} of {n}, to be confirmed$", log, re.M), log
        meta = read_meta(flash, layout)
        assert (meta["active"], meta["trial"], meta["attempts"]) == (0, 1, k)
        assert read_counter(flash, layout) == 0, "the counter moved on an unconfirmed trial"
    log = boot_and_cut(qemu, builtin_build, flash, "fallback")
    assert re.search(rf"^monitor: secure boot: trial of bank B not confirmed after {n} boots: back to bank A$",
                     log, re.M), log
    assert re.search(r"^monitor: secure boot: booting bank A, ", log, re.M), log
    meta = read_meta(flash, layout)
    assert (meta["active"], meta["trial"], meta["min_version"]) == (0, secboot.NO_TRIAL, 0)
    assert read_counter(flash, layout) == 0


# ---------------------------------------------------------------- the SiP calls, from nstest


def nstest_boot(qemu, build, flash, name, extra=()):
    q = qemu(build, name, payload_args(build) + list(extra), flash=flash)
    q.wait_for(r"^nstest: ready$", BOOT_TIMEOUT_S * 2)
    return q


def info(q):
    r = q.smc(SMC_INFO)
    assert r[0] == OK
    return {"bank": r[1] & 0xFF, "trial": (r[1] >> 8) & 1, "pending": (r[1] >> 16) & 0xFF,
            "attempts": (r[1] >> 24) & 0xFF, "version": r[2], "counter": r[3], "bank_size": r[4]}


@pytest.mark.timeout(120)
def test_update_calls_bounded(qemu, external_build, tmp_path):
    layout = Layout(external_build)
    flash = flash_copy(external_build, tmp_path / "flash.img")
    q = nstest_boot(qemu, external_build, flash, "bounds")
    assert info(q) == {"bank": 0, "trial": 0, "pending": 0xFF, "attempts": 0, "version": layout.version,
                       "counter": 0, "bank_size": layout.bank_size}
    before = read(flash, layout.banks[1], 2 * PAGE)
    q.cmd(f"fill {UPDATE_BUF:x} 5a5a5a5a5a5a5a5a")
    for args, why in [((0x10, UPDATE_BUF, PAGE), "unaligned offset"),
                      ((layout.bank_size, UPDATE_BUF, PAGE), "offset past the bank"),
                      ((layout.bank_size - PAGE, UPDATE_BUF, 2 * PAGE), "longer than a page"),
                      ((0, UPDATE_BUF, 0), "empty"),
                      ((0, UPDATE_BUF, 6), "not whole words"),
                      ((0, 0x0E000000, PAGE), "secure SRAM as the buffer"),
                      ((0, 0x40000000, PAGE), "the RMM carve-out (Realm) as the buffer"),
                      ((0, 0, PAGE), "flash as the buffer")]:
        assert q.smc(SMC_WRITE, *args)[0] == INVALID, why
    assert read(flash, layout.banks[1], 2 * PAGE) == before, "a refused write changed bank B"
    assert q.smc(SMC_CONFIRM)[0] == DENIED, "nothing to confirm outside a trial"
    assert q.smc(0xC2000104)[0] == 2**64 - 1, "an unknown update call"
    # A page of garbage over bank B's manifest: written, and ARM refuses it (no manifest).
    assert q.smc(SMC_WRITE, 0, UPDATE_BUF, PAGE)[0] == OK
    assert read(flash, layout.banks[1], PAGE) == bytes.fromhex("5a") * PAGE
    assert read(flash, layout.banks[1] + PAGE, PAGE) == b"\xff" * PAGE, "the erase block was not erased"
    assert read(flash, layout.banks[0], PAGE) == read(external_build.image("rampart.bin"), layout.banks[0], PAGE)
    r = q.smc(SMC_ARM)
    assert (r[0], r[1]) == (REFUSED, MF_ERR_MAGIC)
    assert read_meta(flash, layout) is None or read_meta(flash, layout)["trial"] == secboot.NO_TRIAL


def write_bank(q, image):
    """The whole bank image through UPDATE_WRITE, page by page, from UPDATE_BUF (a QEMU loader)."""
    for off in range(0, len(image), PAGE):
        n = min(PAGE, len(image) - off)
        n += -n % 4
        r = q.smc(SMC_WRITE, off, UPDATE_BUF + off, n)
        assert r[0] == OK, f"write at {off:#x}: {r[0]:#x}"


@pytest.mark.timeout(240)
def test_update_confirm_moves_counter_then_rollback_refused(qemu, external_build, tmp_path):
    layout = Layout(external_build)
    flash = flash_copy(external_build, tmp_path / "flash.img")
    v = layout.version
    image = secboot.resign(external_build, flash, 1, v + 1, tmp_path / "bank-b.bin")
    loader = ["-device", f"loader,file={tmp_path / 'bank-b.bin'},addr={UPDATE_BUF:#x},force-raw=on"]
    q = nstest_boot(qemu, external_build, flash, "update", loader)
    write_bank(q, image)
    assert q.smc(SMC_ARM)[0] == OK
    meta = read_meta(flash, layout)
    assert (meta["active"], meta["trial"], meta["attempts"]) == (0, 1, 0)
    assert read_counter(flash, layout) == 0
    # Power cycle: the trial boot.
    q.kill()
    q = nstest_boot(qemu, external_build, flash, "trial")
    assert re.search(rf"^monitor: secure boot: booting bank B, security version {v + 1}: TRIAL boot 1 of ",
                     q.secure_log(), re.M), q.secure_log()
    assert info(q)["trial"] == 1 and info(q)["bank"] == 1
    assert q.smc(SMC_WRITE, 0, UPDATE_BUF, PAGE)[0] == DENIED, "a trial's fallback bank must stay as it is"
    assert q.smc(SMC_ARM)[0] == DENIED
    assert read_counter(flash, layout) == 0
    assert q.smc(SMC_CONFIRM)[0] == OK
    assert info(q)["counter"] == v + 1 and info(q)["trial"] == 0
    assert q.smc(SMC_CONFIRM)[0] == DENIED, "confirmed once"
    meta = read_meta(flash, layout)
    assert (meta["active"], meta["trial"], meta["min_version"]) == (1, secboot.NO_TRIAL, v + 1)
    assert read_counter(flash, layout) == v + 1
    q.kill()
    # Confirmed: bank B from now on; and bank A (version v) is now a rollback.
    _, images = manifest(flash, layout.banks[1])
    flip(flash, layout.banks[1] + images[0]["offset"])
    q = qemu(external_build, "rollback", payload_args(external_build), flash=flash)
    assert q.wait_exit(SECURE_TIMEOUT_S) == 1, q.transcript()
    log = q.secure_log()
    assert "bank B refused: image 0 (rmm): digest mismatch" in log, log
    assert f"bank A refused: security version {v} is below the NV counter {v + 1} (rollback)" in log, log
    assert_safe_state(q, log)
