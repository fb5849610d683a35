"""tools/refvalues (lib/measure.c + libmbedcrypto) against reference §3.7 and against an
independent hashlib model (measure_model.py), for SHA-256 and SHA-512 realms; the JSON it
writes for the verifier; and every argument error with its exact message."""
import hashlib
import json
import random
import re
import struct

import pytest

import measure_model as model
from attest_common import REPO, run, tool

KAT = {
    "create": "cb284887b4e560003d56fa3ecf3eae2cc1d3d372588370a8301e07d28a5673d7",
    "ripas 0x40000000 0x40200000": "8b74025228d7f2c20ef7deda9dd02e36458caf4690f9e4b0f942f8585a04de16",
    "data 0x40000000": "173d0c90958411a6bae7df40ac4da0cc47a92e41e4750efb165df0356a330a7b",
    "rec": "5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf",
    "rem 1": "bb2275c49f28ad52cae6d55e34a974a58c7a3ba26f976e8ecbbe7a536918dc73",
}
KAT_ARGS = ["--s2sz", "41", "--num-bps", "2", "--num-wps", "2", "--ram", "0x40000000:0x200000",
            "--pc", "0x40000000", "--x0", "0x40200000"]


def refvalues(*args, check=True):
    return run([tool("refvalues"), *args], check=check)


def trace_of(res):
    steps = {}
    for line in res.stderr.splitlines():
        step, _, value = line.rpartition(" ")
        steps[step] = value
    return steps


def test_reference_3_7_chain(tmp_path):
    page = tmp_path / "zero.bin"
    page.write_bytes(bytes(4096))
    ref = tmp_path / "ref.json"
    res = refvalues(*KAT_ARGS, "--image", f"{page}@0x40000000", "--rem", "1:" + bytes(range(32)).hex(),
                    "--trace", "--ref-out", ref)
    assert trace_of(res) == KAT
    assert res.stdout == KAT["rec"] + "\n"
    doc = json.loads(ref.read_text())
    assert doc["format"] == "rampart-reference-values/1"
    assert doc["hash-algo"] == "sha-256"
    assert doc["rim"] == KAT["rec"]
    assert doc["rems"] == [KAT["rem 1"]] + ["00" * 32] * 3
    assert doc["rpv"] == "00" * 64


def test_unit_test_sha512_constants_come_from_the_model():
    """tests/unit/test_measure.c's SHA-512 chain must be what the independent model computes."""
    src = (REPO / "tests/unit/test_measure.c").read_text()
    body = src[src.index("test_kat_sha512"):]
    body = body[:body.index("run_chain")]
    values = ["".join(re.findall(r'"([0-9a-f]+)"', entry)) for entry in body.split(",")[:-1]]
    values = [v for v in values if v]
    assert values == model.sha512_chain()


def realistic(tmp_path, algo):
    """A realm exercising every block size, several unsorted images with partial last pages,
    all REC registers, an RPV and REM extends; returns (args, expected model, rems)."""
    rng = random.Random(1234 + algo)
    ram = (0x3fe00000, 0x80401000)  # 2M, 1G, 2M, 2M, 4K entries (s2sz 40: start level 1)
    images = [(0x40080000, rng.randbytes(3 * 4096 + 17)), (0x3fe00000, rng.randbytes(4096)),
              (0x48000000, rng.randbytes(100)), (0x80400000, rng.randbytes(4095))]
    args = ["--s2sz", "40", "--hash", ["sha256", "sha512"][algo], "--num-bps", "6", "--num-wps", "4",
            "--flags", "0x4", "--pmu-ctrs", "3", "--ram", f"{ram[0]:#x}:{ram[1] - ram[0]:#x}",
            "--pc", "0x40080000", "--rpv", "The quick brown fox"]
    for i, (ipa, data) in enumerate(images):
        f = tmp_path / f"img{i}.bin"
        f.write_bytes(data)
        args += ["--image", f"{f}@{ipa:#x}"]
    gprs = [0x48000000] + [0x1111 * (i + 1) for i in range(7)]
    for i, v in enumerate(gprs):
        args += [f"--x{i}", f"{v:#x}"]
    realm = model.build(40, algo, ram, images, 0x40080000, gprs, num_bps=6, num_wps=4, flags=4,
                        pmu_num_ctrs=3)
    rems = [bytes(64)] * 4
    for slot, data in ((2, rng.randbytes(64)), (4, b""), (2, rng.randbytes(7))):
        args += ["--rem", f"{slot}:{data.hex()}"]
        rems[slot - 1] = model.rem_extend(algo, rems[slot - 1], data)
    return args, realm, [r[:model.size(algo)] for r in rems]


