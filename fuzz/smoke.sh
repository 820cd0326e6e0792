#!/bin/sh
# SPDX-License-Identifier: MIT
# A short, repeatable fuzz run for ctest (label fuzz-smoke):
#
#   smoke.sh FUZZER CORPUS WORKDIR RUNS MAX_TIME [DICT]
#
# The committed seeds in CORPUS are copied to WORKDIR/corpus first, so the
# run never writes into the source tree and always starts from the same
# inputs; -seed=1 makes the mutations the same from run to run (the time
# bound can still cut a slow machine's run short). A crash or a failed
# invariant leaves its input in WORKDIR as crash-*, leak-* or timeout-*.
set -eu

if [ $# -lt 5 ] || [ $# -gt 6 ]; then
    echo "usage: $0 FUZZER CORPUS WORKDIR RUNS MAX_TIME [DICT]" >&2
    exit 2
fi
fuzzer=$1 corpus=$2 work=$3 runs=$4 max_time=$5
dict=${6:-}

if [ ! -x "$fuzzer" ]; then
    echo "smoke.sh: $fuzzer is not built" >&2
    exit 2
fi
rm -rf "$work/corpus"
mkdir -p "$work/corpus"
cp "$corpus"/* "$work/corpus/"

set -- -seed=1 -runs="$runs" -max_total_time="$max_time" -timeout=10 \
       -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$work/"
if [ -n "$dict" ]; then
    set -- "$@" -dict="$dict"
fi
exec "$fuzzer" "$@" "$work/corpus"
