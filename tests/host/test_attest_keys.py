"""tools/attestkeys/attestkeys (the build step that turns the Kconfig key and seed files into the
monitor's header and the platform public key) and the committed development files in keys/:
the header carries exactly the key's scalar, the seed, the implementation id and the instance id
0x01 || SHA-256(public point); development files are flagged wherever they were copied, product
files are not; the public key output matches the key; bad inputs are one-line errors."""
import hashlib
import re
import shutil

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from attest_common import REPO, run

TOOL = REPO / "tools" / "attestkeys" / "attestkeys"
DEV_KEY, DEV_SEED = REPO / "keys" / "dev-platform-key.pem", REPO / "keys" / "dev-device-seed.hex"
DEV_PUB = REPO / "keys" / "dev-platform-key.pub.pem"
IMPL_ID = hashlib.sha256(b"rampart:qemu-virt-rme").hexdigest()


def attestkeys(tmp_path, key=DEV_KEY, seed=DEV_SEED, impl_id=IMPL_ID):
    return run([TOOL, "--key", key, "--seed", seed, "--impl-id", impl_id, "--dev-key", DEV_KEY,
                "--dev-seed", DEV_SEED, "--header", tmp_path / "attest_keys.h",
                "--public", tmp_path / "pub.pem"], check=False)


def arrays(header):
    """{name: bytes} of the header's static const uint8_t arrays."""
    found = {}
    for m in re.finditer(r"static const uint8_t (\w+)\[(\d+)\] = \{([^}]*)\};", header):
        data = bytes(int(v, 16) for v in re.findall(r"0x([0-9a-f]{2})", m.group(3)))
        assert len(data) == int(m.group(2))
        found[m.group(1)] = data
    return found


def defines(header):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"#define (ATTEST_DEV_\w+) (\d)", header)}


def new_key_pem(tmp_path, curve=ec.SECP384R1()):
    key = ec.generate_private_key(curve)
    path = tmp_path / "product.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return key, path


def point(pub):
    return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def test_development_files_are_loudly_marked():
    for path in (DEV_KEY, DEV_SEED):
        text = path.read_text()
        assert "DEVELOPMENT-ONLY" in text and "PUBLIC!" in text, path
    key = serialization.load_pem_private_key(DEV_KEY.read_bytes(), None)
    assert key.curve.name == "secp384r1"
    assert serialization.load_pem_public_key(DEV_PUB.read_bytes()).public_numbers() == \
        key.public_key().public_numbers()


def test_development_header(tmp_path):
    res = attestkeys(tmp_path)
    assert res.returncode == 0, res.stderr
    header = (tmp_path / "attest_keys.h").read_text()
    key = serialization.load_pem_private_key(DEV_KEY.read_bytes(), None)
    seed = bytes.fromhex("".join("".join(l.split("#")[0] for l in DEV_SEED.read_text().splitlines()).split()))
    assert defines(header) == {"ATTEST_DEV_PLATFORM_KEY": 1, "ATTEST_DEV_DEVICE_SEED": 1}
    assert arrays(header) == {
        "attest_platform_key": key.private_numbers().private_value.to_bytes(48, "big"),
        "attest_device_seed": seed,
        "attest_implementation_id": bytes.fromhex(IMPL_ID),
        "attest_instance_id": b"\x01" + hashlib.sha256(point(key.public_key())).digest(),
    }
    pub = serialization.load_pem_public_key((tmp_path / "pub.pem").read_bytes())
    assert pub.public_numbers() == key.public_key().public_numbers()


def test_copied_development_files_are_still_flagged(tmp_path):
    key, seed = tmp_path / "copy.pem", tmp_path / "copy.hex"
    shutil.copy(DEV_KEY, key)
    seed.write_text(DEV_SEED.read_text().replace("#", "\n# ").upper().replace("# ", "#"))
    res = attestkeys(tmp_path, key=key, seed=seed)
    assert res.returncode == 0, res.stderr
    assert defines((tmp_path / "attest_keys.h").read_text()) == {"ATTEST_DEV_PLATFORM_KEY": 1,
                                                                 "ATTEST_DEV_DEVICE_SEED": 1}


def test_product_files(tmp_path):
    key, path = new_key_pem(tmp_path)
    seed = tmp_path / "seed.hex"
    seed.write_text("# product seed\n" + "ab" * 48 + "\n")
    res = attestkeys(tmp_path, key=path, seed=seed)
    assert res.returncode == 0, res.stderr
    header = (tmp_path / "attest_keys.h").read_text()
    assert defines(header) == {"ATTEST_DEV_PLATFORM_KEY": 0, "ATTEST_DEV_DEVICE_SEED": 0}
    assert arrays(header)["attest_device_seed"] == b"\xab" * 48
    assert arrays(header)["attest_instance_id"] == b"\x01" + hashlib.sha256(point(key.public_key())).digest()


@pytest.mark.parametrize("case,message", [
    ("p256", "not an ECDSA P-384 private key"),
    ("short seed", "16 bytes, the seed must have 32 to 64"),
    ("hex", "not hex digits"),
    ("impl id", "--impl-id 'abcd': must be 32 bytes as hex"),
    ("missing", "No such file or directory"),
])
def test_errors(tmp_path, case, message):
    key, seed, impl_id = DEV_KEY, DEV_SEED, IMPL_ID
    if case == "p256":
        _, key = new_key_pem(tmp_path, ec.SECP256R1())
    elif case == "short seed":
        seed = tmp_path / "s.hex"
        seed.write_text("00" * 16)
    elif case == "hex":
        seed = tmp_path / "s.hex"
        seed.write_text("zz" * 32)
    elif case == "impl id":
        impl_id = "abcd"
    else:
        key = tmp_path / "none.pem"
    res = attestkeys(tmp_path, key=key, seed=seed, impl_id=impl_id)
    assert res.returncode == 2 and res.stderr.startswith("attestkeys: error: ") and message in res.stderr, \
        res.stderr
    assert res.stderr.count("\n") == 1
    assert not (tmp_path / "attest_keys.h").exists()
