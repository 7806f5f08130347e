#!/usr/bin/env bash
# Shows that the schedule-spec fuzz check reports a superlinear parse (issue 16, item 9), so its
# limits are known to fire, not only to exist.
#
# In a scratch copy of the tracked files it lifts SpecSyntax's nesting cap (8 -> 1,000,000: the
# parser before the cap, which parses each nested spec again at every level: 300 nested warmups took
# 10 s), builds the fuzz target with scripts/fuzz.sh and checks two things:
#  1. `make fuzz` as it runs (scripts/fuzz.sh, FuzzScheduleSpec, its 5 s -timeout) fails: replaying
#     the committed corpus, the 150-level nested warmup (regression_nested_150.txt, 3.9 KB, under the
#     4,096-byte max_len) is reported, by the target's one-second CPU-time check or, when the parse
#     runs past the wall-clock -timeout first, as a libFuzzer timeout; fuzz.sh exits 1.
#  2. The target's own CPU-time check, alone: the built target run on an 80-level nested warmup
#     (a 3 s parse; 60 levels take 1.2 s: the time grows as the cube) with a 600 s -timeout, so
#     libFuzzer's timeout cannot answer first, must stop with "parsing '...' took N seconds of CPU
#     time"; a 20-level one must pass.
# This checkout's cap is untouched; `make fuzz` runs the real parser.
#
# Exits 0 when both caught the slow parse, 1 otherwise (or when the mutation no longer applies:
# SpecSyntax changed, update the text below).
# Environment: CHECK_DIR (default /tmp/lawfit-fuzz-timelimit) keeps the copy and its .build-fuzz
# between runs; FUZZ_SECONDS (default 10; the corpus is replayed first, so the slow input fails at once).
set -euo pipefail

cd "$(dirname "$0")/.."
DIR=${CHECK_DIR:-/tmp/lawfit-fuzz-timelimit}
SPEC=Sources/LawfitCore/Specs/SpecSyntax.swift
OLD='static let maximumNesting = 8'
NEW='static let maximumNesting = 1_000_000'

mkdir -p "$DIR"
# Copy with times kept, so fuzz.sh rebuilds only what changed since the last check.
git ls-files -z | grep -zv "^$SPEC\$" | xargs -0 cp -p --parents -t "$DIR"
python3 - "$SPEC" "$DIR/$SPEC" "$OLD" "$NEW" <<'EOF'
import os, sys
source, target, old, new = sys.argv[1:]
text = open(source).read()
if text.count(old) != 1:
    sys.exit(f"{source}: '{old}' is not in the file exactly once; update scripts/fuzz-timelimit-check.sh")
mutated = text.replace(old, new)
if not os.path.exists(target) or open(target).read() != mutated:
    open(target, "w").write(mutated)
EOF
echo "mutation: $SPEC: '$OLD' -> '$NEW' (in $DIR)"

status=0
(cd "$DIR" && FUZZ_TARGETS=FuzzScheduleSpec FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh) || status=$?
log=$DIR/.build-fuzz/FuzzScheduleSpec.log
caught=0
if [ "$status" -ne 0 ] && grep -q "of CPU time\|libFuzzer: timeout" "$log"; then
    echo "1. caught: fuzz.sh exited $status on the corpus:"
    grep -o "took [^']* of CPU time\|libFuzzer: timeout after [0-9]* seconds" "$log" | head -1
    grep -o "Test unit written to .*" "$log" | head -1
else
    echo "1. MISSED: fuzz.sh exited $status without a CPU-time failure or a timeout; see $log" >&2
    caught=1
fi

nested() { # nested LEVELS FILE: LEVELS warmups around a constant schedule
    python3 -c "import sys; n = int(sys.argv[1]); print('warmup(steps=1, schedule=' * n + 'constant(peak=0.1, total=10)' + ')' * n, end='')" "$1" >"$2"
}
binary=$DIR/.build-fuzz/bin/FuzzScheduleSpec
mkdir -p "$DIR/timelimit"
nested 20 "$DIR/timelimit/nested_20.txt"
nested 80 "$DIR/timelimit/nested_80.txt"
if "$binary" -timeout=600 -runs=1 "$DIR/timelimit/nested_20.txt" >"$DIR/timelimit/nested_20.log" 2>&1; then
    echo "2. 20 levels pass: $(grep -o 'Executed .*' "$DIR/timelimit/nested_20.log")"
else
    echo "2. the 20-level spec failed the target; see $DIR/timelimit/nested_20.log" >&2
    caught=1
fi
if ! "$binary" -timeout=600 -runs=1 "$DIR/timelimit/nested_80.txt" >"$DIR/timelimit/nested_80.log" 2>&1 \
    && grep -q "of CPU time" "$DIR/timelimit/nested_80.log"; then
    echo "2. caught: 80 levels: $(grep -o "took [^']* of CPU time" "$DIR/timelimit/nested_80.log" | head -1)"
else
    echo "2. MISSED: the 80-level spec did not fail the CPU-time check; see $DIR/timelimit/nested_80.log" >&2
    caught=1
fi
exit $caught
