"""lib/crypto (the pinned Mbed TLS built for the firmware) and lib/measure on the target:
tests/guests/cryptotest runs as the external NS-EL2 payload under -icount (one counter tick per
instruction) and prints its results; every digest is recomputed with hashlib, the measurement
chain against reference §3.7 and the independent model, the ECDSA P-384 key and signature with
python3-cryptography. One boot serves all tests of this module."""
import hashlib
import re
import sys

import cbor2
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from conftest import REPO, Qemu

sys.path.insert(0, str(REPO / "tests" / "host"))
import measure_model  # noqa: E402  (the independent hashlib model of reference §3)

# -seed makes FEAT_RNG (the ECDSA blinding) reproducible, so the counts are too.
ICOUNT = ["-icount", "shift=0,sleep=off", "-seed", "1"]
KEY_SEED = b"rampart cryptotest key"
MESSAGE = b"Rampart cryptotest message"
SIZES = (0, 3, 55, 56, 64, 1000, 4096, 65536)
KAT_SHA256 = {
    "create": "cb284887b4e560003d56fa3ecf3eae2cc1d3d372588370a8301e07d28a5673d7",
    "ripas": "8b74025228d7f2c20ef7deda9dd02e36458caf4690f9e4b0f942f8585a04de16",
    "data": "173d0c90958411a6bae7df40ac4da0cc47a92e41e4750efb165df0356a330a7b",
    "rec": "5260b7cf31c3934602fd557df8f03e16ca1e190e9e929b3f0ef963d7165d33bf",
    "rem": "bb2275c49f28ad52cae6d55e34a974a58c7a3ba26f976e8ecbbe7a536918dc73",
}
CRYPTO_ERR_ARENA, CRYPTO_ERR_KEY, CRYPTO_ERR_VERIFY, CRYPTO_ERR_MMU = -2, -3, -4, -6


def pattern(n):
    """cryptotest's data: byte i is 7 i + 1 mod 256, "abc" for the 3-byte case."""
    return b"abc" if n == 3 else bytes((7 * i + 1) & 0xff for i in range(n))


@pytest.fixture(scope="module")
def out(external_build, tmp_path_factory):
    """The NS UART lines of one cryptotest run, which must end in SYSTEM_OFF (exit status 0)."""
    image = external_build.image("cryptotest.bin")
    loader = ["-device", f"loader,file={image},addr={external_build.config['NS_PAYLOAD_ADDR']}"]
    q = Qemu(external_build, tmp_path_factory.mktemp("cryptotest"), "cryptotest", loader + ICOUNT, smp=1)
    try:
        q.wait_for(r"^cryptotest: done$", 120)
        assert q.wait_exit(30) == 0, q.transcript()
        return list(q.lines)
    finally:
        q.kill()


def values(out, prefix):
    """{rest of the key: value} for the lines 'prefix key... value'."""
    found = {}
    for line in out:
        if line.startswith(prefix + " "):
            key, _, value = line[len(prefix) + 1:].rpartition(" ")
            found[key] = value
    return found


def test_digests_match_hashlib(out):
    digests = values(out, "digest")
    assert len(digests) == 3 * len(SIZES), digests
    for n in SIZES:
        for alg in ("sha256", "sha384", "sha512"):
            assert digests[f"{alg} {n}"] == hashlib.new(alg, pattern(n)).hexdigest(), (alg, n)
    # The incremental hash_ops path (uneven updates) gives the same digests.
    ops = values(out, "digest-ops")
    assert ops == {"sha256 4096": hashlib.sha256(pattern(4096)).hexdigest(),
                   "sha512 4096": hashlib.sha512(pattern(4096)).hexdigest()}


def test_measurement_chain_on_target(out):
    m = values(out, "measure")
    assert {k: m[f"sha256 {k}"] for k in KAT_SHA256} == KAT_SHA256
    want = dict(zip(("create", "ripas", "data", "rec", "rem"), measure_model.sha512_chain()))
    assert {k: m[f"sha512 {k}"] for k in want} == want


def test_fpsimd_state_is_preserved(out):
    f = {k: int(v) for k, v in values(out, "fpsimd").items()}
    # The owner's V0-V31 and FPCR survive SHA-256 through lib/crypto, and the general-register
    # code (SHA-512, ECDSA) never touches them ...
    assert f["guarded-sha256 mismatches"] == 0
    assert f["guarded-ops mismatches"] == 0
    assert f["general-regs mismatches"] == 0
    # ... while the same SHA-256 without the bracket does clobber them (the check can fail).
    assert f["unguarded-sha256 mismatches"] > 0


