import LawfitCore

/// Constant `peak` up to step `knee * total`, then linear to 0 at `total`.
public struct KneeSchedule: LearningRateSchedule {
    public let peak: Double
    public let knee: Double
    public let totalSteps: Int

    public init(peak: Double, knee: Double, total: Int) throws {
        guard peak > 0, peak.isFinite else { throw LawfitError.input("knee: 'peak' must be > 0") }
        guard knee >= 0, knee < 1 else { throw LawfitError.input("knee: 'knee' must lie in [0, 1)") }
        guard total >= 1 else { throw LawfitError.input("knee: 'total' must be >= 1") }
        self.peak = peak
        self.knee = knee
        self.totalSteps = total
    }

    public func rate(at step: Int) -> Double {
        let k = Double(min(max(step, 0), totalSteps)), t = Double(totalSteps)
        let start = knee * t
        return k <= start ? peak : peak * (t - k) / (t - start)
    }

    public var spec: String {
        "knee(peak=\(SpecValue.format(peak)), knee=\(SpecValue.format(knee)), total=\(totalSteps))"
    }
}
