"""Static partitions of the built-in hypervisor, with tests/guests/bmguest as the guest.

Builds (see `make check`): RAMPART_BUILD_PART_ISOLATION from
configs/test_partitions_isolation_defconfig (tests/qemu/partitions/isolation.dts),
RAMPART_BUILD_PART_RESET from configs/test_partitions_reset_defconfig (reset.dts),
RAMPART_BUILD_DEFAULT from configs/qemu_virt_rme_defconfig (the `make run` demo).
"""
import pytest

from conftest import Build, _build_dir
from util import assert_in_order


def partition_build(env, default, dts):
    build = Build(_build_dir(env, default), "builtin")
    build.image("rampart.bin")
    if build.config.get("HYP_PARTITIONS_DTS") != dts:
        pytest.fail(f"{build.path} is not built from {dts}", pytrace=False)
    return build


@pytest.fixture(scope="session")
def isolation_build():
    return partition_build("RAMPART_BUILD_PART_ISOLATION", "build/check/part-isolation",
                           "tests/qemu/partitions/isolation.dts")


@pytest.fixture(scope="session")
def reset_build():
    return partition_build("RAMPART_BUILD_PART_RESET", "build/check/part-reset",
                           "tests/qemu/partitions/reset.dts")


@pytest.fixture(scope="session")
def default_build():
    return partition_build("RAMPART_BUILD_DEFAULT", "build/check/default",
                           "configs/qemu_virt_rme/partitions.dts")


@pytest.mark.timeout(60)
def test_isolation_cpu_on_and_separate_consoles(qemu, isolation_build):
    q = qemu(isolation_build, "isolation")
    # beta reads an IPA it does not own: stopped by its policy, reported once.
    q.wait_for(r"^\[beta\] reading 0x42000000$", 20)
    m = q.wait_for(r"^hyp: partition beta: data abort outside its memory and devices at 0x42000000 "
                   r"\(ESR 0x([0-9a-f]+), vcpu 0, PC 0x[0-9a-f]+\): partition stopped$", 20)
    esr = int(m.group(1), 16)
    assert esr >> 26 == 0x24, f"ESR 0x{esr:x} is not a lower-EL data abort"
    # gamma: PSCI inside a 2-vCPU partition, with PSCI's refusals.
    q.wait_for(r"^\[gamma\] bmguest: vcpu 1 up$", 20)
    q.wait_for(r"^\[gamma\] cpu_on\(1\) = 0$")
    q.wait_for(r"^\[gamma\] cpu_on\(7\) = -2$")
    q.wait_for(r"^\[gamma\] cpu_on\(1, outside RAM\) = -9$")
    q.wait_for(r"^\[gamma\] affinity_info\(1\) = 1$")
    # alpha keeps running while beta is stopped, and ends with its own SYSTEM_OFF.
    q.wait_for(r"^\[alpha\] bmguest alpha: done$", 30)
    q.wait_for(r"^hyp: all partitions stopped: powering off$", 30)
    assert q.wait_exit(10) == 0
    lines = q.lines
    assert [l for l in lines if l.startswith("[alpha] tick")] == [f"[alpha] tick {i}" for i in range(5)]
    assert not any(l.startswith("[beta] read 0x") for l in lines), "beta's read must never complete"
    assert sum(l.startswith("hyp: partition beta: data abort") for l in lines) == 1, "reported once"
    assert not any("partition alpha: data abort" in l or "partition gamma: data abort" in l for l in lines)
    # Every partition line carries its own prefix: streams are separate.
    for l in lines:
        if "bmguest" in l and not l.startswith("hyp:"):
            assert l.startswith(("[alpha]", "[beta]", "[gamma]")), l


@pytest.mark.timeout(60)
def test_partition_reset_restarts_only_that_partition(qemu, reset_build):
    q = qemu(reset_build, "reset")
    q.wait_for(r"^\[echo\] tick 0$", 20)
    for _ in range(3):
        q.wait_for(r"^\[delta\] bmguest delta: up$", 20)
    q.wait_for(r"^\[echo\] tick 1$", 20)
    q.kill()
    lines = q.lines
    assert "hyp: partition delta: further power events are counted, not reported" in lines
    assert sum(l == "[echo] bmguest echo: up" for l in lines) == 1, "echo must not restart"
    assert sum(l == "[delta] bmguest delta: up" for l in lines) >= 3
    # A guest in a reset loop cannot flood the console with hypervisor lines.
    assert sum(l == "hyp: partition delta: system reset: restarting it" for l in lines) == 4


@pytest.mark.timeout(60)
def test_default_configuration_shows_two_partitions(qemu, default_build):
    q = qemu(default_build, "default")
    q.wait_for(r"^hyp: 2 partition\(s\) started; boot work done at counter \d+$", 20)
    q.wait_for(r"^\[demo\] bmguest: vcpu 1 up$", 20)
    q.wait_for(r"^\[demo\] bmguest demo: done$", 20)
    q.wait_for(r"^hyp: partition demo: system off$", 20)
    q.wait_for(r"^\[safety\] tick 1$", 20)
    q.kill()
    assert "hyp: all partitions stopped: powering off" not in q.lines, "safety runs on"
