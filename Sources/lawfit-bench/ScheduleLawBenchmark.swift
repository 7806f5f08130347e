import Foundation
import FunctionalScalingLaw
import LawfitCore
import BuiltinPlugins
import Optimization
import ScheduleLaws

/// Benchmarks and real-data checks of the schedule laws (`multi-power`, `lr-annealing`, `fsl`,
/// `fsl-theory`):
/// 1. time per objective evaluation (predictions and Jacobian at 200 observed points) for
///    K = 10^4, 10^5, 10^6 steps on WSD and cosine schedules;
/// 2. the joint fit on the multipower-400m fit curves (cosine_24000, constant_24000, wsdcon_9):
///    seconds, evaluations, objective, and the mean / max relative error of each law's prediction of
///    the six other curves.
///
/// The data are read from `$LAWFIT_SHARED/datasets/multipower-400m` (default `../shared` beside the
/// working directory); without them part 2 is skipped with a message.
/// `LAWFIT_BENCH_THEORY=0` leaves out the `fsl-theory` fit (about 40 s).
func runScheduleLawBenchmark() async {
    do {
        let registry = try BuiltinPlugins.makeRegistry()
        try benchmarkEvaluationTime(registry)
        try await benchmarkMultipowerFits(registry)
    } catch {
        print("schedule-law benchmark failed: \(error)")
    }
}

/// Warmup 1 % linear from 0, then WSD (stable, linear decay over the last 10 %) or cosine to 10 %.
private struct BenchmarkSchedule: LearningRateSchedule {
    var shape: String
    var totalSteps: Int
    var spec: String { "\(shape)(total=\(totalSteps))" }
    func rate(at step: Int) -> Double {
        let peak = 3e-4, warmup = max(totalSteps / 100, 1), k = Double(step), total = Double(totalSteps)
        if step < warmup { return peak * k / Double(warmup) }
        if shape == "cosine" {
            return 0.1 * peak + 0.45 * peak * (1 + cos(Double.pi * (k - Double(warmup)) / (total - Double(warmup))))
        }
        let decayStart = 0.9 * total
        return k <= decayStart ? peak : peak - 0.9 * peak * (k - decayStart) / (total - decayStart)
    }
}

private func benchmarkEvaluationTime(_ registry: PluginRegistry) throws {
    print("## Time per objective evaluation (predictions + Jacobian at 200 points)")
    print("law           schedule  K        change-points  ms/eval")
    let mpl = [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457]
    let fsl = [2.3, 0.6, 0.5, 500, 10, 5, 1.5]
    let cases: [(label: String, law: any ScalingLaw, parameters: [Double])] = [
        ("multi-power", try registry.law(named: "multi-power"), mpl),
        ("lr-annealing", try registry.law(named: "lr-annealing"), [2.4, 0.6, 0.45, 0.5, 0.999]),
        ("fsl", try registry.law(named: "fsl"), fsl),
        ("fsl-theory", try registry.law(named: "fsl-theory"), [1.5, 0.5, 1.0, 2.3, 1000]),
    ]
    for shape in ["wsd", "cosine"] {
        for total in [10_000, 100_000, 1_000_000] {
            let schedule = DenseSchedule(BenchmarkSchedule(shape: shape, totalSteps: total))
            let steps = (1...200).map { total * $0 / 200 }
            let run = Run(name: shape, observations: steps.map { Observation(step: $0) }, schedule: schedule)
            let changes = (1...total).filter { schedule.rates[$0] != schedule.rates[$0 - 1] }.count
            for (name, law, parameters) in cases {
                let evaluator = try law.makeEvaluator(for: [run])
                var predictions: [Double] = [], jacobian: [Double]? = []
                var repeats = 0, elapsed = 0.0
                repeat {
                    elapsed += seconds { evaluator.predict(parameters, into: &predictions, jacobian: &jacobian) }
                    repeats += 1
                } while repeats < 5 && elapsed < 0.2
                let label = name.padding(toLength: 13, withPad: " ", startingAt: 0)
                print("\(label) \(shape.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(total).padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(changes).padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(format: "%.3f", 1000 * elapsed / Double(repeats)))")
            }
        }
    }
}

/// The spec of multipower-400m curve `name` (Docs/Schedules.md, "The multipower-400m schedules").
private func multipowerSpec(_ name: String) -> String {
    let parts = name.split(separator: "_").map(String.init)
    switch parts[0] {
    case "cosine": return "cosine(peak=3e-4, floor=3e-5, warmup=2160, total=\(parts[1]))"
    case "constant": return "constant(peak=3e-4, warmup=2160, total=\(parts[1]))"
    case "wsd": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=geometric)"
    case "wsdld": return "wsd(peak=3e-4, warmup=2160, decay_start=20000, total=24000, floor=3e-5, shape=linear)"
    default: return "twostage(peak=3e-4, low=\(parts[1])e-5, switch=8000, warmup=2160, total=16000)"
    }
}

