import Foundation
import LawfitCore

/// The checks of one law (see ``PluginConformance``), on synthetic runs that carry exactly the
/// inputs the law declares.
public enum LawConformance {
    /// Relative tolerance of the analytic Jacobian against central differences.
    public static let jacobianTolerance = 1e-4

    /// Checks `law`.
    public static func check(_ law: any ScalingLaw) -> [ConformanceCheck] {
        var list = CheckList(subject: "law \(law.name)")
        let space = law.parameterSpace
        list.check("parameters: unique names, ordered bounds, starts inside") {
            guard space.count > 0 else { throw CheckFailure("the law has no parameters") }
            guard Set(space.names).count == space.count else { throw CheckFailure("repeated parameter names: \(space.names.joined(separator: ", "))") }
            for p in space.parameters {
                guard !p.name.isEmpty else { throw CheckFailure("a parameter has an empty name") }
                guard p.lowerBound < p.upperBound else {
                    throw CheckFailure("\(p.name): bounds [\(p.lowerBound), \(p.upperBound)] must have lower < upper")
                }
                guard p.transform != .log || p.lowerBound >= 0 else {
                    throw CheckFailure("\(p.name): a log-transformed parameter needs a lower bound >= 0, got \(p.lowerBound)")
                }
                for start in p.startValues where !(start.isFinite && start >= p.lowerBound && start <= p.upperBound) {
                    throw CheckFailure("\(p.name): start value \(start) lies outside [\(p.lowerBound), \(p.upperBound)]")
                }
            }
            return "\(space.count) parameters: \(space.names.joined(separator: ", "))"
        }
        guard list.checks.allSatisfy(\.passed) else { return list.checks }
        let evaluator: any LawEvaluator
        let runs: [Run]
        do {
            runs = try syntheticRuns(inputs: law.requiredInputs)
            try law.validate(runs)
            evaluator = try law.makeEvaluator(for: runs)
            let count = runs.map(\.observations.count).reduce(0, +)
            guard evaluator.count == count, evaluator.parameterCount == space.count else {
                throw CheckFailure("the evaluator predicts \(evaluator.count) points with \(evaluator.parameterCount) parameters, not \(count) with \(space.count)")
            }
            let start = space.defaultStartGrid[0]
            if let i = evaluator.predict(start).firstIndex(where: { !$0.isFinite }) {
                throw CheckFailure("prediction \(i) at the first start is not finite: does the law read an input it does not declare?")
            }
            list.pass("declared inputs suffice", "\(runs.count) synthetic runs with only \(law.requiredInputs.sorted().map(\.rawValue).joined(separator: ", "))")
        } catch {
            list.fail("declared inputs suffice", "with only the declared inputs \(law.requiredInputs.sorted().map(\.rawValue).joined(separator: ", ")): \(error)")
            return list.checks
        }
        let points = samplePoints(space)
        list.check("predictions finite over the parameter box") {
            for point in points {
                let predictions = evaluator.predict(point)
                guard predictions.count == evaluator.count else {
                    throw CheckFailure("\(predictions.count) predictions for \(evaluator.count) points at \(describe(point, space))")
                }
                if let i = predictions.firstIndex(where: { !$0.isFinite }) {
                    throw CheckFailure("prediction \(i) is \(predictions[i]) at \(describe(point, space))")
                }
            }
            return "\(points.count) points: the starts, the centre, the corners and random points of the box, \(evaluator.count) predictions each"
        }
        list.check("analytic Jacobian matches central differences") {
            guard evaluator.hasAnalyticGradient else { return "no analytic Jacobian: fits use central differences" }
            var worst = 0.0
            for point in points.prefix(6) {
                var predictions: [Double] = [], numeric: [Double] = []
                var analytic: [Double]? = []
                evaluator.predict(point, into: &predictions, jacobian: &analytic)
                guard let analytic, analytic.count == evaluator.count * space.count else {
                    throw CheckFailure("hasAnalyticGradient is true but the Jacobian has \(analytic?.count ?? 0) entries, not \(evaluator.count * space.count)")
                }
                evaluator.finiteDifferenceJacobian(point, into: &predictions, jacobian: &numeric)
                let p = space.count
                for j in 0..<p {
                    let scale = (0..<evaluator.count).map { abs(numeric[$0 * p + j]) }.max() ?? 0
                    let h = 1e-6 * max(abs(point[j]), 1e-6)
                    for i in 0..<evaluator.count {
                        let noise = 1e-9 * max(abs(predictions[i]), 1) / h
                        let error = abs(analytic[i * p + j] - numeric[i * p + j]) / (scale + noise)
                        guard error <= jacobianTolerance else {
                            throw CheckFailure("d prediction \(i) / d \(space.names[j]) is \(analytic[i * p + j]) analytically, \(numeric[i * p + j]) by central differences, at \(describe(point, space))")
                        }
                        worst = max(worst, error)
                    }
                }
            }
            return "\(min(points.count, 6)) points, largest difference \(String(format: "%.1e", worst)) of the column's scale (tolerance \(jacobianTolerance))"
        }
        return list.checks
    }

