import Optimization
import Testing

/// NLopt hands the objective a gradient buffer of the problem's dimension exactly when the algorithm
/// running it uses derivatives.
@Suite struct GradientPlumbingTests {
    private func gradientCounts(_ minimizer: Minimizer, dimension: Int) throws -> [Int?] {
        let log = EvaluationLog()
        _ = try minimizer.minimize(from: Array(repeating: 0.5, count: dimension), seed: 11, objective: log.wrapping(Rosenbrock.value))
        #expect(!log.gradientCounts.isEmpty)
        return log.gradientCounts
    }

    @Test(arguments: ["LD_LBFGS", "LD_VAR2", "LD_TNEWTON", "LD_MMA", "LD_CCSAQ"])
    func derivativeAlgorithmsGetAGradient(name: String) throws {
        let algorithm = try Algorithm(name)
        #expect(algorithm.usesGradient)
        let counts = try gradientCounts(Minimizer(algorithm: algorithm, stopping: StoppingCriteria(ftolRel: 1e-10, maxEvaluations: 300)), dimension: 3)
        #expect(counts.allSatisfy { $0 == 3 })
    }

    /// SLSQP is the exception: NLopt's SLSQP asks for the value alone in its line search.
    @Test func slsqpAsksForTheGradientOutsideItsLineSearch() throws {
        let counts = try gradientCounts(
            Minimizer(algorithm: try Algorithm("LD_SLSQP"), stopping: StoppingCriteria(ftolRel: 1e-10, maxEvaluations: 300)), dimension: 3)
        #expect(counts.first == 3)
        #expect(counts.contains { $0 == nil })
        #expect(counts.allSatisfy { $0 == nil || $0 == 3 })
    }

    @Test(arguments: ["LN_BOBYQA", "LN_NELDERMEAD", "LN_SBPLX", "LN_PRAXIS"])
    func derivativeFreeAlgorithmsGetNone(name: String) throws {
        let algorithm = try Algorithm(name)
        #expect(!algorithm.usesGradient)
        let counts = try gradientCounts(Minimizer(algorithm: algorithm, stopping: StoppingCriteria(ftolRel: 1e-10, maxEvaluations: 300)), dimension: 3)
        #expect(counts.allSatisfy { $0 == nil })
    }

    /// A derivative-free global stage gets no gradient; the L-BFGS polish after it does.
    @Test func globalThenPolish() throws {
        let bounds = box(2, dimension: 2)
        let minimizer = Minimizer(
            algorithm: .crs2, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(maxEvaluations: 150), polish: .lbfgs)
        let counts = try gradientCounts(minimizer, dimension: 2)
        // CRS2 may overshoot its budget by a few evaluations (it did by 3 here), so split at the first gradient.
        let polishStart = try #require(counts.firstIndex { $0 != nil })
        #expect(polishStart >= 150)
        #expect(counts[polishStart...].allSatisfy { $0 == 2 })
    }

    /// MLSL passes a gradient only if its local optimiser uses one.
    @Test func mlslFollowsItsLocalOptimizer() throws {
        let bounds = box(2, dimension: 2)
        var minimizer = Minimizer(
            algorithm: .mlslLDS, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(maxEvaluations: 400), localAlgorithm: .bobyqa)
        #expect(try gradientCounts(minimizer, dimension: 2).allSatisfy { $0 == nil })
        minimizer.localAlgorithm = .lbfgs
        let counts = try gradientCounts(minimizer, dimension: 2)
        #expect(counts.contains { $0 == 2 })
        #expect(counts.allSatisfy { $0 == nil || $0 == 2 })
    }
}
