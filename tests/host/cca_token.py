"""Builds CCA attestation tokens (reference §4) for verifier tests, signed with keys generated
here (python3-cryptography). Claims are plain dicts, so a test can break any of them before
signing; encode() signs and wraps them."""
import hashlib

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ES384_PROTECTED = bytes.fromhex("a1013822")  # {1: -35}
REALM_PROFILE = "tag:arm.com,2023:realm#1.0.0"
PLATFORM_PROFILE = "tag:arm.com,2023:cca_platform#1.0.0"


def new_key():
    return ec.generate_private_key(ec.SECP384R1())


def pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def raw_point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)


def cose_key(key):
    """The 107-byte COSE_Key of §4.3: {1: 2, -1: 2, -2: x, -3: y} in this order."""
    point = raw_point(key)
    return cbor2.dumps({1: 2, -1: 2, -2: point[1:49], -3: point[49:]})


def es384(key, protected, payload):
    """Raw r||s over the COSE Sig_structure."""
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA384())))
    return r.to_bytes(48, "big") + s.to_bytes(48, "big")


def sign1(key, claims, protected=ES384_PROTECTED):
    payload = claims if isinstance(claims, bytes) else cbor2.dumps(claims)
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, es384(key, protected, payload)]))


class Token:
    """A valid token: a new IAK signs the platform claims, a new RAK the realm claims."""

    def __init__(self, form=907, realm_profile=True, rim=None, challenge=None):
        self.form = form
        self.iak = new_key()
        self.rak = new_key()
        self.challenge = challenge or bytes(range(64))
        rak_bytes = cose_key(self.rak) if realm_profile else raw_point(self.rak)
        self.realm = {10: self.challenge, 44235: b"product-realm".ljust(64, b"\0"), 44237: rak_bytes,
                      44236: "sha-256", 44240: "sha-256", 44238: rim or bytes(32), 44239: [bytes(32)] * 4}
        if realm_profile:
            self.realm[265] = REALM_PROFILE
        self.platform = {
            265: PLATFORM_PROFILE, 10: hashlib.sha256(rak_bytes).digest(), 2396: bytes(range(32)),
            256: b"\x01" + bytes(32), 2401: b"\x00\x01\x02\x03", 2395: 0x3003,
            2399: [{1: "RMM", 2: bytes(32), 4: "0.1", 5: bytes(32), 6: "sha-256"}],
            2400: "https://verifier.example", 2402: "sha-256"}

    def tokens(self):
        return sign1(self.iak, self.platform), sign1(self.rak, self.realm)

    def wrap(self, platform, realm):
        if self.form == 907:
            return cbor2.dumps(cbor2.CBORTag(907, {44234: [263, platform], 44241: [263, realm]}))
        return cbor2.dumps(cbor2.CBORTag(self.form, {44234: platform, 44241: realm}))

    def encode(self):
        return self.wrap(*self.tokens())
