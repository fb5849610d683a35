#!/usr/bin/env python3
"""Build a gzip'd newc initramfs: busybox (static) as /bin/busybox, an /init script,
and the /dev nodes a kernel console needs. No cpio binary and no root needed.

usage: mkinitramfs.py BUSYBOX INIT_SCRIPT OUT.cpio.gz
"""
import gzip
import os
import stat
import sys

MODE_DIR = stat.S_IFDIR | 0o755
MODE_FILE = stat.S_IFREG | 0o755
MODE_CHR = stat.S_IFCHR | 0o600


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join(f"{v:08x}" for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    busybox, init, out = sys.argv[1:]
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(init, "rb") as f:
        init_data = f.read()
    items = [
        ("bin", MODE_DIR, b"", (0, 0)), ("dev", MODE_DIR, b"", (0, 0)), ("proc", MODE_DIR, b"", (0, 0)),
        ("sys", MODE_DIR, b"", (0, 0)), ("bin/busybox", MODE_FILE, bb, (0, 0)),
        ("init", MODE_FILE, init_data, (0, 0)),
        ("dev/console", MODE_CHR, b"", (5, 1)), ("dev/null", MODE_CHR, b"", (1, 3)),
    ]
    blob = b"".join(entry(i + 1, n, m, d, r) for i, (n, m, d, r) in enumerate(items))
    blob += entry(len(items) + 1, "TRAILER!!!", 0)
    # mtime 0: the same inputs give the same bytes (a measured image must be reproducible).
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as f:
        f.write(blob)


if __name__ == "__main__":
    main()
