import Foundation
import LawfitCore
import TestSupport
import Testing
import FunctionalScalingLaw

/// Always-on reference points (no ../shared needed): the FSL surrogate's default evaluator against
/// `scripts/reference_points.py`, a direct O(K^2) sum of Li et al. 2025, App. B.2, over every step.
@Suite("FSL surrogate against independent reference points")
struct FSLIndependentReferenceTests {
    @Test("fsl [L0, c1, s, c23, c2, c4, gamma] = [2.3, 0.7, 0.4, 600, 40, 2000, 1.6]")
    func surrogate() throws {
        let steps = [10, 30, 100, 150, 151, 175, 200, 250, 300]
        let expected = [
            16.51598727225045, 8.706398033304735, 5.77093618338078, 5.2616713594482185, 5.2591970997423605,
            5.062407344211086, 5.0019872265562695, 4.893156312713015, 4.841472506123871,
        ]
        let values = try FSLSurrogateLaw().predict(
            ["L0": 2.3, "c1": 0.7, "s": 0.4, "c23": 600, "c2": 40, "c4": 2000, "gamma": 1.6],
            at: [ReferenceCurveSchedule.run(at: steps)])
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-9, "worst relative error \(error): \(values)")
    }
}
