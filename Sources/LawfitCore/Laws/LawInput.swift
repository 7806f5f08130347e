/// An input a law needs at each point it predicts.
public enum LawInput: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Model size N.
    case parameters = "N"
    /// Training tokens D.
    case tokens = "D"
    /// Training compute C (logged, or 6ND).
    case compute = "C"
    /// Unique tokens U.
    case uniqueTokens = "U"
    /// Optimiser step.
    case step
    /// The run's learning-rate schedule (a property of the run, not of the point).
    case schedule

    /// Whether a law can use `value` for this input: finite, and positive except a step. The one
    /// statement of the rule: the data readers reject such a cell as they read it, and
    /// ``ScalingLaw/validate(_:)`` rejects runs built in code.
    public func admits(_ value: Double) -> Bool { value.isFinite && (self == .step || value > 0) }

    public static func < (lhs: LawInput, rhs: LawInput) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
