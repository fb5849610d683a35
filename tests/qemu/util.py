"""Log helpers shared by the tests."""
import re


def assert_in_order(text, patterns):
    """Each regex (multi-line mode) must match after the previous one's match."""
    pos = 0
    for pattern in patterns:
        m = re.compile(pattern, re.M).search(text, pos)
        assert m, f"/{pattern}/ missing (or out of order) after offset {pos} in:\n{text}"
        pos = m.end()
