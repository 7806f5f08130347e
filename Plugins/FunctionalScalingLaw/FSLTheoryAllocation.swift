import Foundation
import LawfitCore
import LossCurveSupport

/// The compute-optimal allocation of the Functional Scaling Law's theory (`lawfit optimal --law
/// fsl-theory-scaling --compute C`, or `--law fsl-theory` with N counting features): the model size M*, steps K* and constant learning rate minimising
/// the theory's loss at a compute budget, from fitted (beta, s, A, sigma^2, c, m).
///
/// Compute: the paper counts C = M D (features x samples; Li et al., NeurIPS 2025, arXiv 2509.19189,
/// Sec. 5); Lawfit's allocation is in C = 6 N D with N = M / m (the law's mode scale) and D = B K
/// samples, so M K = m C / (6 B): the budget in mode-steps. For each M the loss is that of
/// ``FSLTheoryClosedForm`` after K = m C / (6 B M) steps at the best peak kernel rate
/// x = c eta in [1e-12, 1] (lambda_1 = 1; beyond it the top mode overshoots) of the schedule: a
/// constant rate, or (`decay` f > 0) a WSD at x for (1 - f) K steps, then a linear decay to 0 over
/// f K steps, taken in ``decayPhases`` equal constant phases at the linear decay's mid-phase rates
/// (the closed form needs piecewise-constant phases; checked against the per-step decay of the
/// functional in FSLTheoryAllocationTests); M is searched over
/// [1, m C / (6 B)] on a log grid refined by golden sections in log M and log x. The closed form's
/// cost does not depend on M, so the search takes milliseconds at any budget (lawfit-bench fsl-optimal).
/// Checked against a brute-force minimisation of the functional in FSLTheoryAllocationTests.
struct FSLTheoryAllocation: Sendable {
    /// The optimum at one budget.
    struct Optimum: Sendable {
        /// M* in features (modes).
        var modes: Double
        /// K* in steps.
        var steps: Double
        /// The kernel rate x* = c eta*.
        var kernelRate: Double
        /// The run's learning rate eta* = x* / c.
        var rate: Double
        /// N* = M* / m.
        var parameters: Double
        /// D* = B K* samples.
        var samples: Double
        /// L* from the closed form.
        var loss: Double
    }

    /// Constant phases the WSD's linear decay is taken in.
    static let decayPhases = 16
    /// Where the golden sections stop, in log M and log x: M* and x* to 1e-5 relative (L* is flat there,
    /// so it moves by ~1e-10). Each of the outer search's ~50 points runs a 50-point rate search.
    static let tolerance = 1e-5

    /// The law's name as written (with its settings), for the errors.
    let law: String
    let theory: FSLTheoryClosedForm
    let lrScale: Double
    let modeScale: Double
    /// The fraction of the steps in the WSD's decay (0: a constant rate).
    let decay: Double

    /// The allocation for fitted parameters (capacity, source, amplitude, noise, lrScale, modeScale)
    /// of the law named `law` (as the user wrote it, settings included: the errors name it), batch B,
    /// kernel form and the schedule's decay fraction (0: a constant rate).
    ///
    /// - Throws: ``LawfitError`` (input) for a wrong count or values outside the law's domain.
    init(law: String, parameters: [Double], batchSize: Double, form: FSLTheory.KernelForm = .continuum, decay: Double = 0) throws {
        let names = ["capacity", "source", "amplitude", "noise", "lrScale", "modeScale"]
        guard parameters.count == names.count else {
            throw LawfitError.input("\(law) allocation needs 6 parameters (\(names.joined(separator: ", "))), got \(parameters.count)")
        }
        for (name, value) in zip(names, parameters) where !(value.isFinite && (value > 0 || (name == "noise" && value == 0))) {
            throw LawfitError.input("\(law) allocation: parameter '\(name)' must be finite and positive, got \(value)")
        }
        guard parameters[0] > 1 else { throw LawfitError.input("\(law) allocation: capacity must be > 1, got \(parameters[0])") }
        self.law = law
        theory = FSLTheoryClosedForm(capacity: parameters[0], source: parameters[1], amplitude: parameters[2], noise: parameters[3],
                                     batchSize: batchSize, form: form)
        lrScale = parameters[4]
        modeScale = parameters[5]
        self.decay = decay
    }

