"""lib/cca_token.c (the firmware's token encoder) on the host, through tools/tokengen: the tokens
it builds verify with tools/verify/rampart-verify and decode with cbor2 to exactly the claims
given, the RAK COSE_Key is byte-exact (§4.3), the encoding is canonical; broken signatures, a
wrong challenge or binding fail with the verifier's messages; a buffer one byte short is an
error, never a shortened token. Keys are generated here."""
import secrets

import cbor2
import pytest

import cca_token
from attest_common import run, tool

REALM_ORDER = [10, 44235, 44237, 44236, 44240, 265, 44238, 44239]
PLATFORM_ORDER = [265, 10, 2396, 256, 2401, 2395, 2402, 2400, 2399]


def scalar(key):
    return key.private_numbers().private_value.to_bytes(48, "big").hex()


class Built:
    """One tokengen run with fresh keys."""

    def __init__(self, tmp_path, hash_algo="sha256", extra=(), cap=None):
        self.iak, self.rak = cca_token.new_key(), cca_token.new_key()
        size = 32 if hash_algo == "sha256" else 64
        self.challenge = secrets.token_bytes(64)
        self.rpv = b"rampart host test".ljust(64, b"\0")
        self.rim = secrets.token_bytes(size)
        self.rems = [secrets.token_bytes(size) if i % 2 else bytes(size) for i in range(4)]
        self.path = tmp_path / "token.cbor"
        self.platform_path = tmp_path / "platform.cbor"
        self.key = tmp_path / "iak.pem"
        self.key.write_bytes(cca_token.pem(self.iak))
        args = [tool("tokengen"), "--iak", scalar(self.iak), "--rak", scalar(self.rak),
                "--challenge", self.challenge.hex(), "--hash", hash_algo, "--rpv", self.rpv.hex(),
                "--rim", self.rim.hex(), "--platform-out", self.platform_path, "-o", self.path]
        for i, rem in enumerate(self.rems):
            args += ["--rem", f"{i + 1}:{rem.hex()}"]
        if cap is not None:
            args += ["--cap", str(cap)]
        self.res = run(args + list(extra), check=False)

    def data(self):
        assert self.res.returncode == 0, self.res.stderr
        return self.path.read_bytes()

    def verify(self, data=None, challenge=None):
        if data is not None:
            self.path.write_bytes(data)
        return run([tool("rampart-verify"), self.path, "--platform-key", self.key, "--challenge",
                    (challenge or self.challenge).hex()], check=False)


def parts(data):
    """(platform COSE_Sign1 array, realm COSE_Sign1 array) of a tag-399 token."""
    top = cbor2.loads(data)
    assert top.tag == 399 and list(top.value) == [44234, 44241]
    tokens = []
    for key in (44234, 44241):
        sign1 = cbor2.loads(top.value[key])
        assert sign1.tag == 18
        tokens.append(sign1.value)
    return tokens


@pytest.mark.parametrize("hash_algo", ["sha256", "sha512"])
def test_token_verifies_and_carries_the_claims(tmp_path, hash_algo):
    b = Built(tmp_path, hash_algo)
    res = b.verify(b.data())
    assert res.returncode == 0, res.stderr
    assert "  envelope: tag 399" in res.stdout.splitlines()
    platform, realm = parts(b.path.read_bytes())
    name = "sha-256" if hash_algo == "sha256" else "sha-512"
    assert cbor2.loads(realm[2]) == {
        10: b.challenge, 44235: b.rpv, 44237: cca_token.cose_key(b.rak), 44236: name,
        44240: "sha-256", 265: cca_token.REALM_PROFILE, 44238: b.rim, 44239: b.rems}
    claims = cbor2.loads(platform[2])
    assert claims[265] == cca_token.PLATFORM_PROFILE
    assert claims[256][0] == 0x01 and len(claims[256]) == 33
    assert [c[1] for c in claims[2399]] == ["BL31", "RMM"]
    assert b.platform_path.read_bytes() == cbor2.loads(b.path.read_bytes()).value[44234]


