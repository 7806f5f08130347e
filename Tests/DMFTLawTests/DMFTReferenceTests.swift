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

/// Internal consistency: the time-domain loss at long times reaches the static (t -> infinity)
/// loss, with and without label noise, on both sides of the interpolation peak.
@Suite struct DMFTLongTimeTests {
    @Test(arguments: [(100.0, 400.0, 0.0), (100.0, 400.0, 0.1), (800.0, 400.0, 0.0), (800.0, 400.0, 0.1)])
    func gradientFlowConvergesToTheStaticLoss(features: Double, samples: Double, noise: Double) throws {
        let solver = try RandomFeatureDMFT(a: 2.5, b: 1.5)
        let late = try solver.loss(time: 1e7, features: features, samples: samples, noise: noise)
        let limit = try solver.staticLoss(features: features, samples: samples, noise: noise)
        print("N=\(features) P=\(samples) noise=\(noise): L(1e7) = \(late), static = \(limit)")
        #expect(abs(late / limit - 1) < 1e-3)
    }
}
