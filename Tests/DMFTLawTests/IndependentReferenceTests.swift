import Foundation
import Testing
@testable import DMFTLaw

/// Always-on reference points (no ../shared needed): the exact DMFT solver at finite N and P against
/// values of `reference/dmft_random_features.py` (reference_values.json), copied here so a wrong
/// solver fails without the shared folder. 1e-3 relative, as the reference's README allows for its
/// quadrature.
@Suite("DMFT solver against independent reference points")
struct DMFTIndependentReferenceTests {
    @Test(
        "gradient-flow loss L(t, N, P) on both sides of N = P",
        arguments: [
            (1.8, 400.0, 1600.0, 10.0, 0.23525384338928967),
            (1.8, 1600.0, 400.0, 1000.0, 0.03834240780477277),
            (2.5, 400.0, 1600.0, 100.0, 0.007077981883124404),
            (2.5, 1600.0, 400.0, 10000.0, 0.001323622342281925),
            (4.0, 400.0, 1600.0, 1000.0, 0.0007699576894128358),
        ])
    func gradientFlow(a: Double, features: Double, samples: Double, time: Double, expected: Double) throws {
        let loss = try RandomFeatureDMFT(a: a, b: 1.5).loss(time: time, features: features, samples: samples)
        #expect(abs(loss / expected - 1) <= 1e-3, "\(loss) vs \(expected)")
    }

    @Test(
        "static (t -> infinity) loss around the interpolation peak",
        arguments: [(1.8, 100.0, 0.13788674552899588), (1.8, 300.0, 0.17523681378525285), (1.8, 800.0, 0.05961140583098118),
                    (1.8, 3200.0, 0.029689472404432555)])
    func staticLoss(a: Double, features: Double, expected: Double) throws {
        let loss = try RandomFeatureDMFT(a: a, b: 1.5).staticLoss(features: features, samples: 400)
        #expect(abs(loss / expected - 1) <= 1e-3, "\(loss) vs \(expected)")
    }
}
