#!/usr/bin/env bash
# Runs the whole test suite once under AddressSanitizer and once under ThreadSanitizer
# (`make sanitize`), each in its own scratch path (.build-asan, .build-tsan) so the normal debug
# build is untouched. The run-time plugin example is built first, unsanitized, into .build/debug,
# where the dynamic-plugin test loads it from (an uninstrumented library loads fine into an
# instrumented process). Logs go to <scratch>/sanitize.log; exits non-zero if
# either run fails.
#
# Environment: SANITIZERS (default "address thread"), SWIFT.
set -uo pipefail

cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
# Leaks inside the toolchain's Foundation and XCTest are suppressed (see the file); ours are not.
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
echo "== building the run-time plugin example into .build/debug"
"$SWIFT" build --product RexSchedulePlugin || exit 1
for sanitizer in ${SANITIZERS:-address thread}; do
    case $sanitizer in
        address) scratch=.build-asan ;;
        thread) scratch=.build-tsan ;;
        *) echo "unknown sanitizer '$sanitizer' (address or thread)" >&2; exit 2 ;;
    esac
    mkdir -p "$scratch"
    log=$scratch/sanitize.log
    echo "== $sanitizer sanitizer (scratch $scratch, log $log)"
    if "$SWIFT" test --scratch-path "$scratch" --sanitize="$sanitizer" >"$log" 2>&1; then
        echo "$sanitizer: $(grep -E 'Test run with' "$log" | tail -1)"
    else
        status=1
        echo "$sanitizer: FAILED; findings:" >&2
        grep -E "ERROR: (Address|Thread|Leak)Sanitizer|WARNING: ThreadSanitizer|SUMMARY:|✘ Test run|error:" "$log" | sort | uniq -c | head -20 >&2
    fi
done
exit $status
