#!/usr/bin/env python3
"""Mutation check (issue 20): does an always-on test catch each small, meaningful bug?

Copies the tracked files into a scratch folder, applies one mutation at a time (an exact text
replacement that must match exactly once), builds the tests (debug, incremental) and runs the tests
WITHOUT ../shared (no `shared` folder beside the copy, LAWFIT_SHARED pointing at a missing folder, CI
unset), then restores the file. Each mutation names the suites most likely to catch it: those run first
(`swift test --filter`), and only when they all pass does the rest of the suite run (`--skip` them). A
mutation is "caught" when an always-on test fails (tests that need ../shared skip). The baseline runs
the same two phases unmutated with every mutation's suites, and both must pass. Prints a table; exits 1
when any mutation is missed or no longer applies (the code moved: update its text here).

Usage: scripts/mutate.sh [NAME ...]      (default: every mutation; named ones run in the order given)
Environment: MUTATE_DIR (default /tmp/lawfit-mutate) keeps the scratch copy and its .build between runs.
MUTATE_FILTER=REGEX runs only the matching tests (swift test --filter) for the baseline and every
mutation instead of the two phases: quicker for rechecking that named tests catch a mutation, but a
mutation it misses may still be caught by a test outside the filter (the row says so).
"""
import os
import re
import shutil
import subprocess
import sys
import time

# (name, area, file, old text, new text, suites): each a plausible slip, not a syntax trick. `suites` names
# the test suites (struct names) most likely to catch it: they run first, and the rest of the suite runs
# only when they all pass.
MUTATIONS = [
    ("multi-power-swap-beta-gamma", "law", "Plugins/ScheduleLaws/MultiPowerLaw.swift",
     "beta = parameters[5], gamma = parameters[6]", "beta = parameters[6], gamma = parameters[5]",
     ["ScheduleLawsIndependentReferenceTests", "MultiPowerLawTests"]),
    ("lr-annealing-jacobian-sign", "law", "Plugins/ScheduleLaws/LRAnnealingLaw.swift",
     "row[3] = -area", "row[3] = area",
     ["ScheduleLawsIndependentReferenceTests", "LRAnnealingLawTests", "LossCurveKernelTests"]),
    ("lr-annealing-jacobian-nan", "law", "Plugins/ScheduleLaws/LRAnnealingLaw.swift",
     "row[4] = -c * dArea", "row[4] = -c * dArea * .nan",
     ["ScheduleLawsIndependentReferenceTests", "LRAnnealingLawTests", "LossCurveKernelTests"]),
    ("fsl-head-exponent", "law", "Plugins/FunctionalScalingLaw/FSLSurrogateLaw.swift",
     "let head = exp(-s * point.logTau)", "let head = exp(-s * point.logTau * 1.01)",
     ["FSLIndependentReferenceTests", "FSLSurrogateTests", "FSLBlockTests"]),
    ("kaplan-ratio-inverted", "law", "Plugins/ChinchillaLaw/KaplanLaw.swift",
     "logDc = Foundation.log(dc), r = alphaN / alphaD", "logDc = Foundation.log(dc), r = alphaD / alphaN",
     ["NDIndependentReferenceTests", "KaplanAndDataConstrainedTests"]),
    ("huber-threshold-doubled", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)",
     "return a <= 2 * delta ? 0.5 * r * r : 2 * delta * (a - delta)",
     ["ResidualLossTests"]),
    ("gradient-drops-weights", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "slopes[k] = w * spec.loss.derivative(r) * slope", "slopes[k] = spec.loss.derivative(r) * slope",
     ["ResidualLossTests", "FittingTests", "GuardObjectiveTests", "ResampleWeightsTests"]),
    ("multistart-keeps-worst", "fitter", "Sources/Optimization/MultiStart.swift",
     "if best == nil || result.value < best!.result.value", "if best == nil || result.value > best!.result.value",
     ["MultiStartTests"]),
    ("warmup-off-by-one", "schedule", "Sources/LawfitCore/Schedules/ScheduleSupport.swift",
     "let x = Double(k) / Double(warmup)", "let x = Double(k + 1) / Double(warmup)",
     ["ScheduleTests", "ScheduleWarmupShapeTests"]),
    ("cosine-half-period", "schedule", "Sources/LawfitCore/Schedules/CosineSchedule.swift",
     "(1 + cos(Double.pi * progress))", "(1 + cos(Double.pi * progress / 2))",
     ["ScheduleTests", "ScheduleWarmupShapeTests"]),
    ("csv-duplicate-header-accepted", "reader", "Sources/LawfitCore/Data/CSVReader.swift",
     "if !seen.insert(name).inserted {", "if !seen.insert(name).inserted && false {",
     ["DataCSVReaderTests", "DataBadInputTests"]),
    ("bootstrap-run-draw-ignores-seed", "bootstrap", "Sources/LawfitCore/Evaluation/Bootstrap.swift",
     "var generator = SplitMix64(seed: seed)", "var generator = SplitMix64(seed: 0)",
     ["EvaluationUncertaintyTests", "BootstrapRefitTests"]),
    ("metrics-relative-error-denominator", "evaluation", "Sources/LawfitCore/Evaluation/PredictionMetrics.swift",
     "relative = abs(error) / o", "relative = abs(error) / (o + 1)",
     ["EvaluationMetricsTests"]),
    ("ranking-reversed", "report", "Sources/LawfitCore/Evaluation/ModelSelection.swift",
     "scored.sort { ($0.score ?? .infinity, $0.law) < ($1.score ?? .infinity, $1.law) }",
     "scored.sort { ($0.score ?? .infinity, $0.law) > ($1.score ?? .infinity, $1.law) }",
     ["EvaluationModelSelectionTests"]),
    ("objective-block-ignores-offset", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "let i = offset + k", "let i = k",
     ["BlockwiseObjectiveTests"]),
    ("objective-gradient-keeps-last-block", "objective", "Sources/LawfitCore/Fitting/FitObjective.swift",
     "for j in 0..<p { gradient[j] += workspace.blockGradient[j] }", "for j in 0..<p { gradient[j] = workspace.blockGradient[j] }",
     ["BlockwiseObjectiveTests"]),
    ("bootstrap-refits-drop-fit-weights", "bootstrap", "Sources/LawfitCore/Evaluation/ResampleData.swift",
     "if let baseWeights { for i in weights.indices { weights[i] *= baseWeights[i] } }", "if let baseWeights { _ = baseWeights }",
     ["ResampleWeightsTests"]),
]


