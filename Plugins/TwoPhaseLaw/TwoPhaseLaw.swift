import Foundation
import LawfitCore

/// The two-phase compute law of Chiwun Yang, arXiv 2512.22088: the excess risk decays exponentially
/// in compute C during the optimisation phase, then as a power law Theta(C^-gamma) in the
/// statistical phase; gamma = 1/6 in the first version's abstract (upper bound), 1/7 in the later
/// version (with matching lower bounds).
///
/// Forms (see `Docs/laws/two-phase.md`):
/// - piecewise (``Form/piecewise``), continuous at the fitted threshold C_th:
///   L = E + A exp(-C/C0) for C <= C_th, L = E + A exp(-C_th/C0) (C/C_th)^-gamma above;
/// - smooth (``Form/smooth``): L = E + A exp(-C/C0) + B C^-gamma.
///
/// gamma is fitted (``Gamma/free``) or fixed to 1/6 or 1/7, each registered as its own law so
/// model selection can compare the three choices on the same data.
///
/// The piecewise prediction is continuous in C_th but not differentiable in C_th at C = C_th: the
/// Jacobian there is the mean of the two one-sided derivatives (what a central difference gives).
public struct TwoPhaseLaw: ScalingLaw {
    /// The shape of the transition.
    public enum Form: String, Sendable, Hashable, CaseIterable {
        /// Exponential below C_th, power law above, joined continuously.
        case piecewise
        /// The sum of the exponential and the power law.
        case smooth
    }

    /// How the statistical-phase exponent is set.
    public enum Gamma: Sendable, Hashable, CaseIterable {
        /// Fitted.
        case free
        /// Fixed to 1/6 (Yang, v1 abstract).
        case oneSixth
        /// Fixed to 1/7 (Yang, later version, with matching lower bounds).
        case oneSeventh

        /// The fixed value, or nil when fitted.
        public var fixedValue: Double? {
            switch self {
            case .free: nil
            case .oneSixth: 1.0 / 6
            case .oneSeventh: 1.0 / 7
            }
        }

        var nameSuffix: String {
            switch self {
            case .free: ""
            case .oneSixth: "-gamma6"
            case .oneSeventh: "-gamma7"
            }
        }
    }

    /// Piecewise or smooth transition.
    public let form: Form
    /// Fitted or fixed statistical-phase exponent.
    public let gamma: Gamma

    /// The law with the given transition shape and exponent choice.
    public init(form: Form = .piecewise, gamma: Gamma = .free) {
        self.form = form
        self.gamma = gamma
    }

    /// `two-phase`, `two-phase-gamma6`, `two-phase-smooth-gamma7`, ...
    public var name: String { "two-phase" + (form == .smooth ? "-smooth" : "") + gamma.nameSuffix }

    public var summary: String {
        let exponent = gamma.fixedValue.map { "gamma = 1/\(Int((1 / $0).rounded()))" } ?? "gamma fitted"
        switch form {
        case .piecewise:
            return "E + A exp(-C/C0) below C_th, continuous power law C^-gamma above (\(exponent)); Yang 2025, arXiv 2512.22088"
        case .smooth:
            return "E + A exp(-C/C0) + B C^-gamma (\(exponent)); smooth two-phase law after Yang 2025, arXiv 2512.22088"
        }
    }

    public var requiredInputs: Set<LawInput> { [.compute] }

    /// Start values assume C in FLOP (1e14 to 1e24); give explicit starts for other units.
    public var parameterSpace: ParameterSpace {
        var parameters = [
            Parameter("E", "irreducible loss", bounds: 1e-6...1e2, transform: .log, starts: [1]),
            Parameter("A", "optimisation-phase amplitude", bounds: 1e-6...1e6, transform: .log, starts: [1, 10]),
            Parameter("C0", "optimisation-phase compute scale", bounds: 1e-30...1e40, transform: .log, starts: [1e14, 1e18, 1e22]),
        ]
        switch form {
        case .piecewise:
            // The piecewise objective has a kink in C_th at every data point, so C_th starts are dense.
            let thresholds = (0...20).map { Foundation.pow(10, 14 + 0.5 * Double($0)) }
            parameters.append(Parameter("C_th", "phase threshold", bounds: 1e-30...1e40, transform: .log, starts: thresholds))
        case .smooth:
            parameters.append(Parameter("B", "statistical-phase amplitude", bounds: 1e-10...1e40, transform: .log, starts: [1, 1e3, 1e6]))
        }
        if gamma == .free {
            parameters.append(Parameter("gamma", "statistical-phase exponent", bounds: 0.01...2, starts: [0.2]))
        }
        return ParameterSpace(parameters)
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        let compute = runs.flatMap(\.observations).map { $0.effectiveCompute! }
        return TwoPhaseEvaluator(form: form, fixedGamma: gamma.fixedValue, compute: compute)
    }
}

/// The two-phase law bound to compute values, with analytic gradients.
struct TwoPhaseEvaluator: LawEvaluator {
    let form: TwoPhaseLaw.Form
    let fixedGamma: Double?
    let compute: [Double]
    let logCompute: [Double]

    init(form: TwoPhaseLaw.Form, fixedGamma: Double?, compute: [Double]) {
        self.form = form
        self.fixedGamma = fixedGamma
        self.compute = compute
        logCompute = compute.map { Foundation.log($0) }
    }

    var count: Int { compute.count }
    var parameterCount: Int { fixedGamma == nil ? 5 : 4 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let m = parameterCount
        let (e, a, c0, fourth) = (theta[0], theta[1], theta[2], theta[3])
        let gamma = fixedGamma ?? theta[4]
        sizeBuffers(&predictions, &jacobian)
        withJacobianRows(&jacobian, points: count, columns: m) { rows, wantJacobian in
            for i in 0..<count {
                let c = compute[i]
                // d prediction / d (E, A, C0, fourth, gamma); E's is always 1.
                let gradient: (a: Double, c0: Double, fourth: Double, gamma: Double)
                switch form {
                case .piecewise:
                    let threshold = fourth
                    if c <= threshold {
                        let decay = Foundation.exp(-c / c0)
                        let u = a * decay
                        predictions[i] = e + u
                        // At C = C_th the lower piece has no C_th dependence and the upper piece's
                        // derivative is u (gamma/C_th - 1/C0): report their mean (the central difference).
                        let kink = c == threshold ? 0.5 * u * (gamma / threshold - 1 / c0) : 0
                        gradient = (decay, u * c / (c0 * c0), kink, 0)
                    } else {
                        let logRatio = logCompute[i] - Foundation.log(threshold)
                        let shape = Foundation.exp(-threshold / c0 - gamma * logRatio)
                        let v = a * shape
                        predictions[i] = e + v
                        gradient = (shape, v * threshold / (c0 * c0), v * (gamma / threshold - 1 / c0), -v * logRatio)
                    }
                case .smooth:
                    let b = fourth
                    let decay = Foundation.exp(-c / c0)
                    let power = Foundation.exp(-gamma * logCompute[i])
                    predictions[i] = e + a * decay + b * power
                    gradient = (decay, a * decay * c / (c0 * c0), power, -logCompute[i] * b * power)
                }
                guard wantJacobian else { continue }
                let row = i * m
                rows[row] = 1
                rows[row + 1] = gradient.a
                rows[row + 2] = gradient.c0
                rows[row + 3] = gradient.fourth
                if m == 5 { rows[row + 4] = gradient.gamma }
            }
        }
    }
}
