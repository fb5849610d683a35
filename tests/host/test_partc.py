"""tools/partc, the partition compiler (docs/partitions.md).

* every tree in partc/bad/ must fail with exit status 1 and exactly the
  message on its `// expect:` line (nothing written);
* partc/good.dts (the base the bad trees were derived from) and the Linux example
  partc/linux-example.dts compile;
* the guest DTBs decode and describe what a stock kernel needs; the emitted
  table (compiled with the real header and dumped as JSON) and the image list
  match the tree.

partc comes from $RAMPART_TOOLS (what `make check` passes); without it the
test builds the tools into build/host-tests. The platform options below are
what tools/partc/build.mk passes for qemu_virt_rme_defconfig; the expected
messages depend on them.
"""
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent / "partc"
BAD = sorted((HERE / "bad").glob("*.dts"))
# The Linux + bare-metal tree: the richest example (shared memory, passthrough, external
# images). The default tree runs two bmguest partitions and is exercised by tests/qemu.
DEFAULT_DTS = HERE / "linux-example.dts"
MiB = 1 << 20

PLATFORM = [
    "--dram", "0x40000000,0x80000000", "--nr-cpus", "4", "--nr-spis", "256", "--s2-table-pages", "16",
    "--reserve", "flash,0x0,0x04000000",
    "--reserve", "secure-sram,0x0e000000,0x01000000",
    "--reserve", "gicd,0x08000000,0x10000",
    "--reserve", "gicr,0x080a0000,0x80000",
    "--reserve", "hyp-console,0x09000000,0x1000",
    "--reserve", "secure-uart,0x09040000,0x1000",
    "--reserve", "secure-gpio,0x090b0000,0x1000",
    "--reserve", "rmm,0x40000000,0x01000000",
    "--reserve", "hyp,0x41000000,0x01000000",
    "--reserve-spi", "hyp-console,1", "--reserve-spi", "secure-uart,8",
    "--flash-budget", "0x1eff000", "--realm-limits", "48,5,3",
]

# A fake arm64 Image: 64 KiB file whose header says 20 MiB with BSS.
IMAGE_FILE_SIZE = 64 * 1024
IMAGE_MEM_SIZE = 20 * MiB


def _arm64_image():
    hdr = bytearray(IMAGE_FILE_SIZE)
    struct.pack_into("<IIQQQ", hdr, 0, 0x14000010, 0, 0, IMAGE_MEM_SIZE, 0xA)
    hdr[0x38:0x3C] = b"ARM\x64"
    return bytes(hdr)


@pytest.fixture(scope="session")
def tools():
    env_dir = os.environ.get("RAMPART_TOOLS")
    if env_dir:
        d = pathlib.Path(env_dir)
    else:
        o = REPO / "build" / "host-tests"
        for goal in (["qemu_virt_rme_defconfig"], ["tools"]):
            subprocess.run(["make", "--no-print-directory", f"O={o}"] + goal, cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL)
        d = o / "tools"
    assert (d / "partc").is_file(), f"no partc in {d} (make tools)"
    return d


@pytest.fixture(scope="session")
def partc(tools):
    return tools / "partc"


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    return make_images(tmp_path_factory.mktemp("images"))


HUGE_IMAGE_SIZE = 0xFFFFFFFFFFFF0000
BIG_FRAGMENT_BYTES = 2_600_000  # a valid DTB larger than a guest's whole DTB may be


def make_images(d):
    """The image directory the trees in partc/ name their files in."""
    (d / "Image").write_bytes(_arm64_image())
    huge = bytearray(_arm64_image())
    struct.pack_into("<Q", huge, 16, HUGE_IMAGE_SIZE)
    (d / "huge-image-size").write_bytes(bytes(huge))
    (d / "adir").mkdir()
    (d / "zeros.bin").write_bytes(bytes(BIG_FRAGMENT_BYTES))
    dtc_compile(d / "bigfrag.dts", d / "bigfrag.dtb",
                '/dts-v1/;\n/ {\n\tfirmware-blob {\n\t\tdata = /incbin/("zeros.bin");\n\t};\n};\n')
    (d / "initrd.cpio.gz").write_bytes(bytes(range(256)) * 16)
    (d / "safety.bin").write_bytes(b"\x00\x00\x00\x14" * 1024)
    (d / "empty.bin").write_bytes(b"")
    (d / "garbage.dtb").write_bytes(b"not a device tree\n" * 10)
    with open(d / "big.bin", "wb") as f:
        f.truncate(40 * MiB)
    (d / "linux").mkdir()
    shutil.copy(d / "Image", d / "linux" / "Image")
    shutil.copy(d / "initrd.cpio.gz", d / "linux" / "initrd.cpio.gz")
    dtc_compile(d / "clash.dts", d / "clash.dtb",
                "/dts-v1/;\n/ {\n\tpl011@9000000 {\n\t\tcompatible = \"arm,pl011\";\n\t};\n};\n")
    dtc_compile(d / "frag.dts", d / "frag.dtb", FRAGMENT)
    (d / "old-version.dtb").write_bytes(old_version(d / "frag.dtb"))
    (d / "wrap.dtb").write_bytes(wrapping_property(d / "frag.dtb"))
    return d


