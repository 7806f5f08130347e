#!/usr/bin/env python3
"""Mutation check (issue 20): does an always-on test catch each small, meaningful bug?

Copies the tracked files into a scratch folder, applies one mutation at a time (an exact text
replacement that must match exactly once), builds the tests (debug, incremental) and runs the whole
suite WITHOUT ../shared (LAWFIT_SHARED points nowhere, CI unset), then restores the file. A mutation
is "caught" when the suite fails. Prints a table; exits 1 when any mutation is missed or any
mutation no longer applies (the code moved: update its text here).

Usage: scripts/mutate.sh [NAME ...]      (default: every mutation; named ones run in the order given)
Environment: MUTATE_DIR (default /tmp/lawfit-mutate) keeps the scratch copy and its .build between runs.
MUTATE_FILTER=REGEX runs only the matching tests (swift test --filter) for the baseline and every
mutation: quicker for rechecking that named tests catch a mutation, but a mutation it misses may still
be caught by a test outside the filter (the row says so).
"""
import os
import shutil
import subprocess
import sys
import time

# (name, area, file, old text, new text): each a plausible slip, not a syntax trick.
MUTATIONS = [
    ("multi-power-swap-beta-gamma", "law", "Plugins/ScheduleLaws/MultiPowerLaw.swift",
     "beta = parameters[5], gamma = parameters[6]", "beta = parameters[6], gamma = parameters[5]"),
    ("lr-annealing-jacobian-sign", "law", "Plugins/ScheduleLaws/LRAnnealingLaw.swift",
     "row[3] = -area", "row[3] = area"),
    ("lr-annealing-jacobian-nan", "law", "Plugins/ScheduleLaws/LRAnnealingLaw.swift",
     "row[4] = -c * dArea", "row[4] = -c * dArea * .nan"),
    ("fsl-head-exponent", "law", "Plugins/FunctionalScalingLaw/FSLSurrogateLaw.swift",
     "let head = exp(-s * point.logTau)", "let head = exp(-s * point.logTau * 1.01)"),
    ("kaplan-ratio-inverted", "law", "Plugins/ChinchillaLaw/KaplanLaw.swift",
     "logDc = Foundation.log(dc), r = alphaN / alphaD", "logDc = Foundation.log(dc), r = alphaD / alphaN"),
    ("huber-threshold-doubled", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)",
     "return a <= 2 * delta ? 0.5 * r * r : 2 * delta * (a - delta)"),
    ("gradient-drops-weights", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "slopes[k] = w * spec.loss.derivative(r) * slope", "slopes[k] = spec.loss.derivative(r) * slope"),
    ("multistart-keeps-worst", "fitter", "Sources/Optimization/MultiStart.swift",
     "if best == nil || result.value < best!.result.value", "if best == nil || result.value > best!.result.value"),
    ("warmup-off-by-one", "schedule", "Sources/LawfitCore/Schedules/ScheduleSupport.swift",
     "let x = Double(k) / Double(warmup)", "let x = Double(k + 1) / Double(warmup)"),
    ("cosine-half-period", "schedule", "Sources/LawfitCore/Schedules/CosineSchedule.swift",
     "(1 + cos(Double.pi * progress))", "(1 + cos(Double.pi * progress / 2))"),
    ("csv-duplicate-header-accepted", "reader", "Sources/LawfitCore/Data/CSVReader.swift",
     "if !seen.insert(name).inserted {", "if !seen.insert(name).inserted && false {"),
    ("bootstrap-run-draw-ignores-seed", "bootstrap", "Sources/LawfitCore/Evaluation/Bootstrap.swift",
     "var generator = SplitMix64(seed: seed)", "var generator = SplitMix64(seed: 0)"),
    ("metrics-relative-error-denominator", "evaluation", "Sources/LawfitCore/Evaluation/PredictionMetrics.swift",
     "relative = abs(error) / o", "relative = abs(error) / (o + 1)"),
    ("ranking-reversed", "report", "Sources/LawfitCore/Evaluation/ModelSelection.swift",
     "scored.sort { ($0.score ?? .infinity, $0.law) < ($1.score ?? .infinity, $1.law) }",
     "scored.sort { ($0.score ?? .infinity, $0.law) > ($1.score ?? .infinity, $1.law) }"),
    ("objective-block-ignores-offset", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "let i = offset + k", "let i = k"),
    ("objective-gradient-keeps-last-block", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "for j in 0..<p { gradient[j] += workspace.blockGradient[j] }", "for j in 0..<p { gradient[j] = workspace.blockGradient[j] }"),
    ("bootstrap-refits-drop-fit-weights", "bootstrap", "Sources/LawfitCore/Evaluation/ResampleData.swift",
     "if let baseWeights { for i in weights.indices { weights[i] *= baseWeights[i] } }", "if let baseWeights { _ = baseWeights }"),
]


