import Foundation
import LawfitCore
import TestSupport
import Testing
import ScheduleLaws

/// Always-on reference points (no ../shared needed): the laws' default evaluators (named parameters,
/// change-point sums, compression) against `scripts/reference_points.py`, which sums every step of
/// the papers' formulas directly in numpy. A swapped pair of parameters, a sign flip or an off-by-one
/// in the warmup convention moves these values far beyond the tolerance.
@Suite("Schedule laws against independent reference points")
struct ScheduleLawsIndependentReferenceTests {
    private static let steps = [10, 30, 100, 150, 151, 175, 200, 250, 300]

    private static func predict(_ law: any ScalingLaw, _ parameters: [String: Double]) throws -> [Double] {
        try law.predict(parameters, at: [ReferenceCurveSchedule.run(at: steps)])
    }

    @Test("multi-power, the published 400M parameters (Luo et al. 2025), authors' warmup convention")
    func multiPowerPublished() throws {
        let expected = [
            18.73157291281073, 8.989806084624682, 5.6470904752284925, 5.090786811434164, 5.083980093419145,
            4.979092572668471, 4.905222428456813, 4.797879449793031, 4.759106581676555,
        ]
        let values = try Self.predict(MultiPowerLaw(), [
            "L0": 2.37474466, "A": 0.65421216, "alpha": 0.42878731, "B": 523.42464371, "C": 2.02462735,
            "beta": 0.59350493, "gamma": 0.63472457,
        ])
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-9, "worst relative error \(error): \(values)")
    }

    @Test("multi-power with beta = 1.7 far from gamma = 0.25 (a swapped pair changes every value)")
    func multiPowerDistinctExponents() throws {
        let expected = [
            13.566288751864263, 7.7601354584251325, 5.48117444872028, 5.086630181701128, 5.084315592640434,
            5.031045926948829, 4.979807731987295, 4.901563349344938, 4.877535142579583,
        ]
        let values = try Self.predict(MultiPowerLaw(), [
            "L0": 2.5, "A": 0.8, "alpha": 0.35, "B": 900, "C": 1.3, "beta": 1.7, "gamma": 0.25,
        ])
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-9, "worst relative error \(error): \(values)")
    }

    @Test("lr-annealing, momentum form of S2 over every step from 1 (Tissue et al. 2024, Sec. 3)")
    func lrAnnealing() throws {
        let expected = [
            20.15492416073803, 10.367093721042899, 8.751392661302171, 8.377131833158783, 8.306082800011662,
            7.097357435768306, 6.469338956337672, 5.780324436537321, 5.106869873394055,
        ]
        let values = try Self.predict(LRAnnealingLaw(), ["L0": 2.4, "A": 0.6, "alpha": 0.45, "C": 350, "lambda": 0.97])
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(values)")
    }
}
