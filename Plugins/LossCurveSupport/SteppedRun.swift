import LawfitCore

/// One run of a law that steps through its schedule update by update (the DMFT and FSL theories'
/// recursions): its rates up to the last observed step, the observed steps in step order, and where
/// each goes in the predictions.
public struct SteppedRun: Sendable {
    /// eta_k for k in 0 ... the last observed step.
    public var rates: [Double]
    /// The observed steps, in increasing order.
    public var steps: [Int]
    /// Where each observed step goes in the predictions (points numbered run by run, in observation order).
    public var indices: [Int]

    public init(rates: [Double], steps: [Int], indices: [Int]) {
        self.rates = rates
        self.steps = steps
        self.indices = indices
    }

    /// The runs of `runs` for law `law`, and their number of points.
    ///
    /// - Throws: ``LawfitError`` (input) as ``observedSteps(of:law:)``.
    public static func plans(of runs: [Run], law: String) throws -> (runs: [SteppedRun], count: Int) {
        var plans: [SteppedRun] = []
        var count = 0
        for run in runs {
            let (schedule, steps) = try observedSteps(of: run, law: law)
            var targets: [(step: Int, index: Int)] = []
            for step in steps {
                targets.append((step, count))
                count += 1
            }
            targets.sort { $0.step < $1.step }
            let last = targets.last?.step ?? 0
            plans.append(SteppedRun(rates: Array(schedule.rates[0...last]), steps: targets.map(\.step), indices: targets.map(\.index)))
        }
        return (plans, count)
    }

    /// The schedule of `run` and the step of each of its points, in observation order.
    ///
    /// - Throws: ``LawfitError`` (input) when the run has no schedule, or a point has no step or one
    ///   outside `0...totalSteps` of the schedule (with the point's line).
    public static func observedSteps(of run: Run, law: String) throws -> (schedule: DenseSchedule, steps: [Int]) {
        guard let schedule = run.schedule else {
            throw LawfitError.input("law '\(law)' needs a learning-rate schedule for run '\(run.name)'")
        }
        var steps: [Int] = []
        for observation in run.observations {
            let step = observation.step ?? -1
            guard step >= 0, step <= schedule.totalSteps else {
                throw LawfitError.input(
                    "law '\(law)': step \(step) of run '\(run.name)' is outside its schedule (0...\(schedule.totalSteps))",
                    at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step"))
            }
            steps.append(step)
        }
        return (schedule, steps)
    }
}
