"""Attestation end to end (issue 4): a realm asks the RMM for CCA tokens through RSI, and each
token is checked with tools/verify/rampart-verify against the build's platform key, the realm's
challenge and the RIM predicted at build time ($(O)/realmtest.ref.json, tools/refvalues).
"""
import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from realm_host import *  # noqa: F401,F403

VERIFY = REPO / "tools" / "verify" / "rampart-verify"
RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND = 0xC4000192, 0xC4000193
RSI_TOKEN_INIT, RSI_TOKEN_CONTINUE = 0xC4000194, 0xC4000195
RSI_SUCCESS, RSI_ERROR_INPUT, RSI_ERROR_STATE = 0, 1, 2
READ_BYTES = 8 * RT_TOKEN_READ_WORDS


@pytest.fixture
def realm(nstest):
    r = RealmHost(nstest).build()
    r.ready = r.boot()
    return r


def fetch_token(realm, challenge, chunk):
    """RSI_ATTESTATION_TOKEN_INIT/CONTINUE inside the realm, then the bytes out through host calls."""
    words = [int.from_bytes(challenge[i:i + 8], "little") for i in range(0, 64, 8)]
    e = realm.command(RT_CMD_TOKEN, *words, chunk)
    assert e.reason == EXIT_HOST_CALL and e.imm == RT_CMD_TOKEN, e
    status, length, calls, bound = e.gprs[:4]
    assert status == RSI_SUCCESS, e.gprs[:4]
    assert 0 < length <= bound
    data = b""
    while len(data) < length:
        e = realm.command(RT_CMD_TOKEN_READ, len(data))
        data += b"".join(w.to_bytes(8, "little") for w in e.gprs[1:1 + RT_TOKEN_READ_WORDS])
    return data[:length], calls


def verify(build, tmp_path, token, challenge, ref):
    path = tmp_path / f"token-{secrets.token_hex(4)}.cbor"
    path.write_bytes(token)
    return subprocess.run([str(VERIFY), str(path), "--platform-key", str(build.image("platform-key.pub.pem")),
                           "--challenge", challenge.hex(), "--ref", str(ref)],
                          capture_output=True, text=True, timeout=60)


def refvalues(build, tmp_path, image, *extra):
    """The build's own prediction, recomputed for another image or options (tests/guests/build.mk)."""
    out = tmp_path / f"ref-{secrets.token_hex(4)}.json"
    var = realmtest_params()
    subprocess.run([str(build.image("tools/refvalues")), "--s2sz", var["REALMTEST_S2SZ"],
                    "--num-bps", var["REALMTEST_NUM_BPS"], "--num-wps", var["REALMTEST_NUM_WPS"],
                    "--ram", var["REALMTEST_RAM"], "--image", f"{image}@{var['REALMTEST_IPA']}",
                    "--pc", var["REALMTEST_IPA"], "--rpv-hex", var["REALMTEST_RPV"], "--ref-out", str(out),
                    *extra], check=True, capture_output=True, timeout=60)
    return out


def model_rim(external_build):
    """The realm's RIM from the independent Python model (tests/host/measure_model.py), not from
    lib/measure, which both the RMM and tools/refvalues use: the parameters tests/guests/build.mk
    gives nstest and refvalues."""
    sys.path.insert(0, str(REPO / "tests" / "host"))
    import measure_model  # noqa: E402
    image = external_build.image("realmtest.bin").read_bytes()
    realm = measure_model.build(32, 0, (0x40000000, 0x40200000), [(0x40000000, image)], 0x40000000,
                                [0] * 8, num_bps=1, num_wps=1)
    return realm.value()


@pytest.mark.timeout(180)
def test_rim_is_the_one_predicted_at_build_time(realm, external_build):
    ref = json.loads(external_build.image("realmtest.ref.json").read_text())
    rim = realm.smc(RSI_MEASUREMENT_READ, 0)
    assert rim[0] == RSI_SUCCESS
    got = b"".join(w.to_bytes(8, "little") for w in rim[1:9])
    assert got[:32].hex() == ref["rim"] and got[32:] == bytes(32)
    # The oracle is independent of the measurement code under test.
    assert got[:32] == model_rim(external_build)


