#!/usr/bin/env bash
# Rampart setup: installs the host packages the build and tests need and
# fetches the pinned upstream sources of target-side libraries, a Debian
# kernel and busybox, unpacked into this clone's build/deps.
#
# Once per machine, not per clone: what is downloaded is kept in a cache
# outside the tree (RAMPART_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/rampart),
# with the SHA-256 each file had when it was checked against Debian's signed
# index. Every clone unpacks from there, and every use checks the file
# against that SHA-256 again; a file that no longer matches is downloaded
# anew. An older clone's build/deps seeds an empty cache (checked the same
# way). `tools/setup.sh --refresh` resolves the newest versions again.
# Idempotent: re-running it only does what is missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"
cache="${RAMPART_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart}"
refresh=0
[ "${1:-}" = --refresh ] && refresh=1
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
    python3-pytest python3-cbor2 python3-cryptography make gcc xz-utils dpkg-dev gdb-multiarch clang cppcheck
    libclang-rt-dev)

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

# ---- the machine-wide download cache ----
# <cache>/files/<file>: what was downloaded; <cache>/<name>.fetched: its VERSIONS lines
# ("<name> <package> <version> <file> sha256=<hex>"), written once the file matched the signed
# index. Setups of several clones at once take turns (flock).
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# cached_ok NAME SERIES: every file NAME's record names is in the cache with its recorded
# SHA-256 (and, for a source, of the pinned SERIES); else the bad ones are removed, and 1.
cached_ok() {
    local name=$1 series=${2:-} rec="$cache/$1.fetched" ok=0 line f sum ver up
    [ -f "$rec" ] && [ "$refresh" = 0 ] || return 1
    while read -r line; do
        set -- $line
        f=$4 sum=${5#sha256=} ver=$3
        up=${ver#*:}; up=${up%-*}; up=${up%%+*}
        if [ -n "$series" ] && case "$up" in "$series"*) false ;; *) true ;; esac; then
            say "cache: $f is $up, not the pinned $series series: fetching it again"
            ok=1
        elif [ ! -f "$cache/files/$f" ]; then
            say "cache: $f is missing: fetching it again"
            ok=1
        elif [ "$(sha256_of "$cache/files/$f")" != "$sum" ]; then
            say "cache: $cache/files/$f does not match the SHA-256 recorded when it was downloaded ($sum): fetching it again"
            rm -f "$cache/files/$f"
            ok=1
        fi
    done <"$rec"
    [ "$ok" = 0 ] || rm -f "$rec"
    return $ok
}

