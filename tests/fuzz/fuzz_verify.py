#!/usr/bin/python3
"""Fuzz driver for tools/verify/rampart-verify (issue 16): tokens built and signed here
(tests/host/cca_token.py), mutated with a fixed seed, fed to the verifier in-process. Whatever
the input, the verifier may only verify it or reject it in one of its documented ways (the
Fail and Unusable exceptions, exit status 1 and 2 with "rampart-verify: FAIL: ..." /
"rampart-verify: error: ..." on stderr): any other exception is a finding, saved to a file.

Three kinds of input, so that every check is reached:
  bytes    byte-level mutations of a valid token (flips, inserts, deletes, truncation, splices);
  claims   one claim, header or envelope item replaced by another CBOR value, re-encoded but
           signed as before (the claim-syntax checks run before the signatures);
  signed   the same with fresh signatures, so that binding, challenge and --ref checks run.
Every CALL_MAIN_EVERY-th input also goes through main() with files, checking the exit status
and the one stderr line. The RNG is seeded (--seed): the mutation schedule repeats exactly; the
keys are derived from the seed too, but ECDSA signatures are randomised by the library, so a
finding is reproduced from its saved file, not from the schedule.

Files named on the command line (tests/fuzz/corpus/verify/: inputs that once mattered) are
verified once each first, then mutated like the built tokens.

    fuzz_verify.py [-n N] [--seed S] [--out DIR] [--time SECONDS] [FILE...]
"""
import argparse
import contextlib
import copy
import hashlib
import importlib.machinery
import importlib.util
import io
import json
import pathlib
import random
import sys
import tempfile
import time
import traceback

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "host"))
import cca_token  # noqa: E402  (tests/host, on the path just above)

CALL_MAIN_EVERY = 50
DEFAULT_RUNS = 3000
DEFAULT_SEED = 16
P384_ORDER_BITS = 383  # a private scalar below the group order
MAX_DEPTH = 4          # of the random CBOR values put into tokens
KIND_WEIGHTS = (("bytes", 5), ("claims", 3), ("signed", 2))


def load_verifier():
    path = REPO / "tools" / "verify" / "rampart-verify"
    loader = importlib.machinery.SourceFileLoader("rampart_verify", str(path))
    spec = importlib.util.spec_from_loader("rampart_verify", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def derived_key(rng):
    return ec.derive_private_key(rng.getrandbits(P384_ORDER_BITS) | 1, ec.SECP384R1())


def base_token(rng, form, profile):
    """cca_token.Token with keys from the seed (Token makes its own random ones)."""
    t = cca_token.Token(form=form, realm_profile=profile)
    t.iak, t.rak = derived_key(rng), derived_key(rng)
    rak_bytes = cca_token.cose_key(t.rak) if profile else cca_token.raw_point(t.rak)
    t.realm[44237] = rak_bytes
    t.platform[10] = hashlib.sha256(rak_bytes).digest()
    return t


def random_value(rng, depth=0):
    """Any CBOR value, biased to the types and sizes the verifier tells apart."""
    choice = rng.randrange(12 if depth < MAX_DEPTH else 8)
    if choice == 0:
        return rng.choice([0, 1, -1, 10, 263, 0x3003, 2 ** 64 - 1, -2 ** 64, 2 ** 70, -35, 399, 907])
    if choice == 1:
        return bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 31, 32, 33, 48, 64, 96, 97, 107])))
    if choice == 2:
        return rng.choice(["", "sha-256", "sha-512", "sha-1", "md5", cca_token.REALM_PROFILE,
                           cca_token.PLATFORM_PROFILE, "\u00e9\u4e2d\U0001f600", "x" * 300])
    if choice == 3:
        return rng.choice([None, True, False, cbor2.undefined, 1.5, float("nan"), float("inf")])
    if choice == 4:
        return cbor2.CBORSimpleValue(rng.choice([0, 19, 32, 255]))
    if choice in (5, 6, 7):
        return rng.getrandbits(rng.choice([8, 16, 64]))
    if choice in (8, 9):
        return [random_value(rng, depth + 1) for _ in range(rng.choice([0, 1, 4, 5]))]
    if choice == 10:
        return {random_value(rng, MAX_DEPTH): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}
    return cbor2.CBORTag(rng.choice([18, 263, 399, 907, 2, 24, 55799]), random_value(rng, depth + 1))


