"""The Kconfig limits: ranges that match the C limits, and a defconfig value Kconfig cannot take
is a `make <name>_defconfig` error (tools/defconfig-check) instead of a silent default."""
import pathlib
import re
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CHECK = REPO / "tools" / "defconfig-check"


def c_define(header, name):
    m = re.search(rf"^#define {name} (\d+)U?\b", (REPO / header).read_text(), re.M)
    assert m, f"{name} in {header}"
    return int(m.group(1))


def kconfig_range(symbol):
    text = (REPO / "arch/arm64/Kconfig").read_text()
    m = re.search(rf"^config {symbol}\n(?:\t.*\n|\n)*?\trange (\S+) (\S+)", text, re.M)
    assert m, symbol
    return int(m.group(1), 0), int(m.group(2), 0)


def test_ranges_are_the_c_limits():
    assert kconfig_range("GIC_NR_SPIS") == (1, c_define("lib/include/rampart/partition.h", "RAMPART_VGIC_MAX_SPIS"))
    assert kconfig_range("NR_CPUS")[1] == c_define("lib/include/rampart/partition.h", "RAMPART_MAX_PCPUS")


def defconfig(tmp_path, lines):
    d = tmp_path / "test_defconfig"
    d.write_text("".join(line + "\n" for line in lines))
    dot = tmp_path / ".config"
    subprocess.run(["kconfig-conf", "-s", f"--defconfig={d}", "Kconfig"], cwd=REPO, check=True,
                   env={"KCONFIG_CONFIG": str(dot), "PATH": "/usr/bin:/bin"}, stdout=subprocess.DEVNULL)
    return subprocess.run(["sh", str(CHECK), str(d), str(dot)], capture_output=True, text=True)


@pytest.mark.parametrize("value", [256, 257, 988])
def test_spis_beyond_the_vgic_are_refused(tmp_path, value):
    r = defconfig(tmp_path, ["CONFIG_NR_CPUS=4", f"CONFIG_GIC_NR_SPIS={value}"])
    if value <= 256:
        assert (r.returncode, r.stderr) == (0, "")
    else:
        assert r.returncode == 1
        assert r.stderr == (f"error: {tmp_path}/test_defconfig:2: CONFIG_GIC_NR_SPIS={value} is not possible; "
                            "Kconfig made it CONFIG_GIC_NR_SPIS=256: the value is outside its range "
                            "(make menuconfig: the help of GIC_NR_SPIS)\n")


def test_option_whose_dependency_is_off_is_refused(tmp_path):
    r = defconfig(tmp_path, ["CONFIG_HYP_SELFTEST=y", "CONFIG_HYP_CONSOLE_TIMESTAMPS=y"])
    assert r.returncode == 1
    assert r.stderr == (f"error: {tmp_path}/test_defconfig:2: CONFIG_HYP_CONSOLE_TIMESTAMPS=y is not possible; "
                        "Kconfig left it unset: what it depends on is off "
                        "(make menuconfig: the help of HYP_CONSOLE_TIMESTAMPS)\n")


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "configs").glob("*_defconfig")))
def test_every_defconfig_is_taken_whole(tmp_path, name):
    text = (REPO / "configs" / name).read_text().splitlines()
    r = defconfig(tmp_path, text)
    assert (r.returncode, r.stderr) == (0, "")
