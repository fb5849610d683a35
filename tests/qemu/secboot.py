"""Secure flash as the tests see it (docs/secure-boot.md): the layout from a build's .config, the
package manifest (lib/include/rampart/manifest.h), and the bank metadata and NV counter records
(lib/include/rampart/bootstate.h), so that a test can tamper with a copy of the flash, put the
device in a given state, and read back what the monitor wrote."""
import os
import struct
import subprocess
import zlib

MF_HEADER = struct.Struct("<IHHIIIIII32s")  # magic format hsize signed count version bank alg res signer
MF_IMAGE = struct.Struct("<IIQQQ32s")        # role reserved offset size load sha256
MF_SIG_SIZE = 96
ROLES = {1: "rmm", 2: "hyp", 3: "blob"}
META = struct.Struct("<IHHIBBBBII192sI")     # ... cache[2] (2 x 96), reserved2; then crc
CTR = struct.Struct("<IHHIII")               # magic format size seq value reserved; then crc
META_MAGIC, CTR_MAGIC, NO_TRIAL = 0x444D4252, 0x43564E52, 0xFF


class Layout:
    def __init__(self, build):
        self.block = build.num("FLASH_BLOCK_SIZE")
        self.meta = build.num("SECBOOT_META_OFFSET")
        self.bank_size = build.num("PKG_BANK_SIZE")
        self.banks = [build.num("PKG_OFFSET"), build.num("PKG_OFFSET") + self.bank_size]
        self.trial_boots = build.num("SECBOOT_TRIAL_BOOTS")
        self.version = build.num("SECBOOT_SECURITY_VERSION")

    def meta_slot(self, i):
        return self.meta + i * self.block

    def ctr_slot(self, i):
        return self.meta + (2 + i) * self.block


def flash_copy(build, path):
    """A private, sparse copy of rampart.bin to boot from as a drive (the monitor writes to it)."""
    subprocess.run(["cp", "--sparse=always", str(build.image("rampart.bin")), str(path)], check=True)
    return path


def patch(path, offset, data):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)


def read(path, offset, size):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


def flip(path, offset, mask=0x01):
    """The one-byte change of the tamper tests."""
    patch(path, offset, bytes([read(path, offset, 1)[0] ^ mask]))


def manifest(path, bank_offset):
    """(header fields, [images]) of the manifest at bank_offset."""
    raw = read(path, bank_offset, MF_HEADER.size)
    h = MF_HEADER.unpack(raw)
    header = dict(zip(("magic", "format", "header_size", "signed_size", "count", "version", "bank",
                       "sig_alg", "reserved", "signer_id"), h))
    images = []
    for i in range(header["count"]):
        r = MF_IMAGE.unpack(read(path, bank_offset + MF_HEADER.size + i * MF_IMAGE.size, MF_IMAGE.size))
        images.append(dict(zip(("role", "reserved", "offset", "size", "load", "sha256"), r)))
    return header, images


def meta_record(seq, active=0, trial=NO_TRIAL, attempts=0, min_version=0, cache=b""):
    body = META.pack(META_MAGIC, 1, META.size + 4, seq, active, trial, attempts, 0, min_version, 0,
                     cache.ljust(192, b"\0"), 0)
    return body + struct.pack("<I", zlib.crc32(body))


def ctr_record(seq, value):
    body = CTR.pack(CTR_MAGIC, 1, CTR.size + 4, seq, value, 0)
    return body + struct.pack("<I", zlib.crc32(body))


def _valid(raw, st, magic):
    body, (crc,) = raw[:st.size], struct.unpack("<I", raw[st.size:st.size + 4])
    return body[:4] == struct.pack("<I", magic) and zlib.crc32(body) == crc


def _newest(records):
    """The record the monitor would pick (lib/bootstate.c: serial-number order of seq)."""
    a, b = records
    if a and b:
        return b if 0 < ((b["seq"] - a["seq"]) & 0xFFFFFFFF) < 0x80000000 else a
    return a or b


def read_meta(path, layout):
    recs = []
    for i in range(2):
        raw = read(path, layout.meta_slot(i), META.size + 4)
        if len(raw) == META.size + 4 and _valid(raw, META, META_MAGIC):
            f = META.unpack(raw[:META.size])
            recs.append({"seq": f[3], "active": f[4], "trial": f[5], "attempts": f[6], "min_version": f[8]})
        else:
            recs.append(None)
    return _newest(recs)


def read_counter(path, layout):
    recs = []
    for i in range(2):
        raw = read(path, layout.ctr_slot(i), CTR.size + 4)
        if len(raw) == CTR.size + 4 and _valid(raw, CTR, CTR_MAGIC):
            f = CTR.unpack(raw[:CTR.size])
            recs.append({"seq": f[3], "value": f[4]})
        else:
            recs.append(None)
    r = _newest(recs)
    return r["value"] if r else 0


def pkgtool(build):
    return str(build.path / "tools" / "pkgtool")


def resign(build, path, bank, version, out, key="keys/dev-signing-key.pem", blob_suffix=b""):
    """bank's images from the flash at path, signed again for bank with another version: a new
    package as an update would bring it (blob_suffix: bytes appended to the guest-image blob, so
    that its digest changes too). Returns the bank image's bytes (written to out)."""
    layout = Layout(build)
    _, images = manifest(path, layout.banks[bank])
    specs = []
    for n, im in enumerate(images):
        part = out.parent / f"{out.name}.img{n}"
        data = read(path, layout.banks[bank] + im["offset"], im["size"])
        part.write_bytes(data + (blob_suffix if ROLES[im["role"]] == "blob" else b""))
        specs += ["-i", f"{ROLES[im['role']]}:{part}:{im['load']:#x}"]
    subprocess.run([pkgtool(build), "sign", "--key", key, "--bank", "ab"[bank], "--version", str(version),
                    "--bank-size", hex(layout.bank_size), "-o", str(out), *specs], check=True,
                   cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    return out.read_bytes()
