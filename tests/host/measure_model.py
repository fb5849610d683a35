"""An independent Python model of the realm measurements (reference §3), written from the
layouts in the reference and sharing no code with lib/measure.c. The refvalues tests compare
the C tool against it; run as a script it prints the SHA-512 chain that tests/unit/test_measure.c
checks (python3 tests/host/measure_model.py), or with --rmm-measure the known answers of
tests/unit/test_rmm_measure.c."""
import hashlib
import struct

GRANULE = 4096
DESC_SIZE = 256
ALGOS = {0: hashlib.sha256, 1: hashlib.sha512}


def h(algo, data):
    """A measurement: the digest zero-extended to 64 bytes."""
    return ALGOS[algo](data).digest().ljust(64, b"\0")


def size(algo):
    return ALGOS[algo]().digest_size


def realm_params_image(flags=0, s2sz=0, sve_vl=0, num_bps=0, num_wps=0, pmu_num_ctrs=0, hash_algo=0):
    img = bytearray(GRANULE)
    struct.pack_into("<Q", img, 0x0, flags)
    for off, v in ((0x8, s2sz), (0x10, sve_vl), (0x18, num_bps), (0x20, num_wps), (0x28, pmu_num_ctrs),
                   (0x30, hash_algo)):
        img[off] = v
    return bytes(img)


def rec_params_image(flags, pc, gprs):
    img = bytearray(GRANULE)
    struct.pack_into("<Q", img, 0x0, flags)
    struct.pack_into("<Q", img, 0x200, pc)
    struct.pack_into("<8Q", img, 0x300, *gprs)
    return bytes(img)


def desc(dtype, rim, body):
    d = struct.pack("<BxxxxxxxQ", dtype, DESC_SIZE) + rim + body
    return d.ljust(DESC_SIZE, b"\0")


class Realm:
    def __init__(self, **params):
        self.algo = params.get("hash_algo", 0)
        self.rim = h(self.algo, realm_params_image(**params))
        self.trace = [("create", self.rim)]

    def ripas(self, base, top):
        self.rim = h(self.algo, desc(2, self.rim, struct.pack("<QQ", base, top)))
        self.trace.append((f"ripas {base:#x} {top:#x}", self.rim))

    def data(self, ipa, content=None, flags=None):
        """RMI_DATA_CREATE: flags bit 0 hashes the content; the descriptor records all the flags."""
        if flags is None:
            flags = 0 if content is None else 1
        chash = h(self.algo, content) if flags & 1 else bytes(64)
        self.rim = h(self.algo, desc(0, self.rim, struct.pack("<QQ", ipa, flags) + chash))
        self.trace.append((f"data {ipa:#x}", self.rim))

    def rec(self, pc, gprs, flags=1):
        phash = h(self.algo, rec_params_image(flags, pc, gprs))
        self.rim = h(self.algo, desc(1, self.rim, phash))
        self.trace.append(("rec", self.rim))

    def value(self):
        return self.rim[:size(self.algo)]


def rem_extend(algo, rem, data):
    return ALGOS[algo](rem[:size(algo)] + data).digest()


