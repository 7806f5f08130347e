import Foundation

/// Held-out errors of one law on one run of a loss-curve comparison: what a practitioner reads to
/// see which schedules a law predicts and which it misses.
public struct RunErrors: Sendable, Hashable {
    public var run: Int
    /// Held-out points of the run.
    public var count: Int
    /// Mean and max of |Lhat - L| / L over the run's held-out points (predictions by the fit that
    /// did not see them).
    public var meanRelativeError: Double
    public var maxRelativeError: Double
    /// (Lhat - L) / L at the run's last held-out step (signed: positive means predicted too high).
    public var finalRelativeError: Double
    public var finalStep: Double

    /// One entry per run with held-out points, in run order.
    public static func of(_ law: LawEvaluation) -> [RunErrors] {
        let byRun = Dictionary(grouping: law.heldOutPoints, by: \.run)
        return byRun.keys.sorted().compactMap { run in
            let points = byRun[run]!.sorted { $0.index < $1.index }
            let relative = points.map { (($0.heldOutPrediction ?? $0.predicted) - $0.observed) / $0.observed }
            guard let last = points.last, relative.allSatisfy(\.isFinite) else { return nil }
            return RunErrors(
                run: run, count: points.count, meanRelativeError: relative.reduce(0) { $0 + abs($1) } / Double(relative.count),
                maxRelativeError: relative.map(abs).max()!, finalRelativeError: relative.last!, finalStep: last.x)
        }
    }

    /// Header, separator and one row per run with held-out points: for every law its mean, max and
    /// final-step relative error.
    static func table(_ report: SelectionReport) -> [[String]] {
        let laws = report.ranked
        var header = ["run", "held-out points"]
        for law in laws { header += ["\(law.law) mean", "\(law.law) max", "\(law.law) final step"] }
        var rows = [header, header.map { _ in "---" }]
        let errors = laws.map { Dictionary(uniqueKeysWithValues: of($0).map { ($0.run, $0) }) }
        let runs = Set(errors.flatMap(\.keys)).sorted()
        for run in runs {
            var row = [report.data.runs[run].name, "\(errors.compactMap { $0[run]?.count }.first ?? 0)"]
            for table in errors {
                if let e = table[run] {
                    row += [ReportFormatting.percent(e.meanRelativeError), ReportFormatting.percent(e.maxRelativeError),
                            String(format: "%+.3f %%", e.finalRelativeError * 100)]
                } else {
                    row += ["–", "–", "–"]
                }
            }
            rows.append(row)
        }
        return rows
    }
}
