import Foundation

/// What the report's plots show and where fitted curves are evaluated.
///
/// Loss curves (every point has a step) are plotted against step, one series per run. (N, D) data are
/// plotted against compute C = 6ND on log axes, with one fitted curve per model-size group (the
/// distinct N values, or 6 bins of log N when there are more than 8), each spanning its group's
/// compute range and extrapolated to twice its largest compute, plus, for a ``ComputeOptimalLaw``, the
/// compute-optimal frontier up to ten times the largest compute. Points with unique tokens U carry U
/// into the curves: a size group whose points share one U, or, on the N and D axes, one curve per
/// distinct U.
public enum PlotGeometry {
    /// A set of points on which a law draws one curve.
    public struct Series: Sendable {
        public var label: String
        public var x: [Double]
        public var runs: [Run]
    }

    /// The x axis for `runs`.
    public static func axis(for runs: [Run]) -> PlotAxis {
        let points = runs.flatMap(\.observations)
        if points.allSatisfy({ $0.step != nil }) { return .step }
        if points.allSatisfy({ $0.effectiveCompute != nil }) { return .compute }
        if points.allSatisfy({ $0.parameters != nil }) { return .parameters }
        return .tokens
    }

    /// The x coordinate of a point.
    public static func x(_ observation: Observation, axis: PlotAxis) -> Double? {
        switch axis {
        case .compute: observation.effectiveCompute
        case .parameters: observation.parameters
        case .tokens: observation.tokens
        case .step: observation.step.map(Double.init)
        }
    }

    /// Curve series for `runs` on `axis`.
    public static func curveRuns(for runs: [Run], axis: PlotAxis, samples: Int = 60) -> [Series] {
        let points = runs.flatMap(\.observations)
        switch axis {
        case .step:
            // Each run's own points: the law is evaluated where the run was observed.
            return runs.map { run in
                var stripped = run
                stripped.observations = run.observations.map { o in
                    var copy = o
                    copy.loss = nil
                    return copy
                }
                return Series(label: run.name, x: run.observations.map { Double($0.step!) }, runs: [stripped])
            }
        case .compute where points.allSatisfy({ $0.parameters != nil && $0.tokens != nil }):
            // A size whose compute 6ND underflows to 0 or overflows has no log axis to draw on.
            return sizeGroups(points).compactMap { group in
                let low = group.compute.min()!, high = 2 * group.compute.max()!
                guard low > 0, high.isFinite else { return nil }
                let grid = logGrid(low, high, samples)
                let observations = grid.map { c in Observation(parameters: group.n, tokens: c / (6 * group.n), uniqueTokens: group.unique) }
                return Series(label: sizeLabel(group.n), x: grid, runs: [Run(name: "curve", observations: observations)])
            }
        case .compute, .parameters, .tokens:
            let xs = points.compactMap { x($0, axis: axis) }
            guard let low = xs.min(), let high = xs.max(), low > 0, (2 * high).isFinite else { return [] }
            let grid = logGrid(low, 2 * high, samples)
            // Data with unique tokens U (samples) draw one curve per distinct U (up to 8), at that U.
            let unique = Set(points.compactMap(\.uniqueTokens)).sorted()
            let perUnique: [Double?] = points.allSatisfy({ $0.uniqueTokens != nil }) && unique.count <= 8 ? unique : [nil]
            return perUnique.map { u in
                let observations = grid.map { v -> Observation in
                    switch axis {
                    case .compute: Observation(compute: v, uniqueTokens: u)
                    case .parameters: Observation(parameters: v, uniqueTokens: u)
                    default: Observation(tokens: v, uniqueTokens: u)
                    }
                }
                let label = u.map { "U=\(String(format: "%.3g", $0))" } ?? "fit"
                return Series(label: label, x: grid, runs: [Run(name: "curve", observations: observations)])
            }
        }
    }

