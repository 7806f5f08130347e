import Foundation

/// Step decay: the rate is multiplied by `factor` every `every` steps after the warmup:
/// eta_k = peak * factor^floor((k - W) / every) for W <= k <= T (PyTorch `StepLR`, counted from W).
///
/// Spec: `step(peak=0.1, factor=0.1, every=30000, warmup=0, total=90000)` (factor defaults to 0.1).
public struct StepSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// The factor the rate is multiplied by at each decay.
    public let factor: Double
    /// Steps between decays.
    public let every: Int
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless peak > 0, 0 < factor, every >= 1, 0 <= warmup <= total.
    public init(peak: Double, factor: Double = 0.1, every: Int, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "step")
        try ScheduleCheck.positive(factor, "factor", in: "step")
        try ScheduleCheck.step(every, "every", in: "step", within: 1...Int.max)
        try ScheduleCheck.step(total, "total", in: "step", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "step", within: 0...total)
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "step")
        self.peak = peak
        self.factor = factor
        self.every = every
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double { peak * pow(factor, Double((step - warmup) / every)) }
    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("step", [
            ("peak", SpecText.number(peak)), ("factor", SpecText.number(factor)), ("every", "\(every)"),
            ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)"),
        ])
    }
}

/// Multi-step decay: the rate is multiplied by `factor` at each milestone step:
/// eta_k = peak * factor^(number of milestones m <= k) for W <= k <= T (PyTorch `MultiStepLR`).
///
/// Spec: `multistep(30000, 60000, peak=0.1, factor=0.1, warmup=0, total=90000)`: the milestones are
/// positional, in increasing order.
public struct MultiStepSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// The factor the rate is multiplied by at each decay.
    public let factor: Double
    /// The steps at which the rate is multiplied by `factor`, increasing.
    public let milestones: [Int]
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless peak, factor > 0, milestones strictly increase within
    ///   `warmup...total`, and 0 <= warmup <= total.
    public init(peak: Double, factor: Double = 0.1, milestones: [Int], warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "multistep")
        try ScheduleCheck.positive(factor, "factor", in: "multistep")
        try ScheduleCheck.step(total, "total", in: "multistep", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "multistep", within: 0...total)
        guard !milestones.isEmpty else { throw LawfitError.input("multistep: give at least one milestone step, e.g. multistep(30000, 60000, peak=0.1, total=90000)") }
        for (i, m) in milestones.enumerated() {
            try ScheduleCheck.step(m, "milestone \(i + 1)", in: "multistep", within: warmup...total)
            if i > 0, m <= milestones[i - 1] {
                throw LawfitError.input("multistep: milestones must increase, got \(milestones[i - 1]) then \(m)")
            }
        }
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "multistep")
        self.peak = peak
        self.factor = factor
        self.milestones = milestones
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double {
        peak * pow(factor, Double(milestones.lazy.filter { $0 <= step }.count))
    }

    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("multistep", milestones.map { ("", "\($0)") } + [
            ("peak", SpecText.number(peak)), ("factor", SpecText.number(factor)),
            ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)"),
        ])
    }
}
