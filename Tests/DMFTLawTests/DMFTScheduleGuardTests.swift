import Foundation
import LawfitCore
import Testing
import TestSupport
@testable import DMFTLaw

/// `dmft-sgd` at high learning rates with few features (issue 17): the finite-N contour follows the
/// run's largest rate, a rate at the edge of stability is reported as diverged, and a node sum that
/// cancels to a negative loss gives NaN instead of a number.
///
/// The case of the issue: a = 2.2, b = 1.5, M = 1000 modes, N = 16 features, B = 1, constant rate 0.3.
/// S's spectrum reaches s_hi = 1.672, so the default contour (one unit of log s beyond it) reaches
/// s = 4.5, where the discrete step's growth factor g(s) = 1 - 2 eta s + eta^2 (1 + 1/B) s^2 is about 4:
/// before the fix the law predicted -41256 at step 40 (the simulated median is 0.413).
@Suite struct DMFTScheduleGuardTests {
    static let (a, b) = (2.2, 1.5)

    /// |g(s_j)| for rate eta and batch B at node j.
    static func growth(_ m: DMFTSpectralMeasure, _ j: Int, eta: Double, batch: Double = 1) -> Double {
        let (x, y) = (m.nodeReal[j], m.nodeImaginary[j])
        let q = (1 + 1 / batch) * eta * eta
        let real = 1 - 2 * eta * x + q * (x * x - y * y), imaginary = -2 * eta * y + 2 * q * x * y
        return (real * real + imaginary * imaginary).squareRoot()
    }

    /// With the run's largest rate the contour keeps |g| <= 1 on every node for every rate up to it
    /// (0.01 steps), at batch 1 and 4. Measured: max |g| = 1 - 1.35e-4 (N = 16), 1 - 4.0e-5 (N = 30), 1 - 1.5e-6
    /// (N = 200), all at the inner end, where g ~ 1 - 2 eta s with s ~ s_lo / e. The default contour
    /// (one unit of log s beyond s_hi) at eta = 0.3 reaches max |g| = 1.99 (N = 16) and 1.44 (N = 30);
    /// at N = 200 (s_hi = 1.16, so e s_hi < 1 / eta) it stayed inside, 1 - 4.5e-5.
    @Test(arguments: [(1000, 16.0), (400, 30.0), (1000, 200.0)])
    func contourKeepsEveryGrowthFactorInTheUnitDisk(modes: Int, features: Double) throws {
        let sums = try RandomFeatureSGDTheory(a: Self.a, b: Self.b, modes: modes).sums
        for eta in [0.3, 0.45, 0.58] {
            let m = try DMFTSpectralMeasure(sums: sums, features: features, stepFactor: 2 * eta)
            var largest = 0.0
            for rate in stride(from: 0.01, through: eta, by: 0.01) {
                for j in m.nodeReal.indices { largest = max(largest, Self.growth(m, j, eta: rate)) }
            }
            print("dmft-sgd contour, M = \(modes), N = \(features), eta = \(eta): \(m.nodeReal.count) nodes, max |g| - 1 = \(largest - 1)")
            #expect(largest <= 1, "eta = \(eta): max |g| = \(largest)")
        }
        // Batch 4: the step is stable while (1 + 1/4) eta s_hi < 2; rates up to (1 + 1/4) eta s_hi = 1.875.
        let edge = try DMFTSpectralMeasure(sums: sums, features: features).upperEdge
        for eta in [0.5, 0.9 / edge, 1.5 / edge] {
            let m = try DMFTSpectralMeasure(sums: sums, features: features, stepFactor: 1.25 * eta)
            let largest = stride(from: 0.01, through: eta, by: 0.01).map { rate in
                m.nodeReal.indices.map { Self.growth(m, $0, eta: rate, batch: 4) }.max()!
            }.max()!
            print("dmft-sgd contour, M = \(modes), N = \(features), B = 4, eta = \(eta): \(m.nodeReal.count) nodes, max |g| - 1 = \(largest - 1)")
            #expect(largest <= 1, "B = 4, eta = \(eta): max |g| = \(largest)")
        }
        let free = try DMFTSpectralMeasure(sums: sums, features: features)
        let outer = free.nodeReal.indices.map { Self.growth(free, $0, eta: 0.3) }.max()!
        print("dmft-sgd default contour, M = \(modes), N = \(features), eta = 0.3: max |g| = \(outer)")
        #expect(features < 100 ? outer > 1.4 : outer < 1)
    }

