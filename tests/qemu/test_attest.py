"""Platform attestation in the monitor and the RMM's token path on the target (docs/attestation.md).

The self-check configuration (RAMPART_BUILD, tests/configs/test_hyp_selftest_defconfig) enables
CONFIG_RMM_ATTEST_SELFTEST: at cold boot, after "rmm: RAK ready", the RMM prepares attestation
(RAK public key, platform token from the monitor), makes two CCA tokens with fixed claims and
prints them in hex, with their instruction counts under -icount, walks the platform-token hunk
protocol and prints the monitor's answers to bad RMM-EL3 attestation calls. Here every token is
verified with tools/verify/rampart-verify against the build's platform public key, the platform
claims against the measured-boot lines and the build's key files, and every status code against
reference §5.2. One boot (under -icount) serves the module; the Normal-world check uses nstest.
"""
import hashlib
import json
import re
import subprocess

import cbor2
import pytest
from cryptography.hazmat.primitives import serialization

from abi import SMC_UNKNOWN
from conftest import REPO, Qemu
from util import assert_in_order

VERIFY = REPO / "tools" / "verify" / "rampart-verify"
ICOUNT = ["-icount", "shift=0,sleep=off", "-seed", "1"]
RMM_ATTEST_GET_REALM_KEY, RMM_ATTEST_GET_PLAT_TOKEN = 0xC40001B2, 0xC40001B3
E_RMM_BAD_ADDR, E_RMM_INVAL = -2, -5
RMM_ATTEST_ERR_SPACE, RMM_ATTEST_ERR_ARG = -3, -2
LIFECYCLE_RECOVERABLE_DEBUG = 0x5000
# monitor/attest.c platform config bits: built-in Normal world, development key, development seed,
# development package signing key.
PLAT_CFG_DEV = 0x1 | 0x2 | 0x4 | 0x8
TOKEN_BUDGET = 15_000_000  # instructions per token (issue 4)
HUNK = 100  # the self-test's small hunk size


def selftest_claims():
    """The fixed claims of rmm/attest.c's self-test."""
    challenge = bytes(range(64))
    rim = bytes((0x80 + i) & 0xff for i in range(64))
    rems = [bytes((0x10 * (r + 1) + i) & 0xff for i in range(64)) for r in range(4)]
    rpv = b"rampart attest selftest\0".ljust(64, b"\0")
    return challenge, rim, rems, rpv


@pytest.fixture(scope="module")
def boot(builtin_build, tmp_path_factory):
    if builtin_build.config.get("RMM_ATTEST_SELFTEST") != "y":
        builtin_build.fail("the self-check configuration is needed (tests/configs/test_hyp_selftest_defconfig)")
    q = Qemu(builtin_build, tmp_path_factory.mktemp("attest"), "attest", ICOUNT)
    try:
        q.wait_secure(r"^monitor: entering NS-EL2", 60)
        return q.secure_log()
    finally:
        q.kill()


def hex_lines(log, name):
    data = bytes.fromhex("".join(re.findall(rf"^rmm: attest-selftest {name} ([0-9a-f]+)$", log, re.M)))
    assert data, f"no '{name}' token in the log"
    return data


def values(log, what):
    return {m.group(1): m.group(2) for m in re.finditer(rf"^rmm: attest-selftest {what} (\S+) (.+)$", log, re.M)}


def verify(tmp_path, build, data, challenge, ref=None):
    token = tmp_path / "token.cbor"
    token.write_bytes(data)
    args = [str(VERIFY), str(token), "--platform-key", str(build.path / "platform-key.pub.pem"),
            "--challenge", challenge.hex()]
    if ref is not None:
        (tmp_path / "ref.json").write_text(json.dumps(ref))
        args += ["--ref", str(tmp_path / "ref.json")]
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_boot_order_and_development_warning(boot):
    assert_in_order(boot, [
        r"^monitor: measured RMM sha256=",
        r"^monitor: \*+$",
        r"^monitor: WARNING: DEVELOPMENT platform key \(keys/dev-platform-key\.pem\)$",
        r"^monitor: WARNING: DEVELOPMENT device seed \(keys/dev-device-seed\.hex\)$",
        r"^rmm: RAK ready \(P-384, from EL3\)$",
        r"^rmm: attest-selftest done$",
        r"^rmm: Rampart RMM, RMI 1\.0",
        r"^monitor: RMM booted on cpu 0$",
    ])
    assert "PANIC" not in boot


@pytest.mark.parametrize("name,algo,flip", [("sha256", "sha-256", False), ("sha512", "sha-512", True)])
def test_selftest_tokens_verify(boot, builtin_build, tmp_path, name, algo, flip):
    challenge, rim, rems, rpv = selftest_claims()
    if flip:  # the self-test's second token flips the first challenge byte
        challenge = bytes([challenge[0] ^ 0xFF]) + challenge[1:]
    size = 32 if algo == "sha-256" else 64
    ref = {"hash-algo": algo, "rim": rim[:size].hex(), "rems": [r[:size].hex() for r in rems], "rpv": rpv.hex()}
    res = verify(tmp_path, builtin_build, hex_lines(boot, name), challenge, ref)
    assert res.returncode == 0, res.stderr
    assert "  reference values: hash algorithm, RIM, REMs, RPV match --ref" in res.stdout.splitlines()
    # A wrong challenge or a flipped signature bit fails.
    res = verify(tmp_path, builtin_build, hex_lines(boot, name), bytes(64))
    assert res.returncode == 1 and "challenge: realm challenge (10) does not match" in res.stderr
    data = bytearray(hex_lines(boot, name))
    data[-5] ^= 1  # inside the realm token's signature, the last item of the envelope
    res = verify(tmp_path, builtin_build, bytes(data), challenge)
    assert (res.returncode, res.stderr) == (1, "rampart-verify: FAIL: realm token: signature does not verify\n")


