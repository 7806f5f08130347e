import Foundation
import LawfitCore
import LossCurveSupport

/// The Functional Scaling Law's theory functional as a fittable law (`fsl-theory`): the risk curve of
/// ``FSLTheory`` on the power-law kernel lambda_j = j^-beta, lambda_j theta*_j^2 = A j^-(1 + s beta)
/// (j <= M), noise sigma^2, batch B, with the run's learning rates multiplied by an LR scale c
/// (Li et al., NeurIPS 2025, arXiv 2509.19189, Sec. 4 and Theorem 4.2).
///
/// Parameters: `capacity` beta, `source` s, `amplitude` A, `noise` sigma^2 (the loss floor) and
/// `lrScale` c; M, B and the kernel form are fixed by the law's configuration. The loss is the
/// functional itself, not a surrogate: every evaluation solves the Volterra equation by the per-mode
/// recursion, O(M x steps) per run, and carries forward-mode sensitivities for an analytic Jacobian
/// (about 6x the cost of the loss alone).
///
/// Divergence: past SGD's stability limit (for the discrete form c eta lambda_1 > 2B/(B + 1); for the
/// continuum form once the feedback sum_j (c eta lambda_j)^2 / B outweighs the decay) the loss grows
/// geometrically, to infinity, and the recursion would overflow and then give NaN (inf times a
/// vanishing factor). No bound on c prevents this, since the limit depends on the run's learning
/// rates. A run whose loss passes ``divergedLoss`` (1e100, a loss no training survives, whose square
/// is still finite) is treated as diverged: that step and every later observed step predict
/// `divergedLoss` with zero derivatives (the diverged run no longer depends on the parameters), so
/// predictions and Jacobian stay finite and an objective sees an enormous residual, never NaN.
/// Below the ceiling the functional is evaluated exactly.
///
/// Settings (``ConfigurableLaw``, ``FSLTheorySettings``): `fsl-theory(modes=400, batch=8,
/// kernel=discrete, decay=0.2)`. Compute-optimal allocation (``ComputeOptimalLaw``): the law has no
/// model-size input, so N counts features (mode scale m = 1) and ``FSLTheoryAllocation`` gives M* = N*,
/// D* = B K* and L* from the fitted parameters.
///
/// Linear parameters (``PartiallyLinearLaw``): the per-mode recursion is linear in the modes' state and
/// in the loss it feeds back, its state starts at A j^-(1 + s beta) and the loss at sigma^2 plus that
/// state, so the loss is sigma^2 g(beta, s, c) + A h(beta, s, c): linear and homogeneous in the
/// amplitude and the noise (short of divergence, where the prediction saturates). Fits then solve
/// those two first at each start and run Levenberg-Marquardt by default.
public struct FSLTheoryLaw: ConfigurableLaw, ComputeOptimalLaw, PartiallyLinearLaw {
    /// The loss at which a run counts as diverged and the prediction it saturates at.
    public static let divergedLoss = 1e100

    /// Number of modes M of the kernel.
    public let modes: Int
    /// Batch size B (with the LR scale it sets the strength of the noise term).
    public let batchSize: Double
    /// Kernel form of the functional.
    public let form: FSLTheory.KernelForm
    /// The fraction of the steps the compute-optimal allocation's WSD decays over (0: a constant rate).
    public let allocationDecay: Double

    /// A theory law with M modes, batch B and kernel form (defaults: 200 modes, B = 1, continuum), and
    /// the allocation's decay fraction (default 0, a constant rate).
    public init(modes: Int = 200, batchSize: Double = 1, form: FSLTheory.KernelForm = .continuum, allocationDecay: Double = 0) {
        precondition(modes >= 1 && batchSize >= 1, "fsl-theory needs modes >= 1 and batch size >= 1")
        self.modes = modes
        self.batchSize = batchSize
        self.form = form
        self.allocationDecay = allocationDecay
    }

    private var settings: FSLTheorySettings { FSLTheorySettings(modes: modes, batchSize: batchSize, form: form, decay: allocationDecay) }

    /// `fsl-theory` (continuum kernel) or `fsl-theory-discrete` (the exact one-pass SGD kernel), with
    /// the settings that differ from the defaults: `fsl-theory(modes=400, batch=8)`.
    public var name: String { settings.name("fsl-theory") }
    public var configurationParameters: [SpecParameter] { settings.parameters }

