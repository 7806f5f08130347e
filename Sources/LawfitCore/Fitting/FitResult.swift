import Optimization

/// How one start of a fit ended.
public struct StartSummary: Sendable, Hashable, Codable {
    public var index: Int
    /// Objective reached, or nil when the start failed.
    public var objective: Double?
    /// NLopt status (`ftolReached`, ...) or `failed: <reason>`.
    public var status: String
    public var evaluations: Int
}

/// The outcome of fitting one law: best parameters, objective, convergence and diagnostics.
///
/// Prints a readable report (``report``) in the manner of lmfit's `fit_report`; encodes to JSON with
/// `parameters` as a name -> value map in the law's natural units.
public struct FitResult: Sendable {
    public var law: String
    public var parameterNames: [String]
    /// Best parameters, natural units, in ``ParameterSpace`` order.
    public var values: [Double]
    /// The objective (a sum over points) at `values`.
    public var objective: Double
    /// Whether the best start met a tolerance criterion.
    public var converged: Bool
    public var objectiveSpec: ObjectiveSpec
    public var algorithm: String
    /// Number of points fitted.
    public var points: Int
    public var starts: [StartSummary]
    /// Starts whose objective is within 1e-6 (relative) of the best.
    public var startsInBestBasin: Int
    /// Objective evaluations over all starts (of a staged fit, those on every point: the refinement's).
    public var evaluations: Int
    /// The subsample a long log's starts ran on (``SubsampleStage``), or nil when they ran on every point.
    public var subsample: SubsampleSummary? = nil
    public var seconds: Double
    /// Parameters at a bound, flat directions, round-off limits, failed starts.
    public var warnings: [String]
    /// The objective's curvature in the optimiser's coordinates at `values`: its Gauss-Newton
    /// Hessian (``ObjectiveHessian/gaussNewton(_:at:)``), when the fit computed it for its
    /// flat-direction check; ``LaplaceIntervals`` reuse it instead of another pass over the points.
    /// Not encoded.
    public var hessian: [[Double]]? = nil
    /// The every-bound rule's finding (``everyParameterAtBound(in:)``), as the fitter found it: the
    /// contacts when every parameter ended at a bound of its box, else nil. `lawfit fit` fails on it.
    /// Not encoded.
    public var everyBoundContacts: [BoundContact]? = nil

    /// Best parameters by name.
    public var parameters: [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(parameterNames, values))
    }

    /// The value of one parameter. - Throws: ``LawfitError`` naming the known ones.
    public func value(of name: String) throws -> Double {
        guard let i = parameterNames.firstIndex(of: name) else {
            throw LawfitError.input("the fit of '\(law)' has no parameter '\(name)'; it has \(parameterNames.joined(separator: ", "))")
        }
        return values[i]
    }

    /// Number of starts that ended without error.
    public var successfulStarts: Int { starts.filter { $0.objective != nil }.count }

    /// A readable multi-line report.
    public var report: String { report(timing: true) }

    /// The readable report, with the `seconds` line only when `timing` (`lawfit fit --no-timing`
    /// leaves it out so that the same command gives the same bytes).
    public func report(timing: Bool) -> String {
        var lines = summaryLines(timing: timing) + ["[[Parameters]]"]
        let width = parameterNames.map(\.count).max() ?? 0
        for (name, value) in zip(parameterNames, values) {
            lines.append("    \(name.padding(toLength: width, withPad: " ", startingAt: 0)) = \(value)")
        }
        if !warnings.isEmpty {
            lines.append("[[Warnings]]")
            lines += warnings.map { "    - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// The [[Fit]] section of the readable reports (``report`` and ``FitReport``): objective,
    /// algorithm, starts, evaluations, the subsample of a staged fit, seconds when `timing`, best
    /// objective and convergence.
    func summaryLines(timing: Bool) -> [String] {
        var lines = [
            "[[Fit: \(law)]]",
            "    objective      = \(objectiveSpec.loss) on \(objectiveSpec.space) residuals, summed over \(points) points",
            "    algorithm      = \(algorithm)",
            "    starts         = \(starts.count) (\(successfulStarts) succeeded, \(startsInBestBasin) reached the best basin)",
            "    evaluations    = \(evaluations)",
        ]
        if let subsample {
            lines.append(
                "    subsample      = the starts ran on \(subsample.points) of the \(points) points (1 in \(subsample.stride) of each run, and its last; "
                    + "\(subsample.evaluations) evaluations), the best was refined on all of them")
        }
        if timing { lines.append("    seconds        = \(String(format: "%.3f", seconds))") }
        return lines + ["    best objective = \(objective)", "    converged      = \(converged)"]
    }
}

extension FitResult: Codable {
    enum CodingKeys: String, CodingKey {
        case law, parameters, parameterOrder = "parameter_order", objective, converged, loss, space, algorithm
        case points, starts, startsInBestBasin = "starts_in_best_basin", successfulStarts = "successful_starts"
        case evaluations, subsample, seconds, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, timing: true)
    }

    /// Encodes the fit, with `seconds` only when `timing`.
    func encode(to encoder: any Encoder, timing: Bool) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(law, forKey: .law)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(parameterNames, forKey: .parameterOrder)
        try c.encode(objective, forKey: .objective)
        try c.encode(converged, forKey: .converged)
        try c.encode(objectiveSpec.loss.description, forKey: .loss)
        try c.encode(objectiveSpec.space, forKey: .space)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(points, forKey: .points)
        try c.encode(starts.count, forKey: .starts)
        try c.encode(successfulStarts, forKey: .successfulStarts)
        try c.encode(startsInBestBasin, forKey: .startsInBestBasin)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encodeIfPresent(subsample, forKey: .subsample)
        if timing { try c.encode(seconds, forKey: .seconds) }
        try c.encode(warnings, forKey: .warnings)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        law = try c.decode(String.self, forKey: .law)
        let map = try c.decode([String: Double].self, forKey: .parameters)
        parameterNames = try c.decodeIfPresent([String].self, forKey: .parameterOrder) ?? map.keys.sorted()
        values = try parameterNames.map { name in
            guard let v = map[name] else {
                throw DecodingError.dataCorruptedError(forKey: .parameters, in: c, debugDescription: "missing parameter \(name)")
            }
            return v
        }
        objective = try c.decodeIfPresent(Double.self, forKey: .objective) ?? .nan
        converged = try c.decodeIfPresent(Bool.self, forKey: .converged) ?? false
        objectiveSpec = ObjectiveSpec(space: try c.decodeIfPresent(LossSpace.self, forKey: .space) ?? .log)
        algorithm = try c.decodeIfPresent(String.self, forKey: .algorithm) ?? ""
        points = try c.decodeIfPresent(Int.self, forKey: .points) ?? 0
        starts = []
        startsInBestBasin = try c.decodeIfPresent(Int.self, forKey: .startsInBestBasin) ?? 0
        evaluations = try c.decodeIfPresent(Int.self, forKey: .evaluations) ?? 0
        subsample = try c.decodeIfPresent(SubsampleSummary.self, forKey: .subsample)
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds) ?? 0
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }
}