def test_platform_claims_match_the_boot(boot, builtin_build):
    """Software components = the monitor's measured-boot lines; ids from the build's key files."""
    top = cbor2.loads(hex_lines(boot, "sha256"))
    claims = cbor2.loads(cbor2.loads(top.value[44234]).value[2])
    measured = re.findall(r"^monitor: measured (\S+) sha256=([0-9a-f]{64}) ", boot, re.M)
    # Signed images carry the signing key's id and the package's security version (secure boot);
    # the monitor itself is not in the package: zero signer id, no version.
    signer = bytes.fromhex((builtin_build.path / "signer-id.txt").read_text())
    version = builtin_build.config["SECBOOT_SECURITY_VERSION"]
    assert [(c[1], c[2].hex(), c.get(4), c[5], c[6]) for c in claims[2399]] == \
        [(t, v, None if t == "BL31" else version, bytes(32) if t == "BL31" else signer, "sha-256")
         for t, v in measured]
    pub = serialization.load_pem_public_key((builtin_build.path / "platform-key.pub.pem").read_bytes())
    point = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert claims[256] == b"\x01" + hashlib.sha256(point).digest()
    assert claims[2396] == bytes.fromhex(builtin_build.config["MONITOR_IMPLEMENTATION_ID"])
    assert claims[2395] == LIFECYCLE_RECOVERABLE_DEBUG  # development secrets are built in
    assert claims[2401] == PLAT_CFG_DEV.to_bytes(4, "little")
    # Issue 12, conformance finding 4: a verification service claim by default (the placeholder).
    assert claims[2402] == "sha-256" and claims[2400] == builtin_build.config["MONITOR_VERIFICATION_SERVICE"]
    assert claims[2400] == "https://verifier.invalid/rampart"
    # The development key is the committed one.
    dev = serialization.load_pem_public_key((REPO / "keys" / "dev-platform-key.pub.pem").read_bytes())
    assert dev.public_numbers() == pub.public_numbers()


def test_platform_token_follows_the_challenge(boot, builtin_build):
    """Another challenge is signed anew; the RAK's challenge afterwards gives the cached token back."""
    m = re.search(r"^rmm: attest-selftest other-challenge 0 (\d+) 0 differs$", boot, re.M)
    assert m, boot
    other = hex_lines(boot, "other")
    assert len(other) == int(m.group(1))
    msg = cbor2.loads(other)
    assert msg.tag == 18 and cbor2.loads(msg.value[2])[10] == b"\x11" * 48
    top = cbor2.loads(hex_lines(boot, "sha256"))
    first = cbor2.loads(top.value[44234])
    assert cbor2.loads(first.value[2])[10] == \
        hashlib.sha256(cbor2.loads(cbor2.loads(top.value[44241]).value[2])[44237]).digest()
    plat_len = len(top.value[44234])
    hunks = re.search(r"^rmm: attest-selftest hunks (\d+) rc 0 same$", boot, re.M)
    assert hunks and int(hunks.group(1)) == -(-plat_len // HUNK), boot


def test_status_codes(boot):
    """Reference §5.2: E_RMM_BAD_ADDR outside the shared buffer, E_RMM_INVAL for sizes, curve,
    challenge size and a follow-up call without a transfer; the RMM's own errors."""
    assert values(boot, "smc") == {
        "key-bad-addr": str(E_RMM_BAD_ADDR), "key-size-0": str(E_RMM_INVAL), "key-small": str(E_RMM_INVAL),
        "key-crosses-end": str(E_RMM_INVAL), "key-curve-1": str(E_RMM_INVAL),
        "token-bad-addr": str(E_RMM_BAD_ADDR), "token-past-end": str(E_RMM_BAD_ADDR),
        "token-challenge-33": str(E_RMM_INVAL), "token-challenge-over-size": str(E_RMM_INVAL),
        "token-no-transfer": str(E_RMM_INVAL), "token-after-transfer": str(E_RMM_INVAL)}
    assert re.search(rf"^rmm: attest-selftest small-buffer {RMM_ATTEST_ERR_SPACE}$", boot, re.M)
    assert re.search(rf"^rmm: attest-selftest bad-algo {RMM_ATTEST_ERR_ARG}$", boot, re.M)


def test_instruction_counts(boot):
    counts = {m.group(1): int(m.group(2)) for m in
              re.finditer(r"^rmm: attest-selftest (prepare|first|second) .* (\d+) ticks$", boot, re.M)}
    print("\nattestation instructions (icount):", counts)
    assert set(counts) == {"prepare", "first", "second"}
    assert counts["first"] <= TOKEN_BUDGET and counts["second"] <= TOKEN_BUDGET
    assert counts["prepare"] + counts["first"] <= 2 * TOKEN_BUDGET


@pytest.mark.timeout(30)
def test_normal_world_cannot_call_attestation(nstest):
    for fid in (RMM_ATTEST_GET_REALM_KEY, RMM_ATTEST_GET_PLAT_TOKEN):
        assert nstest.smc(fid, 0x40000000 + 0x1000000 - 0x1000, 0x1000, 0)[0] == SMC_UNKNOWN
