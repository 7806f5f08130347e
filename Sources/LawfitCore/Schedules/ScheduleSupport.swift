import Foundation

/// Checks and spec-string formatting shared by the built-in schedules.
enum ScheduleCheck {
    /// Throws unless `value` is finite and > 0 (or >= 0 when `allowZero`).
    static func positive(_ value: Double, _ name: String, in owner: String, allowZero: Bool = false) throws {
        guard value.isFinite, allowZero ? value >= 0 : value > 0 else {
            let bound = allowZero ? ">= 0" : "> 0"
            throw LawfitError.input("\(owner): parameter '\(name)' must be finite and \(bound), got \(SpecValue.format(value))")
        }
    }

    /// Throws unless the warmup's start rate is finite and >= 0, and is 0 when there is no warmup.
    static func warmup(from: Double, steps: Int, in owner: String) throws {
        try positive(from, "warmup_from", in: owner, allowZero: true)
        if steps == 0, from != 0 {
            throw LawfitError.input("\(owner): parameter 'warmup_from' needs a warmup (warmup > 0)")
        }
    }

    /// Throws unless `low <= value <= high` (whole steps).
    static func step(_ value: Int, _ name: String, in owner: String, within range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw LawfitError.input("\(owner): parameter '\(name)' must lie in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }
}

/// Builds spec strings such as `cosine(peak=0.0003, floor=3e-05, warmup=2160, total=24000)`.
enum SpecText {
    /// `name(key=value, ...)`, leaving out the pairs whose value is `nil`.
    static func call(_ name: String, _ arguments: [(String, String?)]) -> String {
        let parts = arguments.compactMap { key, value in value.map { key.isEmpty ? $0 : "\(key)=\($0)" } }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// A number that parses back to exactly `x`.
    static func number(_ x: Double) -> String { SpecValue.format(x) }

    /// A word, quoted when it holds characters the spec grammar reserves.
    static func word(_ text: String) -> String {
        let reserved = Set(" \t\n,()=:\"'")
        guard text.isEmpty || text.contains(where: { reserved.contains($0) }) else { return text }
        return "\"" + text + "\""
    }
}

/// The shape of a warmup ramp from the start rate eta_0 to the schedule's rate eta_W at step W, as
/// x = k / W runs from 0 to 1: eta_k = eta_0 + (eta_W - eta_0) g(x).
///
/// - linear: g(x) = x (Goyal et al. 2017, "Accurate, Large Minibatch SGD", Sec. 2.2, gradual warmup;
///   from eta_0 = 0 it is the convention of Luo et al. 2025, Multi-Power Law, Sec. 5.1)
/// - cosine: g(x) = (1 - cos(pi x)) / 2, a half cosine that starts and ends flat (the rising half of
///   SGDR's cosine, Loshchilov & Hutter 2017, Eq. 5)
public enum WarmupShape: String, Sendable, Hashable, CaseIterable {
    case linear
    case cosine

    /// g(x) for x in [0, 1].
    public func fraction(_ x: Double) -> Double {
        switch self {
        case .linear: x
        case .cosine: (1 - cos(Double.pi * x)) / 2
        }
    }

    /// The shape named `name`. - Throws: ``LawfitError`` listing the known shapes.
    public static func named(_ name: String, in owner: String) throws -> WarmupShape {
        guard let shape = WarmupShape(rawValue: name) else {
            throw LawfitError.input("\(owner): unknown warmup shape '\(name)'; known shapes: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return shape
    }
}

/// A schedule with a warmup over its first `warmup` steps and its own shape after it.
///
/// The ramp rises from `warmupFrom` (eta_0, default 0) to the schedule's rate at step W with the
/// ``WarmupShape`` `warmupShape`: eta_k = eta_0 + (eta_W - eta_0) g(k / W) for 0 <= k < W. With the
/// defaults it is the convention of Luo et al. 2025 (Multi-Power Law, ICLR 2025, Sec. 5.1): eta_k =
/// eta_W * k / W. Schaipp, Hägele et al. 2025 warm up linearly from peak/100 (`warmup_from`). Steps
/// past `totalSteps` use the rate at `totalSteps`; negative steps use the rate at 0.
protocol WarmupShaped: LearningRateSchedule {
    /// W, the number of warmup steps (0 for none).
    var warmup: Int { get }
    /// eta_0, the rate at step 0.
    var warmupFrom: Double { get }
    /// The ramp's shape.
    var warmupShape: WarmupShape { get }
    /// The rate at step k >= W.
    func rateAfterWarmup(_ step: Int) -> Double
}

extension WarmupShaped {
    /// The rate at `step` with the warmup ramp in front (what `rate(at:)` returns).
    func warmupRate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k < warmup {
            let x = Double(k) / Double(warmup)
            if warmupFrom == 0, warmupShape == .linear { return rateAfterWarmup(warmup) * x }
            return warmupFrom + (rateAfterWarmup(warmup) - warmupFrom) * warmupShape.fraction(x)
        }
        return rateAfterWarmup(k)
    }

    /// `warmup_from` and `warmup_shape` for a spec string, left out at their defaults.
    var warmupSpecArguments: [(String, String?)] {
        [("warmup_from", warmupFrom == 0 ? nil : SpecText.number(warmupFrom)),
         ("warmup_shape", warmupShape == .linear ? nil : warmupShape.rawValue)]
    }
}