    public func configured(_ arguments: SpecArguments) throws -> any ScalingLaw {
        let new = try settings.applying(arguments)
        return FSLTheoryLaw(modes: new.modes ?? modes, batchSize: new.batchSize, form: new.form, allocationDecay: new.decay)
    }

    /// N* (= M*, features), D* = B K* and L* at compute C = 6 N D, from the fitted parameters
    /// (``FSLTheoryAllocation`` with mode scale 1).
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        guard parameters.count == parameterSpace.count else {
            throw LawfitError.input("\(name) allocation needs \(parameterSpace.count) parameters (\(parameterSpace.parameters.map(\.name).joined(separator: ", "))), got \(parameters.count)")
        }
        let allocation = try FSLTheoryAllocation(law: name, parameters: parameters + [1], batchSize: batchSize, form: form, decay: allocationDecay)
        let optimum = try allocation.optimum(compute: compute)
        return ComputeOptimum(compute: compute, parameters: optimum.parameters, tokens: optimum.samples, loss: optimum.loss)
    }
    public var summary: String {
        "Functional Scaling Law theory functional on a power-law kernel (\(modes) modes, batch \(SpecValue.format(batchSize)), "
            + "\(form == .continuum ? "continuum kernel exp(-2 eta lambda)" : "discrete kernel (1 - eta lambda)^2 + eta^2 lambda^2/B: exact SGD")), "
            + "fitted through the functional (Li et al., NeurIPS 2025, Thm 4.2)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = sigma^2 g + A h: linear in the amplitude and the noise (see the type's description).
    public var linearParameters: [String] { ["amplitude", "noise"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("capacity", "capacity exponent beta: lambda_j = j^-beta", bounds: 1.01...4, starts: [1.5]),
            Parameter("source", "source exponent s: lambda_j theta_j^2 = A j^-(1 + s beta)", bounds: 0.02...3, starts: [0.5]),
            Parameter("amplitude", "amplitude A of the target power", bounds: 1e-4...1e3, transform: .log, starts: [1]),
            Parameter("noise", "noise variance sigma^2 (the loss floor)", bounds: 0...20, starts: [2]),
            Parameter("lrScale", "factor c mapping the run's learning rate to the kernel's", bounds: 1e-3...1e7, transform: .log, starts: [100, 1000]),
        ])
    }

    /// Default starts moved to the runs' scales: the noise floor below the lowest loss, the amplitude at
    /// the loss range, and the LR scale by the inverse of the learning-rate ratio to 3e-4.
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        return parameterSpace
            .replacingStarts(of: "noise", with: [0.9 * scale.minLoss])
            .replacingStarts(of: "amplitude", with: [scale.maxLoss - scale.minLoss])
            .scalingStarts(of: "lrScale", by: 1 / scale.rateFactor(over: FSLSurrogateLaw.startsPeakRate))
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        let (plans, count) = try SteppedRun.plans(of: runs, law: name)
        return FSLTheoryEvaluator(plans: plans, count: count, modes: modes, batchSize: batchSize, form: form)
    }
}

/// ``FSLTheoryLaw`` bound to fixed runs.
struct FSLTheoryEvaluator: LawEvaluator {
    /// Each run: its rates up to the last observed step and the observed steps in order.
    let plans: [SteppedRun]
    let count: Int
    let modes: Int
    let batchSize: Double
    let form: FSLTheory.KernelForm

