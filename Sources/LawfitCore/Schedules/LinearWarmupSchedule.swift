/// A linear warmup in front of any schedule: eta_k = inner(W) * k / W for 0 <= k < W, then
/// eta_k = inner(k). The ramp rises from 0 to the wrapped schedule's rate at step W (the convention
/// of Luo et al. 2025, Multi-Power Law); the wrapped schedule keeps its own step axis.
///
/// Spec: `warmup(steps=2160, schedule=piecewise(0:3e-4, 8000:9e-5, end=16000))`.
public struct LinearWarmupSchedule: LearningRateSchedule {
    /// W, the warmup length.
    public let steps: Int
    /// The wrapped schedule.
    public let schedule: any LearningRateSchedule

    /// - Throws: ``LawfitError`` unless 1 <= steps <= the wrapped schedule's total steps.
    public init(steps: Int, schedule: any LearningRateSchedule) throws {
        try ScheduleCheck.step(steps, "steps", in: "warmup", within: 1...max(schedule.totalSteps, 1))
        self.steps = steps
        self.schedule = schedule
    }

    public var totalSteps: Int { schedule.totalSteps }

    public func rate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k < steps { return schedule.rate(at: steps) * Double(k) / Double(steps) }
        return schedule.rate(at: k)
    }

    public var spec: String { SpecText.call("warmup", [("steps", "\(steps)"), ("schedule", schedule.spec)]) }
}
