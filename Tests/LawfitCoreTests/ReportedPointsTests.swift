import Foundation
import Testing
@testable import LawfitCore

/// E + A step^-alpha with E held near zero: a worse loss-curve law, so that two laws are ranked.
private struct TestStepNoFloorLaw: ScalingLaw {
    let name = "test-step-no-floor"
    let summary = "A step^-alpha (E pinned near 0)"
    let requiredInputs: Set<LawInput> = [.step]
    let parameterSpace = ParameterSpace([
        Parameter("E", "offset", bounds: 1e-3...2e-3, transform: .log, starts: [1.5e-3]),
        Parameter("A", "scale", bounds: 1e-3...1e3, transform: .log, starts: [1, 10]),
        Parameter("alpha", "exponent", bounds: 0...2, starts: [0.3, 0.8]),
    ])

    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        TestSizeOnlyLaw.Evaluator(logX: runs.flatMap(\.observations).map { Foundation.log(Double($0.step!)) })
    }
}

@Suite("Reports list a thinned set of a long run's points; every metric uses all of them")
struct ReportedPointsTests {
    @Test("Selection: short runs whole; a long run evenly in index and in log index, with its ends and the held-out boundary")
    func selection() {
        let n = 10_000
        // Run 0: 100 points; run 1: 10,000 points, the last 2,000 held out.
        let kept = ReportedPoints.select(runSizes: [100, n]) { $0 >= 100 + 8_000 }
        #expect(Array(kept.prefix(100)) == Array(0..<100))
        let local = kept.dropFirst(100).map { $0 - 100 }
        #expect(local == local.sorted() && Set(local).count == local.count)
        // Even in index: no gap wider than the stride ceil(10,000 / 2,000) = 5.
        #expect(zip(local, local.dropFirst()).allSatisfy { $1 - $0 <= 5 })
        // Even in log index: the ratio 10,000^(1/2,000) = 1.0046 leaves no integer out below
        // 1 / ln(1.0046) = 217, so every one of the first 200 points is kept.
        #expect(Set(local).isSuperset(of: 0...200))
        // The ends and both sides of the held-out boundary.
        #expect(Set(local).isSuperset(of: [0, 7_999, 8_000, 9_999]))
        #expect(local.count >= 2_000 && local.count <= 4_004)
        // At the limit nothing is thinned.
        #expect(ReportedPoints.select(runSizes: [ReportedPoints.perRunLimit]) { _ in false } == Array(0..<ReportedPoints.perRunLimit))
    }

    @Test("Model selection on a 10,000-step run: held-out metrics, per-run errors and significance over all 2,000 held-out points")
    func longRun() async throws {
        let steps = 10_000
        var generator = SplitMix64(seed: 5)
        let observations = (1...steps).map { step -> Observation in
            // 2 + 5 step^-0.5 times exp(0.01 z), z uniform on [-1, 1].
            let z = Double(generator.next() % 2_000_001) / 1_000_000 - 1
            return Observation(loss: (2 + 5 / Double(step).squareRoot()) * Foundation.exp(0.01 * z), step: step)
        }
        let runs = [Run(name: "long", observations: observations)]
        let selection = ModelSelection(
            laws: [TestStepLaw(), TestStepNoFloorLaw()], fitOptions: FitOptions(starts: .count(2), seed: 1, workers: 1),
            significanceResamples: 200)
        let report = try await selection.run(runs)
        #expect(report.ranked.count == 2)
        for law in report.ranked {
            let listed = try #require(report.data.runs[0].listed)
            #expect(law.points.count == listed && listed < steps && listed >= 2_000)
            #expect(law.heldOutPoints.count == 2_000)
            // Held-out errors recomputed here from the reported fit (a hold-out split reports the fit
            // to the training points) over every held-out step 8,001...10,000.
            let p = try #require(law.fit?.parameters)
            let relative = (8_001...steps).map { step -> Double in
                let predicted = p["E"]! + p["A"]! * Foundation.pow(Double(step), -p["alpha"]!)
                let observed = observations[step - 1].loss!
                return abs(predicted - observed) / observed
            }
            let mean = relative.reduce(0, +) / Double(relative.count)
            let test = try #require(law.test)
            #expect(test.count == 2_000)
            #expect(abs(test.meanRelativeError - mean) <= 1e-12 * mean)
            let errors = RunErrors.of(law)
            #expect(errors.count == 1 && errors[0].count == 2_000)
            #expect(abs(errors[0].meanRelativeError - mean) <= 1e-12 * mean)
            #expect(errors[0].finalStep == Double(steps))
        }
        // The significance test's difference is the full held-out metrics' difference.
        let significance = try #require(report.significance)
        let best = try #require(report.ranked[0].test), second = try #require(report.ranked[1].test)
        #expect(abs(significance.difference - (best.logRMSE - second.logRMSE)) <= 1e-12 * abs(significance.difference))
        // The reports say what is listed; the JSON lists the thinned points and `listed`.
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("Listed and plotted: \(report.data.runs[0].listed!) of 10000 points of long"))
        let json = try JSONSerialization.jsonObject(with: Data(try ReportWriter.json(report).utf8)) as? [String: Any]
        let data = try #require(json?["data"] as? [String: Any])
        let run = try #require((data["runs"] as? [[String: Any]])?.first)
        #expect(run["listed"] as? Int == report.data.runs[0].listed)
    }
}
