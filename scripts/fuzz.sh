#!/usr/bin/env bash
# Fuzzes the input readers and spec parsers under libFuzzer (`make fuzz`).
#
# Builds Optimization and LawfitCore as static Swift modules with swiftc (LawfitCore with
# -sanitize=fuzzer,address coverage instrumentation), links one libFuzzer binary per target in
# Fuzz/Targets, and runs each for FUZZ_SECONDS (default 60) on its committed corpus in
# Fuzz/corpus/<target>/, with the token dictionaries in Fuzz/dict. New interesting inputs go to a scratch corpus under .build-fuzz, so the
# committed corpus only changes when you copy inputs in on purpose. Crash and timeout inputs are
# written to .build-fuzz/artifacts/<target>/; the script exits 1 if any target crashed or hung.
#
# Environment: FUZZ_SECONDS (per target), FUZZ_TARGETS (space-separated subset), FUZZ_TIMEOUT
# (seconds one input may take before it counts as a hang, default 5), SWIFTC.
set -euo pipefail

cd "$(dirname "$0")/.."
SWIFTC=${SWIFTC:-swiftc}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TIMEOUT=${FUZZ_TIMEOUT:-5}
TARGETS=${FUZZ_TARGETS:-"FuzzCSV FuzzJSONL FuzzTrainingLog FuzzScheduleSpec FuzzKernelSpec"}
OUT=.build-fuzz
MODULES=$OUT/modules
mkdir -p "$MODULES"

common=(-swift-version 6 -O -g -parse-as-library -I Sources/CNLopt -I "$MODULES")

newer_than() { # newer_than OUTPUT SOURCES...: true when OUTPUT is missing or older than a source
    local output=$1; shift
    [ ! -e "$output" ] && return 0
    [ -n "$(find "$@" -newer "$output" -print -quit)" ]
}

if newer_than "$MODULES/libOptimization.a" Sources/Optimization; then
    echo "building Optimization"
    "$SWIFTC" "${common[@]}" -sanitize=address -module-name Optimization -emit-module \
        -emit-module-path "$MODULES/Optimization.swiftmodule" -emit-library -static -wmo \
        -o "$MODULES/libOptimization.a" Sources/Optimization/*.swift
fi
if newer_than "$MODULES/libLawfitCore.a" Sources/LawfitCore "$MODULES/libOptimization.a"; then
    echo "building LawfitCore (fuzzer instrumentation)"
    mapfile -t core < <(find Sources/LawfitCore -name '*.swift' | sort)
    "$SWIFTC" "${common[@]}" -sanitize=fuzzer,address -module-name LawfitCore -emit-module \
        -emit-module-path "$MODULES/LawfitCore.swiftmodule" -emit-library -static -wmo \
        -o "$MODULES/libLawfitCore.a" "${core[@]}"
fi

failed=()
summary=()
for target in $TARGETS; do
    binary=$OUT/bin/$target
    mkdir -p "$OUT/bin" "$OUT/corpus/$target" "$OUT/artifacts/$target"
    if newer_than "$binary" "Fuzz/Targets/$target.swift" "$MODULES/libLawfitCore.a"; then
        echo "linking $target"
        "$SWIFTC" "${common[@]}" -sanitize=fuzzer,address -module-name "$target" \
            "Fuzz/Targets/$target.swift" "$MODULES/libLawfitCore.a" "$MODULES/libOptimization.a" -lnlopt \
            -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
    case $target in
        FuzzScheduleSpec | FuzzKernelSpec) dict=Fuzz/dict/spec.dict ;;
        *) dict=Fuzz/dict/table.dict ;;
    esac
    log=$OUT/$target.log
    echo "fuzzing $target for ${SECONDS_PER_TARGET}s"
    status=0
    "$binary" -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
        -max_len=4096 -dict="$dict" -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target/" \
        "$OUT/corpus/$target" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    elapsed=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "?")
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        summary+=("$target: FAILED (exit $status), see $log and $OUT/artifacts/$target/")
        grep -E "ERROR|Fatal error|deadly signal|timeout" "$log" | head -5 >&2 || true
    else
        summary+=("$target: $runs executions in ${elapsed}s, 0 crashes, 0 hangs")
    fi
done

printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ]
