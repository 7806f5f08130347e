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
/// - **Log coordinates for positive parameters and amplitudes** (Levenberg-Marquardt fits only). A
///   parameter that the law searches as itself is searched as its logarithm, inside the same bounds,
///   when its lower bound is positive (multi-power's alpha, fsl's s and gamma; multi-power's beta
///   is a log coordinate of the law itself, so every fit searches it so) or when it is an
///   amplitude: a linear parameter of a ``PartiallyLinearLaw`` with lower bound 0 that scales a
///   varying term (its Jacobian column is not constant at the full fit, unlike an offset such as L0)
///   and is positive at the full fit (fsl's c2, lr-annealing's C). Resamples whose optimum lies where
///   an amplitude grows as an exponent shrinks (multi-power: B beta nearly constant as beta -> 0;
///   fsl: c2 falling as c4 falls and gamma rises, with L0 at 0) then move along a straight valley
///   instead of a curved one: on the nine multipower-400m curves such a multi-power refit took 133
///   evaluations instead of 484, and an fsl refit 348 instead of more than the 5000 allowed, each to
///   an objective at least as low (Docs/Fitting.md).
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

    /// - Parameter full: the full fit's values (natural units, in the order of the law's space).
    init(law: any ScalingLaw, runs: [Run], unit: BootstrapUnit, fitOptions: FitOptions, full: [Double]) throws {
        lawSpace = law.parameterSpace(adaptedTo: runs)
        var space = lawSpace
        observed = try TrainingLog(runs: runs).requireLosses()
        baseWeights = fitOptions.weights
        runSizes = runs.map(\.observations.count)
        spec = fitOptions.objective
        let perRun = unit == .runs ? try runs.map { try law.makeEvaluator(for: [$0]) } : []
        let fastPath = perRun.contains { $0.logLossEvaluator != nil }
        runEvaluators = fastPath ? [] : perRun
        evaluator = runEvaluators.isEmpty ? try law.makeEvaluator(for: runs) : nil
        var logNames: [String] = []
        if fitOptions.localMethod.usesLevenbergMarquardt(for: law), !fastPath, evaluator?.logLossEvaluator == nil {
            let amplitudes = Self.amplitudes(of: law, in: space, at: full, evaluator: evaluator ?? ConcatenatedEvaluator(runEvaluators))
            for j in space.parameters.indices
            where space.parameters[j].transform == .identity && (space.parameters[j].lowerBound > 0 || amplitudes.contains(j)) {
                space.parameters[j].transform = .log
                logNames.append(space.parameters[j].name)
            }
        }
        self.space = space
        logCoordinates = logNames
    }

    /// Indices of the amplitudes of `law` at `full`: linear parameters (``PartiallyLinearLaw``) that
    /// the space holds as themselves with lower bound 0, positive at `full`, whose Jacobian column
    /// varies over the points (a constant column is an offset).
    private static func amplitudes(of law: any ScalingLaw, in space: ParameterSpace, at full: [Double], evaluator: any LawEvaluator) -> Set<Int> {
        guard let partial = law as? any PartiallyLinearLaw, full.count == space.count else { return [] }
        let candidates = partial.linearParameters.compactMap { space.names.firstIndex(of: $0) }.filter { j in
            space.parameters[j].transform == .identity && space.parameters[j].lowerBound == 0 && full[j] > 0
        }
        guard !candidates.isEmpty else { return [] }
        let p = space.count
        var low = [Double](repeating: .infinity, count: p), high = [Double](repeating: -.infinity, count: p)
        evaluator.predictBlocks(full, jacobian: true) { block in
            guard let jacobian = block.jacobian else { return }
            for row in 0..<block.points.count {
                for j in candidates {
                    low[j] = min(low[j], jacobian[row * p + j])
                    high[j] = max(high[j], jacobian[row * p + j])
                }
            }
        }
        return Set(candidates.filter { j in high[j] - low[j] > 1e-12 * max(abs(low[j]), abs(high[j])) })
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
