#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the cmdline fuzzer's seed corpus (fuzz/cmdline/corpus/).

Each seed is 2 bytes of table mask (little endian), 1 byte of rotation,
then a command line: see cmdline_fuzz.c. The lines cover each option type
with good and bad values, quoting, 'no-' and the '-'/'_' equivalence.
Run it again after changing the list; the files are committed.
"""
import os
import sys

ALL = b"\xff\xff\x00"
SEEDS = {
    "types": ALL + b"flag count=12 mem=16M sched=credit path=/a console=com1",
    "bools": ALL + b"no-flag sync_console=off flag=yes no_sync-console",
    "hex": ALL + b"max-cpus=0x10 heap=0x1000K count=4294967295",
    "overflow": ALL + b"count=4294967296 mem=99999999999999999999G",
    "quotes": ALL + b'sched="a b" "path=/x y" path="unterminated',
    "strings": ALL + b"s= s=x sched=1234567 sched=12345678 path",
    "custom": ALL + b"console nocheck=xbad nocheck=ok console=",
    "bad": ALL + b"=v == no-count unknown flag=maybe count= mem=1Q",
    "blanks": ALL + b"\t flag \r\n count=1\t\t",
    "subset": b"\x05\x01\x03" + b"flag mem=1G s=",
    "none": b"\x00\x00\x00" + b"flag count=1",
    "long": ALL + b"path=" + b"p" * 70 + b" " + b"x" * 1030,
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
