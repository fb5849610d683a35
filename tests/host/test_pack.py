"""tools/pack, the flash image packer: what it refuses, and the message that says why."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pack():
    d = os.environ.get("RAMPART_TOOLS")
    path = pathlib.Path(d) / "pack" if d else REPO / "build" / "tools" / "pack"
    if not path.is_file():
        pytest.skip(f"no {path} (make tools)")
    return path


def test_too_many_images_names_the_limit_and_the_fix(pack, tmp_path):
    (tmp_path / "mon.bin").write_bytes(b"\0" * 64)
    (tmp_path / "img.bin").write_bytes(b"\1" * 64)
    args = [str(pack), "-o", str(tmp_path / "out.bin"), "-m", str(tmp_path / "mon.bin"), "-p", "0x100000",
            "-f", "0x4000000"]
    images = [a for i in range(9) for a in ("-i", f"blob:{tmp_path / 'img.bin'}:0x{0x58000000 + i * 0x1000:x}")]
    ok = subprocess.run(args + images[:16], capture_output=True, text=True)
    assert (ok.returncode, ok.stderr) == (0, "")
    r = subprocess.run(args + images, capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr == (f"pack: error: image 9 (blob:{tmp_path / 'img.bin'}:0x58008000) is one too many: the flash "
                        "package has 8 entries (PKG_MAX_ENTRIES, lib/include/rampart/package.h); the RMM and the "
                        "hypervisor take one each, and all flash-loaded guest images travel in one more, partc's "
                        "flash-images.bin (docs/partitions.md, \"Images\"): pass that instead of single images\n")


def test_flash_overflow_says_how_much(pack, tmp_path):
    (tmp_path / "mon.bin").write_bytes(b"\0" * 64)
    (tmp_path / "big.bin").write_bytes(b"\1" * 0x10000)
    r = subprocess.run([str(pack), "-o", str(tmp_path / "out.bin"), "-m", str(tmp_path / "mon.bin"), "-p", "0x1000",
                        "-f", "0x8000", "-i", f"blob:{tmp_path / 'big.bin'}:0x58000000"], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (1, f"pack: error: images do not fit in the 0x8000 bytes of flash: "
                                           f"{tmp_path / 'big.bin'} ends at 0x12000\n")
