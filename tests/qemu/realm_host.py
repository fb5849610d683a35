"""Driving nstest's realm host (tests/guests/nstest/realm.c) and the realmtest payload."""
import re
from dataclasses import dataclass, field

# tests/guests/realmtest/realmtest.h
RT_CMD_READY, RT_CMD_SMC, RT_CMD_READ, RT_CMD_WRITE, RT_CMD_READ_PAIR = 0, 1, 2, 3, 4
RT_CMD_WAIT_IRQ, RT_CMD_VTIMER, RT_CMD_SPIN_FLAG, RT_CMD_WFI, RT_CMD_HVC = 5, 6, 7, 8, 9
RT_CMD_SYSREGS, RT_CMD_FP, RT_CMD_TOKEN, RT_CMD_TOKEN_READ, RT_CMD_TOUCH = 10, 11, 12, 13, 14
RT_CMD_HOST_CALLS, RT_CMD_DEBUG_PROBE, RT_CMD_LOOP, RT_CMD_DIRTY = 15, 16, 17, 18
RT_CMD_ACK_IRQ, RT_CMD_EOI, RT_CMD_EL1_LEFT, RT_CMD_S1PTW = 19, 20, 21, 22
RT_S1PTW_VA = 0x1000
RT_REPORT_EXC_COUNT, RT_REPORT_EXC_ESR, RT_REPORT_EXC_FAR, RT_REPORT_EXC_ELR, RT_REPORT_REC = 26, 27, 28, 29, 30
RT_TOKEN_READ_WORDS = 25
REALM_IPA_BASE, REALM_RAM_SIZE = 0x40000000, 0x200000
REALM_SHARED_IPA = 0x80000000  # realm.c: the page the host shares
REALM_MMIO_IPA = 0x90000000    # unprotected, never mapped: every access is emulated

# RmiRecExitReason, RmiRecEnterFlags
EXIT_SYNC, EXIT_IRQ, EXIT_FIQ, EXIT_PSCI, EXIT_RIPAS_CHANGE, EXIT_HOST_CALL, EXIT_SERROR = range(7)
ENTER_EMUL_MMIO, ENTER_INJECT_SEA, ENTER_TRAP_WFI, ENTER_TRAP_WFE, ENTER_RIPAS_REJECT = 1, 2, 4, 8, 16

RMI_SUCCESS, RMI_ERROR_INPUT, RMI_ERROR_REALM, RMI_ERROR_REC, RMI_ERROR_RTT = 0, 1, 2, 3, 4


def realmtest_params():
    """The REALMTEST_* parameters of the realm nstest builds (tests/guests/build.mk)."""
    from conftest import REPO
    mk = (REPO / "tests/guests/build.mk").read_text()
    return {k: v for k, v in (l.split(" := ", 1) for l in mk.splitlines() if l.startswith("REALMTEST_"))}


def rmi_status(ret):
    return ret & 0xFF, (ret >> 8) & 0xFF


@dataclass
class Exit:
    ret: int
    reason: int = 0
    esr: int = 0
    far: int = 0
    hpfar: int = 0
    imm: int = 0
    ripas: tuple = (0, 0, 0)
    gprs: list = field(default_factory=list)
    gic: dict = field(default_factory=dict)
    timer: dict = field(default_factory=dict)
    populated: int = 0

    @property
    def ec(self):
        return (self.esr >> 26) & 0x3F

    @property
    def ipa(self):
        return ((self.hpfar & 0xFFFFFFFFFF0) << 8) | (self.far & 0xFFF)


def _kv(line):
    return {k: int(v, 16) for k, v in re.findall(r"(\w+)=([0-9a-f]+)", line)}


def parse_exit(lines):
    e = None
    populated = 0
    for line in lines:
        if line.startswith("populated "):
            populated = int(line.split()[1])
        elif line.startswith("exit "):
            kv = _kv(line)
            rip = re.search(r"ripas=([0-9a-f]+),([0-9a-f]+),([0-9a-f]+)", line)
            e = Exit(kv["ret"], kv["reason"], kv["esr"], kv["far"], kv["hpfar"], kv["imm"],
                     tuple(int(v, 16) for v in rip.groups()))
        elif line.startswith("exitgprs"):
            e.gprs = [int(v, 16) for v in line.split()[1:]]
        elif line.startswith("exitgic"):
            e.gic = _kv(line)
            e.gic["lrs"] = [int(v, 16) for v in re.search(r"lrs=(\S+)", line).group(1).split(",")]
        elif line.startswith("exittimer"):
            e.timer = _kv(line)
    assert e is not None, f"no exit in {lines}"
    e.populated = populated
    return e


class RealmHost:
    def __init__(self, q):
        self.q = q
        self.info = {}

    def build(self, hash_algo=0, recs=2):
        out = self.q.cmd(f"rbuild {hash_algo:x} {recs:x}", timeout=60)
        ok = [l for l in out if l.startswith("rbuild ok")]
        assert ok, out
        # The RMM hashed (SHA-256, SIMD) while the host had SVE state live: it must be intact.
        kv = _kv(ok[0])
        assert kv["sve_vl"] > 16 and kv["sve_last"] == kv["sve_vl"] // 8, ok[0]
        for line in self.q.cmd("rinfo"):
            self.info.update(_kv(line))
        return self

    def enter(self, rec=0, flags=0, *gprs):
        line = f"renter {rec:x} {flags:x}" + "".join(f" {g:x}" for g in gprs)
        return parse_exit(self.q.cmd(line, timeout=60))

    def boot(self, rec=0):
        """First entry of a REC: runs until its READY host call."""
        e = self.enter(rec)
        assert e.ret == 0 and e.reason == EXIT_HOST_CALL and e.imm == 0, e
        return e

    def command(self, cmd, *args, rec=0, flags=0):
        """Answer the pending host call with a command; the exit after it (its report, usually)."""
        return self.enter(rec, flags, cmd, *args)

    def smc(self, *x, rec=0):
        e = self.command(RT_CMD_SMC, *x, rec=rec)
        assert e.reason == EXIT_HOST_CALL and e.imm == RT_CMD_SMC, e
        return e.gprs[:12]

    def destroy(self):
        m = self.q.cmd1("rdestroy", r"rdestroy fails=(\d+) nonzero=(\d+)", timeout=60)
        return int(m.group(1)), int(m.group(2))
