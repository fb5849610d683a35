"""External payload: PSCI CPU power, concurrent RMI from every CPU, system power."""
import re

import pytest

from abi import (
    AFF_OFF, AFF_ON, PSCI_AFFINITY_INFO, PSCI_ALREADY_ON, PSCI_CPU_ON, PSCI_CPU_ON_32,
    PSCI_INVALID_ADDRESS, PSCI_INVALID_PARAMS, PSCI_ON_PENDING, PSCI_SUCCESS, RMI_ERROR_INPUT,
    RMI_GRANULE_DELEGATE, RMI_GRANULE_UNDELEGATE, RMI_SUCCESS,
)
from util import assert_in_order

STRESS_GRANULES = 8
STRESS_ROUNDS = 16
CPU_TIMEOUT_S = 20
STRESS_TIMEOUT_S = 60
CPU_POLLS = 100


def cpuon(q, cpu):
    q.cmd1(f"cpuon {cpu:x}", rf"cpuon {cpu} rc=0 online=yes", CPU_TIMEOUT_S)


def all_cpus_on(q, ncpus):
    for cpu in range(1, ncpus):
        cpuon(q, cpu)
    q.cmd1("cpus", rf"cpus mask={(1 << ncpus) - 1:x} count={ncpus} psci={','.join(['on'] * ncpus)}")


@pytest.mark.timeout(45)
def test_psci_errors(nstest, external_build):
    c = external_build.num
    ncpus, entry = c("NR_CPUS"), nstest.secondary_entry
    bad = {}

    def expect(what, want, fid, *args):
        got = nstest.smc(fid, *args)[0]
        if got != want:
            bad[what] = f"got 0x{got:x}, want 0x{want:x}"

    expect("CPU_ON: no such cpu", PSCI_INVALID_PARAMS, PSCI_CPU_ON, ncpus, entry, 0)
    expect("CPU_ON: Aff1 set", PSCI_INVALID_PARAMS, PSCI_CPU_ON, 0x100 | 1, entry, 0)
    expect("CPU_ON: Aff3 set", PSCI_INVALID_PARAMS, PSCI_CPU_ON, (1 << 32) | 1, entry, 0)
    expect("CPU_ON (SMC32): no such cpu", PSCI_INVALID_PARAMS, PSCI_CPU_ON_32, ncpus, entry, 0)
    for what, addr in {
        "entry 0": 0,
        "entry in the RMM carve-out": c("RMM_BASE"),
        "entry in secure SRAM": c("SECURE_SRAM_BASE"),
        "entry in secure flash": 0x1000,
        "entry at DRAM end": c("DRAM_BASE") + c("DRAM_SIZE"),
        "entry not 4-byte aligned": entry + 2,
    }.items():
        expect(f"CPU_ON: {what}", PSCI_INVALID_ADDRESS, PSCI_CPU_ON, 1, addr, 1)
    expect("CPU_ON: the caller itself", PSCI_ALREADY_ON, PSCI_CPU_ON, 0, entry, 0)
    expect("AFFINITY_INFO: cpu 0", AFF_ON, PSCI_AFFINITY_INFO, 0, 0)
    # None of the refused CPU_ONs may have started cpu 1.
    expect("AFFINITY_INFO: cpu 1 after refused CPU_ONs", AFF_OFF, PSCI_AFFINITY_INFO, 1, 0)
    expect("AFFINITY_INFO: lowest level 1", PSCI_INVALID_PARAMS, PSCI_AFFINITY_INFO, 0, 1)
    expect("AFFINITY_INFO: no such cpu", PSCI_INVALID_PARAMS, PSCI_AFFINITY_INFO, ncpus, 0)
    assert not bad, bad

    cpuon(nstest, 1)
    assert nstest.smc(PSCI_CPU_ON, 1, entry, 1)[0] == PSCI_ALREADY_ON
    assert nstest.smc(PSCI_AFFINITY_INFO, 1, 0)[0] == AFF_ON


@pytest.mark.timeout(45)
def test_cpu_on_while_on_pending(nstest_factory):
    # Under -icount one vCPU runs at a time, so the second CPU_ON, issued right after the
    # first, always finds cpu 1 still on its way up.
    q = nstest_factory(["-icount", "shift=0,sleep=off"])
    out = q.cmd(f"smc2 {PSCI_CPU_ON:x} 1 {q.secondary_entry:x} 1")
    assert [int(line.split()[1], 16) for line in out] == [PSCI_SUCCESS, PSCI_ON_PENDING], out
    for _ in range(CPU_POLLS):
        if q.smc(PSCI_AFFINITY_INFO, 1, 0)[0] == AFF_ON:
            break
    else:
        pytest.fail(f"cpu 1 never reached ON\n{q.transcript()}")
    q.cmd1("cpus", r"cpus mask=3 count=2 psci=on,on,off,off")
    assert q.smc(PSCI_CPU_ON, 1, q.secondary_entry, 1)[0] == PSCI_ALREADY_ON


