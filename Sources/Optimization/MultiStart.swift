import Foundation

/// The outcome of one start of a ``MultiStart`` run.
public struct StartOutcome: Sendable {
    /// Index of the start in the list given.
    public var index: Int
    /// The start point.
    public var start: [Double]
    /// The result, or the error that ended this start.
    public var result: Result<OptimizationResult, OptimizationError>

    public init(index: Int, start: [Double], result: Result<OptimizationResult, OptimizationError>) {
        self.index = index
        self.start = start
        self.result = result
    }
}

/// How far a ``MultiStart`` run is: starts finished of all, and the lowest objective among them.
public struct StartProgress: Sendable, Equatable {
    /// Starts finished (successfully or not).
    public var done: Int
    /// Starts in the run.
    public var total: Int
    /// The lowest objective value of the finished starts (nil while none succeeded). Once every start
    /// has finished it is the run's best value, whatever the number of workers.
    public var best: Double?

    public init(done: Int, total: Int, best: Double? = nil) {
        self.done = done
        self.total = total
        self.best = best
    }
}

/// Runs one minimisation per start point, in parallel, and merges the results deterministically.
///
/// Each start gets its own optimiser (NLopt 2.7 keeps its state thread-local, so concurrent runs
/// are independent) and its own seed derived from the run's seed and the start's index, set with
/// `nlopt_srand` on the thread that runs it. Results are ordered by start index and the best is the
/// lowest value with ties broken by index, so the answer is the same bit for bit whatever the
/// thread timing or the number of workers.
///
/// Workers are dedicated threads, not tasks: a minimisation never suspends, and running one per core
/// on Swift's cooperative pool would starve every other task of the process (including the one that
/// would cancel the run) until a start finished. Cancelling the calling task is forwarded to them.
public struct MultiStart: Sendable {
    public var minimizer: Minimizer
    /// Worker threads; defaults to the number of active processors.
    public var workers: Int
    public var seed: UInt64

    public init(minimizer: Minimizer, workers: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 0) {
        self.minimizer = minimizer
        self.workers = max(1, workers)
        self.seed = seed
    }

    /// Minimises `objective` from each start. `makeObjective` is called once per worker, on the
    /// worker's thread, so that each can own scratch buffers; the objectives run outside any task
    /// (no task-local values). `progress`, if given, is called after each finished start, one call at
    /// a time and with `done` counting up by one.
    ///
    /// - Returns: one outcome per start begun, ordered by index. If the task is cancelled, the starts
    ///   running stop at their next evaluation with
    ///   ``OptimizationError/objectiveFailed(underlying:bestX:bestValue:)`` carrying a
    ///   `CancellationError` and the best point they saw; no start begins after the cancellation (one
    ///   that had not yet evaluated the objective is left out with those not begun), so at most one
    ///   cancelled outcome per worker, whatever the thread timing.
    public func run(
        starts: [[Double]],
        makeObjective: @escaping @Sendable () -> Objective,
        progress: (@Sendable (StartProgress) -> Void)? = nil
    ) async -> [StartOutcome] {
        await run(starts: starts, makeModel: {
            let objective = makeObjective()
            return { x, gradient, _ in try objective(x, gradient) }
        }, progress: progress, modelAvailable: false)
    }

    /// ``run(starts:makeObjective:progress:)`` for an objective that also supplies a Gauss-Newton
    /// curvature model, so that a ``Minimizer`` with ``Minimizer/levenbergMarquardt`` set can use it.
    public func run(
        starts: [[Double]],
        makeModelObjective: @escaping @Sendable () -> ModelObjective,
        progress: (@Sendable (StartProgress) -> Void)? = nil
    ) async -> [StartOutcome] {
        await run(starts: starts, makeModel: makeModelObjective, progress: progress, modelAvailable: true)
    }

    private func run(
        starts: [[Double]], makeModel: @escaping @Sendable () -> ModelObjective,
        progress: (@Sendable (StartProgress) -> Void)?, modelAvailable: Bool
    ) async -> [StartOutcome] {
        var chosen = self.minimizer
        if !modelAvailable { chosen.levenbergMarquardt = false }
        let minimizer = chosen
        let seed = self.seed
        let total = starts.count
        let counter = ProgressCounter()
        let cancellation = CancellationFlag()
        // Static partition: worker w takes starts w, w + workers, ...; results are keyed by index.
        let workerCount = min(workers, max(total, 1))
        let outcomes = await withTaskCancellationHandler {
            await withTaskGroup(of: [StartOutcome].self) { group in
                for worker in 0..<workerCount {
                    group.addTask {
                        await MultiStart.onThread {
                            let objective = makeModel()
                            var mine: [StartOutcome] = []
                            for index in stride(from: worker, to: total, by: workerCount) {
                                if cancellation.isSet { break }
                                let start = starts[index]
                                let outcome: Result<OptimizationResult, OptimizationError>
                                do {
                                    outcome = .success(try minimizer.minimize(
                                        from: start, seed: MultiStart.seed(for: index, base: seed),
                                        cancellation: cancellation, model: objective))
                                } catch let error as OptimizationError {
                                    outcome = .failure(error)
                                } catch {
                                    outcome = .failure(.objectiveFailed(underlying: error, bestX: nil, bestValue: nil))
                                }
                                // The cancellation can land between the check above and the first
                                // evaluation: such a start never ran, so it is left out like the rest.
                                if cancellation.isSet, MultiStart.cancelledBeforeEvaluating(outcome) { break }
                                mine.append(StartOutcome(index: index, start: start, result: outcome))
                                if let progress {
                                    counter.finished(value: try? outcome.get().value) { done, best in
                                        progress(StartProgress(done: done, total: total, best: best))
                                    }
                                }
                            }
                            return mine
                        }
                    }
                }
                var all: [StartOutcome] = []
                for await part in group { all.append(contentsOf: part) }
                return all
            }
        } onCancel: {
            cancellation.set()
        }
        return outcomes.sorted { $0.index < $1.index }
    }

    /// Whether `outcome` is a cancellation that stopped its start before any evaluation of the objective.
    private static func cancelledBeforeEvaluating(_ outcome: Result<OptimizationResult, OptimizationError>) -> Bool {
        guard case .failure(.objectiveFailed(let underlying, nil, _)) = outcome else { return false }
        return underlying is CancellationError
    }

    /// Runs `body` on a new thread (8 MiB of stack, as a main thread has) and returns its value.
    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The best successful outcome: lowest value, ties broken by the lower start index.
    public static func best(of outcomes: [StartOutcome]) -> (index: Int, result: OptimizationResult)? {
        var best: (index: Int, result: OptimizationResult)?
        for outcome in outcomes.sorted(by: { $0.index < $1.index }) {
            guard case .success(let result) = outcome.result else { continue }
            if best == nil || result.value < best!.result.value { best = (outcome.index, result) }
        }
        return best
    }

    /// A per-start seed: the first draw of SplitMix64 advanced `index` steps from the base seed
    /// (its state after them is base + index * 0x9E3779B97F4A7C15).
    static func seed(for index: Int, base: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: base &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index))
        return generator.next()
    }
}

/// Counts finished starts across workers, and their best value, for progress reporting.
private final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var best: Double?

    /// Counts one finished start (with its value if it succeeded) and reports under the lock, so
    /// reports arrive in order.
    func finished(value: Double?, report: (Int, Double?) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if let value, value.isFinite, best.map({ value < $0 }) ?? true { best = value }
        report(count, best)
    }
}
