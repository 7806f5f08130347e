import Dispatch

/// A loss law: a parametric prediction of loss from what a run is (N, D, C, U) or how it was
/// trained (step and schedule).
///
/// A law is a value: its name, its parameters (``ParameterSpace``), the inputs it requires, and a
/// factory for an evaluator bound to a fixed set of points. Fitting and prediction go through the
/// evaluator, so that the per-point work that does not depend on parameters (logarithms of N and D,
/// a schedule's cumulative sums and change points) happens once, not once per optimiser step.
///
/// Plugins define laws; the core never names one. Register a law with
/// ``PluginRegistry/register(law:)``.
public protocol ScalingLaw: Sendable {
    /// Unique registry name, lower-case with dashes (e.g. `chinchilla`, `multi-power`).
    var name: String { get }
    /// One line: what the law is and where it comes from (paper and equation).
    var summary: String { get }
    /// The law's parameters in natural units, with bounds, transforms and default starts.
    var parameterSpace: ParameterSpace { get }
    /// The inputs every point (or run, for `.schedule`) must have.
    var requiredInputs: Set<LawInput> { get }
    /// Binds the law to the points of `runs` (run by run, in order).
    ///
    /// - Throws: ``LawfitError`` (input) when a point lacks a required input or has one the law
    ///   cannot use (such as a non-positive N).
    func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator
    /// The parameter space with start values suited to `runs` (same names, bounds and transforms).
    ///
    /// The default returns ``parameterSpace``. Laws whose natural scales depend on the data (a loss-curve
    /// law's drop per unit of learning rate, its loss floor) override it, so that default starts are
    /// feasible whether the runs used LLM learning rates (3e-4) or kernel-regression ones (0.1).
    func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace
    /// The law's compute-optimal allocation (``ComputeOptimalLaw``), or nil when it has none.
    ///
    /// Capabilities are part of what a law declares, not found by a dynamic cast, so that they pass
    /// through wrappers (``BoundedLaw`` forwards its base law's) and across a run-time plugin's copy of
    /// the core. The default is nil; a ``ComputeOptimalLaw`` returns itself.
    var computeOptimal: (any ComputeOptimalLaw)? { get }
}

extension ScalingLaw {
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace { parameterSpace }
    /// None.
    public var computeOptimal: (any ComputeOptimalLaw)? { nil }
}

/// A law bound to fixed points: predicts the loss at every point for given parameters.
///
/// Evaluators are immutable and safe to share between concurrent fits.
public protocol LawEvaluator: Sendable {
    /// Number of points predicted.
    var count: Int { get }
    /// Number of parameters.
    var parameterCount: Int { get }
    /// Whether ``predict(_:into:jacobian:)`` fills the Jacobian analytically. When `false`, callers
    /// use ``finiteDifferenceJacobian(_:into:jacobian:)``.
    var hasAnalyticGradient: Bool { get }
    /// Predicted loss at every point for `parameters` (natural units, in ``ParameterSpace`` order).
    ///
    /// - Parameters:
    ///   - predictions: resized to `count` and overwritten.
    ///   - jacobian: when non-nil and the gradient is analytic, resized to `count * parameterCount`
    ///     and overwritten row-major: `jacobian[i * parameterCount + j]` = d prediction_i / d theta_j.
    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?)
    /// The same predictions (and, when `jacobian`, Jacobian rows: analytic, or central differences
    /// where ``hasAnalyticGradient`` is false) handed to `body` in blocks of consecutive points, in
    /// order, so that a caller summing over points never holds all of them (a long log's Jacobian is
    /// points x parameters doubles).
    ///
    /// The default predicts every point at once and hands them over in blocks of at most
    /// ``predictionBlockSize`` points (callers size their workspace by it). Evaluators of long
    /// inputs override it with ``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:threads:fill:_:)``.
    ///
    /// - Parameter threads: how many threads may compute blocks at once, and the caller's work on
    ///   each block to run there (``BlockThreads``); evaluators hand it to
    ///   ``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:threads:fill:_:)``.
    ///   `body` still receives every block in order on the calling thread, so the result does not
    ///   depend on it. Evaluators whose points depend on the previous ones (a recurrence) may ignore
    ///   it: callers must not rely on ``BlockThreads/prepare`` having run.
    func predictBlocks(_ parameters: [Double], jacobian: Bool, threads: BlockThreads, _ body: (PredictionBlock) throws -> Void) rethrows
    /// The evaluator's log-space path (``LogLossEvaluator``), or nil when it predicts natural units
    /// only: declared, not found by a dynamic cast (see ``ScalingLaw/computeOptimal``). The default
    /// is nil; a ``LogLossEvaluator`` returns itself.
    var logLossEvaluator: (any LogLossEvaluator)? { get }
}

