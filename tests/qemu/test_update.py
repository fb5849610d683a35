"""An update from inside a partition, end to end (docs/secure-boot.md, "Update flow";
tests/qemu/partitions/update.dts, RAMPART_BUILD_UPDATE): the update authority writes a new package
into bank B through the hypervisor calls and arms it; the next boot is a trial; the authority
confirms; the NV counter moves; the realm's platform token names the new digests, signer and
version, and verifies against the reference values `refvalues platform` computes for the new
package (rampart-verify --platform-ref), not against the factory package's. A partition that is
not the authority is denied every call.
"""
import hashlib
import re
import subprocess

import cbor2
import pytest

import secboot
from conftest import REPO
from secboot import Layout, flash_copy, manifest, read, read_counter, read_meta
from update_flow import MARKER, booted, loader, new_package, update_build, wait_line  # noqa: F401

VERIFY = REPO / "tools" / "verify" / "rampart-verify"
TOKEN_SEED = 0x1122334455667788
DENIED, INVALID = -3, -2


def tokens(q):
    out, cur = [], None
    with q._cond:
        lines = [l[len("[tok] "):] for l in q.lines if l.startswith("[tok] ")]
    for l in lines:
        if l.startswith("RAMPART-TOKEN-BEGIN"):
            cur = []
        elif l.startswith("RAMPART-TOKEN-END") and cur is not None:
            out.append(bytes.fromhex("".join(cur)))
            cur = None
        elif cur is not None:
            cur.append(l)
    return out


def verify(build, token, tmp_path, platform_ref):
    path = tmp_path / "tok.cbor"
    path.write_bytes(token)
    challenge = b"".join((TOKEN_SEED + i).to_bytes(8, "little") for i in range(8))
    return subprocess.run([str(VERIFY), str(path), "--platform-key", str(build.image("platform-key.pub.pem")),
                           "--challenge", challenge.hex(), "--platform-ref", str(platform_ref)],
                          capture_output=True, text=True, timeout=60)


def platform_components(build, token, tmp_path, pkg, version):
    """The token verified with rampart-verify against the reference values of the package pkg
    (refvalues platform: the build's signing key, version), then its platform software components."""
    ref = tmp_path / "platform-ref.json"
    subprocess.run([str(build.image("tools/refvalues")), "platform", "--package", str(pkg), "--signing-key",
                    str(REPO / build.config["SECBOOT_SIGNING_KEY_FILE"]), "--security-version", str(version),
                    "--ref-out", str(ref)], check=True, capture_output=True, timeout=60)
    r = verify(build, token, tmp_path, ref)
    assert r.returncode == 0, r.stderr
    assert "  platform reference values: RMM, HYP, BLOB0 match --platform-ref (measurement, signer id, " \
           "security version); not appraised: BL31" in r.stdout.splitlines(), r.stdout
    top = cbor2.loads(token)
    claims = cbor2.loads(cbor2.loads(top.value[44234]).value[2])
    return {c[1]: c for c in claims[2399]}


@pytest.mark.timeout(300)
def test_update_from_the_authority_partition(qemu, update_build, tmp_path):
    build = update_build
    layout = Layout(build)
    v = layout.version
    flash = flash_copy(build, tmp_path / "flash.img")
    factory = read(flash, layout.banks[0], layout.bank_size)
    pkg, image = new_package(build, flash, tmp_path, v + 1)
    signer = bytes.fromhex((build.path / "signer-id.txt").read_text())

    # Boot 1: the authority writes bank B and arms it; the other partition is denied everything.
    q = qemu(build, "write", loader(pkg), flash=flash)
    wait_line(q, rf"^\[other\] update: not the authority: info {DENIED} write {DENIED} arm {DENIED} "
                 rf"confirm {DENIED}$")
    wait_line(q, rf"^\[updater\] update: write from outside my RAM {INVALID}$")
    wait_line(q, rf"^\[updater\] update: write outside the bank {INVALID}$")
    wait_line(q, rf"^\[updater\] update: writing version {v + 1}, ")
    wait_line(q, r"^\[updater\] update: arm 0 0$")
    wait_line(q, rf"^\[updater\] update: info 0 bank 0 trial 0 pending 1 attempts 0 version {v} counter 0$")
    q.kill()
    _, images = manifest(flash, layout.banks[1])
    end = max(im["offset"] + im["size"] for im in images)  # what the authority writes
    assert read(flash, layout.banks[1], end) == image[:end]
    assert read(flash, layout.banks[0], layout.bank_size) == factory, "the running bank changed"
    meta = read_meta(flash, layout)
    assert (meta["active"], meta["trial"], meta["attempts"]) == (0, 1, 0)
    assert read_counter(flash, layout) == 0

    # Boot 2 (a power cycle): the trial; the realm's token names the new package; the authority confirms.
    q = qemu(build, "trial", flash=flash)
    wait_line(q, r"^\[updater\] update: confirm 0$")
    wait_line(q, rf"^\[updater\] update: info 0 bank 1 trial 0 pending 255 attempts 0 version {v + 1} "
                 rf"counter {v + 1}$")
    wait_line(q, r"^\[tok\] RAMPART-TOKEN-END ")
    assert booted(q.secure_log()) == ("B", v + 1, True), q.secure_log()
    [token] = tokens(q)
    q.kill()
    comps = platform_components(build, token, tmp_path, pkg, v + 1)
    # The factory package's reference values (the build's) describe another release.
    r = verify(build, token, tmp_path, build.image("platform-reference-values.json"))
    assert (r.returncode, r.stderr) == (1, f"rampart-verify: FAIL: platform reference: RMM: security version "
                                           f"(4) is '{v + 1}', expected '{v}'\n")
    _, images = manifest(flash, layout.banks[1])
    blob = next(im for im in images if secboot.ROLES[im["role"]] == "blob")
    new_blob = read(flash, layout.banks[1] + blob["offset"], blob["size"])
    assert new_blob.endswith(MARKER)
    assert comps["BLOB0"][2] == hashlib.sha256(new_blob).digest()
    assert comps["BLOB0"][2] != hashlib.sha256(new_blob[:-len(MARKER)]).digest()
    for t in ("RMM", "HYP", "BLOB0"):
        assert (comps[t][4], comps[t][5]) == (str(v + 1), signer), t
    assert 4 not in comps["BL31"] and comps["BL31"][5] == bytes(32)
    meta = read_meta(flash, layout)
    assert (meta["active"], meta["trial"], meta["min_version"]) == (1, secboot.NO_TRIAL, v + 1)
    assert read_counter(flash, layout) == v + 1

    # Boot 3: bank B, confirmed; the package offered again is not newer: nothing to do.
    q = qemu(build, "after", loader(pkg), flash=flash)
    wait_line(q, r"^\[updater\] update: nothing to do$")
    assert booted(q.secure_log()) == ("B", v + 1, False), q.secure_log()
    assert re.search(r"bank B verified: .* signature vouched for by the verification cache", q.secure_log())