# adopt NAME DIR: an older clone kept its downloads in build/deps/NAME (and NAME/debs): put them
# in the empty cache, if they match the SHA-256 that clone recorded.
adopt() {
    local name=$1 dir=$2 line f sum src
    [ -f "$dir/.fetched" ] && [ ! -f "$cache/$name.fetched" ] || return 0
    while read -r line; do
        set -- $line
        f=$4 sum=${5#sha256=}
        src=$(ls "$dir/$f" "$dir/debs/$f" 2>/dev/null | head -n1) || true
        [ -n "$src" ] && [ "$(sha256_of "$src")" = "$sum" ] || return 0
    done <"$dir/.fetched"
    while read -r line; do
        set -- $line
        src=$(ls "$dir/$4" "$dir/debs/$4" 2>/dev/null | head -n1) || true
        cp "$src" "$cache/files/$4.part" && mv "$cache/files/$4.part" "$cache/files/$4"
    done <"$dir/.fetched"
    cp "$dir/.fetched" "$cache/$name.fetched"
    say "cache: kept $name's downloads from $dir in $cache for other clones"
}

# ---- upstream source tarballs from Debian trixie's source packages ----
# A private apt configuration keeps the host's sources untouched.
download_src() { # $1 = source package, $2 = upstream version series, $3 = name
    local pkg=$1 series=$2 name=$3
    local apt="$cache/apt" tmp="$cache/tmp-$name"
    mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/sources.list.d"
    rm -rf "$tmp" && mkdir -p "$tmp"
    printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
        "$mirror" >"$apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root"
        -o "Debug::NoLocking=1")
    mkdir -p "$apt/cache/archives/partial"
    apt-get "${opts[@]}" update -qq || die "cannot read trixie source index (network or keyring?)"
    local ver
    ver=$(apt-cache "${opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -n1)
    [ -n "$ver" ] || die "source package $pkg not found in trixie"
    local up=${ver#*:}; up=${up%-*}; up=${up%%+*}
    case "$up" in "$series"*) ;; *) die "$pkg in trixie is $up, not the pinned $series series" ;; esac
    # Only the upstream tarball is needed; some mirrors lack the Debian
    # packaging files, so the download may report errors for those. The
    # tarball is then checked against the signed index ourselves.
    (cd "$tmp" && apt-get "${opts[@]}" source --download-only -qq "$pkg=$ver" >/dev/null 2>&1) || true
    local orig
    orig=$(ls "$tmp"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1)
    [ -n "$orig" ] || die "cannot download the upstream tarball of $pkg $ver"
    local want
    want=$(apt-cache "${opts[@]}" showsrc "$pkg" 2>/dev/null |
        awk -v f="$(basename "$orig")" -v v="$ver" '/^Version:/{ok=($2==v)} /^Checksums-Sha256:/{c=1;next}
            /^[^ ]/{c=0} ok && c && $3==f {print $1; exit}')
    [ -n "$want" ] || die "no SHA-256 for $(basename "$orig") in the trixie index"
    local sum
    sum=$(sha256_of "$orig")
    [ "$sum" = "$want" ] || { rm -rf "$tmp"; die "$(basename "$orig") does not match the signed index (SHA-256)"; }
    mv "$orig" "$cache/files/"
    rm -rf "$tmp"
    echo "$name $pkg $ver $(basename "$orig") sha256=$sum" >"$cache/$name.fetched"
    say "downloaded $name: $pkg $ver ($(basename "$orig")) sha256=$sum into $cache"
}

fetch_src() { # $1 = source package, $2 = upstream version series, $3 = name
    local pkg=$1 series=$2 name=$3
    local dir="$deps/$name"
    if [ -f "$dir/.fetched" ] && [ "$refresh" = 0 ]; then
        adopt "$name" "$dir"
        return 0
    fi
    cached_ok "$name" "$series" || download_src "$pkg" "$series" "$name"
    local line
    read -r line <"$cache/$name.fetched"
    set -- $line
    rm -rf "$dir" && mkdir -p "$dir/src"
    tar -xf "$cache/files/$4" -C "$dir/src" --strip-components=1 || die "cannot unpack $cache/files/$4"
    cp "$cache/$name.fetched" "$dir/.fetched"
    say "$name: $2 $3 ($4, SHA-256 checked) from $cache"
}

# ---- a stock Debian arm64 kernel and busybox for the Linux partition tests ----
# The kernel comes from trixie-backports (7.x has realm support, trixie's 6.12
# has not); its ABI is read from the cloud metapackage, never hard-coded,
# because backports keeps only the current upload. Extracted: the Image,
# busybox, and the modules a realm needs for attestation (configfs, the TSM
# report core, arm-cca-guest); the build packs the initramfs from them
# (tools/mkinitramfs.py, rule in tests/guests/linux.mk).
LINUX_LAYOUT=2 # bump when what is extracted from the packages changes
download_linux() {
    local apt="$cache/apt-arm64" tmp="$cache/tmp-linux"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d"
    rm -rf "$tmp" && mkdir -p "$tmp"
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
    # apt-get download checks each package against the signed index.
    (cd "$tmp" && apt-get "${opts[@]}" download -qq "linux-binary-unsigned-$abi" "linux-modules-$abi" \
        busybox-static >/dev/null 2>&1) ||
        die "cannot download linux-binary-unsigned-$abi, linux-modules-$abi and busybox-static (arm64)"
    local d rec="$cache/tmp-linux.fetched"
    : >"$rec"
    for d in "$tmp"/linux-binary-unsigned-*.deb "$tmp"/linux-modules-*.deb "$tmp"/busybox-static_*.deb; do
        echo "linux $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version) $(basename "$d") sha256=$(sha256_of "$d")" >>"$rec"
        mv "$d" "$cache/files/"
    done
    mv "$rec" "$cache/linux.fetched"
    rm -rf "$tmp"
    say "downloaded Linux (linux-binary-unsigned-$abi, linux-modules-$abi) and busybox-static into $cache"
}

fetch_linux() {
    local dir="$deps/linux"
    if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.layout" 2>/dev/null)" = "$LINUX_LAYOUT" ] && [ "$refresh" = 0 ]; then
        adopt linux "$dir"
        return 0
    fi
    cached_ok linux || download_linux
    local kdeb mdeb bdeb line
    while read -r line; do
        set -- $line
        case "$2" in
        linux-binary-unsigned-*) kdeb="$cache/files/$4" ;;
        linux-modules-*) mdeb="$cache/files/$4" ;;
        busybox-static) bdeb="$cache/files/$4" ;;
        esac
    done <"$cache/linux.fetched"
    [ -n "${kdeb:-}" ] && [ -n "${mdeb:-}" ] && [ -n "${bdeb:-}" ] || die "$cache/linux.fetched lacks a package"
    rm -rf "$dir" && mkdir -p "$dir/x" "$dir/modules"
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
    cp "$cache/linux.fetched" "$dir/.fetched"
    echo "$LINUX_LAYOUT" >"$dir/.layout"
    say "linux: $(dpkg-deb -f "$kdeb" Package), its attestation modules and busybox-static (SHA-256 checked) from $cache"
}

mkdir -p "$deps" "$cache/files" || die "cannot create $deps and $cache"
exec 9>"$cache/.lock"
flock -n 9 || { say "waiting for another setup using $cache"; flock 9; }
fetch_src mbedtls "$MBEDTLS_SERIES" mbedtls
fetch_src device-tree-compiler "$DTC_SERIES" dtc
fetch_linux
cat "$deps"/*/.fetched >"$deps/VERSIONS"
say "dependencies ready (downloads kept in $cache):"
sed 's/^/  /' "$deps/VERSIONS"
