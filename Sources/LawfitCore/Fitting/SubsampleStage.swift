/// How a fit of a long log is staged: every start runs on an evenly thinned subsample of the points,
/// and the best of them is then refined on every point.
///
/// The objective is a sum over points, so on every k-th point of each run it is close to 1/k of the
/// full one, with its minimum displaced only by sampling noise. The subsample picks the basin and
/// the start at 1/k of the cost per evaluation; the refinement, the same local method on every point
/// from the subsample's best values (Levenberg-Marquardt's first damping
/// ``LevenbergMarquardt/warmStart``: the start is believed close), finds the minimum of the full
/// objective. A fit's answer is therefore always a minimum of the objective over all its points;
/// staging changes only how many full evaluations it takes to get there (measured in Docs/Fitting.md:
/// multi-power on a 1e6-point log, 121 full evaluations unstaged, 26 staged).
public struct SubsampleStage: Sendable, Hashable {
    /// Fits of more points than this are staged.
    public var threshold: Int
    /// About how many points the subsample keeps.
    public var target: Int

    /// Fits of more than 100,000 points run their starts on about 10,000.
    public static let standard = SubsampleStage(threshold: 100_000, target: 10_000)

    /// A stage; `target` at least 1 and below `threshold`.
    public init(threshold: Int, target: Int) {
        precondition(target >= 1 && target < threshold, "SubsampleStage: need 1 <= target < threshold")
        self.threshold = threshold
        self.target = target
    }

    /// The stride k of the subsample of `points` points (ceil(points / target)), or nil when a fit of
    /// that many points is not staged.
    public func stride(points: Int) -> Int? {
        points > threshold ? (points + target - 1) / target : nil
    }

    /// Each run's k-th, 2k-th, ... observations and its last one (so that every run, however short,
    /// keeps its final loss; selected by `[Run].subset(_:)`), and the matching entries of
    /// `weights` (per observation, run by run).
    public static func thin(_ runs: [Run], stride k: Int, weights: [Double]?) -> (runs: [Run], weights: [Double]?) {
        var kept: [PointID] = [], keptWeights: [Double] = []
        var offset = 0
        for (r, run) in runs.enumerated() {
            let count = run.observations.count
            for i in 0..<count where (i + 1) % k == 0 || i == count - 1 {
                kept.append(PointID(run: r, index: i))
                if let weights { keptWeights.append(weights[offset + i]) }
            }
            offset += count
        }
        return (runs.subset(kept), weights == nil ? nil : keptWeights)
    }
}

/// What the subsample stage of a fit did (``SubsampleStage``).
public struct SubsampleSummary: Sendable, Hashable, Codable {
    /// Points of the subsample.
    public var points: Int
    /// Every `stride`-th point of each run (and its last) was kept.
    public var stride: Int
    /// Objective evaluations on the subsample, over all starts.
    public var evaluations: Int
    // Made by the fitter only: Swift's memberwise init (internal) serves it.
}
