import Foundation
import Numerics
import Testing
@testable import DMFTLaw

/// The continuum (Volterra) SGD step keeps its decay factors e^(-2 eta s_j) current by a Taylor update
/// when the rate changes a little (``ContinuumDecay``). Checked against the recursion written out here
/// with a complex exponential at every step (the definition in ``RandomFeatureSGDTheory``), on a
/// schedule with every kind of rate change: a linear warmup, a cosine decay (small changes: the Taylor
/// path), a step down and a restart (large jumps: the exact path), and 3000 steps (three resyncs).
@Suite struct DMFTContinuumStepTests {
    static func rates(_ k: Int) -> Double {
        switch k {
        case 0: return 0
        case ...200: return 0.3 * Double(k) / 200
        case ...1500: return 0.15 + 0.15 * Foundation.cos(Double.pi * Double(k - 200) / 1300)
        case ...2000: return 0.05
        default: return 0.2 * (1 - Double(k - 2000) / 1000) + 0.01
        }
    }

    /// Measured (debug): at most 6.6e-13 (N = 300) and 3.9e-12 (N = infinity) relative; tolerance 1e-11.
    @Test(arguments: [300.0, nil] as [Double?])
    func taylorUpdatedDecayMatchesExponentials(features: Double?) throws {
        let theory = try RandomFeatureSGDTheory(a: 2.2, b: 1.5)
        let rates = (0...3000).map(Self.rates)
        let steps = Array(stride(from: 0, through: 3000, by: 50))
        let (batch, noise) = (2.0, 0.05)
        let fast = try theory.expectedLoss(rates: rates, features: features, batchSize: batch, noise: noise, form: .continuum, steps: steps)

        let m = try DMFTSpectralMeasure(sums: theory.sums, features: features)
        let nodes = zip(m.nodeReal, m.nodeImaginary).map { Complex($0, $1) }
        let kernel = zip(m.kernelReal, m.kernelImaginary).map { Complex($0, $1) }
        var x = zip(m.lossReal, m.lossImaginary).map { Complex($0, $1) }
        var excess = m.frozen + 2 * x.reduce(0) { $0 + $1.real }
        var worst = 0.0
        for k in 0...3000 {
            if k > 0 {
                let eta = rates[k], gain = eta * eta / batch * (excess + m.unrepresented + noise)
                for j in x.indices { x[j] = Complex.exp(Complex(-2 * eta) * nodes[j]) * (x[j] + Complex(gain) * kernel[j]) }
                excess = m.frozen + 2 * x.reduce(0) { $0 + $1.real }
            }
            if let index = steps.firstIndex(of: k) {
                let expected = excess + m.unrepresented
                let error = abs(fast[index] / expected - 1)
                worst = max(worst, error)
                #expect(error <= 1e-11, "step \(k): \(fast[index]) vs \(expected)")
            }
        }
        print("continuum step with Taylor-updated decay vs exponentials (N = \(features.map { "\($0)" } ?? "infinity")): max relative error \(worst)")
    }
}
