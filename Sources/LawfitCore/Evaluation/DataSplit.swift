/// One point of a set of runs: the run's index and the observation's index inside it (0-based).
public struct PointID: Sendable, Hashable, Codable, Comparable {
    public var run: Int
    public var index: Int

    public init(run: Int, index: Int) {
        self.run = run
        self.index = index
    }

    public static func < (lhs: PointID, rhs: PointID) -> Bool {
        (lhs.run, lhs.index) < (rhs.run, rhs.index)
    }
}

/// One train/test partition of the points.
public struct SplitFold: Sendable, Hashable, Codable {
    /// Points the laws are fitted to, sorted.
    public var train: [PointID]
    /// Points held out and predicted, sorted.
    public var test: [PointID]

    public init(train: [PointID], test: [PointID]) {
        self.train = train.sorted()
        self.test = test.sorted()
    }
}

/// A split of data into fitted and held-out points: the strategy, a sentence saying what was held
/// out, and the folds (one for a hold-out split, several for k-fold and leave-one-run-out).
///
/// A split is data: it is printed in every report, so that a reader can see exactly which points
/// each law was fitted to and which it had to predict.
public struct DataSplit: Sendable, Hashable, Codable {
    /// The strategy in the command-line syntax (`largest-compute:0.2`).
    public var strategy: String
    /// What was held out, in words.
    public var description: String
    /// The folds; held-out metrics pool every fold's test points.
    public var folds: [SplitFold]

    public init(strategy: String, description: String, folds: [SplitFold]) {
        self.strategy = strategy
        self.description = description
        self.folds = folds
    }

    /// Whether any point is held out.
    public var hasTestPoints: Bool { folds.contains { !$0.test.isEmpty } }

    /// Whether each point is tested in exactly one fold (k-fold, leave-one-run-out) rather than one
    /// hold-out fold.
    public var isCrossValidation: Bool { folds.count > 1 }
}

extension Array where Element == Run {
    /// The runs restricted to `points` (runs left without a point are dropped), keeping order.
    public func subset(_ points: [PointID]) -> [Run] {
        var byRun: [Int: [Int]] = [:]
        for point in points { byRun[point.run, default: []].append(point.index) }
        return indices.compactMap { r -> Run? in
            guard let chosen = byRun[r]?.sorted(), !chosen.isEmpty else { return nil }
            var run = self[r]
            run.observations = chosen.map { self[r].observations[$0] }
            return run
        }
    }

    /// Every point, run by run.
    public var allPoints: [PointID] {
        indices.flatMap { r in self[r].observations.indices.map { PointID(run: r, index: $0) } }
    }
}
