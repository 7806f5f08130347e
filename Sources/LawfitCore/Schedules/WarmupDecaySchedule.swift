/// A decay from `peak` to `floor` after a warmup, of one ``DecayShape`` from step W to the last
/// step T: eta_k = shape(peak, floor, (k - W) / (T - W)) for W <= k <= T. Its ``DecayKind`` names
/// it in specs and fixes the shape: ``CosineSchedule``, ``LinearDecaySchedule``, ``ExponentialSchedule``.
public struct WarmupDecaySchedule<Kind: DecayKind>: LearningRateSchedule, WarmupShaped, Hashable {
    public let ramp: WarmupRamp
    /// F, the final rate.
    public let floor: Double

    /// - Throws: ``LawfitError`` unless 0 <= floor <= peak (floor > 0 for a geometric decay) and
    ///   0 <= warmup < total.
    public init(peak: Double, floor: Double = 0, warmup: Int = 0, warmupFrom: Double = 0, warmupShape: WarmupShape = .linear, total: Int) throws {
        try ScheduleCheck.positive(peak, "peak", in: Kind.name)
        try ScheduleCheck.floor(floor, peak: peak, shape: Kind.shape, in: Kind.name)
        ramp = try WarmupRamp(
            peak: peak, warmup: warmup, from: warmupFrom, shape: warmupShape, total: total, in: Kind.name, warmupRange: { 0...($0 - 1) })
        self.floor = floor
    }

    public func rateAfterWarmup(_ step: Int) -> Double {
        Kind.shape.rate(peak: peak, floor: floor, progress: Double(step - warmup) / Double(totalSteps - warmup))
    }

    public var spec: String { rampSpec(Kind.name, afterPeak: [("floor", SpecText.number(floor))]) }
}

/// What names a ``WarmupDecaySchedule`` in specs and fixes its decay shape.
public protocol DecayKind: Sendable, Hashable {
    /// The spec name, e.g. `cosine`.
    static var name: String { get }
    /// The decay from peak to floor.
    static var shape: DecayShape { get }
}

/// Cosine decay to a floor after a linear warmup (Loshchilov & Hutter 2017, SGDR, Eq. 5, one cycle):
/// eta_k = floor + (peak - floor) / 2 * (1 + cos(pi (k - W) / (T - W))) for W <= k <= T.
///
/// Spec: `cosine(peak=3e-4, floor=3e-5, warmup=2160, total=24000)` (floor and warmup default to 0).
/// With these values it is the `cosine_24000` schedule of Luo et al. 2025 (Multi-Power Law).
public typealias CosineSchedule = WarmupDecaySchedule<CosineDecay>

/// Linear decay to a floor after a linear warmup:
/// eta_k = peak - (peak - floor) (k - W) / (T - W) for W <= k <= T.
///
/// Spec: `linear(peak=3e-4, floor=0, warmup=2160, total=24000)` (floor and warmup default to 0).
public typealias LinearDecaySchedule = WarmupDecaySchedule<LinearDecay>

/// Exponential (geometric) decay from `peak` to `floor` after a linear warmup:
/// eta_k = peak (floor / peak)^((k - W) / (T - W)) for W <= k <= T, the exponential schedule a -> b of
/// Li et al. 2025 (Functional Scaling Law, arXiv 2509.19189, Sec. 5, Thm 5.3).
///
/// Spec: `exponential(peak=3e-4, floor=3e-5, warmup=0, total=24000)` (floor > 0 is required).
public typealias ExponentialSchedule = WarmupDecaySchedule<ExponentialDecay>

/// ``CosineSchedule``'s kind: `cosine`, a ``DecayShape/cosine`` decay.
public enum CosineDecay: DecayKind {
    public static let name = "cosine"
    public static let shape = DecayShape.cosine
}

/// ``LinearDecaySchedule``'s kind: `linear`, a ``DecayShape/linear`` decay.
public enum LinearDecay: DecayKind {
    public static let name = "linear"
    public static let shape = DecayShape.linear
}

/// ``ExponentialSchedule``'s kind: `exponential`, a ``DecayShape/geometric`` decay.
public enum ExponentialDecay: DecayKind {
    public static let name = "exponential"
    public static let shape = DecayShape.geometric
}
