import Foundation

/// Cosine decay to a floor after a linear warmup (Loshchilov & Hutter 2017, SGDR, Eq. 5, one cycle):
/// eta_k = floor + (peak - floor) / 2 * (1 + cos(pi (k - W) / (T - W))) for W <= k <= T.
///
/// Spec: `cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)` (floor and warmup default to 0).
/// With these values it is the `cosine_24000` schedule of Luo et al. 2025 (Multi-Power Law).
public struct CosineSchedule: LearningRateSchedule, WarmupShaped, Hashable {
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
        try ScheduleCheck.positive(peak, "peak", in: "cosine")
        try ScheduleCheck.positive(floor, "floor", in: "cosine", allowZero: true)
        guard floor <= peak else { throw LawfitError.input("cosine: 'floor' (\(SpecText.number(floor))) must not exceed 'peak' (\(SpecText.number(peak)))") }
        try ScheduleCheck.step(total, "total", in: "cosine", within: 1...Int.max)
        try ScheduleCheck.step(warmup, "warmup", in: "cosine", within: 0...(total - 1))
        try ScheduleCheck.warmup(from: warmupFrom, steps: warmup, in: "cosine")
        self.peak = peak
        self.floor = floor
        self.warmup = warmup
        self.warmupFrom = warmupFrom
        self.warmupShape = warmupShape
        self.totalSteps = total
    }

    func rateAfterWarmup(_ step: Int) -> Double {
        let progress = Double(step - warmup) / Double(totalSteps - warmup)
        return floor + (peak - floor) / 2 * (1 + cos(Double.pi * progress))
    }

    public func rate(at step: Int) -> Double { warmupRate(at: step) }

    public var spec: String {
        SpecText.call("cosine", [
            ("peak", SpecText.number(peak)), ("floor", SpecText.number(floor)),
            ("warmup", "\(warmup)")] + warmupSpecArguments + [("total", "\(totalSteps)"),
        ])
    }
}
