/// The outcome of a model selection: everything a report shows, as a stable, documented value
/// (Docs/ReportSchema.md). Encodes to JSON with sorted keys and no timings.
public struct SelectionReport: Sendable, Codable {
    /// Version of the JSON schema; bumped on any incompatible change.
    public var schemaVersion: Int = 1
    public var data: DataSummary
    public var split: DataSplit
    /// The fit objective, e.g. `huber(delta=0.001) on log residuals`.
    public var objective: String
    /// What the ranking uses: a ``HeldOutMetric`` raw value, or `aic` without held-out points.
    public var rankedBy: String
    public var seed: UInt64
    /// Every requested law: ranked ones first (best first), then failed, then skipped.
    public var laws: [LawEvaluation]
    /// Significance of the gap between the top two laws, when at least two were ranked.
    public var significance: Significance?
    /// One plain sentence: which law wins and how sure we are.
    public var verdict: String
    /// What the plots put on the x axis.
    public var plotAxis: PlotAxis
    /// Sentences about the comparison as a whole: criteria that disagree with the held-out ranking,
    /// laws whose predictions collapsed onto one curve.
    public var warnings: [String] = []
    /// Each run's learning rate against step, for the schedule panel (not encoded; runs with a schedule).
    public var schedules: [Curve] = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", data, split, objective, rankedBy = "ranked_by", seed, laws
        case significance, verdict, plotAxis = "plot_axis", warnings
    }

    /// The ranked laws, best first.
    public var ranked: [LawEvaluation] { laws.filter { $0.rank != nil } }
}

/// The runs a selection was run on.
public struct DataSummary: Sendable, Hashable, Codable {
    public struct RunSummary: Sendable, Hashable, Codable {
        public var name: String
        public var points: Int
        public var source: String?
        /// How many of the run's points the report lists and plots, when fewer than all
        /// (``ReportedPoints``); absent when every point is listed.
        public var listed: Int? = nil
    }

    public var runs: [RunSummary]
    public var points: Int
    /// Inputs present at every point (N, D, C, U, step) and `schedule` if every run has one.
    public var inputs: [LawInput]
}

/// What the x axis of the report's plots shows.
public enum PlotAxis: String, Sendable, Hashable, Codable {
    /// Loss vs compute C (log-log), one series per model size N where N and D are known.
    case compute = "C"
    case parameters = "N"
    case tokens = "D"
    /// Loss vs step, one series per run.
    case step
}

/// One law's part of a selection.
public struct LawEvaluation: Sendable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case ranked, failed, skipped
    }

    public var law: String
    public var summary: String
    public var status: Status
    /// 1 for the best; nil unless ranked.
    public var rank: Int?
    /// The ranking score (lower is better).
    public var score: Double?
    /// Why the law failed or was skipped.
    public var reason: String?
    /// For failed and skipped laws: `input` when the data or options are at fault (exit code 2),
    /// `fit` when the fit itself failed (exit code 1).
    public var failure: String?
    /// The reported fit: to the training points of a hold-out split, to all points for
    /// cross-validation and `none`.
    public var fit: FitSummary?
    /// Problems a reader must know: failed or unconverged fit, parameters at bounds, flat directions.
    public var flags: [String]
    /// Errors of the reported fit on the points it was fitted to.
    public var train: PredictionMetrics?
    /// Held-out errors (pooled out-of-fold predictions for cross-validation).
    public var test: PredictionMetrics?
    public var criteria: InSampleCriteria?
    public var bootstrap: BootstrapResult?
    public var laplace: [ParameterInterval]?
    /// Why Laplace intervals are missing, when requested.
    public var laplaceError: String?
    /// The data points with their predictions: every point, or for runs longer than
    /// ``ReportedPoints/perRunLimit`` the thinned selection ``ReportedPoints`` describes.
    public var points: [PointPrediction]
    /// Every held-out point, when `points` lists only some of them (not encoded).
    var unlistedHeldOut: [PointPrediction]? = nil
    /// Every held-out point with its prediction by the fit that did not see it, listed or not: what
    /// the per-run held-out errors and the significance test use.
    public var heldOutPoints: [PointPrediction] { unlistedHeldOut ?? points.filter(\.heldOut) }
    /// Fitted and extrapolated curves for the plots (not encoded).
    public var curves: [Curve] = []
    /// The reported fit's parameters on a finite end of their box (not encoded; `flags` says it).
    public var boundContacts: [BoundContact] = []
    /// Objective evaluations of every fit of this law, bootstrap refits included (not encoded:
    /// for benchmarks).
    public var evaluations = 0

    enum CodingKeys: String, CodingKey {
        case law, summary, status, rank, score, reason, failure, fit, flags, train, test, criteria, bootstrap, laplace
        case laplaceError = "laplace_error", points
    }

    init(law: any ScalingLaw, status: Status, reason: String? = nil) {
        self.law = law.name
        self.summary = law.summary
        self.status = status
        self.reason = reason
        self.flags = []
        self.points = []
    }
}

