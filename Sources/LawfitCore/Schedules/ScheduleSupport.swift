/// Checks and spec-string formatting shared by the built-in schedules.
enum ScheduleCheck {
    /// Throws unless `value` is finite and > 0 (or >= 0 when `allowZero`).
    static func positive(_ value: Double, _ name: String, in owner: String, allowZero: Bool = false) throws {
        guard value.isFinite, allowZero ? value >= 0 : value > 0 else {
            let bound = allowZero ? ">= 0" : "> 0"
            throw LawfitError.input("\(owner): parameter '\(name)' must be finite and \(bound), got \(SpecValue.format(value))")
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

/// A schedule with a linear warmup over its first `warmup` steps and its own shape after it.
///
/// The ramp is the convention of Luo et al. 2025 (Multi-Power Law, ICLR 2025, Sec. 5.1): eta_k =
/// eta_W * k / W for 0 <= k < W, rising linearly from 0 to the schedule's rate at step W. Steps past
/// `totalSteps` use the rate at `totalSteps`; negative steps use the rate at 0.
protocol WarmupShaped: LearningRateSchedule {
    /// W, the number of warmup steps (0 for none).
    var warmup: Int { get }
    /// The rate at step k >= W.
    func rateAfterWarmup(_ step: Int) -> Double
}

extension WarmupShaped {
    /// The rate at `step` with the warmup ramp in front (what `rate(at:)` returns).
    func warmupRate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k < warmup { return rateAfterWarmup(warmup) * Double(k) / Double(warmup) }
        return rateAfterWarmup(k)
    }
}