/// How many threads a pass over prediction blocks may fill blocks on, and the caller's work on each
/// block to run on the thread that filled it (a fit running fewer starts than workers lends each
/// start the idle ones).
public struct BlockThreads: ExpressibleByIntegerLiteral {
    /// Blocks filled at once (at least 1).
    public var count: Int
    /// Called with each block and its lane (0 ..< `count`, distinct among the blocks filled at once)
    /// right after the block is filled, on the thread that filled it, before `body` receives the
    /// blocks in order: work that depends on one block alone (such as its terms of a sum, which
    /// `body` then adds in order). Must be safe to call concurrently for different lanes.
    public var prepare: ((PredictionBlock, Int) -> Void)?

    /// `count` threads (at least 1), and `prepare` to run on them.
    public init(_ count: Int, prepare: ((PredictionBlock, Int) -> Void)? = nil) {
        precondition(count >= 1, "BlockThreads: at least 1 thread")
        self.count = count
        self.prepare = prepare
    }

    /// One thread, nothing to prepare.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

/// Predictions of the points `points` of an evaluator, and their Jacobian rows when asked for:
/// `predictions[i - points.lowerBound]` and `jacobian[(i - points.lowerBound) * parameterCount + j]`
/// (row-major, as ``LawEvaluator/predict(_:into:jacobian:)``). Valid only inside the block's callback.
public struct PredictionBlock {
    public let points: Range<Int>
    public let predictions: UnsafeBufferPointer<Double>
    public let jacobian: UnsafeBufferPointer<Double>?

    public init(points: Range<Int>, predictions: UnsafeBufferPointer<Double>, jacobian: UnsafeBufferPointer<Double>?) {
        self.points = points
        self.predictions = predictions
        self.jacobian = jacobian
    }
}

/// Points per block of the evaluators that predict in blocks (``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:fill:_:)``):
/// a 7-parameter Jacobian block is then 229 kB, so that the objective's sums over a block (gradient
/// and Gauss-Newton curvature, p + 1 passes) read it from a core's L2 cache rather than from memory
/// (at 32,768 points, 1.8 MB, those sums took 31 % of a 1e6-row lr-annealing fit's CPU time); a fit of up to this many
/// points sums over one block, in the same order as over whole arrays.
public let predictionBlockSize = 4_096

/// Runs `fill` on consecutive ranges of at most `blockSize` of the points `0 ..< count`,
/// with buffers for the range's predictions and (when `jacobian`) its row-major Jacobian rows, then
/// hands each filled block to `body`, in order. The buffers are allocated once and reused, so the
/// memory held is `threads` blocks' whatever `count`.
///
/// With `threads.count` > 1, up to that many consecutive blocks are filled at once, each on its own
/// thread into its own buffers, and `fill` must then be safe to call concurrently (no state shared
/// between calls but what it only reads). Each filled block goes to `threads.prepare` on the thread
/// that filled it, then to `body` one at a time, in order, on the calling thread, so sums over them
/// are the same bits whatever the thread count.
///
/// - Parameters:
///   - blockSize: points per block, 1 ... ``predictionBlockSize`` (callers size their per-point
///     scratch by that); tests use small blocks to cross block boundaries on small data.
///   - threads: blocks filled at once, and the caller's work on each (``BlockThreads``).
public func forEachPredictionBlock(
    count: Int, parameterCount p: Int, jacobian: Bool, blockSize: Int = predictionBlockSize, threads: BlockThreads = 1,
    fill: (Range<Int>, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) -> Void,
    _ body: (PredictionBlock) throws -> Void
) rethrows {
    precondition((1...predictionBlockSize).contains(blockSize), "a prediction block holds 1 ... \(predictionBlockSize) points")
    let size = min(count, blockSize)
    // No more buffers than blocks: a short input fills as before, on the calling thread.
    let lanes = max(1, min(threads.count, (count + max(size, 1) - 1) / max(size, 1)))
    let predictions = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(lanes * size, 1))
    let rows = jacobian ? UnsafeMutableBufferPointer<Double>.allocate(capacity: max(lanes * size * p, 1)) : nil
    predictions.initialize(repeating: 0)
    _ = rows?.initialize(repeating: 0)
    defer {
        predictions.deallocate()
        rows?.deallocate()
    }
    /// Block `lane` of a round starting at point `start`: its range and buffers (empty past the end).
    func block(_ lane: Int, from start: Int) -> (Range<Int>, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>?) {
        let first = min(start + lane * size, count), end = min(first + size, count), n = end - first
        let values = UnsafeMutableBufferPointer(rebasing: predictions[(lane * size)..<(lane * size + n)])
        let jacobianRows = rows.map { UnsafeMutableBufferPointer(rebasing: $0[(lane * size * p)..<((lane * size + n) * p)]) }
        return (first..<end, values, jacobianRows)
    }
    var start = 0
    while start < count {
        let round = (0..<lanes).map { block($0, from: start) }.filter { !$0.0.isEmpty }
        if round.count == 1 {
            fill(round[0].0, round[0].1, round[0].2)
            threads.prepare?(filledBlock(round[0].0, round[0].1, round[0].2), 0)
        } else {
            withoutActuallyEscaping(fill) { fill in
                let sharedFill = UncheckedSendable(fill), blocks = UncheckedSendable(round), prepare = UncheckedSendable(threads.prepare)
                DispatchQueue.concurrentPerform(iterations: round.count) { lane in
                    let block = blocks.value[lane]
                    sharedFill.value(block.0, block.1, block.2)
                    prepare.value?(filledBlock(block.0, block.1, block.2), lane)
                }
            }
        }
        for (range, values, jacobianRows) in round {
            try body(filledBlock(range, values, jacobianRows))
        }
        start = round.last!.0.upperBound
    }
}

