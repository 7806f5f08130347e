import Foundation

/// What a bootstrap resamples.
public enum BootstrapUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// n points drawn with replacement from the n fitted points (Epoch AI 2024's procedure).
    case points
    /// R runs drawn with replacement from the R fitted runs, each bringing all its points: for loss
    /// curves, whose points within a run are strongly correlated. The default for loss curves.
    case runs
    /// A moving-block bootstrap within each run (Kunsch 1989; Lahiri 2003, sec. 2.5): a run of n
    /// points gets ceil(n / b) blocks of b consecutive points, each starting at a uniformly drawn
    /// index in 0...(n - b), the first n points of their concatenation kept. Keeps each run's
    /// short-range correlation and every run in every resample: for few, long runs.
    case blocks

    /// Whole runs for loss curves (every point has a step and there are several runs), points otherwise.
    public static func defaultUnit(for runs: [Run]) -> BootstrapUnit {
        runs.count >= 2 && runs.allSatisfy({ run in run.observations.allSatisfy { $0.step != nil } }) ? .runs : .points
    }

    /// Below this many runs, a run bootstrap is flagged: it sees few distinct resamples.
    public static let fewRuns = 5
}

/// How to bootstrap a fit.
public struct BootstrapOptions: Sendable {
    public var resamples: Int
    /// nil: ``BootstrapUnit/defaultUnit(for:)`` of the fitted runs (whole runs for loss curves).
    public var unit: BootstrapUnit?
    public var seed: UInt64
    public var confidence: Double
    /// Parallel workers; the intervals do not depend on it.
    public var workers: Int
    /// Halton starts (over the law's start ranges) added to the full fit's best point in each refit.
    public var extraStarts: Int
    /// Block length for ``BootstrapUnit/blocks``; nil: round(n^(1/3)) for a run of n points
    /// (the rate of Hall, Horowitz and Jing 1995 for variances), at least 1.
    public var blockLength: Int?
    /// Called after each finished resample.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(
        resamples: Int = 1000, unit: BootstrapUnit? = nil, seed: UInt64 = 0, confidence: Double = 0.95,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, extraStarts: Int = 4, blockLength: Int? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) {
        self.blockLength = blockLength
        self.resamples = resamples
        self.unit = unit
        self.seed = seed
        self.confidence = confidence
        self.workers = workers
        self.extraStarts = extraStarts
        self.progress = progress
    }
}

/// Percentile bootstrap intervals for a fit's parameters and predictions.
public struct BootstrapResult: Sendable, Hashable, Codable {
    public var resamples: Int
    /// Resamples whose refit failed (left out of the intervals).
    public var failed: Int
    public var unit: BootstrapUnit
    public var seed: UInt64
    public var confidence: Double
    /// How each resample was refitted, in words.
    public var refit: String
    /// What was resampled and why, in words (runs, blocks of which length, points).
    public var resampling: String
    public var parameters: [ParameterInterval]
    /// Intervals for the predictions at the requested points, in order.
    public var predictions: [Interval]
    /// Parameter values of every successful resample, in parameter order (what `lawfit optimal`
    /// turns into intervals on N*, D*, L*).
    public var samples: [[Double]] = []
    /// Objective evaluations of every refit together (for benchmarks; not written to reports).
    public var evaluations = 0

    enum CodingKeys: String, CodingKey {
        case resamples, failed, unit, seed, confidence, refit, resampling, parameters, predictions, samples
    }
}

