"""Realm partitions in tools/partc (docs/partitions.md, "Realm partitions").

* partc/realm-good.dts (a SHA-512 realm beside a normal VM, sharing memory) compiles;
* its table carries the realm parameters and a metadata range of exactly the
  worst-case size;
* the RIM in reference-values.json is the one an independent Python model
  (measure_model.py, no code shared with lib/measure.c) computes from the same
  images and the Realm-VM sequence; the RPV is the tree's, zero-padded;
* what must change the RIM does (an initrd byte, ipa-bits, a vCPU's boot
  register via the DTB), what must not does not (the RPV);
* the realm's DTB has what a Linux realm needs and nothing a realm cannot have.
The malformed realm trees are partc/bad/realm-*.dts (test_partc.py runs them).
"""
import json
import pathlib
import struct

import pytest

import measure_model as mm
from test_partc import HERE, IMAGE_MEM_SIZE, compile_ok, dump_table, fdtget, nodes, run
from test_partc import images, partc, tools  # noqa: F401 (fixtures)

GOOD = HERE / "realm-good.dts"
MiB = 1 << 20
GRANULE = 4096


@pytest.fixture
def realm(partc, images, tmp_path):
    return compile_ok(partc, GOOD, images, tmp_path)


def refvalues(out):
    doc = json.loads((out / "reference-values.json").read_text())
    assert doc["format"] == "rampart-reference-values/1"
    return doc["realms"]


def test_realm_tree_compiles(realm):
    assert sorted(p.name for p in realm.iterdir()) == ["flash-images.bin", "flash-images.list", "images.list",
                                                       "partition_table.c", "reference-values.json",
                                                       "safety.dtb", "vault.dtb"]
    assert list(refvalues(realm)) == ["vault"], "one entry per realm, none for the normal VM"


def tables_over(base, size, sl):
    n = 0
    for level in range(sl + 1, 4):
        shift = 12 + 9 * (4 - level)
        n += ((base + size - 1) >> shift) - (base >> shift) + 1
    return n


def test_table_realm_parameters_and_metadata(realm, tmp_path):
    t = dump_table(realm, tmp_path)
    vault, safety = t["partitions"]
    assert (vault["kind"], safety["kind"]) == (2, 1)
    r = vault["realm"]
    assert (r["hash_algo"], r["ipa_bits"], r["num_bps"], r["num_wps"]) == (1, 40, 2, 2)
    assert bytes.fromhex(r["rpv"]) == b"vault-v1".ljust(64, b"\0")
    # RD + 2 concatenated level-1 tables (40 bits) + RTTs over RAM and over its unprotected
    # alias + over the shared region's alias + 2 RECs with 16 auxiliary granules each + the host's
    # NS pages (a RecRun page per vCPU, the parameter page and the bounce page).
    unprot = 1 << 39
    granules = (1 + 2 + tables_over(0x40000000, 128 * MiB, 1) + tables_over(unprot | 0x40000000, 128 * MiB, 1)
                + tables_over(unprot | 0x20000000, 0x10000, 1) + 2 * 17 + 2 + 2)
    assert (r["metadata_pa"], r["metadata_size"]) == (0x44000000, granules * GRANULE)
    assert safety["realm"]["ipa_bits"] == 0 and safety["realm"]["metadata_size"] == 0


def python_rim(out, images, s2sz=40, algo=1, initrd=None):
    """The RIM from first principles: the Realm-VM sequence over the same files."""
    kernel = (images / "Image").read_bytes()
    initrd = initrd if initrd is not None else (images / "initrd.cpio.gz").read_bytes()
    dtb = (out / "vault.dtb").read_bytes()
    initrd_ipa = 0x40000000 + IMAGE_MEM_SIZE
    dtb_ipa = initrd_ipa + 2 * MiB
    realm = mm.build(s2sz, algo, (0x40000000, 0x48000000),
                     [(0x40000000, kernel), (initrd_ipa, initrd), (dtb_ipa, dtb)],
                     0x40000000, [dtb_ipa] + [0] * 7, num_bps=2, num_wps=2)
    return realm.value().hex()


def test_rim_matches_an_independent_model(realm, images):
    ref = refvalues(realm)["vault"]
    assert ref["hash-algo"] == "sha-512"
    assert ref["rim"] == python_rim(realm, images)
    assert ref["rpv"] == (b"vault-v1".ljust(64, b"\0")).hex()
    assert ref["rems"] == [None] * 4