@pytest.mark.timeout(300)
def test_realm_tokens_verify(realm, external_build, tmp_path):
    ref = external_build.image("realmtest.ref.json")
    # One CONTINUE for the whole token, then 100-byte chunks: many CONTINUE calls.
    for chunk in (4096, 100):
        challenge = secrets.token_bytes(64)
        token, calls = fetch_token(realm, challenge, chunk)
        # The signature takes several CONTINUEs (RSI_INCOMPLETE, nothing copied); then the copies.
        copies = -(-len(token) // 100) if chunk == 100 else 1
        assert calls > copies + 1, (calls, copies)
        r = verify(external_build, tmp_path, token, challenge, ref)
        assert r.returncode == 0, r.stderr
        # Someone else's challenge is not this token's.
        r = verify(external_build, tmp_path, token, secrets.token_bytes(64), ref)
        assert r.returncode == 1 and "FAIL: challenge: realm challenge" in r.stderr, r.stderr


@pytest.mark.timeout(300)
def test_one_byte_changed_in_the_image_is_a_rim_mismatch(realm, external_build, tmp_path):
    image = tmp_path / "realmtest-changed.bin"
    shutil.copy(external_build.image("realmtest.bin"), image)
    data = bytearray(image.read_bytes())
    data[0x100] ^= 0x01
    image.write_bytes(bytes(data))
    ref = refvalues(external_build, tmp_path, image)
    challenge = secrets.token_bytes(64)
    token, _ = fetch_token(realm, challenge, 4096)
    r = verify(external_build, tmp_path, token, challenge, ref)
    assert r.returncode == 1 and "FAIL: reference: RIM" in r.stderr, r.stderr
    # The unchanged image's prediction still matches.
    assert verify(external_build, tmp_path, token, challenge, refvalues(
        external_build, tmp_path, external_build.image("realmtest.bin"))).returncode == 0


@pytest.mark.timeout(300)
def test_extended_rem_is_in_the_token(realm, external_build, tmp_path):
    data = bytes(range(0x40, 0x60))
    words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, 32, 8)]
    assert realm.smc(RSI_MEASUREMENT_EXTEND, 2, 32, *words)[0] == RSI_SUCCESS
    challenge = secrets.token_bytes(64)
    token, _ = fetch_token(realm, challenge, 4096)
    ref = refvalues(external_build, tmp_path, external_build.image("realmtest.bin"), "--rem", f"2:{data.hex()}")
    r = verify(external_build, tmp_path, token, challenge, ref)
    assert r.returncode == 0, r.stderr
    stale = external_build.image("realmtest.ref.json")  # predicts all-zero REMs
    r = verify(external_build, tmp_path, token, challenge, stale)
    assert r.returncode == 1 and "REM" in r.stderr, r.stderr


@pytest.mark.timeout(300)
def test_sha512_realm_token(nstest, external_build, tmp_path):
    realm = RealmHost(nstest).build(hash_algo=1)
    realm.boot()
    challenge = secrets.token_bytes(64)
    token, _ = fetch_token(realm, challenge, 4096)
    ref = refvalues(external_build, tmp_path, external_build.image("realmtest.bin"), "--hash", "sha512")
    r = verify(external_build, tmp_path, token, challenge, ref)
    assert r.returncode == 0, r.stderr


@pytest.mark.timeout(180)
def test_token_rsi_errors(realm):
    token_ipa = realm.ready.gprs[2]
    assert realm.smc(RSI_TOKEN_CONTINUE, token_ipa, 0, 64)[:4] == [RSI_ERROR_STATE, 0, 0, 0]  # no INIT yet
    # RMM 1.0 B5.3.1 lists the input conditions before state: bad arguments are ERROR_INPUT first.
    assert realm.smc(RSI_TOKEN_CONTINUE, token_ipa, 4096, 0)[0] == RSI_ERROR_INPUT
    assert realm.smc(RSI_TOKEN_INIT, *range(1, 9))[:4] == [RSI_SUCCESS, 0x2000, 0, 0]
    # offset_bound is offset >= 4096 (4096 with size 0 included); outputs zero on failure.
    for args in ((token_ipa + 8, 0, 64), (token_ipa, 4000, 200), (token_ipa, 4097, 0), (token_ipa, 4096, 0),
                 (REALM_SHARED_IPA, 0, 64)):
        assert realm.smc(RSI_TOKEN_CONTINUE, *args)[:4] == [RSI_ERROR_INPUT, 0, 0, 0], args
    # Still usable after the refusals: CONTINUE while it signs (nothing copied), then 64 bytes.
    for _ in range(64):
        r = realm.smc(RSI_TOKEN_CONTINUE, token_ipa, 0, 64)
        assert r[0] == 3, r[:2]  # RSI_INCOMPLETE
        if r[1]:
            break
    assert r[1] == 64
    # A page the realm does not own (RIPAS EMPTY) gets nothing.
    assert realm.smc(RSI_TOKEN_CONTINUE, REALM_IPA_BASE + REALM_RAM_SIZE, 0, 64)[0] == RSI_ERROR_INPUT
    for _ in range(64):
        r = realm.smc(RSI_TOKEN_CONTINUE, token_ipa, 0, 4096)
        assert r[0] in (RSI_SUCCESS, 3), r[:2]
        if r[0] == RSI_SUCCESS:
            break
    assert realm.smc(RSI_TOKEN_CONTINUE, token_ipa, 0, 64)[0] == RSI_ERROR_STATE  # done
