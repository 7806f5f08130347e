import Foundation
import LawfitCore
import Testing

/// SplitMix64's stream and derived seeds against an independent implementation (Python integers
/// mod 2^64 of Steele, Lea and Flood 2014's reference), so that moving the generator keeps every
/// seeded result (bootstrap draws, splits, multi-start seeds, simulators) the same.
@Suite struct RandomStreamTests {
    @Test func splitMix64MatchesTheReference() {
        var g = SplitMix64(seed: 42)
        #expect(g.next() == 0xBDD7_3226_2FEB_6E95)
        #expect(g.next() == 0x28EF_E333_B266_F103)
        #expect(g.next() == 0x4752_6757_130F_9F52)
        #expect(SplitMix64.derive(7, 3) == 0xDCFA_1426_C230_EF5F)
        #expect(SplitMix64.derive(0, -1) == 0x781B_191C_C6DB_5600)
    }
}
