#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mkiso.sh IMAGE GRUB_CFG OUTPUT_ISO
#
# Builds a bootable ISO holding the hypervisor IMAGE and GRUB for both BIOS
# (El Torito, i386-pc) and UEFI (an EFI system partition image with
# x86_64-efi), using grub-mkrescue. Does nothing when OUTPUT_ISO is newer
# than IMAGE, GRUB_CFG and this script, so it can run on every build.
set -euo pipefail

die() { echo "mkiso: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: mkiso.sh IMAGE GRUB_CFG OUTPUT_ISO"
image=$1 cfg=$2 iso=$3

[ -f "$image" ] || die "$image does not exist (the image build failed?)"
[ -f "$cfg" ] || die "$cfg does not exist"
for tool in grub-mkrescue grub-file xorriso mformat; do
    command -v "$tool" >/dev/null ||
        die "$tool not found (make deps installs grub-common, xorriso, mtools)"
done
for platform in i386-pc x86_64-efi; do
    [ -d "/usr/lib/grub/$platform" ] ||
        die "/usr/lib/grub/$platform missing (make deps installs grub-pc-bin" \
            "and grub-efi-amd64-bin)"
done

if [ -f "$iso" ] && [ "$iso" -nt "$image" ] && [ "$iso" -nt "$cfg" ] &&
   [ "$iso" -nt "$0" ]; then
    exit 0
fi

# GRUB would only say "no multiboot header found" at boot time; say it now.
grub-file --is-x86-multiboot2 "$image" ||
    die "$image has no multiboot2 header GRUB accepts"

stage=$(mktemp -d "${iso}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$image" "$stage/boot/orrery-x86_64"
cp "$cfg" "$stage/boot/grub/grub.cfg"

# grub-mkrescue puts GRUB for every platform found under /usr/lib/grub on
# the ISO (its -d option picks one platform only, so it cannot list two);
# the checks after it make sure BIOS and UEFI both made it.
log="$stage.log"
if ! grub-mkrescue -o "$iso.tmp" "$stage" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log" "$iso.tmp"
    die "grub-mkrescue failed"
fi
rm -f "$log"
catalog=$(xorriso -indev "$iso.tmp" -report_el_torito plain 2>/dev/null)
for pltf in BIOS UEFI; do
    grep -q "boot img :.*$pltf" <<<"$catalog" || {
        rm -f "$iso.tmp"
        die "grub-mkrescue made no $pltf El Torito entry"
    }
done
mv -f "$iso.tmp" "$iso"
echo "mkiso: wrote $iso ($(du -k "$iso" | cut -f1) KiB)"
