import Foundation

/// A fast form of the Functional Scaling Law's theory for piecewise-constant schedules (constant,
/// step decay, WSD with a stepped decay, exponential decay step by step), at a cost independent of the
/// model size M (``FSLModeSum``).
///
/// The functional L(t) = sigma^2 + T(M) + e_M(t) + sum_{i<=t} sum_j f_j(t, i) g_j,i L(i-1), with
/// f_j(t, i) = prod_{r=i+1}^{t} f_j,r the per-mode propagation (exp(-2 eta_r lambda_j), or the discrete
/// (1 - eta_r lambda_j)^2 + eta_r^2 lambda_j^2 / B) and g_j,i = eta_i^2 lambda_j^2 / B (Li et al.,
/// NeurIPS 2025, arXiv 2509.19189, Theorem 4.2 and its finite-M form, LAWS.md Sec. 1), is closed by
/// the adiabatic step L(i-1) -> L(t) in the noise term (derived here, not from the paper):
///
///     L(t) = (sigma^2 + T(M) + e_M(t)) / (1 - S(t)),   S(t) = sum_j sum_{i<=t} f_j(t, i) g_j,i,
///
/// and in a phase of n steps at one rate, sum_i f^(n-i) g = g (1 - f^n) / (1 - f) in closed form. This
/// is exact at t = 0 and in the stationary limit of a constant rate (where it gives the theorem's
/// noise floor sigma^2 / (1 - gamma sum_j lambda_j / 2) for the continuum kernel), and slightly below the
/// functional while the loss still falls (the noise injected earlier was driven by a larger loss).
/// Measured against the functional: FSLTheoryClosedFormTests and Docs/laws/fsl.md.
struct FSLTheoryClosedForm: Sendable {
    /// One phase of a piecewise-constant schedule: `steps` updates at kernel rate `rate`.
    struct Phase: Sendable {
        var rate: Double
        var steps: Double
    }

    let capacity: Double
    let source: Double
    let amplitude: Double
    let noise: Double
    let batchSize: Double
    let form: FSLTheory.KernelForm

    /// The phases of a per-step schedule up to `step` (update t uses `rates[t]`, as in ``FSLTheory``):
    /// runs of equal rate.
    static func phases(rates: [Double], through step: Int) -> [Phase] {
        var phases: [Phase] = []
        for t in stride(from: 1, through: step, by: 1) {
            if let last = phases.last, last.rate == rates[t] {
                phases[phases.count - 1].steps += 1
            } else {
                phases.append(Phase(rate: rates[t], steps: 1))
            }
        }
        return phases
    }

    /// The mode quadrature of a model of M features, its eigenvalues, initial signal and noise floor:
    /// what every schedule's loss at that M starts from (the allocation's rate search reuses it).
    struct Model: Sendable {
        let weights: [Double]
        let lambdas: [Double]
        let signal: [Double]
        /// sigma^2 plus the target power beyond M.
        let floor: Double
    }

    /// The model of `modes` features.
    func model(modes: Double) -> Model {
        let kernel = FSLScaledKernel(capacity: capacity, source: source, amplitude: amplitude, modes: modes)
        let quadrature = FSLModeSum.nodes(modes: modes)
        return Model(weights: quadrature.weights, lambdas: quadrature.points.map { pow($0, -capacity) },
                     signal: quadrature.points.map { amplitude * pow($0, -kernel.powerExponent) }, floor: noise + kernel.tailPower)
    }

    /// The loss after the phases for a model of `modes` features, or +infinity where the noise feedback
    /// S reaches 1 (the run diverges).
    func loss(modes: Double, phases: [Phase]) -> Double {
        loss(model(modes: modes), phases: phases)
    }

    /// The loss after the phases for `model`, or +infinity where the noise feedback S reaches 1.
    func loss(_ model: Model, phases: [Phase]) -> Double {
        // The discrete kernel's top mode (lambda_1 = 1) grows once its factor reaches 1.
        if form == .discrete, phases.contains(where: { $0.steps > 0 && $0.rate * (1 + 1 / batchSize) >= 2 }) { return .infinity }
        let weights = model.weights, lambdas = model.lambdas, count = weights.count
        var signal = model.signal
        // Per mode: the noise injected in earlier phases (each driven by its phase's end loss), decayed.
        var injected = [Double](repeating: 0, count: count)
        let floor = model.floor, inverseBatch = 1 / batchSize
        var loss = floor + zip(weights, signal).reduce(0) { $0 + $1.0 * $1.1 }
        var gains = [Double](repeating: 0, count: count)
        for phase in phases where phase.steps > 0 {
            var drive = floor, feedback = 0.0
            for j in 0..<count {
                let x = phase.rate * lambdas[j]
                let logFactor: Double, oneMinusFactor: Double
                switch form {
                case .continuum:
                    logFactor = -2 * x
                    oneMinusFactor = -expm1(-2 * x)
                case .discrete:
                    oneMinusFactor = 2 * x - x * x * (1 + inverseBatch)
                    logFactor = log1p(-oneMinusFactor)
                }
                // 1 - f^n and f^n from one expm1 (f^n = 1 + expm1 is exact to rounding in absolute terms).
                let decayed = -expm1(phase.steps * logFactor), decay = 1 - decayed
                signal[j] *= decay
                injected[j] *= decay
                gains[j] = x * x * inverseBatch * decayed / oneMinusFactor
                drive += weights[j] * (signal[j] + injected[j])
                feedback += weights[j] * gains[j]
            }
            guard feedback < 1 else { return .infinity }
            loss = drive / (1 - feedback)
            for j in 0..<count { injected[j] += loss * gains[j] }
        }
        return loss
    }
}
