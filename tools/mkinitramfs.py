#!/usr/bin/env python3
"""Build a gzip'd newc initramfs for the Linux partitions: busybox (static) as
/bin/busybox, the init scripts, the /dev nodes a kernel console needs, and
kernel modules (.ko or .ko.xz, stored decompressed) in /lib/modules.
No cpio binary and no root needed; the same inputs give the same bytes
(mtime 0 everywhere), because a realm's initrd is measured.

usage: mkinitramfs.py OUT.cpio.gz BUSYBOX [NAME=SCRIPT ...] [--modules DIR]
  BUSYBOX       the static busybox, or - for none (make bench's initramfs: one program)
  NAME=SCRIPT   put SCRIPT at /NAME, executable (e.g. init=tools/linux-init.sh)
  --modules DIR every *.ko and *.ko.xz in DIR into /lib/modules, and their load
                order (dependencies first, from each module's .modinfo) in
                /lib/modules/order
"""
import gzip
import lzma
import pathlib
import stat
import struct
import sys

MODE_DIR = stat.S_IFDIR | 0o755
MODE_FILE = stat.S_IFREG | 0o755
MODE_CHR = stat.S_IFCHR | 0o600
KMSG_DEV = (1, 11)  # Linux's /dev/kmsg: major 1 (mem), minor 11


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join(f"{v:08x}" for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def modinfo(elf):
    """name and depends of a kernel module (ELF64 little-endian, its .modinfo section)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not an ELF64 little-endian module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = sections[shstrndx]
    info = {}
    for name_off, _, _, _, off, size in sections:
        name = elf[strtab[4] + name_off:elf.index(b"\0", strtab[4] + name_off)]
        if name == b".modinfo":
            for field in elf[off:off + size].split(b"\0"):
                key, sep, value = field.decode(errors="replace").partition("=")
                if sep:
                    info.setdefault(key, value)
    return info.get("name", ""), [d for d in info.get("depends", "").split(",") if d]


def modules(directory):
    found = {}
    for path in sorted(pathlib.Path(directory).iterdir()):
        if path.name.endswith(".ko.xz"):
            data, fname = lzma.decompress(path.read_bytes()), path.name[:-3]
        elif path.name.endswith(".ko"):
            data, fname = path.read_bytes(), path.name
        else:
            continue
        name, deps = modinfo(data)
        found[name or fname[:-3]] = (fname, data, deps)
    order, done = [], set()
    while len(done) < len(found):  # dependencies first; a missing one is built in (or absent)
        ready = [n for n in sorted(found) if n not in done and all(d in done or d not in found
                                                                     for d in found[n][2])]
        if not ready:
            sys.exit(f"mkinitramfs.py: circular module dependencies among {sorted(set(found) - done)}")
        order += ready
        done.update(ready)
    items = [(f"lib/modules/{found[n][0]}", MODE_FILE, found[n][1], (0, 0)) for n in order]
    items.append(("lib/modules/order", MODE_FILE, "".join(found[n][0] + "\n" for n in order).encode(), (0, 0)))
    return items


def main(argv):
    if len(argv) < 2 or argv[0].startswith("-"):
        sys.exit(__doc__)
    out, busybox, rest = argv[0], argv[1], argv[2:]
    items = [
        ("bin", MODE_DIR, b"", (0, 0)), ("dev", MODE_DIR, b"", (0, 0)), ("proc", MODE_DIR, b"", (0, 0)),
        ("sys", MODE_DIR, b"", (0, 0)), ("lib", MODE_DIR, b"", (0, 0)), ("lib/modules", MODE_DIR, b"", (0, 0)),
        ("dev/console", MODE_CHR, b"", (5, 1)), ("dev/null", MODE_CHR, b"", (1, 3)),
    ]
    if busybox != "-":
        items.insert(6, ("bin/busybox", MODE_FILE, pathlib.Path(busybox).read_bytes(), (0, 0)))
    else:  # make bench's /init reads and writes the kernel log (tests/guests/benchinit)
        items.append(("dev/kmsg", MODE_CHR, b"", KMSG_DEV))
    i = 0
    while i < len(rest):
        if rest[i] == "--modules":
            if i + 1 == len(rest):
                sys.exit("mkinitramfs.py: --modules needs a directory")
            items += modules(rest[i + 1])
            i += 2
            continue
        name, sep, script = rest[i].partition("=")
        if not sep or not name or name.startswith("/"):
            sys.exit(f"mkinitramfs.py: {rest[i]}: expected NAME=SCRIPT")
        items.append((name, MODE_FILE, pathlib.Path(script).read_bytes(), (0, 0)))
        i += 1
    blob = b"".join(entry(n + 1, name, mode, data, rdev) for n, (name, mode, data, rdev) in enumerate(items))
    blob += entry(len(items) + 1, "TRAILER!!!", 0)
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv[1:])
