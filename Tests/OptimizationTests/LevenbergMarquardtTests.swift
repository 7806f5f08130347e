import Foundation
import Optimization
import Testing

/// Levenberg-Marquardt against closed forms and NLopt's optimum on small least-squares problems.
@Suite struct LevenbergMarquardtTests {
    /// f(x) = sum_i (a_i . x - b_i)^2 with gradient 2 A^T (A x - b) and curvature 2 A^T A.
    static func linearLeastSquares(_ a: [[Double]], _ b: [Double]) -> ModelObjective {
        { x, gradient, curvature in
            let p = x.count
            var f = 0.0
            if let gradient { for j in 0..<p { gradient[j] = 0 } }
            if let curvature { for k in 0..<(p * p) { curvature[k] = 0 } }
            for (row, target) in zip(a, b) {
                var r = -target
                for j in 0..<p { r += row[j] * x[j] }
                f += r * r
                if let gradient { for j in 0..<p { gradient[j] += 2 * r * row[j] } }
                if let curvature { for j in 0..<p { for k in 0..<p { curvature[j * p + k] += 2 * row[j] * row[k] } } }
            }
            return f
        }
    }

    static func value(_ a: [[Double]], _ b: [Double], _ x: [Double]) -> Double {
        zip(a, b).reduce(0) { sum, pair in
            let r = pair.0[0] * x[0] + pair.0[1] * x[1] - pair.1
            return sum + r * r
        }
    }

    /// Rosenbrock as residuals r = (10 (x2 - x1^2), 1 - x1): minimum 0 at (1, 1).
    static func rosenbrock(
        _ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?, _ curvature: UnsafeMutableBufferPointer<Double>?
    ) -> Double {
        let r1 = 10 * (x[1] - x[0] * x[0]), r2 = 1 - x[0]
        // J = [[-20 x1, 10], [-1, 0]]
        let j11 = -20 * x[0], j12 = 10.0, j21 = -1.0, j22 = 0.0
        if let gradient {
            gradient[0] = 2 * (r1 * j11 + r2 * j21)
            gradient[1] = 2 * (r1 * j12 + r2 * j22)
        }
        if let curvature {
            curvature[0] = 2 * (j11 * j11 + j21 * j21)
            curvature[1] = 2 * (j11 * j12 + j21 * j22)
            curvature[2] = curvature[1]
            curvature[3] = 2 * (j12 * j12 + j22 * j22)
        }
        return r1 * r1 + r2 * r2
    }

    /// The normal equations' solution of an over-determined linear system, reached in a few iterations.
    @Test func linearLeastSquaresMatchesTheNormalEquations() throws {
        let a: [[Double]] = [[1, 0.5], [1, 1.5], [1, 2.5], [1, 4], [2, -1]]
        let b: [Double] = [1.1, 2.3, 2.9, 4.2, 0.7]
        // Closed form: (A^T A) x = A^T b, 2 x 2 by Cramer's rule.
        var m = [0.0, 0, 0, 0], v = [0.0, 0]
        for (row, t) in zip(a, b) {
            m[0] += row[0] * row[0]; m[1] += row[0] * row[1]; m[3] += row[1] * row[1]
            v[0] += row[0] * t; v[1] += row[1] * t
        }
        m[2] = m[1]
        let det = m[0] * m[3] - m[1] * m[2]
        let exact = [(v[0] * m[3] - m[1] * v[1]) / det, (m[0] * v[1] - m[2] * v[0]) / det]
        let result = try LevenbergMarquardt(stopping: StoppingCriteria(xtolRel: 1e-13, maxEvaluations: 100))
            .minimize(from: [10, -10], objective: Self.linearLeastSquares(a, b))
        // Steps are accepted on a decrease of f, so x is fixed only to about sqrt(eps f / curvature).
        #expect(abs(result.x[0] - exact[0]) <= 1e-7)
        #expect(abs(result.x[1] - exact[1]) <= 1e-7)
        #expect(abs(result.value - Self.value(a, b, exact)) <= 1e-14 * result.value)
        #expect(result.evaluations <= 20)
        #expect(result.converged)
    }

