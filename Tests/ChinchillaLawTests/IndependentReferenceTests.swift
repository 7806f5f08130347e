import Foundation
import LawfitCore
import TestSupport
import Testing
import ChinchillaLaw

/// Always-on reference points (no ../shared needed): Kaplan's and Chinchilla's laws against
/// `scripts/reference_points.py`, which evaluates the papers' formulas directly in natural units
/// (the Swift laws work in log space).
@Suite("N-D laws against independent reference points")
struct NDIndependentReferenceTests {
    private static func points(_ pairs: [(Double, Double)]) -> [Run] {
        [Run(name: "reference", observations: pairs.map { Observation(parameters: $0.0, tokens: $0.1) })]
    }

    private static let kaplanPoints: [(Double, Double)] = [(1e6, 1e9), (1e8, 2e10), (1e9, 1e9), (7e10, 1.4e12)]

    @Test("kaplan, the published constants (Kaplan et al. 2020, eq. 1.5)")
    func kaplanPublished() throws {
        let values = try KaplanLaw().predict(
            ["N_c": 6.4e13, "D_c": 1.8e13, "alpha_N": 0.076, "alpha_D": 0.103], at: Self.points(Self.kaplanPoints))
        let expected = [3.9323104595338885, 2.7753313084904327, 2.79433707755228, 1.6929734868045474]
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(values)")
    }

    @Test("kaplan with alpha_N far from alpha_D (a swapped pair changes every value)")
    func kaplanDistinctExponents() throws {
        let values = try KaplanLaw().predict(
            ["N_c": 1e10, "D_c": 5e9, "alpha_N": 0.3, "alpha_D": 0.12], at: Self.points(Self.kaplanPoints))
        let expected = [15.84893192556207, 3.98107289985517, 1.999021979602284, 0.5838484585513677]
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(values)")
    }

    @Test("chinchilla at Hoffmann et al.'s rounded values (eq. 2)")
    func chinchilla() throws {
        let values = try ChinchillaLaw().predict(
            ["A": 406.4, "B": 410.7, "E": 1.69, "alpha": 0.34, "beta": 0.28],
            at: Self.points([(7e7, 1.4e9), (1e9, 2e10), (7e10, 1.4e12)]))
        let expected = [3.692998073370421, 2.5800478722379934, 1.9366454705587173]
        let error = worstRelativeError(values, expected)
        #expect(error <= 1e-12, "worst relative error \(error): \(values)")
    }
}