/// A fit's outcome without timings (so that reports are byte-identical for a seed).
public struct FitSummary: Sendable, Hashable, Codable {
    public var parameters: [String: Double]
    public var parameterOrder: [String]
    public var objective: Double
    public var converged: Bool
    public var algorithm: String
    public var points: Int
    public var starts: Int
    public var startsInBestBasin: Int
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case parameters, parameterOrder = "parameter_order", objective, converged, algorithm, points, starts
        case startsInBestBasin = "starts_in_best_basin", warnings
    }

    public init(_ fit: FitResult) {
        parameters = fit.parameters
        parameterOrder = fit.parameterNames
        objective = fit.objective
        converged = fit.converged
        algorithm = fit.algorithm
        points = fit.points
        starts = fit.starts.count
        startsInBestBasin = fit.startsInBestBasin
        warnings = fit.warnings
    }
}

/// One data point with a law's prediction.
public struct PointPrediction: Sendable, Hashable, Codable {
    public var run: Int
    public var index: Int
    /// The plot's x coordinate (C, N, D or step).
    public var x: Double
    public var observed: Double
    /// The reported fit's prediction.
    public var predicted: Double
    /// Whether the point is held out (in some fold).
    public var heldOut: Bool
    /// The prediction by the fit that did not see this point (held-out points only).
    public var heldOutPrediction: Double?
    /// Bootstrap interval of `predicted`, when bootstrapped.
    public var lower: Double?
    public var upper: Double?
    /// The plotted curve the point belongs to (its model-size series, `N=1e+08`), on the compute axis.
    public var series: String?

    enum CodingKeys: String, CodingKey {
        case run, index, x, observed, predicted, heldOut = "held_out", heldOutPrediction = "held_out_prediction", lower, upper, series
    }
}

/// A fitted curve for plots: a series label and (x, prediction) pairs, optional interval band.
public struct Curve: Sendable, Hashable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    public var lower: [Double]?
    public var upper: [Double]?
    /// Drawn in black and always named in the legend (the compute-optimal frontier).
    public var highlighted = false
}

/// Whether the best law beats the runner-up beyond resampling noise.
///
/// The held-out points are resampled with replacement (paired: the same draw for both laws) and the
/// difference metric(best) - metric(second) recomputed; if the percentile interval contains 0 the
/// ranking is not significant. Without held-out points, the criterion is |Delta AIC| > 2.
public struct Significance: Sendable, Hashable, Codable {
    public var best: String
    public var second: String
    public var metric: String
    /// metric(best) - metric(second) on the full held-out set (<= 0).
    public var difference: Double
    public var lower: Double?
    public var upper: Double?
    public var resamples: Int
    public var confidence: Double
    public var significant: Bool
    /// A plain sentence.
    public var statement: String
}
