import Foundation

/// Step decay: the rate is multiplied by `factor` every `every` steps after the warmup:
/// eta_k = peak * factor^floor((k - W) / every) for W <= k <= T (PyTorch `StepLR`, counted from W).
///
/// Spec: `step(peak=0.1, factor=0.1, every=30000, warmup=0, total=90000)` (factor defaults to 0.1).
public struct StepSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp
    /// The factor the rate is multiplied by at each decay.
    public let factor: Double
    /// Steps between decays.
    public let every: Int

    /// - Throws: ``LawfitError`` unless peak > 0, 0 < factor, every >= 1, 0 <= warmup <= total.
    public init(peak: Double, factor: Double = 0.1, every: Int, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "step")
        try ScheduleCheck.positive(factor, "factor", in: "step")
        try ScheduleCheck.step(every, "every", in: "step", within: 1...Int.max)
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "step")
        self.factor = factor
        self.every = every
    }

    public func rateAfterWarmup(_ step: Int) -> Double { peak * pow(factor, Double((step - warmup) / every)) }

    public var spec: String {
        rampSpec("step", afterPeak: [("factor", SpecText.number(factor)), ("every", "\(every)")])
    }
}

/// Multi-step decay: the rate is multiplied by `factor` at each milestone step:
/// eta_k = peak * factor^(number of milestones m <= k) for W <= k <= T (PyTorch `MultiStepLR`).
///
/// Spec: `multistep(30000, 60000, peak=0.1, factor=0.1, warmup=0, total=90000)`: the milestones are
/// positional, in increasing order.
public struct MultiStepSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp
    /// The factor the rate is multiplied by at each decay.
    public let factor: Double
    /// The steps at which the rate is multiplied by `factor`, increasing.
    public let milestones: [Int]

    /// - Throws: ``LawfitError`` unless peak, factor > 0, milestones strictly increase within
    ///   `warmup...total`, and 0 <= warmup <= total.
    public init(peak: Double, factor: Double = 0.1, milestones: [Int], warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "multistep")
        try ScheduleCheck.positive(factor, "factor", in: "multistep")
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "multistep", thenChecking: {
            guard !milestones.isEmpty else { throw LawfitError.input("multistep: give at least one milestone step, e.g. multistep(30000, 60000, peak=0.1, total=90000)") }
            for (i, m) in milestones.enumerated() {
                try ScheduleCheck.step(m, "milestone \(i + 1)", in: "multistep", within: warmup...total)
                if i > 0, m <= milestones[i - 1] {
                    throw LawfitError.input("multistep: milestones must increase, got \(milestones[i - 1]) then \(m)")
                }
            }
        })
        self.factor = factor
        self.milestones = milestones
    }

    public func rateAfterWarmup(_ step: Int) -> Double {
        peak * pow(factor, Double(milestones.lazy.filter { $0 <= step }.count))
    }

    public var spec: String {
        rampSpec("multistep", leading: milestones.map { ("", "\($0)") }, afterPeak: [("factor", SpecText.number(factor))])
    }
}
