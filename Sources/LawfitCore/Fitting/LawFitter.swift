import Foundation
import Optimization

/// Fits a law to runs by multi-start NLopt minimisation of a summed residual objective.
///
/// Every start runs the chosen NLopt algorithm from one point of the start plan, in parallel and
/// deterministically (``MultiStart``); the best objective wins, ties going to the earlier start.
/// The result reports convergence per start, how many starts reached the best basin, and warnings
/// for parameters at a bound (and one more when every parameter is: ``FitResult/everyParameterAtBound(in:)``)
/// and for flat directions of the objective (a near-singular Gauss-Newton curvature scaled by its
/// diagonal, ``ObjectiveHessian/scaledEigen(_:)``).
public struct LawFitter: Sendable {
    public var law: any ScalingLaw
    public var options: FitOptions

    public init(law: any ScalingLaw, options: FitOptions = FitOptions()) {
        self.law = law
        self.options = options
    }

    /// Fits the law to every observation of `runs` (each must have a loss).
    public func fit(_ runs: [Run]) async throws -> FitResult {
        try await fitKeepingObjective(runs).fit
    }

    /// The fit of `runs` and the objective it minimised (the law's evaluator bound to the runs), so
    /// that statistics at the optimum (``FitStatistics/init(objective:fit:confidence:)``) reuse the
    /// evaluator instead of building a second one: on a long log, that is the largest thing a fit holds.
    public func fitKeepingObjective(_ runs: [Run]) async throws -> (fit: FitResult, objective: BoundObjective) {
        // The law's evaluator validates the runs it is bound to (``ScalingLaw/makeEvaluator(for:)``),
        // so a fit validates its data once. Only a staged fit checks all of it first: its first
        // evaluator sees the subsample, and a bad point outside it would be named after that stage.
        if options.subsample != nil { try law.validate(runs) }
        let space = law.parameterSpace(adaptedTo: runs)
        // A staged fit runs its subsample first: its evaluator is gone before the full one is built,
        // so that a long log never holds both.
        var subsample: (fit: FitResult, summary: SubsampleSummary, clock: ContinuousClock.Instant)?
        if let stride = options.subsample?.stride(points: runs.reduce(0) { $0 + $1.observations.count }) {
            subsample = try await fitSubsample(runs, space: space, stride: stride)
        }
        var objective = try objective(runs, space: space, weights: options.weights)
        objective.threads = options.workers
        var result: FitResult
        if let subsample {
            result = try await refine(subsample.fit, on: objective, clock: subsample.clock)
            result.subsample = subsample.summary
        } else {
            result = try await fit(objective)
        }
        if let caveats = law as? any FitCaveatLaw { result.warnings += caveats.fitWarnings(parameters: result.values, runs: runs) }
        return (result, objective)
    }

    /// Fits the law to a training log.
    public func fit(_ log: TrainingLog) async throws -> FitResult {
        try await fit(log.runs)
    }

