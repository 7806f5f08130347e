import Foundation
import Testing
import TestSupport
@testable import LawfitCore

@Suite("Residual autocorrelation within runs, and the warning on standard errors")
struct ResidualAutocorrelationTests {
    /// The sample lag-1 autocorrelation written out in two passes: pooled mean, then pairs within runs.
    static func twoPass(_ runs: [[Double]]) -> Double {
        let all = runs.flatMap { $0 }
        let mean = all.reduce(0, +) / Double(all.count)
        let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let covariance = runs.reduce(0.0) { total, run in
            total + zip(run, run.dropFirst()).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - mean) }
        }
        return covariance / variance
    }

    @Test("r1 of sin(omega i) tends to cos(omega); pairs never cross a run boundary")
    func closedFormAndBoundaries() throws {
        let omega = 0.3
        let sine = (0..<20_000).map { Foundation.sin(omega * Double($0)) }
        let r = try #require(ResidualAutocorrelation(residuals: sine, runSizes: [sine.count]).lagOne)
        #expect(abs(r - Foundation.cos(omega)) < 1e-3)
        // Two runs: a rising and a falling ramp. Across the boundary (10 -> 100) the pair would be far
        // apart; the streamed value must equal the two-pass sum over within-run pairs only.
        let runs: [[Double]] = [(1...10).map(Double.init), (1...12).map { 100 - 3 * Double($0) }]
        let streamed = try #require(ResidualAutocorrelation(residuals: runs.flatMap { $0 }, runSizes: runs.map(\.count)).lagOne)
        #expect(abs(streamed - Self.twoPass(runs)) < 1e-12)
        // Fewer than 10 pairs, or residuals that do not vary: no value.
        #expect(ResidualAutocorrelation(residuals: [1, 2, 3, 4, 5, 6], runSizes: [3, 3]).lagOne == nil)
        #expect(ResidualAutocorrelation(residuals: [Double](repeating: 0.5, count: 50), runSizes: [50]).lagOne == nil)
        // Round-off residuals (a fit to exact data): no value, however they correlate.
        #expect(ResidualAutocorrelation(residuals: sine.map { 1e-12 * $0 }, runSizes: [sine.count]).lagOne == nil)
    }

    @Test("AR(1) noise with phi 0.8 gives r1 near 0.8 and standard errors understated 3x; white noise gives no warning")
    func autoregressiveNoise() throws {
        var random = SeededUniform(seed: 7)
        var series: [Double] = [], e = 0.0
        for _ in 0..<100_000 {
            e = 0.8 * e + random.normal()
            series.append(e)
        }
        let r = try #require(ResidualAutocorrelation(residuals: series, runSizes: [50_000, 50_000]).lagOne)
        // Standard error of r1 for AR(1): sqrt((1 - phi^2) / n) = 0.0019.
        #expect(abs(r - 0.8) < 0.01)
        #expect(abs(ResidualAutocorrelation.standardErrorFactor(0.8) - 3) < 1e-12)
        let warning = try #require(ResidualAutocorrelation(residuals: series, runSizes: [50_000, 50_000]).warning(points: 100_000))
        #expect(warning.hasPrefix("neighbouring residuals of a run are correlated (lag-1 autocorrelation 0.80)"))
        #expect(warning.contains("by about 3.0x"))
        let white = (0..<2000).map { _ in random.normal() }
        let r0 = try #require(ResidualAutocorrelation(residuals: white, runSizes: [1000, 1000]).lagOne)
        #expect(abs(r0) < 0.1)
        #expect(ResidualAutocorrelation(residuals: white, runSizes: [1000, 1000]).warning(points: 2000) == nil)
    }

    @Test("fit statistics of a loss curve with AR(1) noise warn; with independent noise they do not; (N, D) data are not checked")
    func fitStatisticsWarn() async throws {
        let law = TestStepLaw()
        func curve(phi: Double, seed: UInt64) -> [Run] {
            var random = SeededUniform(seed: seed)
            var e = 0.0
            let observations = stride(from: 10, through: 4000, by: 10).map { step in
                e = phi * e + 0.002 * random.normal()
                return Observation(loss: (1.5 + 4 * Foundation.pow(Double(step), -0.4)) * Foundation.exp(e), step: step)
            }
            return [Run(name: "curve", observations: observations)]
        }
        for (phi, warns) in [(0.9, true), (0.0, false)] {
            let runs = curve(phi: phi, seed: 3)
            let fit = try await LawFitter(law: law, options: FitOptions(seed: 1, workers: 1)).fit(runs)
            let statistics = try FitStatistics(law: law, fit: fit, runs: runs)
            let r = try #require(statistics.residualCorrelation?.lagOne)
            // The fitted curve absorbs little of the noise: r1 stays near phi.
            #expect(abs(r - phi) < 0.1)
            #expect(!statistics.warnings.isEmpty == warns)
            #expect(FitReport.render(fit, statistics: statistics, timing: false).contains("neighbouring residuals of a run are correlated") == warns)
        }
        // compare: the same curves, three runs, the third held out; the law's flags say it.
        for (phi, warns) in [(0.9, true), (0.0, false)] {
            let runs = (0..<3).map { k in
                var run = curve(phi: phi, seed: 10 + UInt64(k))[0]
                run.name = "c\(k)"
                return run
            }
            let selection = ModelSelection(
                laws: [law], split: try SplitStrategy(parsing: "runs:c2"), fitOptions: FitOptions(seed: 1, workers: 1))
            let evaluation = try #require(try await selection.run(runs).ranked.first)
            let flag = evaluation.flags.first { $0.hasPrefix("The Laplace intervals count the 800 fitted points as independent") }
            #expect((flag != nil) == warns)
            if let flag { #expect(flag.hasSuffix("add --bootstrap 200 for intervals that resample whole runs or blocks of points.")) }
        }
        let nd = (1...40).map { k in Run(name: "n\(k)", observations: [Observation(loss: 2 + 1 / Double(k), parameters: 1e6 * Double(k))]) }
        let ndLaw = TestSizeOnlyLaw()
        let ndFit = try await LawFitter(law: ndLaw, options: FitOptions(seed: 1, workers: 1)).fit(nd)
        #expect(try FitStatistics(law: ndLaw, fit: ndFit, runs: nd).residualCorrelation == nil)
    }
}