/// The block of `range` whose predictions and Jacobian rows were filled into `values` and `rows`.
private func filledBlock(
    _ range: Range<Int>, _ values: UnsafeMutableBufferPointer<Double>, _ rows: UnsafeMutableBufferPointer<Double>?
) -> PredictionBlock {
    PredictionBlock(points: range, predictions: UnsafeBufferPointer(values), jacobian: rows.map { UnsafeBufferPointer($0) })
}

/// A value handed to the threads of one ``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:threads:fill:_:)``
/// round, which its contract makes safe to share (each thread fills a block of its own).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension LawEvaluator {
    /// None.
    public var logLossEvaluator: (any LogLossEvaluator)? { nil }

    /// ``predictBlocks(_:jacobian:threads:_:)`` on the calling thread alone.
    public func predictBlocks(_ parameters: [Double], jacobian: Bool, _ body: (PredictionBlock) throws -> Void) rethrows {
        try predictBlocks(parameters, jacobian: jacobian, threads: 1, body)
    }

    /// Predicts every point at once, on the calling thread (`threads` is not used, its `prepare`
    /// not called), and hands them over in blocks of at most ``predictionBlockSize`` points.
    public func predictBlocks(_ parameters: [Double], jacobian: Bool, threads: BlockThreads, _ body: (PredictionBlock) throws -> Void) rethrows {
        var predictions: [Double]
        var rows: [Double]? = nil
        if jacobian {
            (predictions, rows) = predictWithJacobian(parameters)
        } else {
            predictions = predict(parameters)
        }
        // Whole arrays are handed out in blocks of at most predictionBlockSize points, as the
        // objective's per-block workspace expects (one block of more points overran it).
        let p = parameterCount
        try predictions.withUnsafeBufferPointer { values in
            try (rows ?? []).withUnsafeBufferPointer { jacobianRows in
                for start in stride(from: 0, to: values.count, by: predictionBlockSize) {
                    let points = start..<min(start + predictionBlockSize, values.count)
                    try body(PredictionBlock(
                        points: points, predictions: UnsafeBufferPointer(rebasing: values[points]),
                        jacobian: rows == nil ? nil : UnsafeBufferPointer(rebasing: jacobianRows[(points.lowerBound * p)..<(points.upperBound * p)])))
                }
            }
        }
    }

    /// ``predict(_:into:jacobian:)`` from ``predictBlocks(_:jacobian:_:)``, for evaluators that
    /// compute in blocks (the same values, gathered into whole arrays).
    public func predictGatheringBlocks(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let p = parameterCount, wanted = jacobian != nil
        var values = [Double](repeating: 0, count: count)
        var rows = wanted ? [Double](repeating: 0, count: count * p) : []
        predictBlocks(parameters, jacobian: wanted) { block in
            for (k, i) in block.points.enumerated() { values[i] = block.predictions[k] }
            if let source = block.jacobian {
                for k in 0..<source.count { rows[block.points.lowerBound * p + k] = source[k] }
            }
        }
        predictions = values
        if wanted { jacobian = rows }
    }

    /// Predictions only.
    public func predict(_ parameters: [Double]) -> [Double] {
        var predictions: [Double] = []
        var none: [Double]? = nil
        predict(parameters, into: &predictions, jacobian: &none)
        return predictions
    }

    /// Predictions and the Jacobian (analytic when available, else central differences).
    public func predictWithJacobian(_ parameters: [Double]) -> (predictions: [Double], jacobian: [Double]) {
        var predictions: [Double] = []
        var jacobian: [Double]? = []
        if hasAnalyticGradient {
            predict(parameters, into: &predictions, jacobian: &jacobian)
            return (predictions, jacobian ?? [])
        }
        var dense: [Double] = []
        finiteDifferenceJacobian(parameters, into: &predictions, jacobian: &dense)
        return (predictions, dense)
    }

    /// Central-difference Jacobian with relative steps h_j = 1e-6 max(|theta_j|, 1e-6).
    public func finiteDifferenceJacobian(
        _ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]
    ) {
        var none: [Double]? = nil
        predict(parameters, into: &predictions, jacobian: &none)
        let n = count, p = parameterCount
        jacobian = [Double](repeating: 0, count: n * p)
        var shifted = parameters
        var plus: [Double] = [], minus: [Double] = []
        for j in 0..<p {
            let h = 1e-6 * max(abs(parameters[j]), 1e-6)
            shifted[j] = parameters[j] + h
            predict(shifted, into: &plus, jacobian: &none)
            shifted[j] = parameters[j] - h
            predict(shifted, into: &minus, jacobian: &none)
            shifted[j] = parameters[j]
            for i in 0..<n { jacobian[i * p + j] = (plus[i] - minus[i]) / (2 * h) }
        }
    }
}