    /// The schedule's phases for `steps` steps at peak kernel rate `rate`.
    func phases(steps: Double, rate: Double) -> [FSLTheoryClosedForm.Phase] {
        guard decay > 0 else { return [.init(rate: rate, steps: steps)] }
        let count = Self.decayPhases, length = decay * steps / Double(count)
        return [.init(rate: rate, steps: (1 - decay) * steps)]
            + (0..<count).map { .init(rate: rate * (1 - (Double($0) + 0.5) / Double(count)), steps: length) }
    }

    /// The loss after `steps` steps of the schedule at peak kernel rate `rate` for M = `modes`.
    func loss(modes: Double, steps: Double, rate: Double) -> Double {
        theory.loss(modes: modes, phases: phases(steps: steps, rate: rate))
    }

    /// The optimum at compute C = 6 N D (FLOP).
    ///
    /// - Throws: ``LawfitError`` (input) when the budget buys less than one mode-step (m C / (6 B) < 1).
    func optimum(compute: Double) throws -> Optimum {
        let budget = modeScale * compute / (6 * theory.batchSize)
        guard compute > 0, budget.isFinite, budget >= 1 else {
            throw LawfitError.input(
                "\(law): the budget C = \(String(format: "%.4g", compute)) FLOP buys m C / (6 B) = \(String(format: "%.4g", budget)) mode-steps "
                    + "(modeScale m = \(String(format: "%.4g", modeScale)), batch B = \(SpecValue.format(theory.batchSize))); the allocation needs at least 1")
        }
        func bestRate(logModes: Double) -> (argument: Double, value: Double) {
            let modes = exp(logModes), steps = budget / modes, model = theory.model(modes: modes)
            return Self.minimize(lower: log(1e-12), upper: 0, gridPoints: 24) { theory.loss(model, phases: phases(steps: steps, rate: exp($0))) }
        }
        let best = Self.minimize(lower: 0, upper: log(budget), gridPoints: 24) { bestRate(logModes: $0).value }
        let modes = exp(best.argument), rate = exp(bestRate(logModes: best.argument).argument)
        let steps = budget / modes
        return Optimum(modes: modes, steps: steps, kernelRate: rate, rate: rate / lrScale, parameters: modes / modeScale,
                       samples: theory.batchSize * steps, loss: best.value)
    }

    /// The minimum of f on [lower, upper]: a grid of `gridPoints`, then golden sections on the
    /// bracket around the grid's best point (f is unimodal in log M and in log x here).
    static func minimize(lower: Double, upper: Double, gridPoints: Int, _ f: (Double) -> Double) -> (argument: Double, value: Double) {
        guard upper > lower else { return (lower, f(lower)) }
        let spacing = (upper - lower) / Double(gridPoints - 1)
        var bestIndex = 0, bestValue = Double.infinity
        for i in 0..<gridPoints {
            let value = f(lower + Double(i) * spacing)
            if value < bestValue { bestIndex = i; bestValue = value }
        }
        let bracket = GoldenSection.narrow(
            lower: lower + Double(max(bestIndex - 1, 0)) * spacing, upper: lower + Double(min(bestIndex + 1, gridPoints - 1)) * spacing,
            ratio: (sqrt(5.0) - 1) / 2, until: { a, b in !(b - a > tolerance) }, f)
        let candidates = [(lower + Double(bestIndex) * spacing, bestValue), (bracket.left.x, bracket.left.f), (bracket.right.x, bracket.right.f)]
        return candidates.min { $0.1 < $1.1 }.map { ($0.0, $0.1) }!
    }
}
