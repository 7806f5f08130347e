import Foundation

/// What every bootstrap refit of one fit shares, bound once: the law's evaluators, the observed
/// losses, and the coordinates the refits search in. ``objective(weights:)`` gives one resample's
/// objective, sum_i w_i rho(r_i) with w_i the point's multiplicity.
///
/// Two things make a refit cheap without moving its optimum (Docs/Fitting.md has the measurements):
/// - **Distinct runs only.** A run-level resample is a multiset of runs; about a third of the runs
///   are left out of each (1 - (1 - 1/R)^R of R runs are drawn at least once). Its objective is
///   evaluated on the runs it holds, each through the evaluator bound to that run here, weighted by
///   multiplicity: the same sum as zero weights on the others, without evaluating them.
/// - **Log coordinates for positive parameters** (Levenberg-Marquardt fits only). A parameter with a
///   positive lower bound that the law searches as itself (multi-power's beta, fsl's s and gamma) is
///   searched as its logarithm, inside the same bounds. Resamples whose optimum lies where an
///   amplitude grows as an exponent shrinks (multi-power: B beta nearly constant as beta -> 0) then
///   move along a straight valley instead of a curved one: on the nine multipower-400m curves such a
///   refit took 133 evaluations instead of 484, to the same objective (1e-13 relative).
struct ResampleData: Sendable {
    /// The law's parameter space for the runs (its start ranges give the Halton starts).
    let lawSpace: ParameterSpace
    /// The space the refits search: `lawSpace` with ``logCoordinates`` log-transformed.
    let space: ParameterSpace
    /// Names of the parameters the refits search in log coordinates (empty: the law's own).
    let logCoordinates: [String]
    let observed: [Double]
    let baseWeights: [Double]?
    let runSizes: [Int]
    /// One evaluator per run (run-level resamples of laws without a log-loss fast path), else empty.
    let runEvaluators: [any LawEvaluator]
    /// The evaluator of every run together (nil when `runEvaluators` serve every resample).
    let evaluator: (any LawEvaluator)?
    let spec: ObjectiveSpec

    init(law: any ScalingLaw, runs: [Run], unit: BootstrapUnit, fitOptions: FitOptions) throws {
        lawSpace = law.parameterSpace(adaptedTo: runs)
        var space = lawSpace
        observed = try TrainingLog(runs: runs).requireLosses()
        baseWeights = fitOptions.weights
        runSizes = runs.map(\.observations.count)
        spec = fitOptions.objective
        let perRun = unit == .runs ? try runs.map { try law.makeEvaluator(for: [$0]) } : []
        let fastPath = perRun.contains { $0 is any LogLossEvaluator }
        runEvaluators = fastPath ? [] : perRun
        evaluator = runEvaluators.isEmpty ? try law.makeEvaluator(for: runs) : nil
        var logNames: [String] = []
        if fitOptions.localMethod.usesLevenbergMarquardt(for: law), !fastPath, !(evaluator is any LogLossEvaluator) {
            for j in space.parameters.indices where space.parameters[j].transform == .identity && space.parameters[j].lowerBound > 0 {
                space.parameters[j].transform = .log
                logNames.append(space.parameters[j].name)
            }
        }
        self.space = space
        logCoordinates = logNames
    }

    /// The objective of a resample with multiplicity `weights[i]` on point i (times the fit's own
    /// weights): over the runs the resample holds when per-run evaluators are bound and those runs
    /// have at least as many points as the law has parameters, else over every point.
    func objective(weights draw: [Double]) throws -> BoundObjective {
        var weights = draw
        if let baseWeights { for i in weights.indices { weights[i] *= baseWeights[i] } }
        if !runEvaluators.isEmpty {
            var offsets: [Int] = [], offset = 0
            for size in runSizes { offsets.append(offset); offset += size }
            let held = runSizes.indices.filter { r in draw[offsets[r]..<(offsets[r] + runSizes[r])].contains { $0 > 0 } }
            let points = held.reduce(0) { $0 + runSizes[$1] }
            if points >= space.count {
                let ranges = held.map { offsets[$0]..<(offsets[$0] + runSizes[$0]) }
                return try BoundObjective(
                    evaluator: ConcatenatedEvaluator(held.map { runEvaluators[$0] }), space: space,
                    observed: ranges.flatMap { observed[$0] }, weights: ranges.flatMap { weights[$0] }, spec: spec)
            }
        }
        let all: any LawEvaluator = evaluator ?? ConcatenatedEvaluator(runEvaluators)
        return try BoundObjective(evaluator: all, space: space, observed: observed, weights: weights, spec: spec)
    }
}
