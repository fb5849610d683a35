"""Bounded work with interrupts masked (issue 12, security finding 4): no RSI call walks an
unbounded range or signs a whole token in one go.
"""
import secrets

import pytest

from realm_host import *  # noqa: F401,F403
from test_realm_attest import verify

RSI_IPA_STATE_GET = 0xC4000198
RSI_SUCCESS, RSI_INCOMPLETE = 0, 3
RSI_RIPAS_RAM = 1
IPA_STATE_GET_MAX_ENTRIES = 64  # rmm/rsi.c
PSCI_CPU_ON, RMI_PSCI_COMPLETE = 0xC4000003, 0xC4000164
# The longest signing step is about 2.5 M instructions (Mbed TLS's last, not restartable, part of an
# ECDSA signature); a whole signature in one go, what a third signer used to get, about 6.3 M.
STEP_BOUND = 3_000_000
ICOUNT = ["-icount", "shift=0,sleep=off"]


def report(e, cmd):
    assert e.ret == 0 and e.reason == EXIT_HOST_CALL and e.imm == cmd, e
    return e.gprs


@pytest.mark.timeout(120)
def test_ipa_state_get_walks_a_bounded_number_of_entries(nstest):
    realm = RealmHost(nstest).build()
    realm.boot()
    base, top = REALM_IPA_BASE, REALM_IPA_BASE + REALM_RAM_SIZE  # 512 level-3 entries of RIPAS RAM
    addr, calls = base, 0
    while addr < top:
        r = realm.smc(RSI_IPA_STATE_GET, addr, top)
        assert r[0] == RSI_SUCCESS and r[2] == RSI_RIPAS_RAM, r[:3]
        assert addr < r[1] <= min(top, addr + IPA_STATE_GET_MAX_ENTRIES * 0x1000), (hex(addr), hex(r[1]))
        addr, calls = r[1], calls + 1
    assert calls == REALM_RAM_SIZE // 0x1000 // IPA_STATE_GET_MAX_ENTRIES


def token(realm, rec, challenge, max_calls=0, resume=0):
    words = [int.from_bytes(challenge[i:i + 8], "little") for i in range(0, 64, 8)]
    g = report(realm.command(RT_CMD_TOKEN, *words, 4096, max_calls, resume, rec=rec), RT_CMD_TOKEN)
    return dict(zip(("status", "length", "calls", "bound", "ticks", "most"), g[:6]))


def token_bytes(realm, rec, length):
    data = b""
    while len(data) < length:
        g = report(realm.command(RT_CMD_TOKEN_READ, len(data), rec=rec), RT_CMD_TOKEN_READ)
        data += b"".join(w.to_bytes(8, "little") for w in g[1:1 + RT_TOKEN_READ_WORDS])
    return data[:length]


@pytest.mark.timeout(600)
def test_a_third_signer_waits_in_bounded_steps(nstest_factory, external_build, tmp_path):
    """Two RECs take both signing slots and stop calling; a third REC's token is still made in
    bounded steps (it waits, then takes over the slot idle longest), and the RECs that lost
    their slot start again and get valid tokens too."""
    q = nstest_factory(extra_args=ICOUNT, smp=1)
    realm = RealmHost(q).build(recs=3)
    realm.boot()
    recs = [realm.info[f"rec{i}"] for i in range(3)]
    for i in (1, 2):
        e = realm.command(RT_CMD_SMC, PSCI_CPU_ON, i, REALM_IPA_BASE, i)
        assert e.reason == EXIT_PSCI, e
        assert q.smc(RMI_PSCI_COMPLETE, recs[0], recs[i], 0)[0] == RMI_SUCCESS
        report(realm.enter(0), RT_CMD_SMC)
        report(realm.enter(i), RT_CMD_READY)
    challenges = [secrets.token_bytes(64) for _ in range(3)]
    ref = external_build.image("realmtest.ref.json")
    for i in (0, 1):  # INIT, then two CONTINUEs: encoded, a slot taken, one step done
        t = token(realm, i, challenges[i], max_calls=2)
        assert t["status"] == RSI_INCOMPLETE and t["length"] == 0 and t["most"] < STEP_BOUND, t
    t = token(realm, 2, challenges[2])
    assert t["status"] == RSI_SUCCESS and t["most"] < STEP_BOUND, t
    assert verify(external_build, tmp_path, token_bytes(realm, 2, t["length"]), challenges[2], ref).returncode == 0
    for i in (0, 1):
        t = token(realm, i, challenges[i], resume=1)
        assert t["status"] == RSI_SUCCESS and t["most"] < STEP_BOUND, t
        r = verify(external_build, tmp_path, token_bytes(realm, i, t["length"]), challenges[i], ref)
        assert r.returncode == 0, r.stderr
