import Foundation

/// Progress of a model selection, for displays on stderr.
public struct SelectionProgress: Sendable {
    public enum Stage: String, Sendable {
        /// A multi-start fit (counts starts), a bootstrap (resamples), a schedule search (evaluations
        /// of candidate schedules; `best` is the lowest predicted final loss), a skipped or failed law.
        case fit, bootstrap, search, skipped, failed
    }

    public var law: String
    public var stage: Stage
    /// What is being done (`fold 2/5`, a skip reason, ...).
    public var detail: String
    public var done: Int
    public var total: Int
    /// The best objective of the starts finished so far (fits only).
    public var best: Double? = nil

    public init(law: String, stage: Stage, detail: String, done: Int, total: Int, best: Double? = nil) {
        self.law = law
        self.stage = stage
        self.detail = detail
        self.done = done
        self.total = total
        self.best = best
    }
}

/// Fits competing laws to the same data and ranks them by how well they predict held-out points.
///
/// For each requested law: skip it (with the reason) when the data lack an input it needs; fit it to
/// every fold's training points; predict the held-out points; compute training and held-out errors,
/// in-sample criteria, bootstrap and Laplace intervals; flag failed or unconverged fits, parameters at
/// bounds and flat directions. Laws are ranked by the held-out ``HeldOutMetric`` (by AIC when nothing
/// is held out), and the gap between the top two is tested by a paired bootstrap of the held-out
/// points (``Significance``).
///
/// For a hold-out split the reported fit is the fit to its training points; for cross-validation the
/// reported fit (parameters, intervals, criteria, plots) is a fit to all points, and held-out errors
/// pool each point's out-of-fold prediction.
public struct ModelSelection: Sendable {
    public var laws: [any ScalingLaw]
    /// nil: ``SplitStrategy/defaultStrategy(for:)``.
    public var split: SplitStrategy?
    public var fitOptions: FitOptions
    public var metric: HeldOutMetric
    /// nil: no bootstrap.
    public var bootstrap: BootstrapOptions?
    public var laplace: Bool
    /// Resamples of the held-out points for the significance test.
    public var significanceResamples: Int
    public var confidence: Double
    public var progress: (@Sendable (SelectionProgress) -> Void)?
    /// Which held-out points are scored (`--score-where`); nil: all. Held-out points it rejects are
    /// neither fitted nor scored.
    public var scoreFilter: PointFilter?

    public init(
        laws: [any ScalingLaw], split: SplitStrategy? = nil, fitOptions: FitOptions = FitOptions(),
        metric: HeldOutMetric = .logRMSE, bootstrap: BootstrapOptions? = nil, laplace: Bool = true,
        significanceResamples: Int = 2000, confidence: Double = 0.95,
        progress: (@Sendable (SelectionProgress) -> Void)? = nil
    ) {
        self.laws = laws
        self.split = split
        self.fitOptions = fitOptions
        self.metric = metric
        self.bootstrap = bootstrap
        self.laplace = laplace
        self.significanceResamples = significanceResamples
        self.confidence = confidence
        self.progress = progress
    }

