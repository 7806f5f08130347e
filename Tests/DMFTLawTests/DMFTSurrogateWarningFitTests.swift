import Foundation
import LawfitCore
import Testing
@testable import DMFTLaw

/// The surrogate's fit warnings end to end: `dmft-surrogate` fitted (LawFitter, as `lawfit fit` runs
/// it) to losses of the exact solver. Data where the surrogate is within 5 % of the exact solver
/// (Docs/laws/dmft.md: t >= 100 with t^(1/b)/N < 0.01 or >= 1) give no surrogate warning; the same
/// data plus points at t < 100 and in the crossover band 0.01 <= t^(1/b)/N < 1 give both warnings,
/// with the counts of those points. The regions depend on tau, nu and b at the fit; tau and nu are
/// pinned to their true value 1 (bounds 0.999..1.001, as `--bound` does), since s trades off against
/// them and would otherwise move the points between regions; b is fitted.
@Suite struct DMFTSurrogateWarningFitTests {
    /// Truth: a = 2.5, b = 1.6, s = 1, E = 0.1, tau = nu = 1 (t = D, N = params).
    static let truth = [2.5, 1.6, 1, 0.1, 1, 1]

    /// Runs at (N, t) with the exact solver's loss E + s L_RF(t, N).
    static func runs(_ points: [(n: Double, t: Double)]) throws -> [Run] {
        let exact = try RandomFeatureDMFT(a: truth[0], b: truth[1])
        return try Dictionary(grouping: points, by: \.n).sorted { $0.key < $1.key }.map { n, group in
            let times = group.map(\.t)
            let losses = try exact.lossCurve(times: times, features: n, samples: nil)
            return Run(name: "N=\(n)", observations: zip(times, losses).map { t, loss in
                var observation = Observation(parameters: n, tokens: t)
                observation.loss = truth[3] + truth[2] * loss
                return observation
            })
        }
    }

    static func surrogateWarnings(_ runs: [Run]) async throws -> [String] {
        let law = try BoundedLaw(DMFTLaw(solver: .surrogate), bounds: [("tau", 0.999, 1.001), ("nu", 0.999, 1.001)])
        let options = FitOptions(objective: ObjectiveSpec(loss: .squared, space: .log), starts: .points([[2.2, 1.4, 2, 0.05, 1, 1]]), workers: 1)
        let result = try await LawFitter(law: law, options: options).fit(runs)
        print("dmft-surrogate fit \(result.values), warnings: \(result.warnings)")
        return result.warnings.filter { $0.contains("dmft-surrogate is biased") }
    }

    /// t^(1/1.6)/N: N = 1e6, t = 1e3..1e5 gives 7.5e-5..1.3e-3; N = 100, t = 1e5..1e6 gives 13..56.
    static let good: [(n: Double, t: Double)] = [(1e6, 1e3), (1e6, 3e3), (1e6, 1e4), (1e6, 3e4), (1e6, 1e5), (100, 1e5), (100, 3e5), (100, 1e6)]

    @Test func noWarningWhereTheSurrogateHolds() async throws {
        #expect(try await Self.surrogateWarnings(try Self.runs(Self.good)).isEmpty)
    }

    /// Three points at t < 100 and two in the band (N = 1e3, t = 1e4 and 3e4: t^(1/1.6)/N = 0.32, 0.62).
    @Test func warnsWhereTheSurrogateIsBiased() async throws {
        let biased = Self.good + [(1e6, 3), (1e6, 10), (1e6, 30), (1e3, 1e4), (1e3, 3e4)]
        let warnings = try await Self.surrogateWarnings(try Self.runs(biased))
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("3 of 13 points sit at theory time tau x < 100") == true)
        #expect(warnings.last?.hasPrefix("2 of 13 points sit before the crossover") == true)
    }
}
