import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number generators",
/// OOPSLA): a small, fast, seedable generator; the same seed gives the same sequence on every
/// platform. The one generator of the package: multi-start seeds, bootstrap draws, data splits,
/// simulators and benchmarks all draw from it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed for stream `index` derived from `seed`, independent of how work is scheduled.
    public static func derive(_ seed: UInt64, _ index: Int) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    /// A uniform draw in (0, 1): the top 53 bits of ``next()``, centred in their interval, so that
    /// it is never 0 (its log is finite).
    public mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }
}

/// Standard normal draws by the Box-Muller transform (Box & Muller 1958, "A note on the generation
/// of random normal deviates", Ann. Math. Statist. 29): from uniforms u1 in (0, 1] and u2, the
/// radius r = sqrt(-2 log u1) and the angle 2 pi u2 give two independent standard normals.
public enum BoxMuller {
    /// r cos(2 pi u2), the first of the pair.
    @inlinable public static func normal(_ u1: Double, _ u2: Double) -> Double {
        (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// (r cos(2 pi u2), r sin(2 pi u2)), both normals of the pair.
    @inlinable public static func normals(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }
}
