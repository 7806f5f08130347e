#!/usr/bin/env bash
# Builds and runs the plugin tutorials of Docs/WritingPlugins.md and Docs/WritingLawPlugins.md as a
# user would: the packages in Fixtures/WritingPlugins (MySchedule, MyLaw) copied beside a copy of this
# checkout in a folder NOT named lawfit (their `.package(name: "Lawfit", path:)` line pointed at it),
# each built for the run-time route (the .so loaded by this checkout's lawfit) and the Swift route
# (an executable and the author's tests using LawfitPluginTesting); then the built-in route (the
# schedule target added to the copy's Package.swift and BuiltinPlugins as the page says).
# Needs this checkout's debug lawfit (`swift build --product lawfit`; make test builds it).
# SCRATCH=dir keeps the copies there (default: a temporary folder, removed at the end).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lawfit="$root/.build/debug/lawfit"
[ -x "$lawfit" ] || { echo "build lawfit first: swift build --product lawfit" >&2; exit 2; }
scratch="${SCRATCH:-$(mktemp -d /tmp/lawfit-tutorials.XXXXXX)}"
[ -n "${SCRATCH:-}" ] || trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/main"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp -p --parents -t "$scratch/main")
start=$(date +%s)
failed=0
check() {  # check NAME FRAGMENT COMMAND...: the command exits 0 and prints FRAGMENT
    local name=$1 fragment=$2 out
    shift 2
    if out=$("$@" 2>&1) && grep -qF -- "$fragment" <<<"$out"; then
        echo "ok   $name"
    else
        echo "FAIL $name: $* (expected '$fragment'):"; echo "$out" | tail -8; failed=1
    fi
}

for package in MySchedule MyLaw; do
    mkdir -p "$scratch/$package"   # a kept SCRATCH keeps each package's .build: a rerun is incremental
    cp -Rp "$root/Fixtures/WritingPlugins/$package/." "$scratch/$package/"
    sed -i 's|path: "../lawfit"|path: "../main"|' "$scratch/$package/Package.swift"
    (cd "$scratch/$package" && swift build --product "${package}Plugin" >/dev/null && swift build --build-tests >/dev/null)
    echo "built $package: $(( $(date +%s) - start )) s"
done

cd "$scratch/MySchedule"
plugin=.build/debug/libMySchedulePlugin.so
check "knee: plugins --check" "5 checks, 0 failed" "$lawfit" plugins --check "$plugin"
check "knee: schedule show" " 8000   0.0003" "$lawfit" schedule show 'knee(peak=3e-4, total=24000)' --steps 0:24000:4000 --plugin "$plugin"
check "knee: bare file name in the current folder" "knee(peak=0.0003, knee=0.8, total=100)" \
    sh -c "cd .build/debug && '$lawfit' --plugin libMySchedulePlugin.so schedule show 'knee(peak=3e-4, total=100)'"
check "knee: LAWFIT_PLUGIN_PATH" "knee(peak=0.0003, knee=0.8, total=100)" \
    env LAWFIT_PLUGIN_PATH="$PWD/.build/debug" "$lawfit" schedule show 'knee(peak=3e-4, total=100)' --plugin libMySchedulePlugin.so
check "knee: swift run knee-table" "warmup(steps=1000, schedule=knee(peak=0.0003, knee=0.8, total=24000))" swift run knee-table
check "knee: author's tests" "passed" swift test --skip-build

cd "$scratch/MyLaw"
plugin=.build/debug/libMyLawPlugin.so
data="$root/Fixtures/demo/nd_runs.csv"
check "token-power: plugins --check" "4 checks, 0 failed" "$lawfit" plugins --check "$plugin"
check "token-power: fit" "[[Fit: token-power]]" "$lawfit" fit --law token-power --data "$data" --plugin "$plugin" --no-timing
check "token-power: compare" "| token-power |" "$lawfit" compare --data "$data" --law token-power --law chinchilla --law kaplan \
    --split largest-compute:0.2 --plugin "$plugin" --quiet
check "token-power: author's tests" "passed" swift test --skip-build
# Section 4 of Docs/WritingPlugins.md: the same schedule target built into lawfit (the copy `main`).
rm -rf "$scratch/main/Plugins/MySchedule"
cp -R "$scratch/MySchedule/Sources/MySchedule" "$scratch/main/Plugins/MySchedule"
python3 - "$scratch/main" <<'EOF'
import pathlib, sys
root = pathlib.Path(sys.argv[1])
def edit(path, old, new):
    text = (root / path).read_text()
    assert old in text, f"{path}: '{old}' not found"
    (root / path).write_text(text.replace(old, new, 1))
rex = '        .target(name: "RexSchedule", dependencies: ["LawfitCore"], path: "Plugins/Examples/RexSchedule"),\n'
edit("Package.swift", rex, rex + '        .target(name: "MySchedule", dependencies: ["LawfitCore"], path: "Plugins/MySchedule"),\n')
edit("Package.swift", 'dependencies: ["LawfitCore"] + lawPlugins.map { .target(name: $0.name) },', 'dependencies: ["LawfitCore"] + lawPlugins.map { .target(name: $0.name) } + ["MySchedule"],')
edit("Plugins/BuiltinPlugins/BuiltinPlugins.swift", "import LawfitCore\n", "import LawfitCore\nimport MySchedule\n")
register = "        try BuiltinSchedules.register(into: registry)\n"
edit("Plugins/BuiltinPlugins/BuiltinPlugins.swift", register, register + "        try MySchedulePlugin.register(into: registry)\n")
EOF
(cd "$scratch/main" && swift build --product lawfit >/dev/null)
echo "built lawfit with knee built in: $(( $(date +%s) - start )) s"
builtin="$scratch/main/.build/debug/lawfit"
check "knee built in: listed" "knee(peak, knee, total)  [built-in]" "$builtin" plugins
check "knee built in: schedule show" " 8000   0.0003" "$builtin" schedule show 'knee(peak=3e-4, total=24000)' --steps 0:24000:4000
echo "total: $(( $(date +%s) - start )) s"
exit $failed
