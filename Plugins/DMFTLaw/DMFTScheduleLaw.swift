import Foundation
import LawfitCore
import LossCurveSupport

/// The schedule-aware DMFT law (`dmft-sgd`): loss curves of one-pass minibatch SGD on power-law
/// random-feature regression under the run's learning-rate schedule (Bordelon, Atanasov & Pehlevan,
/// ICML 2024, Sec. 5 and App. F; LAWS.md §3; ``RandomFeatureSGDTheory``):
///
///     L(k) = E + s E_SGD(k; a, b, N, B, eta_i = c * lr_i, sigma^2 = E / s)
///
/// where E_SGD is the expected excess test loss after k updates of the theory with N random
/// features, batch B and learning rates c * lr. The irreducible loss E is the label noise (in loss
/// units), so it also drives the SGD noise: in theory units sigma^2 = E / s. E_SGD is affine in
/// sigma^2 (E_SGD = A + B sigma^2), so L = E + s A + B E.
///
/// Parameters: a, b (exponents), s (loss scale), E (irreducible loss), lrScale c (theory learning
/// rate per unit of the run's), features N. The batch B, the step form and the data modes are the
/// law's settings (registered: B = 1, the exact discrete step, infinitely many modes).
///
/// The prediction s A + E (1 + B) is linear and homogeneous in s and E (``PartiallyLinearLaw``), so
/// a default fit solves them at each start and runs Levenberg-Marquardt (far fewer evaluations than
/// LBFGS here; each costs the spectral measures of (a, b, N)).
///
/// The law is the typical (median) loss over draws of the features, not their mean: at a high rate
/// with few features some draws put S's top eigenvalue beyond the stable range of the step and
/// diverge, so the mean over draws has no limit there (at LR 0.3, N = 16, M = 400: 2 % of draws),
/// while the median follows the law to 1 % (DMFTScheduleSimulationTests). A run whose rate leaves the
/// theory's own stable range, (1 + 1/B) eta s_hi within 1 % of 2, or whose loss passes
/// ``RandomFeatureSGDTheory/divergedLoss``, predicts that diverged loss from there on.
///
/// Settings (``ConfigurableLaw``), e.g. `dmft-sgd(batch=8, modes=400, step=continuum)`:
/// - `batch` B (1 ... 1e9): the runs' batch size (1, the default, is plain SGD);
/// - `modes` M: a data spectrum of M modes instead of infinitely many (a simulation's, or a finite
///   input dimension); 0, the default, is infinite. A finite M also makes each evaluation cheaper
///   (the mode sums have ~100 + 25 log10(M/100) nodes instead of ~900);
/// - `step`: `discrete` (the default: exact one-pass SGD, (1 - eta s)^2 + eta^2 s^2 / B per step) or
///   `continuum` (exp(-2 eta s): the Volterra equation in intrinsic time, the reference's small-rate limit).
/// The law's name records the settings that differ from the defaults.
public struct DMFTScheduleLaw: PartiallyLinearLaw, ConfigurableLaw {
    /// The most data modes the `modes` setting accepts.
    public static let maximumModes = 1_000_000_000
    /// Batch size B of the theory.
    public let batchSize: Double
    /// How one SGD step acts on a mode.
    public let form: RandomFeatureSGDTheory.Form
    /// Number of data modes M (nil: infinitely many).
    public let modes: Int?

    /// The law with batch B (>= 1), step form and data modes (default: B = 1, exact discrete SGD,
    /// infinitely many modes).
    public init(batchSize: Double = 1, form: RandomFeatureSGDTheory.Form = .discrete, modes: Int? = nil) {
        precondition(batchSize >= 1, "dmft-sgd needs batch size >= 1")
        precondition(modes.map { $0 >= 2 } ?? true, "dmft-sgd needs at least 2 modes")
        self.batchSize = batchSize
        self.form = form
        self.modes = modes
    }

    /// `dmft-sgd`, with the settings that differ from the defaults: `dmft-sgd(batch=8, modes=400)`.
    public var name: String {
        var arguments: [String] = []
        if batchSize != 1 { arguments.append("batch=\(SpecValue.format(batchSize))") }
        if let modes { arguments.append("modes=\(modes)") }
        if form != .discrete { arguments.append("step=\(form.rawValue)") }
        return arguments.isEmpty ? "dmft-sgd" : "dmft-sgd(\(arguments.joined(separator: ", ")))"
    }