@pytest.mark.parametrize("algo", [0, 1], ids=["sha256", "sha512"])
def test_matches_independent_model(tmp_path, algo):
    args, realm, rems = realistic(tmp_path, algo)
    ref = tmp_path / "ref.json"
    res = refvalues(*args, "--trace", "--ref-out", ref)
    n = model.size(algo)
    assert res.stdout == realm.value().hex() + "\n"
    # Every step of the sequence, in order (the model's trace has no REM lines).
    c_steps = [line for line in res.stderr.splitlines() if not line.startswith("rem ")]
    assert c_steps == [f"{name} {value[:n].hex()}" for name, value in realm.trace]
    ripas = [s for s in c_steps if s.startswith("ripas")]
    assert [s.split()[1:3] for s in ripas] == [
        ["0x3fe00000", "0x40000000"], ["0x40000000", "0x80000000"], ["0x80000000", "0x80200000"],
        ["0x80200000", "0x80400000"], ["0x80400000", "0x80401000"]]
    doc = json.loads(ref.read_text())
    assert doc["hash-algo"] == ["sha-256", "sha-512"][algo]
    assert doc["rim"] == realm.value().hex()
    assert doc["rems"] == [r.hex() for r in rems]
    assert doc["rpv"] == b"The quick brown fox".ljust(64, b"\0").hex()
    assert [i["ipa"] for i in doc["images"]] == ["0x3fe00000", "0x40080000", "0x48000000", "0x80400000"]
    assert doc["rec0"]["gprs"][0] == "0x48000000"


def test_not_runnable_rec_is_not_measured(tmp_path):
    res = refvalues("--s2sz", "41", "--num-bps", "2", "--num-wps", "2", "--ram", "0x40000000:0x200000",
                    "--not-runnable", "--trace")
    assert res.stdout == KAT["ripas 0x40000000 0x40200000"] + "\n"


def page_file(tmp_path, name, size=4096):
    f = tmp_path / name
    f.write_bytes(b"\x01" * size)
    return f