/// A fitted parameter that ended on a finite end of its box.
public struct BoundContact: Sendable, Hashable, CustomStringConvertible {
    public enum Side: String, Sendable, Hashable {
        case lower, upper
    }

    public var parameter: String
    public var side: Side
    /// The bound it sits on, in natural units.
    public var bound: Double

    /// `parameter a is at its upper bound 1.0`: the fit's at-bound warning.
    public var description: String { "parameter \(parameter) is at its \(side.rawValue) bound \(bound)" }

    /// The parameters of `space` whose optimiser coordinate `u[j]` lies on a finite end of the
    /// parameter's box in optimiser coordinates, within 1e-6 relative (absolute below 1).
    ///
    /// A log-transformed parameter whose lower bound is 0 has no finite lower end
    /// (``Parameter/internalBounds``), so it can only touch its upper bound.
    public static func contacts(atInternal u: [Double], in space: ParameterSpace) -> [BoundContact] {
        var contacts: [BoundContact] = []
        for (j, parameter) in space.parameters.enumerated() {
            let (lower, upper) = parameter.internalBounds
            if lower.isFinite, abs(u[j] - lower) <= 1e-6 * max(1, abs(lower)) {
                contacts.append(BoundContact(parameter: parameter.name, side: .lower, bound: parameter.lowerBound))
            }
            if upper.isFinite, abs(u[j] - upper) <= 1e-6 * max(1, abs(upper)) {
                contacts.append(BoundContact(parameter: parameter.name, side: .upper, bound: parameter.upperBound))
            }
        }
        return contacts
    }
}

extension FitResult {
    /// The parameters whose best value sits on a finite end of their box in `space` (the law's
    /// parameter space), by ``BoundContact/contacts(atInternal:in:)``.
    public func boundContacts(in space: ParameterSpace) -> [BoundContact] {
        BoundContact.contacts(atInternal: space.toInternal(values), in: space)
    }

    /// The every-bound rule: the contacts when EVERY parameter of `space` (at least one) ends on a
    /// finite end of its box, else nil.
    ///
    /// Such a fit says nothing about the data: the optimum lies outside the box in every coordinate,
    /// because the law cannot describe the data within its bounds (or the data are in other units).
    /// `lawfit fit` fails with exit code 1 on it; model selection keeps the law, flagged.
    public func everyParameterAtBound(in space: ParameterSpace) -> [BoundContact]? {
        Self.everyParameterAtBound(boundContacts(in: space), in: space)
    }

    /// The every-bound rule on `contacts` (of `space`'s parameters): them when they cover every
    /// parameter of `space` (at least one), else nil.
    static func everyParameterAtBound(_ contacts: [BoundContact], in space: ParameterSpace) -> [BoundContact]? {
        let touched = Set(contacts.map(\.parameter))
        guard !space.parameters.isEmpty, space.names.allSatisfy(touched.contains) else { return nil }
        return contacts
    }

    /// Message of the every-bound rule's warning and error.
    public static func everyBoundMessage(law: String, _ contacts: [BoundContact]) -> String {
        let list = contacts.map { "\($0.parameter) at its \($0.side.rawValue) bound \($0.bound)" }
        return "every parameter of law '\(law)' ends at a bound of its box (\(list.joined(separator: ", "))): the law cannot describe these data within its bounds"
    }

    /// The same fit encoded without `seconds`, the one field that changes from run to run: the
    /// byte-identical JSON of `lawfit fit --no-timing`.
    public var withoutTiming: some Encodable & Sendable { TimingFreeFitResult(fit: self) }
}

/// ``FitResult`` encoded without its timing.
struct TimingFreeFitResult: Encodable, Sendable {
    var fit: FitResult

    func encode(to encoder: any Encoder) throws {
        try fit.encode(to: encoder, timing: false)
    }
}
