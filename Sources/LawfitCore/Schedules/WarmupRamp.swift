/// The warmup every built-in schedule starts with: over the first `steps` steps the rate rises from
/// `from` to the schedule's rate at step W (``WarmupShaped``), and the schedule ends at `totalSteps`.
public struct WarmupRamp: Sendable, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// W, the number of warmup steps.
    public let steps: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let from: Double
    /// The warmup's shape (linear by default).
    public let shape: WarmupShape
    /// T, the last step.
    public let totalSteps: Int
}

extension WarmupRamp {
    /// Checks, in this order, the schedule's `total` (>= 1), its `warmup` (within `warmupRange(total)`),
    /// the schedule's own checks that need both (`thenChecking`), and `warmup_from`; the schedule has
    /// checked `peak` and its other parameters before.
    /// - Throws: ``LawfitError`` naming `owner` (the spec name) and the parameter.
    init(
        peak: Double, warmup: Int, from: Double, shape: WarmupShape, total: Int, in owner: String,
        warmupRange: (_ total: Int) -> ClosedRange<Int> = { 0...$0 }, thenChecking: () throws -> Void = {}
    ) throws {
        try ScheduleCheck.step(total, "total", in: owner, within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: owner, within: warmupRange(total))
        try thenChecking()
        try ScheduleCheck.warmup(from: from, steps: warmup, in: owner)
        self.init(peak: peak, steps: warmup, from: from, shape: shape, totalSteps: total)
    }
}

/// A schedule with a warmup over its first `warmup` steps and its own shape after it.
///
/// The ramp rises from `warmupFrom` (eta_0, default 0) to the schedule's rate at step W with the
/// ``WarmupShape`` `warmupShape`: eta_k = eta_0 + (eta_W - eta_0) g(k / W) for 0 <= k < W. With the
/// defaults it is the convention of Luo et al. 2025 (Multi-Power Law, ICLR 2025, Sec. 5.1): eta_k =
/// eta_W * k / W. Schaipp, Hägele et al. 2025 warm up linearly from peak/100 (`warmup_from`). Steps
/// past `totalSteps` use the rate at `totalSteps`; negative steps use the rate at 0.
public protocol WarmupShaped: LearningRateSchedule {
    /// The warmup, the peak and the last step.
    var ramp: WarmupRamp { get }
    /// The rate at step k >= W.
    func rateAfterWarmup(_ step: Int) -> Double
}

extension WarmupShaped {
    /// P, the largest rate (reached at the end of the warmup).
    public var peak: Double { ramp.peak }
    /// W, the number of warmup steps.
    public var warmup: Int { ramp.steps }
    /// The rate at step 0, where the warmup starts (0 by default).
    public var warmupFrom: Double { ramp.from }
    /// The warmup's shape (linear by default).
    public var warmupShape: WarmupShape { ramp.shape }
    public var totalSteps: Int { ramp.totalSteps }

    /// The rate at `step` with the warmup ramp in front.
    public func rate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k < warmup {
            let x = Double(k) / Double(warmup)
            if warmupFrom == 0, warmupShape == .linear { return rateAfterWarmup(warmup) * x }
            return warmupFrom + (rateAfterWarmup(warmup) - warmupFrom) * warmupShape.fraction(x)
        }
        return rateAfterWarmup(k)
    }

    /// The spec `name(leading, peak=P, afterPeak, warmup=W, [warmup_from, warmup_shape], beforeTotal,
    /// total=T, afterTotal)`, leaving out `warmup_from` and `warmup_shape` at their defaults.
    func rampSpec(
        _ name: String, leading: [(String, String?)] = [], afterPeak: [(String, String?)] = [],
        beforeTotal: [(String, String?)] = [], afterTotal: [(String, String?)] = []
    ) -> String {
        let warmupArguments: [(String, String?)] = [
            ("warmup_from", warmupFrom == 0 ? nil : SpecText.number(warmupFrom)),
            ("warmup_shape", warmupShape == .linear ? nil : warmupShape.rawValue),
        ]
        return SpecText.call(
            name, leading + [("peak", SpecText.number(peak))] + afterPeak + [("warmup", "\(warmup)")] + warmupArguments
                + beforeTotal + [("total", "\(totalSteps)")] + afterTotal)
    }
}