def errors(tmp_path):
    a = page_file(tmp_path, "a.bin", 5000)  # spans two pages
    b = page_file(tmp_path, "b.bin")
    missing = tmp_path / "missing.bin"
    base = ["--s2sz", "41", "--num-bps", "2", "--num-wps", "2", "--pc", "0x40000000"]
    ram = ["--ram", "0x40000000:0x200000"]
    return [
        (base + ram + ["--image", f"{missing}@0x40000000"],
         f"--image {missing}@0x40000000: cannot read {missing}: No such file or directory"),
        (base + ram + ["--image", f"{b}@0x40000800"],
         f"--image {b}@0x40000800: IPA 0x40000800 is not 4 KiB aligned"),
        (base + ram + ["--image", f"{b}@0x40200000"],
         f"--image {b}@0x40200000: 0x40200000..0x40201000 is outside RAM 0x40000000..0x40200000"),
        (base + ram + ["--image", f"{a}@0x401ff000"],
         f"--image {a}@0x401ff000: 0x401ff000..0x40201000 is outside RAM 0x40000000..0x40200000"),
        (base + ram + ["--image", f"{b}@0x3ffff000"],
         f"--image {b}@0x3ffff000: 0x3ffff000..0x40000000 is outside RAM 0x40000000..0x40200000"),
        (base + ram + ["--image", f"{b}@0x40001000", "--image", f"{a}@0x40000000"],
         f"--image {b}@0x40001000 overlaps --image {a}@0x40000000"),
        (base + ram + ["--image", f"{b}@0x40000000", "--image", f"{b}@0x40000000"],
         f"--image {b}@0x40000000 overlaps --image {b}@0x40000000"),
        (base + ram + ["--image", f"{b}"], f"--image {b}: expected FILE@IPA"),
        (base + ram + ["--image", f"{page_file(tmp_path, 'e.bin', 0)}@0x40000000"],
         f"--image {tmp_path / 'e.bin'}@0x40000000: {tmp_path / 'e.bin'} is empty"),
        (base, "missing --ram"),
        (base[2:] + ram, "missing --s2sz"),
        (base[:2] + base[4:] + ram, "missing --num-bps"),
        (base[:6] + ram, "missing --pc"),
        (base + ["--ram", "0x40000800:0x1000"],
         "--ram 0x40000800:0x1000: base and size must be 4 KiB aligned"),
        (base + ["--ram", "0x40000000"], "--ram 0x40000000: expected BASE:SIZE"),
        (base + ["--ram", "0x40000000:0"], "--ram 0x40000000:0: empty or wrapping range"),
        (base + ["--ram", "0xfff0000000:0x20000000"],
         "--ram 0xfff0000000:0x20000000: outside the protected IPA range [0, 0x10000000000) of --s2sz 41"),
        (base + ram + ["--s2sz", "31"], "--s2sz 31: must be 32..48"),
        (base + ram + ["--hash", "md5"], "--hash md5: must be sha256 or sha512"),
        (base + ram + ["--pc", "0x4q"], "--pc 0x4q: not a number"),
        (base + ram + ["--num-wps", "256"], "--num-wps 256: must be 0..255"),
        (base + ram + ["--rem", "5:00"], "--rem 5:00: expected SLOT:HEX with SLOT 1..4"),
        (base + ram + ["--rem", "1:" + "00" * 65], f"--rem {'00' * 65}: longer than 64 bytes"),
        (base + ram + ["--rem", "1:0g"], "--rem 0g: not hex"),
        (base + ram + ["--rpv", "x" * 65], f"--rpv {'x' * 65}: longer than 64 bytes"),
        (base + ram + ["--x8", "1"], "unknown option --x8"),
        (base + ram + ["--trace", "--pc"], "--pc needs a value"),
        (base + ram + ["stray"], "unexpected argument stray"),
    ]


def test_argument_errors(tmp_path):
    for args, message in errors(tmp_path):
        ref = tmp_path / "ref.json"
        res = refvalues("--ref-out", ref, *args, check=False)
        assert (res.returncode, res.stdout, res.stderr) == (2, "", f"refvalues: error: {message}\n"), args
        assert not ref.exists()


def test_rmm_measure_known_answers_come_from_the_model():
    """tests/unit/test_rmm_measure.c checks the RMM against these values, not against lib/measure:
    each one the model computes is in that file, so neither can drift from the other."""
    suite = (REPO / "tests" / "unit" / "test_rmm_measure.c").read_text()
    flat = re.sub(r'"\s*\n\s*"', "", suite)  # C string literals split over two lines
    for name, value in model.rmm_measure_kats():
        assert f'"{value}"' in flat, f"{name} {value} is not in test_rmm_measure.c"


# ------------------------------------------------------------------ refvalues platform

SIGNING_KEY = REPO / "keys" / "dev-signing-key.pem"
PLATFORM_KEY = REPO / "keys" / "dev-platform-key.pem"  # a P-384 key that signed nothing here
PKG_BANK_SIZE = 0x100000
PKG_VERSION = 7


def signer_id(key_path):
    """SHA-256 of the uncompressed public point (lib/include/rampart/manifest.h), independently."""
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return hashlib.sha256(point).hexdigest()


def package(tmp_path, version=PKG_VERSION):
    """A bank signed by pkgtool with an RMM, a hypervisor and two blobs; (path, [(type, bytes)])."""
    images = [("rmm", "RMM", 0x40000000, bytes(range(256)) * 9), ("hyp", "HYP", 0x41000000, b"hyp" * 999),
              ("blob", "BLOB0", 0x58000000, b"\x05" * 5000), ("blob", "BLOB1", 0x58100000, b"dtb" * 50)]
    args = []
    for n, (role, _, load, data) in enumerate(images):
        f = tmp_path / f"img{n}.bin"
        f.write_bytes(data)
        args += ["-i", f"{role}:{f}:{load:#x}"]
    out = tmp_path / "bank-a.bin"
    run([tool("pkgtool"), "sign", "--key", SIGNING_KEY, "--bank", "a", "--version", version,
         "--bank-size", hex(PKG_BANK_SIZE), "-o", out, *args])
    return out, [(t, data) for _, t, _, data in images]


