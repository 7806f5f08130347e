import Foundation
import LawfitCore
import LossCurveSupport

/// The Functional Scaling Law's schedule theorems as a fast law (`fsl-theorem`): the first-order (Born)
/// terms of Theorem 4.2, E[R] = sigma^2 + e(tau) + sigma^2 int_0^tau K(tau - z) gamma(z) dz, on the
/// power-law kernel of ``FSLTheoryLaw`` (lambda_j = j^-beta, lambda_j theta*_j^2 = A j^-(1 + s beta),
/// j <= M, continuum kernel, gamma = c eta / B), in closed form for any schedule (Li, Chen, Huang, Wang,
/// Wu, NeurIPS 2025, arXiv 2509.19189, Theorems 4.2 and 5.2-5.4; LAWS.md Sec. 1).
///
/// Derived here (not from the paper): integrating the noise term by parts over the schedule's rate
/// changes, with x_i = c eta_i, tau_k = sum_{i<=k} x_i and H(u) = sum_{j<=M} lambda_j exp(-2 lambda_j u),
/// the noise injected up to step k, per unit of the loss that drives it, is
///
///     S(k) = (1 / 2B) [x_k H(0) - x_1 H(tau_k) + sum_{i<=k} (x_{i-1} - x_i) H(tau_k - tau_{i-1})],
///
/// and the law is L(k) = (sigma^2 + e(tau_k)) / (1 - S(k)), e(tau) = A sum_{j<=M} j^-(1 + s beta) exp(-2 lambda_j tau):
/// the theorem's drive e(z) + sigma^2 taken at its current value and its feedback summed (the closure
/// of ``FSLTheoryClosedForm``). To first order, sigma^2 + e(tau) + sigma^2 S(k): for a constant rate
/// Theorem 5.2's M^-s beta + (gamma D)^-s + gamma sigma^2 form (sigma^2 S = gamma sigma^2 sum_j lambda_j / 2
/// once tau >> 1); for an exponential decay a -> b and a WSD the sum over the decay gives Theorems
/// 5.3-5.4's sigma^2 [b/B + (a - b) min(M, T^(1/beta)) / (B T)] (H(u) ~ u^(1/beta - 1) up to u ~ M^beta).
/// The sums over modes are exact for j <= 16 and integrals beyond (``FSLPowerIntegral``, incomplete
/// gamma functions), so the cost is independent of M: O(observed steps x rate changes) per run. What
/// it drops: the signal's excess e(z) - e(tau) in the noise drive of earlier steps, and the step
/// discreteness of the injected noise (first order in eta lambda_1). Where S reaches 1 the run
/// diverges and the law predicts ``FSLTheoryLaw/divergedLoss``. Measured against the functional in
/// FSLTheoremLawTests and Docs/laws/fsl.md.
///
/// Parameters: those of ``FSLTheoryLaw``. Settings: `fsl-theorem(modes=200, batch=1)`. The Jacobian is
/// by central differences.
public struct FSLTheoremLaw: ConfigurableLaw {
    /// Modes summed term by term; the rest are an integral.
    static let exactModes = 16
    /// The most modes M (the cost does not depend on M).
    public static let maximumModes = 1e12

    /// Number of modes M.
    public let modes: Double
    /// Batch size B.
    public let batchSize: Double

    /// The law with M modes and batch B (defaults 200 and 1, as `fsl-theory`).
    public init(modes: Double = 200, batchSize: Double = 1) {
        precondition(modes >= 1 && batchSize >= 1, "fsl-theorem needs modes >= 1 and batch size >= 1")
        self.modes = modes.rounded(.down)
        self.batchSize = batchSize
    }

