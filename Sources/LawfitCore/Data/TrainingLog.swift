/// A set of runs read from one or more files: the data a law is fitted to.
public struct TrainingLog: Sendable {
    public var runs: [Run]
    /// What reading changed, one sentence each, for the user (stderr): rows merged or sorted,
    /// values replaced under the repeated-step policy, a fallback column used.
    public var notes: [String]

    public init(runs: [Run], notes: [String] = []) {
        self.runs = runs
        self.notes = notes
    }

    /// All observations of all runs, run by run: the order in which laws predict.
    public var observations: [Observation] { runs.flatMap(\.observations) }

    /// Number of observations over all runs.
    public var count: Int { runs.reduce(0) { $0 + $1.observations.count } }

    /// Where each point comes from (its run's file, or the run's name, and its line), in prediction order.
    public var pointLocations: [SourceLocation] { PointLocations(runs: runs).all }

    /// The observed losses in prediction order.
    ///
    /// - Throws: ``LawfitError`` (input) naming the run and line of the first point without a loss.
    public func requireLosses() throws -> [Double] {
        var losses: [Double] = []
        losses.reserveCapacity(count)
        for run in runs {
            for observation in run.observations {
                guard let loss = observation.loss else {
                    throw LawfitError.input(
                        "run '\(run.name)' has a point without a loss",
                        at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: "loss"))
                }
                losses.append(loss)
            }
        }
        return losses
    }
}

extension TrainingLog {
    /// The runs of several logs, in order.
    ///
    /// - Throws: ``LawfitError`` (input) when two runs share a name, naming both sources.
    public init(merging logs: [TrainingLog]) throws {
        var sources: [String: String] = [:]
        var runs: [Run] = []
        for run in logs.flatMap(\.runs) {
            let source = run.source ?? "?"
            if let other = sources[run.name] {
                throw LawfitError.input(
                    "run '\(run.name)' appears in both \(other) and \(source); give the runs distinct names",
                    at: SourceLocation(file: source))
            }
            sources[run.name] = source
            runs.append(run)
        }
        self.init(runs: runs, notes: logs.flatMap(\.notes))
    }
}
