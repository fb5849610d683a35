"""lib/cbor.c checked by an independent decoder: the host tool `cbortest` encodes named item
sets with the C encoder; python3-cbor2 decodes them and must find exactly the values below, and
the bytes must equal cbor2's own (shortest-form) encoding of those values. Every item is also
encoded into buffers cut at every size: each shorter buffer must fail with CBOR_ERR_OVERFLOW (-1)
without writing past the cut."""
import io

import cbor2
import pytest

from attest_common import run, tool

CBOR_ERR_OVERFLOW = -1


def pattern(n):
    """The bytes cbortest uses for byte strings: i mod 251."""
    return bytes(i % 251 for i in range(n))


COSE_CLAIMS = {10: pattern(64), 265: "tag:arm.com,2023:realm#1.0.0"}
COSE_SIGN1 = cbor2.CBORTag(18, [cbor2.dumps({1: -35}), {}, cbor2.dumps(COSE_CLAIMS), pattern(96)])

EXPECTED = {
    "uints": [0, 1, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1],
    "nints": [-1, -24, -25, -256, -257, -65536, -65537, -2**32, -2**32 - 1, -2**63, 2**63 - 1, -2**64],
    "strings": [pattern(0), pattern(1), pattern(23), pattern(24), pattern(255), pattern(256), "", "IETF",
                "\u00fc\u6c34", "x" * 300],
    "nested": {1: [1, [2, [3, []]]], "k": {}, -1: {"a": b"b"}},
    "tags": [cbor2.CBORTag(6, 1363896240), cbor2.CBORTag(907, cbor2.CBORTag(24, b"")), cbor2.CBORTag(399, {}),
             cbor2.CBORTag(2**32, cbor2.CBORTag(70000, 0))],
    "wraps": [b""] + [cbor2.dumps(pattern(n)) for n in (21, 22, 253, 254, 65533)],
    "cose": cbor2.CBORTag(399, {44234: cbor2.dumps(COSE_SIGN1)}),
}


def emit(name):
    out = run([tool("cbortest"), "emit", name]).stdout.split()
    assert len(out) == 1, out
    return bytes.fromhex(out[0])


def decode_exactly(data):
    """Decodes one item and requires that it uses every byte."""
    fp = io.BytesIO(data)
    value = cbor2.CBORDecoder(fp).decode()
    assert fp.tell() == len(data), f"{len(data) - fp.tell()} trailing bytes"
    return value


def test_item_list_matches():
    names = run([tool("cbortest"), "list"]).stdout.split()
    assert sorted(names) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_decodes_to_expected_values(name):
    data = emit(name)
    assert decode_exactly(data) == EXPECTED[name]
    # Shortest heads, definite lengths, map order as written: exactly cbor2's encoding.
    assert data == cbor2.dumps(EXPECTED[name])


def test_wrapped_heads_cross_every_size():
    """Wrapped contents of 0, 22, 23, 255, 256 and 65535 / 65536 bytes get 1-, 2-, 3- and 5-byte heads."""
    items = decode_exactly(emit("wraps"))
    assert [len(x) for x in items] == [0, 22, 23, 255, 256, 65536]
    data = emit("wraps")
    # Array head, then the first wrap (0x40), then the 22-byte one (0x56 + inner head 0x55).
    assert data[:4] == bytes([0x86, 0x40, 0x56, 0x55])
    assert bytes([0x5a, 0x00, 0x01, 0x00, 0x00]) in data  # 65536: a 4-byte length
    for blob, n in zip(items[1:], (21, 22, 253, 254, 65533)):
        assert decode_exactly(blob) == pattern(n)


def test_cose_inner_structures_decode():
    token = decode_exactly(emit("cose"))
    assert token.tag == 399
    sign1 = decode_exactly(token.value[44234])
    assert sign1.tag == 18
    protected, unprotected, payload, signature = sign1.value
    assert protected == bytes.fromhex("a1013822")
    assert unprotected == {}
    assert decode_exactly(payload) == COSE_CLAIMS
    assert signature == pattern(96)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_cut_point_overflows(name):
    full = emit(name)
    lines = run([tool("cbortest"), "cuts", name]).stdout.splitlines()
    assert lines[-1] == "guard ok", lines[-1]
    results = lines[:-1]
    assert len(results) == len(full) + 1
    for size, line in enumerate(results[:-1]):
        assert line == f"{size} error {CBOR_ERR_OVERFLOW}", line
    assert results[-1] == f"{len(full)} ok {full.hex()}"
