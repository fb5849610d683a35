"""tools/setup.sh: set up once per machine, not per clone.

Downloads live in a cache outside the tree (RAMPART_CACHE, default
${XDG_CACHE_HOME:-~/.cache}/rampart) with the SHA-256 each had when it was checked against
Debian's signed index; a clone unpacks from there. The tests run setup.sh from scratch clones
against a scratch cache, with `apt-get` and `apt-cache` replaced by scripts that fail: any
network use is an error. The scratch cache is seeded from this machine's cache, or else from
this clone's build/deps (setup.sh adopts an older clone's downloads); without either they skip.
The `make` test checks that "build tools missing" names what is missing.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NAMES = ("mbedtls", "dtc", "linux")
NO_NETWORK = "#!/bin/sh\necho \"$(basename \"$0\") called: this run must not use the network\" >&2\nexit 100\n"


def machine_cache():
    env = os.environ
    return pathlib.Path(env.get("RAMPART_CACHE") or
                        pathlib.Path(env.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "rampart")


def records(cache):
    """{file: sha256} of every file the cache's records name."""
    out = {}
    for name in NAMES:
        for line in (cache / f"{name}.fetched").read_text().splitlines():
            f = line.split()
            out[f[3]] = f[4][len("sha256="):]
    return out


def clone(tmp_path, name):
    d = tmp_path / name
    (d / "tools").mkdir(parents=True)
    shutil.copy(REPO / "tools" / "setup.sh", d / "tools" / "setup.sh")
    return d


def run_setup(tmp_path, d, cache):
    fake = tmp_path / "fake-bin"
    if not fake.exists():
        fake.mkdir()
        for tool in ("apt-get", "apt-cache"):
            (fake / tool).write_text(NO_NETWORK)
            (fake / tool).chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}", RAMPART_CACHE=str(cache))
    return subprocess.run(["bash", str(d / "tools" / "setup.sh")], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture
def cache(tmp_path):
    """A scratch cache holding what this machine already downloaded."""
    c = tmp_path / "cache"
    (c / "files").mkdir(parents=True)
    mc = machine_cache()
    if all((mc / f"{n}.fetched").is_file() for n in NAMES) and \
            all((mc / "files" / f).is_file() for f in records(mc)):
        for n in NAMES:
            shutil.copy(mc / f"{n}.fetched", c / f"{n}.fetched")
        for f in records(mc):
            (c / "files" / f).symlink_to(mc / "files" / f)
        return c
    deps = REPO / "build" / "deps"
    if not all((deps / n / ".fetched").is_file() for n in NAMES):
        pytest.skip("no downloads on this machine to seed a cache from (run tools/setup.sh)")
    a = clone(tmp_path, "old-clone")
    (a / "build" / "deps").mkdir(parents=True)
    for n in NAMES:
        (a / "build" / "deps" / n).symlink_to(deps / n)
    r = run_setup(tmp_path, a, c)
    assert r.returncode == 0, r.stdout + r.stderr
    if not all((c / f"{n}.fetched").is_file() for n in NAMES):
        pytest.skip(f"this clone's build/deps does not hold its downloads:\n{r.stdout}")
    assert "kept linux's downloads" in r.stdout
    return c


def test_a_second_clone_downloads_nothing(tmp_path, cache):
    b = clone(tmp_path, "new-clone")
    r = run_setup(tmp_path, b, cache)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "called" not in r.stderr
    for n in NAMES:
        assert f"setup: {n}: " in r.stdout and "(SHA-256 checked)" in r.stdout
    deps = b / "build" / "deps"
    want = sorted(line for n in NAMES for line in (cache / f"{n}.fetched").read_text().splitlines())
    assert sorted(deps.joinpath("VERSIONS").read_text().splitlines()) == want
    for f in ("linux/Image", "linux/busybox", "mbedtls/src/include/mbedtls/version.h", "dtc/src/libfdt/libfdt.h"):
        assert (deps / f).is_file(), f
    assert any(p.name.startswith("arm-cca-guest.ko") for p in (deps / "linux" / "modules").iterdir())
    # Nothing was written into the cache's files.
    for f, sha in records(cache).items():
        assert subprocess.run(["sha256sum", str(cache / "files" / f)], capture_output=True,
                              text=True).stdout.split()[0] == sha


def test_a_cached_file_that_changed_is_not_used(tmp_path, cache):
    """Every use checks the recorded SHA-256: a changed tarball is fetched again, never unpacked."""
    f = next(f for f in records(cache) if f.startswith("device-tree-compiler_"))
    data = (cache / "files" / f).read_bytes()
    (cache / "files" / f).unlink()
    (cache / "files" / f).write_bytes(data + b"x")
    c = clone(tmp_path, "third-clone")
    r = run_setup(tmp_path, c, cache)
    assert r.returncode != 0
    assert (f"setup: cache: {cache}/files/{f} does not match the SHA-256 recorded when it was downloaded "
            f"({records_line_sha(data)}): fetching it again") in r.stdout, r.stdout
    assert "apt-get called: this run must not use the network" in r.stderr
    assert not (c / "build" / "deps" / "dtc" / "src").exists()


def records_line_sha(data):
    import hashlib
    return hashlib.sha256(data).hexdigest()


def test_make_says_which_build_tools_are_missing(tmp_path):
    r = subprocess.run(["make", "--no-print-directory", f"O={tmp_path / 'o'}", "CROSS_COMPILE=no-such-",
                        "QEMU=no-such-qemu", "SETUP=true", "qemu_virt_rme_defconfig"], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("build tools missing: no-such-gcc (gcc-aarch64-linux-gnu); no-such-qemu "
                               "(qemu-system-arm 10.x); running tools/setup.sh\n"), r.stdout
    assert r.returncode != 0
    assert ("still missing after tools/setup.sh: no-such-gcc (gcc-aarch64-linux-gnu); no-such-qemu "
            "(qemu-system-arm 10.x) (CROSS_COMPILE=no-such-, QEMU=no-such-qemu)") in r.stderr
