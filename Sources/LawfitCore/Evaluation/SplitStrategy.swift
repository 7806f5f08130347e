import Foundation

/// How to divide data into fitted and held-out points.
///
/// Command-line syntax (``init(parsing:)``): `largest-N:0.2`, `largest-D:0.2`, `largest-compute:0.2`,
/// `last-steps:0.2`, `runs:wsd_20000_24000,cosine_72000`, `kfold:5`, `kfold:5:seed=3`,
/// `leave-one-run-out`, `none`.
public enum SplitStrategy: Sendable, Hashable {
    /// Hold out the points with the largest N, D or C: the largest `fraction` of the points
    /// (at least one), plus any point tied with the smallest held-out value. Extrapolation.
    case largest(LawInput, fraction: Double)
    /// In each run, hold out the points whose step lies in the last `fraction` of the run's step
    /// range: step > first + (1 - fraction)(last - first). Forecasting the rest of a curve.
    case lastSteps(fraction: Double)
    /// Hold out whole runs by name (e.g. fit on some schedules, predict the others).
    case runs([String])
    /// k folds of points assigned at random (seeded); each point is predicted once.
    case kFold(k: Int, seed: UInt64)
    /// One fold per run: fit on the other runs, predict that run.
    case leaveOneRunOut
    /// Fit on everything; rank by information criteria only.
    case none

    /// The default: hold out the largest compute for (N, D) data, the last steps for loss curves.
    public static func defaultStrategy(for runs: [Run]) -> SplitStrategy {
        let points = runs.flatMap(\.observations)
        if !points.isEmpty, points.allSatisfy({ $0.effectiveCompute != nil }) {
            return .largest(.compute, fraction: 0.2)
        }
        if !points.isEmpty, points.allSatisfy({ $0.step != nil }) { return .lastSteps(fraction: 0.2) }
        return .kFold(k: 5, seed: 0)
    }

