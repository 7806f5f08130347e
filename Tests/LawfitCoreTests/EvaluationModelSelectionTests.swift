import Foundation
import Testing
@testable import LawfitCore

/// The same law under another name: an exactly equivalent competitor.
private struct TwinLaw: ScalingLaw {
    var base = TestChinchillaLaw()
    var name: String { "test-chinchilla-twin" }
    var summary: String { base.summary }
    var requiredInputs: Set<LawInput> { base.requiredInputs }
    var parameterSpace: ParameterSpace { base.parameterSpace }
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator { try base.makeEvaluator(for: runs) }
}

private let fastFit = FitOptions(starts: .count(12), seed: 1)

@Suite("Evaluation: model selection")
struct EvaluationModelSelectionTests {
    @Test("The true law beats a wrong law on held-out compute, significantly")
    func trueLawWins() async throws {
        let selection = ModelSelection(laws: [TestSizeOnlyLaw(), TestChinchillaLaw()], fitOptions: fastFit)
        let report = try await selection.run(syntheticNDRuns())
        #expect(report.split.strategy == "largest-compute:0.2")
        #expect(report.rankedBy == "log-rmse")
        #expect(report.ranked.map(\.law) == ["test-chinchilla", "test-size-only"])
        let best = report.ranked[0]
        #expect(best.test!.logRMSE < 0.03, "\(best.test!)")
        #expect(best.test!.logRMSE < report.ranked[1].test!.logRMSE)
        #expect(best.criteria!.aic < report.ranked[1].criteria!.aic)
        let significance = try #require(report.significance)
        #expect(significance.significant)
        #expect(significance.upper! < 0)
        #expect(report.verdict.contains("test-chinchilla ranks first") && !report.verdict.contains("not significant"))
        // Every point is reported, held-out ones with their prediction.
        #expect(best.points.count == 48)
        #expect(best.points.filter(\.heldOut).count == report.split.folds[0].test.count)
        #expect(best.points.filter(\.heldOut).allSatisfy { $0.heldOutPrediction == $0.predicted })
        #expect(best.curves.count == 8)
    }

    @Test("A score filter scores only the held-out points it keeps (--score-where)")
    func scoreFilterRestrictsHeldOutPoints() async throws {
        let runs = syntheticNDRuns()
        var unfiltered = ModelSelection(laws: [TestChinchillaLaw()], fitOptions: fastFit, laplace: false)
        let all = try await unfiltered.run(runs)
        let held = all.split.folds[0].test.map { runs[$0.run].observations[$0.index] }
        let cut = held.compactMap(\.parameters).sorted()[held.count / 2]
        unfiltered.scoreFilter = try PointFilter(expressions: ["N>=\(cut)"], mapping: ColumnMapping())
        let report = try await unfiltered.run(runs)
        let kept = held.filter { $0.parameters! >= cut }.count
        #expect(kept > 0 && kept < held.count)
        #expect(report.split.folds[0].test.count == kept)
        #expect(report.ranked[0].test?.count == kept)
        #expect(report.split.description.hasSuffix("; scored where N>=\(SpecValue.format(cut))"))
    }