def run(cmd, cwd, env=None, log=None):
    with open(log, "w") if log else open(os.devnull, "w") as out:
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode


def main():
    root = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
    scratch = os.environ.get("MUTATE_DIR", "/tmp/lawfit-mutate")
    source = os.path.join(scratch, "src")
    os.makedirs(source, exist_ok=True)
    files = subprocess.check_output(["git", "ls-files"], cwd=root, text=True).splitlines()
    for path in files:  # copy only what differs, so the scratch .build stays incremental
        src, dst = os.path.join(root, path), os.path.join(source, path)
        if not os.path.isfile(src):
            continue
        data = open(src, "rb").read()
        if not os.path.exists(dst) or open(dst, "rb").read() != data:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            open(dst, "wb").write(data)
            shutil.copymode(src, dst)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["LAWFIT_SHARED"] = os.path.join(scratch, "no-shared-data-here")
    by_name = {m[0]: m for m in MUTATIONS}
    unknown = [name for name in sys.argv[1:] if name not in by_name]
    if unknown:
        print("unknown mutation(s): " + ", ".join(unknown) + "; known: " + ", ".join(by_name))
        return 2
    chosen = [by_name[name] for name in sys.argv[1:]] or MUTATIONS
    only = os.environ.get("MUTATE_FILTER")

    def suite(tag):
        log = os.path.join(scratch, tag + ".log")
        if run(["swift", "build", "--product", "RexSchedulePlugin"], source, env, log) != 0 or \
           run(["swift", "build", "--build-tests"], source, env, log) != 0:
            return "build failed", log
        command = ["swift", "test", "--skip-build"] + (["--filter", only] if only else [])
        return ("passed" if run(command, source, env, log) == 0 else "failed"), log

    started = time.time()
    baseline, log = suite("baseline")
    if baseline != "passed":
        print(f"the unmutated suite did not pass without ../shared ({baseline}); see {log}")
        return 1
    rows, bad = [], 0
    for name, area, path, old, new in chosen:
        target = os.path.join(source, path)
        text = open(target).read()
        if text.count(old) != 1:
            rows.append((name, area, f"does not apply ({text.count(old)} matches): update scripts/mutate.py"))
            bad += 1
            continue
        open(target, "w").write(text.replace(old, new))
        try:
            outcome, log = suite(name)
        finally:
            open(target, "w").write(text)
        if outcome == "failed":
            failing = sorted({line.split('"')[1] for line in open(log) if line.startswith("✘ Test \"")})
            rows.append((name, area, "caught by " + ("; ".join(failing[:3]) or "the suite") +
                         (f" (+{len(failing) - 3} more)" if len(failing) > 3 else "")))
        else:
            missed = "MISSED" + (f" by the tests matching {only!r} (rerun without MUTATE_FILTER)" if only else "")
            rows.append((name, area, missed if outcome == "passed" else outcome))
            bad += 1
        print(f"{name}: {rows[-1][2]}", file=sys.stderr, flush=True)  # progress: a long run can be read as it goes
    print("| mutation | area | result |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    caught = sum(1 for r in rows if r[2].startswith("caught"))
    scope = f"the tests matching {only!r}" if only else "the suite"
    print(f"\n{caught} of {len(rows)} caught by {scope} without ../shared in {time.time() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