def mutate_dict(rng, d):
    """Replace, delete or add one entry (keys of the claim sets stay hashable)."""
    action = rng.randrange(5)
    if action == 0 and d:
        del d[rng.choice(list(d))]
    elif action == 1:
        d[rng.choice([10, 265, 44237, 2399, 2402, 999, -1, "10"])] = random_value(rng)
    elif d:
        key = rng.choice(list(d))
        value = d[key]
        if isinstance(value, list) and value and rng.random() < 0.5:
            value[rng.randrange(len(value))] = random_value(rng)
        elif isinstance(value, dict) and rng.random() < 0.5:
            mutate_dict(rng, value)
        else:
            d[key] = random_value(rng)


def mutate_bytes(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1 and b:
            b[min(pos, len(b) - 1)] = rng.choice([0, 0xff, 0x7f, 0x80, 0x18, 0x19, 0x1a, 0x1b, 0x9f, 0xbf])
        elif op == 2:
            b[pos:pos] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 8)))
        elif op == 3:
            del b[pos:pos + rng.randint(1, 16)]
        elif op == 4:
            del b[pos:]
        else:
            src = rng.randrange(len(b) + 1)
            b[pos:pos] = b[src:src + rng.randint(1, 64)]
    return bytes(b)


def claims_token(rng, t, resign):
    """t's token with one claim (or a header, or the envelope) changed."""
    # Deep copies: mutate_dict() changes lists and maps in place, and t stays valid for later inputs.
    platform, realm = copy.deepcopy(t.platform), copy.deepcopy(t.realm)
    # Signed afresh, a third are left as they are: the --ref and challenge checks then decide.
    where = 10 if resign and rng.random() < 0.3 else rng.randrange(10)
    if where < 4:
        mutate_dict(rng, realm)
    elif where < 8:
        mutate_dict(rng, platform)
    if resign:
        ptok, rtok = cca_token.sign1(t.iak, platform), cca_token.sign1(t.rak, realm)
    else:
        ptok, rtok = t.tokens()
        ptok = cbor2.dumps(cbor2.CBORTag(18, [cca_token.ES384_PROTECTED, {}, cbor2.dumps(platform),
                                                        cbor2.loads(ptok).value[3]]))
        rtok = cbor2.dumps(cbor2.CBORTag(18, [cca_token.ES384_PROTECTED, {}, cbor2.dumps(realm),
                                                        cbor2.loads(rtok).value[3]]))
    if where == 8:  # a COSE_Sign1 item
        which = rng.choice(["p", "r"])
        item = cbor2.loads(ptok if which == "p" else rtok)
        item.value[rng.randrange(4)] = random_value(rng)
        if which == "p":
            ptok = cbor2.dumps(item)
        else:
            rtok = cbor2.dumps(item)
    data = t.wrap(ptok, rtok)
    if where == 9:  # the envelope
        env = cbor2.loads(data)
        if isinstance(env.value, dict):
            mutate_dict(rng, env.value)
        data = cbor2.dumps(env)
    return data


def random_ref(rng, t):
    """None, the token's own values (verifies), or one of them wrong or malformed."""
    if rng.random() < 0.5:
        return None
    ref = {"hash-algo": t.realm[44236], "rim": t.realm[44238], "rems": list(t.realm[44239]),
           "rpv": t.realm[44235]}
    if rng.random() < 0.5:
        key = rng.choice(list(ref))
        ref[key] = [None] * 4 if key == "rems" else random_value(rng, MAX_DEPTH)
    return ref


