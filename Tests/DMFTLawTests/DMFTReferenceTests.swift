import Foundation
import Testing
import TestSupport
@testable import DMFTLaw

/// The exact solver against `reference/reference_values.json` (the independent numpy reference
/// `dmft_random_features.py`), every listed point, 1e-3 relative.
@Suite struct DMFTReferenceTests {
    private static func size(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func gradientFlowMatchesReferenceAtEveryPoint() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let points = try #require(reference["dmft_gradient_flow"] as? [[String: Any]])
        #expect(points.count == 75)
        var solvers: [String: RandomFeatureDMFT] = [:]
        var worst = 0.0
        for point in points {
            let a = try #require(Self.size(point["a"])), b = try #require(Self.size(point["b"]))
            let t = try #require(Self.size(point["t"])), expected = try #require(Self.size(point["loss"]))
            let key = "\(a),\(b)"
            let solver = try solvers[key] ?? RandomFeatureDMFT(a: a, b: b)
            solvers[key] = solver
            let loss = try solver.loss(time: t, features: Self.size(point["N"]), samples: Self.size(point["P"]))
            let error = abs(loss / expected - 1)
            worst = max(worst, error)
            #expect(error < 1e-3, "a=\(a) b=\(b) N=\(String(describing: point["N"])) P=\(String(describing: point["P"])) t=\(t): \(loss) vs \(expected)")
        }
        print("DMFT gradient flow: max relative error vs reference \(worst)")
    }

    @Test func staticLossMatchesReferenceAtEveryPoint() throws {
        guard let reference = try SharedData.referenceValues() else { return }
        let points = try #require(reference["dmft_static"] as? [[String: Any]])
        #expect(points.count == 12)
        var worst = 0.0
        for point in points {
            let a = try #require(Self.size(point["a"])), b = try #require(Self.size(point["b"]))
            let expected = try #require(Self.size(point["loss"]))
            let solver = try RandomFeatureDMFT(a: a, b: b)
            let loss = try solver.staticLoss(features: Self.size(point["N"]), samples: Self.size(point["P"]))
            let error = abs(loss / expected - 1)
            worst = max(worst, error)
            #expect(error < 1e-3, "a=\(a) b=\(b) N=\(String(describing: point["N"])) P=\(String(describing: point["P"])): \(loss) vs \(expected)")
        }
        print("DMFT static: max relative error vs reference \(worst)")
    }
}
