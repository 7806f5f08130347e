import Foundation
import LawfitCore

/// ``DMFTLaw`` bound to its points: L_i = E + s L_RF(tau x_i, nu N_i, pi U_i), an absent N_i or
/// U_i (or P = infinity in the law) standing for infinity.
///
/// Exact solver: points sharing (N, P) form one curve, so the mode tables and the t-independent
/// Laplace-domain quantities (sigma_perp^2, the t = infinity ridges) are computed once per curve.
/// The Jacobian is filled here: exact in s and E, central differences with relative steps
/// h = 1e-4 theta for a, b, tau, nu, pi. The steps are relative because these parameters are
/// positive and may be tiny (the generic central difference's absolute step 1e-12 would send
/// nu = 1e-14 below zero), and 1e-4 balances the truncation error (h^2) against the solver's
/// relative accuracy of 1e-10 to 1e-9 (divided by h). A solver failure gives NaN for the affected
/// points, which the fitter's objective rejects with an error (never used silently).
///
/// Surrogate: the Jacobian is filled here: exact in s and E, by the chain rule with the surrogate's
/// analytic ln t, ln N, ln P slopes for tau, nu, pi, and by a 5-point central difference of the
/// closed-form coefficients (step 2e-4) for a and b.
struct DMFTEvaluator: LawEvaluator {
    struct Point: Sendable {
        var time: Double
        /// Model size N (nil: infinitely many features).
        var parameters: Double?
        /// Unique tokens U (nil: infinitely many samples).
        var unique: Double?
    }

    let solver: DMFTLaw.Solver
    let points: [Point]
    let parameterCount: Int
    let finiteSamples: Bool

    var count: Int { points.count }
    /// Both solvers fill the Jacobian (the exact one partly by central differences, see above).
    var hasAnalyticGradient: Bool { true }

    func predict(_ theta: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let (a, b, s, e, tau, nu) = (theta[0], theta[1], theta[2], theta[3], theta[4], theta[5])
        let pi = finiteSamples ? theta[6] : 0
        predictions = [Double](repeating: .nan, count: points.count)
        switch solver {
        case .exact:
            let raw = exactLosses(theta)
            for i in points.indices { predictions[i] = e + s * raw[i] }
            guard jacobian != nil else { return }
            var rows = [Double](repeating: 0, count: points.count * parameterCount)
            for i in points.indices {
                rows[i * parameterCount + 2] = raw[i]
                rows[i * parameterCount + 3] = 1
            }
            for column in [0, 1, 4, 5] + (finiteSamples ? [6] : []) {
                let h = 1e-4 * theta[column]
                var up = theta, down = theta
                up[column] += h
                down[column] -= h
                let plus = exactLosses(up), minus = exactLosses(down)
                for i in points.indices { rows[i * parameterCount + column] = s * (plus[i] - minus[i]) / (2 * h) }
            }
            jacobian = rows
        case .surrogate:
            let (t, n, p) = scaledInputs(theta)
            let surrogate = DMFTSurrogate(a: a, b: b)
            if jacobian != nil { jacobian = [Double](repeating: 0, count: points.count * parameterCount) }
            for i in points.indices {
                let v = surrogate.lossWithSlopes(time: t[i], features: n[i], samples: p[i])
                predictions[i] = e + s * v.value
                guard jacobian != nil else { continue }
                let row = i * parameterCount
                jacobian![row + 2] = v.value
                jacobian![row + 3] = 1
                jacobian![row + 4] = s * v.dLogT / tau
                jacobian![row + 5] = n[i] == nil ? 0 : s * v.dLogN / nu
                if finiteSamples { jacobian![row + 6] = p[i] == nil ? 0 : s * v.dLogP / pi }
            }
            guard jacobian != nil else { return }
            for (column, shift) in [(0, (1.0, 0.0)), (1, (0.0, 1.0))] {
                let h = 2e-4
                let stencil = [-2.0, -1, 1, 2].map { k in
                    DMFTSurrogate(a: a + k * h * shift.0, b: b + k * h * shift.1)
                }
                for i in points.indices {
                    let f = stencil.map { $0.loss(time: t[i], features: n[i], samples: p[i]) }
                    jacobian![i * parameterCount + column] = s * (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)
                }
            }
        }
    }

    /// The theory's t = tau x, N = nu params and P = pi U (nil: infinite) at every point.
    private func scaledInputs(_ theta: [Double]) -> (t: [Double], n: [Double?], p: [Double?]) {
        let (tau, nu) = (theta[4], theta[5])
        return (points.map { tau * $0.time }, points.map { $0.parameters.map { nu * $0 } },
                points.map { point in finiteSamples ? point.unique.map { theta[6] * $0 } : nil })
    }

    /// L_RF at every point by the exact solver, one curve per distinct (N, P).
    private func exactLosses(_ theta: [Double]) -> [Double] {
        let (a, b) = (theta[0], theta[1])
        let (t, n, p) = scaledInputs(theta)
        var raw = [Double](repeating: .nan, count: points.count)
        guard let solver = try? RandomFeatureDMFT(a: a, b: b) else { return raw }
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for i in points.indices {
            let key = "\(n[i]?.bitPattern ?? 0) \(p[i]?.bitPattern ?? 0)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        for key in order {
            let indices = groups[key]!
            let first = indices[0]
            guard let curve = try? solver.lossCurve(times: indices.map { t[$0] }, features: n[first], samples: p[first]) else {
                continue
            }
            for (i, value) in zip(indices, curve) { raw[i] = value }
        }
        return raw
    }
}