    /// The law's compute-optimal loss L*(C) (``ComputeOptimalLaw``) from the smallest compute in the
    /// data to 10 times the largest: where the next, bigger run would land.
    public static func computeOptimalCurve(
        _ law: any ComputeOptimalLaw, parameters: [Double], runs: [Run], samples: Int = 60
    ) throws -> Curve {
        let compute = runs.flatMap(\.observations).compactMap(\.effectiveCompute)
        guard let low = compute.min(), let high = compute.max(), low > 0 else {
            throw LawfitError.input("the data have no compute to draw a compute-optimal curve over")
        }
        let grid = logGrid(low, 10 * high, samples)
        let losses = try grid.map { try law.computeOptimum(parameters: parameters, compute: $0).loss }
        guard losses.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw LawfitError.fit("the compute-optimal loss is not a positive finite number over the plotted range")
        }
        return Curve(label: "compute-optimal", x: grid, y: losses, highlighted: true)
    }

    /// Each scheduled run's learning rate at up to `samples` + 1 evenly spaced steps from 0 to the
    /// later of its schedule's end and its last logged step, labelled with the run's name.
    public static func scheduleCurves(for runs: [Run], samples: Int = 400) -> [Curve] {
        runs.compactMap { run in
            guard let schedule = run.schedule else { return nil }
            let last = max(schedule.totalSteps, run.observations.compactMap(\.step).max() ?? 0)
            guard last > 0 else { return nil }
            var steps = Set((0...samples).map { $0 * last / samples })
            // The steps where the rate changes most sharply (warmup end, decay start) stay visible.
            steps.formUnion(run.observations.compactMap(\.step).filter { $0 <= last })
            let sorted = steps.sorted()
            return Curve(label: run.name, x: sorted.map(Double.init), y: sorted.map { schedule.schedule.rate(at: min($0, schedule.totalSteps)) })
        }
    }

    /// The label of a model-size series: `N=1e+08`.
    static func sizeLabel(_ n: Double) -> String { "N=\(String(format: "%.3g", n))" }

    /// For each point of `runs` in order, the label of the model-size series it belongs to (the
    /// label of its curve), on the compute axis with N and D known; nil elsewhere.
    public static func seriesLabels(for runs: [Run], axis: PlotAxis) -> [String?] {
        let points = runs.flatMap(\.observations)
        guard axis == .compute, points.allSatisfy({ $0.parameters != nil && $0.tokens != nil }) else { return points.map { _ in nil } }
        var labels = [String?](repeating: nil, count: points.count)
        for group in sizeGroups(points) {
            for i in group.members { labels[i] = sizeLabel(group.n) }
        }
        return labels
    }

    struct SizeGroup {
        var n: Double
        var compute: [Double]
        /// Indices of the group's points.
        var members: [Int] = []
        /// The unique tokens U every point of the group shares (nil when they differ or lack U).
        var unique: Double? = nil
    }

    /// Model-size groups: distinct N, or 6 equal bins of log N (geometric-mean N) beyond 8 values.
    static func sizeGroups(_ points: [Observation]) -> [SizeGroup] {
        let distinct = Set(points.map { $0.parameters! }).sorted()
        if distinct.count <= 8 {
            return distinct.map { n in
                let members = points.indices.filter { points[$0].parameters == n }
                return SizeGroup(n: n, compute: members.map { points[$0].effectiveCompute! }, members: members, unique: sharedUnique(members.map { points[$0] }))
            }
        }
        let logs = distinct.map { Foundation.log($0) }
        let low = logs.first!, width = (logs.last! - low) / 6
        var bins: [Int: [Int]] = [:]
        for (i, point) in points.enumerated() {
            bins[min(5, Int((Foundation.log(point.parameters!) - low) / width)), default: []].append(i)
        }
        return bins.keys.sorted().map { k in
            let members = bins[k]!
            let meanLog = members.reduce(0) { $0 + Foundation.log(points[$1].parameters!) } / Double(members.count)
            return SizeGroup(n: Foundation.exp(meanLog), compute: members.map { points[$0].effectiveCompute! }, members: members, unique: sharedUnique(members.map { points[$0] }))
        }
    }

    /// The U all `points` share, or nil.
    static func sharedUnique(_ points: [Observation]) -> Double? {
        let values = Set(points.map(\.uniqueTokens))
        return values.count == 1 ? values.first! : nil
    }

    static func logGrid(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
        let a = Foundation.log(low), b = Foundation.log(high)
        return (0..<count).map { Foundation.exp(a + (b - a) * Double($0) / Double(max(count - 1, 1))) }
    }
}
