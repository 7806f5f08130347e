import Foundation
import Optimization
import Testing

private struct Boom: Error, Equatable {
    let evaluation: Int
}

/// Errors, non-finite values and cancellation inside the objective stop NLopt and surface as
/// `OptimizationError`, keeping the best point seen.
@Suite struct ForcedStopTests {
    /// A Rosenbrock objective that throws on evaluation `k + 1`.
    private func failingAfter(_ k: Int, log: EvaluationLog) -> Objective {
        { x, gradient in
            if log.values.count == k { throw Boom(evaluation: k + 1) }
            let value = Rosenbrock.value(x, gradient)
            log.record(x, gradient, value: value)
            return value
        }
    }

    private func expectBestSoFar(_ error: OptimizationError, log: EvaluationLog, k: Int) {
        guard case .objectiveFailed(let underlying, let bestX, let bestValue) = error else {
            Issue.record("expected objectiveFailed, got \(error)")
            return
        }
        #expect(underlying as? Boom == Boom(evaluation: k + 1))
        #expect(log.values.count == k, "the objective is not called again after it threw")
        let minimum = log.values.min()!
        #expect(bestValue == minimum)
        #expect(bestX == log.points[log.values.firstIndex(of: minimum)!])
        #expect(minimum < log.values[0], "the run made progress before it was stopped")
    }