def test_platform_components_of_a_signed_package(tmp_path):
    """Every image of the package, named as the monitor names it in the platform token, with its
    SHA-256, the signing key's id and the security version: on stdout and in the JSON."""
    pkg, images = package(tmp_path)
    ref = tmp_path / "platform-ref.json"
    res = refvalues("platform", "--package", pkg, "--signing-key", SIGNING_KEY, "--security-version",
                    str(PKG_VERSION), "--ref-out", ref)
    sid = signer_id(SIGNING_KEY)
    assert res.stdout.splitlines() == [f"{t} sha256={hashlib.sha256(d).hexdigest()} signer-id={sid} "
                                       f"version={PKG_VERSION}" for t, d in images]
    doc = json.loads(ref.read_text())
    assert doc["format"] == "rampart-platform-reference-values/1" and doc["package"] == str(pkg)
    assert doc["software-components"] == [
        {"type": t, "measurement": hashlib.sha256(d).hexdigest(), "signer-id": sid,
         "version": str(PKG_VERSION), "hash-algo": "sha-256"} for t, d in images]
    # The public key alone gives the same values (a verifier's build need not hold the private key).
    pub = REPO / "keys" / "dev-signing-key.pub.pem"
    assert refvalues("platform", "--package", pkg, "--signing-key", pub, "--security-version",
                     str(PKG_VERSION)).stdout == res.stdout


def test_platform_refuses_what_the_device_would_not_boot(tmp_path):
    """Reference values only for a package the key signed, at that version, with intact images."""
    pkg, _ = package(tmp_path)

    def error(message, package=pkg, key=SIGNING_KEY, version="7", extra=()):
        ref = tmp_path / "ref.json"
        args = ["platform", "--ref-out", ref]
        args += ["--package", package] if package else []
        args += ["--signing-key", key] if key else []
        args += list(extra) + (["--security-version", version] if version else [])
        res = refvalues(*args, check=False)
        assert (res.returncode, res.stdout, res.stderr) == (2, "", f"refvalues: error: {message}\n"), args
        assert not ref.exists()

    def changed(name, offset):
        data = bytearray(pkg.read_bytes())
        data[offset] ^= 1
        path = tmp_path / name
        path.write_bytes(data)
        return path

    error(f"--package {pkg}: security version {PKG_VERSION}, not --security-version 8", version="8")
    error(f"--package {pkg}: not signed with --signing-key {PLATFORM_KEY} (another signer id)", key=PLATFORM_KEY)
    # Image 1's offset in the bank: the image table follows the 64-byte header, 64 bytes an entry.
    (hyp_offset,) = struct.unpack_from("<Q", pkg.read_bytes(), 64 + 64 + 8)
    hyp = changed("hyp-changed.bin", hyp_offset + 5)
    error(f"--package {hyp}: image 1 (HYP): digest mismatch", package=hyp)
    bad = changed("manifest-changed.bin", 16)  # the security version: the signature covers it
    error(f"--package {bad}: bad signature", package=bad)
    error(f"--package {tmp_path / 'none.bin'}: No such file or directory", package=tmp_path / "none.bin")
    short = tmp_path / "short.bin"
    short.write_bytes(pkg.read_bytes()[:100])  # the header and half an image entry
    error(f"--package {short}: manifest truncated", package=short)
    error(f"--package {SIGNING_KEY}: no manifest (bad magic)", package=SIGNING_KEY)
    error("--security-version -1: not a 32-bit number", version="-1")
    error("--security-version 0x100000000: not a 32-bit number", version="0x100000000")
    error("missing --package", package=None)
    error("missing --signing-key", key=None)
    error("missing --security-version", version=None)
    error("unknown option --bank", extra=["--bank", "a"])
    error("--security-version needs a value", version=None, extra=["--security-version"])
    error(f"--signing-key {pkg}: not an ECDSA P-384 key (PEM, private or public)", key=pkg)
