#!/usr/bin/env bash
# `make coverage`: build core-on-sim with gcov instrumentation, run the unit
# and sim tests (hvsim runs the boot story), and report line coverage.
#
#   build/coverage-build/   the instrumented build (sanitizers stay on)
#   build/coverage/         the HTML report (index.html) and coverage.info
#
# Prints lcov's summary and one line per core directory of interest. Exits
# non-zero if the build or any unit test failed (the report is still
# written from whatever ran, so a failure can be inspected).
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bdir=$root/build/coverage-build
out=$root/build/coverage
rc=$root/coverage/lcovrc
jobs=$(nproc 2>/dev/null || echo 2)
status=0

for tool in cmake ctest lcov genhtml gcov; do
    command -v "$tool" >/dev/null || {
        echo "coverage: $tool not found (tools/deps/install-deps.sh)" >&2
        exit 2
    }
done

mkdir -p "$bdir" "$out"
echo "coverage: configuring $bdir"
cmake -S "$root" -B "$bdir" -DORRERY_COVERAGE=ON -DORRERY_IMAGES=OFF \
      >"$bdir/configure.log" 2>&1 || {
    cat "$bdir/configure.log" >&2
    echo "coverage: configure failed" >&2
    exit 1
}

echo "coverage: building"
# -k: one broken target should not hide the coverage of the rest.
if ! cmake --build "$bdir" -j "$jobs" -- -k >"$bdir/build.log" 2>&1; then
    grep -E 'error|Error' "$bdir/build.log" | head -20 >&2
    echo "coverage: build failed (see $bdir/build.log); reporting what built" >&2
    status=1
fi

# Counters from an earlier run would inflate the figures.
lcov --config-file "$rc" --zerocounters --directory "$bdir" >/dev/null

echo "coverage: running unit tests"
if ! (cd "$bdir" && ctest -L '^(unit|sim)$' --output-on-failure -j "$jobs"); then
    echo "coverage: some unit tests failed" >&2
    status=1
fi

echo "coverage: capturing"
lcov --config-file "$rc" --capture --directory "$bdir" \
     --base-directory "$root" --output-file "$out/raw.info" \
     >"$out/capture.log" 2>&1 || {
    tail -20 "$out/capture.log" >&2
    echo "coverage: lcov capture failed" >&2
    exit 1
}
# Only the code under test counts: not the host's headers, the tests or
# the sim platform.
lcov --config-file "$rc" --remove "$out/raw.info" '/usr/*' \
     "$root/tests/*" "$root/sim/*" "$bdir/*" \
     --output-file "$out/coverage.info" >/dev/null || exit 1

genhtml --config-file "$rc" --quiet --title "Orrery unit-test coverage" \
        --output-directory "$out" "$out/coverage.info" \
        >"$out/genhtml.log" 2>&1 || {
    tail -20 "$out/genhtml.log" >&2
    echo "coverage: genhtml failed" >&2
    exit 1
}

echo
echo "coverage: summary (report: $out/index.html)"
lcov --config-file "$rc" --summary "$out/coverage.info" 2>&1 |
    grep -E 'lines|functions'

echo
# Every core library, and the arch code the sim runs (pure C).
for dir in core/lib core/mm core/console core/time core/trace core/boot \
           core/sched core/domain core/p2m core/hypercall core/evtchn \
           core/grant core/emulate arch/x86/hvm arch/x86/svm; do
    line=$(lcov --config-file "$rc" --extract "$out/coverage.info" \
                "$root/$dir/*" --output-file "$out/dir.info" 2>/dev/null |
           grep -E '^ *lines' | sed 's/^ *lines\.*: *//')
    printf '  %-14s lines: %s\n' "$dir" "${line:-no data (no test ran it)}"
done
rm -f "$out/dir.info"

exit $status