def variant(partc, images, tmp_path, name, *subs):
    text = GOOD.read_text()
    for old, new in subs:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / f"{name}.dts").write_text(text)
    out = tmp_path / name
    r = run(partc, tmp_path / f"{name}.dts", images, out)
    assert r.returncode == 0, r.stderr
    return out, refvalues(out)["vault"]


def test_what_changes_the_rim(partc, images, realm, tmp_path):
    base = refvalues(realm)["vault"]
    # One byte of the initrd: a different RIM, which the model predicts too.
    blob = bytearray((images / "initrd.cpio.gz").read_bytes())
    blob[100] ^= 1
    (images / "initrd-b.cpio.gz").write_bytes(bytes(blob))
    out, ref = variant(partc, images, tmp_path, "initrd", ('initrd = "initrd.cpio.gz"', 'initrd = "initrd-b.cpio.gz"'))
    assert ref["rim"] != base["rim"]
    assert ref["rim"] == python_rim(out, images, initrd=bytes(blob))
    # The IPA width is a measured parameter.
    _, ref = variant(partc, images, tmp_path, "ipa", ("ipa-bits = <40>;", "ipa-bits = <41>;"))
    assert ref["rim"] != base["rim"]
    # bootargs live in the measured DTB.
    _, ref = variant(partc, images, tmp_path, "args", ("rdinit=/init", "rdinit=/sbin/init"))
    assert ref["rim"] != base["rim"]
    # The RPV is not measured: same RIM, another RPV; as bytes, zero-padded.
    _, ref = variant(partc, images, tmp_path, "rpv", ('personalization = "vault-v1";',
                                                       "personalization = [00 11 22 33];"))
    assert ref["rim"] == base["rim"]
    assert ref["rpv"] == "00112233" + "00" * 60


def test_defaults_sha256_40_bits(partc, images, tmp_path):
    text = GOOD.read_text()
    start = text.index("\t\t\trealm {")
    end = text.index("};\n", start) + 3
    out, ref = variant(partc, images, tmp_path, "defaults", (text[start:end], ""))
    assert ref["hash-algo"] == "sha-256" and ref["rpv"] == "00" * 64
    assert ref["rim"] == python_rim(out, images, algo=0)
    r = dump_table(out, tmp_path)["partitions"][0]["realm"]
    assert (r["hash_algo"], r["ipa_bits"], r["num_bps"], r["num_wps"]) == (0, 40, 2, 2)


def test_realm_guest_dtb(realm):
    dtb = realm / "vault.dtb"
    top = nodes(dtb)
    for n in ("chosen", "memory@40000000", "cpus", "psci", "intc@8000000", "timer", "pl011@9000000",
              "shm@20000000"):
        assert n in top, n
    assert fdtget(dtb, "/psci", "method") == "smc", "a realm's PSCI conduit is SMC (RSI needs it)"
    assert fdtget(dtb, "/chosen", "kaslr-seed") is None and fdtget(dtb, "/chosen", "rng-seed") is None
    assert "pl031@9010000" not in top
    assert subprocess_cpus(dtb) == ["cpu@0", "cpu@1"]


def subprocess_cpus(dtb):
    import subprocess
    return subprocess.run(["fdtget", "-l", str(dtb), "/cpus"], capture_output=True, text=True).stdout.split()


def test_realm_limits_are_required(partc, images, tmp_path):
    from test_partc import PLATFORM
    i = PLATFORM.index("--realm-limits")
    plat = PLATFORM[:i] + PLATFORM[i + 2:]
    r = run(partc, GOOD, images, tmp_path / "out", platform=plat)
    assert (r.returncode, r.stderr) == (1, "partc: realm-good.dts: /partitions: realm partitions need the "
                                           "platform's realm limits (partc --realm-limits; the build passes "
                                           "them from CONFIG_PLAT_REALM_*)\n")


def test_realm_metadata_without_a_realm(partc, images, tmp_path):
    text = (HERE / "good.dts").read_text().replace(
        "image-staging = <0x0 0x58000000 0x0 0x08000000>;",
        "image-staging = <0x0 0x58000000 0x0 0x08000000>;\n\t\trealm-metadata = <0x0 0x44000000 0x0 0x100000>;")
    (tmp_path / "meta.dts").write_text(text)
    r = run(partc, tmp_path / "meta.dts", images, tmp_path / "out")
    assert (r.returncode, r.stderr) == (1, "partc: meta.dts: /partitions: property 'realm-metadata': given, "
                                           "but there is no realm partition\n")
