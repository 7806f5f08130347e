import Foundation
import Optimization
import Testing

/// How NLopt's return codes surface as `OptimizationStatus`, `converged` and warnings.
@Suite struct StatusTests {
    @Test func maxEvaluationsReachedIsNotConverged() throws {
        let bounds = box(2, dimension: 4)
        let minimizer = Minimizer(
            algorithm: .bobyqa, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(ftolRel: 1e-12, maxEvaluations: 20))
        let log = EvaluationLog()
        let result = try minimizer.minimize(from: [0, 0, 0, 0], objective: log.wrapping(Rosenbrock.value))
        #expect(result.status == .maxEvaluationsReached)
        #expect(!result.converged)
        #expect(result.evaluations == 20)
        #expect(log.values.count == 20)
        #expect(result.value == log.values.min())
        #expect(result.value < 3, "20 evaluations improve on f(0) = 3 but do not reach the minimum")
        #expect(result.value > 1e-3)
    }

    @Test func stopValueReached() throws {
        let full = try Minimizer(algorithm: .lbfgs).minimize(from: [-1.2, 1], objective: Rosenbrock.value)
        let log = EvaluationLog()
        let minimizer = Minimizer(algorithm: .lbfgs, stopping: StoppingCriteria(ftolRel: 1e-12, stopValue: 1e-3))
        let result = try minimizer.minimize(from: [-1.2, 1], objective: log.wrapping(Rosenbrock.value))
        #expect(result.status == .stopValueReached)
        #expect(result.converged)
        #expect(result.value <= 1e-3)
        // NLopt stops at the first evaluation at or below the stop value.
        #expect(log.values.dropLast().allSatisfy { $0 > 1e-3 })
        #expect(result.value == log.values.last)
        #expect(result.evaluations < full.evaluations)
    }

    /// L-BFGS with a gradient off by a small oscillating error: near the minimum its line search finds
    /// no decrease. NLopt 2.7.1 reports this as the generic FAILURE (never ROUNDOFF_LIMITED for L-BFGS);
    /// the wrapper keeps the point, which is close to (1, 1), as `.stalled` with a warning.
    @Test func noisyGradientStallsNearTheMinimum() throws {
        let result = try Minimizer(algorithm: .lbfgs).minimize(from: [-1.2, 1]) { x, gradient in
            let value = Rosenbrock.value(x, gradient)
            if let gradient {
                for i in gradient.indices { gradient[i] += 1e-3 * sin(1e4 * x[i] + 7 * Double(i)) }
            }
            return value
        }
        #expect(result.status == .stalled)
        #expect(!result.converged)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("LD_LBFGS stopped with NLopt's generic failure") == true)
        #expect(result.value < 1e-5)
        #expect(result.x.allSatisfy { abs($0 - 1) < 1e-2 }, "x = \(result.x)")
    }

    /// A gradient of the wrong sign stalls L-BFGS at its start: `.stalled` is rightly not converged.
    @Test func wrongGradientStallsAtTheStart() throws {
        let result = try Minimizer(algorithm: .lbfgs).minimize(from: [1.3, -0.7]) { x, gradient in
            gradient?[0] = -2 * x[0]
            gradient?[1] = -2 * x[1]
            return x[0] * x[0] + x[1] * x[1]
        }
        #expect(result.status == .stalled)
        #expect(!result.converged)
        #expect(result.x == [1.3, -0.7])
        #expect(result.value == 1.3 * 1.3 + 0.7 * 0.7)
    }

    @Test func convergedStatuses() {
        let converged: [OptimizationStatus] = [.success, .stopValueReached, .ftolReached, .xtolReached, .roundoffLimited]
        let notConverged: [OptimizationStatus] = [.maxEvaluationsReached, .maxTimeReached, .stalled]
        #expect(converged.allSatisfy { $0.converged })
        #expect(!notConverged.contains { $0.converged })
    }

    /// A polish that stalls below the global result still wins: its point is the better one.
    @Test func polishAfterGlobalCombinesEvaluationsAndWarnings() throws {
        let bounds = box(2, dimension: 2)
        let minimizer = Minimizer(
            algorithm: .crs2, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(maxEvaluations: 200), polish: .lbfgs)
        let log = EvaluationLog()
        let result = try minimizer.minimize(from: [0, 0], seed: 9, objective: log.wrapping(Rosenbrock.value))
        #expect(result.evaluations == log.values.count)
        #expect(result.evaluations > 200)
        #expect(result.value == log.values.min())
        #expect(result.converged)
        #expect(result.x.allSatisfy { abs($0 - 1) < 1e-6 })
    }
}
