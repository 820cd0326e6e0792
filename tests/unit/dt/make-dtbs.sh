#!/usr/bin/env bash
# Regenerates the DTB fixtures in dtbs/: the device trees QEMU's Arm "virt"
# machine builds for a spread of -smp / -m / gic-version / virtualization /
# -cpu combinations (QEMU's dumpdtb= writes the tree and exits).
#
# QEMU leaves its tree in a 1 MiB buffer; each dump is then packed the way
# libfdt's fdt_pack() would: the file is cut at the end of the strings
# block and the header's totalsize set to match. The blocks stay where
# QEMU put them, byte for byte. dtb-randomness=off drops the rng-seed and
# kaslr-seed properties, so a rerun with the same QEMU gives the same files.
#
# Usage: tests/unit/dt/make-dtbs.sh [qemu-system-aarch64]
set -eu

QEMU=${1:-qemu-system-aarch64}
OUT=$(cd "$(dirname "$0")" && pwd)/dtbs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# -append needs a -kernel; QEMU never runs it, dumpdtb exits first.
head -c 4096 /dev/zero >"$TMP/kernel"

# name | virtualization | gic-version | cpu | smp | memory | bootargs
# (no bootargs: no -append). The unit test reads the configuration back
# from the name: <cpu>-<n>cpu-<mem>-gic<v>-el<2 if virtualization=on>.
FIXTURES='
a57-1cpu-256m-gic3-el2|on|3|cortex-a57|1|256M|
a57-4cpu-1g-gic3-el2|on|3|cortex-a57|4|1G|console=pl011 loglvl=all
a57-8cpu-4g-gic3-el2|on|3|cortex-a57|8|4G|dom0_mem=512M
a57-4cpu-1g-gic2-el2|on|2|cortex-a57|4|1G|
a57-8cpu-1g-gic2-el1|off|2|cortex-a57|8|1G|quiet
a57-4cpu-256m-gic3-el1|off|3|cortex-a57|4|256M|
max-4cpu-4g-gic3-el2|on|3|max|4|4G|sched=credit2
max-1cpu-256m-gic2-el1|off|2|max|1|256M|
max-8cpu-1g-gic3-el2|on|3|max|8|1G|
'

pack() {
    python3 - "$1" "$2" <<'PY'
import struct, sys
blob = open(sys.argv[1], 'rb').read()
magic, total, off_struct, off_strings, off_rsv = \
    struct.unpack('>5I', blob[:20])
size_strings, size_struct = struct.unpack('>2I', blob[32:40])
assert magic == 0xd00dfeed, 'not a DTB'
# QEMU (libfdt's sequential writer, then fdt_open_into) lays the blocks
# out as memory reservations, structure, strings, then free space.
assert off_rsv < off_struct < off_strings, 'unexpected block order'
end = off_strings + size_strings
out = bytearray(blob[:end])
struct.pack_into('>I', out, 4, end)
open(sys.argv[2], 'wb').write(out)
PY
}

echo "$FIXTURES" | while IFS='|' read -r name virt gic cpu smp mem args; do
    [ -n "$name" ] || continue
    mach="virt,virtualization=$virt,gic-version=$gic,dtb-randomness=off"
    set -- -M "$mach,dumpdtb=$TMP/$name.raw" \
        -cpu "$cpu" -smp "$smp" -m "$mem" -display none -nographic
    if [ -n "$args" ]; then
        set -- "$@" -kernel "$TMP/kernel" -append "$args"
    fi
    "$QEMU" "$@" 2>/dev/null
    pack "$TMP/$name.raw" "$OUT/$name.dtb"
    echo "make-dtbs: $name.dtb ($(stat -c %s "$OUT/$name.dtb") bytes)"
done
