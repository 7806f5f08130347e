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

    /// Throws unless `floor` is finite and >= 0 (> 0 under a geometric decay, which takes its log)
    /// and does not exceed `peak`.
    static func floor(_ floor: Double, peak: Double, shape: DecayShape, in owner: String) throws {
        try positive(floor, "floor", in: owner, allowZero: shape != .geometric)
        guard floor <= peak else {
            throw LawfitError.input("\(owner): 'floor' (\(SpecText.number(floor))) must not exceed 'peak' (\(SpecText.number(peak)))")
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
