#!/usr/bin/python3
"""Checks by disassembly which objects of lib/crypto touch FP/SIMD/SVE registers.

    fpsimd_audit.py OBJDUMP ALLOWED_BASENAMES... -- OBJECTS...

Every instruction that names a V/Q/D/S/H/B/Z/P register, FPCR or FPSR is an FP/SIMD
access. Objects whose base name is in ALLOWED (the SHA-256 object and the save/restore
routines) may have them; any other object that does fails the build, naming the
function and the instruction. The allowed ones are listed with their FP/SIMD functions,
so the build log shows exactly what must run inside a save/restore bracket.
"""
import os
import re
import subprocess
import sys

# An operand register of the FP/SIMD or SVE register files (v0.16b, q1, d2, s3, h4, b5, z6.d, p7/z).
REG = re.compile(r"(?<![\w.])(?:[vqdshbz](?:[12]?\d|3[01])|p(?:1[0-5]|\d))(?![\w])")
SYSREG = re.compile(r"\b(?:fpcr|fpsr)\b")
FUNC = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+(?:[0-9a-f]{8}\s+)?(\S+)\s*(.*)$")


def fp_functions(objdump, obj):
    """{function: first FP/SIMD instruction} for one object."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", obj], check=True, capture_output=True,
                         text=True).stdout
    found, func = {}, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(1)
            continue
        m = INSN.match(line)
        if not m or func is None:
            continue
        mnemonic, operands = m.groups()
        # Branch targets ("b8 <f+0xb8>") and comments are not register operands.
        operands = re.sub(r"(?:[0-9a-f]+ )?<[^>]*>|//.*$", "", operands)
        if (REG.search(operands) or SYSREG.search(operands)) and func not in found:
            found[func] = f"{mnemonic} {operands}".strip()
    return found


def main(argv):
    objdump, rest = argv[1], argv[2:]
    sep = rest.index("--")
    allowed, objects = set(rest[:sep]), rest[sep + 1:]
    bad = 0
    for obj in objects:
        funcs = fp_functions(objdump, obj)
        name = os.path.basename(obj)
        if not funcs:
            continue
        if name in allowed:
            print(f"  FPSIMD  {name}: {', '.join(sorted(funcs))}")
            continue
        for func, insn in sorted(funcs.items()):
            print(f"fpsimd_audit: {obj}: {func} uses FP/SIMD ({insn}) outside the allowed objects",
                  file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
