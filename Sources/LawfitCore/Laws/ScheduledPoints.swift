import Foundation

/// The parameter-free part of a schedule law's evaluation, computed once per evaluator.
///
/// Loss-curve laws of the Multi-Power / LR-annealing / FSL family predict the loss after t updates
/// from the intrinsic time tau_t = sum_{i<=t} eta_i and a loss-drop sum over the steps i <= t where
/// the rate changes (eta_{i-1} != eta_i); every other step contributes zero. This holds each run's
/// change points (as arrays, for a tight inner loop) and, for each observed point, its tau_t and how
/// many change points precede it, so one evaluation costs O(change points + observations x change
/// points) instead of the naive O(K^2).
///
/// Optional compression (for schedules whose rate changes at almost every step, such as cosine):
/// aligned dyadic blocks of consecutive change points with drops of one sign are merged into one
/// drop-weighted change point (total drop, mean tau_{i-1}, mean tau_i, mean log eta_i) wherever the
/// block lies far behind the observed point: tau_t - tau_end >= rho (tau_end - tau_start), the
/// block's log eta spread <= 1/rho and its tau spread <= tau_start / rho. The merged term is the
/// midpoint rule of the block's smooth summand, with relative error O(rho^-2); a point then costs
/// O(rho log(change points)) terms. The error is measured against the exact sum in the tests and the
/// benchmark. Change-point indices are stored as Int32: a run may have at most 2^31 - 1 of them.
public struct ScheduledPoints: Sendable {
    /// The change points of one run, in step order (index k is the k-th change point).
    public struct ChangePoints: Sendable {
        /// Step i of the change (1-based update index).
        public var step: [Int] = []
        /// eta_{i-1} - eta_i (negative during warmup).
        public var drop: [Double] = []
        /// eta_i.
        public var rate: [Double] = []
        /// log eta_i (-infinity where eta_i = 0).
        public var logRate: [Double] = []
        /// tau_{i-1} = sum_{j<i} eta_j.
        public var tauBefore: [Double] = []
        /// tau_i = sum_{j<=i} eta_j.
        public var tau: [Double] = []
        /// log tau_i (-infinity where tau_i = 0).
        public var logTau: [Double] = []
        /// The first `leafCount` entries are the change points themselves; merged blocks follow.
        public var leafCount = 0
        /// Leaves plus merged blocks.
        public var count: Int { step.count }

        /// No change points.
        public init() {}

        /// Appends one change point (its log tau is computed here).
        public mutating func append(step: Int, drop: Double, rate: Double, logRate: Double, tauBefore: Double, tau: Double) {
            self.step.append(step)
            self.drop.append(drop)
            self.rate.append(rate)
            self.logRate.append(logRate)
            self.tauBefore.append(tauBefore)
            self.tau.append(tau)
            self.logTau.append(Foundation.log(tau))
        }
    }

    /// A dyadic block of consecutive change points, for compression.
    private struct Block {
        var drop: Double, logRate: Double, tauBefore: Double, tau: Double
        var tauStart: Double, tauEnd: Double, logRateMin: Double, logRateMax: Double
        /// All drops of one sign and all rates positive.
        var mergeable: Bool
        var lastStep: Int

        init(leaf k: Int, of c: ChangePoints) {
            drop = c.drop[k]; logRate = c.logRate[k]; tauBefore = c.tauBefore[k]; tau = c.tau[k]
            tauStart = c.tauBefore[k]; tauEnd = c.tau[k]; logRateMin = c.logRate[k]; logRateMax = c.logRate[k]
            mergeable = c.rate[k] > 0
            lastStep = c.step[k]
        }

        init(_ a: Block, _ b: Block) {
            drop = a.drop + b.drop
            mergeable = a.mergeable && b.mergeable && (a.drop > 0) == (b.drop > 0)
            let wa = mergeable ? a.drop / drop : 0.5, wb = 1 - wa
            logRate = wa * a.logRate + wb * b.logRate
            tauBefore = wa * a.tauBefore + wb * b.tauBefore
            tau = wa * a.tau + wb * b.tau
            tauStart = a.tauStart; tauEnd = b.tauEnd
            logRateMin = min(a.logRateMin, b.logRateMin); logRateMax = max(a.logRateMax, b.logRateMax)
            lastStep = b.lastStep
        }

        func usable(at tauT: Double, rho: Double) -> Bool {
            let width = tauEnd - tauStart
            return mergeable && tauT - tauEnd >= rho * width && logRateMax - logRateMin <= 1 / rho
                && width * rho <= tauStart
        }
    }

    /// One observed point.
    public struct Point: Sendable {
        public var step: Int
        /// tau_t at the point (> 0).
        public var tau: Double
        /// log tau_t.
        public var logTau: Double
        /// Which run it belongs to.
        public var run: Int
        /// How many of the run's change points have step <= t.
        public var changePoints: Int
    }