class Fuzzer:
    def __init__(self, seed, out, files=()):
        self.rng = random.Random(seed)
        self.out = out
        self.mod = load_verifier()
        self.bases = [base_token(self.rng, form, profile) for form in (907, 399) for profile in (True, False)]
        self.encoded = [t.encode() for t in self.bases]
        self.files = [pathlib.Path(f).read_bytes() for f in files]
        self.tmp = tempfile.TemporaryDirectory(prefix="fuzz_verify.")
        self.keyfile = {}
        for t in self.bases:
            path = pathlib.Path(self.tmp.name) / f"iak{len(self.keyfile)}.pem"
            path.write_bytes(cca_token.pem(t.iak))
            self.keyfile[id(t)] = path
        self.runs = 0
        self.by_kind = {k: 0 for k, _ in KIND_WEIGHTS}
        self.outcomes = {}
        self.mains = 0

    def finding(self, data, what):
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"crash-verify-{self.runs}.cbor"
        path.write_bytes(data)
        print(f"fuzz_verify: FINDING at input {self.runs}: {what}\nfuzz_verify: input saved to {path}",
              file=sys.stderr)
        sys.exit(1)

    def one(self):
        rng = self.rng
        i = rng.randrange(len(self.bases))
        t = self.bases[i]
        kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
        if kind == "bytes":
            data = mutate_bytes(rng, self.files[rng.randrange(len(self.files))]
                                if self.files and rng.random() < 0.2 else self.encoded[i])
        else:
            data = claims_token(rng, t, kind == "signed")
        ref = random_ref(rng, t) if kind == "signed" else None
        self.by_kind[kind] += 1
        self.check(data, t, ref)

    def check(self, data, t, ref):
        """Verify data with t's key and challenge: OK, or Fail, and nothing else."""
        self.runs += 1
        try:
            self.mod.verify(data, t.iak.public_key(), t.challenge, ref)
            outcome = "OK"
        except self.mod.Fail as e:
            outcome = "FAIL " + str(e).split(":")[0]
        except Exception:  # noqa: BLE001 - anything else is what this fuzzer looks for
            self.finding(data, "uncaught exception in verify()\n" + traceback.format_exc())
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if self.runs % CALL_MAIN_EVERY == 0:
            self.through_main(data, t)

    def through_main(self, data, t):
        """The command line on the same input: exit 0/1/2 and exactly the documented output."""
        token = pathlib.Path(self.tmp.name) / "token.cbor"
        token.write_bytes(data)
        args = [str(token), "--platform-key", str(self.keyfile[id(t)]), "--challenge", t.challenge.hex()]
        if self.rng.random() < 0.3:
            ref = pathlib.Path(self.tmp.name) / "ref.json"
            doc = {"rim": t.realm[44238].hex(), "hash-algo": self.rng.choice(["sha-256", 7, None])}
            text = json.dumps(doc)
            ref.write_text(text[:self.rng.randrange(len(text) + 1)] if self.rng.random() < 0.3 else text)
            args += ["--ref", str(ref)]
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = self.mod.main(args)
        except Exception:  # noqa: BLE001
            self.finding(data, "uncaught exception in main()\n" + traceback.format_exc())
        self.mains += 1
        lines = err.getvalue().splitlines()
        good = {0: lines == [] and out.getvalue().startswith("rampart-verify: OK\n"),
                1: len(lines) == 1 and lines[0].startswith("rampart-verify: FAIL: "),
                2: len(lines) == 1 and lines[0].startswith("rampart-verify: error: ")}
        if not good.get(rc, False):
            self.finding(data, f"main() returned {rc!r} with stderr {err.getvalue()!r}")

    def summary(self, seconds):
        fails = sum(n for o, n in self.outcomes.items() if o.startswith("FAIL"))
        kinds = ", ".join(f"{n} {k}" for k, n in self.by_kind.items())
        print(f"fuzz_verify: {self.runs} inputs ({kinds}) in {seconds:.1f} s, {self.mains} through main(); "
              f"{self.outcomes.get('OK', 0)} verified, {fails} rejected "
              f"({sum(1 for o in self.outcomes if o.startswith('FAIL'))} kinds of FAIL); "
              "0 uncaught exceptions")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=DEFAULT_RUNS, help="inputs (default %(default)s)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--time", type=float, default=0, help="stop after this many seconds (0: no limit)")
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."), help="where findings go")
    ap.add_argument("files", nargs="*", help="inputs to verify first and mutate too")
    args = ap.parse_args()
    f = Fuzzer(args.seed, args.out, args.files)
    start = time.monotonic()
    for data in f.files:
        f.check(data, f.bases[0], None)
    while f.runs < args.n and (not args.time or time.monotonic() - start < args.time):
        f.one()
    f.summary(time.monotonic() - start)


if __name__ == "__main__":
    main()