def run(cmd, cwd, env=None, log=None):
    with open(log, "a") if log else open(os.devnull, "w") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode


def suites_regex(suites):
    """A `swift test --filter`/`--skip` pattern for the named suites (and every test in them)."""
    return r"\.(?:" + "|".join(suites) + r")(?:/|$)"


def tests_run(log, since):
    """The test count of the last swift-testing summary line after byte `since` of `log` (None: none printed)."""
    text = open(log, errors="replace").read()[since:]
    counts = re.findall(r"Test run with (\d+) tests?", text)
    return int(counts[-1]) if counts else None


def failing_tests(log):
    """The tests swift-testing marks failed in `log`: display names in quotes, else function names."""
    names = []
    for line in open(log, errors="replace"):
        found = re.match(r'\u2718 Test (?:"([^"]*)"|(\S+)) (?:recorded|failed)', line)
        if found and (found.group(1) or found.group(2)) not in names:
            names.append(found.group(1) or found.group(2))
    return names


def main():
    root = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
    scratch = os.path.abspath(os.environ.get("MUTATE_DIR", "/tmp/lawfit-mutate"))
    source = os.path.join(scratch, "src")
    # Only always-on tests may catch a mutation: no ../shared beside the copy (SharedData's default root),
    # LAWFIT_SHARED pointing at a folder that does not exist, and CI unset (with CI set, missing data fails).
    beside = os.path.join(scratch, "shared")
    nowhere = os.path.join(scratch, "no-shared-data-here")
    for path in (beside, nowhere):
        if os.path.exists(path):
            print(f"{path} exists: the mutation check must run without the shared data (remove it)")
            return 2
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
    tracked = set(files)
    for folder, subfolders, names in os.walk(source):  # files the checkout no longer has would still build
        subfolders[:] = [d for d in subfolders if not (folder == source and d == ".build")]
        for name in names:
            path = os.path.relpath(os.path.join(folder, name), source)
            if path not in tracked and path != "Package.resolved":
                os.remove(os.path.join(folder, name))
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["LAWFIT_SHARED"] = nowhere
    by_name = {m[0]: m for m in MUTATIONS}
    unknown = [name for name in sys.argv[1:] if name not in by_name]
    if unknown:
        print("unknown mutation(s): " + ", ".join(unknown) + "; known: " + ", ".join(by_name))
        return 2
    chosen = [by_name[name] for name in sys.argv[1:]] or MUTATIONS
    only = os.environ.get("MUTATE_FILTER")

    def build(log):
        return run(["swift", "build", "--product", "RexSchedulePlugin"], source, env, log) == 0 and \
            run(["swift", "build", "--build-tests"], source, env, log) == 0

    def tests(log, arguments):
        """Runs `swift test --skip-build ARGUMENTS`: (passed, number of tests run)."""
        since = os.path.getsize(log)
        passed = run(["swift", "test", "--skip-build"] + arguments, source, env, log) == 0
        return passed, tests_run(log, since)

    def suite(tag, targeted):
        """Builds, runs the targeted suites, then (when they all pass) the rest: (outcome, log, phase)."""
        log = os.path.join(scratch, tag + ".log")
        open(log, "w").close()
        if not build(log):
            return "build failed", log, None
        if only:
            passed, count = tests(log, ["--filter", only])
            return ("passed" if passed else "failed"), log, "filter"
        pattern = suites_regex(targeted)
        passed, count = tests(log, ["--filter", pattern])
        if not count:
            return f"the targeted suites {targeted} matched no test", log, None
        if not passed:
            return "failed", log, "targeted"
        passed, count = tests(log, ["--skip", pattern])
        return ("passed" if passed else "failed"), log, "rest"

    started = time.time()
    # Baseline: every mutation's targeted suites, then the rest, all unmutated: both must pass, so a
    # failure under a mutation is the mutation's doing.
    everyone = sorted({name for m in chosen for name in m[5]})
    baseline, log, _ = suite("baseline", everyone)
    if baseline != "passed":
        print(f"the unmutated suite did not pass without ../shared ({baseline}); see {log}")
        return 1
    print(f"baseline passed (targeted suites then the rest) in {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    rows, bad = [], 0
    for name, area, path, old, new, targeted in chosen:
        target = os.path.join(source, path)
        text = open(target).read()
        if text.count(old) != 1:
            rows.append((name, area, f"does not apply ({text.count(old)} matches): update scripts/mutate.py"))
            bad += 1
            continue
        open(target, "w").write(text.replace(old, new))
        began = time.time()
        try:
            outcome, log, phase = suite(name, targeted)
        finally:
            open(target, "w").write(text)
        if outcome == "failed":
            failing = failing_tests(log)
            where = {"targeted": "targeted suites", "rest": "rest of the suite", "filter": "MUTATE_FILTER"}[phase]
            rows.append((name, area, f"caught ({where}) by " + ("; ".join(failing[:3]) or f"a crashed test process, see {log}") +
                         (f" (+{len(failing) - 3} more)" if len(failing) > 3 else "")))
        else:
            missed = "MISSED" + (f" by the tests matching {only!r} (rerun without MUTATE_FILTER)" if only else "")
            rows.append((name, area, missed if outcome == "passed" else outcome))
            bad += 1
        # progress: a long run can be read as it goes
        print(f"{name}: {rows[-1][2]} [{time.time() - began:.0f} s]", file=sys.stderr, flush=True)
    print("| mutation | area | result |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    caught = sum(1 for r in rows if r[2].startswith("caught"))
    scope = f"the tests matching {only!r}" if only else "the suite"
    print(f"\n{caught} of {len(rows)} caught by {scope} without ../shared in {time.time() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