    @Test(arguments: ["LN_BOBYQA", "LD_LBFGS"])
    func throwingObjectiveReportsTheBestPointSeen(algorithm: String) throws {
        let k = 25
        let log = EvaluationLog()
        let bounds = box(2, dimension: 2)
        let minimizer = Minimizer(algorithm: try Algorithm(algorithm), lowerBounds: bounds.lower, upperBounds: bounds.upper)
        let error = #expect(throws: OptimizationError.self) {
            try minimizer.minimize(from: [-1.2, 1], objective: failingAfter(k, log: log))
        }
        if let error { expectBestSoFar(error, log: log, k: k) }
    }

    /// The error raised inside MLSL's local optimiser (an `nlopt_opt` NLopt copies) still stops the run.
    @Test func throwingInsideMLSLLocalSearchStopsTheRun() throws {
        let k = 300
        let log = EvaluationLog()
        let bounds = box(2, dimension: 3)
        let minimizer = Minimizer(
            algorithm: .mlslLDS, lowerBounds: bounds.lower, upperBounds: bounds.upper,
            stopping: StoppingCriteria(maxEvaluations: 5_000), localAlgorithm: .lbfgs)
        let error = #expect(throws: OptimizationError.self) {
            try minimizer.minimize(from: [0, 0, 0], seed: 3, objective: failingAfter(k, log: log))
        }
        if let error { expectBestSoFar(error, log: log, k: k) }
    }

    @Test func nanObjectiveIsNonFinite() {
        let log = EvaluationLog()
        let minimizer = Minimizer(algorithm: .nelderMead)
        let error = #expect(throws: OptimizationError.self) {
            try minimizer.minimize(from: [-1.2, 1]) { x, gradient in
                let value = log.values.count == 9 ? .nan : Rosenbrock.value(x, gradient)
                log.record(x, gradient, value: value)
                return value
            }
        }
        guard case .nonFiniteObjective(let x) = error else {
            Issue.record("expected nonFiniteObjective, got \(String(describing: error))")
            return
        }
        #expect(log.values.count == 10)
        #expect(x == log.points[9])
    }

    @Test func infiniteGradientIsNonFinite() {
        let minimizer = Minimizer(algorithm: .lbfgs)
        let error = #expect(throws: OptimizationError.self) {
            try minimizer.minimize(from: [0.5, 0.5]) { x, gradient in
                gradient?[0] = .infinity
                return x[0] * x[0] + x[1] * x[1]
            }
        }
        guard case .nonFiniteObjective(let x) = error else {
            Issue.record("expected nonFiniteObjective, got \(String(describing: error))")
            return
        }
        #expect(x == [0.5, 0.5])
    }

    /// ISRES with no tolerance set runs until its budget: one million evaluations, many seconds.
    private static let endless = Minimizer(
        algorithm: .isres, lowerBounds: [-5, -5], upperBounds: [5, 5], stopping: StoppingCriteria(maxEvaluations: 1_000_000))

    /// Cancelling the task that runs a minimisation stops NLopt at its next evaluation.
    ///
    /// The minimisation blocks the thread its task runs on, so the task is cancelled from inside, at
    /// evaluation 50: a test polling for that moment from another task can starve when the
    /// cooperative pool's threads are all busy (other tests run in parallel), and then sees the run end.
    @Test func cancellationStopsARun() async throws {
        let evaluations = Counter()
        let task = Task { () throws -> OptimizationResult in
            try Self.endless.minimize(from: [3, -2], seed: 1) { x, gradient in
                if evaluations.increment() == 50 { withUnsafeCurrentTask { $0?.cancel() } }
                return Rastrigin.value(x, gradient)
            }
        }
        let result = await task.result
        guard case .failure(let error) = result, case .objectiveFailed(let underlying, let bestX, let bestValue)? = error as? OptimizationError
        else {
            Issue.record("expected objectiveFailed, got \(result)")
            return
        }
        #expect(underlying is CancellationError)
        #expect(bestX?.count == 2)
        #expect(bestValue?.isFinite == true)
        #expect(evaluations.value == 50, "the evaluation after the cancellation stops the run")
    }

    /// Cancelling a multi-start run ends the running starts with CancellationError and begins no other.
    ///
    /// The contract is checked so that it holds at any speed (ThreadSanitizer slows threads 5-15x): the
    /// objective itself cancels the task at its 20th evaluation, from a worker thread, instead of a
    /// polling task that can starve while the cooperative pool is busy with other tests (under TSan it
    /// did, for minutes, while the workers finished start after start, so a count of outcomes failed).
    /// Every start is a million-evaluation ISRES run, so none finishes on its own within the test.
    @Test func cancellationStopsAMultiStart() async throws {
        let workers = 2
        let multiStart = MultiStart(minimizer: Self.endless, workers: workers)
        let starts = (0..<100).map { [Double($0 % 9) - 4, 1] }
        let trigger = CancelTrigger()
        let task = Task {
            await multiStart.run(starts: starts, makeObjective: {
                var calls = 0
                return { x, gradient in
                    calls += 1
                    trigger.evaluationBegins(cancelIfReady: calls >= 20)
                    return Rastrigin.value(x, gradient)
                }
            })
        }
        trigger.arm(task)
        let outcomes = await task.value
        #expect(trigger.cancelled, "the objective cancelled the run")
        // An evaluation in flight on another worker when the cancel landed may finish; none begins after.
        #expect(trigger.evaluationsAfterCancel <= workers - 1, "\(trigger.evaluationsAfterCancel) evaluations began after the cancel")
        #expect(outcomes.map(\.index) == outcomes.map(\.index).sorted())
        var cancelled = 0
        for outcome in outcomes {
            guard case .failure(.objectiveFailed(let underlying, let bestX, _)) = outcome.result else {
                Issue.record("start \(outcome.index): expected a cancelled start, got \(outcome.result)")
                continue
            }
            #expect(underlying is CancellationError)
            #expect(bestX?.count == 2, "start \(outcome.index) evaluated the objective before the cancel")
            cancelled += 1
        }
        #expect((1...workers).contains(cancelled), "\(cancelled) cancelled starts: one per running worker at most")
    }
}

/// Cancels a task from inside an objective, on a worker thread, once the task is known and the
/// objective asks; counts the evaluations that begin after that.
private final class CancelTrigger: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<[StartOutcome], Never>?
    private var done = false
    private var after = 0

    var cancelled: Bool { lock.withLock { done } }
    var evaluationsAfterCancel: Int { lock.withLock { after } }

    func arm(_ task: Task<[StartOutcome], Never>) { lock.withLock { self.task = task } }

    /// Records an evaluation; cancels the task (once) when `cancelIfReady` and the task is armed.
    /// The cancel happens under the lock (it only runs MultiStart's handler, which sets an atomic), so
    /// an evaluation counted as after the cancel really began after MultiStart's flag was set.
    func evaluationBegins(cancelIfReady: Bool) {
        lock.withLock {
            if done {
                after += 1
            } else if cancelIfReady, let task {
                task.cancel()
                done = true
            }
        }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
}
