import Foundation
import LawfitSimulation
import Testing
@testable import DMFTLaw

/// The schedule-aware DMFT law's expected loss against direct simulation of one-pass minibatch SGD
/// on random-feature regression (``RandomFeatureSGDSimulator``: exact data expectation per feature
/// draw, averaged over feature draws), under a warmup-constant-cosine schedule at small rates.
@Suite struct DMFTScheduleSimulationTests {
    /// a = 2.2, b = 1.5, M = 1000 modes, N = 100 features, batch B = 4, label noise 0.05; 600 updates:
    /// linear warmup to 0.05 over 50, constant to 300, cosine to 0.005 at 600 (intrinsic time 22.4);
    /// 128 feature draws (seeds 0..<128). DMFT with the same finite spectrum (modes: 1000), exact
    /// discrete step. Measured: max |DMFT/simulation - 1| = 0.93 % over the checked steps (DMFT 0.8 %
    /// below at the end); with 8 draws the same check gave up to 6.8 % (seed noise), and an independent
    /// numpy simulation (16 draws, numpy's generator) 1.6 %. Tolerance 5 % (3 sigma of the seed noise
    /// of 128 draws plus the finite-N bias).
    @Test func expectedLossMatchesSimulationAtSmallRates() throws {
        let (a, b, modes, features, batch, noise) = (2.2, 1.5, 1000, 100, 4, 0.05)
        let rates = Self.schedule(total: 600)
        let steps = [0, 10, 50, 100, 200, 300, 400, 500, 600]
        let theory = try RandomFeatureSGDTheory(a: a, b: b, modes: modes)
            .expectedLoss(rates: rates, features: Double(features), batchSize: Double(batch), noise: noise, steps: steps)
        let simulator = try RandomFeatureSGDSimulator(a: a, b: b, modes: modes, features: features, batchSize: batch, noise: noise)
        let simulated = try simulator.meanExpectedLosses(rates: rates, seeds: Self.seeds)
        var worst = 0.0
        for (k, step) in steps.enumerated() {
            let error = abs(theory[k] / simulated[step] - 1)
            worst = max(worst, error)
            print("dmft-sgd vs simulation, step \(step): DMFT \(theory[k]) simulation \(simulated[step]) ratio \(theory[k] / simulated[step])")
            #expect(error <= 0.05, "step \(step): \(theory[k]) vs \(simulated[step])")
        }
        print("dmft-sgd vs simulation: max relative error \(worst)")
    }

    /// High rate, few features (issue 17): a = 2.2, b = 1.5, M = 400 modes, B = 1, no label noise,
    /// constant LR 0.3 for 400 updates, N = 16 and 30. Here some feature draws have a top eigenvalue of
    /// S above the stable range of the step, and their SGD diverges: 21 of 1000 draws at N = 16 and 4 of
    /// 1000 at N = 30 end above their initial loss, so the mean over draws has no limit (1e4 at step 40
    /// and 3e65 at step 400 for 1000 draws at N = 16). The law describes the typical draw: it is held to
    /// the median of 300 draws (seeds 0..<300). Measured: within 0.94 % (N = 16) and 1.49 % (N = 30) at
    /// steps 10, 40, 100, 400; with 1000 draws within 1.0 % and 0.8 %. The per-draw spread (interquartile
    /// range about 40 % of the median at N = 16, 35 % at N = 30) gives the median of 300 draws a
    /// sampling error of about 2 %, so the tolerance is 5 %. Before the fix the law gave -41256 at
    /// step 40, N = 16 (M = 1000).
    @Test(arguments: [16, 30])
    func highRateFewFeaturesMatchesTheTypicalDraw(features: Int) throws {
        let (a, b, modes) = (2.2, 1.5, 400)
        let rates = [0.0] + [Double](repeating: 0.3, count: 400)
        let steps = [10, 40, 100, 400]
        let theory = try RandomFeatureSGDTheory(a: a, b: b, modes: modes)
            .expectedLoss(rates: rates, features: Double(features), batchSize: 1, steps: steps)
        let simulator = try RandomFeatureSGDSimulator(a: a, b: b, modes: modes, features: features, batchSize: 1)
        let draws = try (0..<UInt64(300)).map { try simulator.expectedLosses(rates: rates, seed: $0) }
        let unstable = draws.filter { !($0[400] < $0[0]) }.count
        for (k, step) in steps.enumerated() {
            let sorted = draws.map { $0[step] }.sorted()
            let median = 0.5 * (sorted[149] + sorted[150])
            print("dmft-sgd at LR 0.3, N = \(features), step \(step): DMFT \(theory[k]), median of 300 draws \(median) (ratio \(theory[k] / median)), \(unstable) unstable draws")
            #expect(abs(theory[k] / median - 1) <= 0.05, "N = \(features), step \(step): \(theory[k]) vs \(median)")
        }
    }

    /// Feature draws averaged (the per-draw spread of the loss is about 14 % at N = 100, so the mean of
    /// 128 draws carries about 1.3 % seed noise).
    static let seeds: Range<UInt64> = 0..<128

    /// eta_0 = 0; linear warmup to 0.05 over 50 updates, constant to 300, cosine to 0.005 at `total`.
    static func schedule(total: Int) -> [Double] {
        (0...total).map { k in
            if k <= 50 { return 0.05 * Double(k) / 50 }
            if k <= 300 { return 0.05 }
            let x = Double(k - 300) / Double(total - 300)
            return 0.005 + 0.5 * (0.05 - 0.005) * (1 + Foundation.cos(Double.pi * x))
        }
    }
}
