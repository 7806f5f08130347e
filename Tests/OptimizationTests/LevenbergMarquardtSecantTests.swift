import Foundation
import Optimization
import Testing

/// Levenberg-Marquardt's structured secant correction (NL2SOL's): where the supplied curvature is
/// not the Hessian, as the IRLS curvature of a Huber sum is not near its optimum, the correction
/// turns the linear convergence of the plain method into a superlinear one, to the same minimum.
@Suite struct LevenbergMarquardtSecantTests {
    /// f(x) = (x - m)^T Q (x - m) / 2 with the curvature 2 Q supplied (an overstated model, as the
    /// IRLS weight delta/|r| overstates rho'' = 0 beyond Huber's delta).
    static func overstatedQuadratic(
        _ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?, _ curvature: UnsafeMutableBufferPointer<Double>?
    ) -> Double {
        let q: [Double] = [4, 1, 0, 1, 3, 0.5, 0, 0.5, 2], m: [Double] = [1, -2, 0.5]
        var f = 0.0
        for i in 0..<3 {
            var row = 0.0
            for j in 0..<3 { row += q[i * 3 + j] * (x[j] - m[j]) }
            f += 0.5 * (x[i] - m[i]) * row
            gradient?[i] = row
        }
        if let curvature { for k in 0..<9 { curvature[k] = 2 * q[k] } }
        return f
    }

    /// Plain LM with a curvature twice the Hessian halves the error per step (linear convergence);
    /// with the secant correction it reaches the closed-form minimum m in far fewer evaluations.
    @Test func secantCorrectsAnOverstatedCurvature() throws {
        let stopping = StoppingCriteria(ftolRel: 0, xtolRel: 1e-12, maxEvaluations: 500)
        let plain = try LevenbergMarquardt(stopping: stopping, structuredSecant: false)
            .minimize(from: [3, 1, -1]) { x, g, h in Self.overstatedQuadratic(x, g, h) }
        let secant = try LevenbergMarquardt(stopping: stopping)
            .minimize(from: [3, 1, -1]) { x, g, h in Self.overstatedQuadratic(x, g, h) }
        for (x, m) in zip(secant.x, [1.0, -2, 0.5]) { #expect(abs(x - m) <= 1e-9, "\(secant.x)") }
        for (x, m) in zip(plain.x, [1.0, -2, 0.5]) { #expect(abs(x - m) <= 1e-9, "\(plain.x)") }
        // Measured: plain 43 evaluations, secant 16 (the quadratic is exact, so these are fixed).
        #expect(secant.evaluations <= 20, "secant \(secant.evaluations)")
        #expect(plain.evaluations >= 30, "plain \(plain.evaluations)")
    }

    /// y_i = 2 exp(-0.7 t_i) + 0.5 plus small deterministic noise, with every fifth point an outlier
    /// (+0.3), fitted under Huber(delta = 0.01) with the IRLS curvature (weight delta/|r| beyond
    /// delta), the objective `BoundObjective` builds for the laws.
    static func huberFit(
        _ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?, _ curvature: UnsafeMutableBufferPointer<Double>?
    ) -> Double {
        let delta = 0.01
        var f = 0.0
        if let gradient { for j in 0..<3 { gradient[j] = 0 } }
        if let curvature { for k in 0..<9 { curvature[k] = 0 } }
        for i in 0..<60 {
            let t = Double(i) * 0.1
            let noise = 0.02 * sin(1.7 * Double(i) * Double(i)) + (i % 5 == 0 ? 0.3 : 0)
            let observed = 2 * exp(-0.7 * t) + 0.5 + noise
            let e = exp(-x[1] * t)
            let r = x[0] * e + x[2] - observed
            let jacobian = [e, -x[0] * t * e, 1]
            let a = abs(r)
            f += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)
            let slope = a <= delta ? r : (r > 0 ? delta : -delta)
            let weight = a <= delta ? 1 : delta / a
            if let gradient { for j in 0..<3 { gradient[j] += slope * jacobian[j] } }
            if let curvature { for j in 0..<3 { for k in 0..<3 { curvature[j * 3 + k] += weight * jacobian[j] * jacobian[k] } } }
        }
        return f
    }

    /// The Huber fit reaches NLopt L-BFGS's minimum at tight tolerance, with and without the
    /// correction; the correction takes fewer evaluations. The gradient the test objective supplies
    /// is checked against central differences first (the secant update relies on it).
    @Test func huberFitWithOutliersReachesTheLBFGSMinimumFaster() throws {
        let point = [1.5, 0.5, 0.8]
        var gradient = [0.0, 0, 0]
        _ = point.withUnsafeBufferPointer { x in gradient.withUnsafeMutableBufferPointer { Self.huberFit(x, $0, nil) } }
        for j in 0..<3 {
            var plus = point, minus = point
            plus[j] += 1e-6
            minus[j] -= 1e-6
            let difference = (plus.withUnsafeBufferPointer { Self.huberFit($0, nil, nil) }
                - minus.withUnsafeBufferPointer { Self.huberFit($0, nil, nil) }) / 2e-6
            #expect(abs(gradient[j] - difference) <= 1e-6 * max(abs(difference), 1e-3), "coordinate \(j)")
        }
        let stopping = StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-13, maxEvaluations: 5_000)
        let lbfgs = try Minimizer(algorithm: .lbfgs, stopping: stopping).minimize(from: point) { x, g in Self.huberFit(x, g, nil) }
        let plain = try LevenbergMarquardt(stopping: stopping, structuredSecant: false)
            .minimize(from: point) { x, g, h in Self.huberFit(x, g, h) }
        let secant = try LevenbergMarquardt(stopping: stopping).minimize(from: point) { x, g, h in Self.huberFit(x, g, h) }
        for result in [plain, secant] {
            #expect(result.value <= lbfgs.value * (1 + 1e-12), "\(result.value) vs L-BFGS \(lbfgs.value)")
            for (a, b) in zip(result.x, lbfgs.x) { #expect(abs(a - b) <= 1e-6 * max(abs(b), 1), "\(result.x) vs \(lbfgs.x)") }
        }
        // Measured: plain 44 evaluations, secant 19 (deterministic; L-BFGS needs more than either).
        #expect(secant.evaluations <= 25, "secant \(secant.evaluations)")
        #expect(secant.evaluations < plain.evaluations, "secant \(secant.evaluations), plain \(plain.evaluations)")
        #expect(secant.evaluations < lbfgs.evaluations, "secant \(secant.evaluations), L-BFGS \(lbfgs.evaluations)")
    }
}
