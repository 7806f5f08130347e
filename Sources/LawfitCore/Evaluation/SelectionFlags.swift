import Foundation

/// The sentences a model-selection report flags a law (or the whole comparison) with: each says
/// what was found, with the numbers, and what it means for the reader.
enum SelectionFlags {
    /// Relative agreement below which two laws' predictions count as the same curve.
    static let collapseTolerance = 1e-4

    /// An unconverged best start, parameters at bounds, flat directions, failed starts.
    static func fitFlags(_ fit: FitResult, space: ParameterSpace) -> [String] {
        var flags = fit.converged ? [] : ["The best start did not converge: its parameters may not be the optimum."]
        let contacts = fit.boundContacts(in: space)
        if let every = fit.everyParameterAtBound(in: space) {
            flags.append(FitResult.everyBoundMessage(law: fit.law, every))
        } else {
            flags += contacts.map(boundSentence)
        }
        flags += fit.warnings.filter { $0.contains("flat") || $0.contains("failed") || $0.contains("Hessian") }
        return flags
    }

    /// Laplace intervals over loss-curve points whose neighbouring residuals are correlated
    /// (``ResidualAutocorrelation``): they count the points as independent and are too narrow.
    static func correlatedResiduals(_ correlation: ResidualAutocorrelation, points: Int, bootstrap: Bool) -> String? {
        guard let finding = correlation.finding else { return nil }
        return "The Laplace intervals count the \(points) fitted points as independent, but \(finding.correlated): they understate the uncertainty"
            + (finding.understatement.map { " (\($0))" } ?? "")
            + (bootstrap ? "; the bootstrap intervals, which resample whole runs or blocks of points, account for it."
                : "; add --bootstrap 200 for intervals that resample whole runs or blocks of points.")
    }

    /// `Parameter alpha is at its upper bound 5.0: ...`.
    static func boundSentence(_ contact: BoundContact) -> String {
        let direction = contact.side == .upper ? "above" : "below"
        return "Parameter \(contact.parameter) is at its \(contact.side.rawValue) bound \(number(contact.bound)): the data pull it \(direction) its box, "
            + "so its value only says \(contact.side == .upper ? "'at least'" : "'at most'") \(number(contact.bound)) and its intervals are cut there."
    }

    /// How finely a fit resolves its parameters, relative to their values, when it stops at a relative
    /// objective change `ftolRel`: near a minimum the objective changes with the square of a step, so a
    /// parameter is resolved only to about sqrt(ftolRel) relative (Gill, Murray and Wright 1981,
    /// Practical Optimization, sec. 8.2.2), times 10 for parameters less well scaled than that rule
    /// assumes (measured: refits of two identical cosine runs land up to 8.4e-7 relative from the full
    /// fit for multi-power, 2.7e-9 for lr-annealing, seeds 1 to 7; the default ftolRel 1e-12 gives 1e-5).
    /// Never below 4 ulps.
    static func parameterResolution(ftolRel: Double?) -> Double {
        max(10 * (ftolRel ?? 0).squareRoot(), 4 * Double.ulpOfOne)
    }

    /// Whether a bootstrap interval leaves out its fitted value by more than the fitter resolves
    /// (`resolution` relative to the largest of the estimate and the ends, ``parameterResolution(ftolRel:)``).
    /// When every refit lands on the full fit (identical runs resampled), the interval's ends and the
    /// estimate are the same optimum reached along different paths and differ only there. A NaN estimate
    /// or end counts as excluded.
    static func excludesEstimate(_ interval: Interval, resolution: Double) -> Bool {
        let slack = resolution * max(abs(interval.estimate), abs(interval.lower), abs(interval.upper))
        return !(interval.lower - slack <= interval.estimate && interval.estimate <= interval.upper + slack)
    }

    /// Parameters whose bootstrap interval leaves out the fitted value (by more than `resolution`,
    /// relative), and a run bootstrap over few runs.
    static func bootstrapFlags(_ result: BootstrapResult, runs: Int, resolution: Double) -> [String] {
        var flags = result.parameters.filter { excludesEstimate($0.interval, resolution: resolution) }.map { p in
            "The \(number(result.confidence * 100)) % bootstrap interval of \(p.name), \(interval(p.interval)), excludes its fitted value "
                + "\(number(p.interval.estimate)): the resampled fits settle elsewhere (another basin, or a skewed sampling distribution), "
                + "so neither the value nor the interval can be taken at face value."
        }
        if result.unit == .runs && runs < BootstrapUnit.fewRuns {
            flags.append(
                "The bootstrap resampled whole runs but there are only \(runs) fitted run\(runs == 1 ? "" : "s") (fewer than \(BootstrapUnit.fewRuns)): "
                    + "few distinct resamples exist, so the intervals are coarse; consider --bootstrap-unit blocks.")
        }
        return flags
    }

