import Foundation
import Optimization
import Testing

/// The first damping of Levenberg-Marquardt, lambda_0 = tau max_j D_j (Madsen, Nielsen and
/// Tingleff 2004, sec. 3.2), on a linear least-squares problem whose minimum is known in closed form.
@Suite struct LevenbergMarquardtDampingTests {
    /// f(x) = (x1 - 1)^2 + (0.01 (x2 - 2))^2: minimum 0 at (1, 2).
    static let a = [[1.0, 0.0], [0.0, 0.01]]
    static let b = [1.0, 0.02]

    @Test("from tau = 1e-6 (warm start) the first step is nearly the Gauss-Newton step and the minimum takes fewer evaluations than from tau = 1e-3")
    func warmStartTakesTheGaussNewtonStep() throws {
        let objective = LevenbergMarquardtTests.linearLeastSquares(Self.a, Self.b)
        let stopping = StoppingCriteria(ftolRel: 1e-12, xtolRel: 1e-10, maxEvaluations: 200)
        let warm = try LevenbergMarquardt(stopping: stopping, initialDamping: LevenbergMarquardt.warmStart)
            .minimize(from: [0, 0], objective: objective)
        let cold = try LevenbergMarquardt(stopping: stopping, initialDamping: LevenbergMarquardt.coldStart)
            .minimize(from: [0, 0], objective: objective)
        // The first step (H + lambda_0 D) s = -g with D = diag(H) is 1 / (1 + 2 tau) of the
        // Gauss-Newton step in each coordinate (max D = 2): within 2e-6 of the minimum from the
        // warm start, f about 4e-12; later steps only improve on that.
        #expect(abs(warm.x[0] - 1) < 3e-6 && abs(warm.x[1] - 2) < 6e-6)
        #expect(warm.value <= 4.1e-12, "f = \(warm.value)")
        #expect(abs(cold.x[0] - 1) < 1e-5 && abs(cold.x[1] - 2) < 1e-4)
        // Measured: 4 evaluations from the warm start (the start, the Gauss-Newton step, two to
        // meet the tolerances), 6 from the cold one.
        #expect(warm.evaluations <= 4 && cold.evaluations > warm.evaluations, "cold \(cold.evaluations), warm \(warm.evaluations)")
    }
}
