import Foundation
import LawfitCore
import LossCurveSupport

/// The LR-annealing scaling law (Tissue, Wang, Li, Zhang, "Scaling Law with Learning Rate
/// Annealing", arXiv 2408.11029, 2024, the main law of Sec. 3 with the momentum form of S2):
///
///     L(t) = L0 + A S1^-alpha - C S2,   S1 = sum_{i<=t} eta_i,
///     m_i = lambda m_{i-1} + (eta_{i-1} - eta_i),   S2 = sum_{i<=t} m_i.
///
/// Only change points feed the momentum; between them m decays geometrically and S2 grows by a
/// geometric series, so an evaluation costs O(change points + observations). Same
/// warmup convention as ``MultiPowerLaw``: S1 includes the warmup ramp and the S2 sum runs over it.
/// lambda (the paper's decay factor, about 0.999) is fitted; the Jacobian is analytic.
public struct LRAnnealingLaw: PartiallyLinearLaw {
    /// The law (lambda is fitted with the other parameters).
    public init() {}

    public var name: String { "lr-annealing" }
    public var summary: String {
        "LR-annealing law L0 + A S1^-alpha - C S2 with momentum annealing area S2 (Tissue et al. 2024, arXiv 2408.11029)"
    }
    public var requiredInputs: Set<LawInput> { [.step, .schedule] }
    /// L = L0 + A S1^-alpha - C S2: linear in L0, A and C (staged starts solve them first).
    public var linearParameters: [String] { ["L0", "A", "C"] }

    public var parameterSpace: ParameterSpace {
        ParameterSpace(IntrinsicTimePower.parameters + [
            Parameter("C", "weight of the annealing area S2", bounds: 0...1e4, starts: [0.1, 1]),
            Parameter("lambda", "momentum decay factor of S2", bounds: 0.5...0.99999, starts: [0.999]),
        ])
    }

    /// Default starts moved to the runs' scales: L0 below the lowest loss, A by the square root of the
    /// learning-rate ratio to 3e-4 (S1 grows with it), C by its inverse (S2 is a sum of rates), from
    /// a tenth of the default up, since S2 sums the whole annealing momentum.
    public func parameterSpace(adaptedTo runs: [Run]) -> ParameterSpace {
        guard let scale = LossCurveScale(runs) else { return parameterSpace }
        // Set for the same runs as the Multi-Power Law's starts.
        return parameterSpace.adaptingStarts(
            ["L0": .floor, "A": .rootRate, "C": .inverseRateFrom([0.01, 0.1, 1])], to: scale, startsPeakRate: MultiPowerLaw.startsPeakRate)
    }

    public func makeEvaluator(for runs: [Run]) throws -> any LawEvaluator {
        LRAnnealingEvaluator(data: try ScheduledPoints(law: self, runs: runs))
    }
}

/// ``LRAnnealingLaw`` bound to fixed runs.
///
/// Evaluates the momentum form directly, in step order per run: between change points m decays
/// geometrically and S2 grows by a geometric series, so each gap costs one power of lambda. One
/// evaluation is O(change points + observations), with d/dlambda carried along. When every run's
/// points are in step order (as the log readers leave them) points are predicted in blocks, so a
/// fit never holds a long log's whole Jacobian.
struct LRAnnealingEvaluator: LawEvaluator {
    let data: ScheduledPoints
    /// Per run, the indices of its points in step order; nil when every run's points already are.
    let order: [[Int]]?
    /// Points per prediction block (``forEachPredictionBlock(count:parameterCount:jacobian:blockSize:fill:_:)``).
    let blockSize: Int

    init(data: ScheduledPoints, blockSize: Int = predictionBlockSize) {
        self.data = data
        self.blockSize = blockSize
        let inStepOrder = data.points.indices.dropFirst().allSatisfy {
            data.points[$0].run != data.points[$0 - 1].run || data.points[$0].step >= data.points[$0 - 1].step
        }
        guard !inStepOrder else {
            order = nil
            return
        }
        var order = [[Int]](repeating: [], count: data.runs.count)
        for (i, point) in data.points.enumerated() { order[point.run].append(i) }
        self.order = order.map { indices in indices.sorted { data.points[$0].step < data.points[$1].step } }
    }

    var count: Int { data.points.count }
    var parameterCount: Int { 5 }
    var hasAnalyticGradient: Bool { true }

    func predict(_ parameters: [Double], into predictions: inout [Double], jacobian: inout [Double]?) {
        let p = parameterCount
        var values = [Double](repeating: 0, count: count)
        var rows = jacobian == nil ? [] : [Double](repeating: 0, count: count * p)
        var walk = Walk(data: data, order: order, parameters: parameters)
        var row = [Double](repeating: 0, count: p)
        while let index = walk.next(jacobian: &row) {
            values[index] = walk.prediction
            if jacobian != nil { for j in 0..<p { rows[index * p + j] = row[j] } }
        }
        predictions = values
        if jacobian != nil { jacobian = rows }
    }

