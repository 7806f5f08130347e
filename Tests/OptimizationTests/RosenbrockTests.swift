import Optimization
import Testing

/// Each algorithm family minimises Rosenbrock's function to its known minimum 0 at (1, ..., 1).
@Suite struct RosenbrockTests {
    private func expectMinimum(_ result: OptimizationResult, dimension: Int, xTolerance: Double, fTolerance: Double) {
        #expect(result.x.count == dimension)
        for (i, xi) in result.x.enumerated() {
            #expect(abs(xi - 1) <= xTolerance, "x[\(i)] = \(xi)")
        }
        #expect(result.value >= 0 && result.value <= fTolerance, "f = \(result.value)")
        #expect(result.converged, "status \(result.status)")
        #expect(result.evaluations > 0)
        #expect(result.warnings.isEmpty)
        // The value reported is the objective at the point reported.
        #expect(evaluate(Rosenbrock.value, at: result.x).value == result.value)
    }

    @Test(arguments: [2, 4])
    func bobyqaWithBounds(dimension: Int) throws {
        let bounds = box(2, dimension: dimension)
        let minimizer = Minimizer(algorithm: try Algorithm("LN_BOBYQA"), lowerBounds: bounds.lower, upperBounds: bounds.upper)
        let log = EvaluationLog()
        let result = try minimizer.minimize(from: Array(repeating: 0, count: dimension), objective: log.wrapping(Rosenbrock.value))
        expectMinimum(result, dimension: dimension, xTolerance: 1e-5, fTolerance: 1e-10)
        #expect(result.evaluations == log.values.count)
        #expect(result.value == log.values.min())
        // BOBYQA never leaves its box.
        #expect(log.points.allSatisfy { $0.allSatisfy { (-2...2).contains($0) } })
    }

    /// From the classic start the 4-D function leads a local method into its one local minimum,
    /// f = 3.70143 near (-0.7757, 0.6131, 0.3821, 0.1460) (Kok & Sandrock 2009, Evol. Comput. 17(3),
    /// table 1): the value and a vanishing gradient there check that BOBYQA converged, not that it is global.
    @Test func bobyqaFindsTheLocalMinimumIn4D() throws {
        let bounds = box(2, dimension: 4)
        let minimizer = Minimizer(algorithm: .bobyqa, lowerBounds: bounds.lower, upperBounds: bounds.upper)
        let result = try minimizer.minimize(from: Rosenbrock.start(dimension: 4), objective: Rosenbrock.value)
        #expect(result.converged)
        #expect(abs(result.value - 3.70143) < 1e-5, "f = \(result.value)")
        for (xi, expected) in zip(result.x, [-0.7757, 0.6131, 0.3821, 0.1460]) {
            #expect(abs(xi - expected) < 1e-4)
        }
        let gradient = evaluate(Rosenbrock.value, at: result.x, gradient: true).gradient
        #expect(gradient.allSatisfy { abs($0) < 1e-4 }, "gradient \(gradient)")
    }

    @Test(arguments: [2, 4])
    func lbfgsWithAnalyticGradient(dimension: Int) throws {
        let minimizer = Minimizer(algorithm: .lbfgs)
        let result = try minimizer.minimize(from: Rosenbrock.start(dimension: dimension), objective: Rosenbrock.value)
        expectMinimum(result, dimension: dimension, xTolerance: 1e-6, fTolerance: 1e-12)
        // With an exact gradient L-BFGS needs far fewer evaluations than a derivative-free method.
        #expect(result.evaluations < 200)
    }

    /// One `Optimizer` (one `nlopt_opt`) can run several minimisations, each with its own objective.
    @Test func optimizerIsReusable() throws {
        let optimizer = try Optimizer(algorithm: .lbfgs, dimension: 2)
        try optimizer.setStopping(.tight)
        let first = try optimizer.minimize(from: [-1.2, 1], objective: Rosenbrock.value)
        let shifted = try optimizer.minimize(from: [0, 0]) { x, gradient in
            gradient?[0] = 2 * (x[0] - 3)
            gradient?[1] = 2 * (x[1] + 2)
            return (x[0] - 3) * (x[0] - 3) + (x[1] + 2) * (x[1] + 2)
        }
        let again = try optimizer.minimize(from: [-1.2, 1], objective: Rosenbrock.value)
        #expect(first.x.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(abs(shifted.x[0] - 3) < 1e-8 && abs(shifted.x[1] + 2) < 1e-8)
        #expect(bits(again) == bits(first) && again.evaluations == first.evaluations)
    }

    @Test(arguments: [2, 4])
    func crs2ThenLBFGSPolish(dimension: Int) throws {
        let bounds = box(2, dimension: dimension)
        let global = Minimizer(
            algorithm: .crs2, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(ftolRel: 1e-8, maxEvaluations: 20_000))
        var polished = global
        polished.polish = .lbfgs
        let start = Array(repeating: 0.5, count: dimension)
        let alone = try global.minimize(from: start, seed: 42, objective: Rosenbrock.value)
        let result = try polished.minimize(from: start, seed: 42, objective: Rosenbrock.value)
        expectMinimum(result, dimension: dimension, xTolerance: 1e-6, fTolerance: 1e-12)
        // Same seed: the global stage is the same run, and the polish adds evaluations and improves it.
        #expect(result.evaluations > alone.evaluations)
        #expect(result.value <= alone.value)
    }

    @Test(arguments: [2, 4])
    func mlslWithLocalLBFGS(dimension: Int) throws {
        let bounds = box(2, dimension: dimension)
        let minimizer = Minimizer(
            algorithm: .mlslLDS, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(stopValue: 1e-14, maxEvaluations: 20_000), localAlgorithm: .lbfgs,
            localStopping: .tight)
        let result = try minimizer.minimize(from: Array(repeating: -1.5, count: dimension), seed: 1, objective: Rosenbrock.value)
        expectMinimum(result, dimension: dimension, xTolerance: 1e-6, fTolerance: 1e-14)
        #expect(result.status == .stopValueReached)
    }
}