    /// Rosenbrock from the classical start (-1.2, 1): the minimum (1, 1) to 1e-8.
    @Test func rosenbrockReachesItsMinimum() throws {
        let result = try LevenbergMarquardt(stopping: StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-12, maxEvaluations: 500))
            .minimize(from: [-1.2, 1]) { x, g, h in Self.rosenbrock(x, g, h) }
        #expect(abs(result.x[0] - 1) <= 1e-8)
        #expect(abs(result.x[1] - 1) <= 1e-8)
        #expect(result.value <= 1e-16)
        #expect(result.evaluations <= 100)
    }

    /// With the minimum (1, 1) outside the box x1 <= 0.5, LM stops at the constrained minimum that
    /// NLopt's L-BFGS finds from the same start.
    @Test func boundsMatchNLoptsConstrainedOptimum() throws {
        let stopping = StoppingCriteria(ftolRel: 1e-15, xtolRel: 1e-12, maxEvaluations: 2000)
        let lm = try LevenbergMarquardt(lowerBounds: [-2, -2], upperBounds: [0.5, 2], stopping: stopping)
            .minimize(from: [-1.2, 1]) { x, g, h in Self.rosenbrock(x, g, h) }
        let nlopt = try Minimizer(algorithm: .lbfgs, lowerBounds: [-2, -2], upperBounds: [0.5, 2], stopping: stopping)
            .minimize(from: [-1.2, 1]) { x, gradient in Self.rosenbrock(x, gradient, nil) }
        #expect(lm.x[0] == 0.5)
        #expect(abs(lm.x[1] - nlopt.x[1]) <= 1e-7)
        #expect(abs(lm.value - nlopt.value) <= 1e-10 * nlopt.value)
        // Closed form on the bound x1 = 0.5: x2 = 0.25, f = 0.25.
        #expect(abs(lm.x[1] - 0.25) <= 1e-8)
        #expect(abs(lm.value - 0.25) <= 1e-12)
    }

    /// A Minimizer with levenbergMarquardt set runs LM on a model objective and gives the same bits on
    /// 1 and 3 workers.
    @Test func multiStartIsDeterministicAcrossWorkers() async throws {
        let minimizer = Minimizer(
            algorithm: .lbfgs, lowerBounds: [-3, -3], upperBounds: [3, 3],
            stopping: StoppingCriteria(ftolRel: 1e-14, xtolRel: 1e-12, maxEvaluations: 500), levenbergMarquardt: true)
        let starts: [[Double]] = (0..<9).map { k -> [Double] in
            let t = Double(k)
            return [-2.5 + 0.6 * t, 2.5 - 0.55 * t]
        }
        func run(_ workers: Int) async -> [[UInt64]] {
            await MultiStart(minimizer: minimizer, workers: workers, seed: 4)
                .run(starts: starts, makeModelObjective: { { x, g, h in Self.rosenbrock(x, g, h) } })
                .map { outcome in
                    guard case .success(let r) = outcome.result else { return [] }
                    return r.x.map(\.bitPattern) + [r.value.bitPattern, UInt64(r.evaluations)]
                }
        }
        let one = await run(1), three = await run(3)
        #expect(one == three)
        #expect(one.allSatisfy { !$0.isEmpty })
        #expect(minimizer.description == "Levenberg-Marquardt")
    }

    /// A start outside the box is an error, never clamped.
    @Test func startOutsideTheBoundsIsRejected() {
        #expect(throws: OptimizationError.self) {
            try LevenbergMarquardt(lowerBounds: [0, 0], upperBounds: [1, 1]).minimize(from: [2, 0]) { x, g, h in Self.rosenbrock(x, g, h) }
        }
    }

    /// r = log x - log 2 on x > 0, undefined (NaN, or a thrown error) elsewhere. From x = 50 the
    /// Gauss-Newton step is -r / J = -50 log 25 = -161: far outside the domain. Until the damping
    /// shortens it, every trial fails; the minimisation must go on to the minimum x = 2.
    @Test("a trial outside the objective's domain is a failed step, not the end of the start", arguments: [false, true])
    func stepsOutsideTheDomain(throwing: Bool) throws {
        struct Undefined: Error {}
        let minimizer = LevenbergMarquardt(lowerBounds: [-1000], upperBounds: [1000])
        var rejected = 0
        let result = try minimizer.minimize(from: [50]) { x, gradient, curvature in
            guard x[0] > 0 else {
                rejected += 1
                if throwing { throw Undefined() }
                return .nan
            }
            let r = Foundation.log(x[0]) - Foundation.log(2), j = 1 / x[0]
            gradient?[0] = 2 * r * j
            curvature?[0] = 2 * j * j
            return r * r
        }
        #expect(rejected >= 1)
        #expect(abs(result.x[0] - 2) < 1e-6)
        #expect(result.value < 1e-12)
    }
}
