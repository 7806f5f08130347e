import Optimization
import Testing

/// The L-BFGS history an optimiser keeps: small enough that NLopt's workspace stays under 128 kB,
/// and large enough that a minimisation takes the same steps as under NLopt's own, larger choice.
@Suite struct VectorStorageTests {
    /// M from the workspace NLopt's `luksan_plis` allocates, 8 (4n + 2nM + 2M) bytes.
    @Test func workspaceStaysUnder128kB() {
        #expect(Optimizer.defaultVectorStorage(dimension: 5) == 1362)
        #expect(Optimizer.defaultVectorStorage(dimension: 100) == 79)
        #expect(Optimizer.defaultVectorStorage(dimension: 100_000) == 10)
        for n in [1, 2, 5, 12, 40, 100, 500] {
            let m = Optimizer.defaultVectorStorage(dimension: n)
            #expect(8 * (4 * n + 2 * n * m + 2 * m) <= 128 * 1024 - 128, "n = \(n), M = \(m)")
            #expect(8 * (4 * n + 2 * n * (m + 1) + 2 * (m + 1)) > 128 * 1024 - 128, "n = \(n): M + 1 would fit too")
        }
    }

    @Test func optimizerStartsWithTheDefaultAndCanRestoreNLopts() throws {
        let optimizer = try Optimizer(algorithm: .lbfgs, dimension: 5)
        #expect(optimizer.vectorStorage == 1362)
        optimizer.vectorStorage = 0
        #expect(optimizer.vectorStorage == 0)
    }

    /// Rosenbrock in 6-D from the classic start takes tens of L-BFGS iterations: the same points,
    /// bit for bit, under NLopt's default M (min(maxeval, 1310720 / n) = 10,000) and under 1167;
    /// a history of 2 takes other steps, so the setting reaches NLopt.
    @Test func sameStepsAsNLoptsDefaultHistory() throws {
        func run(_ storage: Int?) throws -> (OptimizationResult, [[Double]]) {
            let optimizer = try Optimizer(algorithm: .lbfgs, dimension: 6)
            try optimizer.setStopping(.tight)
            if let storage { optimizer.vectorStorage = storage }
            let log = EvaluationLog()
            let result = try optimizer.minimize(from: Rosenbrock.start(dimension: 6), objective: log.wrapping(Rosenbrock.value))
            return (result, log.points)
        }
        let (ours, ourPoints) = try run(nil)
        let (nlopts, nloptPoints) = try run(0)
        let (short, _) = try run(2)
        #expect(ours.converged && ours.value < 1e-12)
        #expect(ours.evaluations > 20 && ours.evaluations < Optimizer.defaultVectorStorage(dimension: 6))
        #expect(ourPoints == nloptPoints)
        #expect(ours.x == nlopts.x && ours.value == nlopts.value && ours.evaluations == nlopts.evaluations)
        #expect(short.evaluations != ours.evaluations)
    }
}