    /// Parses the command-line syntax. - Throws: ``LawfitError`` (input) naming the bad part.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let head = parts[0].lowercased()
        let argument = parts.count > 1 ? parts[1] : nil
        func fraction() throws -> Double {
            guard let argument, let f = Double(argument), f > 0, f < 1 else {
                throw LawfitError.input("split '\(text)': give a held-out fraction strictly between 0 and 1, e.g. \(head):0.2")
            }
            return f
        }
        switch head {
        case "largest-n", "largest-params", "largest-parameters": self = .largest(.parameters, fraction: try fraction())
        case "largest-d", "largest-tokens": self = .largest(.tokens, fraction: try fraction())
        case "largest-c", "largest-compute": self = .largest(.compute, fraction: try fraction())
        case "last-steps": self = .lastSteps(fraction: try fraction())
        case "runs":
            let names = (argument ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw LawfitError.input("split '\(text)': name the held-out runs, e.g. runs:wsd,cosine") }
            self = .runs(names)
        case "kfold":
            let fields = (argument ?? "").split(separator: ":").map(String.init)
            guard let first = fields.first, let k = Int(first), k >= 2 else {
                throw LawfitError.input("split '\(text)': give the number of folds (at least 2), e.g. kfold:5")
            }
            var seed: UInt64 = 0
            for field in fields.dropFirst() {
                guard field.hasPrefix("seed="), let s = UInt64(field.dropFirst(5)) else {
                    throw LawfitError.input("split '\(text)': unknown option '\(field)' (expected seed=<integer>)")
                }
                seed = s
            }
            self = .kFold(k: k, seed: seed)
        case "leave-one-run-out", "loro": self = .leaveOneRunOut
        case "none": self = .none
        default:
            throw LawfitError.input(
                "unknown split '\(text)'; use largest-N:F, largest-D:F, largest-compute:F, last-steps:F, runs:A,B, kfold:K, leave-one-run-out or none")
        }
    }

    /// The strategy in command-line syntax.
    public var specification: String {
        switch self {
        case .largest(let input, let f): "largest-\(input == .compute ? "compute" : input.rawValue):\(f)"
        case .lastSteps(let f): "last-steps:\(f)"
        case .runs(let names): "runs:\(names.joined(separator: ","))"
        case .kFold(let k, let seed): "kfold:\(k):seed=\(seed)"
        case .leaveOneRunOut: "leave-one-run-out"
        case .none: "none"
        }
    }

    /// Splits `runs`. - Throws: ``LawfitError`` (input) when the data lack what the split needs or
    /// it would leave nothing to fit.
    public func split(_ runs: [Run]) throws -> DataSplit {
        let all = runs.allPoints
        guard !all.isEmpty else { throw LawfitError.input("there is no data to split") }
        let folds: [SplitFold]
        let description: String
        switch self {
        case .largest(let input, let fraction):
            let values = try all.map { point -> Double in
                let observation = runs[point.run].observations[point.index]
                guard let v = observation.value(of: input) else {
                    throw LawfitError.input(
                        "split \(specification) needs \(input.rawValue) at every point; run '\(runs[point.run].name)' lacks it",
                        at: SourceLocation(file: runs[point.run].source ?? runs[point.run].name, line: observation.line, column: input.rawValue))
                }
                return v
            }
            let sorted = values.sorted()
            let held = max(1, Int((fraction * Double(all.count)).rounded()))
            let threshold = sorted[sorted.count - held]
            let test = all.indices.filter { values[$0] >= threshold }.map { all[$0] }
            let train = all.indices.filter { values[$0] < threshold }.map { all[$0] }
            guard !train.isEmpty else {
                throw LawfitError.input("split \(specification) holds out every point (all \(input.rawValue) values tie)")
            }
            folds = [SplitFold(train: train, test: test)]
            description = "Held out the \(test.count) of \(all.count) points with the largest \(input.rawValue) (\(input.rawValue) >= \(Self.format(threshold))): extrapolation to larger \(input.rawValue)."
        case .lastSteps(let fraction):
            var train: [PointID] = [], test: [PointID] = []
            for (r, run) in runs.enumerated() {
                let steps = try run.observations.map { observation -> Int in
                    guard let step = observation.step else {
                        throw LawfitError.input(
                            "split \(specification) needs a step at every point; run '\(run.name)' lacks it",
                            at: SourceLocation(file: run.source ?? run.name, line: observation.line, column: "step"))
                    }
                    return step
                }
                guard let first = steps.min(), let last = steps.max() else { continue }
                let cut = Double(first) + (1 - fraction) * Double(last - first)
                for (k, step) in steps.enumerated() {
                    if Double(step) > cut { test.append(PointID(run: r, index: k)) } else { train.append(PointID(run: r, index: k)) }
                }
            }
            guard !train.isEmpty else { throw LawfitError.input("split \(specification) leaves no point to fit") }
            folds = [SplitFold(train: train, test: test)]
            description = "Held out, in each run, the points in the last \(Self.percent(fraction)) of its step range (\(test.count) of \(all.count) points): forecasting the rest of each curve."
        case .runs(let names):
            let known = runs.map(\.name)
            for name in names where !known.contains(name) {
                throw LawfitError.input("split \(specification): there is no run '\(name)'; the runs are \(known.joined(separator: ", "))")
            }
            let test = all.filter { names.contains(runs[$0.run].name) }
            let train = all.filter { !names.contains(runs[$0.run].name) }
            guard !train.isEmpty else { throw LawfitError.input("split \(specification) holds out every run") }
            folds = [SplitFold(train: train, test: test)]
            let fitted = known.filter { !names.contains($0) }
            description = "Fitted on runs \(fitted.joined(separator: ", ")); held out runs \(names.joined(separator: ", ")) (\(test.count) of \(all.count) points)."
        case .kFold(let k, let seed):
            guard all.count >= k else { throw LawfitError.input("split \(specification) needs at least \(k) points; there are \(all.count)") }
            var generator = SplitMix64(seed: seed)
            var order = Array(all.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
            folds = (0..<k).map { fold in
                let testIndices = Set(order.indices.filter { $0 % k == fold }.map { order[$0] })
                return SplitFold(
                    train: all.indices.filter { !testIndices.contains($0) }.map { all[$0] },
                    test: testIndices.sorted().map { all[$0] })
            }
            description = "\(k)-fold cross-validation: the \(all.count) points shuffled with seed \(seed) and dealt into \(k) folds; each point is predicted by the fit to the other folds."
        case .leaveOneRunOut:
            guard runs.count >= 2 else { throw LawfitError.input("split leave-one-run-out needs at least two runs; there is \(runs.count)") }
            folds = runs.indices.map { r in
                SplitFold(train: all.filter { $0.run != r }, test: all.filter { $0.run == r })
            }
            description = "Leave-one-run-out: each of the \(runs.count) runs is predicted by the fit to the other runs."
        case .none:
            folds = [SplitFold(train: all, test: [])]
            description = "No held-out points: all \(all.count) points fitted; laws are ranked by information criteria."
        }
        return DataSplit(strategy: specification, description: description, folds: folds)
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }
    static func percent(_ fraction: Double) -> String { String(format: "%g %%", fraction * 100) }
}
