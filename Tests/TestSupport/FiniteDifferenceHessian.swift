import Foundation
import LawfitCore

extension ObjectiveHessian {
    /// H_jk = d^2 f / du_j du_k at `u`, symmetrised: central differences of the gradient (analytic
    /// where the law has one), 2 p gradient evaluations. Its truncation error grows with a
    /// parameter's sensitivity (step 1e-5 |u_k|): on a 1e6-row lr-annealing log its smallest
    /// eigenvalue is -1.7e-10 of the largest, along C, where the Gauss-Newton matrix is positive
    /// definite; fits use ``ObjectiveHessian/gaussNewton(_:at:)``, and tests check it against this.
    public static func compute(_ objective: BoundObjective, at u: [Double]) throws -> [[Double]] {
        let p = u.count
        let evaluate = objective.makeNLoptObjective()
        func gradient(_ x: [Double]) throws -> [Double] {
            var g = [Double](repeating: 0, count: p)
            try x.withUnsafeBufferPointer { xb in
                try g.withUnsafeMutableBufferPointer { gb in _ = try evaluate(xb, gb) }
            }
            return g
        }
        var h = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var shifted = u
        for k in 0..<p {
            let step = 1e-5 * max(abs(u[k]), 1e-3)
            shifted[k] = u[k] + step
            let plus = try gradient(shifted)
            shifted[k] = u[k] - step
            let minus = try gradient(shifted)
            shifted[k] = u[k]
            for j in 0..<p { h[j][k] = (plus[j] - minus[j]) / (2 * step) }
        }
        for j in 0..<p { for k in 0..<j { let m = 0.5 * (h[j][k] + h[k][j]); h[j][k] = m; h[k][j] = m } }
        return h
    }
}