    /// The law's objective over every point of `runs` (each must have a loss), in `space`.
    private func objective(_ runs: [Run], space: ParameterSpace, weights: [Double]?) throws -> BoundObjective {
        try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: space, observed: try TrainingLog(runs: runs).requireLosses(),
            weights: weights, spec: options.objective, locations: PointLocations(runs: runs))
    }

    /// The first stage of ``SubsampleStage``: every start on every `stride`-th point of each run (and
    /// its last), in `space` (the parameter space adapted to all of `runs`), with the clock of the
    /// whole fit started.
    private func fitSubsample(
        _ runs: [Run], space: ParameterSpace, stride: Int
    ) async throws -> (fit: FitResult, summary: SubsampleSummary, clock: ContinuousClock.Instant) {
        let clock = ContinuousClock.now
        let (thinnedRuns, thinnedWeights) = SubsampleStage.thin(runs, stride: stride, weights: options.weights)
        let subsample = try objective(thinnedRuns, space: space, weights: thinnedWeights)
        // One progress count over both stages: the subsample's starts, then the refinement as the
        // last (its best is the first objective over every point, so none is shown before it).
        var subsampleOptions = options
        subsampleOptions.subsample = nil
        subsampleOptions.diagnostics = false
        subsampleOptions.weights = thinnedWeights
        subsampleOptions.progress = options.progress.map { report in
            { @Sendable (progress: StartProgress) in report(StartProgress(done: progress.done, total: progress.total + 1)) }
        }
        let fit = try await LawFitter(law: law, options: subsampleOptions).fit(subsample)
        return (fit, SubsampleSummary(points: subsample.observed.count, stride: stride, evaluations: fit.evaluations), clock)
    }

    /// The second stage of ``SubsampleStage``: the subsample's best values refined on all of
    /// `objective`'s points. The result's starts are the subsample's; its values, objective and
    /// evaluations the refinement's; its seconds count both stages from `clock`.
    private func refine(_ subsample: FitResult, on objective: BoundObjective, clock: ContinuousClock.Instant) async throws -> FitResult {
        var refineOptions = options
        refineOptions.starts = .points([subsample.values])
        refineOptions.progress = options.progress.map { report in
            let before = subsample.starts.count
            return { @Sendable (progress: StartProgress) in
                report(StartProgress(done: before + progress.done, total: before + progress.total, best: progress.best))
            }
        }
        var result = try await LawFitter(law: law, options: refineOptions).fit(objective, refining: true)
        result.starts = subsample.starts
        result.startsInBestBasin = subsample.startsInBestBasin
        if let failed = Self.failedStartsWarning(subsample.starts) { result.warnings.append(failed) }
        result.seconds = Self.seconds(since: clock)
        return result
    }

    /// Minimises a bound objective from the start plan.
    public func fit(_ objective: BoundObjective) async throws -> FitResult {
        try await fit(objective, refining: false)
    }

    /// Minimises a bound objective from the start plan. `refining` (the start plan is a minimum of a
    /// subsample of the points, ``SubsampleStage``): Levenberg-Marquardt's first damping is
    /// ``LevenbergMarquardt/warmStart``, and the linear parameters are not solved for again (they
    /// are already optimal there; solving them on all points measured 2 evaluations more on a
    /// 1e6-point multi-power fit, Docs/Fitting.md).
    private func fit(_ objective: BoundObjective, refining: Bool) async throws -> FitResult {
        let clock = ContinuousClock.now
        let space = objective.space
        guard objective.observed.count >= space.count else {
            throw LawfitError.input(
                "law '\(law.name)' has \(space.count) parameters but only \(objective.observed.count) points to fit; a fit needs at least as many points as parameters")
        }
        let (lower, upper) = internalBounds(space)
        let levenbergMarquardt = options.localMethod.usesLevenbergMarquardt(for: law)
        var naturalStarts = try options.starts.points(for: space)
        if levenbergMarquardt, !refining, let partial = law as? any PartiallyLinearLaw {
            naturalStarts = StagedStart.solveLinear(naturalStarts, law: partial, objective: objective)
            // Grid points that differ only in linear parameters now coincide: run each once.
            var seen = Set<[Double]>()
            naturalStarts = naturalStarts.filter { seen.insert($0).inserted }
        }
        let starts = naturalStarts.map { point in
            zip(space.toInternal(point), zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
        }
        guard !starts.isEmpty else { throw LawfitError.input("no start points for law '\(law.name)'") }
        var minimizer = Minimizer(
            algorithm: options.algorithm, lowerBounds: lower, upperBounds: upper,
            stopping: options.stopping, polish: options.polish, levenbergMarquardt: levenbergMarquardt)
        minimizer.initialDamping = refining ? LevenbergMarquardt.warmStart : LevenbergMarquardt.coldStart
        if !levenbergMarquardt, options.algorithm.isGlobal, lower.contains(where: { !$0.isFinite }) || upper.contains(where: { !$0.isFinite }) {
            let open = space.parameters.indices.filter { !lower[$0].isFinite || !upper[$0].isFinite }.map { space.names[$0] }
            throw LawfitError.input(
                "\(options.algorithm.name) is a global algorithm and needs finite bounds; law '\(law.name)' leaves \(open.joined(separator: ", ")) unbounded")
        }
        // Workers left idle by fewer starts fill the starts' prediction blocks (same bits whatever the count).
        let threads = max(1, options.workers / starts.count)
        let outcomes = await MultiStart(minimizer: minimizer, workers: options.workers, seed: options.seed)
            .run(starts: starts, makeModelObjective: { objective.makeModelObjective(threads: threads) }, progress: options.progress)
        guard let (_, best) = MultiStart.best(of: outcomes) else {
            let reasons = Set(outcomes.compactMap { outcome -> String? in
                if case .failure(let error) = outcome.result { return Self.reason(error) }
                return nil
            }).sorted()
            throw LawfitError.fit("every one of \(outcomes.count) starts of law '\(law.name)' failed: \(reasons.prefix(3).joined(separator: "; "))")
        }
        try objective.requireLogDomain(atInternal: best.x)
        let summaries = outcomes.map(Self.summary)
        let tolerance = 1e-6 * abs(best.value) + 1e-15
        let inBasin = summaries.filter { ($0.objective.map { abs($0 - best.value) <= tolerance }) ?? false }.count
        var warnings = best.warnings
        let contacts = BoundContact.contacts(atInternal: best.x, in: space)
        warnings += contacts.map(\.description)
        let everyBound = FitResult.everyParameterAtBound(contacts, in: space)
        if let everyBound { warnings.append(FitResult.everyBoundMessage(law: law.name, everyBound)) }
        let values = space.toNatural(best.x)
        var hessian: [[Double]]?
        if options.diagnostics {
            // At the reported values' coordinates (best.x up to the transforms' round trip), where
            // Laplace intervals want the same curvature.
            hessian = try? ObjectiveHessian.gaussNewton(objective, at: space.toInternal(values))
            warnings += hessian.map { Self.flatDirectionWarnings($0, names: space.names) } ?? ["the Hessian at the optimum could not be computed"]
        }
        if let failed = Self.failedStartsWarning(summaries) { warnings.append(failed) }
        return FitResult(
            law: law.name, parameterNames: space.names, values: values, objective: best.value,
            converged: best.status.converged, objectiveSpec: objective.spec, algorithm: minimizer.description,
            points: objective.observed.count, starts: summaries, startsInBestBasin: inBasin,
            evaluations: summaries.reduce(0) { $0 + $1.evaluations },
            seconds: Self.seconds(since: clock), warnings: warnings, hessian: hessian, everyBoundContacts: everyBound)
    }

    /// Bounds in the optimiser's coordinates.
    func internalBounds(_ space: ParameterSpace) -> ([Double], [Double]) {
        (space.parameters.map(\.internalBounds.lower), space.parameters.map(\.internalBounds.upper))
    }

    /// Warnings for near-zero eigenvalues of an objective's Gauss-Newton curvature
    /// (``ObjectiveHessian/gaussNewton(_:at:)``) scaled by its diagonal (parameters named `names`):
    /// eigenvalues at most 1e-10 of the largest. The scaling makes the test blind to the parameters'
    /// units (unscaled, a parameter whose curvature is tiny beside another's, or finite-difference
    /// error in the large entries, reads as flat); the combination printed is in scaled coordinates.
    static func flatDirectionWarnings(_ curvature: [[Double]], names: [String]) -> [String] {
        let eigen = ObjectiveHessian.scaledEigen(curvature).eigen
        guard let largest = eigen.values.last, largest > 0 else {
            return ["the objective is flat at the optimum (Hessian without positive curvature)"]
        }
        var warnings: [String] = []
        for (value, vector) in zip(eigen.values, eigen.vectors) where value <= 1e-10 * largest {
            let involved = vector.indices.filter { abs(vector[$0]) >= 0.3 }
                .map { "\(names[$0]) (\(String(format: "%+.2f", vector[$0])))" }
            warnings.append(
                "flat direction: the data barely constrain the combination \(involved.joined(separator: ", ")) (scaled Gauss-Newton eigenvalue ratio \(String(format: "%.1e", value / largest)))")
        }
        return warnings
    }

    /// "3 of 8 starts failed (see starts)", or nil when none did.
    private static func failedStartsWarning(_ summaries: [StartSummary]) -> String? {
        let failed = summaries.filter { $0.objective == nil }.count
        return failed > 0 ? "\(failed) of \(summaries.count) starts failed (see starts)" : nil
    }

    private static func summary(_ outcome: StartOutcome) -> StartSummary {
        switch outcome.result {
        case .success(let r):
            StartSummary(index: outcome.index, objective: r.value, status: r.status.rawValue, evaluations: r.evaluations)
        case .failure(let error):
            StartSummary(index: outcome.index, objective: nil, status: "failed: \(reason(error))", evaluations: 0)
        }
    }

    private static func reason(_ error: OptimizationError) -> String {
        if case .objectiveFailed(let underlying, _, _) = error { return "\(underlying)" }
        return error.description
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
