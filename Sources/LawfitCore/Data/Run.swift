/// One training run: a name, its observations in order, and (for loss-curve laws) its
/// learning-rate schedule.
public struct Run: Sendable {
    public var name: String
    public var observations: [Observation]
    /// The schedule the run was trained with, with its rates and intrinsic time computed once.
    public var schedule: DenseSchedule?
    /// The file the run was read from, for error messages.
    public var source: String?

    public init(name: String, observations: [Observation], schedule: DenseSchedule? = nil, source: String? = nil) {
        self.name = name
        self.observations = observations
        self.schedule = schedule
        self.source = source
    }

    /// The observed losses, in order; `nil` entries where a point has no loss.
    public var losses: [Double?] { observations.map(\.loss) }
}
