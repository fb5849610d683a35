#!/bin/busybox sh
# /init of the test initramfs: the marker the QEMU tests look for, then power off.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
echo "RAMPART-LINUX-INIT-OK $(/bin/busybox uname -r)"
/bin/busybox poweroff -f
