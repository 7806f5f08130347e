/// Linear decay to a floor after a linear warmup:
/// eta_k = peak - (peak - floor) (k - W) / (T - W) for W <= k <= T.
///
/// Spec: `linear(peak=3e-4, floor=0, warmup=2160, total=24000)` (floor and warmup default to 0).
public struct LinearDecaySchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// P, the largest rate (reached at the end of the warmup).
    public let peak: Double
    /// F, the final rate.
    public let floor: Double
    /// W, the number of warmup steps.
    public let warmup: Int
    /// The rate at step 0, where the warmup starts (0 by default).
    public let warmupFrom: Double
    /// The warmup's shape (linear by default).
    public let warmupShape: WarmupShape
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless 0 <= floor <= peak and 0 <= warmup < total.
    public init(peak: Double, floor: Double = 0, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: "linear")
        try ScheduleCheck.positive(floor, "floor", in: "linear", allowZero: true)
        guard floor <= peak else { throw LawfitError.input("linear: 'floor' (\(SpecText.number(floor))) must not exceed 'peak' (\(SpecText.number(peak)))") }
        try ScheduleCheck.step(total, "total", in: "linear", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "linear", within: 0...(total - 1))
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "linear")
        self.peak = peak
        self.floor = floor
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double {
        DecayShape.linear.rate(peak: peak, floor: floor, progress: Double(step - warmup) / Double(totalSteps - warmup))
    }

    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("linear", [
            ("peak", SpecText.number(peak)), ("floor", SpecText.number(floor)),
            ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)"),
        ])
    }
}