    public var configurationParameters: [SpecParameter] {
        [
            BatchSetting.parameter(default: batchSize),
            SpecParameter("modes", "number of data modes M in 2 ... 1e9 (0: infinitely many)", default: .number(Double(modes ?? 0))),
            SpecParameter("step", "discrete (exact one-pass SGD) or continuum (exp(-2 eta s), the small-rate limit)", default: .text(form.rawValue)),
        ]
    }

    public func configured(_ arguments: SpecArguments) throws -> any ScalingLaw {
        let owner = arguments.owner
        let value = try arguments.integer("modes")
        guard value == 0 || (2...Self.maximumModes).contains(value) else {
            throw LawfitError.input("\(owner): modes must be 0 (infinitely many) or in 2 ... 1e9, got \(value)")
        }
        let batch = try BatchSetting.checked(try arguments.number("batch"), owner: owner)
        let step = try arguments.text("step")
        guard let form = RandomFeatureSGDTheory.Form(rawValue: step) else {
            throw LawfitError.input("\(owner): step must be discrete or continuum, got '\(step)'")
        }
        return DMFTScheduleLaw(batchSize: batch, form: form, modes: value == 0 ? nil : value)
    }
    public var summary: String {
        "Random-feature DMFT under a schedule: one-pass SGD (batch \(SpecValue.format(batchSize)), "
            + (form == .discrete ? "exact discrete step" : "Volterra equation in intrinsic time")
            + "), L = E + s E_SGD(c lr; a, b, N) (Bordelon, Atanasov & Pehlevan, ICML 2024, Sec. 5)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = s A + E (1 + B): linear in the loss scale and the irreducible loss.
    public var linearParameters: [String] { ["s", "E"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace([
            Parameter("a", "task-power exponent: lambda_k w*_k^2 = k^-a", bounds: 1.05...8, starts: [2.5]),
            Parameter("b", "spectral exponent: lambda_k = k^-b", bounds: 1.05...5, starts: [1.5]),
            Parameter("s", "loss scale (loss units per unit of the theory's loss)", bounds: 1e-6...1e6, transform: .log, starts: [1]),
            Parameter("E", "irreducible loss (label noise; also drives the SGD noise)", bounds: 0...20, starts: [1]),
            Parameter("lrScale", "theory learning rate per unit of the run's", bounds: 1e-6...1e9, transform: .log, starts: [1000]),
            // Fewer features than data modes (the theory's N < M); the start below both.
            Parameter("features", "number of random features N", bounds: 2...(modes.map { Double($0) - 1 } ?? 1e8), transform: .log,
                      starts: [Swift.min(1000, modes.map { Double($0) / 4 } ?? 1000)]),
        ])
    }

    /// Starts moved to the runs' scales: E below the lowest loss, s at the loss range, and lrScale so
    /// that the peak rate maps to 0.3 (a stable step on the top mode lambda_1 = 1).
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        return parameterSpace
            .replacingStarts(of: "E", with: [0.9 * scale.minLoss])
            .replacingStarts(of: "s", with: [max(scale.maxLoss - scale.minLoss, 1e-3)])
            .replacingStarts(of: "lrScale", with: [0.3 / scale.peakRate])
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        try validate(runs)
        let (plans, count) = try SteppedRun.plans(of: runs, law: name)
        return DMFTScheduleEvaluator(plans: plans, count: count, batchSize: batchSize, form: form, modes: modes)
    }
}

/// ``DMFTScheduleLaw`` bound to fixed runs. The Jacobian is filled here: from the affine dependence
/// on sigma^2 exactly in s and E (dL/ds = A, dL/dE = 1 + B), by central differences with relative
/// steps 1e-4 theta for a, b, lrScale and N (the theory's relative accuracy is about 1e-10, so the
/// difference quotient is good to about 1e-6). A theory failure gives NaN, which the fitter rejects.
struct DMFTScheduleEvaluator: LawEvaluator {
    let plans: [SteppedRun]
    let count: Int
    let batchSize: Double
    let form: RandomFeatureSGDTheory.Form
    /// Data modes M (nil: infinitely many).
    let modes: Int?