extension ScalingLaw {
    /// Checks that every point of `runs` has the inputs this law requires.
    ///
    /// - Throws: ``LawfitError`` (input) naming the law, the input, the run and the line.
    public func validate(_ runs: [Run]) throws {
        // The inputs once, not per point: `requiredInputs` builds its set on every access.
        let required = requiredInputs
        let pointInputs = required.sorted().filter { $0 != .schedule }
        for run in runs {
            if required.contains(.schedule) && run.schedule == nil {
                throw LawfitError.input(
                    "law '\(name)' needs a learning-rate schedule for run '\(run.name)' (give --schedule or an lr column)",
                    at: run.source.map { SourceLocation(file: $0) })
            }
            for observation in run.observations {
                for input in pointInputs {
                    guard let value = observation.value(of: input) else {
                        throw LawfitError.input(
                            "law '\(name)' needs input \(input.rawValue), which run '\(run.name)' lacks",
                            at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: input.rawValue))
                    }
                    if !input.admits(value) {
                        throw LawfitError.input(
                            "law '\(name)' needs a positive, finite \(input.rawValue); got \(value)",
                            at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: input.rawValue))
                    }
                }
            }
        }
    }

    /// The inputs this law needs that `runs` lack, or an empty set when the data fits the law.
    public func missingInputs(in runs: [Run]) -> Set<LawInput> {
        var missing = Set<LawInput>()
        let required = requiredInputs
        let pointInputs = required.sorted().filter { $0 != .schedule }
        for run in runs {
            if required.contains(.schedule) && run.schedule == nil { missing.insert(.schedule) }
            for observation in run.observations {
                for input in pointInputs where observation.value(of: input) == nil {
                    missing.insert(input)
                }
            }
        }
        return missing
    }

    /// Predicts the loss at every point of `runs` for named parameter values.
    public func predict(_ parameters: [String: Double], at runs: [Run]) throws -> [Double] {
        let values = try parameterSpace.values(from: parameters)
        try validate(runs)
        return try makeEvaluator(for: runs).predict(values)
    }
}
