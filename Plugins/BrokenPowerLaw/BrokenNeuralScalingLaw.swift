import Foundation
import LawfitCore

/// The Broken Neural Scaling Law of Caballero, Gupta, Rish & Krueger, "Broken Neural Scaling Laws"
/// (ICLR 2023, arXiv 2210.14891), eq. 1, with n = 1, 2 or 3 breaks:
///
///     y = a + b x^-c0 prod_{i=1..n} (1 + (x/d_i)^(1/f_i))^(-c_i f_i).
///
/// A smoothly broken power law: slope -c0 in log-log below the first break, and the slope changes
/// by -c_i around x = d_i with sharpness f_i (smaller f_i, sharper break). Evaluated in log space,
/// log(y - a) = log b - c0 log x - sum_i c_i f_i softplus((log x - log d_i)/f_i), so no power
/// overflows for x in FLOP.
///
/// Saturation: the declared bounds (b and d_i down to 1e-30, |c_i| up to 5, f_i up to 100) admit
/// values of y - a far beyond the largest Double (b = 6.5e23, c0 = -1.5, c1 = -4.9, d1 = 5e-25,
/// f1 = 94 gives y - a = 1e358 at C = 6e25), and the natural-unit Jacobian multiplies y - a by
/// 1/b and c_i/d_i (up to 5e30). So the log term L = log(y - a) is used exactly up to
/// ``BNSLEvaluator/saturation`` (L = 600, y - a = 3.8e260, many orders beyond any loss) and
/// continued above it as y - a = e^600 (1 + L - 600): continuous with a continuous, non-zero slope
/// (the optimiser is still pointed back), growing only linearly in L, so predictions and Jacobian
/// stay finite over the bounds. Below the saturation the published formula is evaluated exactly.
///
/// x is compute C by default (the registered `bnsl-1`, `bnsl-2`, `bnsl-3`); a law value can use
/// model size N, tokens D or the optimiser step instead (``Variable``).
///
/// The default start grid is log-spaced in b and in the break positions d_i (break i draws its
/// starts from the i-th of n equal log-segments of the variable's typical range, so breaks start
/// ordered), as the authors initialise their fits from a grid with log-spaced b and d.
public struct BrokenNeuralScalingLaw: ScalingLaw {
    /// The quantity on the x-axis.
    public enum Variable: String, Sendable, Hashable, CaseIterable {
        /// Compute C (logged, else 6ND): the registered laws.
        case compute
        /// Model size N.
        case parameters
        /// Training tokens D.
        case tokens
        /// Optimiser step (must be positive).
        case step

        /// The law input read from each observation.
        public var input: LawInput {
            switch self {
            case .compute: .compute
            case .parameters: .parameters
            case .tokens: .tokens
            case .step: .step
            }
        }

        /// The typical range (decades) over which break starts are spread.
        var typicalRange: (low: Double, high: Double) {
            switch self {
            case .compute: (15, 25)
            case .parameters: (6, 12)
            case .tokens: (8, 13)
            case .step: (1, 6)
            }
        }
    }

    /// Number of breaks, 1 to 3.
    public let breaks: Int
    /// The x-axis.
    public let variable: Variable

    /// A BNSL with `breaks` breaks along `variable`.
    ///
    /// - Throws: ``LawfitError`` (input) unless 1 <= breaks <= 3.
    public init(breaks: Int, variable: Variable = .compute) throws {
        guard (1...3).contains(breaks) else {
            throw LawfitError.input("a broken neural scaling law takes 1, 2 or 3 breaks; got \(breaks)")
        }
        self.breaks = breaks
        self.variable = variable
    }

    /// `bnsl-<n>` along compute, `bnsl-<n>-<variable>` otherwise.
    public var name: String { "bnsl-\(breaks)" + (variable == .compute ? "" : "-\(variable.rawValue)") }

    public var summary: String {
        "broken neural scaling law, \(breaks) break\(breaks == 1 ? "" : "s") in \(variable.input.rawValue); Caballero et al. 2022 (arXiv 2210.14891) eq. 1"
    }

    public var requiredInputs: Set<LawInput> { [variable.input] }