    var parameterCount: Int { 6 }
    var hasAnalyticGradient: Bool { true }

    /// The largest rate of every run (per unit of lrScale).
    private var largestRate: Double { plans.map { $0.rates.max() ?? 0 }.max() ?? 0 }

    /// The spectral measures of (a, b, N) for runs at rates up to `scale` (1 + 1e-4) times the
    /// largest (so the central difference in lrScale is covered), reusing `sums` when they are those
    /// of (a, b); nil where the theory fails.
    private func measure(a: Double, b: Double, features: Double, scale: Double, sums: DMFTModeSums? = nil) -> DMFTSpectralMeasure? {
        guard let sums = sums ?? (try? RandomFeatureSGDTheory(a: a, b: b, modes: modes))?.sums else { return nil }
        let factor = RandomFeatureSGDTheory.stepFactor(largestRate: (1 + 1e-4) * scale * largestRate, batchSize: batchSize, form: form)
        return try? DMFTSpectralMeasure(sums: sums, features: features, stepFactor: factor)
    }

    /// A (the loss at sigma^2 = 0) and B (its slope in sigma^2) at every point, for rates `scale * lr`.
    private func affineParts(_ measure: DMFTSpectralMeasure?, scale: Double) -> (a: [Double], b: [Double])? {
        guard let measure else { return nil }
        var base = [Double](repeating: .nan, count: count), slope = base
        for plan in plans {
            let zero = RandomFeatureSGDTheory.run(measure, rates: plan.rates, scale: scale, batchSize: batchSize, noise: 0, form: form, steps: plan.steps)
            let one = RandomFeatureSGDTheory.run(measure, rates: plan.rates, scale: scale, batchSize: batchSize, noise: 1, form: form, steps: plan.steps)
            for (k, i) in plan.indices.enumerated() {
                base[i] = zero[k]
                slope[i] = one[k] - zero[k]
            }
        }
        return (base, slope)
    }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let (s, e) = (theta[2], theta[3])
        predictions = [Double](repeating: .nan, count: count)
        func loss(_ parts: (a: [Double], b: [Double]), _ i: Int) -> Double {
            let value = e + s * parts.a[i] + parts.b[i] * e
            return value.isNaN || abs(value) < RandomFeatureSGDTheory.divergedLoss ? value : RandomFeatureSGDTheory.divergedLoss
        }
        let sums = (try? RandomFeatureSGDTheory(a: theta[0], b: theta[1], modes: modes))?.sums
        let central = sums.flatMap { measure(a: theta[0], b: theta[1], features: theta[5], scale: theta[4], sums: $0) }
        guard let parts = affineParts(central, scale: theta[4]) else {
            if jacobian != nil { jacobian = [Double](repeating: .nan, count: count * parameterCount) }
            return
        }
        for i in 0..<count { predictions[i] = loss(parts, i) }
        guard jacobian != nil else { return }
        var rows = [Double](repeating: 0, count: count * parameterCount)
        for i in 0..<count {
            rows[i * parameterCount + 2] = parts.a[i]
            rows[i * parameterCount + 3] = 1 + parts.b[i]
        }
        // The measures change with a, b and N only, the mode sums with a and b only: reuse them.
        func partsMoving(_ column: Int, to p: [Double]) -> (a: [Double], b: [Double])? {
            switch column {
            case 4: affineParts(central, scale: p[4])
            case 5: affineParts(measure(a: p[0], b: p[1], features: p[5], scale: p[4], sums: sums), scale: p[4])
            default: affineParts(measure(a: p[0], b: p[1], features: p[5], scale: p[4]), scale: p[4])
            }
        }
        for column in [0, 1, 4, 5] {
            let h = 1e-4 * theta[column]
            var up = theta, down = theta
            up[column] += h
            down[column] -= h
            let plus = partsMoving(column, to: up)
            let minus = partsMoving(column, to: down)
            for i in 0..<count {
                guard let plus, let minus else {
                    rows[i * parameterCount + column] = .nan
                    continue
                }
                rows[i * parameterCount + column] = (loss(plus, i) - loss(minus, i)) / (2 * h)
            }
        }
        jacobian = rows
    }
}
