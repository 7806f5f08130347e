import Foundation
import LawfitCore

/// The LR-annealing scaling law (Tissue, Wang, Li, Zhang, "Scaling Law with Learning Rate
/// Annealing", arXiv 2408.11029, 2024, the main law of Sec. 3 with the momentum form of S2):
///
///     L(t) = L0 + A S1^-alpha - C S2,   S1 = sum_{i<=t} eta_i,
///     m_i = lambda m_{i-1} + (eta_{i-1} - eta_i),   S2 = sum_{i<=t} m_i.
///
/// Unrolling the momentum gives S2(t) = sum_{k<=t} (eta_{k-1} - eta_k) (1 - lambda^(t-k+1)) / (1 - lambda):
/// only change points contribute, so an evaluation costs O(observations x change points). Same
/// warmup convention as ``MultiPowerLaw``: S1 includes the warmup ramp and the S2 sum runs over it.
/// lambda (the paper's decay factor, about 0.999) is fitted; the Jacobian is analytic.
public struct LRAnnealingLaw: ScalingLaw {
    public init() {}

    public var name: String { "lr-annealing" }
    public var summary: String {
        "LR-annealing law L0 + A S1^-alpha - C S2 with momentum annealing area S2 (Tissue et al. 2024, arXiv 2408.11029)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("L0", "irreducible loss", bounds: 0...20, starts: [2.0]),
            Parameter("A", "amplitude of the power law in S1", bounds: 1e-6...1e3, transform: .log, starts: [0.5]),
            Parameter("alpha", "exponent of S1 (intrinsic time)", bounds: 1e-3...3, starts: [0.5]),
            Parameter("C", "weight of the annealing area S2", bounds: 0...1e4, starts: [0.1, 1]),
            Parameter("lambda", "momentum decay factor of S2", bounds: 0.5...0.99999, starts: [0.999]),
        ])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        LRAnnealingEvaluator(data: try ScheduledPoints(law: self, runs: runs))
    }
}

/// ``LRAnnealingLaw`` bound to fixed runs.
struct LRAnnealingEvaluator: LawEvaluator {
    let data: ScheduledPoints

    var count: Int { data.points.count }
    var parameterCount: Int { 5 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let l0 = parameters[0], a = parameters[1], alpha = parameters[2], c = parameters[3]
        let lambda = parameters[4]
        let p = parameterCount
        predictions = [Double](repeating: 0, count: count)
        let wantJacobian = jacobian != nil
        var jac = wantJacobian ? [Double](repeating: 0, count: count * p) : []
        let logLambda = log(lambda), oneMinus = 1 - lambda
        for (i, point) in data.points.enumerated() {
            let run = data.runs[point.run]
            var area = 0.0, dLambda = 0.0
            for k in 0..<point.changePoints {
                let d = run.drop[k]
                let n = Double(point.step - run.step[k] + 1)
                let powerN = exp(n * logLambda)  // lambda^n
                let h = (1 - powerN) / oneMinus
                area += d * h
                if wantJacobian {
                    // dh/dlambda = [(1 - lambda^n) - n lambda^(n-1) (1 - lambda)] / (1 - lambda)^2
                    dLambda += d * (h - n * powerN / lambda) / oneMinus
                }
            }
            let decay = exp(-alpha * point.logTau)
            predictions[i] = l0 + a * decay - c * area
            if wantJacobian {
                let row = i * p
                jac[row] = 1
                jac[row + 1] = decay
                jac[row + 2] = -a * decay * point.logTau
                jac[row + 3] = -area
                jac[row + 4] = -c * dLambda
            }
        }
        if wantJacobian { jacobian = jac }
    }
}
