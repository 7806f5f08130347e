import Foundation

/// Deterministic Gaussian source for the random-feature simulator: SplitMix64 (Steele, Lea & Flood,
/// OOPSLA 2014) for uniform bits, Box-Muller for standard normals. Same seed, same stream.
struct RandomFeatureRandom {
    private var state: UInt64
    private var spare: Double?

    init(seed: UInt64) { state = seed }

    /// A stream for one (seed, stream, index) triple, so that a matrix column can be regenerated.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        var mixer = RandomFeatureRandom(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        let base = mixer.next()
        self.init(seed: base &+ index &* 0xD1B5_4A32_D192_ED03)
    }

    /// Next 64 uniform bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal (Box-Muller, both values used).
    mutating func gaussian() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let radius = (-2 * Foundation.log(uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spare = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }
}
