import Foundation
import LawfitCore

/// The DMFT random-feature law as a fittable scaling law (LAWS.md §3; Bordelon, Atanasov & Pehlevan,
/// ICML 2024; Kramp, Lindner & Helias, arXiv 2602.23039):
///
///     L = E + s * L_RF(t = tau * x, N = nu * params, P = pi * U or infinity; a, b)
///
/// where L_RF is the excess test loss of power-law random-feature regression (``RandomFeatureDMFT``,
/// exact) or its asymptotic surrogate (``DMFTSurrogate``), x is training tokens D (default) or the
/// optimiser step, params is N, and U is unique tokens (only with ``SampleInput/uniqueTokens``;
/// otherwise data are fresh every step: P = infinity, the LLM regime). With
/// ``SampleInput/uniqueTokens`` N and U are optional per point: an absent one is infinite, so one
/// law reaches every (t, N, P) (the t -> infinity limit is ``DMFTStaticLaw``).
///
/// Parameters: a, b (exponents), s (loss scale), E (irreducible loss), tau, nu (and pi). Note: where
/// the surrogate has only the t and N terms (a - 1 <= b, P = infinity) the loss scale is degenerate
/// with tau and nu: only s tau^-(a-1)/b and s nu^-(a-1) are identified; a, b and E are.
public struct DMFTLaw: ScalingLaw, ComputeOptimalLaw {
    /// How L_RF is computed.
    public enum Solver: String, Sendable, Hashable, CaseIterable {
        /// The exact Laplace-domain solver (a few ms per point; finite-difference Jacobian).
        case exact
        /// The asymptotic power-law surrogate (microseconds per point; Jacobian filled by the evaluator).
        case surrogate
    }

    /// What becomes gradient-flow time t (before the scale tau).
    public enum TimeInput: String, Sendable, Hashable, CaseIterable {
        /// Training tokens D (one-pass SGD: intrinsic time proportional to tokens).
        case tokens
        /// Optimiser step.
        case step
    }

    /// What becomes the number of samples P.
    public enum SampleInput: String, Sendable, Hashable, CaseIterable {
        /// Fresh data at every step: P = infinity.
        case infinite
        /// P = pi * U (unique tokens): data-constrained training. N and U are optional per point
        /// (infinite where absent).
        case uniqueTokens
    }

    public let solver: Solver
    public let time: TimeInput
    public let samples: SampleInput

    public init(solver: Solver, time: TimeInput = .tokens, samples: SampleInput = .infinite) {
        self.solver = solver
        self.time = time
        self.samples = samples
    }

    public var name: String {
        var name = solver == .exact ? "dmft" : "dmft-surrogate"
        if time == .step { name += "-steps" }
        if samples == .uniqueTokens { name += "-unique" }
        return name
    }

    public var summary: String {
        let how = solver == .exact ? "exact DMFT solver" : "asymptotic power-law surrogate"
        return "Random-feature DMFT law, \(how): L = E + s L_RF(t = tau \(time == .tokens ? "D" : "step"), N = nu N, "
            + "P = \(samples == .infinite ? "infinity" : "pi U")) (Bordelon, Atanasov & Pehlevan, ICML 2024; LAWS.md §3)"
            + (samples == .infinite ? "" : "; N and U optional per point (infinite where absent)")
    }

    public var parameterSpace: ParameterSpace {
        // The exact solver is costly per start: one start value per parameter (fit the surrogate
        // first and start from its result for a multi-start exact fit).
        let exact = solver == .exact
        var parameters = [
            Parameter("a", "task-power exponent: lambda_k w*_k^2 = k^-a", bounds: 1.05...8, starts: exact ? [2.5] : [1.6, 2.5, 4]),
            Parameter("b", "spectral exponent: lambda_k = k^-b", bounds: 1.05...5, starts: exact ? [1.5] : [1.3, 2]),
            Parameter("s", "loss scale (loss units per unit of L_RF)", bounds: 1e-8...1e8, transform: .log, starts: [1]),
            Parameter("E", "irreducible loss", bounds: 0...20, starts: exact ? [1] : [0.5, 2]),
            Parameter("tau", "gradient-flow time per \(time == .tokens ? "token" : "step")", bounds: 1e-15...1e6,
                      transform: .log, starts: exact ? [1e-4] : [1e-6, 1e-3]),
            Parameter("nu", "random features per model parameter", bounds: 1e-15...1e6, transform: .log,
                      starts: exact ? [1e-4] : [1e-6, 1e-3]),
        ]
        if samples == .uniqueTokens {
            parameters.append(Parameter("pi", "samples per unique token", bounds: 1e-15...1e6, transform: .log, starts: [1e-4]))
        }
        return ParameterSpace(parameters)
    }

