import Foundation

/// A schedule given as a table of (step, rate) points, linearly interpolated between them, with the
/// first rate before the first point and the last rate after the last point (up to `end`).
///
/// Specs: `table(path=lr.csv)` reads a CSV file (columns `step` and `lr` by header, else the first
/// two columns; relative paths resolve against the current directory); `table(0:3e-4, 100:2e-4,
/// end=200)` lists the points inline. ``init(run:end:)`` takes a run's logged `lr` column.
public struct TabulatedSchedule: LearningRateSchedule {
    /// The table's points, steps strictly increasing.
    public let points: [(step: Int, rate: Double)]
    public let totalSteps: Int
    /// The file the table was read from, if any (printed in ``spec``).
    public let path: String?

    /// A table from points. - Throws: ``LawfitError`` unless steps are >= 0 and increasing, rates
    /// finite and >= 0, and `end` (default: the last point's step) is >= the last step.
    public init(points: [(step: Int, rate: Double)], end: Int? = nil, path: String? = nil) throws {
        let owner = path.map { "table(\($0))" } ?? "table"
        guard let last = points.last else { throw LawfitError.input("\(owner): the table has no (step, lr) points") }
        for (i, point) in points.enumerated() {
            try ScheduleCheck.step(point.step, "step", in: owner, within: 0...Int.max)
            try ScheduleCheck.positive(point.rate, "lr at step \(point.step)", in: owner, allowZero: true)
            if i > 0, point.step <= points[i - 1].step {
                throw LawfitError.input("\(owner): steps must increase, got \(points[i - 1].step) then \(point.step)")
            }
        }
        let total = end ?? last.step
        try ScheduleCheck.step(total, "end", in: owner, within: max(last.step, 1)...Int.max)
        self.points = points
        self.totalSteps = total
        self.path = path
    }

    /// The table in the CSV file at `path`. - Throws: ``LawfitError`` naming the file, line and column.
    public init(contentsOfFile path: String, end: Int? = nil) throws {
        try self.init(points: TableFile.read(path), end: end, path: path)
    }

    /// The logged learning rates of `run` (its observations with both `step` and `learningRate`).
    public init(run: Run, end: Int? = nil) throws {
        let points = run.observations.compactMap { o in o.step.flatMap { s in o.learningRate.map { (step: s, rate: $0) } } }
        guard !points.isEmpty else { throw LawfitError.input("run '\(run.name)' has no steps with a learning rate to tabulate") }
        try self.init(points: points, end: end)
    }

    /// How far the intrinsic time of this table could be from the true schedule's, as a fraction of
    /// the table's intrinsic time at its last point, when the table comes from logged rates.
    ///
    /// Before the first point (step s_0 > 0) the rate is unknown and is carried back: a warmup from 0
    /// to r_0 would make tau(s_0) smaller by up to s_0 r_0 / 2 (`leading`). Between two points s_i
    /// and s_{i+1} the table interpolates linearly; a rate that moved anywhere inside the gap (a step
    /// change at an unlogged step) shifts tau by at most (s_{i+1} - s_i) |r_{i+1} - r_i| / 2, summed
    /// over gaps (`gaps`). A linear warmup or a smooth decay logged every few steps bounds well
    /// below 1 %; a log that starts after a warmup or skips a decay does not.
    public var loggedCoverage: (leading: Double, gaps: Double) {
        var tau = 0.0, gaps = 0.0
        for (a, b) in zip(points, points.dropFirst()) {
            let width = Double(b.step - a.step)
            tau += width * (a.rate + b.rate) / 2
            if width > 1 { gaps += width * abs(b.rate - a.rate) / 2 }
        }
        let lead = Double(points[0].step) * points[0].rate
        tau += lead
        guard tau > 0 else { return (0, 0) }
        return (lead / 2 / tau, gaps / tau)
    }

    public func rate(at step: Int) -> Double {
        let k = min(max(step, 0), totalSteps)
        if k <= points[0].step { return points[0].rate }
        if k >= points[points.count - 1].step { return points[points.count - 1].rate }
        var low = 0, high = points.count - 1  // points[low].step < k < points[high].step
        while high - low > 1 {
            let mid = (low + high) / 2
            if points[mid].step <= k { low = mid } else { high = mid }
        }
        let (a, b) = (points[low], points[high])
        if k == a.step { return a.rate }
        return a.rate + (b.rate - a.rate) * Double(k - a.step) / Double(b.step - a.step)
    }

    public var spec: String {
        if let path { return SpecText.call("table", [("path", SpecText.word(path)), ("end", "\(totalSteps)")]) }
        return SpecText.call("table", points.map { ("", "\($0.step):\(SpecText.number($0.rate))") } + [("end", "\(totalSteps)")])
    }
}

/// Reads (step, lr) points from a CSV file.
enum TableFile {
    static func read(_ path: String) throws -> [(step: Int, rate: Double)] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LawfitError.input("cannot read the learning-rate table: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        var columns = (step: 0, rate: 1, names: ["step", "lr"])
        var points: [(step: Int, rate: Double)] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if points.isEmpty, Double(fields[0]) == nil {
                guard let s = fields.firstIndex(of: "step"), let r = fields.firstIndex(of: "lr") else {
                    throw LawfitError.input("the header needs columns 'step' and 'lr', got '\(line)'", at: SourceLocation(file: path, line: index + 1))
                }
                columns = (s, r, fields)
                continue
            }
            let at = { (c: Int) in SourceLocation(file: path, line: index + 1, column: columns.names.indices.contains(c) ? columns.names[c] : "\(c + 1)") }
            guard fields.count > max(columns.step, columns.rate) else {
                throw LawfitError.input("expected at least \(max(columns.step, columns.rate) + 1) comma-separated fields, got \(fields.count)", at: SourceLocation(file: path, line: index + 1))
            }
            guard let step = Double(fields[columns.step]), step == step.rounded(), abs(step) < 1e15 else {
                throw LawfitError.input("step '\(fields[columns.step])' is not a whole number", at: at(columns.step))
            }
            guard let rate = Double(fields[columns.rate]), rate.isFinite, rate >= 0 else {
                throw LawfitError.input("lr '\(fields[columns.rate])' is not a finite number >= 0", at: at(columns.rate))
            }
            points.append((Int(step), rate))
        }
        return points
    }
}
