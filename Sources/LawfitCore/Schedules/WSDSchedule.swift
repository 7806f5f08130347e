/// Warmup-stable-decay (Hu et al. 2024, MiniCPM, Sec. 4; Hägele et al. 2024): a linear warmup to
/// `peak`, the constant `peak` until the decay start S, then a decay of the given ``DecayShape`` to
/// `floor` at the last step T: eta_k = shape(peak, floor, (k - S) / (T - S)) for S <= k <= T.
///
/// The decay start is a step (`decay_start=20000`) or the fraction of all steps spent decaying
/// (`decay_fraction=0.2`, S = T - round(0.2 T)). Spec: `wsd(peak=3e-4, warmup=2160,
/// decay_start=20000, total=24000, floor=3e-5, shape=geometric)`; with these values it is the
/// `wsd_20000_24000` schedule of Luo et al. 2025 (`shape=linear` gives `wsdld_20000_24000`).
public struct WSDSchedule: LearningRateSchedule, WarmupShaped, Hashable {
    /// Where the decay starts, as given.
    public enum DecayStart: Sendable, Hashable {
        case step(Int)
        case fraction(Double)
    }

    public let ramp: WarmupRamp
    /// F, the final rate.
    public let floor: Double
    /// The decay shape.
    public let shape: DecayShape
    /// The decay start as the spec gave it (a step or a fraction).
    public let decayStartSpec: DecayStart
    /// S, the step the decay starts at.
    public let decayStart: Int

    /// - Throws: ``LawfitError`` unless 0 <= floor <= peak (floor > 0 for geometric) and
    ///   0 <= warmup <= S < total.
    public init(peak: Double, floor: Double = 0, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, decayStart: DecayStart, total: Int, shape: DecayShape = .linear) throws {
        try ScheduleCheck.positive(peak, "peak", in: "wsd")
        try ScheduleCheck.floor(floor, peak: peak, shape: shape, in: "wsd")
        var start = 0
        ramp = try WarmupRamp(peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: "wsd", warmupRange: { 0...($0 - 1) }, thenChecking: {
            switch decayStart {
            case .step(let s):
                start = s
            case .fraction(let f):
                guard f.isFinite, f > 0, f <= 1 else {
                    throw LawfitError.input("wsd: parameter 'decay_fraction' must lie in (0, 1], got \(SpecText.number(f))")
                }
                start = total - Int((f * Double(total)).rounded())
            }
            try ScheduleCheck.step(start, decayStart == .step(start) ? "decay_start" : "decay start (from decay_fraction)", in: "wsd", within: warmup...(total - 1))
        })
        self.floor = floor
        self.shape = shape
        self.decayStartSpec = decayStart
        self.decayStart = start
    }

    public func rateAfterWarmup(_ step: Int) -> Double {
        if step <= decayStart { return peak }
        return shape.rate(peak: peak, floor: floor, progress: Double(step - decayStart) / Double(totalSteps - decayStart))
    }

    public var spec: String {
        let start: (String, String?) = switch decayStartSpec {
        case .step(let s): ("decay_start", "\(s)")
        case .fraction(let f): ("decay_fraction", SpecText.number(f))
        }
        return rampSpec("wsd", beforeTotal: [start], afterTotal: [("floor", SpecText.number(floor)), ("shape", shape.rawValue)])
    }
}
