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


@pytest.mark.parametrize("value", [256, 988, 989, 1020])
def test_spis_beyond_the_vgic_are_refused(tmp_path, value):
    r = defconfig(tmp_path, ["CONFIG_NR_CPUS=4", f"CONFIG_GIC_NR_SPIS={value}"])
    if value <= 988:
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


@pytest.mark.parametrize("name", sorted(str(p.relative_to(REPO)) for d in ("configs", "tests/configs")
                                         for p in (REPO / d).glob("*_defconfig")))
def test_every_defconfig_is_taken_whole(tmp_path, name):
    text = (REPO / name).read_text().splitlines()
    r = defconfig(tmp_path, text)
    assert (r.returncode, r.stderr) == (0, "")


def kconfig_symbols():
    """(file, symbol, type, range or None, help text) of every int and hex symbol."""
    out = []
    for f in ("arch/arm64/Kconfig", "monitor/Kconfig", "rmm/Kconfig", "core/Kconfig"):
        text = (REPO / f).read_text()
        for m in re.finditer(r"^config (\w+)\n((?:\t.*\n|\n)*?)(?=^\S|\Z)", text, re.M):
            body = m.group(2)
            kind = re.search(r"^\t(int|hex|string|bool)\b", body, re.M)
            if not kind or kind.group(1) not in ("int", "hex"):
                continue
            rng = re.search(r"^\trange (\S+) (\S+)$", body, re.M)
            hlp = body.split("\thelp\n", 1)[1] if "\thelp\n" in body else ""
            out.append((f, m.group(1), rng.groups() if rng else None, " ".join(hlp.split())))
    return out


@pytest.mark.parametrize("f,symbol,rng,hlp", kconfig_symbols(), ids=[s[1] for s in kconfig_symbols()])
def test_menuconfig_help_states_the_limits(f, symbol, rng, hlp):
    """make menuconfig shows each value's help: it exists, and states the range as Kconfig enforces it."""
    assert hlp, f"{f}: {symbol} has no help text"
    if rng:
        assert re.search(rf"\b{re.escape(rng[0])} to {re.escape(rng[1])}\b", hlp), \
            f"{f}: the help of {symbol} does not say 'range {rng[0]} to {rng[1]}': {hlp}"


def test_out_of_range_dram_and_ipa_are_refused(tmp_path):
    r = defconfig(tmp_path, ["CONFIG_DRAM_SIZE=0x200000000"])
    assert r.returncode == 1 and "CONFIG_DRAM_SIZE=0x200000000 is not possible" in r.stderr, r.stderr
    r = defconfig(tmp_path, ["CONFIG_HYP_TEST_EXPOSE_IPA=0x8000000000"])
    assert r.returncode == 1 and "CONFIG_HYP_TEST_EXPOSE_IPA=0x8000000000 is not possible" in r.stderr, r.stderr
    r = defconfig(tmp_path, ["CONFIG_HYP_TEST_EXPOSE_IPA=0x7fffffe000"])
    assert (r.returncode, r.stderr) == (0, "")
