#!/usr/bin/env bash
# Installs every Debian package Orrery's build, tests and demo need.
# Idempotent: only missing packages are fetched. Runs as root (CI, the
# kit's machines) or through sudo when it is available.
set -eu

PACKAGES=(
    build-essential cmake make python3 git
    clang llvm lld libclang-rt-14-dev
    gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
    qemu-system-x86 qemu-system-arm qemu-utils
    gdb gdb-multiarch
    libcunit1-dev libunicorn-dev libfdt-dev device-tree-compiler
    acpica-tools lcov
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools
    ovmf seabios
    python3-matplotlib
    clang-format cppcheck
    zstd xz-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
