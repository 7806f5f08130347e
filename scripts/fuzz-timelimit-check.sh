#!/usr/bin/env bash
# Shows that the schedule-spec fuzz check reports a superlinear parse (issue 16, item 9), so its
# one-second CPU-time limit is known to fire, not only to exist.
#
# In a scratch copy of the tracked files it lifts SpecSyntax's nesting cap (8 -> 1,000,000: the
# parser before the cap, which parses each nested spec again at every level and took 10 s for 300
# nested warmups), then runs scripts/fuzz.sh on FuzzScheduleSpec. Replaying the committed corpus,
# the 150-level nested warmup (regression_nested_150.txt, 3.9 KB, under the fuzzer's 4,096-byte
# max_len) must then fail the target's CPU-time check ("parsing '...' took N seconds of CPU time"),
# and fuzz.sh must exit 1. This checkout's cap is untouched; `make fuzz` runs the real parser.
#
# Exits 0 when the fuzz check caught the slow parse, 1 when it did not (or the mutation no longer
# applies: SpecSyntax changed, update the text below).
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
if [ "$status" -ne 0 ] && grep -q "of CPU time" "$log"; then
    echo "caught: the fuzz check failed (exit $status) on a slow parse:"
    grep -o "Fatal error: parsing .\{0,60\}\|took [^']* of CPU time" "$log" | head -2
    exit 0
fi
echo "MISSED: fuzz.sh exited $status without a CPU-time failure; see $log" >&2
exit 1
