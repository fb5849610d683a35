"""The default configuration: monitor, RMM and the built-in hypervisor's self-checks."""
import pytest

from util import assert_in_order


@pytest.mark.timeout(60)
def test_builtin_boot_self_checks_and_system_off(qemu, builtin_build):
    if builtin_build.config.get("HYP_SELFTEST") != "y":
        builtin_build.fail("the self-check configuration is needed (tests/configs/test_hyp_selftest_defconfig)")
    q = qemu(builtin_build, "builtin")
    ncpus = builtin_build.num("NR_CPUS")
    q.wait_for(r"^hyp: SMCCC version 0x10002, PSCI version 0x10001$", 20)
    q.wait_for(r"^hyp: RMI version 1\.0 \(RMM implements 0x10000\.\.0x10000\)$")
    q.wait_for(r"^hyp: RMI features\[0\] 0x[0-9a-f]+$")
    q.wait_for(rf"^hyp: {ncpus} CPUs online$", 20)
    m = q.wait_for(r"^hyp: granule protection fault on NS read of delegated granule: "
                   r"PA 0x([0-9a-f]+) ESR 0x([0-9a-f]+)$")
    esr = int(m.group(2), 16)
    assert (esr >> 26) & 0x3F == 0x25 and esr & 0x3F == 0x28, f"ESR 0x{esr:x} is not a GPF data abort"
    q.wait_for(r"^hyp: undelegated granule reads back as zeros$")
    q.wait_for(r"^hyp: rejected inputs: 7 of 7 refused with ERROR_INPUT$")
    # core/selftest.c: every secondary delegates its 8 granules in each of 16 rounds; one granule raced.
    q.wait_for(rf"^hyp: RMI from {ncpus} CPUs at once: {(ncpus - 1) * 16 * 8} delegations, 1 race winner\(s\)$",
               30)
    q.wait_for(r"^hyp: \d+ checks, 0 failed$", 20)
    q.wait_for(r"^hyp: self-checks passed$")
    assert q.wait_exit(10) == 0
    assert not [l for l in q.lines if "check failed" in l], q.transcript()
    assert_in_order(q.secure_log(), [
        r"^monitor: Rampart EL3 monitor, cold boot on cpu 0$",
        r"^monitor: GPT: ",
        r"^monitor: GPC enabled$",
        r"^rmm: Rampart RMM, RMI 1\.0; tracking \d+ granules",
        r"^monitor: RMM booted on cpu 0$",
        rf"^monitor: entering NS-EL2 at 0x{builtin_build.num('HYP_BASE'):x}$",
        r"^monitor: system off",
    ])
