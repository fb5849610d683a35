"""The nstest shell itself: malformed input gets a clear error and the shell carries on."""
import pytest

from abi import SMCCC_VERSION, SMCCC_VERSION_1_2

LINE_MAX = 320  # tests/guests/nstest/main.c


@pytest.mark.timeout(30)
def test_bad_input_is_reported(nstest):
    cases = {
        "bogus": r"error: unknown command 'bogus' \(try help\)",
        "smc": r"error: usage: smc FID \[X1 \.\. X7\]",
        "smc 1 2 3 4 5 6 7 8 9": r"error: usage: smc FID \[X1 \.\. X7\]",
        "read": r"error: usage: read PA",
        "read zz": r"error: 'zz' is not a 64-bit hex number",
        "read 0x": r"error: '0x' is not a 64-bit hex number",
        "read 10000000000000000": r"error: '10000000000000000' is not a 64-bit hex number",
        "read 50000004": r"error: 0x50000004 is not 8-byte aligned",
        "zero? 50000008": r"error: 0x50000008 is not 4096-byte aligned",
        "fill 50000008 1": r"error: 0x50000008 is not 4096-byte aligned",
        "cpuoff 0": r"error: cpu 0 is not an online secondary",
        "cpuoff 1": r"error: cpu 1 is not an online secondary",
        "stress 0 1": r"error: need 1\.\.100 granules and 1\.\.10000 rounds",
        "stress 101 1": r"error: need 1\.\.100 granules and 1\.\.10000 rounds",
        "x" * LINE_MAX: rf"error: line longer than {LINE_MAX - 1} characters",
    }
    for line, want in cases.items():
        if len(line) >= LINE_MAX:
            nstest.send(line)
            nstest.wait_for("^" + want + "$")
            nstest.wait_for("^nstest: done$")
            continue
        nstest.cmd1(line, want)
    # Upper-case hex and a 0x prefix are fine, and the shell still works.
    nstest.cmd1("read 0X50000000", r"val [0-9a-f]{16}")
    assert nstest.smc(SMCCC_VERSION)[0] == SMCCC_VERSION_1_2


@pytest.mark.timeout(30)
def test_help_lists_the_commands(nstest):
    (line,) = nstest.cmd("help")
    for name in ("smc FID", "smc2 FID", "trap", "read PA", "write PA VAL", "fill PA VAL", "zero? PA",
                 "cpuon CPU", "cpuoff CPU", "cpus", "stress GRANULES ROUNDS", "bench", "off", "reset"):
        assert name in line, line