# The DTB header's version and last_comp_version (big-endian words at 0x14 and 0x18).
DTB_VERSION_OFFSET = 0x14
OLD_DTB_VERSION = 6
OLD_DTB_LAST_COMP = 2


def old_version(dtb):
    """A version-17 DTB whose header claims an old format version (2..15): libfdt 1.6.1's
    fdt_check_full dereferences NULL on these (found by tests/fuzz/fuzz_partc.c)."""
    b = bytearray(pathlib.Path(dtb).read_bytes())
    struct.pack_into(">II", b, DTB_VERSION_OFFSET, OLD_DTB_VERSION, OLD_DTB_LAST_COMP)
    return bytes(b)


FRAGMENT = """/dts-v1/;
/ {
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		fw: firmware@40f00000 {
			reg = <0x0 0x40f00000 0x0 0x100000>;
			no-map;
		};
	};
	firmware-user {
		compatible = "vendor,firmware-user";
		memory-region = <&fw>;
	};
};
"""


def dtc_compile(dts, dtb, text=None):
    if text is not None:
        pathlib.Path(dts).write_text(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)], check=True)


def run(partc, dts, images, out, extra=(), platform=PLATFORM):
    """As the build does (tools/partc/build.mk, partc_compile): the DTB, and the DTS as dtc writes it
    for --source-types."""
    dtb = out.parent / (pathlib.Path(dts).stem + ".dtb")
    types = out.parent / (pathlib.Path(dts).stem + ".types.dts")
    dtc_compile(dts, dtb)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", "-o", str(types), str(dts)], check=True)
    return subprocess.run([str(partc)] + list(platform) + ["--image-path", str(images), "--source",
                          pathlib.Path(dts).name, "--source-types", str(types), "-o", str(out)] + list(extra)
                          + [str(dtb)], capture_output=True, text=True, timeout=60)


def compile_ok(partc, dts, images, tmp_path, **kw):
    out = tmp_path / "out"
    r = run(partc, dts, images, out, **kw)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return out


def fdtget(dtb, node, prop, kind=None):
    cmd = ["fdtget"] + (["-t", kind] if kind else []) + [str(dtb), node, prop]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def nodes(dtb):
    return subprocess.run(["fdtget", "-l", str(dtb), "/"], capture_output=True, text=True,
                          check=True).stdout.split()


# ------------------------------------------------------------------ malformed trees

def test_enough_malformed_trees():
    assert len(BAD) >= 25


@pytest.mark.parametrize("dts", BAD, ids=[p.stem for p in BAD])
def test_bad_tree(partc, images, tmp_path, dts):
    m = re.search(r"^// expect: (.*)$", dts.read_text(), re.M)
    assert m, f"{dts.name} has no // expect: line"
    want = m.group(1).replace("{images}", str(images))
    out = tmp_path / "out"
    r = run(partc, dts, images, out)
    assert (r.returncode, r.stderr) == (1, want + "\n")
    assert r.stdout == ""
    assert not out.exists(), "a failed compile must not write outputs"


FDT_BEGIN_NODE, FDT_PROP = 1, 3
WRAPPING_LENGTH = 0xFFFFFFF4  # the property's end lands back on its own tag


def wrapping_property(dtb):
    """The DTB with its first property's length set to WRAPPING_LENGTH: libfdt 1.6.1's
    fdt_next_tag() then loops for ever (found by tests/fuzz/fuzz_partc.c)."""
    b = bytearray(pathlib.Path(dtb).read_bytes())
    off = struct.unpack_from(">I", b, 8)[0]  # off_dt_struct
    while struct.unpack_from(">I", b, off)[0] != FDT_PROP:
        assert struct.unpack_from(">I", b, off)[0] == FDT_BEGIN_NODE
        off = (b.index(0, off + 4) + 1 + 3) & ~3
    struct.pack_into(">I", b, off + 4, WRAPPING_LENGTH)
    return bytes(b)