    /// One thread whatever `threads` (its `prepare` is not called): each point's state follows from the one before it (a recurrence).
    func predictBlocks(_ parameters: [Double], jacobian wantJacobian: Bool, threads: BlockThreads, _ body: (PredictionBlock) throws -> Void) rethrows {
        guard order == nil else {
            // Points out of step order: predicted whole, then handed over as one block.
            var values: [Double] = [], rows: [Double]? = wantJacobian ? [] : nil
            predict(parameters, into: &values, jacobian: &rows)
            return try values.withUnsafeBufferPointer { v in
                guard let rows else { return try body(PredictionBlock(points: 0..<count, predictions: v, jacobian: nil)) }
                return try rows.withUnsafeBufferPointer { try body(PredictionBlock(points: 0..<count, predictions: v, jacobian: $0)) }
            }
        }
        let p = parameterCount
        var walk = Walk(data: data, order: nil, parameters: parameters)
        var row = [Double](repeating: 0, count: p)
        try forEachPredictionBlock(count: count, parameterCount: p, jacobian: wantJacobian, blockSize: blockSize, fill: { range, predictions, jac in
            for k in range.indices {
                _ = walk.next(jacobian: &row)
                predictions[k - range.lowerBound] = walk.prediction
                if let jac { for j in 0..<p { jac[(k - range.lowerBound) * p + j] = row[j] } }
            }
        }, body)
    }

    /// The evaluation's state, one point at a time in step order per run (run by run).
    struct Walk {
        let data: ScheduledPoints
        let order: [[Int]]?
        let l0: Double, a: Double, alpha: Double, c: Double, lambda: Double
        let logLambda: Double, oneMinus: Double
        /// The run and the position of the next point in its step order.
        var r = -1, position = 0
        /// The run's change points (steps and drops of its leaves), held while its points are walked.
        var steps: [Int] = [], drops: [Double] = [], leafCount = 0, points: Range<Int> = 0..<0
        /// State after step `current`: momentum m, area S2 and their lambda-derivatives; `next` change point.
        var current = 0, m = 0.0, area = 0.0, dm = 0.0, dArea = 0.0, next = 0
        /// The last point's prediction.
        var prediction = 0.0
        /// lambda^n, its geometric series and the series' lambda-derivative for the last gap length
        /// n: a log with a point at every step advances by the same n (1) again and again.
        var gap = 0, power = 0.0, series = 0.0, dSeries = 0.0

        init(data: ScheduledPoints, order: [[Int]]?, parameters: [Double]) {
            self.data = data
            self.order = order
            l0 = parameters[0]; a = parameters[1]; alpha = parameters[2]; c = parameters[3]; lambda = parameters[4]
            logLambda = log(lambda); oneMinus = 1 - lambda
        }

        /// Moves the state over `n` steps without a change point.
        mutating func advance(_ n: Int) {
            guard n > 0 else { return }
            let nd = Double(n)
            if n != gap {
                gap = n
                power = exp(nd * logLambda)                                  // lambda^n
                series = (lambda - power * lambda) / oneMinus                // sum_{j=1}^n lambda^j
                dSeries = ((1 - (nd + 1) * power) * oneMinus + lambda - power * lambda) / (oneMinus * oneMinus)
            }
            dArea += dm * series + m * dSeries
            area += m * series
            dm = nd * power / lambda * m + power * dm
            m *= power
            current += n
        }

        /// Predicts the next point (its index is returned; nil after the last), writing its
        /// Jacobian row (d/dL0, dA, dalpha, dC, dlambda) into `row`.
        mutating func next(jacobian row: inout [Double]) -> Int? {
            while position == points.count {
                r += 1
                guard r < data.runs.count else { return nil }
                steps = data.runs[r].step; drops = data.runs[r].drop; leafCount = data.runs[r].leafCount
                points = data.pointRanges[r]
                position = 0
                current = 0; m = 0; area = 0; dm = 0; dArea = 0; next = 0
            }
            let index = order.map { $0[r][position] } ?? points.lowerBound + position
            position += 1
            let point = data.points[index]
            while next < leafCount && steps[next] <= point.step {
                advance(steps[next] - 1 - current)
                dm = m + lambda * dm
                m = lambda * m + drops[next]
                area += m
                dArea += dm
                current += 1
                next += 1
            }
            advance(point.step - current)
            let decay = exp(-alpha * point.logTau)
            prediction = l0 + a * decay - c * area
            row[0] = 1
            row[1] = decay
            row[2] = -a * decay * point.logTau
            row[3] = -area
            row[4] = -c * dArea
            return index
        }
    }
}
