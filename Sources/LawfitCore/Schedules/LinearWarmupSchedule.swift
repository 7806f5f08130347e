/// A warmup in front of any schedule: eta_k = from + (inner(W) - from) g(k / W) for 0 <= k < W
/// (g of the ``WarmupShape``: linear or cosine), then eta_k = inner(k). By default the ramp rises
/// linearly from 0 to the wrapped schedule's rate at step W (the convention of Luo et al. 2025,
/// Multi-Power Law); the wrapped schedule keeps its own step axis.
///
/// Spec: `warmup(steps=2160, schedule=piecewise(0:3e-4, 8000:9e-5, end=16000))`,
/// `warmup(steps=300, from=1e-5, shape=cosine, schedule=constant(peak=1e-3, total=50000))`.
public struct LinearWarmupSchedule: LearningRateSchedule {
    /// W, the warmup length.
    public let steps: Int
    /// The rate at step 0.
    public let from: Double
    /// The ramp's shape.
    public let shape: WarmupShape
    /// The wrapped schedule.
    public let schedule: any LearningRateSchedule

    /// - Throws: ``LawfitError`` unless 1 <= steps <= the wrapped schedule's total steps and
    ///   `from` is finite and >= 0.
    public init(steps: Int, from: Double = 0, shape: WarmupShape = .linear, schedule: any LearningRateSchedule) throws {
        try ScheduleCheck.step(steps, "steps", in: "warmup", within: 1...max(schedule.totalSteps, 1))
        try ScheduleCheck.positive(from, "from", in: "warmup", allowZero: true)
        self.steps = steps
        self.from = from
        self.shape = shape
        self.schedule = schedule
    }

    public var totalSteps: Int { schedule.totalSteps }

    public func rate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k < steps { return from + (schedule.rate(at: steps) - from) * shape.fraction(Double(k) / Double(steps)) }
        return schedule.rate(at: k)
    }

    public var spec: String {
        SpecText.call("warmup", [
            ("steps", "\(steps)"), ("from", from == 0 ? nil : SpecText.number(from)),
            ("shape", shape == .linear ? nil : shape.rawValue), ("schedule", schedule.spec),
        ])
    }
}
