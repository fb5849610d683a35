"""Helpers shared by the attestation host tests (CBOR, measurements, refvalues, verifier).

The C host tools are found in $RAMPART_TOOLS (set by `make check`), else in build/tools.
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTORS = REPO.parent / "shared" / "vectors"


def tools_dir():
    return pathlib.Path(os.environ.get("RAMPART_TOOLS") or REPO / "build" / "tools")


def tool(name):
    """Path of a built host tool; fails the test with the command that builds it."""
    path = tools_dir() / name
    if not path.is_file():
        pytest.fail(f"{path} is missing; build it with: make tools (or set RAMPART_TOOLS)",
                    pytrace=False)
    return path


def run(args, check=True, **kw):
    """Runs a command, returns the CompletedProcess (text mode)."""
    res = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, **kw)
    if check and res.returncode != 0:
        pytest.fail(f"{args} failed with {res.returncode}:\n{res.stdout}\n{res.stderr}", pytrace=False)
    return res
