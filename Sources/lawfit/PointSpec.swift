import Foundation
import LawfitCore

/// Parses prediction points from the command line: `N=1e9,D=2e10` and grid axes `N=1e8:1e11:log7`.
enum PointSpec {
    /// The inputs a point may set, by the name used on the command line.
    static let inputs = ["N", "D", "C", "U", "step"]

    /// One point, `NAME=VALUE[,NAME=VALUE...]`.
    static func observation(_ text: String) throws -> Observation {
        var observation = Observation()
        for item in text.split(separator: ",") {
            let (name, values) = try axis(String(item))
            guard values.count == 1 else { throw LawfitError.input("--at takes one value per input, got '\(item)'") }
            try set(name, values[0], in: &observation)
        }
        return observation
    }

    /// The most points `predict` computes (`--grid` products, `--at` points, schedule curves):
    /// 10^7. The CSV is streamed in blocks, but the points, the law's evaluator and the predictions
    /// are held: 1.4 GB peak at the limit in release (1.9 GB when the CSV was one string). Checked
    /// before any point is made.
    static let maximumPoints = 10_000_000

    /// The cartesian product of the axes, the first axis varying slowest.
    /// - Throws: ``LawfitError`` (input) for a bad axis, or a product of more than ``maximumPoints``.
    static func grid(_ axes: [String]) throws -> [Observation] {
        guard !axes.isEmpty else { return [] }
        let parsed = try axes.map(axis)
        var product = 1
        for (k, axis) in parsed.enumerated() {
            let (next, overflow) = product.multipliedReportingOverflow(by: axis.1.count)
            guard !overflow, next <= maximumPoints else {
                throw LawfitError.input(
                    "--grid: the axes \(axes.prefix(k + 1).map { "'\(LawfitError.excerpt($0))'" }.joined(separator: " x ")) make more than the \(maximumPoints) points predict may compute")
            }
            product = next
        }
        var points = [Observation()]
        points.reserveCapacity(product)
        for (name, values) in parsed {
            points = try points.flatMap { point in
                try values.map { value in
                    var next = point
                    try set(name, value, in: &next)
                    return next
                }
            }
        }
        return points
    }

    /// `NAME=VALUE`, `NAME=V1,V2`, `NAME=FROM:TO:K` or `NAME=FROM:TO:logK`.
    static func axis(_ text: String) throws -> (String, [Double]) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, inputs.contains(parts[0]) else {
            throw LawfitError.input("'\(LawfitError.excerpt(text))': expected NAME=VALUES with NAME one of \(inputs.joined(separator: ", "))")
        }
        let range = parts[1].split(separator: ":").map(String.init)
        if range.count == 3 {
            let isLog = range[2].hasPrefix("log")
            guard let from = Double(range[0]), let to = Double(range[1]), let count = Int(isLog ? String(range[2].dropFirst(3)) : range[2]),
                  count >= 1, from.isFinite, to.isFinite, !isLog || (from > 0 && to > 0) else {
                throw LawfitError.input("'\(LawfitError.excerpt(text))': a range is FROM:TO:K or FROM:TO:logK with K >= 1 (positive ends for log)")
            }
            guard count <= maximumPoints else {
                throw LawfitError.input("'\(LawfitError.excerpt(text))': \(count) values is more than the \(maximumPoints) points predict may compute")
            }
            let values = (0..<count).map { k -> Double in
                let f = count == 1 ? 0 : Double(k) / Double(count - 1)
                return isLog ? Foundation.pow(10, Foundation.log10(from) + f * (Foundation.log10(to) - Foundation.log10(from))) : from + f * (to - from)
            }
            return (parts[0], values)
        }
        let values = try parts[1].split(separator: ",").map { item -> Double in
            guard let value = Double(item), value.isFinite else {
                throw LawfitError.input("'\(LawfitError.excerpt(text))': '\(LawfitError.excerpt(String(item)))' is not a finite number")
            }
            return value
        }
        return (parts[0], values)
    }

    private static func set(_ name: String, _ value: Double, in observation: inout Observation) throws {
        switch name {
        case "N": observation.parameters = value
        case "D": observation.tokens = value
        case "C": observation.compute = value
        case "U": observation.uniqueTokens = value
        default:
            guard value == value.rounded(), value >= 0, value < 1e15 else {
                throw LawfitError.input("step must be a whole number >= 0, got \(value)")
            }
            observation.step = Int(value)
        }
    }
}

/// The CSV `lawfit predict` writes: run, the inputs present, the observed loss where known, the prediction.
enum PredictionTable {
    /// Appends the table to `writer` row by row, so only one block of text is held at a time (the
    /// points and predictions themselves are in memory: `PointSpec.maximumPoints` bounds them).
    static func write(runs: [Run], predictions: [Double], to writer: BlockWriter) throws {
        let columns: [(String, (Observation) -> Double?)] = [
            ("step", { $0.step.map(Double.init) }), ("N", \.parameters), ("D", \.tokens), ("C", \.compute),
            ("U", \.uniqueTokens), ("loss", \.loss),
        ].filter { column in runs.contains { $0.observations.contains { column.1($0) != nil } } }
        try writer.append((["run"] + columns.map(\.0) + ["predicted_loss"]).joined(separator: ",") + "\n")
        var index = 0
        var row = ""
        for run in runs {
            for observation in run.observations {
                row.removeAll(keepingCapacity: true)
                row += run.name
                for column in columns {
                    row += ","
                    if let value = column.1(observation) { row += SpecValue.format(value) }
                }
                row += ","
                row += SpecValue.format(predictions[index])
                row += "\n"
                try writer.append(row)
                index += 1
            }
        }
    }
}
