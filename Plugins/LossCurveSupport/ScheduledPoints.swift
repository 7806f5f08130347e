import Foundation
import LawfitCore

/// The parameter-free part of a schedule law's evaluation, computed once per evaluator.
///
/// Loss-curve laws of the Multi-Power / LR-annealing / FSL family predict the loss after t updates
/// from the intrinsic time tau_t = sum_{i<=t} eta_i and a loss-drop sum over the steps i <= t where
/// the rate changes (eta_{i-1} != eta_i); every other step contributes zero. This holds each run's
/// change points (as arrays, for a tight inner loop) and, for each observed point, its tau_t and how
/// many change points precede it, so one evaluation costs O(change points + observations x change
/// points) instead of the naive O(K^2).
///
/// Optional compression (for schedules whose rate changes at almost every step, such as cosine; rule
/// and error in ``TermCompression``): an aligned dyadic block of consecutive change points with drops
/// of one sign is replaced by the nodes of its Gauss rule wherever its summand varies little over it
/// as seen from the observed point (the variation shrinks with the distance to the point, so blocks
/// grow geometrically with it); a point then costs O(nodes x log(change points)) terms. The error is
/// measured against the exact sum in the tests and the
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

        /// Unsafe views of a run's change-point arrays (``ChangePoints``), for a law's inner loop: reading
        /// through them costs no reference counting, where each use of an array (an element, or its
        /// conversion to a C pointer) retains and releases its storage. Valid only inside
        /// ``withUnsafeArrays(_:)``.
        public struct UnsafeArrays {
            public let step: UnsafeBufferPointer<Int>
            public let drop: UnsafeBufferPointer<Double>
            public let rate: UnsafeBufferPointer<Double>
            public let logRate: UnsafeBufferPointer<Double>
            public let tauBefore: UnsafeBufferPointer<Double>
            public let tau: UnsafeBufferPointer<Double>
            public let logTau: UnsafeBufferPointer<Double>
            /// Leaves plus merged blocks.
            public var count: Int { step.count }
        }

        /// Calls `body` with unsafe views of the arrays (valid only during the call).
        public func withUnsafeArrays<R>(_ body: (UnsafeArrays) throws -> R) rethrows -> R {
            try step.withUnsafeBufferPointer { step in
                try drop.withUnsafeBufferPointer { drop in
                    try rate.withUnsafeBufferPointer { rate in
                        try logRate.withUnsafeBufferPointer { logRate in
                            try tauBefore.withUnsafeBufferPointer { tauBefore in
                                try tau.withUnsafeBufferPointer { tau in
                                    try logTau.withUnsafeBufferPointer { logTau in
                                        try body(UnsafeArrays(
                                            step: step, drop: drop, rate: rate, logRate: logRate, tauBefore: tauBefore, tau: tau, logTau: logTau))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /// Appends a Gauss node of a merged block: its time and shape variables as the rule has
        /// them; of the other variables, tau_{k-1} and tau_k differ by the node's rate, and the rate
        /// is exp(shape) or, where the shape is log tau, exp(otherLogRate) (a drop-weighted mean).
        mutating func appendNode(step: Int, drop: Double, time: Double, shape: Double, otherLogRate: Double, rule: TermCompression) {
            let logRate = rule.shape == .logRate ? shape : otherLogRate
            let rate = Foundation.exp(logRate)
            let tauBefore = rule.time == .tauBefore ? time : time - rate
            let tau = rule.time == .tau ? time : time + rate
            append(step: step, drop: drop, rate: rate, logRate: logRate, tauBefore: tauBefore, tau: tau)
            if rule.shape == .logTau { logTau[logTau.count - 1] = shape }
        }
    }

    /// A dyadic block of consecutive change points, for compression: the ranges of its time and
    /// shape variables (``TermCompression``).
    private struct Span {
        var timeMin: Double, timeMax: Double, shapeMin: Double, shapeMax: Double
        /// All drops of one sign, non-zero, and every shape finite.
        var mergeable: Bool
        var positive: Bool

        init(time: Double, shape: Double, drop: Double) {
            timeMin = time; timeMax = time; shapeMin = shape; shapeMax = shape
            mergeable = drop != 0 && shape.isFinite
            positive = drop > 0
        }

        init(_ a: Span, _ b: Span) {
            timeMin = min(a.timeMin, b.timeMin); timeMax = max(a.timeMax, b.timeMax)
            shapeMin = min(a.shapeMin, b.shapeMin); shapeMax = max(a.shapeMax, b.shapeMax)
            mergeable = a.mergeable && b.mergeable && a.positive == b.positive
            positive = a.positive
        }

        /// V of ``TermCompression`` at tau_t within the rule's limit (the residual is checked apart).
        func variationAllowed(at tauT: Double, _ rule: TermCompression) -> Bool {
            guard mergeable, tauT > timeMax else { return false }
            return log((tauT - timeMin) / (tauT - timeMax)) + rule.shapeCoefficient * (shapeMax - shapeMin) <= rule.variation
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
        public var run: Int { Int(storedRun) }
        /// How many of the run's change points have step <= t.
        public var changePoints: Int { Int(storedChangePoints) }
        /// 4 bytes each, so that a point takes 32 bytes (runs and change points are below 2^31).
        private var storedRun: Int32, storedChangePoints: Int32

        init(step: Int, tau: Double, logTau: Double, run: Int, changePoints: Int) {
            self.step = step
            self.tau = tau
            self.logTau = logTau
            storedRun = Int32(run)
            storedChangePoints = Int32(changePoints)
        }
    }

    /// The observed points of all runs, run by run in observation order.
    public var points: [Point] = []
    /// The change points of each run (index = run index).
    public var runs: [ChangePoints] = []
    /// The points of each run: `points[pointRanges[r]]` belong to run r.
    public var pointRanges: [Range<Int>] = []
    /// Point n's loss-drop terms where compression replaced its exact sum: leaves and merged blocks
    /// of its run's ``ChangePoints``, stored as a difference from the point before it (consecutive
    /// points share most of their terms): the first `sharedTerms[n]` terms of point n - 1's list,
    /// then `termIndices[termOffsets[n] ..< termOffsets[n + 1]]`. `sharedTerms[n]` is 0 for the first
    /// compressed point of a run and at least every ``keyframeInterval`` points, and -1 for a point
    /// whose terms are the exact sum over its first `changePoints` leaves (not stored: a long log's
    /// prefixes would take 4 bytes per point and change point). Without compression all three stay
    /// empty (every point sums exactly). ``TermCursor`` reads them back for the laws' C kernels, 4 bytes a term.
    public var termOffsets: [Int] = [0]
    public var termIndices: [Int32] = []
    public var sharedTerms: [Int32] = []

    /// How many terms an evaluation sums over all points (each point's term count).
    public var termCount: Int {
        points.indices.reduce(0) { total, n in
            let shared = sharedTerms.isEmpty ? -1 : Int(sharedTerms[n])
            return total + (shared < 0 ? points[n].changePoints : shared + termOffsets[n + 1] - termOffsets[n])
        }
    }

    /// The most points between two whose terms are stored whole (bounds the work of reading one
    /// point's terms out of order).
    public static let keyframeInterval = 64

    /// Reads points' terms back from ``ScheduledPoints/termIndices``: in point order each costs the
    /// terms that differ from the point before; out of order, at most ``keyframeInterval`` points' worth.
    /// One cursor per thread.
    public struct TermCursor {
        public let data: ScheduledPoints
        private var current = -1
        private var buffer: [Int32] = []

        public init(_ data: ScheduledPoints) {
            self.data = data
        }

        /// Calls `body` with point n's term indices (nil for its exact sum over its first `count`
        /// leaves) and their count, as the C kernels take them.
        public mutating func withTerms<R>(of n: Int, _ body: (UnsafePointer<Int32>?, Int) throws -> R) rethrows -> R {
            guard !data.sharedTerms.isEmpty, data.sharedTerms[n] >= 0 else { return try body(nil, data.points[n].changePoints) }
            if current != n {
                // Back to a point stored whole, or to the one whose terms the buffer holds.
                var first = n
                while data.sharedTerms[first] > 0, first - 1 != current { first -= 1 }
                for k in first...n {
                    buffer.removeSubrange(Int(data.sharedTerms[k])...)
                    buffer += data.termIndices[data.termOffsets[k]..<data.termOffsets[k + 1]]
                }
                current = n
            }
            return try buffer.withUnsafeBufferPointer { try body($0.baseAddress, $0.count) }
        }

        /// Calls `body(n, point, indices, count)` for each point n of `points` in order, with its term
        /// indices as ``withTerms(of:_:)`` gives them, reading the points and stored terms through
        /// unsafe buffers (no reference counting per point, which a long log's fit would otherwise pay
        /// a million times per evaluation). The same terms, in the same order, as ``withTerms(of:_:)``.
        public mutating func forEachPoint(
            in points: Range<Int>, _ body: (Int, Point, UnsafePointer<Int32>?, Int) throws -> Void
        ) rethrows {
            guard !points.isEmpty else { return }
            precondition(points.lowerBound >= 0 && points.upperBound <= data.points.count, "TermCursor: points out of range")
            try data.points.withUnsafeBufferPointer { allPoints in
                guard !data.sharedTerms.isEmpty else {
                    for n in points {
                        let point = allPoints[n]
                        try body(n, point, nil, point.changePoints)
                    }
                    return
                }
                try data.sharedTerms.withUnsafeBufferPointer { shared in
                    try data.termOffsets.withUnsafeBufferPointer { offsets in
                        try data.termIndices.withUnsafeBufferPointer { indices in
                            for n in points {
                                let point = allPoints[n]
                                guard shared[n] >= 0 else {
                                    try body(n, point, nil, point.changePoints)
                                    continue
                                }
                                if current != n {
                                    var first = n
                                    while shared[first] > 0, first - 1 != current { first -= 1 }
                                    for k in first...n {
                                        let keep = Int(shared[k])
                                        if buffer.count > keep { buffer.removeSubrange(keep...) }
                                        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: indices[offsets[k]..<offsets[k + 1]]))
                                    }
                                    current = n
                                }
                                try buffer.withUnsafeBufferPointer { try body(n, point, $0.baseAddress, $0.count) }
                            }
                        }
                    }
                }
            }
        }

        /// Point n's terms as change-point entries (for code that is not a C kernel).
        public mutating func terms(of n: Int) -> [Int] {
            withTerms(of: n) { indices, count in indices.map { base in (0..<count).map { Int(base[$0]) } } ?? Array(0..<count) }
        }
    }

    /// Gathers the points and change points of `runs` for `law`.
    ///
    /// - Throws: ``LawfitError`` (input) when a run has no schedule, a point has no step, a step
    ///   lies outside `1...totalSteps` of the run's schedule, or tau_t is not positive there.
    /// - Parameter compression: the rule merging blocks of change points, or `nil` for the exact sum.
    public init(law: any ScalingLaw, runs: [Run], compression: TermCompression? = nil) throws {
        try law.validate(runs)
        // Reserved once: grown by appending, a long log's points would be held twice while copied.
        let pointCount = runs.reduce(0) { $0 + $1.observations.count }
        points.reserveCapacity(pointCount)
        if compression != nil {
            termOffsets.reserveCapacity(pointCount + 1)
            sharedTerms.reserveCapacity(pointCount)
        }
        for (r, run) in runs.enumerated() {
            guard let schedule = run.schedule else {
                throw LawfitError.input("law '\(law.name)' needs a learning-rate schedule for run '\(run.name)'")
            }
            var (changes, tau) = try Self.changePoints(of: schedule, observations: run.observations, law: law, run: run)
            let firstPoint = points.count
            for (k, observation) in run.observations.enumerated() {
                let location = SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step")
                guard let step = observation.step else {
                    throw LawfitError.input("law '\(law.name)' needs a step for every point of run '\(run.name)'", at: location)
                }
                guard step >= 1, step <= schedule.totalSteps else {
                    throw LawfitError.input(
                        "law '\(law.name)': step \(step) of run '\(run.name)' is outside its schedule (1...\(schedule.totalSteps))",
                        at: location)
                }
                guard tau[k] > 0 else {
                    throw LawfitError.input(
                        "law '\(law.name)': the intrinsic time (sum of learning rates) of run '\(run.name)' is 0 at step \(step); the law needs it positive",
                        at: location)
                }
                let preceding = Self.count(of: changes.step, atMost: step)
                points.append(Point(step: step, tau: tau[k], logTau: log(tau[k]), run: r, changePoints: preceding))
            }
            var previous: [Int32]? = nil, sinceKeyframe = 0
            func store(_ terms: [Int]?) {
                guard let terms else {
                    sharedTerms.append(-1)
                    termOffsets.append(termIndices.count)
                    previous = nil
                    return
                }
                let list = terms.map { Int32($0) }
                var shared = 0
                if let previous, sinceKeyframe + 1 < Self.keyframeInterval {
                    while shared < min(previous.count, list.count), previous[shared] == list[shared] { shared += 1 }
                }
                sinceKeyframe = shared == 0 ? 0 : sinceKeyframe + 1
                termIndices += list[shared...]
                sharedTerms.append(Int32(shared))
                termOffsets.append(termIndices.count)
                previous = list
            }
            if let rule = compression { Self.compress(&changes, points: points[firstPoint...], rule: rule, store) }
            pointRanges.append(firstPoint..<points.count)
            self.runs.append(changes)
        }
    }

    /// The change points of `schedule` (every step i where eta_i != eta_{i-1}) and tau_t at each
    /// observation's step (0 where the step is missing or outside the schedule), in one pass over the
    /// steps without the dense arrays when the observations' steps do not decrease.
    private static func changePoints(
        of schedule: DenseSchedule, observations: [Observation], law: any ScalingLaw, run: Run
    ) throws -> (ChangePoints, [Double]) {
        var tau = [Double](repeating: 0, count: observations.count)
        let total = schedule.totalSteps
        func inRange(_ k: Int) -> Int? { observations[k].step.flatMap { (1...total).contains($0) ? $0 : nil } }
        var ordered = true, last = 0
        for k in observations.indices {
            guard let step = inRange(k) else { continue }
            if step < last { ordered = false; break }
            last = step
        }
        if !ordered {
            let dense = schedule.intrinsicTime
            for k in observations.indices { if let step = inRange(k) { tau[k] = dense[step] } }
        }
        var changes = ChangePoints()
        var previousRate = 0.0, previousTau = 0.0, next = 0
        try schedule.forEachStep { i, rate, intrinsicTime in
            if i > 0, rate != previousRate {
                guard changes.count < Int(Int32.max) else {
                    throw LawfitError.input("law '\(law.name)': run '\(run.name)' changes its learning rate at more than 2^31 - 1 steps, the most a run may have")
                }
                guard rate >= 0, rate.isFinite else {
                    throw LawfitError.input("law '\(law.name)': run '\(run.name)' has learning rate \(rate) at step \(i); rates must be finite and >= 0")
                }
                changes.append(
                    step: i, drop: previousRate - rate, rate: rate,
                    logRate: rate > 0 ? log(rate) : -.infinity, tauBefore: previousTau, tau: intrinsicTime)
            }
            if ordered {
                while next < observations.count, inRange(next).map({ $0 <= i }) ?? true {
                    if inRange(next) == i { tau[next] = intrinsicTime }
                    next += 1
                }
            }
            previousRate = rate
            previousTau = intrinsicTime
        }
        changes.leafCount = changes.count
        return (changes, tau)
    }

    /// Hands each point's terms replacing its exact prefix sum to `store`, in order: leaves and the
    /// Gauss nodes of merged blocks (appended to `changes`), or nil where nothing merges. Each point
    /// takes, from its first change point on, the largest aligned block that the rule allows.
    private static func compress(_ changes: inout ChangePoints, points: ArraySlice<Point>, rule: TermCompression, _ store: ([Int]?) -> Void) {
        let n = changes.leafCount
        // Blocks smaller than twice the nodes save too little to be worth their error.
        var smallest = 1
        while 1 << smallest < 2 * rule.nodes { smallest += 1 }
        guard n >= 1 << smallest else {
            for _ in points { store(nil) }
            return
        }
        let time = rule.time == .tauBefore ? changes.tauBefore : changes.tau
        let shape = rule.shape == .logRate ? changes.logRate : changes.logTau
        var levels: [[Span]] = [(0..<n).map { Span(time: time[$0], shape: shape[$0], drop: changes.drop[$0]) }]
        while levels.last!.count >= 2 {
            let below = levels.last!
            levels.append((0..<(below.count / 2)).map { Span(below[2 * $0], below[2 * $0 + 1]) })
        }
        let magnitudes = changes.drop.map(abs)
        var merged: [Int: [Int]] = [:]  // (block, level) key -> its nodes' indices in changes (empty: rejected)
        func nodes(level: Int, block: Int) -> [Int] {
            let key = block * 64 + level
            if let known = merged[key] { return known }
            let range = (block << level)..<((block + 1) << level)
            var entries: [Int] = []
            if let gauss = DiscreteGaussRule(times: time[range], weights: magnitudes[range], values: shape[range], nodes: rule.nodes),
                gauss.residual * rule.shapeCoefficient <= rule.residual
            {
                let sign = levels[level][block].positive ? 1.0 : -1.0
                let meanLogRate = zip(magnitudes[range], changes.logRate[range]).reduce(0) { $0 + $1.0 * $1.1 }
                    / magnitudes[range].reduce(0, +)
                for j in gauss.nodes.indices {
                    changes.appendNode(
                        step: changes.step[range.upperBound - 1], drop: sign * gauss.weights[j], time: gauss.nodes[j],
                        shape: gauss.fitted[j], otherLogRate: meanLogRate, rule: rule)
                    entries.append(changes.count - 1)
                }
            }
            merged[key] = entries
            return entries
        }
        for p in points.indices {
            let end = points[p].changePoints, tauT = points[p].tau
            var terms: [Int] = []
            var i = 0
            while i < end {
                // The largest aligned block at i (i's trailing zero bits), down to the rule's smallest.
                var level = i == 0 ? levels.count - 1 : min(levels.count - 1, i.trailingZeroBitCount)
                var chosen: [Int] = []
                while level >= smallest {
                    let size = 1 << level
                    if i % size == 0, i + size <= end, levels[level][i >> level].variationAllowed(at: tauT, rule) {
                        chosen = nodes(level: level, block: i >> level)
                        if !chosen.isEmpty { break }
                    }
                    level -= 1
                }
                if chosen.isEmpty {
                    terms.append(i)
                    i += 1
                } else {
                    terms += chosen
                    i += 1 << level
                }
            }
            store(terms.count < end ? terms : nil)
        }
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
