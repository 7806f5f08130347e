import LawfitCore

/// Deterministic Gaussian source for the random-feature simulator: ``SplitMix64`` for uniform bits,
/// ``BoxMuller`` for standard normals (both values of each pair used). Same seed, same stream.
struct RandomFeatureRandom {
    private var generator: SplitMix64
    private var spare: Double?

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// A stream for one (seed, stream, index) triple, so that a matrix column can be regenerated.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        let base = mixer.next()
        self.init(seed: base &+ index &* 0xD1B5_4A32_D192_ED03)
    }

    /// Next 64 uniform bits.
    mutating func next() -> UInt64 { generator.next() }

    /// Standard normal (Box-Muller, both values used).
    mutating func gaussian() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let u1 = generator.nextOpenUnit()
        let (first, second) = BoxMuller.normals(u1, generator.nextOpenUnit())
        spare = second
        return first
    }
}
