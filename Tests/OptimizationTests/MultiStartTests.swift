import Foundation
@testable import Optimization
import Testing

/// Multi-start runs are deterministic for a seed, whatever the number of workers, and merge to the
/// lowest value with ties broken by the lowest start index.
@Suite struct MultiStartTests {
    /// GN_CRS2_LM (a stochastic global search, kept short) polished by L-BFGS, on Rastrigin 3-D in
    /// its usual box [-5.12, 5.12]^3.
    static let minimizer = Minimizer(
        algorithm: .crs2, lowerBounds: box(5.12, dimension: 3).lower, upperBounds: box(5.12, dimension: 3).upper,
        stopping: StoppingCriteria(ftolRel: 1e-6, maxEvaluations: 300), polish: .lbfgs,
        polishStopping: StoppingCriteria(ftolRel: 1e-12, maxEvaluations: 200))

    /// 64 starts spread over the box by an additive recurrence (irrational steps per coordinate).
    static let starts: [[Double]] = (0..<64).map { i in
        [0.6180339887498949, 0.4142135623730951, 0.7320508075688772].map { step in
            let unit = (Double(i) * step).truncatingRemainder(dividingBy: 1)
            return -5.12 + 10.24 * unit
        }
    }

    /// Everything a start produced, as bits: point, value, status, evaluations.
    static func fingerprint(_ outcomes: [StartOutcome]) -> [[UInt64]] {
        outcomes.map { outcome in
            switch outcome.result {
            case .success(let result):
                return bits(result) + [UInt64(result.evaluations)] + result.status.rawValue.utf8.map(UInt64.init)
            case .failure(let error):
                Issue.record("start \(outcome.index) failed: \(error)")
                return []
            }
        }
    }

    static func run(seed: UInt64, workers: Int, starts: [[Double]] = starts) async -> [StartOutcome] {
        await MultiStart(minimizer: minimizer, workers: workers, seed: seed)
            .run(starts: starts, makeObjective: { Rastrigin.value })
    }

    @Test func sameSeedIsBitIdenticalOverTwentyRuns() async throws {
        let first = await Self.run(seed: 2024, workers: 2)
        #expect(first.map(\.index) == Array(0..<64))
        #expect(zip(first, Self.starts).allSatisfy { $0.start == $1 })
        let best = try #require(MultiStart.best(of: first))
        // Some start reaches Rastrigin's global minimum 0 at the origin.
        #expect(best.result.value < 1e-12)
        #expect(best.result.x.allSatisfy { abs($0) < 1e-7 }, "x = \(best.result.x)")
        // ... and not every start does: the function is multimodal and the global stage short.
        let values = first.compactMap { try? $0.result.get().value }
        #expect(values.contains { $0 > 0.5 })

        let fingerprint = Self.fingerprint(first)
        for _ in 1..<20 {
            let again = await Self.run(seed: 2024, workers: 2)
            #expect(Self.fingerprint(again) == fingerprint)
            let bestAgain = try #require(MultiStart.best(of: again))
            #expect(bestAgain.index == best.index)
            #expect(bits(bestAgain.result) == bits(best.result))
        }
    }

    @Test func workersDoNotChangeTheResults() async throws {
        let one = await Self.run(seed: 77, workers: 1)
        let two = await Self.run(seed: 77, workers: 2)
        let four = await Self.run(seed: 77, workers: 4)
        #expect(Self.fingerprint(one) == Self.fingerprint(two))
        #expect(Self.fingerprint(one) == Self.fingerprint(four))
        let best = try #require(MultiStart.best(of: one))
        #expect(MultiStart.best(of: four)?.index == best.index)
        // A start's result depends only on the seed and its index, not on the other starts.
        let firstSixteen = await Self.run(seed: 77, workers: 3, starts: Array(Self.starts.prefix(16)))
        #expect(Self.fingerprint(firstSixteen) == Array(Self.fingerprint(one).prefix(16)))
    }

    @Test func differentSeedsDiffer() async {
        let a = Self.fingerprint(await Self.run(seed: 1, workers: 2))
        let b = Self.fingerprint(await Self.run(seed: 2, workers: 2))
        let differing = zip(a, b).filter { $0 != $1 }.count
        #expect(differing > 32, "\(differing) of 64 starts differ")
    }

    /// NLopt's Mersenne Twister keeps 32 bits of its seed; the wrapper folds the high half in.
    @Test func seedsDifferingInHighBitsDiffer() throws {
        let low: UInt64 = 12345
        let high = low | (1 << 40)
        let a = try Self.minimizer.minimize(from: [1, 2, 3], seed: low, objective: Rastrigin.value)
        let again = try Self.minimizer.minimize(from: [1, 2, 3], seed: low, objective: Rastrigin.value)
        let b = try Self.minimizer.minimize(from: [1, 2, 3], seed: high, objective: Rastrigin.value)
        #expect(bits(a) == bits(again) && a.evaluations == again.evaluations)
        #expect(bits(a) != bits(b) || a.evaluations != b.evaluations)
    }

    @Test func progressCountsEveryStart() async {
        let seen = ProgressLog()
        let outcomes = await MultiStart(minimizer: Minimizer(algorithm: .lbfgs), workers: 3, seed: 5)
            .run(starts: (0..<10).map { [Double($0), -1] }, makeObjective: { Rosenbrock.value }) { progress in
                seen.append(done: progress.done, total: progress.total, best: progress.best)
            }
        #expect(outcomes.count == 10)
        // Reports arrive in order, one per start, and the best value never rises; at the end it is the run's best.
        #expect(seen.entries.map(\.done) == Array(1...10))
        let bests = seen.entries.compactMap(\.best)
        #expect(bests.count == 10 && zip(bests, bests.dropFirst()).allSatisfy { $1 <= $0 })
        #expect(bests.last == MultiStart.best(of: outcomes)?.result.value)
        #expect(seen.entries.allSatisfy { $0.total == 10 })
    }

    @Test func bestOfBreaksTiesByLowestIndex() {
        func outcome(_ index: Int, _ value: Double?) -> StartOutcome {
            let result: Result<OptimizationResult, OptimizationError> = value.map {
                .success(OptimizationResult(x: [Double(index)], value: $0, status: .ftolReached, evaluations: 10))
            } ?? .failure(.failure("start \(index) failed"))
            return StartOutcome(index: index, start: [Double(index)], result: result)
        }
        // Given out of order; a failed start with a lower index is skipped.
        let outcomes = [outcome(3, 0.5), outcome(2, 0.7), outcome(0, nil), outcome(1, 0.5), outcome(4, 0.5)]
        let best = MultiStart.best(of: outcomes)
        #expect(best?.index == 1)
        #expect(best?.result.x == [1])
        #expect(MultiStart.best(of: [outcome(5, 2), outcome(6, -1)])?.index == 6)
        #expect(MultiStart.best(of: [outcome(0, nil), outcome(1, nil)]) == nil)
        #expect(MultiStart.best(of: []) == nil)
    }
}

/// Progress calls collected from worker threads.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(done: Int, total: Int, best: Double?)] = []

    var entries: [(done: Int, total: Int, best: Double?)] { lock.withLock { stored } }
    func append(done: Int, total: Int, best: Double?) { lock.withLock { stored.append((done, total, best)) } }
}
