import Foundation

/// An estimate with a confidence interval.
public struct Interval: Sendable, Hashable, Codable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Standard error (bootstrap: the resamples' standard deviation; Laplace: the delta method).
    public var standardError: Double

    enum CodingKeys: String, CodingKey {
        case estimate, lower, upper, standardError = "standard_error"
    }

    public init(estimate: Double, lower: Double, upper: Double, standardError: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.standardError = standardError
    }

    /// Whether `value` lies in [lower, upper].
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// A parameter's name and interval.
public struct ParameterInterval: Sendable, Hashable, Codable {
    public var name: String
    public var interval: Interval

    public init(name: String, interval: Interval) {
        self.name = name
        self.interval = interval
    }
}

/// Order statistics used by the intervals.
public enum Quantile {
    /// The q-quantile of `values` by linear interpolation between order statistics (Hyndman and Fan
    /// 1996 type 7, numpy's default): h = (n - 1) q, x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)).
    public static func of(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : ofSorted(sorted, q)
    }

    /// As ``of(_:_:)`` for values already sorted ascending.
    public static func ofSorted(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }

    /// The percentile interval [q_(a/2), q_(1 - a/2)] for confidence 1 - a, with the sample standard
    /// deviation as standard error.
    public static func percentileInterval(_ samples: [Double], estimate: Double, confidence: Double) -> Interval {
        let sorted = samples.sorted()
        let a = 1 - confidence
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        let variance = samples.count > 1 ? samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        return Interval(
            estimate: estimate, lower: ofSorted(sorted, a / 2), upper: ofSorted(sorted, 1 - a / 2),
            standardError: variance.squareRoot())
    }

    /// z with P(Z <= z) = p for a standard normal Z (bisection on erfc; 1.959963984540054 for 0.975).
    public static func normal(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