    /// The observed points of all runs, run by run in observation order.
    public var points: [Point] = []
    /// The change points of each run (index = run index).
    public var runs: [ChangePoints] = []
    /// The points of each run: `points[pointRanges[r]]` belong to run r.
    public var pointRanges: [Range<Int>] = []
    /// Point n's loss-drop terms are the entries `termIndices[termOffsets[n] ..< termOffsets[n + 1]]`
    /// of its run's ``ChangePoints``: its first `changePoints` leaves, or with compression the leaves
    /// and merged blocks whose sum replaces them. Flat, 4 bytes a term, for the laws' C kernels.
    public var termOffsets: [Int] = [0]
    public var termIndices: [Int32] = []

    /// Gathers the points and change points of `runs` for `law`.
    ///
    /// - Throws: ``LawfitError`` (input) when a run has no schedule, a point has no step, a step
    ///   lies outside `1...totalSteps` of the run's schedule, or tau_t is not positive there.
    /// - Parameter compression: rho of the block compression, or `nil` for the exact sum.
    public init(law: any ScalingLaw, runs: [Run], compression: Double? = nil) throws {
        try law.validate(runs)
        for (r, run) in runs.enumerated() {
            guard let schedule = run.schedule else {
                throw LawfitError.input("law '\(law.name)' needs a learning-rate schedule for run '\(run.name)'")
            }
            let rates = schedule.rates, tau = schedule.intrinsicTime
            var changes = ChangePoints()
            if rates.count > 1 {
                for i in 1..<rates.count where rates[i] != rates[i - 1] {
                    guard rates[i] >= 0, rates[i].isFinite else {
                        throw LawfitError.input("law '\(law.name)': run '\(run.name)' has learning rate \(rates[i]) at step \(i); rates must be finite and >= 0")
                    }
                    changes.append(
                        step: i, drop: rates[i - 1] - rates[i], rate: rates[i],
                        logRate: rates[i] > 0 ? log(rates[i]) : -.infinity, tauBefore: tau[i - 1], tau: tau[i])
                }
            }
            changes.leafCount = changes.count
            let firstPoint = points.count
            for observation in run.observations {
                let location = SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step")
                guard let step = observation.step else {
                    throw LawfitError.input("law '\(law.name)' needs a step for every point of run '\(run.name)'", at: location)
                }
                guard step >= 1, step <= schedule.totalSteps else {
                    throw LawfitError.input(
                        "law '\(law.name)': step \(step) of run '\(run.name)' is outside its schedule (1...\(schedule.totalSteps))",
                        at: location)
                }
                guard tau[step] > 0 else {
                    throw LawfitError.input(
                        "law '\(law.name)': the intrinsic time (sum of learning rates) of run '\(run.name)' is 0 at step \(step); the law needs it positive",
                        at: location)
                }
                let preceding = Self.count(of: changes.step, atMost: step)
                points.append(Point(step: step, tau: tau[step], logTau: log(tau[step]), run: r, changePoints: preceding))
            }
            let compressed = compression.map { Self.compress(&changes, points: points[firstPoint...], rho: $0) }
            for (k, point) in points[firstPoint...].enumerated() {
                if let terms = compressed?[k] {
                    termIndices += terms.map { Int32($0) }
                } else {
                    termIndices += (0..<point.changePoints).map { Int32($0) }
                }
                termOffsets.append(termIndices.count)
            }
            pointRanges.append(firstPoint..<points.count)
            self.runs.append(changes)
        }
    }

    /// Each point's terms replacing its exact prefix sum: leaves and merged blocks (appended to
    /// `changes`), or nil where nothing merges.
    private static func compress(_ changes: inout ChangePoints, points: ArraySlice<Point>, rho: Double) -> [[Int]?] {
        var result = [[Int]?](repeating: nil, count: points.count)
        let n = changes.leafCount
        guard n > 1 else { return result }
        var levels: [[Block]] = [(0..<n).map { Block(leaf: $0, of: changes) }]
        while levels.last!.count >= 2 {
            let below = levels.last!
            levels.append((0..<(below.count / 2)).map { Block(below[2 * $0], below[2 * $0 + 1]) })
        }
        var merged: [Int: Int] = [:]  // (level, block) key -> index in changes
        for p in points.indices {
            let end = points[p].changePoints, tauT = points[p].tau
            var terms: [Int] = []
            var i = 0
            while i < end {
                var level = levels.count - 1
                while level > 0 {
                    let size = 1 << level
                    if i % size == 0, i + size <= end, levels[level][i >> level].usable(at: tauT, rho: rho) { break }
                    level -= 1
                }
                if level == 0 {
                    terms.append(i)
                } else {
                    let key = (i >> level) * 64 + level
                    if let index = merged[key] {
                        terms.append(index)
                    } else {
                        let block = levels[level][i >> level]
                        changes.append(
                            step: block.lastStep, drop: block.drop, rate: exp(block.logRate), logRate: block.logRate,
                            tauBefore: block.tauBefore, tau: block.tau)
                        merged[key] = changes.count - 1
                        terms.append(changes.count - 1)
                    }
                }
                i += 1 << level
            }
            if terms.count < end { result[p - points.startIndex] = terms }
        }
        return result
    }

    /// The number of entries of the sorted array `steps` that are <= `step` (binary search).
    private static func count(of steps: [Int], atMost step: Int) -> Int {
        var low = 0, high = steps.count
        while low < high {
            let mid = (low + high) / 2
            if steps[mid] <= step { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
