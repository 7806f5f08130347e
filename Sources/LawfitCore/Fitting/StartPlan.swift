/// Where a multi-start fit starts.
public enum StartPlan: Sendable, Hashable {
    /// The law's default start grid (the cartesian product of each parameter's start values;
    /// Chinchilla's is Epoch AI's 4500-point grid).
    case grid
    /// `count` low-discrepancy (Halton) points spanning each parameter's start values, in the
    /// optimiser's coordinates.
    case count(Int)
    /// Explicit starts, natural units, in parameter order.
    case points([[Double]])

    /// The start points in natural units.
    public func points(for space: ParameterSpace) throws -> [[Double]] {
        switch self {
        case .grid:
            return space.defaultStartGrid
        case .points(let points):
            for (k, point) in points.enumerated() where point.count != space.count {
                throw LawfitError.input("start \(k + 1) has \(point.count) values; the law has \(space.count) parameters")
            }
            return points
        case .count(let n):
            guard n >= 1 else { throw LawfitError.input("the number of starts must be at least 1, got \(n)") }
            let ranges = space.parameters.map { parameter -> (Double, Double) in
                let internalStarts = parameter.startValues.map(parameter.transform.toInternal)
                return (internalStarts.min()!, internalStarts.max()!)
            }
            return (0..<n).map { k in
                space.parameters.indices.map { j in
                    let (low, high) = ranges[j]
                    let u = low + (high - low) * Halton.value(index: k + 1, base: Halton.primes[j % Halton.primes.count])
                    return space.parameters[j].transform.toNatural(u)
                }
            }
        }
    }
}

/// The Halton low-discrepancy sequence (radical inverse in a prime base).
enum Halton {
    static let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53]

    /// The radical inverse of `index` in `base`, in [0, 1).
    static func value(index: Int, base: Int) -> Double {
        var result = 0.0, fraction = 1.0 / Double(base), i = index
        while i > 0 {
            result += Double(i % base) * fraction
            i /= base
            fraction /= Double(base)
        }
        return result
    }
}
