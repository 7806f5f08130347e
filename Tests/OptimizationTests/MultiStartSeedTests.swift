@testable import Optimization
import Testing

/// Each start's seed is SplitMix64 of the base seed and the start's index, checked against an
/// independent implementation (Python integers mod 2^64).
@Suite struct MultiStartSeedTests {
    @Test func perStartSeedsMatchTheReference() {
        #expect(MultiStart.seed(for: 0, base: 5) == 0x6303_3B0C_A389_C35A)
        #expect(MultiStart.seed(for: 4, base: 5) == 0x301E_278F_AA01_5DC5)
    }
}
