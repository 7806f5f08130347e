import Foundation
import LawfitCore
import LossCurveSupport
import BuiltinPlugins
import Optimization
import ScheduleLaws

/// Evaluation cost of the schedule laws (`multi-power`, `lr-annealing`, `fsl`, `fsl-theory`):
/// 1. time per objective evaluation (predictions and Jacobian at 200 observed points) for
///    K = 10^4, 10^5, 10^6 steps on WSD and cosine schedules;
/// 2. time per evaluation of multi-power and fsl on the three multipower-400m fit curves.
/// The fits themselves, on the default path, are in `lawfit-bench default-path`.
func runScheduleLawBenchmark() async {
    do {
        let registry = try BuiltinPlugins.makeRegistry()
        try benchmarkEvaluationTime(registry)
        try benchmarkMultipowerEvaluation(registry)
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
            let rates = schedule.rates
            let changes = (1...total).filter { rates[$0] != rates[$0 - 1] }.count
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

/// Time of one evaluation (predictions and Jacobian, one thread) of each loss-curve law on the three
/// multipower-400m fit curves (451 points, 64,000 steps): what a fit's inner loop costs.
private func benchmarkMultipowerEvaluation(_ registry: PluginRegistry) throws {
    guard let (fitRuns, _) = try multipowerCurves(registry) else { return }
    let data = try ScheduledPoints(law: MultiPowerLaw(), runs: fitRuns, compression: MultiPowerLaw.defaultCompression)
    let changePoints = data.points.map(\.changePoints).reduce(0, +)
    let terms = data.termCount
    print("\n## One evaluation on the multipower-400m fit curves (\(data.points.count) points, \(terms) terms after compression, \(changePoints) without)")
    print("law           ms/eval (CPU, predictions + Jacobian)   ns per term")
    for (name, parameters) in multipowerEvaluationCases {
        let evaluator = try registry.law(named: name).makeEvaluator(for: fitRuns)
        var predictions: [Double] = [], jacobian: [Double]? = []
        let repetitions = 200
        let start = processorSeconds()
        for _ in 0..<repetitions { evaluator.predict(parameters, into: &predictions, jacobian: &jacobian) }
        let perEvaluation = (processorSeconds() - start) / Double(repetitions)
        print("\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%.3f", 1000 * perEvaluation))                                  \(String(format: "%.1f", 1e9 * perEvaluation / Double(terms)))")
    }
}
