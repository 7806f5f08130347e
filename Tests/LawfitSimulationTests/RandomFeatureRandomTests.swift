import Foundation
@testable import LawfitSimulation
import Testing

/// The simulator's Gaussian stream against an independent implementation (Python: SplitMix64 in
/// integers mod 2^64, Box-Muller with the C library's log, cos and sin): both values of a pair.
@Suite struct RandomFeatureRandomTests {
    @Test func gaussianPairMatchesTheReference() {
        var rng = RandomFeatureRandom(seed: 14)
        #expect(rng.gaussian() == 0x1.3151a3b948893p+0)
        #expect(rng.gaussian() == 0x1.257ce8dbeeb74p-1)
    }

    @Test func regeneratedStreamMatchesTheReference() {
        var rng = RandomFeatureRandom(seed: 3, stream: 2, index: 5)
        #expect(rng.next() == 0x761F_1F0D_4BBA_33C0)
    }
}