    public var name: String {
        var arguments: [String] = []
        if modes != 200 { arguments.append("modes=\(SpecValue.format(modes))") }
        if batchSize != 1 { arguments.append("batch=\(SpecValue.format(batchSize))") }
        return arguments.isEmpty ? "fsl-theorem" : "fsl-theorem(\(arguments.joined(separator: ", ")))"
    }
    public var summary: String {
        "Functional Scaling Law schedule theorems: first-order terms of Thm 4.2 in closed form for any schedule (constant, exponential, WSD: "
            + "Thms 5.2-5.4), \(SpecValue.format(modes)) modes, batch \(SpecValue.format(batchSize)); cost independent of M (Li et al., NeurIPS 2025)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    public var parameterSpace: ParameterSpace { FSLTheoryLaw().parameterSpace }
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace { FSLTheoryLaw().parameterSpace(adaptedTo: runs) }

    public var configurationParameters: [SpecParameter] {
        [
            SpecParameter("modes", "number of modes M in 1 ... 1e12", default: .number(modes)),
            BatchSetting.parameter(default: batchSize),
        ]
    }

    public func configured(_ arguments: SpecArguments) throws -> any ScalingLaw {
        let modes = try arguments.number("modes"), batch = try arguments.number("batch")
        guard modes >= 1, modes <= Self.maximumModes, modes == modes.rounded() else {
            throw LawfitError.input("\(arguments.owner): modes must be a whole number in 1 ... 1e12, got \(SpecValue.format(modes))")
        }
        return FSLTheoremLaw(modes: modes, batchSize: try BatchSetting.checked(batch, owner: arguments.owner))
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        var plans: [FSLTheoremEvaluator.RunPlan] = []
        var count = 0
        for run in runs {
            let (schedule, steps) = try SteppedRun.observedSteps(of: run, law: name)
            var plan = FSLTheoremEvaluator.RunPlan()
            plan.steps = steps
            plan.indices = Array(count..<(count + steps.count))
            count += steps.count
            let last = plan.steps.max() ?? 0
            let rates = schedule.rates
            plan.rates = last >= 1 ? Array(rates[1...last]) : []
            var sum = 0.0
            plan.times = plan.rates.map { sum += $0; return sum }
            for i in stride(from: 1, to: plan.rates.count, by: 1) where plan.rates[i] != plan.rates[i - 1] { plan.changes.append(i) }
            plans.append(plan)
        }
        return FSLTheoremEvaluator(plans: plans, count: count, modes: modes, batchSize: batchSize)
    }
}

/// ``FSLTheoremLaw`` bound to fixed runs.
struct FSLTheoremEvaluator: LawEvaluator {
    /// One run: rates of updates 1 ... K (index k - 1 for update k), their unscaled intrinsic times,
    /// the indices where the rate changes, and the observed steps.
    struct RunPlan: Sendable {
        var rates: [Double] = []
        var times: [Double] = []
        var changes: [Int] = []
        var steps: [Int] = []
        var indices: [Int] = []
    }

    let plans: [RunPlan]
    let count: Int
    let modes: Double
    let batchSize: Double

    var parameterCount: Int { 5 }
    var hasAnalyticGradient: Bool { false }

    /// sum_{j<=M} j^-q exp(-2 j^-beta u): exact to ``FSLTheoremLaw/exactModes``, an integral beyond.
    static func modeSum(exponent q: Double, capacity beta: Double, modes: Double, time u: Double) -> Double {
        let exact = min(modes, Double(FSLTheoremLaw.exactModes))
        var sum = 0.0
        for j in stride(from: 1.0, through: exact, by: 1) { sum += pow(j, -q) * exp(-2 * pow(j, -beta) * u) }
        if modes > exact { sum += FSLPowerIntegral.integral(exponent: q, capacity: beta, from: exact + 0.5, to: modes + 0.5, time: u) }
        return sum
    }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let beta = parameters[0], s = parameters[1], amplitude = parameters[2], sigma2 = parameters[3], c = parameters[4]
        let p = 1 + s * beta
        let h0 = Self.modeSum(exponent: beta, capacity: beta, modes: modes, time: 0)
        predictions = [Double](repeating: 0, count: count)
        for plan in plans {
            for (step, index) in zip(plan.steps, plan.indices) {
                guard step >= 1 else {
                    predictions[index] = sigma2 + amplitude * Self.modeSum(exponent: p, capacity: beta, modes: modes, time: 0)
                    continue
                }
                let tau = c * plan.times[step - 1]
                var bracket = c * plan.rates[step - 1] * h0 - c * plan.rates[0] * Self.modeSum(exponent: beta, capacity: beta, modes: modes, time: tau)
                for i in plan.changes {
                    guard i < step else { break }
                    // rates[i] is update i + 1; the change sits at tau_i (after update i).
                    let drop = c * (plan.rates[i - 1] - plan.rates[i])
                    bracket += drop * Self.modeSum(exponent: beta, capacity: beta, modes: modes, time: tau - c * plan.times[i - 1])
                }
                let signal = amplitude * Self.modeSum(exponent: p, capacity: beta, modes: modes, time: tau)
                let noise = bracket / (2 * batchSize)
                predictions[index] = noise < 1 ? (sigma2 + signal) / (1 - noise) : FSLTheoryLaw.divergedLoss
            }
        }
    }
}