    /// With finite samples (`dmft-unique`, whose data may sit at any scale): tau, nu and pi start where
    /// the median point maps to t, N, P = 1000 (the theory's asymptotic regime); other laws keep their starts.
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard samples == .uniqueTokens else { return parameterSpace }
        let points = runs.flatMap(\.observations)
        func median(_ values: [Double]) -> Double? {
            let sorted = values.filter { $0.isFinite && $0 > 0 }.sorted()
            return sorted.isEmpty ? nil : sorted[sorted.count / 2]
        }
        var space = parameterSpace
        let times = points.compactMap { time == .tokens ? $0.tokens : $0.step.map(Double.init) }
        for (name, values) in [("tau", times), ("nu", points.compactMap(\.parameters)), ("pi", points.compactMap(\.uniqueTokens))] {
            guard let m = median(values), let parameter = space.parameters.first(where: { $0.name == name }) else { continue }
            space = space.replacingStarts(of: name, with: [min(max(1000 / m, parameter.lowerBound), parameter.upperBound)])
        }
        return space
    }

    public var requiredInputs: Set<LawInput> {
        // With finite samples N and U are optional (infinite where absent): only time is required.
        let timeInput: LawInput = time == .tokens ? .tokens : .step
        return samples == .uniqueTokens ? [timeInput] : [.parameters, timeInput]
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        var points: [DMFTEvaluator.Point] = []
        for run in runs {
            for observation in run.observations {
                let x = time == .tokens ? observation.tokens! : Double(observation.step!)
                guard x > 0 else {
                    throw LawfitError.input(
                        "law '\(name)' needs a positive step (gradient-flow time), got \(x)",
                        at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step"))
                }
                let location = SourceLocation(file: run.source ?? run.name, line: observation.line)
                points.append(.init(time: x, parameters: try Self.optionalSize(observation.parameters, "N", law: name, at: location),
                                    unique: try Self.optionalSize(observation.uniqueTokens, "U", law: name, at: location)))
            }
        }
        return DMFTEvaluator(solver: solver, points: points, parameterCount: parameterSpace.count,
                             finiteSamples: samples == .uniqueTokens)
    }

    /// A size that may be absent (infinite) but, when given, must be positive and finite.
    static func optionalSize(_ value: Double?, _ input: String, law: String, at location: SourceLocation) throws -> Double? {
        guard let value else { return nil }
        guard value.isFinite, value > 0 else {
            var place = location
            place.column = input
            throw LawfitError.input("law '\(law)' needs a positive, finite \(input) (or none: infinite); got \(value)", at: place)
        }
        return value
    }

    /// The compute-optimal N*, D* for C = 6 N D at P = infinity, by minimising the predicted loss
    /// over log N (scan, then golden section) where nu N >= 100 and tau D >= 1. Its asymptotic slopes are LAWS.md §3's exponents
    /// (``computeOptimalExponents(a:b:)``).
    ///
    /// - Throws: ``LawfitError`` (input) for a law whose time is the step (no tokens to trade), a
    ///   non-positive compute, or wrong parameter count.
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        guard time == .tokens else {
            throw LawfitError.input("law '\(name)' maps steps, not tokens, to time: it cannot split compute 6ND")
        }
        guard parameters.count == parameterSpace.count else {
            throw LawfitError.input("law '\(name)' has \(parameterSpace.count) parameters, got \(parameters.count)")
        }
        guard compute.isFinite, compute > 6 else { throw LawfitError.input("compute must be finite and > 6 FLOP, got \(compute)") }
        let (a, b, s, e, tau, nu) = (parameters[0], parameters[1], parameters[2], parameters[3], parameters[4], parameters[5])
        let loss: (Double) throws -> Double
        switch solver {
        case .surrogate:
            let surrogate = DMFTSurrogate(a: a, b: b)
            loss = { n in surrogate.loss(time: tau * compute / (6 * n), features: nu * n, samples: nil) }
        case .exact:
            let exact = try RandomFeatureDMFT(a: a, b: b)
            loss = { n in try exact.loss(time: tau * compute / (6 * n), features: nu * n, samples: nil) }
        }
        // Search where the theory is asymptotic: at least 100 features and t >= 1.
        let lower = Foundation.log(100 / nu), upper = Foundation.log(tau * compute / 6)
        guard lower < upper else {
            throw LawfitError.input("compute \(compute) is too small for law '\(name)' at these parameters (need nu N >= 100 and tau D >= 1)")
        }
        let best = try DMFTLaw.minimiseOverLogSize(in: lower...upper, loss)
        let n = Foundation.exp(best)
        return ComputeOptimum(compute: compute, parameters: n, tokens: compute / (6 * n), loss: e + s * (try loss(n)))
    }

    /// Compute-optimal exponents at P = infinity for compute C = N t (LAWS.md §3, derived):
    /// N* ~ C^parameters and L* ~ C^-loss; a - 1 <= b: 1/(1+b), (a-1)/(1+b); else (a-b)/a, (a-1)/a.
    public static func computeOptimalExponents(a: Double, b: Double) -> (parameters: Double, loss: Double) {
        DMFTSurrogate.computeOptimalExponents(a: a, b: b)
    }

    /// argmin over x in `range` of f(e^x): a 64-point scan, then golden section around the best point.
    static func minimiseOverLogSize(in range: ClosedRange<Double>, _ f: (Double) throws -> Double) throws -> Double {
        let count = 64
        let grid = (0...count).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count) }
        let values = try grid.map { try f(Foundation.exp($0)) }
        let best = values.indices.min { values[$0] < values[$1] }!
        var lo = grid[max(best - 1, 0)], hi = grid[min(best + 1, count)]
        let ratio: Double = 0.618_033_988_749_894_8  // (sqrt 5 - 1)/2
        var x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo)
        var f1 = try f(Foundation.exp(x1)), f2 = try f(Foundation.exp(x2))
        while hi - lo > 1e-9 * max(1, abs(hi)) {
            if f1 < f2 {
                hi = x2; x2 = x1; f2 = f1
                x1 = hi - ratio * (hi - lo); f1 = try f(Foundation.exp(x1))
            } else {
                lo = x1; x1 = x2; f1 = f2
                x2 = lo + ratio * (hi - lo); f2 = try f(Foundation.exp(x2))
            }
        }
        return 0.5 * (lo + hi)
    }
}