    /// The contour integral does not depend on the contour: pulled in for eta = 0.3 and for
    /// 1.3 x 0.3, and with twice the nodes, the curves (2000 steps, label noise 0.05, the loss between
    /// 0.41 and 0.63) agree. Measured: 2.1e-12 (twice the nodes), 1.6e-12 relative (the other
    /// contour); tolerance 1e-8. (At N = 16..200 and eta = 0.3..0.58 twice the nodes moved the curves
    /// by at most 7e-9, at eta = 0.55, N = 30, where the loss has grown to 5e8 by step 400.)
    @Test func pulledInContoursAgree() throws {
        let sums = try RandomFeatureSGDTheory(a: Self.a, b: Self.b, modes: 1000).sums
        let rates = [0.0] + [Double](repeating: 0.3, count: 2000), steps = [10, 40, 100, 400, 2000]
        func curve(_ factor: Double, density: Double = 1) throws -> [Double] {
            let m = try DMFTSpectralMeasure(sums: sums, features: 16, stepFactor: factor, density: density)
            return RandomFeatureSGDTheory.run(m, rates: rates, scale: 1, batchSize: 1, noise: 0.05, form: .discrete, steps: steps)
        }
        let reference = try curve(0.6)
        for other in [try curve(0.6, density: 2), try curve(0.78)] {
            let error = zip(other, reference).map { abs($0 / $1 - 1) }.max()!
            print("dmft-sgd pulled-in contours: \(reference) vs \(other): max relative difference \(error)")
            #expect(error <= 1e-8)
        }
        #expect(reference.allSatisfy { $0 > 0.3 && $0 < 1 }, "\(reference)")
    }

    /// The law at the issue's point: 0.4126 at step 40 (the median of 1000 simulated feature draws is
    /// 0.4135, DMFTScheduleSimulationTests), positive and finite everywhere on the curve, with a finite
    /// Jacobian.
    @Test func lawAtTheIssuePointIsTheTypicalLoss() throws {
        let runs = [Run(name: "constant", observations: [10, 40, 100].map { Observation(step: $0) },
                        schedule: try denseSchedule("constant(peak=0.3, total=100)"))]
        let evaluator = try DMFTScheduleLaw(modes: 1000).makeEvaluator(for: runs)
        let (predictions, jacobian) = evaluator.predictWithJacobian([Self.a, Self.b, 1, 0, 1, 16])
        print("dmft-sgd(modes=1000) at N = 16, eta = 0.3: \(predictions)")
        #expect(abs(predictions[1] - 0.41258) <= 1e-4, "\(predictions)")
        #expect(predictions.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(jacobian.allSatisfy { $0.isFinite })
    }

    /// A rate with (1 + 1/B) eta s_hi within 1 % of 2 (here 2 / 1.005) is reported as diverged from its
    /// first step: every later point saturates at the diverged loss, the points before it are finite.
    @Test func rateAtTheEdgeOfStabilityIsDiverged() throws {
        let sums = try RandomFeatureSGDTheory(a: Self.a, b: Self.b, modes: 1000).sums
        let edge = try DMFTSpectralMeasure(sums: sums, features: 16).upperEdge
        let eta = 1 / (1.005 * edge)
        let rates = [0.0] + [Double](repeating: 0.1, count: 20) + [Double](repeating: eta, count: 20)
        let losses = try RandomFeatureSGDTheory(a: Self.a, b: Self.b, modes: 1000)
            .expectedLoss(rates: rates, features: 16, batchSize: 1, steps: [10, 20, 21, 40])
        print("dmft-sgd at 2 eta s_hi = 2 / 1.005 (eta = \(eta)): \(losses)")
        #expect(losses[0] > 0 && losses[1] < losses[0])
        #expect(losses[2...].allSatisfy { $0 == RandomFeatureSGDTheory.divergedLoss })
    }

    /// The failure the fix removes, kept as the test of the last guard: run on the default contour
    /// (not drawn for the rate) the node sum goes negative, and from that step on the recursion
    /// gives NaN (the law's evaluator passes NaN on, so `predict` refuses and a fit rejects the
    /// point) instead of -41256.
    @Test func cancellingNodeSumIsNaN() throws {
        let sums = try RandomFeatureSGDTheory(a: Self.a, b: Self.b, modes: 1000).sums
        let m = try DMFTSpectralMeasure(sums: sums, features: 16)
        let rates = [0.0] + [Double](repeating: 0.3, count: 100)
        let losses = RandomFeatureSGDTheory.run(m, rates: rates, scale: 1, batchSize: 1, noise: 0, form: .discrete, steps: [1, 40, 100])
        print("dmft-sgd on the default contour at N = 16, eta = 0.3: \(losses)")
        #expect(losses[0] > 0 && losses[0].isFinite)
        #expect(losses[1].isNaN && losses[2].isNaN)
    }
}
