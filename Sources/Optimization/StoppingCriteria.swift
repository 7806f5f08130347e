/// When NLopt stops: tolerances on the objective and the point, and budgets of evaluations and time.
///
/// A criterion left `nil` (or 0) is not used. NLopt stops at the first one met.
public struct StoppingCriteria: Sendable, Hashable {
    /// Relative change of the objective (`nlopt_set_ftol_rel`).
    public var ftolRel: Double?
    /// Absolute change of the objective (`nlopt_set_ftol_abs`).
    public var ftolAbs: Double?
    /// Relative change of every coordinate (`nlopt_set_xtol_rel`).
    public var xtolRel: Double?
    /// Absolute change of every coordinate (`nlopt_set_xtol_abs1`).
    public var xtolAbs: Double?
    /// Stop once the objective is at or below this value (`nlopt_set_stopval`).
    public var stopValue: Double?
    /// Maximum objective evaluations (`nlopt_set_maxeval`).
    public var maxEvaluations: Int?
    /// Maximum wall time in seconds (`nlopt_set_maxtime`).
    public var maxTime: Double?

    public init(
        ftolRel: Double? = nil, ftolAbs: Double? = nil, xtolRel: Double? = nil, xtolAbs: Double? = nil,
        stopValue: Double? = nil, maxEvaluations: Int? = nil, maxTime: Double? = nil
    ) {
        self.ftolRel = ftolRel
        self.ftolAbs = ftolAbs
        self.xtolRel = xtolRel
        self.xtolAbs = xtolAbs
        self.stopValue = stopValue
        self.maxEvaluations = maxEvaluations
        self.maxTime = maxTime
    }

    /// Tight tolerances for a local polish (relative 1e-12 on f and 1e-10 on x, 10,000 evaluations).
    public static let tight = StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 10_000)
    /// A budget for a global search (100,000 evaluations, relative 1e-10 on f).
    public static let globalSearch = StoppingCriteria(ftolRel: 1e-10, maxEvaluations: 100_000)
}