def start_level(s2sz):
    """Deepest start level with at most 16 concatenated start tables (Realm-VM convention)."""
    bits = s2sz - 12
    levels = -(-bits // 9)
    if bits - 9 * (levels - 1) <= 4:
        levels -= 1
    return 4 - levels


def ripas_entries(base, top, s2sz):
    """The RTT entries RTT_INIT_RIPAS measures over [base, top): largest aligned block that fits."""
    sizes = [GRANULE << (9 * (3 - level)) for level in range(start_level(s2sz), 4)]
    out = []
    while base < top:
        blk = next(s for s in sizes if base % s == 0 and top - base >= s)
        out.append((base, base + blk))
        base += blk
    return out


def build(s2sz, algo, ram, images, pc, gprs, rec_flags=1, **params):
    """The whole Realm-VM sequence: INIT_RIPAS over RAM, measured DATA in ascending IPA order
    (images zero-padded to granules), then REC 0."""
    realm = Realm(s2sz=s2sz, hash_algo=algo, **params)
    for base, top in ripas_entries(ram[0], ram[1], s2sz):
        realm.ripas(base, top)
    for ipa, content in sorted(images):
        padded = content.ljust(-(-len(content) // GRANULE) * GRANULE, b"\0")
        for off in range(0, len(padded), GRANULE):
            realm.data(ipa + off, padded[off:off + GRANULE])
    if rec_flags & 1:
        realm.rec(pc, gprs, rec_flags)
    return realm


def sha512_chain():
    """The §3.7 sequence with a SHA-512 realm; tests/unit/test_measure.c holds these values."""
    r = Realm(s2sz=41, num_bps=2, num_wps=2, hash_algo=1)
    r.ripas(0x40000000, 0x40200000)
    r.data(0x40000000, bytes(GRANULE))
    r.rec(0x40000000, [0x40200000] + [0] * 7)
    rem = rem_extend(1, bytes(64), bytes(range(32)))
    return [v[:64].hex() for _, v in r.trace] + [rem.hex()]


KAT_BASE, KAT_TOP, L1, L2 = 0x40000000, 0x40200000, 1 << 30, 1 << 21


def rmm_measure_kats():
    """The known answers of tests/unit/test_rmm_measure.c beyond §3.7, as (name, hex) pairs: the
    RMM's measurements through its RMI commands checked against this model, not lib/measure."""
    out = [("params_num_wps_1", Realm(s2sz=41, num_bps=2, num_wps=1, hash_algo=0).value().hex())]
    page = bytes([0x5A]) * GRANULE
    for algo in (0, 1):
        r = Realm(s2sz=41, num_bps=2, num_wps=2, hash_algo=algo)
        r.ripas(KAT_BASE, KAT_TOP)
        r.data(KAT_BASE + 2 * GRANULE)
        out.append((f"events{algo}_unmeasured_data", r.value().hex()))
        r.data(KAT_BASE + 3 * GRANULE, page)
        out.append((f"events{algo}_measured_data", r.value().hex()))
        r.data(KAT_BASE + 5 * GRANULE, page, flags=0x8000000000000003)
        out.append((f"events{algo}_flags_reserved_measured", r.value().hex()))
        r.data(KAT_BASE + 6 * GRANULE, None, flags=2)
        out.append((f"events{algo}_flags_reserved", r.value().hex()))
        r.rec(0x40001234, [0x1111111111111111 * (i + 1) for i in range(8)])
        out.append((f"events{algo}_rec", r.value().hex()))
    r = Realm(s2sz=41, num_bps=2, num_wps=2, hash_algo=0)
    r.ripas(0, L1)
    out.append(("ripas_root_entry", r.value().hex()))
    for a in range(L1, L1 + 3 * L2, L2):
        r.ripas(a, a + L2)
    out.append(("ripas_three_blocks", r.value().hex()))
    for a in range(2 * L1, 2 * L1 + 8 * GRANULE, GRANULE):
        r.ripas(a, a + GRANULE)
    out.append(("ripas_eight_pages", r.value().hex()))
    r.ripas(2 * L1, 2 * L1 + GRANULE)
    out.append(("ripas_page_again", r.value().hex()))
    for t in range(4):
        r = Realm(s2sz=41, num_bps=2, num_wps=2, hash_algo=t & 1)
        r.ripas(KAT_BASE, KAT_TOP)
        r.data(KAT_BASE, bytes(GRANULE))
        for i in range(1, 8):
            r.data(KAT_BASE + i * GRANULE, bytes([t * 16 + i]) * GRANULE)
        r.rec(KAT_BASE, [KAT_TOP] + [0] * 7)
        out.append((f"concurrent{t}", r.value().hex()))
    return out


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--rmm-measure"]:
        for name, value in rmm_measure_kats():
            print(f"{name:32} {value}")
    else:
        for step, value in zip(("create", "ripas", "data", "rec", "rem"), sha512_chain()):
            print(f"{step:6} {value}")
