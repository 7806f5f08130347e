import Foundation

/// What `lawfit fit` reports beyond the best parameters, in the manner of lmfit's `fit_report`:
/// errors of the fit in loss units, standard errors of the parameters and their strong correlations.
///
/// Standard errors and correlations come from ``LaplaceIntervals`` (the inverse Hessian of the
/// objective at the optimum; lmfit uses the same least-squares covariance sigma^2 (J^T J)^-1). The
/// correlation of parameters j and k is Cov(u)_jk / sqrt(Cov(u)_jj Cov(u)_kk) in the optimiser's
/// coordinates u; the delta method's change to natural units multiplies row and column j by
/// dT_j/du_j > 0, which leaves correlations unchanged.
public struct FitStatistics: Sendable {
    /// Errors of the fitted predictions against the fitted losses (loss units and log-loss).
    public var metrics: PredictionMetrics
    /// Laplace intervals; nil when the Hessian is not positive definite (``laplaceError`` says why).
    public var laplace: LaplaceIntervals?
    public var laplaceError: String?
    /// The parameters whose best value sits on a finite end of their box.
    public var boundContacts: [BoundContact]
    /// The residuals' lag-1 autocorrelation within runs, for loss curves (nil for (N, D) data).
    public var residualCorrelation: ResidualAutocorrelation?

    /// Fitted points in a warmup, with the fit's largest relative errors there and elsewhere.
    public var warmupPoints: WarmupPoints?

    /// Problems with these statistics a reader must know: correlated residuals
    /// (``ResidualAutocorrelation/warning(points:)``), a fit that fails on its warmup points
    /// (``WarmupPoints/warning(fitted:)``).
    public var warnings: [String] {
        [residualCorrelation?.warning(points: metrics.count), warmupPoints?.warning(fitted: metrics.count)].compactMap { $0 }
    }

    /// The statistics of `fit`, a fit of `law` to `runs`, with an evaluator and objective of their
    /// own (the Hessian is computed again).
    public init(law: any ScalingLaw, fit: FitResult, runs: [Run], confidence: Double = 0.95) throws {
        let objective = try BoundObjective(
            evaluator: try law.makeEvaluator(for: runs), space: law.parameterSpace(adaptedTo: runs),
            observed: try TrainingLog(runs: runs).requireLosses(), spec: fit.objectiveSpec)
        var fresh = fit
        fresh.hessian = nil
        try self.init(
            objective: objective, fit: fresh, confidence: confidence, curveRunSizes: Self.curveRunSizes(runs), warmup: WarmupPoints(runs: runs))
    }

    /// The points per run when every point has a step (loss curves, whose neighbouring residuals can
    /// be correlated), else nil.
    public static func curveRunSizes(_ runs: [Run]) -> [Int]? {
        runs.allSatisfy { $0.observations.allSatisfy { $0.step != nil } } ? runs.map(\.observations.count) : nil
    }

    /// The statistics of `fit` on the objective it minimised (``LawFitter/fitKeepingObjective(_:)``):
    /// its evaluator predicts the points again, block by block (a long log's predictions are never
    /// held whole), and the fit's Hessian, when it has one, gives the Laplace intervals.
    /// `curveRunSizes` (``curveRunSizes(_:)``): the points of each run, in the objective's order, for
    /// the residuals' autocorrelation within runs; `warmup` (``WarmupPoints/init(runs:)``): the
    /// points logged during a warmup, in the same order.
    public init(
        objective: BoundObjective, fit: FitResult, confidence: Double = 0.95, curveRunSizes: [Int]? = nil, warmup: WarmupPoints? = nil
    ) throws {
        let curveRunSizes = curveRunSizes.flatMap { $0.reduce(0, +) == objective.observed.count ? $0 : nil }
        var warmup = warmup.flatMap { $0.indices.allSatisfy { $0 < objective.observed.count } ? $0 : nil }
        var sums = PredictionMetrics.Sums()
        var correlation = ResidualAutocorrelation()
        // The first point of each run, to tell a pair within a run from one across a boundary.
        var runStarts = Set<Int>()
        if let curveRunSizes {
            var start = 0
            for size in curveRunSizes { runStarts.insert(start); start += size }
        }
        try objective.evaluator.predictBlocks(fit.values, jacobian: false, threads: BlockThreads(objective.threads)) { block in
            for (k, i) in block.points.enumerated() {
                try sums.add(predicted: block.predictions[k], observed: objective.observed[i])
                if warmup != nil {
                    let observed = objective.observed[i]
                    warmup!.add(index: i, relativeError: abs(block.predictions[k] - observed) / observed)
                }
                if curveRunSizes != nil {
                    let residual = try objective.spec.residual(predicted: block.predictions[k], observed: objective.observed[i])
                    correlation.add(residual, sameRun: !runStarts.contains(i))
                }
            }
        }
        metrics = try PredictionMetrics(sums, observed: objective.observed)
        residualCorrelation = curveRunSizes == nil ? nil : correlation
        warmupPoints = warmup
        boundContacts = fit.boundContacts(in: objective.space)
        do {
            laplace = try LaplaceIntervals(objective: objective, values: fit.values, confidence: confidence, hessian: fit.hessian)
        } catch let error as LawfitError {
            laplace = nil
            laplaceError = error.message
        }
    }