    var parameterCount: Int { 5 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let beta = parameters[0], s = parameters[1], amplitude = parameters[2], sigma2 = parameters[3]
        let scale = parameters[4]
        let p = parameterCount
        let wantJacobian = jacobian != nil
        predictions = [Double](repeating: 0, count: count)
        var jac = wantJacobian ? [Double](repeating: 0, count: count * p) : []
        let logJ = (1...modes).map { log(Double($0)) }
        let lambda = logJ.map { exp(-beta * $0) }
        let initial = logJ.map { amplitude * exp(-(1 + s * beta) * $0) }
        let inverseBatch = 1 / batchSize
        // Per-mode scratch, reused across runs and steps (no allocation per step): state, factor,
        // x f'(x), gain, then d state_j / d theta interleaved (p per mode).
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: modes * (4 + p))
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0, count: modes * (4 + p))
        let state = scratch, factor = scratch + modes, factorSlope = scratch + 2 * modes
        let gain = scratch + 3 * modes, sens = scratch + 4 * modes
        for plan in plans {
            for j in 0..<modes {
                state[j] = initial[j]
                if wantJacobian {
                    sens[j * p] = -s * logJ[j] * initial[j]      // d/d beta
                    sens[j * p + 1] = -beta * logJ[j] * initial[j]  // d/d s
                    sens[j * p + 2] = initial[j] / amplitude      // d/d A
                    sens[j * p + 3] = 0                           // d/d sigma^2
                    sens[j * p + 4] = 0                           // d/d c
                }
            }
            var loss = sigma2
            for j in 0..<modes { loss += state[j] }
            // d loss / d (beta, s, A, sigma^2, c), as scalars so that a step allocates nothing.
            var dL0 = 0.0, dL1 = 0.0, dL2 = 0.0, dL3 = 1.0, dL4 = 0.0
            if wantJacobian {
                for j in 0..<modes {
                    dL0 += sens[j * p]
                    dL1 += sens[j * p + 1]
                    dL2 += sens[j * p + 2]
                }
            }
            var next = 0
            var lastRate = Double.nan
            var t = 0
            while true {
                if !(loss <= FSLTheoryLaw.divergedLoss) {
                    // Diverged: this and every later observed step saturate, with zero derivatives
                    // (the Jacobian rows are already zero).
                    for i in plan.indices[next...] { predictions[i] = FSLTheoryLaw.divergedLoss }
                    break
                }
                while next < plan.steps.count && plan.steps[next] == t {
                    let i = plan.indices[next]
                    predictions[i] = loss
                    if wantJacobian {
                        jac[i * p] = dL0
                        jac[i * p + 1] = dL1
                        jac[i * p + 2] = dL2
                        jac[i * p + 3] = dL3
                        jac[i * p + 4] = dL4
                    }
                    next += 1
                }
                if next == plan.steps.count { break }
                t += 1
                let eta = scale * plan.rates[t]
                if eta != lastRate {  // the per-mode factors change only where the rate does
                    for j in 0..<modes {
                        let x = eta * lambda[j]
                        let (f, slope) = form.factor(x, inverseBatch: inverseBatch)
                        factor[j] = f
                        factorSlope[j] = slope  // x f'(x)
                        gain[j] = x * x * inverseBatch
                    }
                    lastRate = eta
                }
                var newLoss = sigma2
                if !wantJacobian {
                    for j in 0..<modes {
                        let value = factor[j] * state[j] + gain[j] * loss
                        state[j] = value
                        newLoss += value
                    }
                    loss = newLoss
                    continue
                }
                // x = c eta lambda_j: dx/dbeta = -log(j) x, dx/dc = x / c; gain = x^2 / B.
                var n0 = 0.0, n1 = 0.0, n2 = 0.0, n3 = 1.0, n4 = 0.0
                for j in 0..<modes {
                    let f = factor[j], g = gain[j], old = state[j], lj = logJ[j]
                    let dfBeta = -lj * factorSlope[j], dfScale = factorSlope[j] / scale
                    let dgBeta = -lj * 2 * g, dgScale = 2 * g / scale
                    let base = j * p
                    let d0 = dfBeta * old + f * sens[base] + dgBeta * loss + g * dL0
                    let d1 = f * sens[base + 1] + g * dL1
                    let d2 = f * sens[base + 2] + g * dL2
                    let d3 = f * sens[base + 3] + g * dL3
                    let d4 = dfScale * old + f * sens[base + 4] + dgScale * loss + g * dL4
                    sens[base] = d0
                    sens[base + 1] = d1
                    sens[base + 2] = d2
                    sens[base + 3] = d3
                    sens[base + 4] = d4
                    n0 += d0
                    n1 += d1
                    n2 += d2
                    n3 += d3
                    n4 += d4
                    let value = f * old + g * loss
                    state[j] = value
                    newLoss += value
                }
                loss = newLoss
                dL0 = n0
                dL1 = n1
                dL2 = n2
                dL3 = n3
                dL4 = n4
            }
        }
        if wantJacobian { jacobian = jac }
    }
}