def test_wrapping_property_length_is_refused(partc, images, tmp_path):
    """A property length that wraps the structure offset is an error, not a hang in libfdt."""
    dtb = tmp_path / "good.dtb"
    dtc_compile(HERE / "good.dts", dtb)
    bad = tmp_path / "wrap.dtb"
    bad.write_bytes(wrapping_property(dtb))
    r = subprocess.run([str(partc)] + PLATFORM + ["--image-path", str(images), "--check", str(bad)],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (2, f"partc: {bad}: not a valid DTB (FDT_ERR_BADSTRUCTURE)\n")


def test_old_dtb_version_is_refused(partc, images, tmp_path):
    """A tree DTB of an old format version is an error, not a crash in libfdt."""
    dtb = tmp_path / "good.dtb"
    dtc_compile(HERE / "good.dts", dtb)
    old = tmp_path / "old.dtb"
    old.write_bytes(old_version(dtb))
    r = subprocess.run([str(partc)] + PLATFORM + ["--image-path", str(images), "--check", str(old)],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (2, f"partc: {old}: not a valid DTB (FDT_ERR_BADVERSION)\n")


def test_notation_needs_source_types(partc, images, tmp_path):
    """Without --source-types partc sees only the DTB's bytes: /bits/ 64 <1> cannot be told from
    <0 1> (hence the build always passes it), and 3 bytes are still not whole cells."""
    dtb = tmp_path / "t.dtb"
    for name, rc, want in (("cpus-bits-64", 0, ""),  # silently CPUs 0 and 1
                           ("cpus-bad-cells", 1, "property 'cpus': 3 bytes is not a whole number of 32-bit cells")):
        dtc_compile(HERE / "bad" / f"{name}.dts", dtb)
        r = subprocess.run([str(partc)] + PLATFORM + ["--image-path", str(images), "--check", str(dtb)],
                           capture_output=True, text=True)
        assert r.returncode == rc and want in r.stderr, r.stderr


def test_source_types_reader(partc, images, tmp_path):
    """dtc's DTS output with labels, strings that look like notation, and nested nodes."""
    (tmp_path / "t.dts").write_text((HERE / "good.dts").read_text().replace(
        'bootargs = "console=ttyAMA0 rdinit=/init";', 'lbl: bootargs = "x=[01] y=/bits/ 64 <1> {\\" };";').replace(
        "memory = <0x0 0x40000000 0x0 0x42000000 0x0 0x00400000>;",
        "memory = /bits/ 64 <0x40000000 0x42000000 0x00400000>;"))
    r = run(partc, tmp_path / "t.dts", images, tmp_path / "out")
    assert (r.returncode, r.stderr) == (0, "")
    (tmp_path / "bad.types").write_text("/dts-v1/;\n/ {\n\tnode {\n};\n")
    dtc_compile(HERE / "good.dts", tmp_path / "good.dtb")
    r = subprocess.run([str(partc)] + PLATFORM + ["--image-path", str(images), "--check", "--source-types",
                       str(tmp_path / "bad.types"), str(tmp_path / "good.dtb")], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (2, f"partc: {tmp_path / 'bad.types'}: not DTS as dtc writes it "
                                           "(dtc -I dts -O dts)\n")


def test_label_never_overwrites_the_input(partc, images, tmp_path):
    """A partition labelled "partitions" once wrote its DTB over the build's partitions.dtb. partc
    refuses to write a guest DTB over its input, before writing anything."""
    out = tmp_path / "out"
    out.mkdir()
    text = (HERE / "good.dts").read_text().replace('label = "safety";', 'label = "partitions";').replace(
        'peers = "linux", "safety";', 'peers = "linux", "partitions";')
    (tmp_path / "p.dts").write_text(text)
    dtc_compile(tmp_path / "p.dts", out / "partitions.dtb")
    before = (out / "partitions.dtb").read_bytes()
    r = subprocess.run([str(partc)] + PLATFORM + ["--image-path", str(images), "--source", "p.dts", "-o", str(out),
                       str(out / "partitions.dtb")], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (1, "partc: p.dts: /partitions/partition@1: property 'label': \"partitions\" "
                                           f"makes the guest device tree {out}/partitions.dtb, which is partc's "
                                           "input; use another label or output directory\n")
    assert sorted(p.name for p in out.iterdir()) == ["partitions.dtb"]
    assert (out / "partitions.dtb").read_bytes() == before


def test_make_partitions_with_label_partitions(tools, images, tmp_path):
    """The build's own intermediate files have names no label can give (partitions.tree.dtb/.dts)."""
    o = tools.parent
    if not (o / ".config").is_file():
        pytest.skip("no configured build directory beside the tools")
    text = (HERE / "good.dts").read_text().replace('label = "safety";', 'label = "partitions";').replace(
        'peers = "linux", "safety";', 'peers = "linux", "partitions";')
    (tmp_path / "p.dts").write_text(text)
    out = tmp_path / "out"
    r = subprocess.run(["make", "--no-print-directory", f"O={o}", "partitions", f"PARTITIONS_DTS={tmp_path / 'p.dts'}",
                        f"PARTITIONS_OUT={out}", f"PARTC_IMAGE_PATH={images}"], cwd=REPO, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert fdtget(out / "partitions.dtb", "/", "model") == "Rampart partition partitions"
    assert fdtget(out / "partitions.tree.dtb", "/partitions/partition@1", "label") == "partitions"
    assert "/bits/" not in (out / "partitions.tree.dts").read_text()


def test_more_than_50_errors_says_how_many_more(partc, images, tmp_path):
    text = (HERE / "good.dts").read_text().replace(
        'label = "linux";', 'label = "linux";\n' + "".join(f"\t\t\tbogus{i} = <{i}>;\n" for i in range(63)))
    (tmp_path / "many.dts").write_text(text)
    r = run(partc, tmp_path / "many.dts", images, tmp_path / "out")
    lines = r.stderr.splitlines()
    assert r.returncode == 1 and len(lines) == 51
    assert lines[49] == "partc: many.dts: /partitions/partition@0: property 'bogus49': unknown property"
    assert lines[50] == "partc: many.dts: 13 more errors not shown (the first 50 are above)"


def test_independent_errors_reported_together(partc, images, tmp_path):
    text = (HERE / "good.dts").read_text()
    text = text.replace('cpus = <1>;', 'cpus = <2>;').replace('label = "linux";\n\t\t\tcpus',
                                                            'label = "linux";\n\t\t\tfault-policy = "x";\n\t\t\tcpus')
    (tmp_path / "two.dts").write_text(text)
    r = run(partc, tmp_path / "two.dts", images, tmp_path / "out")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "partc: two.dts: /partitions/partition@0: property 'fault-policy': \"x\" is not one of \"stop\", "
        "\"restart\", \"reset-system\"",
        "partc: two.dts: /partitions/partition@1: property 'cpus': CPU 2 is already assigned to partition@0",
    ]


def test_usage_errors(partc, images, tmp_path):
    dtc_compile(HERE / "good.dts", tmp_path / "good.dtb")
    r = subprocess.run([str(partc), "--check", str(tmp_path / "good.dtb")], capture_output=True, text=True)
    assert r.returncode == 2
    assert "--dram, --nr-cpus, --nr-spis and --s2-table-pages are required" in r.stderr
    r = subprocess.run([str(partc), "--dram", "0x40000000,x", "--check", str(tmp_path / "good.dtb")],
                       capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (2, "partc: option --dram: bad number 'x'\n")
    (tmp_path / "junk.dtb").write_bytes(b"\xd0\x0d\xfe\xed" + b"\0" * 60)
    r = subprocess.run([str(partc)] + PLATFORM + ["--check", str(tmp_path / "junk.dtb")], capture_output=True,
                       text=True)
    assert r.returncode == 2
    assert r.stderr.startswith(f"partc: {tmp_path / 'junk.dtb'}: not a valid DTB")


def test_nr_spis_beyond_the_vgic(partc, tmp_path):
    """The virtual GIC models 988 SPIs (RAMPART_VGIC_MAX_SPIS, every SPI of a GICv3): a platform
    option above it is partc's error (a vGIC limit below the option used to compile, then stop every
    partition at boot)."""
    dtc_compile(HERE / "good.dts", tmp_path / "good.dtb")
    spis = PLATFORM.index("--nr-spis") + 1
    for n, ok in (("256", True), ("988", True), ("989", False), ("1020", False)):
        args = PLATFORM[:spis] + [n] + PLATFORM[spis + 1:]
        r = subprocess.run([str(partc)] + args + ["--check", str(tmp_path / "good.dtb")], capture_output=True,
                           text=True)
        if ok:
            assert r.returncode != 2, r.stderr
        else:
            assert (r.returncode, r.stderr) == (2, f"partc: option --nr-spis: {n} is not 1..988 (RAMPART_VGIC_MAX_SPIS, "
                                                   "what the virtual GIC models; the build passes CONFIG_GIC_NR_SPIS)\n")


def test_stage2_pool_sized_by_configuration(partc, images, tmp_path):
    """The tree bad/stage2-tables-exhausted.dts needs 18 table pages per peer: with the pool the
    configuration gives the hypervisor (CONFIG_HYP_S2_TABLE_PAGES) at 18 it compiles."""
    text = (HERE / "bad" / "stage2-tables-exhausted.dts").read_text()
    pages = PLATFORM.index("--s2-table-pages") + 1
    for n, rc in (("17", 1), ("18", 0)):
        r = run(partc, HERE / "bad" / "stage2-tables-exhausted.dts", images, tmp_path / f"out{n}",
                platform=PLATFORM[:pages] + [n] + PLATFORM[pages + 1:])
        assert r.returncode == rc, r.stderr
    assert "ivc7" in text


# ------------------------------------------------------------------ valid trees

def test_good_tree_compiles(partc, images, tmp_path):
    out = compile_ok(partc, HERE / "good.dts", images, tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["flash-images.bin", "flash-images.list", "images.list",
                                                     "linux.dtb", "partition_table.c", "reference-values.json",
                                                     "safety.dtb"]
    assert json.loads((out / "reference-values.json").read_text()) == {
        "format": "rampart-reference-values/1", "realms": {}}


def test_flash_images_travel_as_one_block(partc, images, tmp_path):
    """Every flash image at its staging offset in one file, however many partitions there are:
    each bank's manifest carries it as one image (a manifest has 8)."""
    out = compile_ok(partc, HERE / "good.dts", images, tmp_path)
    block = (out / "flash-images.bin").read_bytes()
    base, size, path = (out / "flash-images.list").read_text().split()
    assert (int(base, 16), int(size), path) == (0x58000000, len(block), str(out / "flash-images.bin"))
    rows = [r for r in images_list(out) if r[2] == "flash"]
    assert rows, "good.dts has flash images"
    for label, what, load, pa, length, file in rows:
        assert block[pa - 0x58000000:pa - 0x58000000 + length] == pathlib.Path(file).read_bytes(), (label, what)
    assert max(r[3] - 0x58000000 + r[4] for r in rows) == len(block)


def test_external_images_make_no_block(partc, images, tmp_path):
    text = (HERE / "good.dts").read_text().replace('kernel = "safety.bin";',
                                                    'kernel = "safety.bin";\n\t\t\timage-load = "external";')
    text = text.replace('bootargs = "console=ttyAMA0 rdinit=/init";',
                        'bootargs = "console=ttyAMA0 rdinit=/init";\n\t\t\timage-load = "external";')
    (tmp_path / "ext.dts").write_text(text)
    out = compile_ok(partc, tmp_path / "ext.dts", images, tmp_path)
    assert (out / "flash-images.list").read_text() == "" and not (out / "flash-images.bin").exists()


def test_check_only_writes_nothing(partc, images, tmp_path):
    out = tmp_path / "out"
    r = run(partc, HERE / "good.dts", images, out, extra=["--check"])
    assert (r.returncode, r.stderr) == (0, "")
    assert not out.exists()


def test_default_example_compiles(partc, images, tmp_path):
    compile_ok(partc, DEFAULT_DTS, images, tmp_path)


def test_default_example_with_configured_platform(tools, images, tmp_path):
    """The options the build derives from the configuration (make tools writes them)."""
    args = tools / "partc.platform"
    if not args.exists():
        pytest.skip("no partc.platform (make tools writes it)")
    compile_ok(tools / "partc", DEFAULT_DTS, images, tmp_path, platform=args.read_text().split())


@pytest.fixture
def example(partc, images, tmp_path):
    return compile_ok(partc, DEFAULT_DTS, images, tmp_path)


def test_linux_guest_dtb(example, tmp_path):
    dtb = example / "linux.dtb"
    text = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "-", str(dtb)], capture_output=True,
                          text=True, check=True).stdout
    assert text.startswith("/dts-v1/;")
    top = nodes(dtb)
    for n in ("chosen", "aliases", "memory@40000000", "cpus", "psci", "intc@8000000", "timer", "apb-pclk",
              "pl011@9000000", "shm@20000000"):
        assert n in top, n
    assert fdtget(dtb, "/", "#address-cells") == "2" and fdtget(dtb, "/", "#size-cells") == "2"
    assert fdtget(dtb, "/memory@40000000", "device_type") == "memory"
    assert fdtget(dtb, "/memory@40000000", "reg", "x") == "0 40000000 0 10000000"
    cpus = subprocess.run(["fdtget", "-l", str(dtb), "/cpus"], capture_output=True, text=True).stdout.split()
    assert cpus == ["cpu@0", "cpu@1"]
    for i, c in enumerate(cpus):
        assert fdtget(dtb, f"/cpus/{c}", "enable-method") == "psci"
        assert fdtget(dtb, f"/cpus/{c}", "reg") == str(i)
        assert fdtget(dtb, f"/cpus/{c}", "device_type") == "cpu"
    assert fdtget(dtb, "/psci", "method") == "smc"
    assert fdtget(dtb, "/psci", "compatible") == "arm,psci-1.0 arm,psci-0.2"
    gic = "/intc@8000000"
    assert fdtget(dtb, gic, "compatible") == "arm,gic-v3"
    assert fdtget(dtb, gic, "#interrupt-cells") == "3"
    assert fdtget(dtb, gic, "interrupt-controller") == ""
    # distributor 64 KiB, one 128 KiB redistributor frame per vCPU (2)
    assert fdtget(dtb, gic, "reg", "x") == "0 8000000 0 10000 0 80a0000 0 40000"
    assert fdtget(dtb, "/", "interrupt-parent") == fdtget(dtb, gic, "phandle")
    assert fdtget(dtb, "/timer", "compatible") == "arm,armv8-timer"
    assert fdtget(dtb, "/timer", "interrupts") == "1 13 4 1 14 4 1 11 4 1 10 4"
    uart = "/pl011@9000000"
    assert fdtget(dtb, uart, "compatible") == "arm,pl011 arm,primecell"
    assert fdtget(dtb, uart, "reg", "x") == "0 9000000 0 1000"
    assert fdtget(dtb, uart, "interrupts") == "0 1 4"
    clk = fdtget(dtb, "/apb-pclk", "phandle")
    assert fdtget(dtb, uart, "clocks") == f"{clk} {clk}"
    assert fdtget(dtb, "/chosen", "bootargs") == "console=ttyAMA0 rdinit=/init"
    assert fdtget(dtb, "/chosen", "stdout-path") == uart
    assert fdtget(dtb, "/aliases", "serial0") == uart
    # The initrd sits on the first 2 MiB boundary after the kernel's 20 MiB footprint.
    start = fdtget(dtb, "/chosen", "linux,initrd-start", "x").split()
    end = fdtget(dtb, "/chosen", "linux,initrd-end", "x").split()
    assert int("".join(x.rjust(8, "0") for x in start), 16) == 0x40000000 + IMAGE_MEM_SIZE
    assert int("".join(x.rjust(8, "0") for x in end), 16) == 0x40000000 + IMAGE_MEM_SIZE + 4096
    shm = "/shm@20000000"
    assert fdtget(dtb, shm, "compatible") == "rampart,shared-memory"
    assert fdtget(dtb, shm, "reg", "x") == "0 20000000 0 10000"
    assert fdtget(dtb, shm, "interrupts") == "0 64 1"
    assert fdtget(dtb, shm, "rampart,peer") == "safety"
    assert fdtget(dtb, shm, "label") == "ivc0"
    assert "pl031@9010000" not in top


def test_safety_guest_dtb(example):
    dtb = example / "safety.dtb"
    assert fdtget(dtb, "/chosen", "linux,initrd-start") is None
    assert fdtget(dtb, "/chosen", "bootargs") is None
    assert fdtget(dtb, "/memory@40000000", "reg", "x") == "0 40000000 0 1000000"
    assert fdtget(dtb, "/intc@8000000", "reg", "x") == "0 8000000 0 10000 0 80a0000 0 20000"
    rtc = "/pl031@9010000"
    assert fdtget(dtb, rtc, "compatible") == "arm,pl031 arm,primecell"
    assert fdtget(dtb, rtc, "reg", "x") == "0 9010000 0 1000"
    assert fdtget(dtb, rtc, "interrupts") == "0 2 4"
    assert fdtget(dtb, "/shm@20000000", "rampart,peer") == "linux"


def test_console_none_and_fragment(partc, images, tmp_path):
    text = (HERE / "good.dts").read_text().replace(
        'kernel = "safety.bin";', 'kernel = "safety.bin";\n\t\t\tconsole = "none";\n\t\t\tdtb-fragment = "frag.dtb";')
    (tmp_path / "frag-none.dts").write_text(text)
    out = compile_ok(partc, tmp_path / "frag-none.dts", images, tmp_path)
    dtb = out / "safety.dtb"
    top = nodes(dtb)
    assert "pl011@9000000" not in top and "aliases" not in top
    assert fdtget(dtb, "/chosen", "stdout-path") is None
    # The fragment's nodes are copied with their phandles; generated phandles avoid them.
    assert "reserved-memory" in top and "firmware-user" in top
    fw = fdtget(dtb, "/reserved-memory/firmware@40f00000", "phandle")
    assert fdtget(dtb, "/firmware-user", "memory-region") == fw
    assert fdtget(dtb, "/reserved-memory/firmware@40f00000", "no-map") == ""
    assert int(fdtget(dtb, "/intc@8000000", "phandle")) > int(fw)
    table = dump_table(out, tmp_path)
    assert table["partitions"][1]["console"] == 0
    assert table["partitions"][1]["console_ipa"] == 0


def test_device_with_many_interrupts_and_ranges(partc, images, tmp_path):
    """A passthrough device at the per-device limits (4 ranges, 8 SPIs) reaches DTB and table whole."""
    text = (HERE / "good.dts").read_text()
    text = text.replace("reg = <0x0 0x09030000 0x0 0x1000>;",
                        "reg = <0x0 0x0a000000 0x0 0x1000  0x0 0x0a002000 0x0 0x1000\n"
                        "\t\t\t       0x0 0x0a004000 0x0 0x1000  0x0 0x0a006000 0x0 0x2000>;")
    text = text.replace("interrupts = <0 7 4>;", "interrupts = <" + "  ".join(f"0 {16 + i} {1 if i % 2 else 4}"
                                                                          for i in range(8)) + ">;")
    text = text.replace('bootargs = "console=ttyAMA0 rdinit=/init";',
                        'bootargs = "console=ttyAMA0 rdinit=/init";\n\t\t\tdevices = <&gpio>;')
    (tmp_path / "many.dts").write_text(text)
    out = compile_ok(partc, tmp_path / "many.dts", images, tmp_path)
    dtb = out / "linux.dtb"
    assert fdtget(dtb, "/pl061@9030000", "reg", "x") == ("0 a000000 0 1000 0 a002000 0 1000 "
                                                         "0 a004000 0 1000 0 a006000 0 2000")
    assert fdtget(dtb, "/pl061@9030000", "interrupts") == " ".join(
        f"0 {16 + i} {1 if i % 2 else 4}" for i in range(8))
    linux = dump_table(out, tmp_path)["partitions"][0]
    assert [r["pa"] for r in linux["mmio"]] == [0x0A000000, 0x0A002000, 0x0A004000, 0x0A006000]
    assert linux["spi_intid"] == [48 + i for i in range(8)]


def dump_table(out, tmp_path):
    exe = tmp_path / "dump_table"
    cc = os.environ.get("HOSTCC", "cc")
    subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", str(REPO / "lib/include"), "-o", str(exe),
                    str(HERE / "dump_table.c"), str(out / "partition_table.c")], check=True)
    return json.loads(subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout)


def images_list(out):
    rows = []
    for line in (out / "images.list").read_text().splitlines():
        if line.startswith("#"):
            continue
        label, what, load, pa, size, path = line.split()
        rows.append((label, what, load, int(pa, 16), int(size), path))
    return rows


def test_table_matches_input(example, images, tmp_path):
    t = dump_table(example, tmp_path)
    assert t["magic"] == 0x54504152 and t["version"] == 3 and t["size"] == t["sizeof"] == 9072
    assert (t["nr_partitions"], t["nr_shm"], t["gic_nr_spis"]) == (2, 1, 256)
    assert t["pcpu_mask"] == 0b1110
    assert (t["staging_pa"], t["staging_size"]) == (0x58000000, 0x08000000)
    linux, safety = t["partitions"]

    kernel = IMAGE_FILE_SIZE
    initrd = (images / "linux" / "initrd.cpio.gz").stat().st_size
    ldtb = (example / "linux.dtb").stat().st_size
    sdtb = (example / "safety.dtb").stat().st_size
    sk = (images / "safety.bin").stat().st_size
    page = lambda n: (n + 4095) & ~4095  # noqa: E731
    # Staging: the flash images (safety's) first, as one block, then the external ones (linux's).
    lbase = 0x58000000 + page(sk) + page(sdtb)

    assert (linux["id"], linux["kind"], linux["label"]) == (0, 1, "linux")
    assert (linux["fault_policy"], linux["console"], linux["flags"]) == (2, 1, 1)  # restart, vuart, external
    assert linux["pcpu"] == [2, 3]
    assert linux["mem"] == [{"ipa": 0x40000000, "pa": 0x48000000, "size": 0x10000000, "attrs": 7}]
    assert linux["entry_ipa"] == 0x40000000
    assert linux["kernel"] == {"ipa": 0x40000000, "pa": lbase, "size": kernel}
    assert linux["initrd"] == {"ipa": 0x40000000 + IMAGE_MEM_SIZE, "pa": lbase + page(kernel), "size": initrd}
    assert linux["dtb"] == {"ipa": 0x40000000 + IMAGE_MEM_SIZE + 2 * MiB,
                            "pa": lbase + page(kernel) + page(initrd), "size": ldtb}
    assert (linux["vgic_dist_ipa"], linux["vgic_redist_ipa"]) == (0x08000000, 0x080A0000)
    assert (linux["console_ipa"], linux["console_intid"]) == (0x09000000, 33)
    assert linux["mmio"] == [] and linux["spi_intid"] == []

    assert (safety["id"], safety["label"], safety["fault_policy"], safety["flags"]) == (1, "safety", 3, 0)
    assert safety["pcpu"] == [1]
    assert safety["mem"] == [{"ipa": 0x40000000, "pa": 0x42000000, "size": 0x01000000, "attrs": 7}]
    assert safety["kernel"] == {"ipa": 0x40000000, "pa": 0x58000000, "size": sk}
    assert safety["initrd"] == {"ipa": 0, "pa": 0, "size": 0}
    assert safety["dtb"] == {"ipa": 0x40200000, "pa": 0x58000000 + page(sk), "size": sdtb}
    assert safety["mmio"] == [{"ipa": 0x09010000, "pa": 0x09010000, "size": 0x1000, "attrs": 0x103}]
    assert safety["spi_intid"] == [34]

    assert t["shm"] == [{"label": "ivc0", "ipa": 0x20000000, "pa": 0x43000000, "size": 0x10000,
                         "attrs": 0x203, "peer": [0, 1], "doorbell_intid": [96, 96]}]

    # The image list says the same, plus how each image gets to its PA.
    rows = images_list(example)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("linux", "kernel", "external"), ("linux", "initrd", "external"), ("linux", "dtb", "external"),
        ("safety", "kernel", "flash"), ("safety", "dtb", "flash")]
    by = {(r[0], r[1]): r for r in rows}
    for label, p in (("linux", linux), ("safety", safety)):
        for what in ("kernel", "initrd", "dtb"):
            if p[what]["size"]:
                assert by[(label, what)][3:5] == (p[what]["pa"], p[what]["size"])
                assert pathlib.Path(by[(label, what)][5]).stat().st_size == p[what]["size"]
    assert by[("linux", "dtb")][5] == str(example / "linux.dtb")


def test_containment_in_the_table(partc, images, tmp_path):
    """docs/partitions.md, "Fault containment": the watchdog node, the restart properties and
    the interrupt budget reach the table; without them, no watchdog, no limit and the default
    budget (RAMPART_IRQ_BUDGET_DEFAULT per RAMPART_IRQ_WINDOW_MS_DEFAULT)."""
    text = (HERE / "good.dts").read_text()
    assert "devices = <&rtc>;" in text
    text = text.replace("devices = <&rtc>;",
                        'devices = <&rtc>;\n\t\t\tfault-policy = "restart";\n\t\t\trestart-limit = <3>;\n\t\t\trestart-backoff-ms = <100>;'
                        '\n\t\t\tirq-budget = <50 20>;\n\t\t\twatchdog {\n\t\t\t\ttimeout-ms = <250>;'
                        '\n\t\t\t\taction = "stop";\n\t\t\t};', 1)
    dts = tmp_path / "contain.dts"
    dts.write_text(text)
    t = dump_table(compile_ok(partc, dts, images, tmp_path), tmp_path)
    first, second = t["partitions"]
    assert first["containment"] == {"watchdog_ms": 0, "watchdog_action": 0, "restart_limit": 0,
                                    "restart_backoff_ms": 0, "irq_budget": 2000, "irq_window_ms": 10}
    assert second["containment"] == {"watchdog_ms": 250, "watchdog_action": 1, "restart_limit": 3,
                                     "restart_backoff_ms": 100, "irq_budget": 50, "irq_window_ms": 20}


def test_table_builds_for_the_target(example):
    cc = shutil.which("aarch64-linux-gnu-gcc")
    if not cc:
        pytest.skip("no aarch64-linux-gnu-gcc")
    subprocess.run([cc, "-std=c11", "-O2", "-ffreestanding", "-Wall", "-Wextra", "-Werror", "-Wpadded",
                    "-I", str(REPO / "lib/include"), "-c", "-o", str(example / "partition_table.o"),
                    str(example / "partition_table.c")], check=True)