    /// Runs the selection on `runs`. - Throws: ``LawfitError`` for bad input (duplicate law names,
    /// a split the data cannot support); a law's failure is reported in the result, not thrown.
    public func run(_ runs: [Run]) async throws -> SelectionReport {
        guard !laws.isEmpty else { throw LawfitError.input("no laws to compare") }
        let names = laws.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw LawfitError.input("law '\(duplicate)' is requested twice")
        }
        _ = try TrainingLog(runs: runs).requireLosses()
        var split = try (self.split ?? SplitStrategy.defaultStrategy(for: runs)).split(runs)
        if let scoreFilter {
            split.folds = split.folds.map { SplitFold(train: $0.train, test: $0.test.filter { scoreFilter.keeps(runs[$0.run].observations[$0.index]) }) }
            split.description += "; scored where \(scoreFilter)"
        }
        let axis = PlotGeometry.axis(for: runs)
        let warmup = axis == .step ? WarmupPoints(runs: runs) : nil
        var evaluations: [LawEvaluation] = []
        for law in laws {
            let missing = law.missingInputs(in: runs)
            if !missing.isEmpty {
                let reason = "the data lack \(missing.sorted().map(\.rawValue).joined(separator: ", ")), which the law needs"
                progress?(SelectionProgress(law: law.name, stage: .skipped, detail: reason, done: 0, total: 0))
                var skipped = LawEvaluation(law: law, status: .skipped, reason: reason)
                skipped.failure = "input"
                evaluations.append(skipped)
                continue
            }
            do {
                evaluations.append(try await evaluate(law, runs: runs, split: split, axis: axis, warmup: warmup))
            } catch let error as LawfitError {
                progress?(SelectionProgress(law: law.name, stage: .failed, detail: error.message, done: 0, total: 0))
                var failed = LawEvaluation(law: law, status: .failed, reason: error.description)
                failed.failure = error.kind == .input ? "input" : "fit"
                failed.flags = ["fit failed: \(error.message)"]
                evaluations.append(failed)
            }
        }
        return try rank(evaluations, runs: runs, split: split, axis: axis)
    }

    /// Fits one law on every fold and, for cross-validation, on all points.
    ///
    /// `warmup`: the runs' warmup points (``WarmupPoints/init(runs:)``) for loss curves, found once
    /// for every law.
    func evaluate(_ law: any ScalingLaw, runs: [Run], split: DataSplit, axis: PlotAxis, warmup: WarmupPoints?) async throws -> LawEvaluation {
        var heldOut: [PointID: Double] = [:]
        var foldFits: [FitResult] = []
        for (f, fold) in split.folds.enumerated() {
            let fit = try await fitLaw(law, runs.subset(fold.train), detail: "fold \(f + 1)/\(split.folds.count)")
            foldFits.append(fit)
            if !fold.test.isEmpty {
                let predictions = try law.makeEvaluator(for: runs.subset(fold.test)).predict(fit.values)
                for (point, value) in zip(fold.test, predictions) { heldOut[point] = value }
            }
        }
        let reportedTrain = split.isCrossValidation ? runs.allPoints : split.folds[0].train
        let fit = split.isCrossValidation
            ? try await fitLaw(law, runs, detail: "all points") : foldFits[0]
        let trainRuns = runs.subset(reportedTrain)
        var evaluation = LawEvaluation(law: law, status: .ranked)
        evaluation.fit = FitSummary(fit)
        evaluation.evaluations = foldFits.reduce(0) { $0 + $1.evaluations } + (split.isCrossValidation ? fit.evaluations : 0)
        let space = law.parameterSpace(adaptedTo: trainRuns)
        evaluation.boundContacts = fit.boundContacts(in: space)
        evaluation.flags = SelectionFlags.fitFlags(fit, space: space) + (split.isCrossValidation ? foldFits.enumerated().flatMap { f, r in
            r.converged ? [] : ["fold \(f + 1): the fit did not converge"]
        } : [])

        let all = runs.allPoints
        let allPredictions = try law.makeEvaluator(for: runs).predict(fit.values)
        let observed = try TrainingLog(runs: runs).requireLosses()
        let trainSet = Set(reportedTrain)
        let trainIndices = all.indices.filter { trainSet.contains(all[$0]) }
        evaluation.train = try PredictionMetrics(
            predicted: trainIndices.map { allPredictions[$0] }, observed: trainIndices.map { observed[$0] })
        // Each point's out-of-fold prediction (nil: not held out), looked up once.
        let heldOutAt = all.map { heldOut[$0] }
        let testIndices = all.indices.filter { heldOutAt[$0] != nil }
        if !testIndices.isEmpty {
            evaluation.test = try PredictionMetrics(
                predicted: testIndices.map { heldOutAt[$0]! }, observed: testIndices.map { observed[$0] })
        }
        if var warmup {
            // Only fitted points are recorded: the sentence counts fitted warmup points.
            for i in trainIndices { warmup.add(index: i, relativeError: abs(allPredictions[i] - observed[i]) / observed[i]) }
            if let sentence = warmup.warning(fitted: trainIndices.count) {
                evaluation.flags.append(sentence.prefix(1).uppercased() + sentence.dropFirst() + ".")
            }
        }
        let residuals = try trainIndices.map { try fitOptions.objective.residual(predicted: allPredictions[$0], observed: observed[$0]) }
        evaluation.criteria = try InSampleCriteria(residuals: residuals, lawParameters: law.parameterSpace.count, loss: fitOptions.objective.loss)

        let listed = ReportedPoints.select(runSizes: runs.map(\.observations.count)) { heldOutAt[$0] != nil }
        let thinned = listed.count < all.count
        let listedRuns = thinned ? runs.subset(listed.map { all[$0] }) : runs
        // Loss curves are drawn through the run's own (listed) steps; other axes through a grid.
        let curveRuns = PlotGeometry.curveRuns(for: axis == .step ? listedRuns : runs, axis: axis)
            .filter { law.missingInputs(in: $0.runs).isEmpty }
        if laplace {
            do {
                let objective = try BoundObjective(
                    evaluator: try law.makeEvaluator(for: trainRuns), space: space,
                    observed: try TrainingLog(runs: trainRuns).requireLosses(), weights: fitOptions.weights, spec: fitOptions.objective)
                let (clipped, clipFlags) = SelectionFlags.clipLaplace(
                    try LaplaceIntervals(objective: objective, values: fit.values, confidence: confidence).parameters, space: space)
                evaluation.laplace = clipped
                evaluation.flags += clipFlags
                if axis == .step {
                    var correlation = ResidualAutocorrelation()
                    for (k, i) in trainIndices.enumerated() {
                        correlation.add(residuals[k], sameRun: k > 0 && all[trainIndices[k - 1]].run == all[i].run)
                    }
                    if let flag = SelectionFlags.correlatedResiduals(correlation, points: residuals.count, bootstrap: bootstrap != nil) {
                        evaluation.flags.append(flag)
                    }
                }
            } catch let error as LawfitError {
                evaluation.laplaceError = error.message
            }
        }
        var pointIntervals: [Interval] = []
        var curveIntervals: [Interval] = []
        if var options = bootstrap {
            options.confidence = confidence
            options.progress = progressCallback(law: law.name, stage: .bootstrap, detail: "resamples")
            // Levenberg-Marquardt from the full fit's optimum reaches a resample's optimum (the same
            // as a cold multi-start fit's, Docs/Fitting.md); extra Halton starts would multiply the cost.
            if fitOptions.localMethod.usesLevenbergMarquardt(for: law) { options.extraStarts = 0 }
            let result = try await Bootstrap.run(
                law: law, runs: trainRuns, full: fit, fitOptions: fitOptions, options: options,
                predictAt: listedRuns + curveRuns.flatMap(\.runs))
            evaluation.evaluations += result.evaluations
            pointIntervals = Array(result.predictions.prefix(listed.count))
            curveIntervals = Array(result.predictions.dropFirst(listed.count))
            var encoded = result
            encoded.predictions = []
            evaluation.bootstrap = encoded
            evaluation.flags += SelectionFlags.bootstrapFlags(
                result, runs: trainRuns.count, resolution: SelectionFlags.parameterResolution(ftolRel: fitOptions.stopping.ftolRel))
        }
        let series = PlotGeometry.seriesLabels(for: runs, axis: axis)
        func prediction(_ i: Int, interval: Interval?) -> PointPrediction {
            PointPrediction(
                run: all[i].run, index: all[i].index,
                x: PlotGeometry.x(runs[all[i].run].observations[all[i].index], axis: axis) ?? .nan,
                observed: observed[i], predicted: allPredictions[i], heldOut: heldOutAt[i] != nil,
                heldOutPrediction: heldOutAt[i], lower: interval?.lower, upper: interval?.upper, series: series[i])
        }
        evaluation.points = listed.enumerated().map { k, i in prediction(i, interval: pointIntervals.isEmpty ? nil : pointIntervals[k]) }
        if thinned { evaluation.unlistedHeldOut = testIndices.map { prediction($0, interval: nil) } }
        var offset = 0
        for series in curveRuns {
            let evaluator = try law.makeEvaluator(for: series.runs)
            let y = evaluator.predict(fit.values)
            let band = curveIntervals.isEmpty ? nil : Array(curveIntervals[offset..<(offset + y.count)])
            offset += y.count
            guard y.allSatisfy({ $0.isFinite && $0 > 0 }) else { continue }
            evaluation.curves.append(Curve(label: series.label, x: series.x, y: y, lower: band?.map(\.lower), upper: band?.map(\.upper)))
        }
        if axis == .compute, let optimal = law.computeOptimal {
            do {
                evaluation.curves.append(try PlotGeometry.computeOptimalCurve(optimal, parameters: fit.values, runs: runs))
            } catch let error as LawfitError {
                evaluation.flags.append("compute-optimal curve unavailable: \(error.message)")
            }
        }
        return evaluation
    }

    func fitLaw(_ law: any ScalingLaw, _ runs: [Run], detail: String) async throws -> FitResult {
        var options = fitOptions
        if options.weights != nil {
            throw LawfitError.input("per-point weights are not supported in model selection (the splits change the points)")
        }
        if let report = progress {
            let name = law.name
            options.progress = { @Sendable p in
                report(SelectionProgress(law: name, stage: .fit, detail: detail, done: p.done, total: p.total, best: p.best))
            }
        }
        let starts = (try? options.starts.points(for: law.parameterSpace(adaptedTo: runs)).count) ?? 0
        options.progress?(StartProgress(done: 0, total: starts))
        return try await LawFitter(law: law, options: options).fit(runs)
    }

    func progressCallback(law: String, stage: SelectionProgress.Stage, detail: String) -> (@Sendable (Int, Int) -> Void)? {
        guard let report = progress else { return nil }
        return { @Sendable done, total in
            report(SelectionProgress(law: law, stage: stage, detail: detail, done: done, total: total))
        }
    }

    /// Orders ranked laws by score, then failed, then skipped; tests the top two.
    func rank(_ evaluations: [LawEvaluation], runs: [Run], split: DataSplit, axis: PlotAxis) throws -> SelectionReport {
        let useHeldOut = split.hasTestPoints
        let rankedBy = useHeldOut ? metric.rawValue : "aic"
        var scored = evaluations.filter { $0.status == .ranked }
        for i in scored.indices {
            scored[i].score = useHeldOut ? scored[i].test?.value(of: metric) : scored[i].criteria?.aic
        }
        scored.sort { ($0.score ?? .infinity, $0.law) < ($1.score ?? .infinity, $1.law) }
        for i in scored.indices { scored[i].rank = i + 1 }
        var warnings: [String] = []
        if useHeldOut, let disagreement = SelectionFlags.criteriaDisagreement(scored, metric: rankedBy) { warnings.append(disagreement) }
        for collapse in SelectionFlags.collapses(scored) {
            warnings.append(collapse.sentence)
            for i in scored.indices where scored[i].law == collapse.first || scored[i].law == collapse.second {
                scored[i].flags.append(collapse.sentence)
            }
        }
        let rest = evaluations.filter { $0.status == .failed } + evaluations.filter { $0.status == .skipped }
        let significance = scored.count >= 2 ? try significanceTest(scored[0], scored[1], useHeldOut: useHeldOut, curves: axis == .step) : nil
        let verdict: String
        switch (scored.first, significance) {
        case (nil, _): verdict = "No law could be fitted to these data."
        case (let best?, nil): verdict = "Only \(best.law) could be fitted; there is nothing to compare it with."
        case (let best?, let s?):
            verdict = s.significant
                ? "\(best.law) ranks first by \(rankedBy); \(s.statement)"
                : "\(best.law) ranks first by \(rankedBy), but the ranking is not significant: \(s.statement)"
        }
        let observations = runs.flatMap(\.observations)
        // Every law lists the same points (the thinning depends only on the split).
        let listing = evaluations.first { !$0.points.isEmpty }?.points ?? []
        var listedCounts = [Int?](repeating: listing.isEmpty ? nil : 0, count: runs.count)
        for point in listing { listedCounts[point.run]! += 1 }
        var inputs = LawInput.allCases.filter { input in
            input != .schedule && observations.allSatisfy { $0.value(of: input) != nil }
        }
        if runs.allSatisfy({ $0.schedule != nil }) { inputs.append(.schedule) }
        let spec = fitOptions.objective
        var report = SelectionReport(
            data: DataSummary(
                runs: runs.indices.map { r in
                    DataSummary.RunSummary(
                        name: runs[r].name, points: runs[r].observations.count, source: runs[r].source,
                        listed: listedCounts[r].flatMap { $0 < runs[r].observations.count ? $0 : nil })
                },
                points: observations.count, inputs: inputs),
            split: split, objective: "\(spec.loss) on \(spec.space) residuals", rankedBy: rankedBy,
            seed: fitOptions.seed, laws: scored + rest, significance: significance, verdict: verdict, plotAxis: axis)
        report.warnings = warnings
        report.schedules = PlotGeometry.scheduleCurves(for: runs)
        return report
    }

    /// Paired bootstrap of the held-out error difference (or the AIC gap without held-out points).
    ///
    /// For loss curves (`curves`) the held-out points of one run are strongly correlated, so the draw
    /// resamples whole held-out runs when there are enough of them for the confidence level
    /// (``minimumRunsForRunLevelTest(confidence:)``), and moving blocks within each held-out run
    /// (``BootstrapUnit/blocks``) when there are fewer; (N, D) data resample points.
    func significanceTest(_ best: LawEvaluation, _ second: LawEvaluation, useHeldOut: Bool, curves: Bool = false) throws -> Significance {
        guard useHeldOut else {
            let gap = (best.criteria?.aic ?? 0) - (second.criteria?.aic ?? 0)
            let significant = gap < -2
            return Significance(
                best: best.law, second: second.law, metric: "aic", difference: gap, lower: nil, upper: nil,
                resamples: 0, confidence: confidence, significant: significant,
                statement: significant
                    ? "\(best.law)'s AIC is lower than \(second.law)'s by \(Self.format(-gap)) (more than 2)."
                    : "\(best.law)'s AIC is within 2 of \(second.law)'s (gap \(Self.format(-gap))): not significant.")
        }
        let a = best.heldOutPoints, b = second.heldOutPoints
        let observed = a.map(\.observed)
        let pa = a.map { $0.heldOutPrediction! }, pb = b.map { $0.heldOutPrediction! }
        let difference = metric.evaluate(predicted: pa, observed: observed) - metric.evaluate(predicted: pb, observed: observed)
        let n = observed.count
        let resamples = max(significanceResamples, 2)
        var generator = SplitMix64(seed: SplitMix64.derive(fitOptions.seed, -1))
        var diffs: [Double] = []
        diffs.reserveCapacity(resamples)
        // Held-out points grouped by run, in point order (points of a run are contiguous).
        var runSizes: [Int] = []
        for (k, point) in a.enumerated() {
            if k > 0, a[k - 1].run == point.run { runSizes[runSizes.count - 1] += 1 } else { runSizes.append(1) }
        }
        let minimumRuns = Self.minimumRunsForRunLevelTest(confidence: confidence)
        let unit: BootstrapUnit = !curves ? .points : runSizes.count >= minimumRuns ? .runs : .blocks
        for _ in 0..<resamples {
            let draw: [Int]
            if unit == .points {
                draw = (0..<n).map { _ in Int(generator.next() % UInt64(n)) }
            } else {
                let weights = Bootstrap.draw(unit: unit, runSizes: runSizes, seed: generator.next())
                draw = weights.indices.flatMap { i in [Int](repeating: i, count: Int(weights[i])) }
            }
            let o = draw.map { observed[$0] }
            diffs.append(metric.evaluate(predicted: draw.map { pa[$0] }, observed: o) - metric.evaluate(predicted: draw.map { pb[$0] }, observed: o))
        }
        let interval = Quantile.percentileInterval(diffs, estimate: difference, confidence: confidence)
        let significant = !interval.contains(0)
        let range = "[\(Self.format(interval.lower)), \(Self.format(interval.upper))]"
        let resampled = switch unit {
        case .points: "held-out points"
        case .runs: "the \(runSizes.count) held-out runs"
        case .blocks where runSizes.count == 1: "blocks of the held-out run"
        case .blocks:
            "blocks within each of the \(runSizes.count) held-out runs; resampling whole runs needs at least \(minimumRuns) for a \(Self.format(confidence * 100)) % test"
        }
        let level = "\(Self.format(confidence * 100)) %"
        return Significance(
            best: best.law, second: second.law, metric: metric.rawValue, difference: difference,
            lower: interval.lower, upper: interval.upper, resamples: resamples, confidence: confidence,
            significant: significant,
            statement: significant
                ? "\(best.law) beats \(second.law) on held-out \(metric.rawValue) by \(Self.format(-difference)); the \(level) bootstrap interval of the difference (resampling \(resampled)), \(range), excludes 0 (significant)."
                : "the \(level) bootstrap interval of the held-out \(metric.rawValue) difference between \(best.law) and \(second.law) (resampling \(resampled)), \(range), contains 0 (not significant).")
    }

    /// The fewest held-out runs with which a paired test over whole runs can reach `confidence`.
    ///
    /// With n runs, the chance that all of them favour the same law when neither is better is
    /// 2 * 2^-n (a sign-flip randomisation test's smallest two-sided p-value), and a run-level
    /// bootstrap interval excludes 0 whenever they all agree. So n must satisfy 2^(1-n) <= 1 - confidence:
    /// 6 runs at 95 %, 8 at 99 %. With fewer, the significance test resamples blocks within each run.
    static func minimumRunsForRunLevelTest(confidence: Double) -> Int {
        Int((1 + Foundation.log2(1 / (1 - confidence))).rounded(.up))
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