    /// Three model sizes, 20 points each, with exactly `inputs` (and a loss of 3): N in 1e7...1e9,
    /// D = 20 N times 0.5...4, C = 6 N D, U = D / 2, steps 20...400 of a warmup-cosine schedule.
    public static func syntheticRuns(inputs: Set<LawInput>) throws -> [Run] {
        let registry = PluginRegistry()
        try BuiltinSchedules.register(into: registry)
        let schedule = try ScheduleSpec.parse("cosine(peak=3e-4, floor=3e-5, warmup=20, total=400)", registry: registry)
        return [1e7, 1e8, 1e9].enumerated().map { index, n in
            let observations = (1...20).map { k -> Observation in
                let d = 20 * n * pow(2, Double(k - 1) / 19 * 3 - 1)
                var observation = Observation(loss: 3, line: k + 1)
                if inputs.contains(.parameters) { observation.parameters = n }
                if inputs.contains(.tokens) { observation.tokens = d }
                if inputs.contains(.compute) { observation.compute = 6 * n * d }
                if inputs.contains(.uniqueTokens) { observation.uniqueTokens = d / 2 }
                if inputs.contains(.step) { observation.step = 20 * k }
                return observation
            }
            return Run(name: "synthetic-\(index + 1)", observations: observations,
                       schedule: inputs.contains(.schedule) ? DenseSchedule(schedule) : nil, source: "synthetic-\(index + 1)")
        }
    }

    /// The starts (at most 16, spread over the grid), the centre and the corners (up to 6 parameters)
    /// of the box in the optimiser's coordinates, and 16 points drawn from a fixed-seed generator.
    /// The box is the bounds; where a bound is infinite (in the optimiser's coordinates: a log
    /// parameter's lower bound 0), the starts' range widened by 1 (a factor e for a log parameter).
    static func samplePoints(_ space: ParameterSpace) -> [[Double]] {
        let box = space.parameters.map { p -> (Double, Double) in
            let starts = p.startValues.map(p.transform.toInternal)
            let low = starts.min()!, high = starts.max()!
            let (lower, upper) = p.internalBounds
            return (lower.isFinite ? lower : low - 1, upper.isFinite ? upper : high + 1)
        }
        let lower = box.map(\.0), upper = box.map(\.1)
        let grid = space.defaultStartGrid
        var points = stride(from: 0, to: grid.count, by: max(1, grid.count / 16)).map { grid[$0] }
        points.append(space.toNatural(zip(lower, upper).map { ($0 + $1) / 2 }))
        if space.count <= 6 {
            for corner in 0..<(1 << space.count) {
                points.append(space.toNatural((0..<space.count).map { corner >> $0 & 1 == 0 ? lower[$0] : upper[$0] }))
            }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<16 {
            points.append(space.toNatural((0..<space.count).map { j in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let u = Double(state >> 11) / Double(1 << 53)
                return lower[j] + u * (upper[j] - lower[j])
            }))
        }
        // exp(log(x)) may round a bound outwards by an ulp.
        return points.map { zip(space.parameters, $0).map { p, x in min(max(x, p.lowerBound), p.upperBound) } }
    }

    private static func describe(_ point: [Double], _ space: ParameterSpace) -> String {
        zip(space.names, point).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
