"""tools/pkgtool sign, the bank packer: what it refuses, and the message that says why."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
KEY = REPO / "keys" / "dev-signing-key.pem"
BANK_SIZE = 0x100000
MANIFEST_AREA = 0x1000  # MF_AREA_SIZE: the images start after it


@pytest.fixture(scope="session")
def pkgtool():
    d = os.environ.get("RAMPART_TOOLS")
    path = pathlib.Path(d) / "pkgtool" if d else REPO / "build" / "tools" / "pkgtool"
    if not path.is_file():
        pytest.skip(f"no {path} (make tools)")
    return path


def sign(pkgtool, tmp_path, images, bank_size=BANK_SIZE):
    return subprocess.run([str(pkgtool), "sign", "--key", str(KEY), "--bank", "a", "--version", "1",
                           "--bank-size", hex(bank_size), "-o", str(tmp_path / "bank.bin")] + images,
                          capture_output=True, text=True)


def test_too_many_images_names_the_limit_and_the_fix(pkgtool, tmp_path):
    (tmp_path / "img.bin").write_bytes(b"\1" * 64)
    rmm = ["-i", f"rmm:{tmp_path / 'img.bin'}:0x40000000"]  # every bank has its RMM
    images = rmm + [a for i in range(1, 9) for a in ("-i", f"blob:{tmp_path / 'img.bin'}:0x{0x58000000 + i * 0x1000:x}")]
    ok = sign(pkgtool, tmp_path, images[:16])
    assert (ok.returncode, ok.stderr) == (0, "")
    r = sign(pkgtool, tmp_path, images)
    assert r.returncode == 2
    assert r.stderr == (f"pkgtool: error: image 9 (blob:{tmp_path / 'img.bin'}:0x58008000) is one too many: a bank's "
                        "manifest lists 8 images (MF_MAX_IMAGES, lib/include/rampart/manifest.h); the RMM and the "
                        "hypervisor take one each, and all flash-loaded guest images travel in one more, partc's "
                        "flash-images.bin (docs/partitions.md, \"Images\"): pass that instead of single images\n")


def test_bank_overflow_says_how_much(pkgtool, tmp_path):
    (tmp_path / "big.bin").write_bytes(b"\1" * 0x10000)
    r = sign(pkgtool, tmp_path, ["-i", f"rmm:{tmp_path / 'big.bin'}:0x40000000"], bank_size=0x8000)
    assert (r.returncode, r.stderr) == (2, f"pkgtool: error: images do not fit in a bank of 0x8000 bytes "
                                           f"(PKG_BANK_SIZE): {tmp_path / 'big.bin'} ends at "
                                           f"0x{MANIFEST_AREA + 0x10000:x}\n")
    assert not (tmp_path / "bank.bin").exists()


def test_firmware_image_above_its_room_is_refused(pkgtool, tmp_path):
    """partc's flash budget counts on the RMM and the hypervisor taking at most FW_IMAGE_MAX each."""
    (tmp_path / "rmm.bin").write_bytes(b"\1" * 0x3000)
    ok = sign(pkgtool, tmp_path, ["--fw-image-max", "0x3000", "-i", f"rmm:{tmp_path / 'rmm.bin'}:0x40000000"])
    assert (ok.returncode, ok.stderr) == (0, "")
    (tmp_path / "bank.bin").unlink()
    r = sign(pkgtool, tmp_path, ["--fw-image-max", "0x2fff", "-i", f"rmm:{tmp_path / 'rmm.bin'}:0x40000000"])
    assert (r.returncode, r.stderr) == (2, f"pkgtool: error: {tmp_path / 'rmm.bin'}: the rmm image is 0x3000 bytes, "
                                           "more than the 0x2fff a bank keeps for it (FW_IMAGE_MAX in the Makefile; "
                                           "partc's flash budget counts on it)\n")
    assert not (tmp_path / "bank.bin").exists()