@pytest.mark.timeout(45)
def test_all_cpus_online(nstest, external_build):
    ncpus = external_build.num("NR_CPUS")
    nstest.cmd1("cpus", rf"cpus mask=1 count=1 psci=on{',off' * (ncpus - 1)}")
    all_cpus_on(nstest, ncpus)


@pytest.mark.timeout(60)
def test_cpu_off_and_on_again(nstest, external_build):
    ncpus = external_build.num("NR_CPUS")
    all_cpus_on(nstest, ncpus)
    for cpu in range(1, ncpus):
        nstest.cmd1(f"cpuoff {cpu:x}", rf"cpuoff {cpu} off", CPU_TIMEOUT_S)
        assert nstest.smc(PSCI_AFFINITY_INFO, cpu, 0)[0] == AFF_OFF
    nstest.cmd1("cpus", rf"cpus mask=1 count=1 psci=on{',off' * (ncpus - 1)}")
    # A CPU that went through CPU_OFF comes back, and RMI still works on it.
    all_cpus_on(nstest, ncpus)
    delegated = STRESS_GRANULES * ncpus
    nstest.cmd1(f"stress {STRESS_GRANULES:x} 1",
                rf"stress cpus={ncpus} delegated={delegated} undelegated={delegated} failed=0 race_winners=1",
                STRESS_TIMEOUT_S)


@pytest.mark.timeout(90)
def test_concurrent_rmi_stress(nstest, external_build):
    ncpus = external_build.num("NR_CPUS")
    all_cpus_on(nstest, ncpus)
    calls = STRESS_GRANULES * STRESS_ROUNDS * ncpus
    for _ in range(2):  # twice: the race granule must have been released
        nstest.cmd1(f"stress {STRESS_GRANULES:x} {STRESS_ROUNDS:x}",
                    rf"stress cpus={ncpus} delegated={calls} undelegated={calls} failed=0 race_winners=1",
                    STRESS_TIMEOUT_S)
    # Everything went back to Non-secure: every CPU's first granule and the race granule.
    pool = nstest.pool[0]
    for pa in [pool + cpu * 0x100000 for cpu in range(ncpus)] + [pool + ncpus * 0x100000]:
        nstest.cmd1(f"read {pa:x}", r"val 0{16}")
        assert nstest.smc(RMI_GRANULE_UNDELEGATE, pa)[0] == RMI_ERROR_INPUT
    nstest.cmd1("cpus", rf"cpus mask={(1 << ncpus) - 1:x} count={ncpus} psci={','.join(['on'] * ncpus)}")


@pytest.mark.timeout(30)
def test_system_off(nstest):
    nstest.send("off")
    assert nstest.wait_exit(10) == 0
    assert re.search(r"^monitor: system off", nstest.secure_log(), re.M)


@pytest.mark.timeout(60)
def test_system_reset(nstest, external_build):
    ncpus = external_build.num("NR_CPUS")
    pa = 0x53000000
    all_cpus_on(nstest, ncpus)
    assert nstest.smc(RMI_GRANULE_DELEGATE, pa)[0] == RMI_SUCCESS
    nstest.send("reset")
    nstest.wait_for(r"^nstest: ready$", 20)
    # A full cold boot: fresh GPT and granule states, so the granule is Non-secure again.
    nstest.cmd1(f"read {pa:x}", r"val 0{16}")
    assert nstest.smc(RMI_GRANULE_UNDELEGATE, pa)[0] == RMI_ERROR_INPUT
    assert nstest.smc(RMI_GRANULE_DELEGATE, pa)[0] == RMI_SUCCESS
    # Every secondary is off again and can be started afresh.
    nstest.cmd1("cpus", rf"cpus mask=1 count=1 psci=on{',off' * (ncpus - 1)}")
    all_cpus_on(nstest, ncpus)
    assert_in_order(nstest.secure_log(), [
        r"^monitor: system reset",
        r"^monitor: Rampart EL3 monitor, cold boot on cpu 0$",
        r"^monitor: RMM booted on cpu 0$",
        r"^monitor: entering NS-EL2",
    ])
    nstest.send("off")
    assert nstest.wait_exit(10) == 0