    @Test("A compute-optimal law gets its frontier L*(C) plotted up to 10x the largest compute")
    func computeOptimalCurve() async throws {
        let runs = syntheticNDRuns()
        let report = try await ModelSelection(laws: [TestOptimalChinchillaLaw()], fitOptions: fastFit, laplace: false).run(runs)
        let law = report.laws[0]
        let frontier = try #require(law.curves.first { $0.highlighted })
        #expect(frontier.label == "compute-optimal")
        let maxC = runs.flatMap(\.observations).compactMap(\.effectiveCompute).max()!
        #expect(abs(frontier.x.last! / (10 * maxC) - 1) < 1e-12)
        // The frontier is the minimum over N of L(N, C/(6N)) at fixed C (brute force over a fine grid).
        let theta = try law.fit!.parameterOrder.map { try #require(law.fit!.parameters[$0]) }
        let c = frontier.x[30]
        let bruteForce = (0...4000).map { k -> Double in
            let n = Foundation.pow(10, 6 + Double(k) / 500)
            let d = c / (6 * n)
            return theta[0] + theta[1] * Foundation.pow(n, -theta[2]) + theta[3] * Foundation.pow(d, -theta[4])
        }.min()!
        #expect(abs(frontier.y[30] - bruteForce) < 1e-6 * bruteForce, "\(frontier.y[30]) vs \(bruteForce)")
        #expect(frontier.y[30] <= bruteForce + 1e-12)
    }

    @Test("Two equivalent laws: the ranking is reported not significant")
    func equivalentLaws() async throws {
        let report = try await ModelSelection(laws: [TestChinchillaLaw(), TwinLaw()], fitOptions: fastFit).run(syntheticNDRuns())
        let significance = try #require(report.significance)
        #expect(!significance.significant)
        #expect(significance.statement.contains("not significant"))
        #expect(report.verdict.contains("not significant"))
    }

    @Test("Laws whose inputs the data lack are skipped with the reason; broken laws are failed")
    func skippedAndFailed() async throws {
        let report = try await ModelSelection(
            laws: [TestStepLaw(), TestBrokenLaw(), TestChinchillaLaw()], fitOptions: fastFit, laplace: false
        ).run(syntheticNDRuns())
        #expect(report.laws.map(\.status) == [.ranked, .failed, .skipped])
        #expect(report.laws[2].law == "test-step")
        #expect(report.laws[2].reason!.contains("step"))
        #expect(report.laws[1].flags.first!.contains("fit failed"))
        #expect(report.significance == nil)
        #expect(report.verdict.contains("nothing to compare"))
    }

    @Test("A parameter at its bound is flagged")
    func boundFlag() async throws {
        let law = CappedLaw(base: TestChinchillaLaw(), index: 2, upperBound: 0.2, starts: [0.1, 0.15])
        let report = try await ModelSelection(laws: [law], fitOptions: fastFit).run(syntheticNDRuns())
        #expect(report.laws[0].flags.contains { $0.contains("alpha is at its upper bound") })
    }

    @Test("k-fold: every point predicted out of fold; the reported fit uses all points")
    func kFold() async throws {
        let report = try await ModelSelection(
            laws: [TestChinchillaLaw(), TestSizeOnlyLaw()], split: .kFold(k: 4, seed: 2), fitOptions: fastFit
        ).run(syntheticNDRuns())
        let best = report.ranked[0]
        #expect(best.law == "test-chinchilla")
        #expect(best.test!.count == 48)
        #expect(best.fit!.points == 48)
        #expect(best.points.allSatisfy { $0.heldOut && $0.heldOutPrediction != nil })
    }

    @Test("Without held-out points, laws are ranked by AIC and significance uses Delta AIC > 2")
    func noSplit() async throws {
        let report = try await ModelSelection(laws: [TestSizeOnlyLaw(), TestChinchillaLaw()], split: SplitStrategy.none, fitOptions: fastFit)
            .run(syntheticNDRuns())
        #expect(report.rankedBy == "aic")
        #expect(report.ranked[0].law == "test-chinchilla")
        #expect(report.ranked[0].test == nil)
        #expect(report.significance!.significant)
    }

    @Test("Bootstrap intervals and progress inside a selection; loss curves plot against step")
    func bootstrapAndSteps() async throws {
        let runs = (0..<2).map { r in
            Run(name: "run\(r)", observations: (1...30).map { k in
                let step = 100 * k
                return Observation(loss: 2 + (5 + Double(r)) * Foundation.pow(Double(step), -0.5), step: step)
            })
        }
        let events = EventLog()
        let selection = ModelSelection(
            laws: [TestStepLaw()], fitOptions: fastFit,
            bootstrap: BootstrapOptions(resamples: 8, unit: .runs, seed: 4, extraStarts: 1),
            progress: { events.append("\($0.stage.rawValue) \($0.done)/\($0.total)") })
        let report = try await selection.run(runs)
        #expect(report.split.strategy == "last-steps:0.2")
        #expect(report.plotAxis == .step)
        let law = report.laws[0]
        #expect(law.bootstrap?.resamples == 8)
        #expect(law.bootstrap?.unit == .runs)
        #expect(law.points.allSatisfy { $0.lower != nil && $0.upper != nil })
        #expect(law.curves.map(\.label) == ["run0", "run1"])
        // A fit announces itself before its first start ends; every start and resample is counted.
        #expect(events.values.first == "fit 0/12")
        #expect(events.values.contains("fit 12/12") && events.values.contains("bootstrap 8/8"))
    }
}

/// Collects progress events from concurrent callbacks.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ value: String) { lock.lock(); stored.append(value); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
