#!/usr/bin/env bash
# Rampart setup: installs the host packages the build and tests need and
# fetches the pinned upstream sources of target-side libraries into build/.
# Idempotent: re-running it only does what is missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/build/deps"
# Upstream version series we build against (target side). The exact
# versions resolved from Debian trixie are recorded in $cache/VERSIONS.
MBEDTLS_SERIES="3.6."
DTC_SERIES="1.7."

die() { echo "setup: error: $*" >&2; exit 1; }
say() { echo "setup: $*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo"
    SUDO=sudo
fi

# The Debian mirror this machine already uses: we add suites beside it
# rather than naming a mirror of our own.
debian_mirror() {
    local m
    m=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
        /etc/apt/sources.list.d/*.list 2>/dev/null |
        grep -v -- '-security' | grep -oE 'https?://[^ ]+/debian/?' | head -n1)
    [ -n "$m" ] || die "no Debian mirror found in /etc/apt sources"
    echo "${m%/}"
}

need_pkgs=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu kconfig-frontends-nox
    device-tree-compiler libfdt-dev libmbedtls-dev libcmocka-dev
    python3-pytest python3-cbor2 python3-cryptography make gcc xz-utils dpkg-dev clang libclang-rt-dev)

have_qemu10() {
    command -v qemu-system-aarch64 >/dev/null &&
        qemu-system-aarch64 --version | head -n1 | grep -qE 'version (1[0-9]|[2-9][0-9])\.'
}

missing=()
for p in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

mirror=$(debian_mirror)
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")

if [ ${#missing[@]} -gt 0 ] || ! have_qemu10; then
    if [ "$codename" = bookworm ] &&
        ! grep -rqsE 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        say "adding bookworm-backports (for qemu-system-arm 10.x)"
        printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$mirror" | $SUDO tee /etc/apt/sources.list.d/rampart-backports.sources >/dev/null
    fi
    say "apt-get update"
    $SUDO apt-get update -qq || die "apt-get update failed"
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing: ${missing[*]}"
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
            die "apt-get install failed"
    fi
    if ! have_qemu10; then
        say "installing qemu-system-arm from bookworm-backports"
        if [ "$codename" = bookworm ]; then
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports \
                qemu-system-arm >/dev/null || die "cannot install qemu-system-arm from bookworm-backports"
        else
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-arm >/dev/null ||
                die "cannot install qemu-system-arm"
        fi
    fi
    have_qemu10 || die "qemu-system-aarch64 >= 10 is required for x-rme (have: $(qemu-system-aarch64 --version | head -n1))"
fi

# ---- upstream source tarballs from Debian trixie's source packages ----
# A private apt configuration keeps the host's sources untouched.
fetch_src() { # $1 = source package, $2 = upstream version series, $3 = name
    local pkg=$1 series=$2 name=$3
    local dir="$cache/$name"
    if [ -f "$dir/.fetched" ]; then return 0; fi
    local apt="$cache/apt"
    mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/sources.list.d" "$dir"
    printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
        "$mirror" >"$apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root"
        -o "Debug::NoLocking=1")
    mkdir -p "$apt/cache/archives/partial"
    if [ ! -f "$apt/.updated" ]; then
        apt-get "${opts[@]}" update -qq || die "cannot read trixie source index (network or keyring?)"
        touch "$apt/.updated"
    fi
    local ver
    ver=$(apt-cache "${opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -n1)
    [ -n "$ver" ] || die "source package $pkg not found in trixie"
    local up=${ver#*:}; up=${up%-*}; up=${up%%+*}
    case "$up" in "$series"*) ;; *) die "$pkg in trixie is $up, not the pinned $series series" ;; esac
    # Only the upstream tarball is needed; some mirrors lack the Debian
    # packaging files, so the download may report errors for those. The
    # tarball is then checked against the signed index ourselves.
    (cd "$dir" && apt-get "${opts[@]}" source --download-only -qq "$pkg=$ver" >/dev/null 2>&1) || true
    local orig
    orig=$(ls "$dir"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1)
    [ -n "$orig" ] || die "cannot download the upstream tarball of $pkg $ver"
    local want
    want=$(apt-cache "${opts[@]}" showsrc "$pkg" 2>/dev/null |
        awk -v f="$(basename "$orig")" -v v="$ver" '/^Version:/{ok=($2==v)} /^Checksums-Sha256:/{c=1;next}
            /^[^ ]/{c=0} ok && c && $3==f {print $1; exit}')
    [ -n "$want" ] || die "no SHA-256 for $(basename "$orig") in the trixie index"
    [ "$(sha256sum "$orig" | cut -d' ' -f1)" = "$want" ] ||
        { rm -f "$orig"; die "$(basename "$orig") does not match the signed index (SHA-256)"; }
    rm -rf "$dir/src" && mkdir -p "$dir/src"
    tar -xf "$orig" -C "$dir/src" --strip-components=1 || die "cannot unpack $orig"
    local sum
    sum=$(sha256sum "$orig" | cut -d' ' -f1)
    echo "$name $pkg $ver $(basename "$orig") sha256=$sum" >"$dir/.fetched"
    say "fetched $name: $pkg $ver ($(basename "$orig")) sha256=$sum"
}

# ---- a stock Debian arm64 kernel and busybox for the Linux partition tests ----
# The kernel comes from trixie-backports (7.x has realm support, trixie's 6.12
# has not); its ABI is read from the cloud metapackage, never hard-coded,
# because backports keeps only the current upload. Extracted: the Image,
# busybox, and the modules a realm needs for attestation (configfs, the TSM
# report core, arm-cca-guest); the build packs the initramfs from them
# (tools/mkinitramfs.py, rule in tests/guests/linux.mk).
LINUX_LAYOUT=2 # bump when what is extracted from the packages changes
fetch_linux() {
    local dir="$cache/linux"
    if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.layout" 2>/dev/null)" = "$LINUX_LAYOUT" ]; then return 0; fi
    local apt="$cache/apt-arm64"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$dir/debs"
    if ! ls "$dir"/debs/linux-binary-unsigned-*.deb "$dir"/debs/linux-modules-*.deb \
        "$dir"/debs/busybox-static_*.deb >/dev/null 2>&1; then
        printf 'deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\ndeb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie-backports main\n' \
            "$mirror" "$mirror" >"$apt/sources.list"
        local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
            -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Architecture=arm64"
            -o "APT::Architectures=arm64" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1"
            -o "Dir::State::status=/dev/null")
        apt-get "${opts[@]}" update -qq || die "cannot read the trixie arm64 package index"
        local abi
        abi=$(apt-cache "${opts[@]}" depends linux-image-cloud-arm64/trixie-backports 2>/dev/null |
            awk '/Depends: linux-image-/{sub("linux-image-", "", $2); print $2; exit}')
        [ -n "$abi" ] || die "cannot resolve the kernel ABI from linux-image-cloud-arm64 in trixie-backports"
        (cd "$dir/debs" && apt-get "${opts[@]}" download -qq "linux-binary-unsigned-$abi" "linux-modules-$abi" \
            busybox-static >/dev/null 2>&1) ||
            die "cannot download linux-binary-unsigned-$abi, linux-modules-$abi and busybox-static (arm64)"
    fi
    local kdeb mdeb bdeb
    kdeb=$(ls "$dir"/debs/linux-binary-unsigned-*.deb | head -n1)
    mdeb=$(ls "$dir"/debs/linux-modules-*.deb | head -n1)
    bdeb=$(ls "$dir"/debs/busybox-static_*.deb | head -n1)
    rm -rf "$dir/x" "$dir/modules" "$dir/initrd.cpio.gz" && mkdir -p "$dir/x" "$dir/modules"
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$dir/x" --wildcards './usr/lib/modules/*/vmlinuz.unsigned' ||
        die "no kernel Image in $kdeb"
    dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C "$dir/x" ./usr/bin/busybox || die "no busybox in $bdeb"
    dpkg-deb --fsys-tarfile "$mdeb" | tar -x -C "$dir/x" --wildcards './usr/lib/modules/*/kernel/fs/configfs/*' \
        './usr/lib/modules/*/kernel/drivers/virt/coco/*' || die "no configfs / coco modules in $mdeb"
    find "$dir/x/usr/lib/modules" -name '*.ko*' -exec mv {} "$dir/modules/" \;
    ls "$dir"/modules/arm-cca-guest.ko* >/dev/null 2>&1 || die "no arm-cca-guest module in $mdeb"
    mv "$dir"/x/usr/lib/modules/*/vmlinuz.unsigned "$dir/Image"
    mv "$dir/x/usr/bin/busybox" "$dir/busybox"
    rm -rf "$dir/x"
    {
        for d in "$kdeb" "$mdeb" "$bdeb"; do
            echo "linux $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version) $(basename "$d") sha256=$(sha256sum "$d" | cut -d' ' -f1)"
        done
    } >"$dir/.fetched"
    echo "$LINUX_LAYOUT" >"$dir/.layout"
    say "fetched Linux $(dpkg-deb -f "$kdeb" Package), its attestation modules and busybox-static"
}

mkdir -p "$cache"
fetch_src mbedtls "$MBEDTLS_SERIES" mbedtls
fetch_src device-tree-compiler "$DTC_SERIES" dtc
fetch_linux
cat "$cache"/*/.fetched >"$cache/VERSIONS"
say "dependencies ready:"
sed 's/^/  /' "$cache/VERSIONS"
