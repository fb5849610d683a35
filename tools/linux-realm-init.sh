#!/bin/busybox sh
# /realm-init of the test initramfs, for Linux as a realm (docs/partitions.md):
# load the attestation modules, then for every challenge (from the kernel
# command line, rampart.challenge=HEX, and then one per line typed on the
# console) print the CCA token from configfs-tsm as hex between markers.
# An empty line (or end of input) powers the partition off; "reset" resets it.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
echo "RAMPART-LINUX-INIT-OK $($B uname -r)"
# Module names differ between kernels (tsm.ko up to 6.15, tsm_report.ko later) and some
# are built in: load whatever the initramfs carries, dependencies first (its order file).
for m in $($B cat /lib/modules/order 2>/dev/null); do
    $B insmod "/lib/modules/$m" || echo "RAMPART-MODULE-FAILED $m"
done
$B mount -t configfs none /sys/kernel/config 2>/dev/null
R=/sys/kernel/config/tsm/report
if [ -d $R ]; then
    echo "RAMPART-TSM-OK provider=$($B mkdir $R/probe && $B cat $R/probe/provider; $B rmdir $R/probe)"
else
    echo "RAMPART-TSM-MISSING (no configfs-tsm: not a realm, or the modules did not load)"
fi
# From here the console carries tokens: kernel messages (e.g. 6.16's field-spanning-write
# warning from its first RSI attestation call) stay in dmesg instead of splitting a token.
$B dmesg -n 1
n=0
token() {
    d=$R/t$n
    $B mkdir $d || return
    # hex -> bytes: \xHH escapes for busybox printf
    $B printf "$(echo "$1" | $B sed 's/\(..\)/\\x\1/g')" > $d/inblob
    echo "RAMPART-TOKEN-BEGIN $n"
    $B od -An -v -tx1 $d/outblob | $B tr -d ' \n' | $B fold -w 64
    echo
    echo "RAMPART-TOKEN-END $n"
    $B rmdir $d
    n=$((n + 1))
}
for w in $($B cat /proc/cmdline); do
    case "$w" in rampart.challenge=*) token "${w#rampart.challenge=}" ;; esac
done
echo "RAMPART-REALM-READY type a challenge (64 to 128 hex digits); empty line: power off"
while read -r line; do
    case "$line" in
    "") break ;;
    reset) $B reboot -f ;;
    *) token "$line" ;;
    esac
done
$B poweroff -f