/// The nonparametric bootstrap of a law's fit (Efron and Tibshirani 1993, ch. 13, percentile
/// intervals), as Epoch AI (2024) used for Chinchilla's parameters.
///
/// Resample b draws points (or runs) with replacement using a generator seeded from (seed, b), so the
/// result is identical for a seed whatever the number of workers. A draw is expressed as integer
/// weights (multiplicities) on the fitted points, which is the same objective as duplicating points.
/// Each resample is a ``LawFitter`` fit with a reduced start plan: the full fit's best point plus
/// ``BootstrapOptions/extraStarts`` Halton points, one worker per resample (resamples run in parallel,
/// each worker taking the next one as it finishes). How a refit is set up to be fast without
/// changing its optimum is ``ResampleData``'s part: the same objective on the resample's points, to
/// the full fit's stopping tolerance.
public enum Bootstrap {
    /// Bootstraps the fit `full` of `law` to `runs`; `predictAt` are points whose predictions get
    /// intervals too (for example the held-out points and curves of a report).
    public static func run(
        law: any ScalingLaw, runs: [Run], full: FitResult, fitOptions: FitOptions,
        options: BootstrapOptions, predictAt: [Run] = []
    ) async throws -> BootstrapResult {
        guard options.resamples >= 2 else { throw LawfitError.input("the bootstrap needs at least 2 resamples, got \(options.resamples)") }
        let unit = options.unit ?? BootstrapUnit.defaultUnit(for: runs)
        let data = try ResampleData(law: law, runs: runs, unit: unit, fitOptions: fitOptions, full: full.values)
        let predictor = predictAt.isEmpty ? nil : try law.makeEvaluator(for: predictAt)
        let starts = [full.values] + (options.extraStarts > 0 ? try StartPlan.count(options.extraStarts).points(for: data.lawSpace) : [])
        let runSizes = runs.map(\.observations.count)
        let total = options.resamples
        let workerCount = max(1, min(options.workers, total))
        let counter = Counter(), next = Counter()

        // Workers take the next resample as they finish one (refits differ in cost by 10x); each
        // result is keyed by its resample, so the intervals do not depend on the timing.
        let outcomes = try await withThrowingTaskGroup(of: [Refit].self) { group in
            for _ in 0..<workerCount {
                group.addTask {
                    var mine: [Refit] = []
                    while true {
                        let b = next.increment() - 1
                        guard b < total else { break }
                        try Task.checkCancellation()
                        let seed = SplitMix64.derive(options.seed, b)
                        let weights = Self.draw(unit: unit, runSizes: runSizes, seed: seed, blockLength: options.blockLength)
                        var refitOptions = fitOptions
                        refitOptions.starts = .points(starts)
                        refitOptions.workers = 1
                        refitOptions.seed = seed
                        refitOptions.weights = nil
                        refitOptions.progress = nil
                        refitOptions.diagnostics = false  // only the values are kept
                        var refit = Refit(resample: b)
                        do {
                            let fit = try await LawFitter(law: law, options: refitOptions).fit(try data.objective(weights: weights))
                            refit.values = fit.values
                            refit.evaluations = fit.evaluations
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            refit.values = nil
                        }
                        refit.predictions = refit.values.flatMap { v in predictor?.predict(v) } ?? []
                        mine.append(refit)
                        options.progress?(counter.increment(), total)
                    }
                    return mine
                }
            }
            var all: [Refit] = []
            for try await part in group { all += part }
            return all.sorted { $0.resample < $1.resample }
        }
        let successes = outcomes.compactMap { outcome in outcome.values.map { ($0, outcome.predictions) } }
        guard successes.count >= 2 else {
            throw LawfitError.fit("only \(successes.count) of \(total) bootstrap refits of '\(law.name)' succeeded")
        }
        let samples = successes.map(\.0)
        let space = data.space
        let parameters = space.names.indices.map { j in
            ParameterInterval(name: space.names[j], interval: Quantile.percentileInterval(
                samples.map { $0[j] }, estimate: full.values[j], confidence: options.confidence))
        }
        var predictions: [Interval] = []
        if let predictor {
            let estimates = predictor.predict(full.values)
            predictions = estimates.indices.map { i in
                Quantile.percentileInterval(successes.map { $0.1[i] }, estimate: estimates[i], confidence: options.confidence)
            }
        }
        var refit = "each resample refitted from the full fit's best point plus \(options.extraStarts) Halton start\(options.extraStarts == 1 ? "" : "s")"
        if !data.logCoordinates.isEmpty {
            refit += ", by Levenberg-Marquardt searching \(data.logCoordinates.joined(separator: ", ")) in log coordinates"
        }
        var result = BootstrapResult(
            resamples: total, failed: total - successes.count, unit: unit, seed: options.seed,
            confidence: options.confidence, refit: refit, resampling: resampling(unit, blockLength: options.blockLength, runSizes: runSizes),
            parameters: parameters, predictions: predictions, samples: samples)
        result.evaluations = outcomes.reduce(0) { $0 + $1.evaluations }
        return result
    }

    /// One resample's refit: its values (nil when it failed), predictions and evaluations.
    struct Refit: Sendable {
        var resample: Int
        var values: [Double]?
        var predictions: [Double] = []
        var evaluations = 0
    }

    /// The resampling in words.
    static func resampling(_ unit: BootstrapUnit, blockLength: Int?, runSizes: [Int]) -> String {
        switch unit {
        case .points:
            return "the \(runSizes.reduce(0, +)) fitted points were resampled with replacement, as if independent"
        case .runs:
            return "whole runs were resampled with replacement (\(runSizes.count) fitted runs), because the points of one run are strongly correlated"
        case .blocks:
            let lengths = Set(runSizes.map { Self.blockLength(blockLength, points: $0) }).sorted().map(String.init)
            return "each of the \(runSizes.count) fitted runs was resampled in moving blocks of \(lengths.joined(separator: ", ")) consecutive points, keeping its short-range correlation"
        }
    }

    /// The block length for a run of `points` points.
    static func blockLength(_ requested: Int?, points: Int) -> Int {
        max(1, min(points, requested ?? Int(Foundation.pow(Double(points), 1.0 / 3).rounded())))
    }

    /// Multiplicity of each point in one resample.
    static func draw(unit: BootstrapUnit, runSizes: [Int], seed: UInt64, blockLength: Int? = nil) -> [Double] {
        var generator = SplitMix64(seed: seed)
        let n = runSizes.reduce(0, +)
        var weights = [Double](repeating: 0, count: n)
        switch unit {
        case .points:
            for _ in 0..<n { weights[Int(generator.next() % UInt64(n))] += 1 }
        case .runs:
            var offsets: [Int] = [], offset = 0
            for size in runSizes { offsets.append(offset); offset += size }
            for _ in runSizes.indices {
                let r = Int(generator.next() % UInt64(runSizes.count))
                for i in offsets[r]..<(offsets[r] + runSizes[r]) { weights[i] += 1 }
            }
        case .blocks:
            var offset = 0
            for size in runSizes {
                let b = Self.blockLength(blockLength, points: size)
                var drawn = 0
                while drawn < size {
                    let start = Int(generator.next() % UInt64(size - b + 1))
                    for i in start..<min(start + b, start + size - drawn) { weights[offset + i] += 1 }
                    drawn += b
                }
                offset += size
            }
        }
        return weights
    }
}

/// A thread-safe counter for progress callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
