import Foundation

/// The figures of a loss-curve report (plot axis `step`).
///
/// Loss curves are drawn in a post-warmup view on a log-step axis: from the later of the end of
/// warmup (the first step at the schedule's peak rate) and the first logged step, to the last step.
/// The y range comes from the data that matter: the losses from the step where the runs' schedules
/// part (their learning rates differ by more than a tenth of the peak; without that, the middle of
/// the view in log step, and never before its first tenth), so the early loss, far above the late
/// differences between schedules, does not flatten them: early points run off the top. Every run keeps one colour in every figure; predictions are
/// solid where the run was fitted and dashed where it is held out.
enum CurvePlots {
    /// Run colours (Tableau 20 order: the ten strong colours, then their light partners).
    static let runPalette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#0b4f7c", "#b35806", "#1b6e1b", "#8e1b1b", "#5e3c8a", "#5a3328", "#a0428a", "#3f3f3f", "#7c7d12", "#0f7f8c",
    ]

    static func runColor(_ run: Int) -> String { runPalette[run % runPalette.count] }

    /// The x range of the view: [start, end] in steps (start >= 1 for the log axis).
    static func view(_ report: SelectionReport, runs: [Int]? = nil) -> (start: Double, end: Double) {
        let points = (report.ranked.first?.points ?? report.laws.first?.points ?? [])
            .filter { runs == nil || runs!.contains($0.run) }
        let steps = points.map(\.x).filter { $0.isFinite && $0 > 0 }
        let first = steps.min() ?? 1, last = steps.max() ?? 10
        let warmupEnd = report.schedules.compactMap(warmupEnd).max() ?? 0
        let start = max(first, warmupEnd, 1)
        return (start, max(last, start * 1.01))
    }

    /// The first step at which a schedule reaches its peak rate (0 without warmup), by
    /// ``WarmupPoints/reachesPeak(_:_:)`` on the report's sampled schedule.
    static func warmupEnd(_ schedule: Curve) -> Double? {
        guard let peak = schedule.y.max(), peak > 0 else { return nil }
        return schedule.x[schedule.y.firstIndex { WarmupPoints.reachesPeak($0, peak) }!]
    }

    /// Where `x` lies in the view, 0 at its start and 1 at its end, on the log axis.
    static func position(_ x: Double, in view: (start: Double, end: Double)) -> Double {
        (Foundation.log(x) - Foundation.log(view.start)) / (Foundation.log(view.end) - Foundation.log(view.start))
    }

    /// The first step at which the runs' learning rates differ by more than a tenth of the largest
    /// rate (each schedule read at its last sample at or before the step); nil for fewer than two
    /// schedules or schedules that never part.
    static func divergence(_ schedules: [Curve]) -> Double? {
        guard schedules.count >= 2, let peak = schedules.flatMap(\.y).filter(\.isFinite).max(), peak > 0 else { return nil }
        func rate(_ curve: Curve, at step: Double) -> Double {
            var low = 0, high = curve.x.count - 1
            guard high >= 0, step >= curve.x[0] else { return curve.y.first ?? 0 }
            while low < high {
                let mid = (low + high + 1) / 2
                if curve.x[mid] <= step { low = mid } else { high = mid - 1 }
            }
            return curve.y[low]
        }
        for step in Set(schedules.flatMap(\.x)).sorted() {
            let rates = schedules.map { rate($0, at: step) }
            if rates.max()! - rates.min()! > 0.1 * peak { return step }
        }
        return nil
    }

    /// Where the y range starts counting losses: ``divergence(_:)``, else the middle of the view,
    /// and never before the view's first tenth (log step).
    static func focus(_ report: SelectionReport, view: (start: Double, end: Double)) -> Double {
        let tenth = Foundation.exp(Foundation.log(view.start) + 0.1 * (Foundation.log(view.end) - Foundation.log(view.start)))
        let middle = (view.start * view.end).squareRoot()
        return min(max(divergence(report.schedules) ?? middle, tenth), view.end)
    }

    /// The view as drawn: from the later of its start and half the focus step (log axis: the
    /// stretch before, where the early loss runs off the top, is not worth the width), with the focus.
    static func shownView(_ report: SelectionReport, runs: [Int]? = nil) -> (start: Double, end: Double, focus: Double) {
        let full = view(report, runs: runs)
        let focus = focus(report, view: full)
        return (max(full.start, min(focus / 2, full.end / 1.01)), full.end, focus)
    }

    /// The y range: the observed losses from `focus` to the end of the view and the predictions
    /// there that lie within the observed span of them, padded by 5 % of the whole span (all of the
    /// view's points when none lie past `focus`).
    static func lossLimits(_ points: [PointPrediction], curves: [Curve], view: (start: Double, end: Double), focus: Double) -> ClosedRange<Double>? {
        let inView = points.filter { $0.x >= view.start && $0.x <= view.end }
        let late = inView.filter { $0.x >= focus }
        let from = late.isEmpty ? view.start : focus
        let observed = (late.isEmpty ? inView : late).map(\.observed).filter(\.isFinite)
        guard let lowest = observed.min(), let highest = observed.max() else { return nil }
        // Predictions widen the range by at most the observed span each way: a runaway one is clipped.
        let reach = max(highest - lowest, 1e-3 * abs(highest))
        let floor = lowest - reach, ceiling = highest + reach
        var predictions: [Double] = []
        for curve in curves {
            for (x, y) in zip(curve.x, curve.y) where x >= from && x <= view.end && y.isFinite && y >= floor && y <= ceiling {
                predictions.append(y)
            }
        }
        let values = observed + predictions
        guard let low = values.min(), let high = values.max(), high > low else { return nil }
        let pad = 0.05 * (high - low)
        return (low - pad)...(high + pad)
    }

    /// The part of a curve at x >= `start` (what the log-step view shows; less to draw).
    static func from(_ start: Double, _ curve: Curve) -> Curve {
        let keep = curve.x.indices.filter { curve.x[$0] >= start }
        var copy = curve
        copy.x = keep.map { curve.x[$0] }
        copy.y = keep.map { curve.y[$0] }
        copy.lower = curve.lower.map { band in keep.map { band[$0] } }
        copy.upper = curve.upper.map { band in keep.map { band[$0] } }
        return copy
    }

    /// One run's curve split at its last fitted step: the solid fitted part and the dashed held-out part.
    static func lineMarks(_ curve: Curve, lastFitted: Double?, color: String, label: String?) -> [SVGPlot.Mark] {
        let cut = lastFitted ?? -Double.infinity
        let inside = curve.x.indices.filter { curve.x[$0] <= cut }
        let beyond = curve.x.indices.filter { curve.x[$0] >= cut }
        var marks: [SVGPlot.Mark] = []
        if inside.count >= 2 {
            marks.append(.line(x: inside.map { curve.x[$0] }, y: inside.map { curve.y[$0] }, color: color, dashed: false, label: label))
        }
        if beyond.count >= 2 {
            marks.append(.line(x: beyond.map { curve.x[$0] }, y: beyond.map { curve.y[$0] }, color: color, dashed: true, label: inside.count >= 2 ? nil : label))
        }
        return marks
    }

    /// The last fitted step of each run.
    static func lastFitted(_ law: LawEvaluation) -> [Int: Double] {
        var last: [Int: Double] = [:]
        for p in law.points where !p.heldOut { last[p.run] = max(last[p.run] ?? -.infinity, p.x) }
        return last
    }

    /// Legend keys shared by the loss-curve figures.
    static func styleKeys(bands: Bool) -> [SVGPlot.Mark] {
        var keys: [SVGPlot.Mark] = [
            .key(label: "prediction, fitted part", color: "#444444", line: true, dashedOrHollow: false),
            .key(label: "prediction, held out", color: "#444444", line: true, dashedOrHollow: true),
            .key(label: "observed (fitted)", color: "#444444", line: false, dashedOrHollow: false),
            .key(label: "observed (held out)", color: "#444444", line: false, dashedOrHollow: true),
        ]
        if bands { keys.append(.key(label: "band: 95 % bootstrap interval", color: "#999999", line: true, dashedOrHollow: false)) }
        return keys
    }

    /// A wide plot of every run of one law against step over `view` (``shownView(_:runs:)``), the
    /// legend outside listing the runs: the layout of ``overview(_:report:)`` and ``residualPlot(_:report:)``.
    static func runsPlot(title: String, yLabel: String, height: Double, view: (start: Double, end: Double, focus: Double)) -> SVGPlot {
        var plot = SVGPlot(title: title, xLabel: "step (log scale)", yLabel: yLabel, xScale: .log, yScale: .linear)
        plot.width = 1100
        plot.height = height
        plot.legendPlacement = .outside
        plot.xLimits = view.start...view.end
        return plot
    }

    /// Every run of one law: observations and predictions in the run's colour, bootstrap bands,
    /// the held-out zone shaded for `last-steps` splits, the legend outside listing every run.
    static func overview(_ law: LawEvaluation, report: SelectionReport) -> SVGPlot {
        let view = shownView(report)
        var plot = runsPlot(title: "\(law.law): every run after warmup", yLabel: "loss", height: 460, view: view)
        plot.pointRadius = 1.6
        plot.yLimits = lossLimits(law.points, curves: law.curves, view: (view.start, view.end), focus: view.focus)
        if report.split.strategy.hasPrefix("last-steps"), let start = law.points.filter(\.heldOut).map(\.x).min() {
            plot.marks.append(.region(from: start, to: .infinity, label: "held out"))
        }
        let last = lastFitted(law)
        let curves = law.curves.map { from(view.start, $0) }
        for curve in curves {
            guard let run = report.data.runs.firstIndex(where: { $0.name == curve.label }), let lower = curve.lower, let upper = curve.upper else { continue }
            plot.marks.append(.band(x: curve.x, lower: lower, upper: upper, color: runColor(run)))
        }
        for (run, summary) in report.data.runs.enumerated() {
            let points = law.points.filter { $0.run == run && $0.x >= view.start }
            let color = runColor(run)
            let fitted = points.filter { !$0.heldOut }, held = points.filter(\.heldOut)
            plot.marks.append(.points(x: fitted.map(\.x), y: fitted.map(\.observed), color: color, hollow: false, label: nil))
            plot.marks.append(.points(x: held.map(\.x), y: held.map(\.observed), color: color, hollow: true, label: nil))
            let role = held.isEmpty ? "fitted" : fitted.isEmpty ? "held out" : "fitted + held out"
            if let curve = curves.first(where: { $0.label == summary.name }) {
                plot.marks += lineMarks(curve, lastFitted: last[run], color: color, label: "\(summary.name) (\(role))")
            } else {
                plot.marks.append(.key(label: "\(summary.name) (no prediction)", color: color, line: false, dashedOrHollow: false))
            }
        }
        plot.marks += styleKeys(bands: law.curves.contains { $0.lower != nil })
        return plot
    }

    /// One small panel per run with its own y range: observed points, the prediction, its band.
    static func runPanels(_ law: LawEvaluation, report: SelectionReport) -> [SVGPlot] {
        let last = lastFitted(law)
        let errors = Dictionary(uniqueKeysWithValues: RunErrors.of(law).map { ($0.run, $0) })
        return report.data.runs.indices.compactMap { run in
            let view = shownView(report, runs: [run])
            let points = law.points.filter { $0.run == run && $0.x >= view.start }
            guard !points.isEmpty, let whole = law.curves.first(where: { $0.label == report.data.runs[run].name }) else { return nil }
            let curve = from(view.start, whole)
            let name = report.data.runs[run].name
            let caption = errors[run].map { "\(name): held-out mean error \(ReportFormatting.percent($0.meanRelativeError))" } ?? "\(name) (fitted)"
            var plot = SVGPlot(title: caption, xLabel: "step (log scale)", yLabel: "loss", xScale: .log, yScale: .linear)
            plot.width = 400
            plot.height = 250
            plot.pointRadius = 1.6
            plot.xLimits = view.start...view.end
            plot.yLimits = lossLimits(points, curves: [curve], view: (view.start, view.end), focus: view.focus)
            let color = runColor(run)
            if let lower = curve.lower, let upper = curve.upper {
                plot.marks.append(.band(x: curve.x, lower: lower, upper: upper, color: color))
            }
            let fitted = points.filter { !$0.heldOut }, held = points.filter(\.heldOut)
            plot.marks.append(.points(x: fitted.map(\.x), y: fitted.map(\.observed), color: "#555555", hollow: false, label: nil))
            plot.marks.append(.points(x: held.map(\.x), y: held.map(\.observed), color: "#555555", hollow: true, label: nil))
            plot.marks += lineMarks(curve, lastFitted: last[run], color: color, label: nil)
            return plot
        }
    }

    /// Learning rate against step for every run with a schedule (held-out runs dashed).
    static func schedulePanel(_ report: SelectionReport) -> SVGPlot? {
        guard !report.schedules.isEmpty else { return nil }
        var plot = SVGPlot(title: "Learning-rate schedules", xLabel: "step", yLabel: "learning rate", xScale: .linear, yScale: .linear)
        plot.width = 1100
        plot.height = 300
        plot.legendPlacement = .outside
        let fittedRuns = Set(report.ranked.first?.points.filter { !$0.heldOut }.map(\.run) ?? [])
        for schedule in report.schedules {
            guard let run = report.data.runs.firstIndex(where: { $0.name == schedule.label }) else { continue }
            let fitted = fittedRuns.contains(run)
            plot.marks.append(.line(x: schedule.x, y: schedule.y, color: runColor(run), dashed: !fitted,
                                    label: "\(schedule.label) (\(fitted ? "fitted" : "held out"))"))
        }
        let peak = report.schedules.flatMap(\.y).filter(\.isFinite).max() ?? 1
        plot.yLimits = 0...(peak * 1.05)
        return plot
    }

    /// Predicted against observed loss at each run's last step, one marker per law and run
    /// (hollow where the point was held out), with the line predicted = observed.
    static func finalLossPlot(_ report: SelectionReport) -> SVGPlot? {
        var finals: [(law: Int, observed: Double, predicted: Double, heldOut: Bool)] = []
        for (k, law) in report.ranked.enumerated() {
            for run in report.data.runs.indices {
                guard let last = law.points.filter({ $0.run == run }).max(by: { $0.index < $1.index }) else { continue }
                finals.append((k, last.observed, last.heldOutPrediction ?? last.predicted, last.heldOut))
            }
        }
        let values = finals.flatMap { [$0.observed, $0.predicted] }.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), high > low else { return nil }
        var plot = SVGPlot(title: "Final loss of each run: predicted vs observed", xLabel: "observed loss at the run's last step",
                           yLabel: "predicted loss", xScale: .linear, yScale: .linear)
        plot.width = 640
        plot.height = 440
        plot.legendPlacement = .outside
        let pad = 0.06 * (high - low)
        plot.xLimits = (low - pad)...(high + pad)
        plot.yLimits = (low - pad)...(high + pad)
        plot.marks.append(.line(x: [low - pad, high + pad], y: [low - pad, high + pad], color: "#888888", dashed: true, label: "predicted = observed"))
        for (k, law) in report.ranked.enumerated() {
            let color = HTMLReport.palette[k % HTMLReport.palette.count]
            let mine = finals.filter { $0.law == k }
            let fitted = mine.filter { !$0.heldOut }, held = mine.filter(\.heldOut)
            plot.marks.append(.points(x: fitted.map(\.observed), y: fitted.map(\.predicted), color: color, hollow: false, label: fitted.isEmpty ? nil : "\(law.law), fitted run"))
            plot.marks.append(.points(x: held.map(\.observed), y: held.map(\.predicted), color: color, hollow: true, label: held.isEmpty ? nil : "\(law.law), held out"))
        }
        return plot
    }

    /// Log residuals of one law against step, one line per run in its colour (dashed where held
    /// out), the y range symmetric about 0 from the residuals past the view's first tenth.
    static func residualPlot(_ law: LawEvaluation, report: SelectionReport) -> SVGPlot {
        let view = shownView(report)
        var plot = runsPlot(title: "\(law.law): residuals log Lhat - log L per run", yLabel: "log residual", height: 320, view: view)
        plot.marks.append(.horizontal(y: 0, color: "#555555"))
        var largest = 0.0
        for (run, summary) in report.data.runs.enumerated() {
            let points = law.points.filter { $0.run == run && $0.x >= view.start }.sorted { $0.index < $1.index }
            let residual = points.map { Foundation.log(($0.heldOutPrediction ?? $0.predicted) / $0.observed) }
            for (p, r) in zip(points, residual) where r.isFinite && p.x >= view.start && position(p.x, in: (view.start, view.end)) >= 0.1 {
                largest = max(largest, abs(r))
            }
            let curve = Curve(label: summary.name, x: points.map(\.x), y: residual)
            plot.marks += lineMarks(curve, lastFitted: lastFitted(law)[run], color: runColor(run), label: summary.name)
        }
        if largest > 0 { plot.yLimits = (-1.1 * largest)...(1.1 * largest) }
        return plot
    }
}
