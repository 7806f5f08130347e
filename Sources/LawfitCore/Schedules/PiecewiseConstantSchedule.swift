/// A piecewise-constant schedule: breakpoints (s_i, eta_i) with s_1 = 0 < s_2 < ...; the rate at step k
/// is the eta_i of the last breakpoint with s_i <= k, up to the last step `end`.
///
/// Spec: `piecewise(0:3e-4, 8000:9e-5, end=16000)`: 3e-4 for steps 0...7999, 9e-5 for 8000...16000.
public struct PiecewiseConstantSchedule: LearningRateSchedule, Hashable {
    /// The breakpoints (step, rate), steps strictly increasing from 0.
    public let breakpoints: [(step: Int, rate: Double)]
    public let totalSteps: Int

    /// - Throws: ``LawfitError`` unless the steps start at 0 and increase, every rate is finite and
    ///   >= 0, and `end` >= the last breakpoint.
    public init(breakpoints: [(step: Int, rate: Double)], end: Int) throws {
        guard let first = breakpoints.first else {
            throw LawfitError.input("piecewise: give at least one breakpoint step:rate, e.g. piecewise(0:3e-4, 8000:9e-5, end=16000)")
        }
        guard first.step == 0 else { throw LawfitError.input("piecewise: the first breakpoint must be at step 0, got \(first.step)") }
        for (i, point) in breakpoints.enumerated() {
            try ScheduleCheck.positive(point.rate, "rate at step \(point.step)", in: "piecewise", allowZero: true)
            if i > 0, point.step <= breakpoints[i - 1].step {
                throw LawfitError.input("piecewise: breakpoint steps must increase, got \(breakpoints[i - 1].step) then \(point.step)")
            }
        }
        try ScheduleCheck.step(end, "end", in: "piecewise", within: max(breakpoints.last!.step, 1)...Int.max)
        self.breakpoints = breakpoints
        self.totalSteps = end
    }

    public func rate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        var low = 0, high = breakpoints.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if breakpoints[mid].step <= k { low = mid } else { high = mid - 1 }
        }
        return breakpoints[low].rate
    }

    public var spec: String {
        SpecText.call("piecewise", breakpoints.map { ("", "\($0.step):\(SpecText.number($0.rate))") } + [("end", "\(totalSteps)")])
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.totalSteps == b.totalSteps && a.breakpoints.elementsEqual(b.breakpoints) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(totalSteps)
        for point in breakpoints { hasher.combine(point.step); hasher.combine(point.rate) }
    }
}