    public var parameterSpace: ParameterSpace {
        let (low, high) = variable.typicalRange
        let width = (high - low) / Double(breaks)
        var parameters = [
            Parameter("a", "limit of y as the slope terms vanish", bounds: 0...1e3, starts: [0, 1]),
            Parameter("b", "scale", bounds: 1e-30...1e40, transform: .log, starts: [10]),
            Parameter("c0", "slope before the first break", bounds: -2...5, starts: [0.1, 0.5]),
        ]
        for i in 1...breaks {
            let segment = low + width * Double(i - 1)
            let positions = [segment + width / 3, segment + 2 * width / 3].map { Foundation.pow(10, $0) }
            parameters += [
                Parameter("c\(i)", "slope change at break \(i)", bounds: -5...5, starts: i == 1 ? [0.2, 1] : [0.5]),
                Parameter("d\(i)", "position of break \(i)", bounds: 1e-30...1e40, transform: .log, starts: positions),
                Parameter("f\(i)", "sharpness of break \(i) (smaller is sharper)", bounds: 1e-3...1e2, transform: .log, starts: i == 1 ? [0.3, 1] : [0.5]),
            ]
        }
        return ParameterSpace(parameters)
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        var logX: [Double] = []
        for run in runs {
            for observation in run.observations {
                let x = observation.value(of: variable.input)!
                guard x > 0 else {
                    throw LawfitError.input(
                        "law '\(name)' needs a positive \(variable.input.rawValue); got \(x)",
                        at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: variable.input.rawValue))
                }
                logX.append(Foundation.log(x))
            }
        }
        return BNSLEvaluator(breaks: breaks, logX: logX)
    }
}

/// The BNSL bound to points log x_i, evaluated in log space with analytic gradients.
struct BNSLEvaluator: LawEvaluator {
    let breaks: Int
    let logX: [Double]

    var count: Int { logX.count }
    var parameterCount: Int { 3 + 3 * breaks }
    var hasAnalyticGradient: Bool { true }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        sizeBuffers(&predictions, &jacobian)
        withJacobianRows(&jacobian, points: count, columns: parameterCount) { rows, wantJacobian in
            theta.withUnsafeBufferPointer { theta in
                logX.withUnsafeBufferPointer { logX in
                    predictions.withUnsafeMutableBufferPointer { out in
                        rows.withUnsafeMutableBufferPointer { rows in
                            fill(theta, logX, out, wantJacobian ? rows : nil)
                        }
                    }
                }
            }
        }
    }

    private func fill(
        _ theta: UnsafeBufferPointer<Double>, _ logX: UnsafeBufferPointer<Double>,
        _ out: UnsafeMutableBufferPointer<Double>, _ rows: UnsafeMutableBufferPointer<Double>?
    ) {
        let m = parameterCount
        let (a, b, c0) = (theta[0], theta[1], theta[2])
        let logB = Foundation.log(b)
        var logD = (0.0, 0.0, 0.0)
        for k in 0..<breaks {
            let value = Foundation.log(theta[4 + 3 * k])
            switch k {
            case 0: logD.0 = value
            case 1: logD.1 = value
            default: logD.2 = value
            }
        }
        func logPosition(_ k: Int) -> Double { k == 0 ? logD.0 : (k == 1 ? logD.1 : logD.2) }
        for i in 0..<logX.count {
            let x = logX[i]
            var logTerm = logB - c0 * x
            for k in 0..<breaks {
                let (c, f) = (theta[3 + 3 * k], theta[5 + 3 * k])
                logTerm -= c * f * Self.softplus((x - logPosition(k)) / f)
            }
            // term = y - a and slope = d term / d logTerm, saturated above `saturation`.
            let term: Double, slope: Double
            if logTerm <= Self.saturation {
                term = Foundation.exp(logTerm)
                slope = term
            } else {
                slope = Self.saturatedScale
                term = slope * (1 + (logTerm - Self.saturation))
            }
            out[i] = a + term
            guard let rows else { continue }
            let row = i * m
            rows[row] = 1
            rows[row + 1] = slope / b
            rows[row + 2] = -x * slope
            for k in 0..<breaks {
                let (c, d, f) = (theta[3 + 3 * k], theta[4 + 3 * k], theta[5 + 3 * k])
                let z = (x - logPosition(k)) / f
                rows[row + 3 + 3 * k] = -f * Self.softplus(z) * slope
                rows[row + 4 + 3 * k] = c * Self.logistic(z) / d * slope
                rows[row + 5 + 3 * k] = -c * Self.softplusMinusZLogistic(z) * slope
            }
        }
    }

    /// The log term log(y - a) above which the evaluator saturates (see ``BrokenNeuralScalingLaw``).
    static let saturation = 600.0
    /// e^saturation.
    static let saturatedScale = Foundation.exp(saturation)

    /// log(1 + e^z) without overflow.
    static func softplus(_ z: Double) -> Double {
        max(z, 0) + Foundation.log1p(Foundation.exp(-abs(z)))
    }

    /// softplus(z) - z logistic(z) = log(1 + e^-|z|) + |z| logistic(-|z|) (even in z), without the
    /// cancellation of the difference for large |z|: d/df of f softplus(u/f) at z = u/f.
    static func softplusMinusZLogistic(_ z: Double) -> Double {
        let size = abs(z)
        return Foundation.log1p(Foundation.exp(-size)) + size * logistic(-size)
    }

    /// 1/(1 + e^-z) without overflow.
    static func logistic(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
        let ez = Foundation.exp(z)
        return ez / (1 + ez)
    }
}
