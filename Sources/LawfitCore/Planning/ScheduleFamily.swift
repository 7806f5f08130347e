/// The schedule families ``ScheduleOptimizer`` searches.
public enum ScheduleFamily: String, Sendable, Hashable, CaseIterable {
    /// Warmup-stable-decay: the decay fraction, the floor (as a fraction of the peak) and the decay
    /// shape (linear, cosine, geometric, 1-sqrt) are optimised; the result is a `wsd(...)` spec.
    case wsd
    /// Cosine decay: the floor (as a fraction of the peak) is optimised; the result is a `cosine(...)` spec.
    case cosine
    /// A free-form monotone non-increasing schedule through a few knots at fixed fractions of the
    /// post-warmup steps, linearly interpolated; the result is an inline `table(...)` spec.
    case free

    /// The family named `name`. - Throws: ``LawfitError`` listing the known families.
    public static func named(_ name: String) throws -> ScheduleFamily {
        guard let family = ScheduleFamily(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw LawfitError.input("unknown schedule family '\(name)'; known families: \(known)")
        }
        return family
    }
}

/// The best schedule ``ScheduleOptimizer`` found.
public struct ScheduleOptimum: Sendable {
    /// The schedule as a spec string that parses back to ``schedule``.
    public var spec: String
    /// The schedule itself.
    public var schedule: any LearningRateSchedule
    /// The law's prediction of the loss after the last step under ``schedule``.
    public var predictedFinalLoss: Double
    /// How many schedules were evaluated (law predictions) in all.
    public var evaluations: Int
}
