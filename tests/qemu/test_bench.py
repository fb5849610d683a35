"""The bench command under -icount: counter ticks are instructions, so the numbers are exact."""
import pytest

OPS = ("smccc_version", "rmi_version", "granule_delegate", "granule_undelegate")
ICOUNT = ["-icount", "shift=0,sleep=off"]


def bench(q):
    out = q.cmd("bench", 30)
    assert out[0].startswith("bench iterations 64, empty loop "), out
    values = {}
    for line in out[1:]:
        word, name, value = line.split()
        assert word == "bench" and value.isdigit(), out
        values[name] = int(value)
    assert tuple(values) == OPS, out
    return values


@pytest.mark.timeout(60)
def test_bench_is_deterministic_under_icount(nstest_factory):
    q = nstest_factory(ICOUNT, smp=1)
    first = bench(q)
    print("\nbench (instructions per round trip):", first)
    assert bench(q) == first
    # An RMI call crosses two world switches; delegation also flips the GPT and scrubs.
    assert 0 < first["smccc_version"] < first["rmi_version"] < first["granule_undelegate"]
    assert first["rmi_version"] < first["granule_delegate"]
