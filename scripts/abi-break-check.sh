#!/usr/bin/env bash
# The plugin ABI check, tested the way it used to fail (issue 19): in a scratch copy of the working
# tree, build the REX plugin and lawfit, then insert a requirement with a default implementation in the
# middle of a public protocol of LawfitCore (LearningRateSchedule), update the fingerprint as
# `make test` demands, and rebuild. Then:
#   old host + old plugin  must work (exit 0)
#   new host + old plugin  must refuse with "plugin ABI mismatch" (exit 2), not crash (it was exit 139)
#   old host + new plugin  must refuse the same way
# Two builds of the package from scratch: run it as `make abi-break-check` (not part of `make test`).
# SCRATCH=dir keeps the copy there (default: a temporary folder, removed at the end).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${SCRATCH:-$(mktemp -d /tmp/lawfit-abi-break.XXXXXX)}"
[ -n "${SCRATCH:-}" ] || trap 'rm -rf "$scratch"' EXIT
copy="$scratch/main"   # deliberately not named lawfit
mkdir -p "$copy" "$scratch/old"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$copy")
cd "$copy"
start=$(date +%s)

swift build --product lawfit >/dev/null
swift build --product RexSchedulePlugin >/dev/null
cp .build/debug/lawfit .build/debug/libRexSchedulePlugin.so "$scratch/old/"
echo "first build: $(( $(date +%s) - start )) s"

file=Sources/LawfitCore/Schedules/LearningRateSchedule.swift
python3 - "$file" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
anchor = "    var totalSteps: Int { get }\n"
assert anchor in text, "LearningRateSchedule.totalSteps not found"
text = text.replace(anchor, anchor + "    /// Inserted by scripts/abi-break-check.sh: a requirement with a default, mid-protocol.\n    func describe() -> String\n", 1)
text += "\nextension LearningRateSchedule {\n    public func describe() -> String { spec }\n}\n"
open(path, "w").write(text)
EOF
swift build --product lawfit >/dev/null
scripts/abi-fingerprint.py --write
swift build --product lawfit >/dev/null
swift build --product RexSchedulePlugin >/dev/null
echo "both builds: $(( $(date +%s) - start )) s"

spec='rex(peak=3e-4, total=1000)'
failed=0
expect() {  # expect NAME STATUS FRAGMENT HOST PLUGIN
    local name=$1 status=$2 fragment=$3 host=$4 plugin=$5 out code
    set +e
    out=$("$host" schedule show "$spec" --steps 0:1000:500 --plugin "$plugin" 2>&1)
    code=$?
    set -e
    if [ "$code" = "$status" ] && grep -qF -- "$fragment" <<<"$out"; then
        echo "ok   $name: exit $code"
    else
        echo "FAIL $name: exit $code (expected $status with '$fragment'):"; echo "$out" | head -5; failed=1
    fi
}
expect "old host, old plugin" 0 "rex(peak=0.0003, total=1000)" "$scratch/old/lawfit" "$scratch/old/libRexSchedulePlugin.so"
expect "new host, old plugin" 2 "plugin ABI mismatch" .build/debug/lawfit "$scratch/old/libRexSchedulePlugin.so"
expect "old host, new plugin" 2 "plugin ABI mismatch" "$scratch/old/lawfit" .build/debug/libRexSchedulePlugin.so
expect "new host, new plugin" 0 "rex(peak=0.0003, total=1000)" .build/debug/lawfit .build/debug/libRexSchedulePlugin.so
exit $failed
