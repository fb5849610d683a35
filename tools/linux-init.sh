#!/bin/busybox sh
# /init of the test initramfs: the marker the QEMU tests look for, then power off;
# with rampart.shell on the kernel command line (the default tree's linux), a busybox
# shell on the console first, for a person: the partition powers off when it exits.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
echo "RAMPART-LINUX-INIT-OK $($B uname -r)"
for w in $($B cat /proc/cmdline); do
    [ "$w" = rampart.shell ] && shell=1
done
if [ -n "$shell" ]; then
    $B mkdir -p /dev /etc /tmp
    $B mount -t devtmpfs devtmpfs /dev 2>/dev/null
    $B --install -s /bin
    # This /init is PID 1, not an init daemon: power off and reboot act at once.
    printf "alias poweroff='poweroff -f'\nalias reboot='reboot -f'\nexport PS1='linux# '\n" >/etc/profile
    echo "RAMPART-LINUX-SHELL a shell on this console; 'poweroff' (or exit) powers this partition off"
    # cttyhack gives the shell the console as its controlling terminal: Ctrl-C reaches what it runs.
    $B setsid $B cttyhack $B sh -l
fi
$B poweroff -f