def test_ecdsa_p384_against_cryptography(out):
    e = values(out, "ecdsa")
    priv = ec.derive_private_key(int.from_bytes(hashlib.sha384(KEY_SEED).digest(), "big"), ec.SECP384R1())
    pub = priv.public_key()
    point = bytes.fromhex(e["pub"])
    assert pub.public_numbers() == ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP384R1(), point) \
        .public_numbers()
    sig = bytes.fromhex(e["sig"])
    assert len(sig) == 96
    der = encode_dss_signature(int.from_bytes(sig[:48], "big"), int.from_bytes(sig[48:], "big"))
    pub.verify(der, MESSAGE, ec.ECDSA(hashes.SHA384()))
    with pytest.raises(InvalidSignature):
        pub.verify(der, MESSAGE + b"!", ec.ECDSA(hashes.SHA384()))
    assert e["deterministic"] == "yes"
    assert int(e["verify"]) == 0
    assert int(e["verify-bad-sig"]) == CRYPTO_ERR_VERIFY
    assert int(e["verify-bad-hash"]) == CRYPTO_ERR_VERIFY
    assert int(e["verify-bad-key"]) == CRYPTO_ERR_KEY
    assert int(e["sign-bad-key"]) == CRYPTO_ERR_KEY


def test_cose_sign1_built_on_target(out):
    """lib/cbor on the target: the COSE_Sign1 decodes exactly and its ES384 signature verifies."""
    token = bytes.fromhex("".join(line.split()[1] for line in out if line.startswith("cose ")))
    msg = cbor2.loads(token)
    assert cbor2.dumps(msg) == token  # shortest form throughout: re-encoding gives the same bytes
    assert msg.tag == 18
    protected, unprotected, payload, sig = msg.value
    assert (protected, unprotected) == (bytes.fromhex("a1013822"), {})
    assert cbor2.loads(payload) == {10: bytes(range(0xc0, 0x100)), 44238: hashlib.sha256(b"rim").digest()}
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    priv = ec.derive_private_key(int.from_bytes(hashlib.sha384(KEY_SEED).digest(), "big"), ec.SECP384R1())
    der = encode_dss_signature(int.from_bytes(sig[:48], "big"), int.from_bytes(sig[48:], "big"))
    priv.public_key().verify(der, tbs, ec.ECDSA(hashes.SHA384()))


def test_arena_is_bounded(out):
    a = values(out, "arena")
    # 4 KiB: enough for a signature (G's comb table is static), not for a verification.
    assert int(a["small-sign"]) == 0
    assert int(a["small-verify"]) == CRYPTO_ERR_ARENA
    assert int(a["init-unaligned"]) == CRYPTO_ERR_ARENA
    assert int(a["init-mmu-off"]) == CRYPTO_ERR_MMU
    peaks = {}
    for line in out:
        m = re.fullmatch(r"arena (public|sign|verify) 0 high-water (\d+) of (\d+)", line)
        if m:
            peaks[m.group(1)] = int(m.group(2))
            assert int(m.group(2)) < int(m.group(3))
    assert set(peaks) == {"public", "sign", "verify"}, out
    print("\narena high-water (bytes):", peaks)
    assert max(peaks.values()) < 16 * 1024


def test_instruction_counts(out):
    m = re.search(r"^cryptotest: cntfrq (\d+) sha2 (\d+)", "\n".join(out), re.M)
    assert m and int(m.group(1)) == 1_000_000_000, "the counter must tick at 1 GHz for ticks = instructions"
    assert int(m.group(2)) >= 1, "FEAT_SHA256 expected on -cpu max"
    cycles = {k: int(v) for k, v in values(out, "cycles").items()}
    print("\ninstructions (icount, CNTPCT deltas):")
    for name, n in cycles.items():
        print(f"  {name:24} {n:>10}")
    assert cycles["empty"] < 10
    # The SHA-2 instructions: far below the ~2000 instructions per block of portable C code.
    assert cycles["sha256-4k"] < 64 * 300
    assert 0 < cycles["sha256-4k"] - cycles["sha256-4k-unguarded"] < 200
    assert cycles["fpsimd-save-restore"] < 100
    assert cycles["sha512-4k"] > cycles["sha256-4k"]
    assert cycles["ecdsa-p384-sign"] < 50_000_000
    assert cycles["ecdsa-p384-verify"] < 100_000_000
