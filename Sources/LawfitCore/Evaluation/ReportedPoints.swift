import Foundation

/// The points a model-selection report lists (`points` in report.json) and plots.
///
/// A run of at most ``perRunLimit`` points is listed whole. Of a longer run (a log written at every
/// step) the report keeps ``evenSamples`` points evenly spaced in point index, as many evenly spaced
/// in log index (the curve plots use a log step axis), the run's first and last point, and both ends
/// of every held-out stretch. Without this, a 1e6-step log wrote a 515 MB report.json and an HTML
/// page of a million plot marks per figure.
///
/// Only the listing and the plots are thinned: metrics, criteria, the significance test and the
/// per-run held-out errors use every point (``LawEvaluation/heldOutPoints``), and
/// ``DataSummary/RunSummary/listed`` says how many points of a thinned run are listed.
public enum ReportedPoints {
    /// Runs with at most this many points are listed and plotted whole (Docs/ReportSchema.md).
    public static let perRunLimit = 4_000
    /// Points kept evenly spaced in index, and again evenly spaced in log index, of a longer run.
    public static let evenSamples = 2_000

    /// Positions in the run-by-run point list (as `Array<Run>.allPoints` orders them) that the report
    /// keeps, ascending. `isHeldOut(position)` tells whether a point is held out.
    static func select(runSizes: [Int], isHeldOut: (Int) -> Bool) -> [Int] {
        var kept: [Int] = []
        var offset = 0
        for n in runSizes {
            defer { offset += n }
            guard n > perRunLimit else {
                kept.append(contentsOf: offset..<(offset + n))
                continue
            }
            var keep = [Bool](repeating: false, count: n)
            let stride = (n + evenSamples - 1) / evenSamples
            for j in Swift.stride(from: 0, to: n, by: stride) { keep[j] = true }
            // Index j = floor(n^(m / evenSamples)) - 1: evenly spaced in log(1 + j), 0 through n - 1.
            for m in 0...evenSamples {
                let j = Int(Foundation.pow(Double(n), Double(m) / Double(evenSamples))) - 1
                keep[min(max(j, 0), n - 1)] = true
            }
            keep[n - 1] = true
            var previous = isHeldOut(offset)
            for j in 1..<n {
                let current = isHeldOut(offset + j)
                if current != previous {
                    keep[j - 1] = true
                    keep[j] = true
                }
                previous = current
            }
            for j in 0..<n where keep[j] { kept.append(offset + j) }
        }
        return kept
    }
}

extension DataSummary {
    /// `Listed and plotted: 4012 of 100000 points of run a; ...`, when some run is thinned; nil otherwise.
    public var listingSentence: String? {
        let thinned = runs.compactMap { run in run.listed.map { "\($0) of \(run.points) points of \(run.name)" } }
        guard !thinned.isEmpty else { return nil }
        return "Listed and plotted: " + thinned.joined(separator: "; ")
            + " (runs over \(ReportedPoints.perRunLimit) points keep points evenly spaced in step and in log step, and the ends of each held-out stretch);"
            + " every metric, interval and test uses all points."
    }
}