private func multipowerRun(_ name: String, registry: PluginRegistry) throws -> Run? {
    guard let url = try? sharedFile("datasets/multipower-400m/\(name).csv") else { return nil }
    var run = try TrainingLogReader(required: [.loss, .step, .learningRate]).read(url).runs[0]
    run.schedule = DenseSchedule(try ScheduleSpec.parse(multipowerSpec(name), registry: registry))
    return run
}

private func benchmarkMultipowerFits(_ registry: PluginRegistry) async throws {
    let fitNames = ["cosine_24000", "constant_24000", "wsdcon_9"]
    let testNames = ["cosine_72000", "constant_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    var fitRuns: [Run] = [], testRuns: [Run] = []
    for name in fitNames + testNames {
        guard let run = try multipowerRun(name, registry: registry) else {
            print("skipping the multipower-400m fits: \(name).csv not found (set LAWFIT_SHARED)")
            return
        }
        if fitNames.contains(name) { fitRuns.append(run) } else { testRuns.append(run) }
    }
    print("\n## Joint fit on cosine_24000 + constant_24000 + wsdcon_9 (Huber 1e-3 on log residuals, LD_LBFGS)")
    // The cheap LR-annealing fit (about 0.06 s) gives L0, A and alpha of the power law in intrinsic
    // time, which multi-power and fsl share (fsl: L0, c1, s): their fits start there instead of
    // from the default grid, with the default values of the loss-drop parameters.
    var annealing: [Double]?
    for name in ["lr-annealing", "multi-power", "fsl"] + (ProcessInfo.processInfo.environment["LAWFIT_BENCH_THEORY"] == "0" ? [] : ["fsl-theory"]) {
        let law = try registry.law(named: name)
        // fsl-theory solves the functional over 64000 steps x 200 modes per evaluation: capped.
        let budget = name == "fsl-theory" ? 200 : 3000
        let starts: StartPlan = switch (name, annealing) {
        case ("multi-power", let p?): .points([[p[0], p[1], p[2], 500, 2, 0.5, 0.5]])
        case ("fsl", let p?): .points([[p[0], p[1], p[2], 100, 0, 1, 0.5], [p[0], p[1], p[2], 500, 10, 10, 1.5]])
        default: .grid
        }
        let options = FitOptions(
            stopping: StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: budget), starts: starts, workers: 2)
        let result = try await LawFitter(law: law, options: options).fit(fitRuns)
        if name == "lr-annealing" { annealing = result.values }
        print("\n### \(name): objective \(String(format: "%.6g", result.objective)), \(String(format: "%.2f", result.seconds)) s, \(result.evaluations) evaluations over \(result.starts.count) starts, converged \(result.converged)")
        print("parameters: " + zip(result.parameterNames, result.values).map { "\($0)=\(String(format: "%.6g", $1))" }.joined(separator: ", "))
        for warning in result.warnings { print("warning: \(warning)") }
        print("curve               mean rel %   max rel %")
        for run in fitRuns + testRuns {
            let predicted = try law.makeEvaluator(for: [run]).predict(result.values)
            let relative = zip(predicted, run.observations).map { abs($0 / $1.loss! - 1) }
            let mean = 100 * relative.reduce(0, +) / Double(relative.count), worst = 100 * relative.max()!
            let tag = fitNames.contains(run.name) ? " (fit)" : ""
            print("\((run.name + tag).padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%.3f", mean))       \(String(format: "%.3f", worst))")
        }
        if let coarse = coarser[name] {
            try await benchmarkCoarseFit(coarse, reference: law, starts: starts, fitRuns: fitRuns)
        }
    }
}

/// The same laws with the change-point compression at rho = 8 instead of 32 (O(rho^-2) error).
private let coarser: [String: any ScalingLaw] = [
    "multi-power": MultiPowerLaw(compression: 8), "fsl": FSLSurrogateLaw(compression: 8),
]

/// Refits with the coarser compression from the same starts; prints the time and the largest
/// relative difference of its predictions from the default law's at the fitted values.
private func benchmarkCoarseFit(_ law: any ScalingLaw, reference: any ScalingLaw, starts: StartPlan, fitRuns: [Run]) async throws {
    let options = FitOptions(
        stopping: StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 3000), starts: starts, workers: 2)
    let result = try await LawFitter(law: law, options: options).fit(fitRuns)
    let coarse = try law.makeEvaluator(for: fitRuns).predict(result.values)
    let exact = try reference.makeEvaluator(for: fitRuns).predict(result.values)
    let difference = zip(coarse, exact).map { abs($0 / $1 - 1) }.max()!
    print("with compression rho = 8: objective \(String(format: "%.6g", result.objective)), \(String(format: "%.2f", result.seconds)) s, \(result.evaluations) evaluations; predictions within \(String(format: "%.1e", difference)) of rho = 32")
}
