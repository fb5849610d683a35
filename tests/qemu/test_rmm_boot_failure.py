"""A failed RMM boot: RMI is disabled, the Normal world still boots and powers off.

Built from tests/configs/test_rmm_boot_fail_defconfig, where the monitor announces an
RMM-EL3 interface version the RMM does not implement.
"""
import os

import pytest

from conftest import Build, _build_dir
from util import assert_in_order


@pytest.fixture(scope="session")
def rmm_fail_build():
    path = _build_dir("RAMPART_BUILD_RMMFAIL", "build/check/rmmfail")
    build = Build(path, "builtin")
    build.image("rampart.bin")
    if build.config.get("TEST_RMM_IFC_VERSION", "0x00000001") in ("0x00000001", "0x1"):
        pytest.fail(f"{path} announces the RMM's own interface version; build it from "
                    "tests/configs/test_rmm_boot_fail_defconfig", pytrace=False)
    return build


@pytest.mark.timeout(60)
def test_rmm_boot_failure_disables_rmi(qemu, rmm_fail_build):
    q = qemu(rmm_fail_build, "rmmfail")
    q.wait_for(r"^hyp: RMI unavailable: the RMM did not boot$", 20)
    q.wait_for(r"^hyp: 4 CPUs online$", 20)
    q.wait_for(r"^hyp: \d+ checks, 1 failed$", 20)
    assert q.wait_exit(10) == 0
    # Exactly the RMI check failed: PSCI and SMCCC still work.
    failed = [l for l in q.lines if "check failed" in l]
    assert failed == ["hyp: check failed: RMI_VERSION answered SMC_UNKNOWN"], failed
    log = q.secure_log()
    assert_in_order(log, [
        r"^monitor: RMM boot failed on cpu 0: status -2; RMI disabled$",
        r"^monitor: entering NS-EL2 at 0x",
        r"^monitor: system off",
    ])
    assert not any(l.startswith("rmm: ") for l in log), "a refused RMM must not have run its boot"
