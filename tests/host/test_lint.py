"""make lint's driver (tools/lint/lint) on scratch C files: the gate fails on a finding and names
it, a suppression silences exactly what it names, a suppression that matches nothing fails, and
a unit the analyzer cannot read fails instead of passing unanalysed. Each case analyses one small
file; the full `make lint` over the tree is make check's own step. The last test holds the
suppressions file and docs/misra-deviations.md to each other.
"""
import pathlib
import re
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
LINT = REPO / "tools" / "lint" / "lint"
CC = "aarch64-linux-gnu-gcc"

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("cppcheck", "clang", CC)),
                                reason="cppcheck, clang and the aarch64 cross compiler are needed")

# A null dereference on the path that checks for NULL (clang's core.NullDereference) in a
# function with two exits (MISRA C:2012 rule 15.5).
BAD = """#include <stddef.h>
int first(const int *p);
int first(const int *p)
{
\tif (p == NULL) {
\t\treturn *p;
\t}
\treturn 0;
}
"""


def lint(tmp_path, source, suppressions=None, tools="cppcheck,clang"):
    (tmp_path / "scratch.c").write_text(source)
    (tmp_path / "units.txt").write_text("scratch|scratch.c|-std=c11 -ffreestanding -Wall -Wextra -march=armv8.5-a\n")
    cmd = [str(LINT), "--units", "units.txt", "--build-dir", "cache", "--cc", CC, "--tools", tools, "-j1"]
    if suppressions is not None:
        (tmp_path / "sup.txt").write_text(suppressions)
        cmd += ["--suppressions", "sup.txt"]
    return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_a_finding_fails_the_gate_and_is_named(tmp_path):
    r = lint(tmp_path, BAD)
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r"^scratch\.c:6:\d+: clang-core\.NullDereference: ", r.stdout, re.M), r.stdout
    assert re.search(r"^scratch\.c:\d+:\d+: misra-c2012-15\.5: MISRA C:2012 rule 15\.5$", r.stdout, re.M), r.stdout


def test_clean_code_passes(tmp_path):
    r = lint(tmp_path, "int twice(int x);\nint twice(int x)\n{\n\treturn x * 2;\n}\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 findings" in r.stdout


def test_suppressions_silence_only_what_they_name(tmp_path):
    found = sorted(set(re.findall(r"^scratch\.c:\d+:\d+: (\S+):", lint(tmp_path, BAD).stdout, re.M)))
    assert "clang-core.NullDereference" in found
    everything = "".join(f"{fid}:scratch.c\n" for fid in found)
    r = lint(tmp_path, BAD, "# every finding of scratch.c\n" + everything)
    assert r.returncode == 0, r.stdout
    # Without the line for the null dereference, that one finding comes back.
    r = lint(tmp_path, BAD, everything.replace("clang-core.NullDereference:scratch.c\n", ""))
    assert r.returncode == 1
    assert [ln for ln in r.stdout.splitlines() if ln.startswith("scratch.c:")] and \
        all("clang-core.NullDereference" in ln for ln in r.stdout.splitlines() if ln.startswith("scratch.c:"))
    # A suppression for another file does not reach this one.
    r = lint(tmp_path, BAD, everything.replace("clang-core.NullDereference:scratch.c",
                                               "clang-core.NullDereference:other.c"))
    assert r.returncode == 1 and "clang-core.NullDereference: " in r.stdout


def test_a_stale_suppression_fails(tmp_path):
    r = lint(tmp_path, "int twice(int x);\nint twice(int x)\n{\n\treturn x * 2;\n}\n",
             "misra-c2012-15.5:scratch.c\n", tools="cppcheck")
    assert r.returncode == 1
    assert "sup.txt:1: suppression 'misra-c2012-15.5:scratch.c' matches nothing" in r.stdout


def test_a_unit_cppcheck_cannot_read_fails(tmp_path):
    r = lint(tmp_path, "#error this configuration does not build\nint x;\n", "preprocessorErrorDirective\n",
             tools="cppcheck")
    assert r.returncode != 0
    assert "could not analyse" in r.stderr and "preprocessorErrorDirective" in r.stderr


def test_every_suppression_has_its_deviation_record():
    doc = (REPO / "docs" / "misra-deviations.md").read_text()
    sups = (REPO / "tools" / "lint" / "suppressions.txt").read_text()
    for tag in re.findall(r"^# ([A-Z]\d+)[:-]", sups, re.M):
        assert re.search(rf"^#+ {tag}[ .:]", doc, re.M), f"{tag} has no section in docs/misra-deviations.md"
    for line in sups.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fid, _, glob = line.partition(":")
        m = re.match(r"misra-c2012-(\d+\.\d+)$", fid)
        name = f"Rule {m.group(1)}" if m else f"`{fid}`"
        assert name in doc, f"{line}: {name} is not in docs/misra-deviations.md"
        if glob:
            assert f"`{glob}`" in doc, f"{line}: {glob} is not named in docs/misra-deviations.md"
