import Foundation
import LawfitCore
import TestSupport
import Testing
import BrokenPowerLaw

/// Always-on reference points (no ../shared needed): BNSL against `scripts/reference_points.py`, which
/// evaluates Caballero et al. 2022, eq. 1 directly in natural units (the Swift law works in log space
/// with a saturation far beyond these points).
@Suite("BNSL against independent reference points")
struct BNSLIndependentReferenceTests {
    @Test("bnsl-2 [a, b, c0, c1, d1, f1, c2, d2, f2] = [1.5, 40, 0.05, 0.3, 1e18, 0.4, -0.2, 1e21, 1.5]")
    func twoBreaks() throws {
        let compute = [1e15, 1e17, 1e18, 3e19, 1e21, 1e23]
        let expected = [8.613330999223352, 7.151657616916879, 6.14764345843044, 3.0742198589337484, 2.052546698576737, 1.72801913240328]
        let runs = [Run(name: "reference", observations: compute.map { Observation(compute: $0) })]
        let values = try BrokenNeuralScalingLaw(breaks: 2).predict(
            ["a": 1.5, "b": 40, "c0": 0.05, "c1": 0.3, "d1": 1e18, "f1": 0.4, "c2": -0.2, "d2": 1e21, "f2": 1.5], at: runs)
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(values)")
    }
}
