import Foundation
import LawfitCore
import Optimization

extension SparseFeatureLaw {
    /// N*, D* minimising L(N, C/(6N)) (C = 6ND) and L* there.
    ///
    /// No closed form exists once both bottlenecks and the interpolation factor act together, so
    /// the loss is minimised over x = log N on [0, log(C/6)] (N >= 1, D >= 1): a 400-point scan
    /// locates the best cell on the side of the double-descent peak where the minimum lies, then
    /// NLopt's LD_LBFGS with the analytic derivative dL/dx polishes inside the neighbouring cells.
    /// As C grows the frontier tends to N* ~ C^(alpha_o/(alpha_u+alpha_o)),
    /// D* ~ C^(alpha_u/(alpha_u+alpha_o)) (the additive bottlenecks; R -> 1 because N*/D* -> 0).
    ///
    /// - Throws: ``LawfitError`` for a non-positive or non-finite budget, a wrong parameter count,
    ///   or a failed minimisation.
    public func computeOptimum(parameters: [Double], compute: Double) throws -> ComputeOptimum {
        guard parameters.count == parameterSpace.count else {
            throw LawfitError.input("law '\(name)' has \(parameterSpace.count) parameters (\(parameterSpace.names.joined(separator: ", "))); got \(parameters.count) values")
        }
        guard compute.isFinite, compute > 6 else {
            throw LawfitError.input("law '\(name)': the compute budget must be finite and above 6 FLOP (one parameter, one token); got \(compute)")
        }
        let p = Self.unpack(parameters, exponents)
        let budget = compute / 6
        let upper = Foundation.log(budget)
        let cells = 400
        let grid = (0...cells).map { upper * Double($0) / Double(cells) }
        let values = grid.map { Self.frontierLoss(p, logN: $0, budget: budget).value }
        guard let best = values.indices.filter({ values[$0].isFinite }).min(by: { values[$0] < values[$1] }) else {
            throw LawfitError.fit("law '\(name)': the loss is not finite anywhere on the budget \(compute)")
        }
        let low = grid[max(best - 1, 0)], high = grid[min(best + 1, cells)]
        let minimizer = Minimizer(
            algorithm: .lbfgs, lowerBounds: [low], upperBounds: [high],
            stopping: StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-13, maxEvaluations: 1_000))
        let result: OptimizationResult
        do {
            result = try minimizer.minimize(from: [grid[best]]) { x, gradient in
                let (value, slope) = Self.frontierLoss(p, logN: x[0], budget: budget)
                gradient?[0] = slope
                return value
            }
        } catch {
            throw LawfitError.fit("law '\(name)': compute-optimal minimisation failed: \(error)")
        }
        let x = result.value <= values[best] ? result.x[0] : grid[best]
        let n = Foundation.exp(x)
        return ComputeOptimum(compute: compute, parameters: n, tokens: budget / n, loss: Self.frontierLoss(p, logN: x, budget: budget).value)
    }

    /// L and dL/dx at N = e^x, D = budget/N.
    static func frontierLoss(_ p: SparseFeatureParameters, logN x: Double, budget: Double) -> (value: Double, slope: Double) {
        let logD = Foundation.log(budget) - x
        let t = Foundation.exp(x - logD)
        let gapSquared = (t - 1) * (t - 1) + p.delta * p.delta
        let gap = gapSquared.squareRoot()
        let r = max(t, 1) / gap
        let termN = p.a * Foundation.exp(-p.alphaU * x)
        let termD = p.b * Foundation.exp(-p.alphaO * logD)
        let s = termN + termD
        // dt/dx = 2t; dR/dt = [1{t>1} - R (t - 1)/gap] / gap.
        let dRdt = ((t > 1 ? 1 : 0) - r * (t - 1) / gap) / gap
        let dSdx = -p.alphaU * termN + p.alphaO * termD
        return (p.e + s * r, dSdx * r + s * dRdt * 2 * t)
    }
}