    /// Laplace intervals clipped to each parameter's box, and a sentence for each clipped one.
    static func clipLaplace(_ intervals: [ParameterInterval], space: ParameterSpace) -> ([ParameterInterval], [String]) {
        var flags: [String] = []
        let clipped = zip(intervals, space.parameters).map { p, parameter -> ParameterInterval in
            let low = max(p.interval.lower, parameter.lowerBound), high = min(p.interval.upper, parameter.upperBound)
            guard low != p.interval.lower || high != p.interval.upper else { return p }
            flags.append(
                "The Laplace interval of \(p.name), \(interval(p.interval)), reaches outside its box [\(number(parameter.lowerBound)), \(number(parameter.upperBound))] "
                    + "and is clipped to [\(number(low)), \(number(high))]: the quadratic approximation fails there; prefer the bootstrap.")
            var copy = p
            copy.interval.lower = low
            copy.interval.upper = high
            return copy
        }
        return (clipped, flags)
    }

    /// A sentence when AIC or BIC picks another winner than the held-out ranking.
    static func criteriaDisagreement(_ ranked: [LawEvaluation], metric: String) -> String? {
        guard ranked.count >= 2, let winner = ranked.first?.law else { return nil }
        let withCriteria = ranked.filter { $0.criteria != nil }
        guard withCriteria.count == ranked.count else { return nil }
        func best(_ value: (InSampleCriteria) -> Double) -> String {
            withCriteria.min { (value($0.criteria!), $0.law) < (value($1.criteria!), $1.law) }!.law
        }
        let byAIC = best(\.aic), byBIC = best(\.bic)
        let disagreeing = [("AIC", byAIC), ("BIC", byBIC)].filter { $0.1 != winner }
        guard !disagreeing.isEmpty else { return nil }
        let named = disagreeing.map { "\($0.0) ranks \($0.1) first" }.joined(separator: " and ")
        return "The in-sample criteria disagree with the held-out ranking: \(named), but held-out \(metric) ranks \(winner) first. "
            + "A law that fits the training points better but predicts the held-out ones worse is over-fitting; trust the held-out ranking for extrapolation."
    }

    /// Pairs of ranked laws whose predictions coincide at every point (within ``collapseTolerance``
    /// relative): a sentence per pair, naming each law's parameters at bounds.
    static func collapses(_ ranked: [LawEvaluation]) -> [(first: String, second: String, sentence: String)] {
        var found: [(first: String, second: String, sentence: String)] = []
        for a in ranked.indices {
            for b in ranked.indices where b > a {
                let first = ranked[a], second = ranked[b]
                guard first.points.count == second.points.count, !first.points.isEmpty else { continue }
                var largest = 0.0
                for (p, q) in zip(first.points, second.points) {
                    let x = p.heldOutPrediction ?? p.predicted, y = q.heldOutPrediction ?? q.predicted
                    largest = max(largest, abs(x - y) / p.observed)
                }
                guard largest.isFinite, largest < collapseTolerance else { continue }
                let bounds = [first, second].compactMap { law -> String? in
                    guard !law.boundContacts.isEmpty else { return nil }
                    return "\(law.law) has " + law.boundContacts.map { "\($0.parameter) = \(number($0.bound)) (\($0.side.rawValue) bound)" }.joined(separator: ", ")
                }
                let why = bounds.isEmpty ? "" : " (\(bounds.joined(separator: "; ")))"
                found.append((first.law, second.law,
                    "\(first.law) and \(second.law) predict the same losses at every point (largest difference \(String(format: "%.1e", largest)) of the loss)\(why): "
                        + "the fits have collapsed onto one curve, so the ranking between them says nothing about which law is right."))
            }
        }
        return found
    }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        return String(format: "%.4g", v)
    }

    static func interval(_ i: Interval) -> String { "[\(number(i.lower)), \(number(i.upper))]" }
}
