import BuiltinPlugins
import Foundation
import FunctionalScalingLaw
import LawfitCore
import LossCurveSupport
import ScheduleLaws

/// The cost of one loss-curve law evaluation on the path fits take (issue 14, item 3), and what it
/// buys (item 4):
/// 1. CPU ms per evaluation (predictions and Jacobian, one thread, the law's default evaluator as
///    `lawfit fit` builds it) of multi-power and fsl on the three multipower-400m fit curves
///    (cosine_24000 + constant_24000 + wsdcon_9: 451 points, 64,000 steps), the terms summed, and
///    the worst relative deviation of the predictions from the exact sum at the published 400M
///    parameters (fsl: at a fitted-like point);
/// 2. the full fits of `compare` (the nine curves, last 20 % of each held out, default options, no
///    bootstrap): objective and evaluations, to set against the figures before; with `--exact` also
///    with the exact sums (what the compression's error moves the objective by);
/// 3. with `--long-log FILE`, `lawfit fit --law multi-power --data FILE --schedule SPEC` with the
///    defaults: the same reader, schedule check and fitter; wall and CPU seconds, evaluations, objective.
func runMultipowerEvalBenchmark(longLog: String?, schedule: String, repetitions: Int, exactFits: Bool) async throws {
    let registry = try BuiltinPlugins.makeRegistry()
    if let (fitRuns, testRuns) = try multipowerCurves(registry) {
        print("## One evaluation (predictions + Jacobian) on the multipower-400m fit curves")
        print("law           ms/eval (CPU)  terms     exact terms  worst rel. deviation from the exact sum")
        for (name, parameters) in multipowerEvaluationCases {
            let law = try registry.law(named: name)
            let evaluator = try law.makeEvaluator(for: fitRuns)
            var predictions: [Double] = [], jacobian: [Double]? = []
            evaluator.predict(parameters, into: &predictions, jacobian: &jacobian)
            let start = processorSeconds()
            for _ in 0..<repetitions { evaluator.predict(parameters, into: &predictions, jacobian: &jacobian) }
            let perEvaluation = (processorSeconds() - start) / Double(repetitions)
            let (terms, exactTerms, deviation) = try compressionFigures(name, fitRuns, parameters, predictions)
            print(
                "\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%-14.3f", 1000 * perEvaluation))"
                    + " \(String(terms).padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(exactTerms).padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.2e", deviation))")
        }
        let variants: [(String, [any ScalingLaw])] = [
            ("default evaluators", try ["multi-power", "fsl"].map { try registry.law(named: $0) }),
        ] + (exactFits ? [("exact sums, no compression", [MultiPowerLaw(compression: nil), FSLSurrogateLaw(compression: nil)])] : [])
        for (label, laws) in variants {
            print("\n## compare's full fits (nine curves, last 20 % held out, default options, no bootstrap), \(label)")
            let cpu = processorSeconds()
            let report = try await ModelSelection(laws: laws, fitOptions: FitOptions(workers: 2)).run(fitRuns + testRuns)
            for law in report.laws {
                let objective = law.fit.map { String(format: "%.15g", $0.objective) } ?? "-"
                print("\(law.law.padding(toLength: 13, withPad: " ", startingAt: 0)) objective \(objective)  evaluations \(law.evaluations)")
            }
            print(String(format: "(both fits and their statistics: %.2f CPU s)", processorSeconds() - cpu))
        }
    }
    guard let longLog else { return }
    print("\n## lawfit fit --law multi-power --data \(longLog) --schedule '\(schedule)'")
    let law = try registry.law(named: "multi-power")
    let cpu = processorSeconds()
    var result: FitResult?
    let wall = try await asyncWallClock {
        // As `lawfit fit`: the fields the law needs, the schedule checked and attached.
        let reader = TrainingLogReader(required: LogField.required(for: law.requiredInputs.subtracting([.schedule])), sparse: [.loss])
        var runs = try reader.read(URL(fileURLWithPath: longLog)).runs
        let spec = try ScheduleSpec.parse(schedule, registry: registry)
        for index in runs.indices { runs[index].schedule = try DenseSchedule(spec).requireFiniteRates() }
        try law.validate(runs)
        result = try await LawFitter(law: law, options: FitOptions()).fit(runs)
    }
    print(String(
        format: "wall %.2f s, CPU %.2f s, %d evaluations, objective %.15g, peak RSS %d MB", wall, processorSeconds() - cpu,
        result!.evaluations, result!.objective, peakResidentBytes() / 1_000_000))
}

/// Terms summed per evaluation with the law's default compression and without, and the worst
/// relative deviation of `predictions` from the exact sum's.
private func compressionFigures(_ name: String, _ runs: [Run], _ parameters: [Double], _ predictions: [Double]) throws -> (Int, Int, Double) {
    let exactLaw: any ScalingLaw = name == "fsl" ? FSLSurrogateLaw(compression: nil) : MultiPowerLaw(compression: nil)
    let compressed = try ScheduledPoints(
        law: exactLaw, runs: runs, compression: name == "fsl" ? FSLSurrogateLaw.defaultCompression : MultiPowerLaw.defaultCompression)
    let exact = try exactLaw.makeEvaluator(for: runs).predict(parameters)
    let deviation = zip(predictions, exact).reduce(0.0) { Swift.max($0, abs($1.0 / $1.1 - 1)) }
    return (compressed.termCount, compressed.points.map(\.changePoints).reduce(0, +), deviation)
}

private func asyncWallClock(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