    /// Pairs of parameters whose correlation exceeds `threshold` in absolute value, strongest first
    /// (ties in name order).
    public func correlations(above threshold: Double = 0.9, names: [String]) -> [(first: String, second: String, value: Double)] {
        guard let cov = laplace?.covariance else { return [] }
        var pairs: [(first: String, second: String, value: Double)] = []
        for j in names.indices {
            for k in names.indices where k > j {
                let denominator = (cov[j][j] * cov[k][k]).squareRoot()
                guard denominator > 0 else { continue }
                let r = cov[j][k] / denominator
                if abs(r) > threshold { pairs.append((names[j], names[k], r)) }
            }
        }
        return pairs.sorted { abs($0.value) > abs($1.value) }
    }
}

/// The readable text of a fit (`lawfit fit`, text format).
public enum FitReport {
    /// lmfit-style sections: [[Fit]], [[Fit Statistics]], [[Parameters]] with standard errors,
    /// [[Correlations]] above 0.9, [[Warnings]]. `timing` adds the `seconds` line.
    public static func render(_ fit: FitResult, statistics: FitStatistics?, timing: Bool) -> String {
        var lines = fit.summaryLines(timing: timing)
        if let m = statistics?.metrics {
            lines += [
                "[[Fit Statistics]]",
                "    RMSE (loss)          = \(number(m.rmse))",
                "    MAE (loss)           = \(number(m.mae))",
                "    mean relative error  = \(String(format: "%.4f", m.meanRelativeError * 100)) %",
                "    max relative error   = \(String(format: "%.4f", m.maxRelativeError * 100)) %",
                "    RMSE (log loss)      = \(number(m.logRMSE))",
            ]
            if let r2 = m.r2 { lines.append("    R^2                  = \(String(format: "%.6f", r2))") }
        }
        lines.append("[[Parameters]]")
        let width = fit.parameterNames.map(\.count).max() ?? 0
        let laplace = statistics?.laplace
        for (j, (name, value)) in zip(fit.parameterNames, fit.values).enumerated() {
            var line = "    \(name.padding(toLength: width, withPad: " ", startingAt: 0)) = \(number(value))"
            if let interval = laplace?.parameters[j].interval {
                let se = interval.standardError
                line += " +/- \(number(se))"
                if value != 0, se.isFinite { line += " (\(String(format: "%.2f", abs(se / value) * 100)) %)" }
                line += " [\(number(interval.lower)), \(number(interval.upper))]"
            }
            if let contact = statistics?.boundContacts.first(where: { $0.parameter == name }) {
                line += " (at its \(contact.side.rawValue) bound)"
            }
            lines.append(line)
        }
        if let laplace {
            lines.append("    (+/- standard error, [\(String(format: "%g", laplace.confidence * 100)) % Laplace interval] from the Gauss-Newton Hessian at the optimum)")
        } else if let reason = statistics?.laplaceError {
            lines.append("    (no standard errors: \(reason))")
        }
        if let statistics {
            let pairs = statistics.correlations(names: fit.parameterNames)
            if !pairs.isEmpty {
                lines.append("[[Correlations]] (|correlation| > 0.9)")
                let labels = pairs.map { "C(\($0.first), \($0.second))" }
                let labelWidth = labels.map(\.count).max() ?? 0
                for (label, pair) in zip(labels, pairs) {
                    lines.append("    \(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)) = \(String(format: "%+.4f", pair.value))")
                }
            }
        }
        let warnings = fit.warnings + (statistics?.warnings ?? [])
        if !warnings.isEmpty {
            lines.append("[[Warnings]]")
            lines += warnings.map { "    - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Seven significant digits, exponent form for very large or small magnitudes.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        if v != 0, abs(v) >= 1e6 || abs(v) < 1e-4 { return String(format: "%.6e", v) }
        return String(format: "%.7g", v)
    }
}
