"""The external-payload configuration hands its payload a device tree and boots an
operating system like any firmware (docs/external-payload.md, "Device tree" and "Kernel
and initrd"):

    qemu ... -bios rampart.bin -kernel Image -initrd initrd.cpio.gz -append "console=ttyAMA0"

The kernel is the stock Debian arm64 one tools/setup.sh fetched (build/deps/linux/Image),
the initramfs `make guests` builds; its /init prints RAMPART-LINUX-INIT-OK and powers off
through PSCI SYSTEM_OFF. One Linux boot (20-60 s under TCG); the rest run nstest.
"""
import re
import subprocess

import pytest

from conftest import REPO, payload_args

LINUX_IMAGE = REPO / "build/deps/linux/Image"
LINUX_BOOT_TIMEOUT_S = 300
BOOTARGS = "console=ttyAMA0 rampart.ext-linux-test"
FDT_MAGIC = 0xd00dfeed
SECURE_LOG_TIMEOUT_S = 20
OVERSIZED_BLOB = 0x30000  # more than the default 128 KiB window (NS_PAYLOAD_DTB_SIZE)


def test_nstest_gets_the_device_tree(nstest, external_build):
    """x0 = the fixed-up tree in its window (x1..x3 = 0), a valid tree the payload can read."""
    window = external_build.num("NS_PAYLOAD_DTB_ADDR")
    assert nstest.boot_regs == [window, 0, 0, 0]
    m = nstest.wait_secure(r"^monitor: device tree for the payload at (0x[0-9a-f]+) \((\d+) bytes",
                           SECURE_LOG_TIMEOUT_S)
    assert int(m.group(1), 16) == window
    assert int(m.group(2)) < external_build.num("NS_PAYLOAD_DTB_SIZE")
    # The magic, big-endian at the start of the tree, read as a little-endian doubleword.
    val = int(nstest.cmd1(f"read {window:x}", r"val ([0-9a-f]{16})").group(1), 16)
    assert int.from_bytes((val & 0xffffffff).to_bytes(4, "little"), "big") == FDT_MAGIC
    assert "fw_cfg" not in nstest.secure_log()  # no -kernel: the loader's payload runs


def test_oversized_tree_gives_x0_zero(qemu, external_build, tmp_path):
    """A tree that does not fit the window: a message naming the step and error, x0 = 0."""
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(OVERSIZED_BLOB))
    dts = tmp_path / "big.dts"
    dts.write_text('/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n'
                   '\tcompatible = "linux,dummy-virt";\n\tchosen { };\n'
                   '\tmemory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };\n'
                   f'\tbig {{ blob = /incbin/("{blob}"); }};\n}};\n')
    dtb = tmp_path / "big.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)], check=True)
    q = qemu(external_build, "bigdtb", payload_args(external_build) + ["-dtb", str(dtb)])
    q.wait_for(r"^nstest: boot registers x0 0x0 x1 0x0 x2 0x0 x3 0x0$", 20)
    q.wait_secure(r"^monitor: ERROR: no device tree for the payload: copying it: FDT_ERR_NOSPACE "
                  r"\(QEMU's tree at 0x40000000, window 0x[0-9a-f]+ \+ 0x[0-9a-f]+\); x0 = 0$",
                  SECURE_LOG_TIMEOUT_S)


@pytest.mark.timeout(LINUX_BOOT_TIMEOUT_S + 60)
def test_debian_kernel_boots_through_fw_cfg(qemu, external_build):
    """-kernel/-initrd/-append through fw_cfg; every CPU online through PSCI via SMC."""
    if not LINUX_IMAGE.is_file():
        pytest.fail(f"{LINUX_IMAGE} is missing; run: make setup", pytrace=False)
    initrd = external_build.image("images/linux/initrd.cpio.gz")
    q = qemu(external_build, "linux", ["-kernel", str(LINUX_IMAGE), "-initrd", str(initrd),
                                       "-append", BOOTARGS])
    ncpus = external_build.num("NR_CPUS")
    q.wait_for(r"psci: PSCIv1\.1 detected in firmware\.", LINUX_BOOT_TIMEOUT_S)
    q.wait_for(r"psci: probing for conduit method from DT|psci: Using standard PSCI v0\.2",
               LINUX_BOOT_TIMEOUT_S)
    q.wait_for(re.escape(f"Kernel command line: {BOOTARGS}"), LINUX_BOOT_TIMEOUT_S)
    m = q.wait_for(r"smp: Brought up 1 node, (\d+) CPUs?$", LINUX_BOOT_TIMEOUT_S)
    assert int(m.group(1)) == ncpus
    q.wait_for(r"Freeing initrd memory", LINUX_BOOT_TIMEOUT_S)
    q.wait_for(r"^RAMPART-LINUX-INIT-OK ", LINUX_BOOT_TIMEOUT_S)
    assert q.wait_exit(60) == 0  # /init powers off: PSCI SYSTEM_OFF
    log = q.secure_log()
    kernel = re.search(r"^monitor: fw_cfg: kernel \((\d+) bytes\) at (0x[0-9a-f]+)$", log, re.M)
    assert kernel and int(kernel.group(1)) == LINUX_IMAGE.stat().st_size
    assert int(kernel.group(2), 16) == external_build.num("NS_PAYLOAD_ADDR")
    initrd_line = re.search(r"^monitor: fw_cfg: initrd \((\d+) bytes\) at 0x[0-9a-f]+$", log, re.M)
    assert initrd_line and int(initrd_line.group(1)) == initrd.stat().st_size
    assert "device tree for the payload at" in log
    # A Normal-world host, not a realm: no RSI, and the firmware's RMI did not get in its way.
    with q._cond:
        ns = "\n".join(q.lines)
    assert "RME: Using RSI" not in ns
    assert not re.search(r"Kernel panic|Internal error|Unable to handle", ns), ns[-2000:]