def test_layout_is_canonical_and_in_order(tmp_path):
    """Shortest-form definite-length CBOR throughout (cbor2 re-encodes it byte for byte), the
    ES384 header bytes of §4.1, the claim order of TF-RMM and TF-A, a 107-byte COSE_Key."""
    b = Built(tmp_path)
    data = b.data()
    assert cbor2.dumps(cbor2.loads(data)) == data
    for sign1, order in zip(parts(data), (PLATFORM_ORDER, REALM_ORDER)):
        protected, unprotected, payload, signature = sign1
        assert (protected, unprotected, len(signature)) == (bytes.fromhex("a1013822"), {}, 96)
        assert cbor2.dumps(cbor2.loads(payload)) == payload
        assert list(cbor2.loads(payload)) == order
    rak = cbor2.loads(parts(data)[1][2])[44237]
    assert len(rak) == 107 and rak[:8] == bytes.fromhex("a40102200221 5830".replace(" ", ""))


def test_deterministic_signatures(tmp_path):
    """RFC 6979: the same keys and claims give the same bytes (blinding does not show)."""
    b = Built(tmp_path)
    first = b.data()
    again = run([tool("tokengen"), "--iak", scalar(b.iak), "--rak", scalar(b.rak), "--challenge",
                 b.challenge.hex(), "--rpv", b.rpv.hex(), "--rim", b.rim.hex(),
                 *sum((["--rem", f"{i + 1}:{r.hex()}"] for i, r in enumerate(b.rems)), []),
                 "-o", tmp_path / "again.cbor"])
    assert again.returncode == 0
    assert (tmp_path / "again.cbor").read_bytes() == first


def flip_signature(data, which):
    top = cbor2.loads(data)
    key = (44234, 44241)[which]
    sign1 = cbor2.loads(top.value[key])
    sig = sign1.value[3]
    sign1.value[3] = sig[:10] + bytes([sig[10] ^ 0x80]) + sig[11:]
    top.value[key] = cbor2.dumps(sign1)
    return cbor2.dumps(top)


@pytest.mark.parametrize("which,message", [(0, "platform token: signature does not verify"),
                                           (1, "realm token: signature does not verify")])
def test_flipped_signature_fails(tmp_path, which, message):
    b = Built(tmp_path)
    res = b.verify(flip_signature(b.data(), which))
    assert (res.returncode, res.stderr) == (1, f"rampart-verify: FAIL: {message}\n")


def test_wrong_challenge_fails(tmp_path):
    b = Built(tmp_path)
    b.data()
    res = b.verify(challenge=bytes(64))
    assert (res.returncode, res.stderr) == (
        1, "rampart-verify: FAIL: challenge: realm challenge (10) does not match --challenge\n")


def test_wrong_binding_fails(tmp_path):
    """A platform token whose challenge is not the hash of this RAK."""
    b = Built(tmp_path, extra=["--platform-challenge", secrets.token_bytes(32).hex()])
    res = b.verify(b.data())
    assert (res.returncode, res.stderr) == (
        1, "rampart-verify: FAIL: binding: platform challenge (10) is not the sha-256 of the realm "
           "public key (44237)\n")


def test_wrong_trust_anchor_fails(tmp_path):
    b = Built(tmp_path)
    data = b.data()
    b.key.write_bytes(cca_token.pem(cca_token.new_key()))
    res = b.verify(data)
    assert (res.returncode, res.stderr) == (1, "rampart-verify: FAIL: platform token: signature does not verify\n")


def test_short_buffer_is_an_error(tmp_path):
    full = len(Built(tmp_path).data())
    for cap in (0, 1, full // 2, full - 1):
        b = Built(tmp_path, cap=cap)
        assert (b.res.returncode, b.res.stderr) == (1, "tokengen: error: cca_token: -1\n"), cap
    assert Built(tmp_path, cap=full).res.returncode == 0
